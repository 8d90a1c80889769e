package io.vtep.core.pipeline;

import io.vtep.core.underlay.UnderlayTransmitter;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;
import io.vtep.encap.VxlanEncapsulator;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DataPathCounters;

/**
 * Makes the pipelines, one set per data-path thread: each thread gets its own counter block,
 * encapsulator and delivery helpers, so that threads share only read-mostly tables (DESIGN.md §3).
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
    private final UnderlayTransmitter transmitter;

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

    /** The pipeline for the receive thread of one access port. */
    public AccessPipeline accessPipeline(final PortContext port)
    {
        final DataPathCounters block = counters.newBlock();
        final OverlayTransmit overlay = new OverlayTransmit(
            new VxlanEncapsulator(localAddress, udpPort, ttl), sourcePorts, underlayMtu, transmitter, block);
        return new AccessPipeline(port, tables, new LocalDelivery(block), overlay, block);
    }

    /** The pipeline for the underlay receive thread. */
    public OverlayPipeline overlayPipeline()
    {
        final DataPathCounters block = counters.newBlock();
        return new OverlayPipeline(tables, localAddress, new LocalDelivery(block), block);
    }
}
