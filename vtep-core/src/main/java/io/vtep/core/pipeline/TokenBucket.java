package io.vtep.core.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A token bucket of {@code rate} packets per second holding at most {@code burst} packets, shared by
 * every forwarding thread, lock-free and allocation-free.
 *
 * <p>Kept in its virtual-scheduling form (the GCRA of ITU-T I.371, equivalent to a token bucket):
 * one {@code long}, the time the bucket will be full again, instead of a token count and a refill
 * time that two threads would have to update together. A packet conforms when that time lies no
 * more than {@code (burst - 1)} intervals ahead of now; it then moves the time one interval on (by
 * compare-and-set, so two threads never spend the same token). The caller passes the time, read
 * once per batch from its clock, so the bucket reads no clock per packet.
 */
final class TokenBucket
{
    private static final VarHandle FULL_AT;

    static
    {
        try
        {
            FULL_AT = MethodHandles.lookup().findVarHandle(TokenBucket.class, "fullAtNanos", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long rate;
    private final long burst;
    private final long intervalNanos;
    private final long toleranceNanos;
    @SuppressWarnings("unused") // through FULL_AT
    private volatile long fullAtNanos;

    /**
     * @param rate     packets per second, at least 1
     * @param burst    packets let through at once after a quiet spell, at least 1
     * @param nowNanos the clock's time now: the bucket starts full
     */
    TokenBucket(final long rate, final long burst, final long nowNanos)
    {
        if (rate < 1 || rate > 1_000_000_000L || burst < 1)
        {
            throw new IllegalArgumentException("token bucket needs a rate of 1..1e9/s and a burst of at least 1: " +
                rate + "/s, burst " + burst);
        }
        this.rate = rate;
        this.burst = burst;
        this.intervalNanos = 1_000_000_000L / rate;
        this.toleranceNanos = (burst - 1) * intervalNanos;
        this.fullAtNanos = nowNanos;
    }

    /** @return true when a token was taken (the packet conforms), false when the bucket is empty. */
    boolean tryTake(final long nowNanos)
    {
        while (true)
        {
            final long fullAt = (long)FULL_AT.getOpaque(this);
            // Differences, not comparisons: nanoTime may wrap.
            final long start = fullAt - nowNanos > 0 ? fullAt : nowNanos;
            if (start - nowNanos > toleranceNanos)
            {
                return false;
            }
            if (FULL_AT.compareAndSet(this, fullAt, start + intervalNanos))
            {
                return true;
            }
        }
    }

    long rate()
    {
        return rate;
    }

    long burst()
    {
        return burst;
    }
}
