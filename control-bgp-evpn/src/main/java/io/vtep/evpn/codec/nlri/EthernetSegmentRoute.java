package io.vtep.evpn.codec.nlri;

import java.net.InetAddress;
import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.MalformedValueException;
import io.vtep.evpn.codec.WireFormat;

/**
 * Route type 4, Ethernet Segment (RFC 7432 §7.4), for designated-forwarder election among the
 * VTEPs of a multihomed segment. Decoded, never advertised by vtep.
 *
 * <pre>
 *  | RD (8) | ESI (10) | IP Address Length (1) = 32 or 128 | Originating Router's IP (4 or 16) |
 *                                                                            = 23 or 35 octets
 * </pre>
 *
 * @param rd                route distinguisher.
 * @param esi               the Ethernet segment.
 * @param originatingRouter the originating router's address.
 */
public record EthernetSegmentRoute(RouteDistinguisher rd, EthernetSegmentId esi, InetAddress originatingRouter)
    implements EvpnRoute
{
    /** Checks the fields. */
    public EthernetSegmentRoute
    {
        Objects.requireNonNull(rd, "rd");
        Objects.requireNonNull(esi, "esi");
        Objects.requireNonNull(originatingRouter, "originatingRouter");
    }

    static EthernetSegmentRoute decodeValue(final ByteBuf value)
    {
        final int length = value.readableBytes();
        if (length != 23 && length != 35)
        {
            throw EvpnRoute.badLength(TYPE_ETHERNET_SEGMENT, length, "23 (IPv4) or 35 (IPv6)");
        }
        final RouteDistinguisher rd = RouteDistinguisher.read(value);
        final EthernetSegmentId esi = EthernetSegmentId.read(value);
        final int ipLengthBits = value.readUnsignedByte();
        if (ipLengthBits != (length - 19) * 8)
        {
            throw new MalformedValueException(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR,
                "EVPN type 4 IP Address Length " + ipLengthBits + " in a route of length " + length +
                    ", expected " + (length - 19) * 8);
        }
        return new EthernetSegmentRoute(rd, esi, WireFormat.readAddress(value, length - 19));
    }

    @Override
    public int routeType()
    {
        return TYPE_ETHERNET_SEGMENT;
    }

    /** RFC 7432 §7.4: the ESI and the originating router's address (with the RD, as for all types). */
    @Override
    public EvpnRouteKey key()
    {
        return new EvpnRouteKey.EthernetSegment(rd, esi, originatingRouter);
    }

    @Override
    public int valueLength()
    {
        return 19 + WireFormat.length(originatingRouter);
    }

    @Override
    public void encodeValue(final ByteBuf out)
    {
        rd.write(out);
        esi.write(out);
        out.writeByte(WireFormat.length(originatingRouter) * 8);
        WireFormat.writeAddress(out, originatingRouter);
    }

    @Override
    public String toString()
    {
        return "type 4 " + key();
    }
}
