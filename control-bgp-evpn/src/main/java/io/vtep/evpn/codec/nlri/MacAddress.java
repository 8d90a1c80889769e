package io.vtep.evpn.codec.nlri;

import io.netty.buffer.ByteBuf;

/**
 * A 48-bit MAC address in the low 48 bits of a {@code long}, first octet on the wire most
 * significant: the same form the FDB keys its tables by ({@code io.vtep.encap.MacAddress}), so an
 * imported route becomes an FDB entry without conversion.
 *
 * @param value the address in the low 48 bits.
 */
public record MacAddress(long value)
{
    /** Octets on the wire. */
    public static final int LENGTH = 6;

    /** Checks the value fits in 48 bits. */
    public MacAddress
    {
        if ((value & ~0xFFFF_FFFF_FFFFL) != 0)
        {
            throw new IllegalArgumentException("MAC address wider than 48 bits: " + Long.toHexString(value));
        }
    }

    /**
     * @param text six colon-separated hex octets, e.g. {@code 02:20:00:00:00:01}.
     * @return the address.
     */
    public static MacAddress parse(final String text)
    {
        final String[] octets = text.split(":", -1);
        if (octets.length != LENGTH)
        {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long value = 0;
        for (final String octet : octets)
        {
            if (octet.length() < 1 || octet.length() > 2)
            {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            value = value << 8 | Integer.parseInt(octet, 16);
        }
        return new MacAddress(value);
    }

    /**
     * @param in at least 6 readable octets.
     * @return the address read.
     */
    public static MacAddress read(final ByteBuf in)
    {
        return new MacAddress((in.readUnsignedInt() << 16) | in.readUnsignedShort());
    }

    /** @param out the 6 octets are written at its writer index. */
    public void write(final ByteBuf out)
    {
        out.writeInt((int)(value >>> 16));
        out.writeShort((int)value);
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            final int octet = (int)(value >>> shift) & 0xFF;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
            if (shift > 0)
            {
                text.append(':');
            }
        }
        return text.toString();
    }
}
