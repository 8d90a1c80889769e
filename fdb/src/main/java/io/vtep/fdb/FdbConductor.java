package io.vtep.fdb;

import java.util.concurrent.locks.ReentrantLock;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

/**
 * The FDB writer as an Agrona {@link Agent}: each duty cycle applies queued learn events
 * (at most {@value Fdb#LEARN_DRAIN_LIMIT}) and, at most once per sweep interval (default 1 s),
 * removes learned entries older than the ageing time. Run it on one control thread with an
 * {@code AgentRunner}, or call {@link #doWork()} from a test with an injected clock.
 *
 * <p>Both steps run holding the FDB write lock, so they are ordered with control-side writes
 * ({@link Fdb#addStatic}, {@link Fdb#putEvpn}, flood lists). When a control thread holds the
 * lock (an EVPN import can hold it for a while), this thread waits for it rather than backing
 * off: backing off would leave queued learn events, already past their wake-up, waiting for the
 * idle strategy's park to end while their MACs are flooded.
 */
public final class FdbConductor implements Agent
{
    private final Fdb fdb;
    private final NanoClock clock;
    private final long sweepIntervalNanos;
    private long lastSweepNanos;
    private volatile long sweeps;

    FdbConductor(final Fdb fdb, final FdbSettings settings)
    {
        this.fdb = fdb;
        this.clock = settings.clock();
        this.sweepIntervalNanos = settings.sweepIntervalNanos();
        this.lastSweepNanos = clock.nanoTime();
    }

    /**
     * @return learn events applied plus entries aged out; 0 when idle.
     */
    @Override
    public int doWork()
    {
        final LearnQueue learnQueue = fdb.learnQueue();
        final ReentrantLock lock = fdb.writeLock();
        lock.lock();
        try
        {
            int work = fdb.drainLearnQueue(Fdb.LEARN_DRAIN_LIMIT);
            if (work == 0)
            {
                // About to report no work, after which the idle strategy may park this thread. Say so
                // first, then look once more: an event committed after this second look sees the flag
                // and unparks us; one committed before it is drained here (RecordQueue, "The wake-up").
                learnQueue.consumerIdle();
                work = fdb.drainLearnQueue(Fdb.LEARN_DRAIN_LIMIT);
            }
            if (work > 0)
            {
                learnQueue.consumerBusy();
            }
            final long now = clock.nanoTime();
            if (now - lastSweepNanos >= sweepIntervalNanos)
            {
                lastSweepNanos = now;
                sweeps = sweeps + 1;
                work += fdb.sweep(now);
            }
            return work;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Data-path threads wake this agent's thread when they queue a learn event while it is idle
     * (a duty cycle found no work: the only time the idle strategy parks), so an idle strategy
     * that parks (Agrona's {@code SleepingIdleStrategy}, {@code BackoffIdleStrategy}) applies new
     * MACs within microseconds without polling hard.
     */
    @Override
    public void onStart()
    {
        fdb.learnQueue().consumer(Thread.currentThread());
    }

    @Override
    public void onClose()
    {
        fdb.learnQueue().consumer(null);
    }

    @Override
    public String roleName()
    {
        return "fdb-conductor";
    }

    /**
     * @return ageing sweeps run so far.
     */
    public long sweeps()
    {
        return sweeps;
    }
}
