package io.vtep.evpn.codec.attr;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.MalformedValueException;

/**
 * ORIGIN (type 1, well-known mandatory, RFC 4271 §5.1.1): one octet, IGP, EGP or INCOMPLETE.
 * Malformed (length not 1, or another value) means treat-as-withdraw (RFC 7606 §7.1).
 * Named for the attribute, not {@code Origin}, to keep apart from {@link io.vtep.fdb.Origin} (where an
 * FDB entry came from), which the EVPN import code uses next to it.
 *
 * @param flags the flags octet.
 * @param value 0 (IGP), 1 (EGP) or 2 (INCOMPLETE).
 */
public record OriginAttribute(int flags, int value) implements PathAttribute
{
    public static final int VALUE_IGP = 0;
    public static final int VALUE_EGP = 1;
    public static final int VALUE_INCOMPLETE = 2;

    /** ORIGIN IGP with well-known flags: what EVPN routes carry. */
    public static final OriginAttribute IGP = new OriginAttribute(AttributeFlags.WELL_KNOWN, VALUE_IGP);
    /** ORIGIN EGP. */
    public static final OriginAttribute EGP = new OriginAttribute(AttributeFlags.WELL_KNOWN, VALUE_EGP);
    /** ORIGIN INCOMPLETE. */
    public static final OriginAttribute INCOMPLETE = new OriginAttribute(AttributeFlags.WELL_KNOWN, VALUE_INCOMPLETE);

    /** Checks the fields. */
    public OriginAttribute
    {
        AttributeFlags.check(flags);
        if (value < VALUE_IGP || value > VALUE_INCOMPLETE)
        {
            throw new IllegalArgumentException("ORIGIN " + value + " not 0, 1 or 2");
        }
    }

    static OriginAttribute decode(final int flags, final ByteBuf value)
    {
        PathAttributes.requireLength(AttributeType.ORIGIN, value, 1);
        final int origin = value.readUnsignedByte();
        if (origin > VALUE_INCOMPLETE)
        {
            throw new MalformedValueException(ErrorSubcode.INVALID_ORIGIN_ATTRIBUTE, "ORIGIN value " + origin + ", expected 0..2");
        }
        return new OriginAttribute(flags, origin);
    }

    @Override
    public int typeCode()
    {
        return AttributeType.ORIGIN;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        out.writeByte(value);
    }

    @Override
    public String toString()
    {
        return "ORIGIN " + switch (value)
        {
            case VALUE_IGP -> "IGP";
            case VALUE_EGP -> "EGP";
            default -> "INCOMPLETE";
        };
    }
}
