package io.vtep.core.app;

import org.agrona.concurrent.Agent;

import io.vtep.core.pipeline.NeighborBindings;
import io.vtep.core.pipeline.NeighborHandler;
import io.vtep.core.pipeline.NeighborQueue;
import io.vtep.evpn.controlplane.EvpnControlPlane;

/**
 * Moves the IPs the access pipelines saw in ARP and ND (RFC 7432 §7.2: a MAC/IP route carries the
 * IP when it is known) from the data path's {@link NeighborQueue} to the EVPN control plane and to
 * the local bindings that answer ARP/ND suppression (RFC 7432 §10), as the Linux bridge answers
 * from its own. An Agrona {@link Agent} on a thread of its own ({@code vtep-evpn-neighbors}): never
 * a data-path thread, and the RIB's thread only takes them from its own command queue.
 *
 * <p>It moves them only while the RIB keeps up ({@link EvpnControlPlane#acceptsNeighbors}):
 * otherwise the offers wait (and, when it is full, are dropped and counted) in the data path's
 * bounded queue, not in an unbounded one.
 *
 * <h2>Why it does not ask to be woken</h2>
 * When idle it sleeps its idle strategy's whole period (100 ms) and does not register for the
 * queue's wake-up: an IP only enriches a route, so the latency is cheap, and a burst of ARP is
 * handed over in one go. A neighbour is snooped from the same frame whose source MAC is learned,
 * and the MAC reaches the RIB the long way (learn queue, {@code fdb-conductor}, the FDB event
 * queue), so the IP may come first; the RIB holds it until the MAC is local
 * ({@code PendingNeighbors}; before it did, an IP handed over at once was lost until the host's
 * next ARP, seen in {@code EvpnFrrTest}).
 */
final class NeighborHandOff implements Agent
{
    /** Neighbours per duty cycle at most, so that a flood of ARP does not hold the RIB's queue. */
    static final int DRAIN_LIMIT = 1024;

    private final NeighborQueue neighbors;
    private final EvpnControlPlane evpn;
    private final NeighborHandler handler;

    NeighborHandOff(final NeighborQueue neighbors, final EvpnControlPlane evpn, final NeighborBindings bindings)
    {
        this.neighbors = neighbors;
        this.evpn = evpn;
        this.handler = (vni, mac, ip) ->
        {
            bindings.local(vni, mac, ip);
            evpn.neighborLearned(vni, mac, ip);
        };
    }

    @Override
    public int doWork()
    {
        if (!evpn.acceptsNeighbors())
        {
            return 0; // look again after the idle period
        }
        return neighbors.drain(handler, DRAIN_LIMIT);
    }

    @Override
    public String roleName()
    {
        return "vtep-evpn-neighbors";
    }
}
