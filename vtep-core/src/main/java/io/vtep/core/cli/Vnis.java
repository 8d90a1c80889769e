package io.vtep.core.cli;

/** A VNI as the command line gives it: 24 bits, 0 reserved (RFC 7348 §5). */
final class Vnis
{
    static final int MAX = 0xFF_FFFF;

    private Vnis()
    {
    }

    /** @return the VNI, or -1 when {@code text} is not one (1..16777215) */
    static int parse(final String text)
    {
        try
        {
            final int vni = Integer.parseInt(text);
            return vni >= 1 && vni <= MAX ? vni : -1;
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }
}
