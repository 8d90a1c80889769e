package io.vtep.core.port;

import static io.vtep.core.port.TestFrames.assertDeliveredExactly;
import static io.vtep.core.port.TestFrames.frame;
import static io.vtep.core.port.TestFrames.nativeCopy;
import static io.vtep.core.port.TestFrames.sendAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.vtep.core.nativeio.CpuMap;
import io.vtep.core.nativeio.PinnedThread;
import io.vtep.core.nativeio.TestNamespaces;

/** AfPacketPort on a veth pair between two namespaces: A (ns1, "va") and B (ns2, "vb"). */
class AfPacketPortTest extends VethPortTest<AfPacketPort>
{
    /** 12,000 frames of 1,000 bytes overflow the receive socket's 4 MiB. */
    AfPacketPortTest()
    {
        super(AfPacketPort::open, 12_000, "access port va: not permitted to open a packet socket; the process needs CAP_NET_RAW");
    }

    private AfPacketPort open(final String namespace, final String interfaceName) throws Exception
    {
        return open(namespace, interfaceName, receiver());
    }

    @Test
    void framesSentAtOneEndArriveExactlyAtTheOther()
    {
        assertDeliveredExactly(a, b, batch, frame(1, 60), frame(2, 1000), frame(3, 1514));
    }

    /**
     * A veth hands a TSO super-frame to its peer whole (what a host with default offloads sends):
     * B reads all of it in one slot, with the segmentation its sender asked for. With a receive ring
     * such a frame is longer than a ring frame and comes through the socket queue instead.
     */
    @Test
    void aTcpSuperFrameArrivesWholeWithItsSegmentationRequest()
    {
        final int payload = 8_000;
        final java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(14 + 20 + 20 + payload);
        frame.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short)0x0800);
        frame.put((byte)0x45).put((byte)0).putShort((short)(20 + 20 + payload)).putInt(0).put((byte)64).put((byte)6).putShort((short)0);
        frame.put(new byte[] {10, 0, 0, 1, 10, 0, 0, 2});
        frame.putShort((short)40_000).putShort((short)5_001).putInt(1).putInt(1).put((byte)0x50).put((byte)0x18).putShort((short)65_535);
        frame.putInt(0);
        while (frame.hasRemaining())
        {
            frame.put((byte)frame.position());
        }
        final UnsafeBuffer buffer = nativeCopy(frame.array());
        assertTrue(a.sendSegmented(buffer, 0, frame.capacity(), 1_500));

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int count = 0;
        while (count == 0 && System.nanoTime() < deadline)
        {
            count = b.receive(batch, 100);
        }
        assertEquals(1, count, "one super-frame");
        assertEquals(frame.capacity(), batch.frameLength(0));
        assertEquals(FrameOffload.TCP_SEGMENTS, FrameOffload.kind(batch.offload(0)));
        assertEquals(1_460, FrameOffload.segmentSize(batch.offload(0)));
        final byte[] received = new byte[frame.capacity()];
        batch.buffer().getBytes(batch.frameOffset(0) + 60, received, 60, payload - 6);
        assertArrayEquals(java.util.Arrays.copyOfRange(frame.array(), 60, 54 + payload), java.util.Arrays.copyOfRange(received, 60,
            54 + payload), "payload intact");
    }

    /** A receive blocked in poll wakes for each frame as it comes, one at a time. */
    @Test
    void aBlockedReceiveWakesForEachFrame() throws Exception
    {
        for (int i = 0; i < 20; i++)
        {
            final int sequence = i;
            final FutureTask<Long> sender = new FutureTask<>(() ->
            {
                Thread.sleep(20);
                sendAll(a, frame(sequence, 60));
                return System.nanoTime();
            });
            final Thread thread = new Thread(sender);
            thread.start();
            final int count = b.receive(batch, 3_000);
            final long woken = System.nanoTime();
            final long sent = sender.get();
            assertEquals(1, count, "frame " + i);
            assertTrue(woken - sent < TimeUnit.MILLISECONDS.toNanos(500), "frame " + i + " woke the receiver after " +
                (woken - sent) / 1000 + " us");
        }
    }

    @Test
    void aSendAtAnOffsetSendsExactlyThatRange()
    {
        final byte[] frame = frame(9, 100);
        final UnsafeBuffer buffer = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(300));
        buffer.setMemory(0, 300, (byte)0xEE);
        buffer.putBytes(77, frame);
        assertTrue(a.send(buffer, 77, frame.length));
        assertArrayEquals(frame, TestFrames.receive(b, batch, 1, 5_000).getFirst());
    }

    @Test
    void vlanTagsTheKernelMovedIntoMetadataAreBackInTheFrame()
    {
        assertDeliveredExactly(a, b, batch,
            frame(1, 64, 0x8100, 0x6064),                  // 802.1Q, PCP 3, VID 100
            frame(2, 64, 0x8100, 0x0000),                  // priority tag: VID 0, PCP 0
            frame(3, 1518, 0x8100, 0x0FFE),                // full-size tagged frame, VID 4094
            frame(4, 64, 0x88A8, 0x00C8),                  // 802.1ad service tag, VID 200
            frame(5, 68, 0x88A8, 0x00C8, 0x8100, 0x2064)); // QinQ: only the outer tag is moved by the kernel
    }

    @Test
    void membersOfAFanoutGroupDoNotSeeTheHostsSendsEither() throws Exception
    {
        // In a PACKET_FANOUT group the group's hook, not the socket's, decides on outgoing frames
        // (PACKET_IGNORE_OUTGOING of a member does not apply): the port's own check must drop them.
        final AfPacketPort a2 = open(ns1, "va");
        final AfPacketPort a3 = open(ns1, "va");
        a2.joinFanout(a3.startFanout());
        for (int i = 0; i < 20; i++)
        {
            final byte[] frame = frame(i, 80 + i);
            assertTrue(a.send(nativeCopy(frame), 0, frame.length));
        }
        assertEquals(20, TestFrames.receive(b, batch, 20, 5_000).size());
        assertEquals(0, a2.receive(batch, 200) + a3.receive(batch, 200));
    }

    @Test
    void aSecondSocketOnTheSameInterfaceDoesNotSeeTheFirstOnesSendsEither() throws Exception
    {
        // PACKET_OUTGOING is "sent by this host", whichever socket sent it
        final AfPacketPort a2 = open(ns1, "va");
        final byte[] frame = frame(1, 80);
        assertTrue(a.send(nativeCopy(frame), 0, frame.length));
        assertEquals(1, TestFrames.receive(b, batch, 1, 5_000).size());
        assertEquals(0, a2.receive(batch, 200));
    }

    @Test
    void aFanoutGroupByCpuHandsEachFrameToTheMemberOfTheCpuThatReceivedIt() throws Exception
    {
        // A veth delivers to its peer in the sender's softirq: frames sent by a thread pinned to
        // CPU c are received on c, and must all reach the member mapped to c.
        final int[] cpuOfMember = PinnedThread.twoCpusCrossed();
        final AfPacketPort a2 = open(ns1, "va");
        a.steering(FanoutSteering.byCpu(CpuMap.of(cpuOfMember)));
        a2.steering(FanoutSteering.byCpu(CpuMap.of(cpuOfMember)));
        a2.joinFanout(a.startFanout());
        final List<AfPacketPort> members = List.of(a, a2);
        for (int round = 0; round < 3; round++)
        {
            for (int from = 0; from < members.size(); from++)
            {
                PinnedThread.call(cpuOfMember[from], () ->
                {
                    for (int i = 0; i < 10; i++)
                    {
                        final byte[] frame = frame(i, 80);
                        assertTrue(b.send(nativeCopy(frame), 0, frame.length));
                    }
                    return null;
                });
                assertEquals(10, TestFrames.receive(members.get(from), batch, 10, 5_000).size(), "member " + from);
                assertEquals(0, members.get(1 - from).receive(batch, 100), "the other member, frames sent from CPU " + cpuOfMember[from]);
            }
        }
    }

    @Test
    void manyFramesArriveInOrderInBatches()
    {
        final int frames = 1_000;
        final UnsafeBuffer buffer = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(200));
        for (int i = 0; i < frames; i++)
        {
            final byte[] frame = frame(i, 60 + i % 100);
            buffer.putBytes(0, frame);
            assertTrue(a.send(buffer, 0, frame.length));
        }
        int largestBatch = 0;
        final List<byte[]> received = new ArrayList<>();
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (received.size() < frames && System.nanoTime() < deadline)
        {
            final int count = b.receive(batch, 100);
            largestBatch = Math.max(largestBatch, count);
            for (int i = 0; i < count; i++)
            {
                final byte[] frame = new byte[batch.frameLength(i)];
                batch.buffer().getBytes(batch.frameOffset(i), frame);
                received.add(frame);
            }
        }
        assertEquals(frames, received.size());
        for (int i = 0; i < frames; i++)
        {
            assertArrayEquals(frame(i, 60 + i % 100), received.get(i), "frame " + i);
        }
        assertEquals(batch.capacity(), largestBatch, "queued frames are drained a full batch at a time");
    }

    @Test
    void receiveReturnsZeroOnTimeout()
    {
        assertEquals(0, b.receive(batch, 0));
        assertEquals(0, b.receive(batch, 50));
        assertEquals(0, batch.count());
    }

    @Test
    void aTaggedFrameTooLongOnceTheKernelsTagIsBackIsDroppedAndCounted() throws IOException
    {
        TestNamespaces.ip(ns1, "link", "set", "va", "mtu", "16000");
        TestNamespaces.ip(ns2, "link", "set", "vb", "mtu", "16000");
        // read as MAX - 2 bytes (the kernel strips the tag), too long once the tag is back
        final byte[] taggedTooLong = frame(1, FrameBatch.MAX_FRAME_LENGTH + 2, 0x8100, 10);
        final byte[] small = frame(2, 64);
        sendAll(a, taggedTooLong, small);
        assertArrayEquals(small, TestFrames.receive(b, batch, 1, 5_000).getFirst());
        assertEquals(1, b.truncatedFrames());
    }

    @Test
    void theInterfaceIsPromiscuousWhileThePortIsOpen() throws IOException
    {
        // a PACKET_MR_PROMISC membership counts in "promiscuity"; the PROMISC flag shown by
        // "ip link" is only the one set by "ip link set promisc on"
        assertTrue(TestNamespaces.ip(ns2, "-d", "link", "show", "vb").contains("promiscuity 1"));
        b.close();
        assertTrue(TestNamespaces.ip(ns2, "-d", "link", "show", "vb").contains("promiscuity 0"),
            "closing the port releases the socket and its membership at once");
    }

    @Test
    void badSendArgumentsReturnFalse()
    {
        final byte[] frame = frame(1, 60);
        assertFalse(a.send(new UnsafeBuffer(frame), 0, frame.length), "heap buffers are refused");
        final UnsafeBuffer buffer = nativeCopy(frame);
        assertFalse(a.send(buffer, 1, frame.length), "range beyond the buffer");
        assertFalse(a.send(buffer, -1, 10));
        assertFalse(a.send(buffer, 0, 0));
        assertFalse(a.send(nativeCopy(frame(2, 1600)), 0, 1600), "longer than the MTU");
    }

    @Test
    void anInterfaceNameTooLongForTheKernelIsRefused()
    {
        assertThrows(IOException.class, () -> AfPacketPort.open("an-interface-name-too-long"));
    }

    @Test
    void aFullSendBufferFailsTheSendInsteadOfBlockingTheWorker() throws Exception
    {
        // A token bucket of 8 kbit/s with room for 10 MB holds every frame in the qdisc, still
        // charged to the socket: the send buffer (net.core.wmem_default) fills after ~150 frames
        // and a blocking send() would then wait minutes for the bucket to drain.
        TestNamespaces.exec(ns1, "tc", "qdisc", "add", "dev", "va", "root", "tbf", "rate", "8kbit", "burst", "1600",
            "limit", "10000000");
        final UnsafeBuffer frame = nativeCopy(frame(1, 1400));
        final FutureTask<Integer> sending = new FutureTask<>(() ->
        {
            int refused = 0;
            for (int i = 0; i < 1000; i++)
            {
                refused += a.send(frame, 0, 1400) ? 0 : 1;
            }
            return refused;
        });
        final Thread sender = new Thread(sending, "af-packet-sender");
        sender.setDaemon(true);
        sender.start();

        final int refused = sending.get(30, TimeUnit.SECONDS); // blocking sends: minutes
        assertTrue(refused > 0, "EAGAIN/ENOBUFS reported as a failed send, for the caller to count");
        assertTrue(refused < 1000, "the frames that fit were taken");
    }
}
