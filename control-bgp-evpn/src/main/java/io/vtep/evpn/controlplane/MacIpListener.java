package io.vtep.evpn.controlplane;

import java.net.InetAddress;

import io.vtep.evpn.codec.nlri.EvpnRouteKey;

/**
 * Told of every received MAC/IP Advertisement route with an IP that becomes or stops being the best
 * path of its key in a local VNI: the bindings ARP/ND suppression answers from (RFC 7432 §10).
 * Called on the EVPN control thread; must not block for long.
 */
@FunctionalInterface
public interface MacIpListener
{
    /**
     * @param vni        the local VNI the route is imported into.
     * @param route      the route's key: one IP may be advertised under several keys (VTEPs) at once.
     * @param mac        the MAC, low 48 bits.
     * @param ip         the IP bound to it.
     * @param proxyFlags {@link io.vtep.evpn.rib.EvpnPath#PROXY_ROUTER} and {@link io.vtep.evpn.rib.EvpnPath#PROXY_OVERRIDE}.
     * @param add        true when the route became best, false when it is withdrawn (or no longer best).
     */
    void macIpChanged(int vni, EvpnRouteKey route, long mac, InetAddress ip, int proxyFlags, boolean add);
}
