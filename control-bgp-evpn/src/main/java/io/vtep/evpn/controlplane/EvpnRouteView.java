package io.vtep.evpn.controlplane;

import java.net.InetAddress;

/**
 * One path of the RIB as the HTTP API and CLI show it ({@code show bgp l2vpn evpn} style).
 *
 * @param type       route type, 2 or 3.
 * @param rd         route distinguisher, as text.
 * @param vni        the local VNI the route belongs to.
 * @param mac        the MAC as {@code 02:00:00:00:00:01}, or null for type 3.
 * @param ip         the IP of a MAC+IP route, or null.
 * @param nextHop    the VTEP behind the route.
 * @param sequence   MAC mobility sequence.
 * @param sticky     sticky (static) MAC.
 * @param best       whether it is the best path to its route.
 * @param source     {@code local} or the neighbor's address.
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
    String source)
{
}
