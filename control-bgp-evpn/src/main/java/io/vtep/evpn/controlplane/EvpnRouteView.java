package io.vtep.evpn.controlplane;

import java.net.InetAddress;

/**
 * One path of the RIB as the HTTP API and CLI show it ({@code show bgp l2vpn evpn} style).
 *
 * @param type       route type, 1 to 4.
 * @param rd         route distinguisher, as text.
 * @param vni        the local VNI the route belongs to; 0 for a route of no single VNI (type 4, A-D per ES).
 * @param mac        the MAC as {@code 02:00:00:00:00:01}, or null for type 3.
 * @param ip         the IP of a MAC+IP route, or null.
 * @param nextHop    the VTEP behind the route.
 * @param sequence   MAC mobility sequence.
 * @param sticky     sticky (static) MAC.
 * @param best       whether it is the best path to its route.
 * @param source     {@code local} or the neighbor's address.
 * @param esi        the Ethernet segment of a type-1 or type-4 route, or of a type-2 route on a multihomed segment; null otherwise.
 */
public record EvpnRouteView(
    int type,
    String rd,
    int vni,
    String mac,
    InetAddress ip,
    InetAddress nextHop,
    long sequence,
    boolean sticky,
    boolean best,
    String source,
    String esi)
{
}
