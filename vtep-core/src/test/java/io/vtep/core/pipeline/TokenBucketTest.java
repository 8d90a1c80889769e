package io.vtep.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.vtep.encap.MacAddress;

/** The storm-control token bucket on a manual clock: burst, refill, rate over time, several threads. */
class TokenBucketTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketLetsTheBurstThroughThenRefusesUntilItRefills()
    {
        final long start = 5 * SECOND;
        final TokenBucket bucket = new TokenBucket(100, 10, start); // one token every 10 ms

        for (int i = 0; i < 10; i++)
        {
            assertTrue(bucket.tryTake(start), "burst packet " + i);
        }
        assertFalse(bucket.tryTake(start), "the 11th at the same instant is over the burst");
        assertFalse(bucket.tryTake(start + 9_000_000L), "not yet one interval later");
        assertTrue(bucket.tryTake(start + 10_000_000L), "one token after 10 ms");
        assertFalse(bucket.tryTake(start + 10_000_000L));
    }

    @Test
    void overTimeTheRateIsTheConfiguredOnePlusTheBurst()
    {
        final long start = -3 * SECOND; // a clock may start anywhere, even below zero
        final TokenBucket bucket = new TokenBucket(1000, 50, start);
        int passed = 0;
        // 20k attempts a second for 3 seconds, the clock moving 50 µs each time.
        for (long t = start; t < start + 3 * SECOND; t += 50_000L)
        {
            if (bucket.tryTake(t))
            {
                passed++;
            }
        }
        assertTrue(passed >= 3000 && passed <= 3000 + 50, "1000/s for 3 s plus a burst of 50, got " + passed);
    }

    @Test
    void aQuietSpellRefillsNoMoreThanTheBurst()
    {
        final TokenBucket bucket = new TokenBucket(10, 3, 0);
        for (int i = 0; i < 3; i++)
        {
            assertTrue(bucket.tryTake(0));
        }
        final long later = 3600 * SECOND;
        int passed = 0;
        while (bucket.tryTake(later))
        {
            passed++;
        }
        assertEquals(3, passed, "an hour of silence still allows only the burst at once");
    }

    @Test
    void threadsTogetherNeverSpendMoreThanTheBucketHolds() throws InterruptedException
    {
        final TokenBucket bucket = new TokenBucket(1000, 500, 0);
        final AtomicInteger passed = new AtomicInteger();
        final Thread[] threads = new Thread[4];
        for (int i = 0; i < threads.length; i++)
        {
            threads[i] = new Thread(() ->
            {
                for (int j = 0; j < 10_000; j++)
                {
                    if (bucket.tryTake(0))
                    {
                        passed.incrementAndGet();
                    }
                }
            });
            threads[i].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(500, passed.get(), "40k attempts at one instant from 4 threads: exactly the burst");
    }

    @Test
    void stormControlSortsFramesByKindAndLeavesUnlimitedKindsAlone()
    {
        final StormControl storm = new StormControl(2, 0, 1, 0, 0); // broadcast 2/s, multicast unlimited, unknown unicast 1/s
        final long broadcast = MacAddress.BROADCAST;
        final long multicast = MacAddress.parse("01:00:5e:00:00:01");
        final long unicast = MacAddress.parse("02:00:00:00:00:42");

        assertTrue(storm.admit(broadcast, 0));
        assertTrue(storm.admit(broadcast, 0));
        assertFalse(storm.admit(broadcast, 0), "burst defaults to one second's worth: 2");
        for (int i = 0; i < 1000; i++)
        {
            assertTrue(storm.admit(multicast, 0), "no multicast limit configured");
        }
        assertTrue(storm.admit(unicast, 0));
        assertFalse(storm.admit(unicast, 0), "unknown unicast has its own bucket");
        assertTrue(storm.admit(broadcast, SECOND / 2), "half a second later one broadcast token is back");
    }

    @Test
    void refusesARateItCannotKeep()
    {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(10, 0, 0));
    }
}
