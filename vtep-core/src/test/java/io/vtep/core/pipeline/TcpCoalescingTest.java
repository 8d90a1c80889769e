package io.vtep.core.pipeline;

import static io.vtep.core.testing.TestNetwork.HOST_1;
import static io.vtep.core.testing.TestNetwork.LOCAL;
import static io.vtep.core.testing.TestNetwork.REMOTE_HOST;
import static io.vtep.core.testing.TestNetwork.VTEP_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.testing.EthernetFrames;
import io.vtep.core.testing.PipelineInput;
import io.vtep.core.testing.RecordingTransmitter;
import io.vtep.core.testing.SendOnlyPort;
import io.vtep.encap.Checksum;
import io.vtep.encap.IpProtocol;
import io.vtep.encap.SourcePortRange;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.Side;

/**
 * {@link TcpSegmentCoalescer} through the overlay pipeline: runs of one flow's TCP segments in a
 * batch reach an af-packet-like port as one super-frame, with Linux's GRO rules for what may be
 * merged, and everything else as it came, in order.
 */
class TcpCoalescingTest
{
    private static final int MSS = 1000;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int FIN = 0x01;
    private static final byte[] HOST_IP = {10, 0, 0, 1};
    private static final byte[] REMOTE_IP = {10, 0, 0, 2};
    private static final byte[] HOST_IP6 = {(byte)0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final byte[] REMOTE_IP6 = {(byte)0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

    /** Records plain sends and segmented sends, with the segment IP size the pipeline asked for. */
    static final class SegmentingPort extends SendOnlyPort
    {
        final List<byte[]> sent = new ArrayList<>();
        final List<byte[]> segmented = new ArrayList<>();
        final List<Integer> segmentIpLengths = new ArrayList<>();
        /** In order: "plain" or "segmented" for each send. */
        final List<String> order = new ArrayList<>();
        boolean segments = true;

        SegmentingPort(final String name)
        {
            super(name);
        }

        @Override
        public boolean send(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] frame = new byte[length];
            buffer.getBytes(offset, frame);
            sent.add(frame);
            order.add("plain");
            return true;
        }

        @Override
        public boolean sendsSegmented()
        {
            return segments;
        }

        @Override
        public boolean sendSegmented(final MutableDirectBuffer buffer, final int offset, final int length, final int mtu)
        {
            final byte[] frame = new byte[length];
            buffer.getBytes(offset, frame);
            segmented.add(frame);
            segmentIpLengths.add(mtu);
            order.add("segmented");
            return true;
        }
    }

    private final SegmentingPort eth1 = new SegmentingPort("eth1");
    private Fdb fdb;
    private CounterSnapshotSource counters;
    private OverlayPipeline fromOverlay;
    private final long now = 1_000_000_000L;

    @BeforeEach
    void build()
    {
        fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final ForwardingTables tables = new ForwardingTables(fdb);
        final VniContext vni100 = tables.addVni(100);
        final PortContext port1 = tables.addPort(eth1);
        tables.attach(port1, Attachment.UNTAGGED, vni100);
        counters = new CounterSnapshotSource(new CounterLayout(1, 16));
        final DataPlane plane = new DataPlane(tables, counters, LOCAL, 4789, 64, SourcePortRange.DEFAULT, 1500, new RecordingTransmitter())
            .coalesceTcp(true);
        final AccessPipeline fromEth1 = plane.accessPipeline(port1);
        fromOverlay = plane.overlayPipeline();
        // Host 1 is known on eth1: frames from the overlay to it are known unicast.
        fromEth1.process(PipelineInput.batchOf(EthernetFrames.ethernet(REMOTE_HOST, HOST_1, 60)), now);
        fdb.conductor().doWork();
    }

    @Test
    void consecutiveSegmentsOfOneFlowReachTheHostAsOneSuperFrame()
    {
        final byte[][] segments = {segment(1000, ACK, MSS, 0), segment(2000, ACK, MSS, 1), segment(3000, ACK | PSH, MSS, 2)};
        batch(segments);

        assertEquals(List.of("segmented"), eth1.order);
        final byte[] superFrame = eth1.segmented.get(0);
        assertEquals(54 + 3 * MSS, superFrame.length);
        // Headers of the first segment, with the run's length, a new IPv4 header checksum and PSH from the last.
        final ByteBuffer b = ByteBuffer.wrap(superFrame);
        assertEquals(20 + 20 + 3 * MSS, b.getShort(16) & 0xFFFF, "IPv4 total length");
        assertEquals(0, Checksum.finish(Checksum.partialSum(new UnsafeBuffer(superFrame), 14, 20, 0)), "IPv4 header checksum verifies");
        assertEquals(1000, b.getInt(38), "the first segment's sequence number");
        assertEquals(ACK | PSH, superFrame[47] & 0xFF);
        for (int i = 0; i < 3; i++)
        {
            assertArrayEquals(Arrays.copyOfRange(segments[i], 54, 54 + MSS), Arrays.copyOfRange(superFrame, 54 + i * MSS, 54 + (i + 1) * MSS),
                "segment " + i + "'s data, in order");
        }
        assertEquals(List.of(20 + 20 + MSS), eth1.segmentIpLengths, "the host's GSO cuts it back at the senders' segment size");
        assertEquals(3, counters.vniTxPackets(0, Side.ACCESS), "counted as the three segments it stands for");
    }

    @Test
    void aGapInTheSequenceEndsTheRunAndKeepsTheOrder()
    {
        batch(segment(1000, ACK, MSS, 0), segment(2000, ACK, MSS, 1), segment(5000, ACK, MSS, 2), segment(6000, ACK, MSS, 3));

        assertEquals(List.of("segmented", "segmented"), eth1.order);
        assertEquals(1000, ByteBuffer.wrap(eth1.segmented.get(0)).getInt(38));
        assertEquals(5000, ByteBuffer.wrap(eth1.segmented.get(1)).getInt(38));
    }

    @Test
    void aSegmentWithABadChecksumIsNotMergedButGoesOnAsItCameAfterTheRun()
    {
        final byte[] bad = segment(3000, ACK, MSS, 2);
        bad[60] ^= 0x01;
        batch(segment(1000, ACK, MSS, 0), segment(2000, ACK, MSS, 1), bad);

        assertEquals(List.of("segmented", "plain"), eth1.order, "the run first, then the bad segment for the host to drop");
        assertArrayEquals(bad, eth1.sent.get(0));
    }

    @Test
    void aShorterSegmentEndsTheRunAndFinOrALoneSegmentGoAsTheyCame()
    {
        batch(segment(1000, ACK, MSS, 0), segment(2000, ACK, 400, 1), segment(2400, ACK, MSS, 2), segment(3400, ACK | FIN, MSS, 3));

        assertEquals(List.of("segmented", "plain", "plain"), eth1.order);
        assertEquals(54 + MSS + 400, eth1.segmented.get(0).length);
        assertEquals(2400, ByteBuffer.wrap(eth1.sent.get(0)).getInt(38), "alone: sent as it came");
        assertEquals(3400, ByteBuffer.wrap(eth1.sent.get(1)).getInt(38), "FIN is never merged");
    }

    @Test
    void aDifferentAcknowledgmentOrWindowOrPortStartsANewRun()
    {
        final byte[] otherAck = segment(2000, ACK, MSS, 1);
        ByteBuffer.wrap(otherAck).putInt(42, 99);
        fixTcpChecksum(otherAck);
        batch(segment(1000, ACK, MSS, 0), otherAck);

        assertEquals(List.of("plain", "plain"), eth1.order);
    }

    @Test
    void aPeersSuperFrameAfterARunGoesOutAfterIt()
    {
        final byte[] superFrame = segment(3000, ACK, 3000, 2); // longer than the 1450-byte overlay MTU: a peer's GSO packet
        batch(segment(1000, ACK, MSS, 0), segment(2000, ACK, MSS, 1), superFrame);

        assertEquals(List.of("segmented", "segmented"), eth1.order, "the run, then the super-frame");
        assertEquals(1000, ByteBuffer.wrap(eth1.segmented.get(0)).getInt(38));
        assertArrayEquals(superFrame, eth1.segmented.get(1));
    }

    @Test
    void ipv6SegmentsAreMergedToo()
    {
        batch(segment6(1000, MSS), segment6(2000, MSS));

        assertEquals(List.of("segmented"), eth1.order);
        final byte[] superFrame = eth1.segmented.get(0);
        assertEquals(20 + 2 * MSS, ByteBuffer.wrap(superFrame).getShort(18) & 0xFFFF, "IPv6 payload length");
        assertEquals(List.of(40 + 20 + MSS), eth1.segmentIpLengths);
    }

    @Test
    void aPortThatCannotSendSegmentedGetsEverySegmentAsItCame()
    {
        eth1.segments = false;
        batch(segment(1000, ACK, MSS, 0), segment(2000, ACK, MSS, 1));

        assertEquals(List.of("plain", "plain"), eth1.order);
    }

    @Test
    void nothingIsHeldPastTheEndOfABatch()
    {
        deliver(segment(1000, ACK, MSS, 0));
        deliver(segment(2000, ACK, MSS, 1));
        assertTrue(eth1.order.isEmpty(), "held within the batch");
        fromOverlay.endOfBatch();
        assertEquals(List.of("segmented"), eth1.order);
        fromOverlay.endOfBatch();
        assertEquals(1, eth1.order.size(), "a second end of batch sends nothing");
    }

    private void batch(final byte[]... frames)
    {
        for (final byte[] frame : frames)
        {
            deliver(frame);
        }
        fromOverlay.endOfBatch();
    }

    private void deliver(final byte[] inner)
    {
        final UnsafeBuffer buffer = PipelineInput.vxlanPayload(0x08, 100, inner);
        fromOverlay.onIpv4Datagram(buffer, PipelineInput.VXLAN_OFFSET, 8 + inner.length, VTEP_B.ipv4(), now);
    }

    /** An IPv4 TCP segment from the remote host to host 1, DF set, correct checksums; {@code index} picks the IP ID. */
    private static byte[] segment(final int sequence, final int flags, final int payload, final int index)
    {
        final byte[] frame = new byte[54 + payload];
        final ByteBuffer b = ByteBuffer.wrap(frame);
        b.put(0, macBytes(HOST_1)).put(6, macBytes(REMOTE_HOST)).putShort(12, (short)0x0800);
        b.put(14, (byte)0x45).putShort(16, (short)(40 + payload)).putShort(18, (short)(100 + index)).putShort(20, (short)0x4000);
        b.put(22, (byte)64).put(23, (byte)IpProtocol.TCP).put(26, REMOTE_IP).put(30, HOST_IP);
        b.putShort(24, (short)Checksum.finish(Checksum.partialSum(new UnsafeBuffer(frame), 14, 20, 0)));
        b.putShort(34, (short)5201).putShort(36, (short)40000).putInt(38, sequence).putInt(42, 777);
        b.put(46, (byte)0x50).put(47, (byte)flags).putShort(48, (short)512);
        for (int i = 0; i < payload; i++)
        {
            frame[54 + i] = (byte)(sequence + i);
        }
        fixTcpChecksum(frame);
        return frame;
    }

    private static void fixTcpChecksum(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int tcpLength = frame.length - 34;
        buffer.putShort(50, (short)0);
        final int sum = Checksum.partialSum(buffer, 34, tcpLength, Checksum.ipv4PseudoHeaderSum(buffer, 14, IpProtocol.TCP, tcpLength));
        ByteBuffer.wrap(frame).putShort(50, (short)Checksum.finish(sum));
    }

    /** An IPv6 TCP segment from the remote host to host 1 with correct checksum. */
    private static byte[] segment6(final int sequence, final int payload)
    {
        final byte[] frame = new byte[74 + payload];
        final ByteBuffer b = ByteBuffer.wrap(frame);
        b.put(0, macBytes(HOST_1)).put(6, macBytes(REMOTE_HOST)).putShort(12, (short)0x86DD);
        b.put(14, (byte)0x60).putShort(18, (short)(20 + payload)).put(20, (byte)IpProtocol.TCP).put(21, (byte)64);
        b.put(22, REMOTE_IP6).put(38, HOST_IP6);
        b.putShort(54, (short)5201).putShort(56, (short)40000).putInt(58, sequence).putInt(62, 777);
        b.put(66, (byte)0x50).put(67, (byte)ACK).putShort(68, (short)512);
        for (int i = 0; i < payload; i++)
        {
            frame[74 + i] = (byte)(sequence + i);
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int sum = Checksum.partialSum(buffer, 54, 20 + payload, Checksum.ipv6PseudoHeaderSum(buffer, 14, IpProtocol.TCP, 20 + payload));
        b.putShort(70, (short)Checksum.finish(sum));
        return frame;
    }

    private static byte[] macBytes(final long mac)
    {
        final byte[] bytes = new byte[6];
        for (int i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(mac >>> (40 - 8 * i));
        }
        return bytes;
    }
}
