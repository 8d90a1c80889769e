package io.vtep.evpn.codec.attr;

/**
 * The Attribute Flags octet (RFC 4271 §4.3). Attributes keep the octet as received, the unused
 * low four bits included, so that a decoded UPDATE re-encodes to the same octets.
 *
 * <pre>
 *   0   1   2   3   4   5   6   7
 * +---+---+---+---+---+---+---+---+
 * | O | T | P | E |    unused     |
 * +---+---+---+---+---+---+---+---+
 * </pre>
 */
public final class AttributeFlags
{
    /** O: optional (1) or well-known (0). */
    public static final int OPTIONAL = 0x80;
    /** T: transitive; always 1 for well-known attributes. */
    public static final int TRANSITIVE = 0x40;
    /** P: partial; set by a speaker that passed on an optional transitive attribute it did not recognize. */
    public static final int PARTIAL = 0x20;
    /** E: the Attribute Length field is 2 octets instead of 1. */
    public static final int EXTENDED_LENGTH = 0x10;

    /** Well-known (mandatory or discretionary): transitive, not optional. */
    public static final int WELL_KNOWN = TRANSITIVE;
    /** Optional transitive. */
    public static final int OPTIONAL_TRANSITIVE = OPTIONAL | TRANSITIVE;
    /** Optional non-transitive. */
    public static final int OPTIONAL_NON_TRANSITIVE = OPTIONAL;

    private AttributeFlags()
    {
    }

    /**
     * @param flags the octet.
     * @return e.g. "0x90 (Optional, Extended-Length)".
     */
    public static String describe(final int flags)
    {
        final StringBuilder text = new StringBuilder(String.format("0x%02x (", flags));
        text.append((flags & OPTIONAL) != 0 ? "Optional" : "Well-known");
        text.append((flags & TRANSITIVE) != 0 ? ", Transitive" : ", Non-transitive");
        if ((flags & PARTIAL) != 0)
        {
            text.append(", Partial");
        }
        if ((flags & EXTENDED_LENGTH) != 0)
        {
            text.append(", Extended-Length");
        }
        return text.append(')').toString();
    }

    static int check(final int flags)
    {
        if (flags < 0 || flags > 0xFF)
        {
            throw new IllegalArgumentException("attribute flags " + flags + " not an octet");
        }
        return flags;
    }
}
