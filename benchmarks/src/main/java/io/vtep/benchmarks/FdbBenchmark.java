package io.vtep.benchmarks;

import java.util.SplittableRandom;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbConductor;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.Origin;
import io.vtep.fdb.VniFdb;

/**
 * The FDB of one VNI ({@code io.vtep.fdb}) holding {@code macs} learned local entries
 * (1k or 100k), filled through the real learning path (learn queue + conductor).
 *
 * <ul>
 *   <li>{@code lookupHit} / {@code lookupMiss}: {@link VniFdb#lookup} of a present / absent MAC.
 *   The MACs are visited in random order, so a large table is read as the data path reads it
 *   (mostly cache misses), not one hot cache line.</li>
 *   <li>{@code learnRefresh}: {@link VniFdb#learnLocal} of a MAC already learned on that
 *   attachment, the common case on the data path: one lookup, and a last-seen store only when the
 *   stored time is older than the refresh granularity (1 s by default; the benchmark's clock
 *   advances 100 ns per call, as at 10 Mpps).</li>
 *   <li>{@code learnMove}: {@link VniFdb#learnLocal} of a known MAC on another attachment (a MAC
 *   move), which queues a learn event, then {@link FdbConductor#doWork()} applies it: the
 *   data-path half and the writer half of learning, measured as a pair, without the table
 *   growing.</li>
 *   <li>{@code learnNewMac}: the same pair for a MAC the table has never held (an insert), then
 *   {@link Fdb#remove} of it so the table stays at {@code macs} entries. The figure is
 *   learn + apply + remove; the removes leave tombstones, so now and then the writer rebuilds
 *   the table to purge them (a new slot array: that allocation is the writer's, by design).</li>
 * </ul>
 */
public class FdbBenchmark extends AverageTimeBenchmark
{
    static final int VNI = 100;
    static final int ATTACHMENTS = 4;
    /** Disjoint MAC ranges (first octet), all locally administered unicast. */
    static final long PRESENT_PREFIX = 0x0200_0000_0000L;
    static final long ABSENT_PREFIX = 0x0A00_0000_0000L;
    static final long NEW_PREFIX = 0x0600_0000_0000L;
    static final long LOW_40_BITS = 0xFF_FFFF_FFFFL;
    /** Simulated time per call. */
    static final long TICK_NANOS = 100;

    @Param({"1000", "100000"})
    int macs;

    Fdb fdb;
    VniFdb vni;
    FdbConductor conductor;
    long[] present;
    long[] absent;
    int index;
    long now;
    long nextNewMac;
    boolean moveToggle;

    @Setup
    public void setUp()
    {
        fdb = new Fdb(FdbSettings.defaults());
        vni = fdb.addVni(VNI, LearningMode.DATA_PLANE, 0, null);
        conductor = fdb.conductor();
        now = System.nanoTime();

        final SplittableRandom random = new SplittableRandom(0x5654_4550L);
        present = new long[macs];
        absent = new long[macs];
        for (int i = 0; i < macs; i++)
        {
            present[i] = PRESENT_PREFIX | (random.nextLong() & LOW_40_BITS);
            absent[i] = ABSENT_PREFIX | (random.nextLong() & LOW_40_BITS);
        }

        for (int i = 0; i < macs; i++)
        {
            vni.learnLocal(present[i], attachmentOf(present[i]), now);
            if ((i & 1023) == 1023)
            {
                drain();
            }
        }
        drain();

        for (int i = 0; i < macs; i++)
        {
            if (vni.lookup(present[i]) != FdbEntry.local(attachmentOf(present[i]), Origin.LOCAL) ||
                vni.lookup(absent[i]) != FdbEntry.NONE)
            {
                throw new IllegalStateException("FDB not filled as expected at MAC #" + i);
            }
        }
        // Random 40-bit suffixes could repeat; the table must hold what the name says.
        if (vni.size() != macs)
        {
            throw new IllegalStateException("FDB holds " + vni.size() + " MACs, not " + macs);
        }
        if (!learnNewMac() || vni.size() != macs)
        {
            throw new IllegalStateException("a new MAC was not learned and removed");
        }
    }

    private void drain()
    {
        while (conductor.doWork() > 0)
        {
            // apply everything queued so far
        }
    }

    static int attachmentOf(final long mac)
    {
        return (int)(mac & (ATTACHMENTS - 1));
    }

    private int nextIndex()
    {
        int i = index + 1;
        if (i == macs)
        {
            i = 0;
        }
        index = i;
        return i;
    }

    @Benchmark
    public long lookupHit()
    {
        return vni.lookup(present[nextIndex()]);
    }

    @Benchmark
    public long lookupMiss()
    {
        return vni.lookup(absent[nextIndex()]);
    }

    @Benchmark
    public long learnRefresh()
    {
        final long mac = present[nextIndex()];
        now += TICK_NANOS;
        vni.learnLocal(mac, attachmentOf(mac), now);
        return now;
    }

    @Benchmark
    public int learnMove()
    {
        final long mac = present[0];
        moveToggle = !moveToggle;
        now += TICK_NANOS;
        // present[0] was learned on attachmentOf(mac) (0..3); 4 and 5 are always a move.
        vni.learnLocal(mac, moveToggle ? ATTACHMENTS : ATTACHMENTS + 1, now);
        return conductor.doWork();
    }

    @Benchmark
    public boolean learnNewMac()
    {
        final long mac = NEW_PREFIX | (nextNewMac++ & LOW_40_BITS);
        now += TICK_NANOS;
        vni.learnLocal(mac, 1, now);
        conductor.doWork();
        return fdb.remove(VNI, mac, Origin.LOCAL);
    }
}
