package io.vtep.evpn.codec.attr;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;

/**
 * MULTI_EXIT_DISC (type 4, optional non-transitive, RFC 4271 §5.1.4): 4 octets. A length other
 * than 4 means treat-as-withdraw (RFC 7606 §7.4).
 *
 * @param flags the flags octet.
 * @param value 0..4294967295.
 */
public record MultiExitDisc(int flags, long value) implements PathAttribute
{
    /** Checks the fields. */
    public MultiExitDisc
    {
        AttributeFlags.check(flags);
        PathAttributes.checkUnsigned32(value, "MULTI_EXIT_DISC");
    }

    /**
     * @param value the metric.
     * @return the attribute with optional non-transitive flags.
     */
    public static MultiExitDisc of(final long value)
    {
        return new MultiExitDisc(AttributeFlags.OPTIONAL_NON_TRANSITIVE, value);
    }

    static MultiExitDisc decode(final int flags, final ByteBuf value)
    {
        PathAttributes.requireLength(AttributeType.MULTI_EXIT_DISC, value, 4);
        return new MultiExitDisc(flags, value.readUnsignedInt());
    }

    @Override
    public int typeCode()
    {
        return AttributeType.MULTI_EXIT_DISC;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        out.writeInt((int)value);
    }

    @Override
    public String toString()
    {
        return "MULTI_EXIT_DISC " + value;
    }
}
