package io.vtep.encap;

/**
 * The range the outer UDP source port is drawn from. RFC 7348 §5 asks for a source port
 * "calculated using a hash of fields from the inner packet" so that underlay ECMP and RSS
 * spread flows while keeping each flow on one path, and recommends the dynamic/private range
 * 49152-65535. Both ends are inclusive.
 *
 * @param min lowest port, 1..65535.
 * @param max highest port, min..65535.
 */
public record SourcePortRange(int min, int max)
{
    /** RFC 7348 §5's recommended range, the IANA dynamic ports (RFC 6335 §6). */
    public static final SourcePortRange DEFAULT = new SourcePortRange(49152, 65535);

    /**
     * @throws IllegalArgumentException unless {@code 1 <= min <= max <= 65535}.
     */
    public SourcePortRange
    {
        if (min < 1 || max > 65535 || min > max)
        {
            throw new IllegalArgumentException(
                "source port range must satisfy 1 <= min <= max <= 65535: " + min + "-" + max);
        }
    }

    /**
     * Parses {@code MIN-MAX}, such as {@code 49152-65535}.
     *
     * @param text the range.
     * @return the range.
     * @throws IllegalArgumentException naming the text when it is not a valid range.
     */
    public static SourcePortRange parse(final String text)
    {
        final int dash = null == text ? -1 : text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1)
        {
            throw invalid(text, null);
        }

        try
        {
            return new SourcePortRange(parsePort(text, 0, dash), parsePort(text, dash + 1, text.length()));
        }
        catch (final IllegalArgumentException ex)
        {
            throw invalid(text, ex);
        }
    }

    /**
     * Number of ports in the range.
     *
     * @return {@code max - min + 1}.
     */
    public int size()
    {
        return max - min + 1;
    }

    /**
     * Maps a 32-bit flow hash into the range by reciprocal scaling, as Linux
     * {@code udp_flow_src_port} does: multiply by the range size and keep the top 32 bits.
     * That is uniform when the high bits of the hash are, costs no division, and a flow always
     * gets the same port. (Linux first folds its skb hash with {@code hash ^= hash << 16}
     * because only the high bits matter; {@link FlowHash} already ends in a full avalanche
     * finaliser, so that step is not needed here.)
     *
     * @param flowHash any 32-bit value, read as unsigned.
     * @return a port in {@code min..max}.
     */
    public int sourcePort(final int flowHash)
    {
        return min + (int)(((flowHash & 0xFFFF_FFFFL) * (max - min + 1)) >>> 32);
    }

    @Override
    public String toString()
    {
        return min + "-" + max;
    }

    private static int parsePort(final String text, final int start, final int end)
    {
        if (end - start > 5)
        {
            throw new IllegalArgumentException("port too long");
        }

        int value = 0;
        for (int i = start; i < end; i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                throw new IllegalArgumentException("not a digit: " + c);
            }
            value = value * 10 + (c - '0');
        }

        return value;
    }

    private static IllegalArgumentException invalid(final String text, final Throwable cause)
    {
        return new IllegalArgumentException(
            "not a UDP source port range (expected MIN-MAX within 1-65535, e.g. 49152-65535): \"" + text + "\"", cause);
    }
}
