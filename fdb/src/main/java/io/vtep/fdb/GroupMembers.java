package io.vtep.fdb;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The remote VTEPs learned as members of one multicast VNI because they sent to its group
 * (RFC 7348 §4.2: a VTEP joins the group of each VNI it serves and sends the VNI's BUM traffic to
 * it, so a datagram to the group says its sender belongs to the VNI). One last-seen time per remote
 * VTEP index; 0 means "not a member".
 *
 * <h2>Who writes what</h2>
 * Only the FDB writer, under the FDB write lock, turns a slot from 0 into a time ({@link #add}) or
 * back to 0 ({@link #removeIfIdle}, {@link #clear}), so it knows exactly who is a member and can tell
 * the listeners and hold each member's remote-VTEP index (a member's index is not reused while the
 * slot is set). Data-path threads only move a set time forward ({@link #refresh}), at most once per
 * refresh granularity, and with a compare-and-set: a refresh racing with the writer's removal either
 * loses (the slot stays 0 and the next datagram to the group queues a new event) or wins (the
 * writer's compare-and-set fails and the member stays). So a slot is never resurrected behind the
 * writer's back.
 *
 * <h2>Memory</h2>
 * {@code 8 × remote-VTEP capacity} bytes (32 KiB at the default 4,096), allocated by the writer when
 * the VNI learns its first member: only a VNI with a multicast group ever gets one.
 */
final class GroupMembers
{
    private final int capacity;
    /** Null until the first member; published with a volatile write, never replaced. */
    private volatile AtomicLongArray lastSeen;
    /** Writer only (read by metrics and the API as a plain volatile). */
    private volatile int count;

    GroupMembers(final int capacity)
    {
        this.capacity = capacity;
    }

    /** Data path and control threads: is the VTEP with this index a learned member? */
    boolean contains(final int index)
    {
        final AtomicLongArray seen = lastSeen;
        return seen != null && index >= 0 && index < capacity && seen.getOpaque(index) != 0;
    }

    /**
     * Data path: the member sent again; moves its time on when it is at least {@code granularityNanos}
     * old. Allocation-free.
     *
     * @return false when the VTEP is not a member (the caller queues an event if the datagram was
     *     to the group)
     */
    boolean refresh(final int index, final long nowNanos, final long granularityNanos)
    {
        final AtomicLongArray seen = lastSeen;
        if (seen == null || index < 0 || index >= capacity)
        {
            return false;
        }
        final long last = seen.getOpaque(index);
        if (last == 0)
        {
            return false;
        }
        if (nowNanos - last >= granularityNanos)
        {
            seen.compareAndSet(index, last, stamp(nowNanos));
        }
        return true;
    }

    /**
     * Writer: makes the VTEP a member, or refreshes it.
     *
     * @return true when it was not a member before
     */
    boolean add(final int index, final long nowNanos)
    {
        AtomicLongArray seen = lastSeen;
        if (seen == null)
        {
            seen = new AtomicLongArray(capacity);
            lastSeen = seen;
        }
        final long previous = seen.getAndSet(index, stamp(nowNanos));
        if (previous == 0)
        {
            count = count + 1;
            return true;
        }
        return false;
    }

    /**
     * Writer: ends the membership of a VTEP silent in this VNI for longer than {@code idleNanos}.
     *
     * @return true when removed
     */
    boolean removeIfIdle(final int index, final long nowNanos, final long idleNanos)
    {
        final AtomicLongArray seen = lastSeen;
        if (seen == null)
        {
            return false;
        }
        final long last = seen.getOpaque(index);
        if (last != 0 && nowNanos - last > idleNanos && seen.compareAndSet(index, last, 0))
        {
            count = count - 1;
            return true;
        }
        return false;
    }

    /** Writer: ends a membership whatever its age (the group changed). @return true when it was one */
    boolean remove(final int index)
    {
        final AtomicLongArray seen = lastSeen;
        if (seen != null && seen.getAndSet(index, 0) != 0)
        {
            count = count - 1;
            return true;
        }
        return false;
    }

    /** Members now. */
    int count()
    {
        return count;
    }

    /** Indices {@code 0 .. capacity-1}. */
    int capacity()
    {
        return capacity;
    }

    /** 0 marks "no member", so a clock reading of 0 (a test clock at its start) is stored as 1. */
    private static long stamp(final long nowNanos)
    {
        return nowNanos == 0 ? 1 : nowNanos;
    }
}
