package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import io.vtep.encap.VtepAddress;

/**
 * The data-path methods allocate nothing: counted with the JVM's per-thread allocation counter
 * around a loop, after a warm-up (a byte count, not a time).
 */
class DataPathAllocationTest
{
    private static final int ROUNDS = 200_000;

    @Test
    void lookupsLearningAndVtepLookupsDoNotAllocate()
    {
        final com.sun.management.ThreadMXBean threads = threadBean();
        final ManualClock clock = new ManualClock(0);
        final Fdb fdb = new Fdb(FdbSettings.defaults().withClock(clock).withLearnQueueCapacity(64));
        final VniFdb vni = fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final VtepAddress address = VtepAddress.parse("198.51.100.2");
        final VtepAddress address6 = VtepAddress.parse("2001:db8::2");
        final RemoteVtep vtep = fdb.remoteVteps().intern(address);
        fdb.remoteVteps().intern(address6);
        for (int i = 0; i < 1000; i++)
        {
            vni.learnLocal(0x0200_0000_0000L | i, i, 0);
            fdb.conductor().doWork();
        }

        long sink = 0;
        for (int pass = 0; pass < 2; pass++) // the first pass warms up
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < ROUNDS; i++)
            {
                final long mac = 0x0200_0000_0000L | (i % 2000);
                sink += vni.lookup(mac);
                vni.learnLocal(mac, i % 1000, i);                 // refresh, or queue (full: dropped)
                vni.learnRemote(0x0600_0000_0000L | i, vtep, i); // queue (full: dropped)
                sink += vni.floodList().length;
                sink += fdb.remoteVteps().findIpv4(address.ipv4()).index();
                sink += fdb.remoteVteps().findIpv6(address6.ipv6High(), address6.ipv6Low()).index();
                sink += null == fdb.vni(100) ? 0 : 1;
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (pass == 1)
            {
                assertEquals(0, allocated, "bytes allocated by " + ROUNDS + " rounds of data-path calls");
            }
        }
        assertNotNull(Long.valueOf(sink));
    }

    private static com.sun.management.ThreadMXBean threadBean()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assertTrue(bean instanceof com.sun.management.ThreadMXBean,
            "needs HotSpot's per-thread allocation counter (com.sun.management.ThreadMXBean)");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM does not count allocated bytes per thread");
        threads.setThreadAllocatedMemoryEnabled(true);
        return threads;
    }
}
