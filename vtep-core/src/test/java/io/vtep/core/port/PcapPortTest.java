package io.vtep.core.port;

import static io.vtep.core.port.TestFrames.assertDeliveredExactly;
import static io.vtep.core.port.TestFrames.frame;
import static io.vtep.core.port.TestFrames.nativeCopy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import com.sun.management.ThreadMXBean;

/**
 * PcapPort on a veth pair: an AfPacketPort at A (ns1, "va") and a PcapPort at B (ns2, "vb"), so
 * each driver checks the other.
 */
class PcapPortTest extends VethPortTest<PcapPort>
{
    /** 6,000 frames of 1,000 bytes overflow libpcap's ring; pcap_stats counts its drops. */
    PcapPortTest()
    {
        super(PcapPort::open, 6_000, "access port va (pcap): ");
    }

    @Test
    void receivesFramesExactly()
    {
        assertTrue(b.immediateMode(), "libpcap 1.10 has immediate mode");
        assertDeliveredExactly(a, b, batch, frame(1, 60), frame(2, 1000), frame(3, 1514));
    }

    @Test
    void sendsFramesExactly()
    {
        assertDeliveredExactly(b, a, batch, frame(1, 60), frame(2, 1514), frame(3, 64, 0x8100, 0x0064));
        final byte[] fromHeap = frame(4, 60);
        assertTrue(b.send(new UnsafeBuffer(fromHeap), 0, fromHeap.length), "pcap copies, so heap buffers are fine");
        assertArrayEquals(fromHeap, TestFrames.receive(a, batch, 1, 5_000).getFirst());
    }

    @Test
    void vlanTagsArePreserved()
    {
        assertDeliveredExactly(a, b, batch,
            frame(1, 64, 0x8100, 0x6064),
            frame(2, 64, 0x88A8, 0x00C8),
            frame(3, 68, 0x88A8, 0x00C8, 0x8100, 0x2064));
    }

    @Test
    void receivesInBatchesAndTimesOut()
    {
        assertEquals(0, b.receive(batch, 0));
        assertEquals(0, b.receive(batch, 50));
        // a burst well beyond one batch must wait in libpcap's ring (see PcapPort.SNAPLEN)
        final byte[][] burst = new byte[500][];
        Arrays.setAll(burst, i -> frame(i, 100));
        assertDeliveredExactly(a, b, batch, burst);
    }

    /**
     * The pcap driver goes through libpcap by FFM, with pointers as longs and reusable views: a
     * send and a receive allocate nothing, measured on this thread over 2,000 frames each way
     * (less than one 16-byte object per frame would cost).
     */
    @Test
    void sendingAndReceivingAllocateNothingPerFrame()
    {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        final UnsafeBuffer frame = nativeCopy(frame(1, 100));
        final int rounds = 20;
        final int perRound = 100;
        long received = 0;
        long before = 0;
        for (int round = 0; round < 2 * rounds; round++)
        {
            if (round == rounds)
            {
                before = threads.getCurrentThreadAllocatedBytes(); // the first half warms up
                received = 0;
            }
            for (int i = 0; i < perRound; i++)
            {
                assertTrue(b.send(frame, 0, 100));
                assertTrue(a.send(frame, 0, 100));
            }
            int count = 0;
            for (int tries = 0; count < perRound && tries < 1_000; tries++)
            {
                count += b.receive(batch, 100);
            }
            received += count;
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals((long)rounds * perRound, received, "every frame sent to the pcap port arrived");
        assertTrue(allocated < rounds * perRound * 16L, allocated + " bytes allocated for " + 2 * rounds * perRound + " frames");
    }

}
