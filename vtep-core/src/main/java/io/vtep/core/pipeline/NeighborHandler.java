package io.vtep.core.pipeline;

import java.net.InetAddress;

/**
 * Receives the neighbours (MAC + IP bindings of hosts behind local access ports) that the access
 * pipelines snooped from ARP and IPv6 Neighbor Discovery, for the EVPN MAC/IP Advertisement route
 * (RFC 7432 §7.2: a type-2 route may carry the IP address of the MAC).
 *
 * <p>Called on the control thread that drains the {@link NeighborQueue}; allocation is allowed there.
 */
@FunctionalInterface
public interface NeighborHandler
{
    /**
     * @param vni the VNI of the access attachment the frame arrived on
     * @param mac the host's MAC address in the low 48 bits
     * @param ip  the host's IPv4 or IPv6 address (never the unspecified address)
     */
    void neighbor(int vni, long mac, InetAddress ip);
}
