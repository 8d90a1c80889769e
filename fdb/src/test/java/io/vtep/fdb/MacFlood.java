package io.vtep.fdb;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 15, failure 1, as a program: one access host floods a VNI that has no MAC limit with a
 * million random source MACs, through the real data-path call ({@link VniFdb#learnLocal}) and the
 * real writer ({@link FdbConductor#doWork()}), on {@link FdbSettings#defaults()}. Run in a JVM with
 * a small heap ({@link MacFloodTest} gives it 64 MiB): before the global cap the table doubled
 * until an {@code OutOfMemoryError} killed the writer. Uses only API that predates the cap, so the
 * same program shows the failure on the old code.
 *
 * <p>Exit 0 and a line {@code OK ...} when the FDB stayed within a quarter of the heap at
 * {@value #BYTES_PER_ENTRY} bytes an entry, the writer survived, and after ageing a normal host is
 * learned again; otherwise exit 1 with what went wrong.
 */
public final class MacFlood
{
    static final int MACS = 1_000_000;
    static final int BYTES_PER_ENTRY = 128;

    private MacFlood()
    {
    }

    public static void main(final String[] args)
    {
        try
        {
            System.out.println(run());
            System.exit(0);
        }
        catch (final Throwable t)
        {
            System.out.println("FAILED " + t);
            System.exit(1);
        }
    }

    static String run()
    {
        final long heapBefore = usedHeapAfterGc();
        final AtomicLong time = new AtomicLong(TimeUnit.HOURS.toNanos(1));
        final Fdb fdb = new Fdb(FdbSettings.defaults().withClock(time::get));
        final VniFdb vni = fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final FdbConductor writer = fdb.conductor();

        final SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < MACS; i++)
        {
            // Unicast, locally administered: learnable.
            final long mac = (random.nextLong() & 0xFEFF_FFFF_FFFFL) | 0x0200_0000_0000L;
            vni.learnLocal(mac, 1, time.get());
            if ((i & 1023) == 0)
            {
                while (writer.doWork() > 0)
                {
                    // apply what is queued
                }
            }
        }
        while (writer.doWork() > 0)
        {
            // apply the rest
        }

        final long bound = Runtime.getRuntime().maxMemory() / 4 / BYTES_PER_ENTRY;
        if (vni.size() > bound)
        {
            throw new AssertionError(vni.size() + " entries, more than a quarter of the heap allows (" + bound + ")");
        }
        final int flooded = vni.size();
        final long heapWithFlood = usedHeapAfterGc();

        // The writer is alive: ageing empties the table and a normal host is learned again.
        time.addAndGet(FdbSettings.DEFAULT_AGEING_NANOS + TimeUnit.SECONDS.toNanos(2));
        while (writer.doWork() > 0)
        {
            // sweep
        }
        final long host = 0x0200_0000_0001L;
        vni.learnLocal(host, 2, time.get());
        while (writer.doWork() > 0)
        {
            // learn
        }
        if (vni.lookup(host) != FdbEntry.local(2, Origin.LOCAL))
        {
            throw new AssertionError("a normal host is not learned after the flood aged out (" + vni.size() + " entries)");
        }
        return "OK flooded=" + flooded + " bound=" + bound + " after=" + vni.size() + " heap-bytes-per-entry=" +
            (heapWithFlood - heapBefore) / Math.max(1, flooded);
    }

    private static long usedHeapAfterGc()
    {
        System.gc();
        final Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
