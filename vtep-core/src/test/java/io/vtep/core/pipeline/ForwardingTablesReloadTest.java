package io.vtep.core.pipeline;

import static io.vtep.core.testing.TestNetwork.HOST_1;
import static io.vtep.core.testing.TestNetwork.LOCAL;
import static io.vtep.core.testing.TestNetwork.VTEP_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.port.FrameBatch;
import io.vtep.core.testing.EthernetFrames;
import io.vtep.core.testing.RecordingPort;
import io.vtep.core.testing.RecordingTransmitter;
import io.vtep.encap.MacAddress;
import io.vtep.encap.SourcePortRange;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DropReason;

/**
 * The forwarding tables changed while pipelines run (a configuration reload): a VNI added and
 * mapped to VLANs, a VLAN unmapped, the VNI removed and added back, all seen by the pipelines that
 * were built before.
 */
class ForwardingTablesReloadTest
{

    private final RecordingPort eth1 = new RecordingPort("eth1");
    private final RecordingPort eth2 = new RecordingPort("eth2");
    private Fdb fdb;
    private ForwardingTables tables;
    private PortContext port1;
    private PortContext port2;
    private CounterSnapshotSource counters;
    private io.vtep.core.pipeline.AccessPipeline fromEth1;
    private OverlayPipeline fromOverlay;

    @BeforeEach
    void buildTables()
    {
        fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        tables = new ForwardingTables(fdb);
        final VniContext vni100 = tables.addVni(100);
        port1 = tables.addPort(eth1);
        port2 = tables.addPort(eth2);
        tables.attach(port1, Attachment.UNTAGGED, vni100);
        tables.attach(port2, Attachment.UNTAGGED, vni100);
        counters = new CounterSnapshotSource(new CounterLayout(4, 16));
        final DataPlane plane = new DataPlane(tables, counters, LOCAL, 4789, 64, SourcePortRange.DEFAULT, 1500,
            new RecordingTransmitter());
        fromEth1 = plane.accessPipeline(port1);
        fromOverlay = plane.overlayPipeline();
    }

    private void broadcastOnEth1(final int vlan)
    {
        final byte[] frame = EthernetFrames.tagged(EthernetFrames.ethernet(MacAddress.BROADCAST, HOST_1, 64), vlan);
        final FrameBatch batch = new FrameBatch(1);
        batch.buffer().putBytes(batch.slotFrameOffset(0), frame);
        batch.add(batch.slotFrameOffset(0), frame.length);
        fromEth1.process(batch, 1_000_000_000L);
        fdb.conductor().doWork();
    }

    private void vxlanFromB(final int vni)
    {
        final byte[] inner = EthernetFrames.ethernet(MacAddress.BROADCAST, MacAddress.parse("02:00:00:00:00:0b"), 64);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(8 + inner.length + 64));
        buffer.putByte(32, (byte)0x08);
        buffer.putByte(36, (byte)(vni >> 16));
        buffer.putByte(37, (byte)(vni >> 8));
        buffer.putByte(38, (byte)vni);
        buffer.putBytes(40, inner);
        fromOverlay.onIpv4Datagram(buffer, 32, 8 + inner.length, VTEP_B.ipv4(), 1_000_000_000L);
        fdb.conductor().doWork();
    }

    @Test
    void aVniAddedMappedUnmappedRemovedAndAddedBack()
    {
        broadcastOnEth1(20);
        assertEquals(1, counters.drops(DropReason.UNKNOWN_VLAN), "VLAN 20 is not mapped yet");

        fdb.addVni(200, LearningMode.DATA_PLANE, 0, null);
        final VniContext vni200 = tables.addVni(200);
        assertEquals(1, vni200.slot());
        tables.attach(port1, 20, vni200);
        tables.attach(port2, 20, vni200);
        broadcastOnEth1(20);
        assertEquals(1, eth2.sent.size(), "flooded to eth2's VLAN 20 by the pipeline built before VNI 200 existed");
        assertEquals(1, counters.vniFloodPackets(vni200.slot()));

        final Attachment unmapped = tables.detach(port2, 20);
        assertSame(port2.port(), unmapped.port());
        assertNull(port2.attachment(20));
        assertEquals(List.of(port1.attachment(20)), List.of(vni200.members()));
        assertSame(unmapped, tables.attachment(unmapped.id()), "ids stay valid: the FDB may still name it");
        broadcastOnEth1(20);
        assertEquals(1, eth2.sent.size(), "eth2's VLAN 20 no longer gets VNI 200's floods");

        assertThrows(IllegalStateException.class, () -> tables.removeVni(200), "eth1's VLAN 20 is still attached");
        tables.detach(port1, 20);
        assertSame(vni200, tables.removeVni(200));
        assertNull(tables.vni(200));
        vxlanFromB(200);
        assertEquals(1, counters.drops(DropReason.UNKNOWN_VNI));
        broadcastOnEth1(20);
        assertEquals(2, counters.drops(DropReason.UNKNOWN_VLAN));
        assertEquals(List.of(100), tables.vnis().stream().map(VniContext::vni).toList());

        final VniContext again = tables.addVni(200);
        assertEquals(1, again.slot(), "a VNI added back counts on in its old row");
        assertEquals(2, tables.bySlot().size());
        assertEquals(List.of(100, 200), tables.vnis().stream().map(VniContext::vni).toList());
        vxlanFromB(200);
        assertEquals(1, counters.drops(DropReason.UNKNOWN_VNI), "accepted again");
    }
}
