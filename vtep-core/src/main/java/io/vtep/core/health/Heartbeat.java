package io.vtep.core.health;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The sign of life of one long-running thread (docs/architecture.md §3.4): the thread calls
 * {@link #beat()} once per turn of its loop, and its blocking waits are bounded (100 ms), so even
 * an idle thread beats several times a second. {@link ThreadHealth} reads the age of the last beat
 * on the API thread and calls the thread stuck when it is older than its limit.
 *
 * <p>A beat is one clock read and one ordered store ({@code lazySet}): no allocation, no fence
 * on the data path. Only the owning thread beats; any thread may read.
 */
public final class Heartbeat
{
    private final String thread;
    private final LongSupplier clock;
    private final AtomicLong lastBeatNanos;
    private volatile Throwable death;
    private volatile boolean ended;
    private volatile boolean stopRequested;

    Heartbeat(final String thread, final LongSupplier clock)
    {
        this.thread = thread;
        this.clock = clock;
        this.lastBeatNanos = new AtomicLong(clock.getAsLong());
    }

    /** The thread's name as operators see it in {@code /readyz} and the {@code thread} label. */
    public String thread()
    {
        return thread;
    }

    /** Called by the owning thread once per loop turn. */
    public void beat()
    {
        lastBeatNanos.lazySet(clock.getAsLong());
    }

    /** Nanoseconds since the last beat. */
    public long ageNanos()
    {
        return clock.getAsLong() - lastBeatNanos.get();
    }

    /** The thread is being stopped on purpose: its end is then no failure. */
    public void stopRequested()
    {
        stopRequested = true;
    }

    boolean isStopRequested()
    {
        return stopRequested;
    }

    void died(final Throwable cause)
    {
        death = cause;
        ended = true;
    }

    void ended()
    {
        ended = true;
    }

    /** What ended the thread, or null while it runs or when it returned normally. */
    public Throwable death()
    {
        return death;
    }

    /** Whether the thread has left its loop (normally or not). */
    public boolean hasEnded()
    {
        return ended;
    }
}
