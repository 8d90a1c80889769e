package io.vtep.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class PendingReloadTest
{
    private final AtomicInteger reloads = new AtomicInteger();
    private final PendingReload pending = new PendingReload();

    @Test
    void noRequestWhileStartingMeansNoReloadAtStart()
    {
        pending.startedWith(reloads::incrementAndGet);
        assertEquals(0, reloads.get());
    }

    @Test
    void requestsWhileStartingReloadOnceWhenStarted()
    {
        pending.request();
        pending.request();
        assertEquals(0, reloads.get(), "nothing to reload before the appliance exists");
        pending.startedWith(reloads::incrementAndGet);
        assertEquals(1, reloads.get());
    }

    @Test
    void aRequestOnceStartedReloadsAtOnce()
    {
        pending.startedWith(reloads::incrementAndGet);
        pending.request();
        pending.request();
        assertEquals(2, reloads.get());
    }

    @Test
    void aRequestRacingTheStartIsNeitherLostNorDoubled() throws Exception
    {
        for (int round = 0; round < 2_000; round++)
        {
            final AtomicInteger count = new AtomicInteger();
            final PendingReload racing = new PendingReload();
            final CountDownLatch go = new CountDownLatch(1);
            final Thread signal = Thread.ofPlatform().start(() ->
            {
                awaitQuietly(go);
                racing.request();
            });
            go.countDown();
            racing.startedWith(count::incrementAndGet);
            signal.join();
            assertEquals(1, count.get(), "round " + round);
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
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
