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
 * @param maxEntries          most FDB entries of every origin in all VNIs together (the global cap,
 *                            like the kernel's {@code fdb_max_learned} or OVS's
 *                            {@code mac-table-size}); at the cap a new MAC is refused and counted.
 *                            Default {@link #defaultMaxEntries(long)} of the JVM's max heap.
 * @param localMoveHoldNanos  a MAC learned on a local port and refreshed by its host within this
 *                            long is not moved to a remote VTEP by data-plane learning (one
 *                            spoofed VXLAN packet must not black-hole a local host); 0 turns the
 *                            hold off. Default 5 s.
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
    int maxEntries,
    long localMoveHoldNanos,
    NanoClock clock,
    ErrorHandler errorHandler)
{
    public static final long DEFAULT_AGEING_NANOS = TimeUnit.SECONDS.toNanos(300);
    public static final int DEFAULT_LEARN_QUEUE_CAPACITY = 16384;
    public static final int DEFAULT_REMOTE_VTEP_CAPACITY = 4096;
    public static final long DEFAULT_SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    public static final long DEFAULT_LOCAL_MOVE_HOLD_NANOS = TimeUnit.SECONDS.toNanos(5);
    /**
     * Default per-VNI MAC limit of the configuration ({@code vnis[].mac-limit} absent): enough for
     * a rack of servers full of VMs, far below what the heap allows, so one flooding host fills
     * its own VNI and not the gateway.
     */
    public static final int DEFAULT_MAC_LIMIT = 65_536;
    /**
     * Heap bytes budgeted per FDB entry when the global cap is sized from the heap. A MAC table slot
     * is 32 bytes; a table is grown to keep at least half its slots free and never shrinks below
     * that, so a full table holds 2 to 4 slots per entry (64..128 bytes), and while it doubles the
     * old array is still live: 128 bytes is the worst case (FdbBoundsTest checks it over a table's growth;
     * MacFloodTest measures the heap a flooded FDB really takes).
     */
    public static final int BYTES_PER_ENTRY = 128;
    /** Smallest global cap, whatever the heap. */
    public static final int MIN_MAX_ENTRIES = 4096;
    /** Largest global cap: a MAC table's slot array must stay within one Java array. */
    public static final int MAX_MAX_ENTRIES = MacTable.MAX_CAPACITY / 2;
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
        if (maxEntries < 1 || maxEntries > MAX_MAX_ENTRIES)
        {
            throw new IllegalArgumentException("max entries must be 1.." + MAX_MAX_ENTRIES + ", not " + maxEntries);
        }
        if (localMoveHoldNanos < 0)
        {
            throw new IllegalArgumentException("local move hold must not be negative: " + localMoveHoldNanos + " ns");
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
            defaultMaxEntries(Runtime.getRuntime().maxMemory()),
            DEFAULT_LOCAL_MOVE_HOLD_NANOS,
            SystemNanoClock.INSTANCE,
            Throwable::printStackTrace);
    }

    /**
     * The default global cap: as many entries as use at most a quarter of the heap at
     * {@link #BYTES_PER_ENTRY} each, within {@link #MIN_MAX_ENTRIES}..{@link #MAX_MAX_ENTRIES}.
     * A 256 MiB heap gives 524,288 entries, 1 GiB 2,097,152; the rest of the heap stays for EVPN
     * routes, the API and the JVM.
     *
     * @param maxHeapBytes {@code Runtime.maxMemory()}.
     * @return the cap.
     */
    public static int defaultMaxEntries(final long maxHeapBytes)
    {
        final long entries = maxHeapBytes / 4 / BYTES_PER_ENTRY;
        return (int)Math.max(MIN_MAX_ENTRIES, Math.min(MAX_MAX_ENTRIES, entries));
    }

    public FdbSettings withAgeingNanos(final long ageingNanos)
    {
        return new FdbSettings(
            ageingNanos, learnQueueCapacity, remoteVtepCapacity, sweepIntervalNanos,
            maxEntries, localMoveHoldNanos, clock, errorHandler);
    }

    public FdbSettings withAgeingSeconds(final long ageingSeconds)
    {
        return withAgeingNanos(TimeUnit.SECONDS.toNanos(ageingSeconds));
    }

    public FdbSettings withLearnQueueCapacity(final int learnQueueCapacity)
    {
        return new FdbSettings(
            ageingNanos, learnQueueCapacity, remoteVtepCapacity, sweepIntervalNanos,
            maxEntries, localMoveHoldNanos, clock, errorHandler);
    }

    public FdbSettings withRemoteVtepCapacity(final int remoteVtepCapacity)
    {
        return new FdbSettings(
            ageingNanos, learnQueueCapacity, remoteVtepCapacity, sweepIntervalNanos,
            maxEntries, localMoveHoldNanos, clock, errorHandler);
    }

    public FdbSettings withSweepIntervalNanos(final long sweepIntervalNanos)
    {
        return new FdbSettings(
            ageingNanos, learnQueueCapacity, remoteVtepCapacity, sweepIntervalNanos,
            maxEntries, localMoveHoldNanos, clock, errorHandler);
    }

    public FdbSettings withMaxEntries(final int maxEntries)
    {
        return new FdbSettings(
            ageingNanos, learnQueueCapacity, remoteVtepCapacity, sweepIntervalNanos,
            maxEntries, localMoveHoldNanos, clock, errorHandler);
    }

    public FdbSettings withLocalMoveHoldNanos(final long localMoveHoldNanos)
    {
        return new FdbSettings(
            ageingNanos, learnQueueCapacity, remoteVtepCapacity, sweepIntervalNanos,
            maxEntries, localMoveHoldNanos, clock, errorHandler);
    }

    public FdbSettings withLocalMoveHoldSeconds(final long seconds)
    {
        return withLocalMoveHoldNanos(TimeUnit.SECONDS.toNanos(seconds));
    }

    public FdbSettings withClock(final NanoClock clock)
    {
        return new FdbSettings(
            ageingNanos, learnQueueCapacity, remoteVtepCapacity, sweepIntervalNanos,
            maxEntries, localMoveHoldNanos, clock, errorHandler);
    }

    public FdbSettings withErrorHandler(final ErrorHandler errorHandler)
    {
        return new FdbSettings(
            ageingNanos, learnQueueCapacity, remoteVtepCapacity, sweepIntervalNanos,
            maxEntries, localMoveHoldNanos, clock, errorHandler);
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
