package io.vtep.fdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.vtep.encap.VtepAddress;

/**
 * A remote VTEP, interned by a {@link RemoteVtepTable}: one instance per underlay address while it
 * is in the table, so identity comparison is equality and FDB entries refer to it by its small
 * dense {@link #index()} (per-VTEP state elsewhere, such as counters, lives in arrays indexed by
 * it). The address and index never change. A VTEP that was only ever learned from the data plane
 * can be {@link #isRemoved() removed} by ageing; its index is then reused for another VTEP, but
 * only after the quarantine described in {@link RemoteVtepTable}.
 */
public final class RemoteVtep
{
    private static final VarHandle LAST_SEEN;
    private static final VarHandle REMOVED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            LAST_SEEN = lookup.findVarHandle(RemoteVtep.class, "lastSeenNanos", long.class);
            REMOVED = lookup.findVarHandle(RemoteVtep.class, "removed", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int index;
    private final VtepAddress address;
    private final int generation;
    // Copied out of the address so that lock-free lookups compare primitives in one object.
    final boolean ipv6;
    final int ipv4;
    final long ipv6High;
    final long ipv6Low;

    /** True while only data-plane learning vouches for it; guarded by the table's monitor. */
    boolean learnedOnly;
    /** When the data path last took a packet from it; opaque stores, at most once per granularity. */
    @SuppressWarnings("unused")
    private long lastSeenNanos;
    @SuppressWarnings("unused")
    private boolean removed;

    RemoteVtep(final int index, final int generation, final VtepAddress address, final boolean learnedOnly,
        final long nowNanos)
    {
        this.index = index;
        this.generation = generation;
        this.address = address;
        this.learnedOnly = learnedOnly;
        this.lastSeenNanos = nowNanos;
        this.ipv6 = address.isIpv6();
        this.ipv4 = address.ipv4();
        this.ipv6High = address.ipv6High();
        this.ipv6Low = address.ipv6Low();
    }

    /**
     * @return position in the table, {@code 0 ≤ index < capacity}; what FDB entries store.
     */
    public int index()
    {
        return index;
    }

    /**
     * @return the underlay address of the VTEP.
     */
    public VtepAddress address()
    {
        return address;
    }

    /**
     * @return true once ageing took it out of its table: nothing new may refer to it.
     */
    public boolean isRemoved()
    {
        return (boolean)REMOVED.getAcquire(this);
    }

    /**
     * @return how many VTEPs held this index before this one.
     */
    int generation()
    {
        return generation;
    }

    /**
     * What a learn event carries to name this VTEP: the index in the low 24 bits (a table holds at
     * most 2^24), the low 8 bits of the generation above, so the writer can tell an event meant for a
     * previous holder of the index (see {@link RemoteVtepTable}).
     */
    int learnTarget()
    {
        return index | (generation << 24);
    }

    /**
     * @return true when a learn event's target names this VTEP, not an earlier holder of its index.
     */
    boolean isLearnTarget(final int target)
    {
        return target == learnTarget();
    }

    long lastSeenNanos()
    {
        return (long)LAST_SEEN.getOpaque(this);
    }

    /**
     * Data path: a packet came from this VTEP. Allocation-free; stores only when the stored time
     * is at least {@code granularityNanos} old, so a busy VTEP does not write its line per packet.
     */
    void refresh(final long nowNanos, final long granularityNanos)
    {
        if (nowNanos - (long)LAST_SEEN.getOpaque(this) >= granularityNanos)
        {
            LAST_SEEN.setOpaque(this, nowNanos);
        }
    }

    void markRemoved()
    {
        REMOVED.setRelease(this, true);
    }

    boolean isIpv4(final int address)
    {
        return !ipv6 && ipv4 == address;
    }

    boolean isIpv6(final long high, final long low)
    {
        return ipv6 && ipv6High == high && ipv6Low == low;
    }

    @Override
    public String toString()
    {
        return "vtep#" + index + " " + address;
    }
}
