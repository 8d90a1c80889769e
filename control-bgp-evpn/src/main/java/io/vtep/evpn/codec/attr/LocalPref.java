package io.vtep.evpn.codec.attr;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;

/**
 * LOCAL_PREF (type 5, well-known, RFC 4271 §5.1.5): 4 octets, sent to internal peers only (FRR
 * sends 100 on iBGP EVPN routes). A length other than 4 means treat-as-withdraw (RFC 7606 §7.5);
 * one received from an external peer is discarded by the speaker (same section), which the codec
 * cannot tell.
 *
 * @param flags the flags octet.
 * @param value 0..4294967295.
 */
public record LocalPref(int flags, long value) implements PathAttribute
{
    /** The usual default, and what FRR sends. */
    public static final long DEFAULT_VALUE = 100;

    /** Checks the fields. */
    public LocalPref
    {
        AttributeFlags.check(flags);
        PathAttributes.checkUnsigned32(value, "LOCAL_PREF");
    }

    /**
     * @param value the preference.
     * @return the attribute with well-known flags.
     */
    public static LocalPref of(final long value)
    {
        return new LocalPref(AttributeFlags.WELL_KNOWN, value);
    }

    static LocalPref decode(final int flags, final ByteBuf value)
    {
        PathAttributes.requireLength(AttributeType.LOCAL_PREF, value, 4);
        return new LocalPref(flags, value.readUnsignedInt());
    }

    @Override
    public int typeCode()
    {
        return AttributeType.LOCAL_PREF;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        out.writeInt((int)value);
    }

    @Override
    public String toString()
    {
        return "LOCAL_PREF " + value;
    }
}
