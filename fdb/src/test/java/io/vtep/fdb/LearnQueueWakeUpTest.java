package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

/**
 * Producers wake the FDB writer only when it is idle (may be parked), and never lose the wake-up
 * of an event queued while it goes to sleep.
 */
class LearnQueueWakeUpTest
{
    @Test
    void aBusyConsumerIsNotUnparkedPerEvent()
    {
        final LearnQueue queue = new LearnQueue(1024);
        queue.consumer(Thread.currentThread());

        for (int i = 0; i < 100; i++)
        {
            assertTrue(queue.offer(LearnQueue.LEARN_LOCAL, 100, i + 1, 0, 0));
        }

        assertEquals(0, queue.wakeUps(), "the consumer never said it was idle");
        queue.consumer(null);
    }

    @Test
    void anIdleConsumerIsUnparkedOnceNotPerEvent()
    {
        final LearnQueue queue = new LearnQueue(1024);
        queue.consumer(Thread.currentThread());
        queue.consumerIdle();

        for (int i = 0; i < 100; i++)
        {
            queue.offer(LearnQueue.LEARN_LOCAL, 100, i + 1, 0, 0);
        }

        assertEquals(1, queue.wakeUps(), "the first event wakes it; the rest find it awake");
        queue.consumer(null);
    }

    @Test
    void theConductorSaysItIsIdleOnlyWhenItFoundNoWork()
    {
        final Fdb fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final FdbConductor conductor = fdb.conductor();
        conductor.onStart();
        try
        {
            fdb.vni(100).learnLocal(0x0200_0000_0001L, 0, 1);
            assertEquals(0, fdb.learnQueue().wakeUps(), "not idle yet: the conductor has not run");
            assertTrue(conductor.doWork() > 0);
            fdb.vni(100).learnLocal(0x0200_0000_0002L, 0, 1);
            assertEquals(0, fdb.learnQueue().wakeUps(), "busy: it will look again anyway");
            assertTrue(conductor.doWork() > 0);
            assertEquals(0, conductor.doWork(), "nothing left: idle, may park now");
            fdb.vni(100).learnLocal(0x0200_0000_0003L, 0, 1);
            assertEquals(1, fdb.learnQueue().wakeUps(), "idle: woken");
        }
        finally
        {
            conductor.onClose();
        }
    }

    @Test
    void anEventQueuedWhileTheConsumerGoesToSleepWakesIt() throws Exception
    {
        final LearnQueue queue = new LearnQueue(1024);
        final AtomicInteger applied = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        final int events = 2_000;
        final Thread consumer = new Thread(() ->
        {
            queue.consumer(Thread.currentThread());
            started.countDown();
            while (applied.get() < events)
            {
                // the conductor's protocol: drain; if empty, say idle, look again, then park long
                int work = queue.drain(counting(applied), 64);
                if (work == 0)
                {
                    queue.consumerIdle();
                    work = queue.drain(counting(applied), 64);
                }
                if (work > 0)
                {
                    queue.consumerBusy();
                }
                else
                {
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(30)); // only an unpark ends this in time
                }
            }
        }, "learn-queue-consumer");
        consumer.setDaemon(true);
        consumer.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));

        for (int i = 0; i < events; i++)
        {
            while (!queue.offer(LearnQueue.LEARN_LOCAL, 100, i + 1, 0, 0))
            {
                Thread.onSpinWait();
            }
            if ((i & 63) == 0)
            {
                Thread.sleep(1); // let the consumer run dry and park now and then
            }
        }

        consumer.join(TimeUnit.SECONDS.toMillis(20));
        assertEquals(events, applied.get(), "every event applied without waiting out a 30 s park: no lost wake-up");
        assertTrue(queue.wakeUps() > 0 && queue.wakeUps() < events, "woken, but not once per event: " + queue.wakeUps());
    }

    @Test
    void theQueueDecodesEachEventForItsHandler()
    {
        final LearnQueue queue = new LearnQueue(16);
        assertTrue(queue.offer(LearnQueue.LEARN_LOCAL, 100, 0x0000_0a0b_0c0d_0e0fL, 7, 1_000L));
        assertTrue(queue.offer(LearnQueue.LEARN_REMOTE, 200, 0x0000_1112_1314_1516L, 0x0003_0002, 2_000L));
        final java.util.List<String> seen = new java.util.ArrayList<>();
        final int drained = queue.drain(new LearnQueue.LearnHandler()
        {
            @Override
            public void learnedLocal(final int vni, final long mac, final int attachment, final long nowNanos)
            {
                seen.add("local " + vni + " " + Long.toHexString(mac) + " " + attachment + " " + nowNanos);
            }

            @Override
            public void learnedRemote(final int vni, final long mac, final int vtepReference, final long nowNanos)
            {
                seen.add("remote " + vni + " " + Long.toHexString(mac) + " " + Integer.toHexString(vtepReference) + " " + nowNanos);
            }
        }, 10);
        assertEquals(2, drained);
        assertEquals(java.util.List.of("local 100 a0b0c0d0e0f 7 1000", "remote 200 111213141516 30002 2000"), seen);
        assertEquals(0, queue.depth());
    }

    private static LearnQueue.LearnHandler counting(final AtomicInteger applied)
    {
        return new LearnQueue.LearnHandler()
        {
            @Override
            public void learnedLocal(final int vni, final long mac, final int attachment, final long nowNanos)
            {
                applied.incrementAndGet();
            }

            @Override
            public void learnedRemote(final int vni, final long mac, final int vtepReference, final long nowNanos)
            {
                applied.incrementAndGet();
            }
        };
    }
}
