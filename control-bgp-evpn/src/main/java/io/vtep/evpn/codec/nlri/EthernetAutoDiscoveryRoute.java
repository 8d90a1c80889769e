package io.vtep.evpn.codec.nlri;

import java.util.Objects;

import io.netty.buffer.ByteBuf;

/**
 * Route type 1, Ethernet Auto-discovery (RFC 7432 §7.1). Used for multihoming, which vtep does not
 * do; decoded so that a multihomed FRR peer's routes are understood, never advertised.
 *
 * <pre>
 *  | RD (8) | Ethernet Segment Identifier (10) | Ethernet Tag ID (4) | MPLS Label (3) |   = 25 octets
 * </pre>
 *
 * @param rd          route distinguisher.
 * @param esi         Ethernet segment.
 * @param ethernetTag Ethernet Tag ID (0xFFFFFFFF = MAX-ET for per-ES routes).
 * @param label       the 24-bit label field (a VNI for VXLAN, RFC 8365 §5.1.3).
 */
public record EthernetAutoDiscoveryRoute(RouteDistinguisher rd, EthernetSegmentId esi, long ethernetTag, int label)
    implements EvpnRoute
{
    /** The route's length on the wire. */
    public static final int LENGTH = 25;

    /** Checks the fields. */
    public EthernetAutoDiscoveryRoute
    {
        Objects.requireNonNull(rd, "rd");
        Objects.requireNonNull(esi, "esi");
        EvpnRoute.checkEthernetTag(ethernetTag);
        EvpnRoute.checkLabel(label);
    }

    static EthernetAutoDiscoveryRoute decodeValue(final ByteBuf value)
    {
        if (value.readableBytes() != LENGTH)
        {
            throw EvpnRoute.badLength(TYPE_ETHERNET_AUTO_DISCOVERY, value.readableBytes(), String.valueOf(LENGTH));
        }
        return new EthernetAutoDiscoveryRoute(RouteDistinguisher.read(value), EthernetSegmentId.read(value),
            value.readUnsignedInt(), EvpnRoute.readLabel(value));
    }

    @Override
    public int routeType()
    {
        return TYPE_ETHERNET_AUTO_DISCOVERY;
    }

    @Override
    public EvpnRouteKey key()
    {
        return new EvpnRouteKey.EthernetAutoDiscovery(rd, esi, ethernetTag);
    }

    @Override
    public int valueLength()
    {
        return LENGTH;
    }

    @Override
    public void encodeValue(final ByteBuf out)
    {
        rd.write(out);
        esi.write(out);
        out.writeInt((int)ethernetTag);
        out.writeMedium(label);
    }

    @Override
    public String toString()
    {
        return "type 1 " + key() + " label " + label;
    }
}
