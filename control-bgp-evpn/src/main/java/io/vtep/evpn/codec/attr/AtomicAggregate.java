package io.vtep.evpn.codec.attr;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;

/**
 * ATOMIC_AGGREGATE (type 6, well-known discretionary, RFC 4271 §5.1.6): no value. A non-zero
 * length means attribute discard (RFC 7606 §7.6).
 *
 * @param flags the flags octet.
 */
public record AtomicAggregate(int flags) implements PathAttribute
{
    /** With well-known flags. */
    public static final AtomicAggregate INSTANCE = new AtomicAggregate(AttributeFlags.WELL_KNOWN);

    /** Checks the flags. */
    public AtomicAggregate
    {
        AttributeFlags.check(flags);
    }

    static AtomicAggregate decode(final int flags, final ByteBuf value)
    {
        PathAttributes.requireLength(AttributeType.ATOMIC_AGGREGATE, value, 0);
        return new AtomicAggregate(flags);
    }

    @Override
    public int typeCode()
    {
        return AttributeType.ATOMIC_AGGREGATE;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
    }

    @Override
    public String toString()
    {
        return "ATOMIC_AGGREGATE";
    }
}
