package io.vtep.core.capture;

import static io.vtep.core.testing.TestNetwork.HOST_1;
import static io.vtep.core.testing.TestNetwork.HOST_2;
import static io.vtep.core.testing.TestNetwork.LOCAL;
import static io.vtep.core.testing.TestNetwork.REMOTE_HOST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vtep.core.pipeline.AccessPipeline;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.DataPlane;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.OverlayPipeline;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.port.FrameBatch;
import io.vtep.core.testing.EthernetFrames;
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

/**
 * Captures through the real pipelines (recording ports and underlay): what a capture of a VNI
 * holds, in which direction, with which remote VTEP; that other VNIs stay out; that a full ring
 * counts drops instead of waiting; and that an ended capture leaves the data path as it was.
 *
 * <p>Port acc1: untagged → VNI 100, VLAN 10 → VNI 200; port acc2: untagged → VNI 100. VNI 100 floods
 * to 192.0.2.2.
 */
class CaptureTest
{
    private static final VtepAddress PEER = VtepAddress.parse("192.0.2.2");
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private Fdb fdb;
    private ForwardingTables tables;
    private AccessPipeline fromAcc1;
    private AccessPipeline fromAcc2;
    private OverlayPipeline fromOverlay;

    @BeforeEach
    void build()
    {
        fdb = new Fdb(FdbSettings.defaults().withClock(now::get));
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        fdb.addVni(200, LearningMode.DATA_PLANE, 0, null);
        fdb.setFloodList(100, new RemoteVtep[] {fdb.remoteVteps().intern(PEER)});
        tables = new ForwardingTables(fdb);
        final var vni100 = tables.addVni(100);
        final var vni200 = tables.addVni(200);
        final PortContext acc1 = tables.addPort(new RecordingPort("acc1"));
        final PortContext acc2 = tables.addPort(new RecordingPort("acc2"));
        tables.attach(acc1, Attachment.UNTAGGED, vni100);
        tables.attach(acc1, 10, vni200);
        tables.attach(acc2, Attachment.UNTAGGED, vni100);
        final DataPlane plane = new DataPlane(tables, new CounterSnapshotSource(new CounterLayout(2, 16)), LOCAL, 4789, 64,
            SourcePortRange.DEFAULT, 1500, new RecordingTransmitter());
        fromAcc1 = plane.accessPipeline(acc1);
        fromAcc2 = plane.accessPipeline(acc2);
        fromOverlay = plane.overlayPipeline();
    }

    private void receiveOnAccess(final AccessPipeline pipeline, final byte[] frame)
    {
        final FrameBatch batch = new FrameBatch(1);
        batch.buffer().putBytes(batch.slotFrameOffset(0), frame);
        batch.add(batch.slotFrameOffset(0), frame.length);
        pipeline.process(batch, now.get());
        fdb.conductor().doWork();
    }

    private void receiveFromOverlay(final VtepAddress vtep, final int vni, final byte[] inner)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(8 + inner.length + 64));
        final int offset = 32;
        buffer.putByte(offset, (byte)0x08);
        buffer.putByte(offset + 4, (byte)(vni >> 16));
        buffer.putByte(offset + 5, (byte)(vni >> 8));
        buffer.putByte(offset + 6, (byte)vni);
        buffer.putBytes(offset + 8, inner);
        fromOverlay.onIpv4Datagram(buffer, offset, 8 + inner.length, vtep.ipv4(), now.get());
        fdb.conductor().doWork();
    }

    private static byte[] frame(final long destination, final long source, final int payload)
    {
        return EthernetFrames.ethernet(destination, source, 14 + payload);
    }

    private static byte[] drain(final CaptureStream stream)
    {
        final ByteBuf out = Unpooled.buffer();
        stream.pump(out, Integer.MAX_VALUE);
        return ByteBufUtil.getBytes(out);
    }

    @Test
    void aCaptureHoldsBothDirectionsOfItsVniWithTheRemoteVtepAndNothingOfAnotherVni()
    {
        final CaptureRegistry registry = new CaptureRegistry(tables);
        assertNull(tables.vni(100).captureTap(), "no capture, no tap: the data path reads one null field");
        final CaptureSession session = registry.start(100, CaptureSession.MAX_SNAPLEN);
        final CaptureStream stream = new CaptureStream(registry, session, 0, 0);
        assertNotNull(tables.vni(100).captureTap());
        assertNull(tables.vni(200).captureTap(), "only the captured VNI has a tap");

        final byte[] arp = frame(MacAddress.BROADCAST, HOST_1, 46);
        receiveOnAccess(fromAcc1, arp);                                            // acc1 -> flood
        final byte[] fromRemote = frame(HOST_1, REMOTE_HOST, 100);
        receiveFromOverlay(PEER, 100, fromRemote);                                 // vtep -> acc1
        final byte[] toRemote = frame(REMOTE_HOST, HOST_1, 80);
        receiveOnAccess(fromAcc1, toRemote);                                       // acc1 -> vtep
        final byte[] local = frame(HOST_1, HOST_2, 60);
        receiveOnAccess(fromAcc2, local);                                          // acc2 -> acc1
        receiveOnAccess(fromAcc1, EthernetFrames.tagged(frame(MacAddress.BROADCAST, HOST_1, 46), 10)); // VNI 200
        receiveFromOverlay(PEER, 200, frame(MacAddress.BROADCAST, REMOTE_HOST, 46));                  // VNI 200

        final byte[] pcapng = drain(stream);
        final List<PcapngBlocks.Packet> packets = PcapngBlocks.packets(pcapng);
        assertEquals(4, packets.size(), "the four frames of VNI 100, none of VNI 200: " + packets);
        assertEquals("access acc1 -> flood", packets.get(0).comment());
        assertEquals(PcapngWriter.OUTBOUND | PcapngWriter.BROADCAST, packets.get(0).flags());
        assertArrayEquals(arp, packets.get(0).data());
        assertEquals("vtep 192.0.2.2 -> access acc1", packets.get(1).comment());
        assertEquals(PcapngWriter.INBOUND | PcapngWriter.UNICAST, packets.get(1).flags());
        assertArrayEquals(fromRemote, packets.get(1).data());
        assertEquals("access acc1 -> vtep 192.0.2.2", packets.get(2).comment());
        assertEquals(PcapngWriter.OUTBOUND | PcapngWriter.UNICAST, packets.get(2).flags());
        assertArrayEquals(toRemote, packets.get(2).data());
        assertEquals("access acc2 -> access acc1", packets.get(3).comment());
        assertArrayEquals(local, packets.get(3).data());
        assertEquals(1_000 * SECOND + session.epochOffsetNanos(), packets.get(0).timestampNanos(),
            "stamped with the batch time, converted to the epoch");
        assertEquals(PcapngWriter.SECTION_HEADER, PcapngBlocks.blocks(pcapng).get(0).type());
        assertEquals(PcapngWriter.INTERFACE_DESCRIPTION, PcapngBlocks.blocks(pcapng).get(1).type());

        final ByteBuf end = Unpooled.buffer();
        stream.finish(end);
        final byte[] statistics = ByteBufUtil.getBytes(end);
        assertEquals(4, PcapngBlocks.statistic(statistics, PcapngWriter.ISB_USRDELIV));
        assertEquals(0, PcapngBlocks.statistic(statistics, PcapngWriter.ISB_IFDROP));
        assertNull(tables.vni(100).captureTap(), "an ended capture leaves the data path");
        assertEquals(0, registry.active());
        assertEquals(4, registry.frames());
    }

    @Test
    void theSnaplenCutsFramesAndKeepsTheirOriginalLength()
    {
        final CaptureRegistry registry = new CaptureRegistry(tables);
        final CaptureStream stream = new CaptureStream(registry, registry.start(100, 20), 0, 0);
        final byte[] big = frame(REMOTE_HOST, HOST_1, 1000);
        receiveOnAccess(fromAcc1, big);

        final PcapngBlocks.Packet packet = PcapngBlocks.packets(drain(stream)).getFirst();
        assertEquals(20, packet.data().length);
        assertEquals(big.length, packet.originalLength());
        stream.close();
    }

    @Test
    void aFullRingCountsDropsAndNeverWaits()
    {
        // 64 KiB ring; nobody drains it while 1,000 frames of ~1 KB go by.
        final CaptureRegistry registry = new CaptureRegistry(tables, 64 * 1024);
        final CaptureSession session = registry.start(100, 2048);
        final CaptureStream stream = new CaptureStream(registry, session, 0, 0);
        final byte[] toRemote = frame(REMOTE_HOST, HOST_1, 1000);
        receiveFromOverlay(PEER, 100, frame(HOST_1, REMOTE_HOST, 46)); // learn REMOTE_HOST
        for (int i = 0; i < 1_000; i++)
        {
            receiveOnAccess(fromAcc1, toRemote);
        }
        final List<PcapngBlocks.Packet> captured = PcapngBlocks.packets(drain(stream));
        assertTrue(captured.size() > 10 && captured.size() < 100, "the ring took what fits: " + captured.size());
        assertEquals(1_001, captured.size() + session.drops(), "every frame offered was captured or counted as dropped");
        assertEquals(session.drops(), registry.drops());

        // Drained: room again.
        final long dropsBefore = session.drops();
        receiveOnAccess(fromAcc1, toRemote);
        assertEquals(1, PcapngBlocks.packets(drain(stream)).size(), "drops " + dropsBefore + " -> " + session.drops());

        final ByteBuf end = Unpooled.buffer();
        stream.finish(end);
        final byte[] statistics = ByteBufUtil.getBytes(end);
        assertEquals(session.drops(), PcapngBlocks.statistic(statistics, PcapngWriter.ISB_IFDROP));
        assertEquals(1_002, PcapngBlocks.statistic(statistics, PcapngWriter.ISB_IFRECV));
        final long dropsAtEnd = registry.drops();
        receiveOnAccess(fromAcc1, toRemote);
        assertEquals(dropsAtEnd, registry.drops(), "an ended capture is offered nothing more");
    }

    @Test
    void aCountEndsTheCaptureAndTheRestInTheRingIsNeitherWrittenNorDropped()
    {
        final CaptureRegistry registry = new CaptureRegistry(tables);
        final CaptureSession session = registry.start(100, CaptureSession.MAX_SNAPLEN);
        final CaptureStream stream = new CaptureStream(registry, session, 3, 0);
        for (int i = 0; i < 5; i++)
        {
            receiveOnAccess(fromAcc1, frame(MacAddress.BROADCAST, HOST_1, 46));
        }
        assertEquals(3, PcapngBlocks.packets(drain(stream)).size());
        assertTrue(stream.isComplete());
        assertEquals(0, session.drops());
        stream.close();
    }

    /**
     * With a capture running the data path still allocates nothing: the copy into the ring and the
     * counted drop when it is full (per-thread allocation counter, after a warm-up for C2). The
     * frames are ones the VNI drops after the capture (same port, split horizon), so the recording
     * port and underlay, which allocate, see none of them.
     */
    @Test
    void forwardingWithACaptureRunningAllocatesNothingPerFrame()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        receiveFromOverlay(PEER, 100, frame(HOST_2, REMOTE_HOST, 46));     // REMOTE_HOST behind the peer
        receiveOnAccess(fromAcc1, frame(REMOTE_HOST, HOST_1, 46));         // HOST_1 on acc1
        final CaptureRegistry registry = new CaptureRegistry(tables, 64 * 1024);
        final CaptureSession session = registry.start(100, 256);
        final FrameBatch sameAccessPort = new FrameBatch(1);
        final byte[] toItself = frame(HOST_1, HOST_1, 100);
        sameAccessPort.buffer().putBytes(sameAccessPort.slotFrameOffset(0), toItself);
        sameAccessPort.add(sameAccessPort.slotFrameOffset(0), toItself.length);
        final UnsafeBuffer splitHorizon = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        splitHorizon.putByte(32, (byte)0x08);
        splitHorizon.putByte(38, (byte)100);
        splitHorizon.putBytes(40, frame(REMOTE_HOST, REMOTE_HOST, 100));
        final org.agrona.concurrent.MessageHandler discard = (type, buffer, index, length) ->
        {};

        forwardCapturing(sameAccessPort, splitHorizon, session, discard, 200_000);
        final long before = threads.getCurrentThreadAllocatedBytes();
        final long dropsBefore = session.drops();
        forwardCapturing(sameAccessPort, splitHorizon, session, discard, 100_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        System.out.printf("capture running: %d bytes allocated for 200000 frames, %d capture drops%n", allocated,
            session.drops() - dropsBefore);
        assertTrue(session.drops() > dropsBefore, "the drop path was measured too");
        assertTrue(allocated <= 4_096, allocated + " bytes allocated for 200000 frames with a capture running");
    }

    /** {@code rounds} × (one access frame + one overlay frame); the ring is drained every 1,000 rounds only. */
    private void forwardCapturing(final FrameBatch access, final UnsafeBuffer overlay, final CaptureSession session,
        final org.agrona.concurrent.MessageHandler discard, final int rounds)
    {
        final int vxlanLength = 8 + 14 + 100;
        for (int i = 0; i < rounds; i++)
        {
            fromAcc1.process(access, now.get());
            fromOverlay.onIpv4Datagram(overlay, 32, vxlanLength, PEER.ipv4(), now.get());
            if (i % 1_000 == 0)
            {
                while (session.drain(discard, 1_000) > 0)
                {
                    // emptied
                }
            }
        }
    }

    @Test
    void atMostFourCapturesRunAndAnUnknownVniIsRefused()
    {
        final CaptureRegistry registry = new CaptureRegistry(tables);
        for (int i = 0; i < CaptureRegistry.MAX_CAPTURES; i++)
        {
            assertNotNull(registry.start(i % 2 == 0 ? 100 : 200, 64));
        }
        assertNull(registry.start(100, 64), "one more is refused");
        assertThrows(IllegalArgumentException.class, () -> registry.start(999, 64));
        assertThrows(IllegalArgumentException.class, () -> registry.start(100, 0));
    }

    @Test
    void twoCapturesOfOneVniEachGetEveryFrame()
    {
        final CaptureRegistry registry = new CaptureRegistry(tables);
        final CaptureStream first = new CaptureStream(registry, registry.start(100, 64), 0, 0);
        final CaptureStream second = new CaptureStream(registry, registry.start(100, 64), 0, 0);
        receiveOnAccess(fromAcc1, frame(MacAddress.BROADCAST, HOST_1, 46));
        first.close();
        receiveOnAccess(fromAcc1, frame(MacAddress.BROADCAST, HOST_1, 46));
        assertEquals(1, PcapngBlocks.packets(drain(first)).size());
        assertEquals(2, PcapngBlocks.packets(drain(second)).size());
        second.close();
        assertNull(tables.vni(100).captureTap());
    }
}
