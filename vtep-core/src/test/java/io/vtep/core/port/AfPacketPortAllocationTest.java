package io.vtep.core.port;

import static io.vtep.core.port.TestFrames.frame;
import static io.vtep.core.port.TestFrames.nativeCopy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.management.ThreadMXBean;

import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.core.nativeio.TestNamespaces;

/**
 * The data path's promise (docs/architecture.md §1): sending and receiving frames allocates nothing once warm.
 *
 * <p>Measured with the JVM's per-thread allocation counter ({@code getCurrentThreadAllocatedBytes},
 * the bytes of TLAB and outside-TLAB allocation made by this thread), over frames sent and
 * received on this one thread after a warm-up long enough for C2 to compile the loop.
 *
 * <p>Tolerance: {@link #TOLERANCE_BYTES} for the whole measured run, not per frame. It covers what
 * the JIT can cause on this thread while the loop runs (a late deoptimisation re-entering the
 * interpreter, which may allocate a few objects once). One allocation per frame, even a 16-byte
 * object, would be 160,000 bytes over 10,000 frames: far above it.
 */
class AfPacketPortAllocationTest
{
    private static final int WARMUP_FRAMES = 50_000;
    private static final int MEASURED_FRAMES = 10_000;
    private static final int BURST = 16;
    private static final long TOLERANCE_BYTES = 4_096;

    private final TestNamespaces namespaces = new TestNamespaces();
    private AfPacketPort a;
    private AfPacketPort b;

    @BeforeEach
    void setUp() throws Exception
    {
        final String ns1 = namespaces.create(false);
        final String ns2 = namespaces.create(false);
        namespaces.veth(ns1, "va", ns2, "vb");
        a = NetworkNamespace.call(ns1, () -> AfPacketPort.open("va"));
        b = NetworkNamespace.call(ns2, () -> AfPacketPort.open("vb"));
    }

    @AfterEach
    void tearDown() throws IOException
    {
        if (a != null)
        {
            a.close();
        }
        if (b != null)
        {
            b.close();
        }
        namespaces.close();
    }

    @Test
    void steadyStateSendAndReceiveAllocateNothing()
    {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocation per thread");
        threads.setThreadAllocatedMemoryEnabled(true);

        // untagged and tagged (the tag is put back on receive: that path is measured too)
        final UnsafeBuffer untagged = nativeCopy(frame(1, 128));
        final UnsafeBuffer tagged = nativeCopy(frame(2, 132, 0x8100, 100));
        final FrameBatch batch = new FrameBatch(BURST);

        assertEquals(WARMUP_FRAMES, exchange(untagged, tagged, batch, WARMUP_FRAMES));

        final long before = threads.getCurrentThreadAllocatedBytes();
        final long received = exchange(untagged, tagged, batch, MEASURED_FRAMES);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(MEASURED_FRAMES, received);
        System.out.printf("AfPacketPort: %d bytes allocated for %d frames sent and received%n", allocated, MEASURED_FRAMES);
        assertTrue(allocated <= TOLERANCE_BYTES,
            allocated + " bytes allocated for " + MEASURED_FRAMES + " frames sent and received");
    }

    /** Sends bursts of frames from A and receives them at B; returns how many arrived. No allocation in here. */
    private long exchange(final UnsafeBuffer untagged, final UnsafeBuffer tagged, final FrameBatch batch, final int frames)
    {
        long received = 0;
        for (int sent = 0; sent < frames; sent += BURST)
        {
            for (int i = 0; i < BURST; i++)
            {
                final UnsafeBuffer frame = (i & 1) == 0 ? untagged : tagged;
                if (!a.send(frame, 0, (i & 1) == 0 ? 128 : 132))
                {
                    return received;
                }
            }
            int burstReceived = 0;
            while (burstReceived < BURST)
            {
                final int count = b.receive(batch, 1_000);
                if (count == 0)
                {
                    return received + burstReceived;
                }
                burstReceived += count;
            }
            received += burstReceived;
        }
        return received;
    }
}
