package io.vtep.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.testing.EthernetFrames;
import io.vtep.core.testing.PipelineInput;
import io.vtep.core.testing.RecordingPort;
import io.vtep.core.testing.RecordingTransmitter;
import io.vtep.encap.MacAddress;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DropReason;

/**
 * EVPN multihoming in the pipelines: the designated-forwarder filter (RFC 7432 §8.5) and local bias
 * (RFC 8365 §8.3.1) on BUM from the overlay, nothing of either on known unicast or on BUM from local ports.
 *
 * <p>Topology: es1 is a link of an Ethernet segment that VTEP B is attached to as well; eth2 is
 * single-homed; both untagged in VNI 100, which floods to B and C.
 */
class SegmentForwardingTest
{
    private static final VtepAddress LOCAL = VtepAddress.parse("192.0.2.1");
    private static final VtepAddress VTEP_B = VtepAddress.parse("192.0.2.2");
    private static final VtepAddress VTEP_C = VtepAddress.parse("192.0.2.3");
    private static final long SERVER = MacAddress.parse("02:00:00:00:00:01");
    private static final long HOST_2 = MacAddress.parse("02:00:00:00:00:02");
    private static final long REMOTE_HOST = MacAddress.parse("02:00:00:00:00:0b");

    private final RecordingPort es1 = new RecordingPort("es1");
    private final RecordingPort eth2 = new RecordingPort("eth2");
    private final RecordingTransmitter underlay = new RecordingTransmitter();
    private Fdb fdb;
    private CounterSnapshotSource counters;
    private AccessPipeline fromEs1;
    private AccessPipeline fromEth2;
    private OverlayPipeline fromOverlay;
    private Attachment segment;
    private VniContext vni100;
    private RemoteVtep vtepB;
    private final long now = 1_000_000_000L;

    @BeforeEach
    void buildTables()
    {
        fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        vtepB = fdb.remoteVteps().intern(VTEP_B);
        fdb.setFloodList(100, new RemoteVtep[] {vtepB, fdb.remoteVteps().intern(VTEP_C)});
        final ForwardingTables tables = new ForwardingTables(fdb);
        vni100 = tables.addVni(100);
        final PortContext port1 = tables.addPort(es1);
        final PortContext port2 = tables.addPort(eth2);
        segment = tables.attach(port1, Attachment.UNTAGGED, vni100);
        tables.attach(port2, Attachment.UNTAGGED, vni100);
        counters = new CounterSnapshotSource(new CounterLayout(1, 16));
        final DataPlane plane = new DataPlane(tables, counters, LOCAL, 4789, 64, SourcePortRange.DEFAULT, 1500, underlay);
        fromEs1 = plane.accessPipeline(port1);
        fromEth2 = plane.accessPipeline(port2);
        fromOverlay = plane.overlayPipeline();
    }

    @Test
    void aNonDesignatedForwarderKeepsOverlayBumOffTheSegment()
    {
        segment.segment(new SegmentFilter(false, new int[] {vtepB.index()}));

        fromOverlay(VTEP_C, EthernetFrames.ethernet(MacAddress.BROADCAST, REMOTE_HOST, 60));

        assertTrue(es1.sent.isEmpty(), "the DF (the other gateway) sends the server its copy");
        assertEquals(1, eth2.sent.size(), "single-homed ports flood as before");
        assertEquals(1, counters.vniDrops(vni100.slot(), DropReason.NOT_DESIGNATED_FORWARDER));
    }

    @Test
    void theDesignatedForwarderFloodsOntoTheSegmentExceptWhatAVtepOnTheSegmentSent()
    {
        segment.segment(new SegmentFilter(true, new int[] {vtepB.index()}));

        fromOverlay(VTEP_C, EthernetFrames.ethernet(MacAddress.BROADCAST, REMOTE_HOST, 60));
        assertEquals(1, es1.sent.size(), "DF: a broadcast from C reaches the server");

        // B is on the segment: it delivered the frame there itself (from the server's other link it would be an echo).
        fromOverlay(VTEP_B, EthernetFrames.ethernet(MacAddress.BROADCAST, SERVER, 60));
        assertEquals(1, es1.sent.size(), "local bias: never back onto the segment");
        assertEquals(2, eth2.sent.size());
        assertEquals(1, counters.vniDrops(vni100.slot(), DropReason.LOCAL_BIAS));
    }

    @Test
    void knownUnicastFromTheOverlayReachesTheSegmentWhateverTheDf()
    {
        segment.segment(new SegmentFilter(false, new int[] {vtepB.index()}));
        fromAccess(fromEs1, EthernetFrames.ethernet(REMOTE_HOST, SERVER, 60));
        es1.sent.clear();

        // Aliasing: a remote VTEP may pick this gateway for the server's MAC; it must deliver.
        fromOverlay(VTEP_C, EthernetFrames.ethernet(SERVER, REMOTE_HOST, 60));
        assertEquals(1, es1.sent.size());
    }

    @Test
    void bumFromALocalPortGoesOntoTheSegmentWhateverTheDf()
    {
        segment.segment(new SegmentFilter(false, new int[] {vtepB.index()}));

        fromAccess(fromEth2, EthernetFrames.ethernet(MacAddress.BROADCAST, HOST_2, 60));

        assertEquals(1, es1.sent.size(), "RFC 8365 §8.3.1: locally received BUM is delivered by local bias, not by the DF");
        assertEquals(2, underlay.sent.size(), "and to the flood list");
    }

    @Test
    void flowsToAMacOfARemoteSegmentSpreadOverItsAliasGroup()
    {
        // RFC 7432 §8.4: REMOTE_HOST is on a segment of B and C; its route came from B.
        final RemoteVtep vtepC = fdb.remoteVteps().intern(VTEP_C);
        fdb.aliasGroups().set(1, new RemoteVtep[] {vtepB, vtepC});
        fdb.putEvpn(100, REMOTE_HOST, vtepB, false, 1);
        fdb.conductor().doWork();

        final java.util.Map<String, Integer> perVtep = new java.util.TreeMap<>();
        for (int flow = 0; flow < 32; flow++)
        {
            underlay.sent.clear();
            fromAccess(fromEth2, udpFrame(REMOTE_HOST, HOST_2, 1000 + flow));
            fromAccess(fromEth2, udpFrame(REMOTE_HOST, HOST_2, 1000 + flow));
            assertEquals(2, underlay.sent.size());
            final String first = destinationOf(underlay.sent.get(0));
            assertEquals(first, destinationOf(underlay.sent.get(1)), "one flow, one gateway (no reordering)");
            perVtep.merge(first, 1, Integer::sum);
        }
        assertEquals(java.util.Set.of("192.0.2.2", "192.0.2.3"), perVtep.keySet(), "flows over both gateways: " + perVtep);

        // Mass withdrawal: C alone is left in the group; every flow goes there at once.
        fdb.aliasGroups().set(1, new RemoteVtep[] {vtepC});
        underlay.sent.clear();
        for (int flow = 0; flow < 8; flow++)
        {
            fromAccess(fromEth2, udpFrame(REMOTE_HOST, HOST_2, 1000 + flow));
        }
        assertEquals(8, underlay.sent.stream().filter(packet -> destinationOf(packet).equals("192.0.2.3")).count());
    }

    /** An IPv4/UDP frame 10.0.0.2:{@code sourcePort} → 10.0.0.11:9 with 18 bytes of payload. */
    private static byte[] udpFrame(final long destination, final long source, final int sourcePort)
    {
        final byte[] frame = EthernetFrames.ethernet(destination, source, 14 + 20 + 8 + 18);
        frame[12] = 0x08;
        frame[13] = 0x00;
        final byte[] ip = {0x45, 0, 0, 46, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 11};
        System.arraycopy(ip, 0, frame, 14, ip.length);
        frame[34] = (byte)(sourcePort >> 8);
        frame[35] = (byte)sourcePort;
        frame[37] = 9;
        frame[39] = 26;
        return frame;
    }

    private static String destinationOf(final byte[] outerIpv4Packet)
    {
        return (outerIpv4Packet[16] & 0xFF) + "." + (outerIpv4Packet[17] & 0xFF) + "." + (outerIpv4Packet[18] & 0xFF) + "." +
            (outerIpv4Packet[19] & 0xFF);
    }

    private void fromOverlay(final VtepAddress vtep, final byte[] inner)
    {
        final UnsafeBuffer buffer = PipelineInput.vxlanPayload(0x08, 100, inner);
        fromOverlay.onIpv4Datagram(buffer, PipelineInput.VXLAN_OFFSET, 8 + inner.length, vtep.ipv4(), now);
        fdb.conductor().doWork();
    }

    private void fromAccess(final AccessPipeline pipeline, final byte[] frame)
    {
        pipeline.process(PipelineInput.batchOf(frame), now);
        fdb.conductor().doWork();
    }
}
