package io.vtep.core.app;

import org.agrona.concurrent.Agent;

import io.vtep.core.pipeline.NeighborBindings;
import io.vtep.core.pipeline.NeighborHandler;
import io.vtep.core.pipeline.NeighborQueue;
import io.vtep.evpn.vtep.EvpnControlPlane;

/**
 * Moves the IPs the access pipelines saw in ARP and ND (RFC 7432 §7.2: a MAC/IP route carries the
 * IP when it is known) from the data path's {@link NeighborQueue} to the EVPN control plane and to
 * the local bindings that answer ARP/ND suppression (RFC 7432 §10), as the Linux bridge answers
 * from its own. An Agrona {@link Agent} on a thread of its own ({@code vtep-evpn-neighbors}): never
 * a data-path thread, and the RIB's thread only takes them from its own command queue.
 *
 * <p>It moves them only while the RIB keeps up ({@link EvpnControlPlane#acceptsNeighbors}):
 * otherwise the offers wait (and, when it is full, are dropped and counted) in the data path's
 * bounded queue, not in an unbounded one. When idle it parks until a pipeline offers a neighbour
 * ({@code RecordQueue}'s wake-up) or its idle strategy's period ends, which is also when it looks
 * again after the RIB fell behind.
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
    public void onStart()
    {
        neighbors.consumer(Thread.currentThread());
    }

    @Override
    public int doWork()
    {
        if (!evpn.acceptsNeighbors())
        {
            return 0; // not idle for the queue: no wake-up, look again after the idle period
        }
        int work = neighbors.drain(handler, DRAIN_LIMIT);
        if (work == 0)
        {
            // About to park: say so, then look once more (RecordQueue, "The wake-up").
            neighbors.consumerIdle();
            work = neighbors.drain(handler, DRAIN_LIMIT);
        }
        if (work > 0)
        {
            neighbors.consumerBusy();
        }
        return work;
    }

    @Override
    public void onClose()
    {
        neighbors.consumer(null);
    }

    @Override
    public String roleName()
    {
        return "vtep-evpn-neighbors";
    }
}
