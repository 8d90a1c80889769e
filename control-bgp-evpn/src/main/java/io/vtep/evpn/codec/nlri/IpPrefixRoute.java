package io.vtep.evpn.codec.nlri;

import java.net.InetAddress;
import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.MalformedValueException;
import io.vtep.evpn.codec.WireFormat;

/**
 * Route type 5, IP Prefix (RFC 9136 §3.1), for inter-subnet forwarding. Decoded, never advertised
 * by vtep (an L2 gateway). The address family follows from the route length.
 *
 * <pre>
 *  | RD (8) | ESI (10) | Ethernet Tag ID (4) | IP Prefix Length (1) | IP Prefix (4 or 16) |
 *  | GW IP Address (4 or 16) | MPLS Label (3) |                         = 34 (IPv4) or 58 (IPv6)
 * </pre>
 *
 * @param rd           route distinguisher.
 * @param esi          Ethernet segment (an overlay index, usually zero).
 * @param ethernetTag  Ethernet Tag ID.
 * @param prefixLength 0..32 or 0..128 bits.
 * @param prefix       the prefix address.
 * @param gateway      the gateway address (same family; zero when unused).
 * @param label        the 24-bit label field (the L3 VNI for VXLAN).
 */
public record IpPrefixRoute(
    RouteDistinguisher rd,
    EthernetSegmentId esi,
    long ethernetTag,
    int prefixLength,
    InetAddress prefix,
    InetAddress gateway,
    int label) implements EvpnRoute
{
    /** Checks the fields. */
    public IpPrefixRoute
    {
        Objects.requireNonNull(rd, "rd");
        Objects.requireNonNull(esi, "esi");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(gateway, "gateway");
        EvpnRoute.checkEthernetTag(ethernetTag);
        EvpnRoute.checkLabel(label);
        if (WireFormat.length(prefix) != WireFormat.length(gateway))
        {
            throw new IllegalArgumentException("prefix and gateway of different address families");
        }
        if (prefixLength < 0 || prefixLength > WireFormat.length(prefix) * 8)
        {
            throw new IllegalArgumentException("prefix length " + prefixLength + " too long for " + prefix);
        }
    }

    static IpPrefixRoute decodeValue(final ByteBuf value)
    {
        final int length = value.readableBytes();
        if (length != 34 && length != 58)
        {
            throw EvpnRoute.badLength(TYPE_IP_PREFIX, length, "34 (IPv4) or 58 (IPv6)");
        }
        final int addressLength = length == 34 ? 4 : 16;
        final RouteDistinguisher rd = RouteDistinguisher.read(value);
        final EthernetSegmentId esi = EthernetSegmentId.read(value);
        final long ethernetTag = value.readUnsignedInt();
        final int prefixLength = value.readUnsignedByte();
        if (prefixLength > addressLength * 8)
        {
            throw new MalformedValueException(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR,
                "EVPN type 5 IP Prefix Length " + prefixLength + " exceeds " + addressLength * 8);
        }
        final InetAddress prefix = WireFormat.readAddress(value, addressLength);
        final InetAddress gateway = WireFormat.readAddress(value, addressLength);
        return new IpPrefixRoute(rd, esi, ethernetTag, prefixLength, prefix, gateway, EvpnRoute.readLabel(value));
    }

    @Override
    public int routeType()
    {
        return TYPE_IP_PREFIX;
    }

    /** RFC 9136 §3.1: RD, Ethernet Tag, prefix length and prefix; ESI, gateway and label are attributes. */
    @Override
    public EvpnRouteKey key()
    {
        return new EvpnRouteKey.IpPrefix(rd, ethernetTag, prefixLength, prefix);
    }

    @Override
    public int valueLength()
    {
        return 8 + 10 + 4 + 1 + 2 * WireFormat.length(prefix) + 3;
    }

    @Override
    public void encodeValue(final ByteBuf out)
    {
        rd.write(out);
        esi.write(out);
        out.writeInt((int)ethernetTag);
        out.writeByte(prefixLength);
        WireFormat.writeAddress(out, prefix);
        WireFormat.writeAddress(out, gateway);
        out.writeMedium(label);
    }

    @Override
    public String toString()
    {
        return "type 5 " + key() + " gateway " + WireFormat.toText(gateway) + " label " + label;
    }
}
