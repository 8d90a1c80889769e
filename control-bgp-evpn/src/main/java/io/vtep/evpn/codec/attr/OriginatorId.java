package io.vtep.evpn.codec.attr;

import java.net.Inet4Address;
import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.WireFormat;

/**
 * ORIGINATOR_ID (type 9, optional non-transitive, RFC 4456 §8): the BGP identifier of the route's
 * originator in the AS, added by a route reflector. A length other than 4 means treat-as-withdraw
 * (RFC 7606 §7.9).
 *
 * @param flags        the flags octet.
 * @param originatorId the originator's BGP identifier.
 */
public record OriginatorId(int flags, Inet4Address originatorId) implements PathAttribute
{
    /** Checks the fields. */
    public OriginatorId
    {
        AttributeFlags.check(flags);
        Objects.requireNonNull(originatorId, "originatorId");
    }

    /**
     * @param originatorId the originator's BGP identifier.
     * @return the attribute with optional non-transitive flags.
     */
    public static OriginatorId of(final Inet4Address originatorId)
    {
        return new OriginatorId(AttributeFlags.OPTIONAL_NON_TRANSITIVE, originatorId);
    }

    static OriginatorId decode(final int flags, final ByteBuf value)
    {
        PathAttributes.requireLength(AttributeType.ORIGINATOR_ID, value, 4);
        return new OriginatorId(flags, WireFormat.readIpv4(value));
    }

    @Override
    public int typeCode()
    {
        return AttributeType.ORIGINATOR_ID;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        WireFormat.writeAddress(out, originatorId);
    }

    @Override
    public String toString()
    {
        return "ORIGINATOR_ID " + originatorId.getHostAddress();
    }
}
