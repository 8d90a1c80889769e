package io.vtep.core.pipeline;

import io.vtep.core.underlay.SegmentTransmitter;
import io.vtep.core.underlay.UnderlayTransmitter;
import io.vtep.encap.EthernetHeader;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;
import io.vtep.encap.VxlanEncapsulator;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DataPathCounters;

/**
 * Makes the pipelines, one set per data-path thread: each thread gets its own counter block,
 * encapsulator and delivery helpers, so that threads share only read-mostly tables (docs/architecture.md §3).
 */
public final class DataPlane
{
    private final ForwardingTables tables;
    private final CounterSnapshotSource counters;
    private final VtepAddress localAddress;
    private final int udpPort;
    private final int ttl;
    private final SourcePortRange sourcePorts;
    private final int underlayMtu;
    private boolean coalesceTcp;
    private final UnderlayTransmitter transmitter;
    private NeighborQueue neighborQueue;
    private SegmentTransmitter segmentTransmitter;

    public DataPlane(final ForwardingTables tables, final CounterSnapshotSource counters, final VtepAddress localAddress,
        final int udpPort, final int ttl, final SourcePortRange sourcePorts, final int underlayMtu,
        final UnderlayTransmitter transmitter)
    {
        this.tables = tables;
        this.counters = counters;
        this.localAddress = localAddress;
        this.udpPort = udpPort;
        this.ttl = ttl;
        this.sourcePorts = sourcePorts;
        this.underlayMtu = underlayMtu;
        this.transmitter = transmitter;
    }

    public ForwardingTables tables()
    {
        return tables;
    }

    public CounterSnapshotSource counters()
    {
        return counters;
    }

    /**
     * Turns ARP / Neighbor Discovery snooping on (or off with null) for the access pipelines made
     * after this call: they offer the (VNI, MAC, IP) bindings they see to {@code queue}, for EVPN
     * MAC/IP routes (RFC 7432 §7.2). Call before {@link #accessPipeline}; off by default.
     *
     * @return this
     */
    public DataPlane neighborQueue(final NeighborQueue queue)
    {
        this.neighborQueue = queue;
        return this;
    }

    /**
     * Lets the overlay pipelines made after this call coalesce TCP segments for af-packet access
     * ports ({@link TcpSegmentCoalescer}; off unless asked).
     *
     * @return this
     */
    public DataPlane coalesceTcp(final boolean coalesce)
    {
        this.coalesceTcp = coalesce;
        return this;
    }

    /**
     * Lets the access pipelines made after this call send the segments of a super-frame as UDP GSO
     * datagrams (or not, with null: the default).
     *
     * @return this
     */
    public DataPlane segmentTransmitter(final SegmentTransmitter transmitter)
    {
        this.segmentTransmitter = transmitter;
        return this;
    }

    /** @return the queue snooped neighbours go to, or null when snooping is off */
    public NeighborQueue neighborQueue()
    {
        return neighborQueue;
    }

    /** The pipeline for the receive thread of one access port. */
    public AccessPipeline accessPipeline(final PortContext port)
    {
        final DataPathCounters block = counters.newBlock();
        final OverlayTransmit overlay = new OverlayTransmit(
            new VxlanEncapsulator(localAddress, udpPort, ttl), sourcePorts, underlayMtu, transmitter, segmentTransmitter,
            block);
        // Frames from a local port are wire frames already (super-frames are segmented on receipt):
        // only the port's own MTU bounds them.
        return new AccessPipeline(port, tables, new LocalDelivery(block, Integer.MAX_VALUE), overlay, block, neighborQueue);
    }

    /** The pipeline for the underlay receive thread. */
    public OverlayPipeline overlayPipeline()
    {
        final DataPathCounters block = counters.newBlock();
        final LocalDelivery local = new LocalDelivery(block, overlayMtu());
        return new OverlayPipeline(tables, localAddress, local, block, coalesceTcp ? new TcpSegmentCoalescer(local) : null);
    }

    /** The largest inner IP packet the underlay carries: what a frame from the overlay can be at most, on a real wire. */
    private int overlayMtu()
    {
        // outer IP + UDP + VXLAN, then the inner Ethernet header: 1500 - 36 - 14 = 1450 on IPv4
        return underlayMtu - (localAddress.isIpv6() ? VxlanEncapsulator.IPV6_OVERHEAD : VxlanEncapsulator.IPV4_OVERHEAD) -
            EthernetHeader.LENGTH;
    }
}
