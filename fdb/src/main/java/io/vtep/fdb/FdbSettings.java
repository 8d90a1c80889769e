package io.vtep.fdb;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * How an {@link Fdb} is sized and timed. Immutable; start from {@link #defaults()} and change
 * what you need with the {@code with...} methods.
 *
 * @param ageingNanos         a learned entry not seen for longer than this is removed; 0 turns
 *                            ageing off. Default 300 s (the {@code fdb.ageing-seconds} setting).
 * @param learnQueueCapacity  learn events the queue from the data path to the writer holds
 *                            before it drops (and counts) more; rounded up to a power of two,
 *                            at least 8. Default 16384.
 * @param remoteVtepCapacity  most remote VTEPs. Default 4096.
 * @param sweepIntervalNanos  the conductor runs an ageing sweep at most this often. Default 1 s.
 * @param clock               time base of the conductor; the {@code nowNanos} passed to
 *                            {@code learnLocal}/{@code learnRemote} must come from the same
 *                            clock. Default {@link SystemNanoClock} ({@code System.nanoTime()}).
 * @param errorHandler        receives exceptions thrown by listeners. Default prints them.
 */
public record FdbSettings(
    long ageingNanos,
    int learnQueueCapacity,
    int remoteVtepCapacity,
    long sweepIntervalNanos,
    NanoClock clock,
    ErrorHandler errorHandler)
{
    public static final long DEFAULT_AGEING_NANOS = TimeUnit.SECONDS.toNanos(300);
    public static final int DEFAULT_LEARN_QUEUE_CAPACITY = 16384;
    public static final int DEFAULT_REMOTE_VTEP_CAPACITY = 4096;
    public static final long DEFAULT_SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Upper bound of the learn queue, in events (32 bytes each). */
    public static final int MAX_LEARN_QUEUE_CAPACITY = 1 << 24;

    public FdbSettings
    {
        if (ageingNanos < 0)
        {
            throw new IllegalArgumentException("ageing must not be negative: " + ageingNanos + " ns");
        }
        if (learnQueueCapacity < 1 || learnQueueCapacity > MAX_LEARN_QUEUE_CAPACITY)
        {
            throw new IllegalArgumentException(
                "learn queue capacity must be 1.." + MAX_LEARN_QUEUE_CAPACITY + ", not " + learnQueueCapacity);
        }
        if (remoteVtepCapacity < 1 || remoteVtepCapacity > (1 << 24))
        {
            throw new IllegalArgumentException(
                "remote VTEP capacity must be 1.." + (1 << 24) + ", not " + remoteVtepCapacity);
        }
        if (sweepIntervalNanos <= 0)
        {
            throw new IllegalArgumentException("sweep interval must be positive: " + sweepIntervalNanos + " ns");
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(errorHandler, "errorHandler");
    }

    /**
     * @return the defaults listed on the class.
     */
    public static FdbSettings defaults()
    {
        return new FdbSettings(
            DEFAULT_AGEING_NANOS,
            DEFAULT_LEARN_QUEUE_CAPACITY,
            DEFAULT_REMOTE_VTEP_CAPACITY,
            DEFAULT_SWEEP_INTERVAL_NANOS,
            SystemNanoClock.INSTANCE,
            Throwable::printStackTrace);
    }

    public FdbSettings withAgeingNanos(final long ageingNanos)
    {
        return new FdbSettings(ageingNanos, learnQueueCapacity, remoteVtepCapacity, sweepIntervalNanos, clock, errorHandler);
    }

    public FdbSettings withAgeingSeconds(final long ageingSeconds)
    {
        return withAgeingNanos(TimeUnit.SECONDS.toNanos(ageingSeconds));
    }

    public FdbSettings withLearnQueueCapacity(final int learnQueueCapacity)
    {
        return new FdbSettings(ageingNanos, learnQueueCapacity, remoteVtepCapacity, sweepIntervalNanos, clock, errorHandler);
    }

    public FdbSettings withRemoteVtepCapacity(final int remoteVtepCapacity)
    {
        return new FdbSettings(ageingNanos, learnQueueCapacity, remoteVtepCapacity, sweepIntervalNanos, clock, errorHandler);
    }

    public FdbSettings withSweepIntervalNanos(final long sweepIntervalNanos)
    {
        return new FdbSettings(ageingNanos, learnQueueCapacity, remoteVtepCapacity, sweepIntervalNanos, clock, errorHandler);
    }

    public FdbSettings withClock(final NanoClock clock)
    {
        return new FdbSettings(ageingNanos, learnQueueCapacity, remoteVtepCapacity, sweepIntervalNanos, clock, errorHandler);
    }

    public FdbSettings withErrorHandler(final ErrorHandler errorHandler)
    {
        return new FdbSettings(ageingNanos, learnQueueCapacity, remoteVtepCapacity, sweepIntervalNanos, clock, errorHandler);
    }

    /**
     * The data path stores a new last-seen time only when the stored one is at least this old,
     * so a busy MAC does not write its cache line on every packet: the smaller of the sweep
     * interval and 1/16 of the ageing time. An entry can therefore age out up to this much
     * earlier than {@link #ageingNanos()} after its last packet.
     *
     * @return refresh granularity in nanoseconds.
     */
    public long refreshGranularityNanos()
    {
        return ageingNanos == 0 ? sweepIntervalNanos : Math.min(sweepIntervalNanos, ageingNanos / 16);
    }
}
