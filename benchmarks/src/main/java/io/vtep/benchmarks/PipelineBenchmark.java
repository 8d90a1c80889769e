package io.vtep.benchmarks;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import io.vtep.core.pipeline.AccessPipeline;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.DataPlane;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.NeighborQueue;
import io.vtep.core.pipeline.OverlayPipeline;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.pipeline.VniContext;
import io.vtep.core.port.FrameBatch;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.UdpHeader;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;

/**
 * The forwarding pipeline of {@code io.vtep.core.pipeline} end to end, with ports and underlay
 * replaced by objects that only count (no system calls), counters on as in production.
 *
 * <p>Topology: VNI 100 on ports eth1 and eth2 (both untagged), flood list 192.0.2.2 and
 * 192.0.2.3; the remote host 02:00:00:00:00:0b is learned behind 192.0.2.2, the local hosts
 * 02:00:00:00:01:0[0-3] on eth1.
 *
 * <ul>
 *   <li>{@code accessUnicastBatch}: {@link AccessPipeline#process} of one batch of 32 untagged
 *   IPv4/UDP frames from eth1 to the remote host (32 flows): per frame, VLAN → VNI, learn refresh
 *   of the source MAC, destination lookup, flow hash, IPv4 encapsulation and the send. One op is
 *   one batch of 32 frames.</li>
 *   <li>{@code overlayDeliver}: {@link OverlayPipeline#onIpv4Datagram} of one VXLAN packet from
 *   192.0.2.2 to a host on eth1: VXLAN decode, VNI lookup, learn refresh of the inner source,
 *   destination lookup and delivery to the port. One op is one packet.</li>
 * </ul>
 *
 * <p>There is no variant without counters: the pipeline bumps its {@code DataPathCounters}
 * unconditionally and offers no way to leave them out, so every figure includes them.
 */
public class PipelineBenchmark extends AverageTimeBenchmark
{
    static final int BATCH = 32;
    static final int VNI = 100;
    static final VtepAddress LOCAL = VtepAddress.parse("192.0.2.1");
    static final VtepAddress VTEP_B = VtepAddress.parse("192.0.2.2");
    static final VtepAddress VTEP_C = VtepAddress.parse("192.0.2.3");
    static final long REMOTE_HOST = 0x0200_0000_000BL;
    static final long LOCAL_HOST_BASE = 0x0200_0000_0100L;
    static final int LOCAL_HOSTS = 4;
    /** Simulated time per op. */
    static final long TICK_NANOS = 1_000;

    @Param({"64", "1400"})
    int frameLength;

    /** ARP/ND snooping into a NeighborQueue on the access pipeline: its cost on ordinary (IPv4) traffic. */
    @Param({"false", "true"})
    boolean neighborSnooping;

    final CountingPort eth1 = new CountingPort("eth1");
    final CountingPort eth2 = new CountingPort("eth2");
    final CountingTransmitter underlay = new CountingTransmitter();
    Fdb fdb;
    CounterSnapshotSource counters;
    VniContext vni;
    AccessPipeline fromEth1;
    OverlayPipeline fromOverlay;
    FrameBatch batch;
    UnsafeBuffer overlayBuffer;
    int overlayOffset;
    int overlayLength;
    int vtepB;
    long now;

    @Setup
    public void setUp()
    {
        fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(VNI, LearningMode.DATA_PLANE, 0, null);
        final RemoteVtep b = fdb.remoteVteps().intern(VTEP_B);
        vtepB = b.index();
        fdb.setFloodList(VNI, new RemoteVtep[] {b, fdb.remoteVteps().intern(VTEP_C)});

        final ForwardingTables tables = new ForwardingTables(fdb);
        vni = tables.addVni(VNI);
        final PortContext port1 = tables.addPort(eth1);
        final PortContext port2 = tables.addPort(eth2);
        final Attachment eth1Untagged = tables.attach(port1, Attachment.UNTAGGED, vni);
        tables.attach(port2, Attachment.UNTAGGED, vni);
        counters = new CounterSnapshotSource(new CounterLayout(1, 16));
        final DataPlane plane = new DataPlane(
            tables, counters, LOCAL, UdpHeader.VXLAN_PORT, 64, SourcePortRange.DEFAULT, 1500, underlay);
        fromEth1 = plane.neighborQueue(neighborSnooping ? new NeighborQueue(1024) : null).accessPipeline(port1);
        fromOverlay = plane.overlayPipeline();
        now = fdb.clock().nanoTime();

        // The overlay packet: from the remote host behind B to local host 0 on eth1.
        overlayBuffer = Frames.nativeBuffer(4096);
        overlayOffset = 64;
        overlayLength = Frames.putVxlanPayload(
            overlayBuffer, overlayOffset, VNI, frameLength, LOCAL_HOST_BASE, REMOTE_HOST, 7);

        // The access batch: 32 flows from the local hosts to the remote host.
        batch = new FrameBatch(BATCH);
        for (int i = 0; i < BATCH; i++)
        {
            final int offset = batch.slotFrameOffset(i);
            Frames.putIpv4UdpFrame(batch.buffer(), offset, frameLength, REMOTE_HOST, LOCAL_HOST_BASE + (i % LOCAL_HOSTS), i);
            batch.add(offset, frameLength);
        }

        // Learn everything once, as the first packets of each conversation would: the remote
        // host from the overlay (flooded, its destination not known yet), then the local hosts.
        fromOverlay.onIpv4Datagram(overlayBuffer, overlayOffset, overlayLength, VTEP_B.ipv4(), now);
        drain();
        fromEth1.process(batch, now);
        drain();

        final long remoteEntry = vni.fdb().lookup(REMOTE_HOST);
        if (!FdbEntry.isRemote(remoteEntry) || FdbEntry.vtepIndex(remoteEntry) != vtepB)
        {
            throw new IllegalStateException("remote host not learned behind " + VTEP_B);
        }
        for (int h = 0; h < LOCAL_HOSTS; h++)
        {
            final long entry = vni.fdb().lookup(LOCAL_HOST_BASE + h);
            if (!FdbEntry.isLocal(entry) || FdbEntry.attachment(entry) != eth1Untagged.id())
            {
                throw new IllegalStateException("local host " + h + " not learned on eth1");
            }
        }
        if (underlay.packets != BATCH)
        {
            throw new IllegalStateException("the batch did not go to " + VTEP_B + " as unicast: " + underlay.packets);
        }
        resetPorts();
    }

    private void drain()
    {
        while (fdb.conductor().doWork() > 0)
        {
            // apply the learn events
        }
    }

    private void resetPorts()
    {
        eth1.frames = 0;
        eth2.frames = 0;
        underlay.packets = 0;
    }

    /** Every frame went where it should, and nothing was dropped or flooded. */
    @TearDown(Level.Iteration)
    public void check()
    {
        if (eth2.frames != 0 || (underlay.packets % BATCH) != 0 || counters.vniFloodPackets(vni.slot()) != 1)
        {
            throw new IllegalStateException("unexpected forwarding: eth2=" + eth2.frames + ", underlay=" + underlay.packets +
                ", floods=" + counters.vniFloodPackets(vni.slot()));
        }
        for (final DropReason reason : DropReason.values())
        {
            if (counters.drops(reason) != 0 || counters.vniDrops(vni.slot(), reason) != 0)
            {
                throw new IllegalStateException("dropped: " + reason.label());
            }
        }
        if (fdb.vni(VNI).learnQueueDrops() != 0 || counters.vtepTxPackets(vtepB) != counters.vniTxPackets(vni.slot(), Side.OVERLAY))
        {
            throw new IllegalStateException("learn queue overflowed or traffic went to the wrong VTEP");
        }
        resetPorts();
    }

    @Benchmark
    public long accessUnicastBatch()
    {
        now += TICK_NANOS;
        fromEth1.process(batch, now);
        return underlay.packets;
    }

    @Benchmark
    public long overlayDeliver()
    {
        now += TICK_NANOS;
        fromOverlay.onIpv4Datagram(overlayBuffer, overlayOffset, overlayLength, VTEP_B.ipv4(), now);
        return eth1.frames;
    }
}
