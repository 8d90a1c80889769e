package io.vtep.evpn.codec.nlri;

import java.net.InetAddress;
import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.MalformedValueException;
import io.vtep.evpn.codec.WireFormat;

/**
 * Route type 3, Inclusive Multicast Ethernet Tag (RFC 7432 §7.3): "send me the VNI's BUM traffic".
 * With ingress replication each of these puts its originator in the VNI's flood list; the VNI
 * itself is in the PMSI Tunnel attribute's label field, not in the NLRI (RFC 8365 §5.1.3).
 *
 * <pre>
 *  | RD (8) | Ethernet Tag ID (4) | IP Address Length (1) = 32 or 128 |
 *  | Originating Router's IP Address (4 or 16) |                          = 17 or 29 octets
 * </pre>
 *
 * @param rd                route distinguisher.
 * @param ethernetTag       Ethernet Tag ID (0 for VLAN-based service).
 * @param originatingRouter the originating VTEP's address.
 */
public record InclusiveMulticastRoute(RouteDistinguisher rd, long ethernetTag, InetAddress originatingRouter)
    implements EvpnRoute
{
    /** Checks the fields. */
    public InclusiveMulticastRoute
    {
        Objects.requireNonNull(rd, "rd");
        Objects.requireNonNull(originatingRouter, "originatingRouter");
        EvpnRoute.checkEthernetTag(ethernetTag);
    }

    static InclusiveMulticastRoute decodeValue(final ByteBuf value)
    {
        final int length = value.readableBytes();
        if (length != 17 && length != 29)
        {
            throw EvpnRoute.badLength(TYPE_INCLUSIVE_MULTICAST_ETHERNET_TAG, length, "17 (IPv4) or 29 (IPv6)");
        }
        final RouteDistinguisher rd = RouteDistinguisher.read(value);
        final long ethernetTag = value.readUnsignedInt();
        final int ipLengthBits = value.readUnsignedByte();
        if (ipLengthBits / 8 != length - 13 || ipLengthBits % 8 != 0)
        {
            throw new MalformedValueException(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR,
                "EVPN type 3 IP Address Length " + ipLengthBits + " in a route of length " + length +
                    ", expected " + (length - 13) * 8);
        }
        return new InclusiveMulticastRoute(rd, ethernetTag, WireFormat.readAddress(value, ipLengthBits / 8));
    }

    @Override
    public int routeType()
    {
        return TYPE_INCLUSIVE_MULTICAST_ETHERNET_TAG;
    }

    /** RFC 7432 §7.3: every field is part of the key. */
    @Override
    public EvpnRouteKey key()
    {
        return new EvpnRouteKey.InclusiveMulticast(rd, ethernetTag, originatingRouter);
    }

    @Override
    public int valueLength()
    {
        return 13 + WireFormat.length(originatingRouter);
    }

    @Override
    public void encodeValue(final ByteBuf out)
    {
        rd.write(out);
        out.writeInt((int)ethernetTag);
        out.writeByte(WireFormat.length(originatingRouter) * 8);
        WireFormat.writeAddress(out, originatingRouter);
    }

    @Override
    public String toString()
    {
        return "type 3 " + key();
    }
}
