package io.vtep.evpn.codec.nlri;

import java.net.InetAddress;

import io.vtep.evpn.codec.Octets;
import io.vtep.evpn.codec.WireFormat;

/**
 * What identifies an EVPN route in a RIB: the route distinguisher and the fields RFC 7432 makes
 * part of the route's prefix, without the ones it calls attributes of the route (labels, and the
 * ESI of a MAC/IP route). Two advertisements with equal keys replace each other; a withdrawal
 * removes the route with its key whatever its labels. {@code toString} follows FRR's
 * {@code show bgp l2vpn evpn} prefix notation after the RD.
 */
public sealed interface EvpnRouteKey
{
    /** @return the EVPN route type. */
    int routeType();

    /**
     * Type 1 (RFC 7432 §7.1).
     *
     * @param rd          route distinguisher.
     * @param esi         Ethernet segment.
     * @param ethernetTag Ethernet Tag ID.
     */
    record EthernetAutoDiscovery(RouteDistinguisher rd, EthernetSegmentId esi, long ethernetTag) implements EvpnRouteKey
    {
        @Override
        public int routeType()
        {
            return EvpnRoute.TYPE_ETHERNET_AUTO_DISCOVERY;
        }

        @Override
        public String toString()
        {
            return rd + " [1]:[" + esi + "]:[" + ethernetTag + "]";
        }
    }

    /**
     * Type 2 (RFC 7432 §7.2): Ethernet Tag, MAC and IP; not the ESI, not the labels.
     *
     * @param rd          route distinguisher.
     * @param ethernetTag Ethernet Tag ID.
     * @param mac         MAC address.
     * @param ip          IP address or {@code null}.
     */
    record MacIpAdvertisement(RouteDistinguisher rd, long ethernetTag, EvpnMac mac, InetAddress ip) implements EvpnRouteKey
    {
        @Override
        public int routeType()
        {
            return EvpnRoute.TYPE_MAC_IP_ADVERTISEMENT;
        }

        @Override
        public String toString()
        {
            return rd + " [2]:[" + ethernetTag + "]:[48]:[" + mac + "]" +
                (ip == null ? "" : ":[" + WireFormat.length(ip) * 8 + "]:[" + WireFormat.toText(ip) + "]");
        }
    }

    /**
     * Type 3 (RFC 7432 §7.3).
     *
     * @param rd                route distinguisher.
     * @param ethernetTag       Ethernet Tag ID.
     * @param originatingRouter originating router's address.
     */
    record InclusiveMulticast(RouteDistinguisher rd, long ethernetTag, InetAddress originatingRouter) implements EvpnRouteKey
    {
        @Override
        public int routeType()
        {
            return EvpnRoute.TYPE_INCLUSIVE_MULTICAST_ETHERNET_TAG;
        }

        @Override
        public String toString()
        {
            return rd + " [3]:[" + ethernetTag + "]:[" + WireFormat.length(originatingRouter) * 8 + "]:[" +
                WireFormat.toText(originatingRouter) + "]";
        }
    }

    /**
     * Type 4 (RFC 7432 §7.4).
     *
     * @param rd                route distinguisher.
     * @param esi               Ethernet segment.
     * @param originatingRouter originating router's address.
     */
    record EthernetSegment(RouteDistinguisher rd, EthernetSegmentId esi, InetAddress originatingRouter) implements EvpnRouteKey
    {
        @Override
        public int routeType()
        {
            return EvpnRoute.TYPE_ETHERNET_SEGMENT;
        }

        @Override
        public String toString()
        {
            return rd + " [4]:[" + esi + "]:[" + WireFormat.length(originatingRouter) * 8 + "]:[" +
                WireFormat.toText(originatingRouter) + "]";
        }
    }

    /**
     * Type 5 (RFC 9136 §3.1).
     *
     * @param rd           route distinguisher.
     * @param ethernetTag  Ethernet Tag ID.
     * @param prefixLength prefix length in bits.
     * @param prefix       prefix address.
     */
    record IpPrefix(RouteDistinguisher rd, long ethernetTag, int prefixLength, InetAddress prefix) implements EvpnRouteKey
    {
        @Override
        public int routeType()
        {
            return EvpnRoute.TYPE_IP_PREFIX;
        }

        @Override
        public String toString()
        {
            return rd + " [5]:[" + ethernetTag + "]:[" + prefixLength + "]:[" + WireFormat.toText(prefix) + "]";
        }
    }

    /**
     * A type this codec does not know: the whole route is the key.
     *
     * @param routeType the type octet.
     * @param value     the route's octets.
     */
    record Unknown(int routeType, Octets value) implements EvpnRouteKey
    {
        @Override
        public String toString()
        {
            return "[" + routeType + "]:[" + value + "]";
        }
    }
}
