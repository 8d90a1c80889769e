package io.vtep.fdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The global FDB cap ({@link FdbSettings#maxEntries()}): entries of every origin in all VNIs
 * together, and the refusals when it bites. The writer keeps the count (under the FDB write lock);
 * the data path reads it to refuse a new MAC before queueing a learn event, and counts refusals
 * racily (a lower bound, like {@link VniFdb#macLimitHits()}, for the same reason: no lock-prefixed
 * increment on one shared line exactly when the gateway is under a flood).
 *
 * <p>Why a global cap besides the per-VNI limit: the per-VNI limit can be 0 (unlimited) or set
 * high on many VNIs, and a MAC table's memory is heap; at the cap the worst case of all tables
 * together is bounded by {@code maxEntries * FdbSettings.BYTES_PER_ENTRY}, and the learning
 * thread can never run the heap out (issue 15, failure 1: an OutOfMemoryError killed it).
 */
final class GlobalEntryCap
{
    private static final VarHandle HITS;

    static
    {
        try
        {
            HITS = MethodHandles.lookup().findVarHandle(GlobalEntryCap.class, "hits", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int maxEntries;
    private volatile int entries;
    @SuppressWarnings("unused")
    private long hits;

    GlobalEntryCap(final int maxEntries)
    {
        this.maxEntries = maxEntries;
    }

    int maxEntries()
    {
        return maxEntries;
    }

    int entries()
    {
        return entries;
    }

    boolean isFull()
    {
        return entries >= maxEntries;
    }

    /** Writer only. */
    void add(final int delta)
    {
        entries = entries + delta;
    }

    /** Any thread: a new MAC refused at the cap. */
    void countHit()
    {
        HITS.setOpaque(this, (long)HITS.getOpaque(this) + 1);
    }

    long hits()
    {
        return (long)HITS.getOpaque(this);
    }
}
