package io.vtep.core.pipeline;

import static io.vtep.core.testing.TestNetwork.HOST_1;
import static io.vtep.core.testing.TestNetwork.HOST_2;
import static io.vtep.core.testing.TestNetwork.IPV4_OVERHEAD;
import static io.vtep.core.testing.TestNetwork.LOCAL;
import static io.vtep.core.testing.TestNetwork.REMOTE_HOST;
import static io.vtep.core.testing.TestNetwork.VTEP_B;
import static io.vtep.core.testing.TestNetwork.VTEP_C;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.port.FrameBatch;
import io.vtep.core.port.FrameOffload;
import io.vtep.core.testing.EthernetFrames;
import io.vtep.core.testing.PipelineInput;
import io.vtep.core.testing.RecordingPort;
import io.vtep.core.testing.RecordingSegmentTransmitter;
import io.vtep.core.testing.RecordingTransmitter;
import io.vtep.core.underlay.UnderlayTransmitter;
import io.vtep.encap.MacAddress;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;

/**
 * The forwarding logic of docs/architecture.md §1 against recording ports and a recording underlay:
 * VLAN → VNI mapping, learning, flooding, hairpin, split horizon, MTU, drops.
 *
 * <p>Topology: port eth1 (untagged → VNI 100, VLAN 10 → VNI 200), port eth2 (untagged → VNI 100,
 * VLAN 30 → VNI 300). VNI 100 floods to 192.0.2.2 and 192.0.2.3; VNI 200 floods to group
 * 239.1.1.200; VNI 300 learns from EVPN only.
 */
class PipelineTest
{
    private static final VtepAddress GROUP = VtepAddress.parse("239.1.1.200");

    private final RecordingPort eth1 = new RecordingPort("eth1");
    private final RecordingPort eth2 = new RecordingPort("eth2");
    private final RecordingTransmitter underlay = new RecordingTransmitter();
    private Fdb fdb;
    private ForwardingTables tables;
    private PortContext port1;
    private CounterSnapshotSource counters;
    private AccessPipeline fromEth1;
    private AccessPipeline fromEth2;
    private OverlayPipeline fromOverlay;
    private VniContext vni100;
    private VniContext vni200;
    private VniContext vni300;
    private long now = 1_000_000_000L;

    @BeforeEach
    void buildTables()
    {
        fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        fdb.addVni(200, LearningMode.DATA_PLANE, 0, GROUP);
        fdb.addVni(300, LearningMode.EVPN, 0, null);
        fdb.setFloodList(100, new RemoteVtep[] {fdb.remoteVteps().intern(VTEP_B), fdb.remoteVteps().intern(VTEP_C)});
        tables = new ForwardingTables(fdb);
        vni100 = tables.addVni(100);
        vni200 = tables.addVni(200);
        vni300 = tables.addVni(300);
        port1 = tables.addPort(eth1);
        final PortContext port2 = tables.addPort(eth2);
        tables.attach(port1, Attachment.UNTAGGED, vni100);
        tables.attach(port1, 10, vni200);
        tables.attach(port2, Attachment.UNTAGGED, vni100);
        tables.attach(port2, 30, vni300);
        counters = new CounterSnapshotSource(new CounterLayout(3, 16));
        final DataPlane plane = new DataPlane(tables, counters, LOCAL, 4789, 64, SourcePortRange.DEFAULT, 1500, underlay);
        fromEth1 = plane.accessPipeline(port1);
        fromEth2 = plane.accessPipeline(port2);
        fromOverlay = plane.overlayPipeline();
    }

    /** An Ethernet frame with a payload of {@code payload} bytes after its 14-byte header. */
    private static byte[] frame(final long destination, final long source, final int payload)
    {
        return EthernetFrames.ethernet(destination, source, 14 + payload);
    }

    private static byte[] tagged(final byte[] untagged, final int vlan)
    {
        return EthernetFrames.tagged(untagged, vlan);
    }

    private void receiveOnAccess(final AccessPipeline pipeline, final byte[] frame)
    {
        pipeline.process(PipelineInput.batchOf(frame), now);
        fdb.conductor().doWork();
    }

    /** A VXLAN packet's UDP payload (8-byte header + inner frame) received from {@code vtep}. */
    private void receiveFromOverlay(final VtepAddress vtep, final int vni, final int flags, final byte[] inner)
    {
        final UnsafeBuffer buffer = PipelineInput.vxlanPayload(flags, vni, inner);
        fromOverlay.onIpv4Datagram(buffer, PipelineInput.VXLAN_OFFSET, 8 + inner.length, vtep.ipv4(), now);
        fdb.conductor().doWork();
    }

    private static byte[] innerFrameOf(final byte[] outerIpv4Packet)
    {
        return Arrays.copyOfRange(outerIpv4Packet, IPV4_OVERHEAD, outerIpv4Packet.length);
    }

    private static int vniOf(final byte[] outerIpv4Packet)
    {
        return ((outerIpv4Packet[32] & 0xFF) << 16) | ((outerIpv4Packet[33] & 0xFF) << 8) | (outerIpv4Packet[34] & 0xFF);
    }

    private static String destinationOf(final byte[] outerIpv4Packet)
    {
        return (outerIpv4Packet[16] & 0xFF) + "." + (outerIpv4Packet[17] & 0xFF) + "." + (outerIpv4Packet[18] & 0xFF) + "." +
            (outerIpv4Packet[19] & 0xFF);
    }

    @Test
    void broadcastFromAnAccessPortFloodsToLocalMembersAndTheFloodList()
    {
        final byte[] arp = frame(MacAddress.BROADCAST, HOST_1, 46);

        receiveOnAccess(fromEth1, arp);

        assertEquals(1, eth2.sent.size(), "the other local member of VNI 100 gets a copy");
        assertArrayEquals(arp, eth2.sent.get(0));
        assertTrue(eth1.sent.isEmpty(), "never back out of the port it came in on (VLAN 10 is another VNI)");
        assertEquals(2, underlay.sent.size(), "one head-end copy per flood-list VTEP");
        final Set<String> destinations = new HashSet<>();
        for (final byte[] packet : underlay.sent)
        {
            destinations.add(destinationOf(packet));
            assertEquals(100, vniOf(packet));
            assertArrayEquals(arp, innerFrameOf(packet));
        }
        assertEquals(Set.of("192.0.2.2", "192.0.2.3"), destinations);
        assertEquals(1, counters.vniFloodPackets(vni100.slot()));
        assertEquals(1, counters.vniRxPackets(vni100.slot(), Side.ACCESS));
        assertEquals(2, counters.vniTxPackets(vni100.slot(), Side.OVERLAY));
        assertEquals(1, counters.vniTxPackets(vni100.slot(), Side.ACCESS));
        assertEquals(FdbEntry.local(0, Origin.LOCAL), fdb.vni(100).lookup(HOST_1), "source learned on eth1 untagged");
    }

    @Test
    void unicastToALearnedRemoteMacGoesOnlyToItsVtep()
    {
        receiveFromOverlay(VTEP_C, 100, 0x08, frame(MacAddress.BROADCAST, REMOTE_HOST, 46));
        assertEquals(1, eth1.sent.size(), "overlay broadcast delivered to eth1");
        assertEquals(1, eth2.sent.size(), "and to eth2");
        assertTrue(underlay.sent.isEmpty(), "split horizon: nothing back into the overlay");

        final byte[] reply = frame(REMOTE_HOST, HOST_1, 100);
        receiveOnAccess(fromEth1, reply);

        assertEquals(1, underlay.sent.size());
        assertEquals("192.0.2.3", destinationOf(underlay.sent.get(0)));
        assertArrayEquals(reply, innerFrameOf(underlay.sent.get(0)));
        assertEquals(1, eth2.sent.size(), "known unicast is not flooded locally");
        final RemoteVtep c = fdb.remoteVteps().find(VTEP_C);
        assertEquals(1, counters.vtepTxPackets(c.index()));
        assertEquals(reply.length + IPV4_OVERHEAD, counters.vtepTxBytes(c.index()));
        assertEquals(1, counters.vtepRxPackets(c.index()));
    }

    /**
     * A TSO super-frame from a host with offloads on (a 5,000-byte TCP payload, MSS 1,000): cut in
     * place into 5 segments that all reach the remote VTEP, in order, each with its own sequence
     * number and a complete payload slice, although each segment's headers overwrite the previous
     * segment's tail before the batch is sent (the overlay queues copies).
     */
    @Test
    void tsoSuperFrameToARemoteMacLeavesAsSegmentsInOrder()
    {
        receiveFromOverlay(VTEP_C, 100, 0x08, frame(MacAddress.BROADCAST, REMOTE_HOST, 46)); // learn REMOTE_HOST
        underlay.sent.clear();
        final byte[] inner = tcpSuperFrame(5_000);
        fromEth1.process(superFrameBatch(inner, 1_000), now);

        assertEquals(5, underlay.sent.size());
        for (int i = 0; i < 5; i++)
        {
            assertSegment(inner, i, innerFrameOf(underlay.sent.get(i)));
        }
        assertEquals(5, counters.vtepTxPackets(fdb.remoteVteps().find(VTEP_C).index()));
    }

    /**
     * With UDP GSO the same super-frame leaves in one system call: one datagram whose payload is the
     * five VXLAN packets' UDP payloads back to back (VXLAN header + segment each), segment size
     * 8 + 1,054, sent from the flow's source port to the VTEP; counted as five packets.
     */
    @Test
    void tsoSuperFrameLeavesAsOneUdpGsoDatagramWhenTheSourcePortIsReady()
    {
        final RecordingSegmentTransmitter gso = new RecordingSegmentTransmitter();
        final AccessPipeline pipeline = new DataPlane(tables, counters, LOCAL, 4789, 64, SourcePortRange.DEFAULT, 1500, underlay)
            .segmentTransmitter(gso).accessPipeline(port1);
        receiveFromOverlay(VTEP_C, 100, 0x08, frame(MacAddress.BROADCAST, REMOTE_HOST, 46)); // learn REMOTE_HOST
        underlay.sent.clear();
        final byte[] inner = tcpSuperFrame(5_000);
        pipeline.process(superFrameBatch(inner, 1_000), now);

        assertTrue(underlay.sent.isEmpty(), "no segment went one by one");
        assertEquals(1, gso.sent.size());
        final RecordingSegmentTransmitter.Datagram datagram = gso.sent.get(0);
        assertEquals(VTEP_C, datagram.remote());
        assertEquals(8 + 54 + 1_000, datagram.segmentSize());
        assertEquals(5 * datagram.segmentSize(), datagram.payload().length);
        assertTrue(datagram.sourcePort() >= 49152, "a port of the RFC 7348 §5 range");
        for (int i = 0; i < 5; i++)
        {
            final byte[] udpPayload = Arrays.copyOfRange(datagram.payload(), i * datagram.segmentSize(),
                (i + 1) * datagram.segmentSize());
            assertEquals(0x08, udpPayload[0], "VXLAN I flag");
            assertEquals(100, ((udpPayload[4] & 0xFF) << 16) | ((udpPayload[5] & 0xFF) << 8) | (udpPayload[6] & 0xFF), "VNI");
            assertSegment(inner, i, Arrays.copyOfRange(udpPayload, 8, udpPayload.length));
        }
        assertEquals(5, counters.vtepTxPackets(fdb.remoteVteps().find(VTEP_C).index()));

        // A port the transmitter is not ready for yet: the segments go one by one, nothing lost.
        gso.ready = false;
        pipeline.process(superFrameBatch(inner, 1_000), now);
        assertEquals(1, gso.sent.size());
        assertEquals(5, underlay.sent.size());
        assertEquals(10, counters.vtepTxPackets(fdb.remoteVteps().find(VTEP_C).index()));
    }

    /**
     * A host without segmentation offload sends a flow's packets one by one: in one received batch,
     * four frames of flow A, one of flow B, one more of A. The four leave as one GSO datagram, then
     * B and the last A in one sendmmsg: A's packets stay in order, and every packet is counted once.
     */
    @Test
    void aRunOfOneFlowsPacketsInABatchLeavesAsOneGsoDatagramInOrder()
    {
        final List<String> wire = new ArrayList<>();
        final UnderlayTransmitter raw = new UnderlayTransmitter()
        {
            @Override
            public boolean send(final DirectBuffer buffer, final int offset, final int length)
            {
                final byte[] inner = new byte[length - IPV4_OVERHEAD];
                buffer.getBytes(offset + IPV4_OVERHEAD, inner);
                wire.add("packet " + udpSourcePortOf(inner) + "/" + ByteBuffer.wrap(inner).get(42));
                return true;
            }

            @Override
            public void close()
            {
            }
        };
        final RecordingSegmentTransmitter gso = new RecordingSegmentTransmitter()
        {
            @Override
            public boolean send(final Scratch scratch, final VtepAddress remote, final int sourcePort, final long address,
                final int length, final int segmentSize)
            {
                super.send(scratch, remote, sourcePort, address, length, segmentSize);
                final byte[] payload = sent.get(sent.size() - 1).payload();
                final StringBuilder line = new StringBuilder("gso");
                for (int at = 0; at < length; at += segmentSize)
                {
                    final byte[] inner = Arrays.copyOfRange(payload, at + 8, Math.min(length, at + segmentSize));
                    line.append(' ').append(udpSourcePortOf(inner)).append('/').append(inner[42]);
                }
                wire.add(line.toString());
                return true;
            }
        };
        final AccessPipeline pipeline = new DataPlane(tables, counters, LOCAL, 4789, 64, SourcePortRange.DEFAULT, 1500, raw)
            .segmentTransmitter(gso).accessPipeline(port1);
        receiveFromOverlay(VTEP_C, 100, 0x08, frame(MacAddress.BROADCAST, REMOTE_HOST, 46)); // learn REMOTE_HOST

        final FrameBatch batch = new FrameBatch(8);
        final int[] flows = {1000, 1000, 1000, 1000, 2000, 1000};
        for (int i = 0; i < flows.length; i++)
        {
            final byte[] udp = udpFrame(flows[i], 1_000, i);
            batch.buffer().putBytes(batch.slotFrameOffset(i), udp);
            batch.add(batch.slotFrameOffset(i), udp.length);
        }
        pipeline.process(batch, now);

        assertEquals(List.of("gso 1000/0 1000/1 1000/2 1000/3", "packet 2000/4", "packet 1000/5"), wire);
        assertEquals(6, counters.vtepTxPackets(fdb.remoteVteps().find(VTEP_C).index()));
        assertEquals(6 * (14 + 28 + 1_000 + IPV4_OVERHEAD), counters.vtepTxBytes(fdb.remoteVteps().find(VTEP_C).index()));
    }

    /** An IPv4/UDP frame from HOST_1 to REMOTE_HOST, source port {@code port}, {@code payload} bytes each {@code fill}. */
    private static byte[] udpFrame(final int port, final int payload, final int fill)
    {
        final ByteBuffer b = ipv4Frame(17, 8 + payload);
        b.putShort(34, (short)port).putShort(36, (short)9).putShort(38, (short)(8 + payload));
        Arrays.fill(b.array(), 42, b.capacity(), (byte)fill);
        return b.array();
    }

    /**
     * An IPv4 frame from HOST_1 (10.0.0.1) to REMOTE_HOST (10.0.0.2), TTL 64, carrying
     * {@code ipPayload} bytes of {@code protocol} from offset 34, which the caller writes.
     */
    private static ByteBuffer ipv4Frame(final int protocol, final int ipPayload)
    {
        final ByteBuffer b = ByteBuffer.wrap(new byte[14 + 20 + ipPayload]);
        b.putShort(0, (short)0x0200).putInt(2, 0x0b); // destination REMOTE_HOST
        b.putShort(6, (short)0x0200).putInt(8, 1); // source HOST_1
        b.putShort(12, (short)0x0800);
        b.put(14, (byte)0x45).putShort(16, (short)(20 + ipPayload)).put(22, (byte)64).put(23, (byte)protocol);
        b.putInt(26, 0x0a000001).putInt(30, 0x0a000002);
        return b;
    }

    private static int udpSourcePortOf(final byte[] frame)
    {
        return ByteBuffer.wrap(frame).getShort(34) & 0xFFFF;
    }

    /** An IPv4/TCP frame from HOST_1 to REMOTE_HOST with {@code payload} bytes of data (sequence number 7). */
    private static byte[] tcpSuperFrame(final int payload)
    {
        final ByteBuffer b = ipv4Frame(6, 20 + payload);
        final byte[] inner = b.array();
        b.putShort(34, (short)40000).putShort(36, (short)5201).putInt(38, 7).put(46, (byte)0x50).put(47, (byte)0x18);
        for (int i = 0; i < payload; i++)
        {
            inner[54 + i] = (byte)(i * 7);
        }
        return inner;
    }

    /** A batch with one TSO super-frame as a host with offloads hands it over (checksum partial). */
    private static FrameBatch superFrameBatch(final byte[] inner, final int segmentSize)
    {
        final FrameBatch batch = new FrameBatch(1, FrameBatch.MAX_SUPER_FRAME_LENGTH);
        batch.buffer().putBytes(batch.slotFrameOffset(0), inner);
        batch.add(batch.slotFrameOffset(0), inner.length, FrameOffload.of(FrameOffload.TCP_SEGMENTS, 34, 16, segmentSize));
        return batch;
    }

    /** Segment {@code i} (1,000-byte MSS) of {@link #tcpSuperFrame}: its own sequence number, its slice of the payload. */
    private static void assertSegment(final byte[] superFrame, final int i, final byte[] segment)
    {
        assertEquals(54 + 1_000, segment.length);
        assertEquals(7 + i * 1_000, ByteBuffer.wrap(segment).getInt(38), "sequence of segment " + i);
        assertArrayEquals(Arrays.copyOfRange(superFrame, 54 + i * 1_000, 54 + (i + 1) * 1_000),
            Arrays.copyOfRange(segment, 54, segment.length), "payload of segment " + i);
    }

    @Test
    void taggedFrameMapsToItsVniTravelsUntaggedAndGetsItsTagBack()
    {
        final byte[] untagged = frame(MacAddress.BROADCAST, HOST_2, 46);
        receiveOnAccess(fromEth1, tagged(untagged, 10));

        assertEquals(1, underlay.sent.size(), "VNI 200 floods once, to its multicast group");
        assertEquals("239.1.1.200", destinationOf(underlay.sent.get(0)));
        assertEquals(1, underlay.sent.get(0)[8], "multicast TTL 1");
        assertEquals(200, vniOf(underlay.sent.get(0)));
        assertArrayEquals(untagged, innerFrameOf(underlay.sent.get(0)), "the tag is removed before encap");
        assertTrue(eth2.sent.isEmpty(), "VNI 100's port sees nothing of VNI 200");

        receiveFromOverlay(VTEP_B, 200, 0x08, frame(HOST_2, REMOTE_HOST, 46));
        assertEquals(1, eth1.sent.size());
        assertArrayEquals(tagged(frame(HOST_2, REMOTE_HOST, 46), 10), eth1.sent.get(0), "delivered with VLAN 10 put back");
    }

    @Test
    void hairpinBetweenTwoLocalPortsOfTheSameVni()
    {
        receiveOnAccess(fromEth2, frame(MacAddress.BROADCAST, HOST_2, 46));
        underlay.sent.clear();
        eth1.sent.clear();

        final byte[] unicast = frame(HOST_2, HOST_1, 60);
        receiveOnAccess(fromEth1, unicast);

        assertEquals(1, eth2.sent.size());
        assertArrayEquals(unicast, eth2.sent.get(0));
        assertTrue(underlay.sent.isEmpty(), "a local destination never goes to the overlay");
    }

    /**
     * A Linux VTEP on a veth underlay hands over its GSO packets whole: one VXLAN datagram carrying
     * a 10,000-byte TCP payload. A port that cannot take it whole gets it cut to what the underlay
     * would have carried (1500 − 50 bytes of IP), each segment with a valid TCP checksum.
     */
    @Test
    void tcpSuperFrameFromTheOverlayIsCutToTheOverlayMtuForAPortWithoutGso()
    {
        receiveOnAccess(fromEth1, frame(REMOTE_HOST, HOST_1, 46)); // learn HOST_1 on eth1
        eth1.sent.clear();
        final int payload = 10_000;
        final byte[] inner = new byte[14 + 20 + 20 + payload];
        final ByteBuffer b = ByteBuffer.wrap(inner);
        b.putShort(0, (short)0x0200).putInt(2, 1); // destination 02:00:00:00:00:01
        b.putShort(6, (short)0x0200).putInt(8, 0x0b); // source 02:00:00:00:00:0b
        b.putShort(12, (short)0x0800);
        b.put(14, (byte)0x45).putShort(16, (short)(20 + 20 + payload)).put(22, (byte)64).put(23, (byte)6);
        b.putInt(26, 0x0a000002).putInt(30, 0x0a000001);
        b.putShort(34, (short)5201).putShort(36, (short)40000).putInt(38, 1000).put(46, (byte)0x50).put(47, (byte)0x18);
        for (int i = 0; i < payload; i++)
        {
            inner[54 + i] = (byte)i;
        }
        receiveFromOverlay(VTEP_B, 100, 0x08, inner);

        assertEquals(8, eth1.sent.size(), "10,000 bytes in segments of 1,410 (1450 - 20 - 20)");
        int sequence = 1000;
        for (final byte[] segment : eth1.sent)
        {
            assertTrue(segment.length <= 14 + 1450, "segment of " + segment.length + " bytes");
            final ByteBuffer s = ByteBuffer.wrap(segment);
            assertEquals(segment.length - 14, s.getShort(16) & 0xFFFF, "IPv4 total length");
            assertEquals(sequence, s.getInt(38), "TCP sequence");
            sequence += segment.length - 54;
            long sum = 0x0a000002 >>> 16 & 0xFFFF;
            sum += 0x0002 + 0x0a00 + 0x0001 + 6 + (segment.length - 34);
            for (int i = 34; i < segment.length; i += 2)
            {
                sum += (segment[i] & 0xFF) << 8 | (i + 1 < segment.length ? segment[i + 1] & 0xFF : 0);
            }
            while (sum > 0xFFFF)
            {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
            assertEquals(0xFFFF, sum, "TCP checksum verifies");
        }
        assertEquals(1000 + payload, sequence);
        assertEquals(0, counters.vniDrops(vni100.slot(), DropReason.TX_ERROR));
    }

    @Test
    void frameToAMacOnItsOwnPortIsFiltered()
    {
        receiveOnAccess(fromEth1, frame(MacAddress.BROADCAST, HOST_2, 46));
        underlay.sent.clear();
        eth2.sent.clear();

        receiveOnAccess(fromEth1, frame(HOST_2, HOST_1, 46));

        assertTrue(eth1.sent.isEmpty() && eth2.sent.isEmpty() && underlay.sent.isEmpty());
        assertEquals(1, counters.vniDrops(vni100.slot(), DropReason.SAME_PORT));
    }

    @Test
    void overlayFrameForAMacBehindAnotherVtepIsNotSentBackIntoTheOverlay()
    {
        receiveFromOverlay(VTEP_B, 100, 0x08, frame(MacAddress.BROADCAST, REMOTE_HOST, 46));
        eth1.sent.clear();
        eth2.sent.clear();

        receiveFromOverlay(VTEP_C, 100, 0x08, frame(REMOTE_HOST, HOST_1, 46));

        assertTrue(underlay.sent.isEmpty() && eth1.sent.isEmpty() && eth2.sent.isEmpty());
        assertEquals(1, counters.vniDrops(vni100.slot(), DropReason.SPLIT_HORIZON));
    }

    @Test
    void overlayLearningMovesAMacBetweenRemoteVteps()
    {
        receiveFromOverlay(VTEP_B, 100, 0x08, frame(MacAddress.BROADCAST, REMOTE_HOST, 46));
        receiveFromOverlay(VTEP_C, 100, 0x08, frame(MacAddress.BROADCAST, REMOTE_HOST, 46));

        final long entry = fdb.vni(100).lookup(REMOTE_HOST);
        assertEquals(fdb.remoteVteps().find(VTEP_C).index(), FdbEntry.vtepIndex(entry));
        assertEquals(1, fdb.vni(100).macMoves());
    }

    @Test
    void frameThatDoesNotFitTheUnderlayMtuIsDroppedNotFragmented()
    {
        receiveOnAccess(fromEth1, frame(MacAddress.BROADCAST, HOST_1, 1500 - IPV4_OVERHEAD - 14 + 1));

        assertTrue(underlay.sent.isEmpty());
        assertEquals(1, counters.vniDrops(vni100.slot(), DropReason.MTU_EXCEEDED));

        receiveOnAccess(fromEth1, frame(MacAddress.BROADCAST, HOST_1, 1500 - IPV4_OVERHEAD - 14));
        assertEquals(2, underlay.sent.size(), "the largest frame that fits goes out");
        assertEquals(1500, underlay.sent.get(0).length);
    }

    @Test
    void badInputIsDroppedAndCountedByReason()
    {
        receiveOnAccess(fromEth1, new byte[10]);
        receiveOnAccess(fromEth2, tagged(frame(MacAddress.BROADCAST, HOST_1, 46), 99));
        receiveFromOverlay(VTEP_B, 100, 0x00, frame(MacAddress.BROADCAST, REMOTE_HOST, 46));
        receiveFromOverlay(VTEP_B, 4242, 0x08, frame(MacAddress.BROADCAST, REMOTE_HOST, 46));
        receiveFromOverlay(LOCAL, 100, 0x08, frame(MacAddress.BROADCAST, REMOTE_HOST, 46));
        final UnsafeBuffer truncated = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        fromOverlay.onIpv4Datagram(truncated, 0, 12, VTEP_B.ipv4(), now);

        assertEquals(2, counters.drops(DropReason.MALFORMED));
        assertEquals(1, counters.drops(DropReason.UNKNOWN_VLAN));
        assertEquals(1, counters.drops(DropReason.VXLAN_FLAGS));
        assertEquals(1, counters.drops(DropReason.UNKNOWN_VNI));
        assertEquals(1, counters.drops(DropReason.OWN_VTEP));
        assertTrue(eth1.sent.isEmpty() && eth2.sent.isEmpty() && underlay.sent.isEmpty());
        assertEquals(FdbEntry.NONE, fdb.vni(100).lookup(REMOTE_HOST), "nothing learned from dropped packets");
    }

    @Test
    void priorityTaggedFrameBelongsToTheUntaggedAttachment()
    {
        // IEEE 802.1Q §9.6: VID 0 carries only a priority; the frame is in no VLAN.
        final byte[] untagged = frame(MacAddress.BROADCAST, HOST_1, 46);
        final byte[] priorityTagged = tagged(untagged, 0);
        priorityTagged[14] = (byte)0xA0; // PCP 5, VID 0

        receiveOnAccess(fromEth1, priorityTagged);

        assertEquals(0, counters.drops(DropReason.UNKNOWN_VLAN), "not an unknown VLAN");
        assertEquals(1, eth2.sent.size(), "flooded in VNI 100, the untagged VNI of eth1");
        assertArrayEquals(untagged, eth2.sent.get(0), "the priority tag is stripped");
        assertEquals(2, underlay.sent.size());
        assertEquals(100, vniOf(underlay.sent.get(0)));
        assertArrayEquals(untagged, innerFrameOf(underlay.sent.get(0)));
        assertEquals(FdbEntry.local(0, Origin.LOCAL), fdb.vni(100).lookup(HOST_1), "learned on eth1 untagged");
    }

    @Test
    void decapsulatedFrameWithAnInnerVlanTagIsDropped()
    {
        // RFC 7348 §6.1: decapsulated frames with an inner VLAN tag SHOULD be discarded.
        receiveFromOverlay(VTEP_B, 100, 0x08, tagged(frame(MacAddress.BROADCAST, REMOTE_HOST, 46), 10));

        assertTrue(eth1.sent.isEmpty() && eth2.sent.isEmpty() && underlay.sent.isEmpty());
        assertEquals(1, counters.vniDrops(vni100.slot(), DropReason.INNER_VLAN_TAGGED));
        assertEquals(FdbEntry.NONE, fdb.vni(100).lookup(REMOTE_HOST), "a dropped frame teaches nothing");
        assertEquals("inner_vlan_tagged", DropReason.INNER_VLAN_TAGGED.label());
    }

    @Test
    void overlayFloodThatThePortsRefuseCountsTxErrorsButNotNoRoute()
    {
        eth1.refuse = true;
        eth2.refuse = true;

        receiveFromOverlay(VTEP_B, 100, 0x08, frame(MacAddress.BROADCAST, REMOTE_HOST, 46));

        assertEquals(2, counters.vniDrops(vni100.slot(), DropReason.TX_ERROR), "one per refused copy");
        assertEquals(0, counters.vniDrops(vni100.slot(), DropReason.NO_ROUTE), "there was a route: no double count");
        assertEquals(0, counters.vniFloodPackets(vni100.slot()));
    }

    @Test
    void unknownVtepIsNotInternedForAVniThatLearnsFromEvpnOnly()
    {
        final VtepAddress spoofed = VtepAddress.parse("203.0.113.66");
        final int vteps = fdb.remoteVteps().size();

        receiveFromOverlay(spoofed, 300, 0x08, frame(MacAddress.BROADCAST, REMOTE_HOST, 46));

        assertEquals(vteps, fdb.remoteVteps().size(), "the remote VTEP table does not grow");
        assertEquals(null, fdb.remoteVteps().find(spoofed));
        assertEquals(1, counters.vniDrops(vni300.slot(), DropReason.UNKNOWN_VTEP));
        assertTrue(eth2.sent.isEmpty(), "not delivered");

        receiveFromOverlay(VTEP_B, 300, 0x08, frame(MacAddress.BROADCAST, REMOTE_HOST, 46));
        assertEquals(1, eth2.sent.size(), "a VTEP known from configuration or EVPN is accepted");
        assertArrayEquals(tagged(frame(MacAddress.BROADCAST, REMOTE_HOST, 46), 30), eth2.sent.get(0));
        assertEquals(FdbEntry.NONE, fdb.vni(300).lookup(REMOTE_HOST), "EVPN-only: no data-plane learning");
    }

    @Test
    void unknownVtepIsInternedForADataPlaneLearningVni()
    {
        final VtepAddress newVtep = VtepAddress.parse("203.0.113.67");

        receiveFromOverlay(newVtep, 100, 0x08, frame(MacAddress.BROADCAST, REMOTE_HOST, 46));

        assertTrue(fdb.remoteVteps().find(newVtep) != null);
        assertEquals(0, counters.vniDrops(vni100.slot(), DropReason.UNKNOWN_VTEP));
        assertEquals(1, eth1.sent.size());
    }
}
