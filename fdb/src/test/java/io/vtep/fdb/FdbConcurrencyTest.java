package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.vtep.encap.VtepAddress;

/**
 * The whole FDB under concurrent use, as the appliance runs it: the conductor on its own
 * thread (Agrona {@link AgentRunner}, real clock, short ageing so entries come and go),
 * data-path threads learning and moving MACs, a control thread installing and removing static
 * and EVPN entries and replacing flood lists, and reader threads looking up.
 *
 * <p>Every destination a MAC can ever have is derived from the MAC's number {@code i}: local
 * attachments {@code 4i .. 4i+3} and remote VTEPs {@code 2i, 2i+1}. A lookup returning any other
 * destination is a value of another key. Listener calls must never overlap (one writer at a
 * time). Afterwards the per-origin counts must agree with the table. Bounded by a wall-clock
 * budget; nothing asserts on time. Seeded, seed printed.
 */
class FdbConcurrencyTest
{
    private static final int VNI = 100;
    private static final int MACS = 512;
    private static final int VTEPS = 2 * MACS;
    private static final int MAC_LIMIT = 150;
    private static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    @Test
    @Timeout(60)
    void concurrentLearningControlWritesAgeingAndLookupsStayConsistent() throws Exception
    {
        final long seed = Long.getLong("vtep.seed", System.nanoTime());
        System.out.println("FdbConcurrencyTest seed " + seed + " (replay the choices with -Dvtep.seed=" + seed + ")");

        final AtomicReference<String> violation = new AtomicReference<>();
        final Fdb fdb = new Fdb(FdbSettings.defaults()
            .withAgeingNanos(TimeUnit.MILLISECONDS.toNanos(20))
            .withSweepIntervalNanos(TimeUnit.MILLISECONDS.toNanos(2))
            .withLearnQueueCapacity(256)
            .withRemoteVtepCapacity(VTEPS)
            .withErrorHandler(ex -> violation.compareAndSet(null, "listener threw " + ex)));
        final VniFdb vni = fdb.addVni(VNI, LearningMode.DATA_PLANE, MAC_LIMIT, null);
        final RemoteVtep[] vteps = new RemoteVtep[VTEPS];
        for (int v = 0; v < VTEPS; v++)
        {
            vteps[v] = fdb.remoteVteps().intern(VtepAddress.ofIpv4(0x0A00_0000 + v));
        }

        final AtomicInteger listenersInside = new AtomicInteger();
        final AtomicLong events = new AtomicLong();
        fdb.addListener(new FdbListener()
        {
            @Override
            public void onEntryAdded(final int vni, final long mac, final long entry)
            {
                check(mac, entry);
            }

            @Override
            public void onEntryChanged(final int vni, final long mac, final long oldEntry, final long newEntry)
            {
                check(mac, newEntry);
            }

            @Override
            public void onEntryRemoved(final int vni, final long mac, final long oldEntry)
            {
                check(mac, oldEntry);
            }

            private void check(final long mac, final long entry)
            {
                if (listenersInside.incrementAndGet() != 1)
                {
                    violation.compareAndSet(null, "two writers at once");
                }
                if (!isValid(mac, entry) || entry == FdbEntry.NONE)
                {
                    violation.compareAndSet(null, "event with a wrong entry " + FdbEntry.toString(entry));
                }
                events.incrementAndGet();
                listenersInside.decrementAndGet();
            }
        });

        final AtomicBoolean running = new AtomicBoolean(true);
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicLong lookups = new AtomicLong();
        final AtomicLong hits = new AtomicLong();

        final Thread[] threads = {
            new Thread(() -> learner(seed + 1, vni, vteps, running, start), "learner-1"),
            new Thread(() -> learner(seed + 2, vni, vteps, running, start), "learner-2"),
            new Thread(() -> control(seed + 3, fdb, vteps, running, start), "control"),
            new Thread(() -> reader(seed + 4, vni, running, start, violation, lookups, hits), "reader-1"),
            new Thread(() -> reader(seed + 5, vni, running, start, violation, lookups, hits), "reader-2"),
        };

        final AgentRunner runner = new AgentRunner(
            new BackoffIdleStrategy(), ex -> violation.compareAndSet(null, "conductor threw " + ex), null, fdb.conductor());
        AgentRunner.startOnThread(runner);
        for (final Thread thread : threads)
        {
            thread.start();
        }
        start.countDown();

        final long deadline = System.nanoTime() + BUDGET_NANOS;
        while (System.nanoTime() - deadline < 0 && null == violation.get())
        {
            Thread.sleep(20);
        }
        running.set(false);
        for (final Thread thread : threads)
        {
            thread.join();
        }
        runner.close();
        while (fdb.conductor().doWork() > 0)
        {
        }

        System.out.printf("lookups %d (hits %d), events %d, moves %d, limit hits %d, queue drops %d, sweeps %d%n",
            lookups.get(), hits.get(), events.get(), vni.macMoves(), vni.macLimitHits(), vni.learnQueueDrops(),
            fdb.conductor().sweeps());
        assertNull(violation.get(), () -> violation.get() + " (seed " + seed + ")");
        assertTrue(events.get() > 0);
        assertTrue(hits.get() > 0);
        assertTrue(fdb.conductor().sweeps() > 0);

        final Map<Origin, Integer> counted = new EnumMap<>(Origin.class);
        final AtomicReference<String> bad = new AtomicReference<>();
        vni.forEach((vniId, mac, entry, age) ->
        {
            counted.merge(FdbEntry.origin(entry), 1, Integer::sum);
            if (!isValid(mac, entry))
            {
                bad.set(FdbEntry.toString(entry) + " for " + Long.toHexString(mac));
            }
        });
        assertNull(bad.get());
        int total = 0;
        for (final Origin origin : Origin.values())
        {
            assertEquals(counted.getOrDefault(origin, 0), vni.entries(origin), "entries(" + origin + ")");
            total += vni.entries(origin);
        }
        assertEquals(total, vni.size());
        assertTrue(vni.learnedEntries() <= MAC_LIMIT, "learned " + vni.learnedEntries());
    }

    private static long macOf(final int i)
    {
        return 0x0200_0000_0000L | i;
    }

    /**
     * Could this entry ever have been written for this MAC?
     */
    private static boolean isValid(final long mac, final long entry)
    {
        if (entry == FdbEntry.NONE)
        {
            return true;
        }

        final int i = (int)(mac & 0xFFFF);
        if (FdbEntry.isLocal(entry))
        {
            final Origin origin = FdbEntry.origin(entry);
            return FdbEntry.attachment(entry) / 4 == i && (origin == Origin.LOCAL || origin == Origin.STATIC);
        }
        return FdbEntry.isRemote(entry) && FdbEntry.vtepIndex(entry) / 2 == i && FdbEntry.origin(entry) != Origin.LOCAL;
    }

    private static void learner(
        final long seed, final VniFdb vni, final RemoteVtep[] vteps, final AtomicBoolean running, final CountDownLatch start)
    {
        await(start);
        final SplittableRandom random = new SplittableRandom(seed);
        while (running.get())
        {
            final int i = random.nextInt(MACS);
            final long now = System.nanoTime(); // the FDB's default clock
            if (random.nextBoolean())
            {
                vni.learnLocal(macOf(i), 4 * i + random.nextInt(2), now);
            }
            else
            {
                vni.learnRemote(macOf(i), vteps[2 * i + random.nextInt(2)], now);
            }
        }
    }

    private static void control(
        final long seed, final Fdb fdb, final RemoteVtep[] vteps, final AtomicBoolean running, final CountDownLatch start)
    {
        await(start);
        final SplittableRandom random = new SplittableRandom(seed);
        while (running.get())
        {
            final int i = random.nextInt(MACS);
            switch (random.nextInt(7))
            {
                case 0 -> fdb.addStatic(VNI, macOf(i), vteps[2 * i]);
                case 1 -> fdb.addStaticLocal(VNI, macOf(i), 4 * i + 2);
                case 2 -> fdb.putEvpn(VNI, macOf(i), vteps[2 * i + 1]);
                case 3 -> fdb.remove(VNI, macOf(i), Origin.STATIC);
                case 4, 5 -> fdb.remove(VNI, macOf(i), Origin.EVPN);
                default ->
                {
                    final RemoteVtep[] list = new RemoteVtep[random.nextInt(4)];
                    for (int k = 0; k < list.length; k++)
                    {
                        list[k] = vteps[random.nextInt(vteps.length)];
                    }
                    fdb.setFloodList(VNI, list);
                    fdb.addToFloodList(VNI, vteps[random.nextInt(vteps.length)]);
                }
            }
            if ((random.nextInt(16)) == 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    private static void reader(
        final long seed,
        final VniFdb vni,
        final AtomicBoolean running,
        final CountDownLatch start,
        final AtomicReference<String> violation,
        final AtomicLong lookups,
        final AtomicLong hits)
    {
        await(start);
        final SplittableRandom random = new SplittableRandom(seed);
        long count = 0;
        long found = 0;
        while (running.get())
        {
            final long mac = macOf(random.nextInt(MACS));
            final long entry = vni.lookup(mac);
            if (entry != FdbEntry.NONE)
            {
                found++;
                if (!isValid(mac, entry))
                {
                    violation.compareAndSet(null, "lookup of " + Long.toHexString(mac) + " returned " +
                        FdbEntry.toString(entry));
                }
            }
            for (final RemoteVtep vtep : vni.floodList())
            {
                if (null == vtep)
                {
                    violation.compareAndSet(null, "a flood list with a hole");
                }
            }
            count++;
        }
        lookups.addAndGet(count);
        hits.addAndGet(found);
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
