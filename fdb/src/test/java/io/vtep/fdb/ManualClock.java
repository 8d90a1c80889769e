package io.vtep.fdb;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.NanoClock;

/**
 * A clock the test moves by hand.
 */
final class ManualClock implements NanoClock
{
    private volatile long nanos;

    ManualClock(final long startNanos)
    {
        nanos = startNanos;
    }

    @Override
    public long nanoTime()
    {
        return nanos;
    }

    void advanceSeconds(final long seconds)
    {
        nanos += TimeUnit.SECONDS.toNanos(seconds);
    }

    void advanceMillis(final long millis)
    {
        nanos += TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
