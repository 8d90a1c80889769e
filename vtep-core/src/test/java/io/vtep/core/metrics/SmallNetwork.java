package io.vtep.core.metrics;

import static io.vtep.core.testing.TestNetwork.HOST_1;
import static io.vtep.core.testing.TestNetwork.HOST_2;
import static io.vtep.core.testing.TestNetwork.HOST_3;
import static io.vtep.core.testing.TestNetwork.IPV4_OVERHEAD;
import static io.vtep.core.testing.TestNetwork.LOCAL;
import static io.vtep.core.testing.TestNetwork.REMOTE_HOST;
import static io.vtep.core.testing.TestNetwork.VTEP_B;
import static io.vtep.core.testing.TestNetwork.VTEP_C;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.pipeline.AccessPipeline;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.DataPlane;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.OverlayPipeline;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.pipeline.VniContext;
import io.vtep.core.port.FrameBatch;
import io.vtep.core.testing.EthernetFrames;
import io.vtep.core.testing.RecordingPort;
import io.vtep.core.testing.RecordingTransmitter;
import io.vtep.encap.SourcePortRange;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;

/**
 * A small configured data plane with recording ports, driven through the real pipelines.
 *
 * <p>Port eth1: untagged → VNI 100, VLAN 10 → VNI 200; port eth2: untagged → VNI 100.
 * VNI 100 floods to 192.0.2.2 (VTEP B); VNI 200 has no flood list. Underlay MTU 1500, IPv4.
 */
final class SmallNetwork
{
    static final int VTEP_CAPACITY = 64;

    final RecordingPort eth1 = new RecordingPort("eth1");
    final RecordingPort eth2 = new RecordingPort("eth2");
    final RecordingTransmitter underlay = new RecordingTransmitter();
    final Fdb fdb;
    final ForwardingTables tables;
    final CounterSnapshotSource counters;
    final VniContext vni100;
    final VniContext vni200;
    final AccessPipeline fromEth1;
    final AccessPipeline fromEth2;
    final OverlayPipeline fromOverlay;
    final long now = 1_000_000_000L;

    SmallNetwork(final int macLimit100)
    {
        this(FdbSettings.defaults(), macLimit100);
    }

    /** With other FDB settings (a manual clock, short ageing); the remote VTEP capacity stays {@link #VTEP_CAPACITY}. */
    SmallNetwork(final FdbSettings settings, final int macLimit100)
    {
        fdb = new Fdb(settings.withRemoteVtepCapacity(VTEP_CAPACITY));
        fdb.addVni(100, LearningMode.DATA_PLANE, macLimit100, null);
        fdb.addVni(200, LearningMode.DATA_PLANE, 0, null);
        fdb.setFloodList(100, new RemoteVtep[] {fdb.remoteVteps().intern(VTEP_B)});
        tables = new ForwardingTables(fdb);
        vni100 = tables.addVni(100);
        vni200 = tables.addVni(200);
        final PortContext port1 = tables.addPort(eth1);
        final PortContext port2 = tables.addPort(eth2);
        tables.attach(port1, Attachment.UNTAGGED, vni100);
        tables.attach(port1, 10, vni200);
        tables.attach(port2, Attachment.UNTAGGED, vni100);
        counters = new CounterSnapshotSource(new CounterLayout(tables.vnis().size(), VTEP_CAPACITY));
        final DataPlane plane = new DataPlane(tables, counters, LOCAL, 4789, 64, SourcePortRange.DEFAULT, 1500, underlay);
        fromEth1 = plane.accessPipeline(port1);
        fromEth2 = plane.accessPipeline(port2);
        fromOverlay = plane.overlayPipeline();
    }

    SmallNetwork()
    {
        this(0);
    }

    /** An Ethernet frame of {@code length} bytes in all: destination, source, EtherType 0x0800, payload. */
    static byte[] frame(final long destination, final long source, final int length)
    {
        return EthernetFrames.ethernet(destination, source, length);
    }

    static byte[] tagged(final byte[] untagged, final int vlan)
    {
        return EthernetFrames.tagged(untagged, vlan);
    }

    /** Receives the frame {@code times} times on an access port, in batches, then runs the FDB writer. */
    void receiveOnAccess(final AccessPipeline pipeline, final byte[] frame, final int times)
    {
        final FrameBatch batch = new FrameBatch(16);
        int left = times;
        while (left > 0)
        {
            batch.clear();
            final int count = Math.min(left, batch.capacity());
            for (int i = 0; i < count; i++)
            {
                batch.buffer().putBytes(batch.slotFrameOffset(i), frame);
                batch.add(batch.slotFrameOffset(i), frame.length);
            }
            pipeline.process(batch, now);
            left -= count;
            fdb.conductor().doWork();
        }
    }

    /** Receives a VXLAN packet (UDP payload: 8-byte VXLAN header + inner frame) from {@code source}. */
    void receiveFromOverlay(final int source, final int vni, final int flags, final byte[] inner, final int times)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(8 + inner.length + 64));
        final int offset = 32;
        for (int i = 0; i < times; i++)
        {
            // The pipeline may write in front of and into the packet (tags for local delivery): rebuild it each time.
            buffer.setMemory(0, buffer.capacity(), (byte)0);
            buffer.putByte(offset, (byte)flags);
            buffer.putByte(offset + 4, (byte)(vni >> 16));
            buffer.putByte(offset + 5, (byte)(vni >> 8));
            buffer.putByte(offset + 6, (byte)vni);
            buffer.putBytes(offset + 8, inner);
            fromOverlay.onIpv4Datagram(buffer, offset, 8 + inner.length, source, now);
        }
        fdb.conductor().doWork();
    }
}
