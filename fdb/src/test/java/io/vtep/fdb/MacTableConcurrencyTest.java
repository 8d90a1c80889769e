package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One writer inserting, moving and removing entries, reusing tombstones and rebuilding the
 * slot array, while reader threads hammer lookups (and one walks the table): a reader must
 * never see a value that was never associated with the key it looked up. Every value the
 * writer stores carries its key in the upper bits ({@code value = mac << 8 | generation}),
 * so a reader can tell.
 *
 * <p>The writer works on two key sets: a sliding window of fresh MACs (inserts into empty
 * slots, so tombstones pile up and the table is rebuilt again and again) and 32 MACs that
 * share one home slot (long chains, slots taken over by other keys and back: the ABA case the
 * per-slot version guards against).
 *
 * <p>Bounded by an operation count and a wall-clock budget, whichever comes first; nothing
 * asserts on time. Seeded: the seed is printed and {@code -Dvtep.seed=N} replays the writer.
 */
class MacTableConcurrencyTest
{
    private static final int READERS = 3;
    private static final int WINDOW = 256;
    private static final long MAX_WRITER_OPS = 20_000_000;
    private static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(2000);

    @Test
    @Timeout(60)
    void readersNeverSeeAValueThatWasNotTheKeys() throws InterruptedException
    {
        final long seed = Long.getLong("vtep.seed", System.nanoTime());
        System.out.println("MacTableConcurrencyTest seed " + seed + " (replay with -Dvtep.seed=" + seed + ")");

        final MacTable table = new MacTable(8);
        final long[] colliding = MacTableTest.collidingKeys(1024, 32);
        final long[] collidingValue = new long[colliding.length];
        final AtomicLong head = new AtomicLong(); // next fresh key; readers look just behind it
        final AtomicReference<String> violation = new AtomicReference<>();
        final AtomicLong lookups = new AtomicLong();
        final AtomicLong hits = new AtomicLong();
        final AtomicLong visits = new AtomicLong();
        final AtomicLong writerOps = new AtomicLong();
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicLong done = new AtomicLong();

        final Thread writer = new Thread(() ->
        {
            await(start);
            final SplittableRandom random = new SplittableRandom(seed);
            final long deadline = System.nanoTime() + BUDGET_NANOS;
            long ops = 0;
            while (ops < MAX_WRITER_OPS && null == violation.get())
            {
                if ((ops & 1023) == 0 && System.nanoTime() - deadline > 0)
                {
                    break;
                }

                final int action = random.nextInt(100);
                final long next = head.get();
                if (action < 35)
                {
                    table.put(freshMac(next), valueOf(freshMac(next), 1), ops);
                    head.lazySet(next + 1);
                    if (next >= WINDOW)
                    {
                        table.remove(freshMac(next - WINDOW));
                    }
                }
                else if (action < 60 && next > 0)
                {
                    final long mac = freshMac(Math.max(0, next - 1 - random.nextInt(WINDOW)));
                    if (table.get(mac) != FdbEntry.NONE)
                    {
                        table.put(mac, valueOf(mac, 1 + random.nextInt(255)), ops); // a move
                    }
                }
                else if (action < 70 && next > 0)
                {
                    table.remove(freshMac(Math.max(0, next - 1 - random.nextInt(WINDOW))));
                }
                else
                {
                    final int k = random.nextInt(colliding.length);
                    if (random.nextBoolean())
                    {
                        collidingValue[k] = valueOf(colliding[k], 1 + random.nextInt(255));
                        table.put(colliding[k], collidingValue[k], ops);
                    }
                    else
                    {
                        table.remove(colliding[k]);
                        collidingValue[k] = FdbEntry.NONE;
                    }
                }
                ops++;
            }
            writerOps.set(ops);
            done.set(1);
        }, "mac-table-writer");

        final Thread[] readers = new Thread[READERS];
        for (int r = 0; r < READERS; r++)
        {
            final long readerSeed = seed + r + 1;
            final boolean walker = r == 0;
            readers[r] = new Thread(() ->
            {
                await(start);
                final SplittableRandom random = new SplittableRandom(readerSeed);
                long count = 0;
                long found = 0;
                while (done.get() == 0 && null == violation.get())
                {
                    final long mac = random.nextBoolean() ?
                        colliding[random.nextInt(colliding.length)] :
                        freshMac(Math.max(0, head.get() - 1 - random.nextInt(WINDOW + 16)));
                    final long value = (count & 1) == 0 ?
                        table.get(mac) : table.getAndRefresh(mac, valueOf(mac, 1), count, 0);
                    if (value != FdbEntry.NONE)
                    {
                        found++;
                        if ((value >>> 8) != mac)
                        {
                            violation.compareAndSet(null, "lookup of " + Long.toHexString(mac) +
                                " returned 0x" + Long.toHexString(value) + ", a value of another key");
                        }
                    }
                    count++;
                    if (walker && (count & 8191) == 0)
                    {
                        table.forEach((m, v, lastSeen) ->
                        {
                            visits.incrementAndGet();
                            if ((v >>> 8) != m)
                            {
                                violation.compareAndSet(null, "forEach paired " + Long.toHexString(m) +
                                    " with 0x" + Long.toHexString(v));
                            }
                        });
                    }
                }
                lookups.addAndGet(count);
                hits.addAndGet(found);
            }, "mac-table-reader-" + r);
        }

        writer.start();
        for (final Thread reader : readers)
        {
            reader.start();
        }
        start.countDown();
        writer.join();
        for (final Thread reader : readers)
        {
            reader.join();
        }

        System.out.printf(
            "writer ops %d, reader lookups %d (hits %d), forEach visits %d, rebuilds %d, tombstone reuses %d%n",
            writerOps.get(), lookups.get(), hits.get(), visits.get(), table.resizes(), table.tombstoneReuses());
        assertNull(violation.get(), () -> violation.get() + " (seed " + seed + ")");
        assertTrue(table.resizes() > 1, "the run must include rebuilds");
        assertTrue(table.tombstoneReuses() > 0, "the run must include tombstone reuse");
        assertTrue(hits.get() > 0, "readers must have found entries");
        for (int k = 0; k < colliding.length; k++)
        {
            assertEquals(collidingValue[k], table.get(colliding[k]), "final state of colliding key " + k);
        }
    }

    private static long freshMac(final long n)
    {
        return 0x0A00_0000_0000L | n;
    }

    private static long valueOf(final long mac, final int generation)
    {
        return (mac << 8) | generation;
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
