package io.vtep.fdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import io.vtep.encap.HashMixer;
import io.vtep.encap.VtepAddress;

/**
 * Interns remote VTEP addresses into {@link RemoteVtep}s with dense indices
 * {@code 0 .. capacity-1}, and ages out the ones nothing vouches for.
 *
 * <h2>Two kinds of VTEP</h2>
 * {@link #intern} is for the configuration (flood lists, static entries) and the control plane
 * (EVPN next hops): such a VTEP is <em>pinned</em> and stays until restart, as before.
 * {@link #internLearned} is for the data path, which interns the outer source address of VXLAN it
 * accepts for a data-plane VNI: such a VTEP is only <em>learned</em>, and VXLAN has no
 * authentication (RFC 7348 §7), so anyone can make the data path intern any number of spoofed
 * sources. A learned VTEP is therefore removed by {@link #sweep} once no FDB entry points at it and
 * it has sent nothing for the ageing time; a later {@link #intern} of its address pins it.
 *
 * <h2>Why an index may be reused, and when</h2>
 * Indices are what the rest of the appliance holds: FDB entries (packed {@code long}s), learn
 * events in the learn queue, per-thread data-path counters and the metric series bound to them,
 * the pending transmit batch of a pipeline. Reusing an index while any of those still means the
 * old VTEP would send or count for the wrong one, so:
 * <ul>
 *   <li>FDB entries: a VTEP is removed only when the FDB writer's count of entries pointing at it is
 *   zero (checked under the FDB write lock, which every entry change holds), and once it is out
 *   of the address hash nothing can learn a new entry behind it.</li>
 *   <li>Learn events queued before the removal: each names its VTEP by index and the low 8 bits
 *   of the index's generation (how many VTEPs held it before, {@link RemoteVtep#learnTarget()});
 *   the writer drops an event whose VTEP {@link RemoteVtep#isRemoved() is removed} or whose
 *   generation is not the current holder's. With the quarantine below, 256 reuses of one index
 *   take at least 256 s, far longer than an event waits in the queue.</li>
 *   <li>Data-path threads hold a {@code RemoteVtep} or an index only while they forward one
 *   packet or batch (microseconds). A freed index goes to the back of a FIFO and is reused no
 *   sooner than {@link #REUSE_QUARANTINE_NANOS} after it was freed, and {@link #byIndex} keeps
 *   returning the removed VTEP (marked removed) until then, never null.</li>
 *   <li>Metrics notice a new {@code RemoteVtep} at an index (identity changed) at the next
 *   scrape, drop the old VTEP's series and bind new ones that count from then on.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Changes are serialised by this table's monitor ({@link #sweep} runs on the FDB writer under the
 * FDB write lock). Every lookup ({@link #find}, {@link #findIpv4}, {@link #findIpv6},
 * {@link #byIndex}) is lock-free and allocation-free on any thread: each VTEP is immutable and
 * published with a release store after it is built; a removal leaves a tombstone in the hash so
 * probe chains stay intact; when tombstones would fill the hash beyond 3/4 it is rebuilt into a
 * new array published with one volatile write (readers walking the old one see a consistent
 * table, which is never written again).
 */
public final class RemoteVtepTable
{
    /** A freed index is not reused sooner than this (see the class Javadoc). */
    public static final long REUSE_QUARANTINE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A learn event's target holds the index in these bits ({@link RemoteVtep#learnTarget()}). */
    static final int INDEX_MASK = 0xFF_FFFF;

    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(RemoteVtep[].class);
    private static final VarHandle FULL_REFUSALS;
    /** Marks a removed VTEP's hash slot; compared by identity, never matches an address. */
    private static final RemoteVtep TOMBSTONE = new RemoteVtep(-1, 0, VtepAddress.ofIpv4(0), false, 0);

    static
    {
        try
        {
            FULL_REFUSALS = MethodHandles.lookup().findVarHandle(RemoteVtepTable.class, "fullRefusals", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final NanoClock clock;
    private final RemoteVtep[] byIndex;
    private volatile RemoteVtep[] slots;
    /** Freed indices, oldest first, with the time each was freed; guarded by this. */
    private final int[] freeIndices;
    /** VTEPs that held each index before its current one; guarded by this. */
    private final int[] generations;
    private final long[] freedAtNanos;
    private int freeHead;
    private volatile int freeCount;
    private volatile long oldestFreedAtNanos;
    private int tombstones;
    /** Indices {@code 0 .. highWater-1} have been handed out at least once. */
    private volatile int highWater;
    private volatile int size;
    private volatile long aged;
    private volatile Consumer<RemoteVtep>[] removalListeners = newListeners(0);
    @SuppressWarnings("unused")
    private long fullRefusals;

    /**
     * @param capacity most VTEPs this table will hold, at least 1.
     */
    public RemoteVtepTable(final int capacity)
    {
        this(capacity, SystemNanoClock.INSTANCE);
    }

    /**
     * @param capacity most VTEPs this table will hold, at least 1.
     * @param clock    the FDB's clock: birth times, ageing and the reuse quarantine.
     */
    public RemoteVtepTable(final int capacity, final NanoClock clock)
    {
        if (capacity < 1 || capacity > (1 << 24))
        {
            throw new IllegalArgumentException("remote VTEP capacity must be 1.." + (1 << 24) + ", not " + capacity);
        }

        this.clock = clock;
        byIndex = new RemoteVtep[capacity];
        freeIndices = new int[capacity];
        generations = new int[capacity];
        freedAtNanos = new long[capacity];
        int slotCount = 2;
        while (slotCount < capacity * 2)
        {
            slotCount <<= 1;
        }
        slots = new RemoteVtep[slotCount];
    }

    /**
     * Returns the one {@link RemoteVtep} for this address, creating it on first use, and pins it:
     * it is never aged out. For the configuration and the control plane; serialised on this table.
     *
     * @param address underlay address of the VTEP.
     * @return the interned VTEP, or null when the table is full and the address is new.
     */
    public synchronized RemoteVtep intern(final VtepAddress address)
    {
        final RemoteVtep existing = find(address);
        if (null != existing)
        {
            existing.learnedOnly = false;
            return existing;
        }
        return add(address, false);
    }

    /**
     * Data path: interns the outer source of accepted VXLAN as a learned VTEP, which ages out once
     * nothing points at it. When the table has no free index the refusal is counted
     * ({@link #fullRefusals()}) without taking the lock, so a flood of spoofed sources at a full
     * table costs one volatile read per packet, not a lock.
     *
     * @param address underlay address of the VTEP.
     * @return the interned VTEP (pinned or learned), or null when the table is full.
     */
    public RemoteVtep internLearned(final VtepAddress address)
    {
        if (!hasRoom())
        {
            countFull();
            return null;
        }
        synchronized (this)
        {
            final RemoteVtep existing = find(address);
            return null != existing ? existing : add(address, true);
        }
    }

    /**
     * @param address underlay address.
     * @return the interned VTEP, or null when unknown. Lock-free.
     */
    public RemoteVtep find(final VtepAddress address)
    {
        return address.isIpv6() ? findIpv6(address.ipv6High(), address.ipv6Low()) : findIpv4(address.ipv4());
    }

    /**
     * Data path: which remote VTEP sent this packet (its outer IPv4 source address)?
     *
     * @param address IPv4 address, first octet most significant.
     * @return the interned VTEP, or null when unknown. Lock-free, allocation-free.
     */
    public RemoteVtep findIpv4(final int address)
    {
        final RemoteVtep[] s = slots;
        final int mask = s.length - 1;
        int slot = hashIpv4(address) & mask;
        while (true)
        {
            final RemoteVtep vtep = (RemoteVtep)ELEMENT.getAcquire(s, slot);
            if (null == vtep)
            {
                return null;
            }
            if (vtep != TOMBSTONE && vtep.isIpv4(address))
            {
                return vtep;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Data path: which remote VTEP sent this packet (its outer IPv6 source address)?
     *
     * @param high first 8 bytes of the address.
     * @param low  last 8 bytes of the address.
     * @return the interned VTEP, or null when unknown. Lock-free, allocation-free.
     */
    public RemoteVtep findIpv6(final long high, final long low)
    {
        final RemoteVtep[] s = slots;
        final int mask = s.length - 1;
        int slot = hashIpv6(high, low) & mask;
        while (true)
        {
            final RemoteVtep vtep = (RemoteVtep)ELEMENT.getAcquire(s, slot);
            if (null == vtep)
            {
                return null;
            }
            if (vtep != TOMBSTONE && vtep.isIpv6(high, low))
            {
                return vtep;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * @param index {@link RemoteVtep#index()}.
     * @return the VTEP that holds or last held that index (a removed one until the index is reused,
     * see {@link RemoteVtep#isRemoved()}), or null when the index was never used. Lock-free.
     */
    public RemoteVtep byIndex(final int index)
    {
        return index >= 0 && index < byIndex.length ? (RemoteVtep)ELEMENT.getAcquire(byIndex, index) : null;
    }

    /**
     * @param vtep a VTEP.
     * @return true when it was interned by this table (not by another one) and is still in it.
     */
    public boolean contains(final RemoteVtep vtep)
    {
        return null != vtep && byIndex(vtep.index()) == vtep && !vtep.isRemoved();
    }

    /**
     * @return VTEPs in the table now.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return indices handed out so far: every index in use is below this.
     */
    public int highWater()
    {
        return highWater;
    }

    /**
     * @return most VTEPs the table holds.
     */
    public int capacity()
    {
        return byIndex.length;
    }

    /**
     * @return new VTEPs refused because the table was full (a lower bound: counted without atomics
     * from every data-path thread).
     */
    public long fullRefusals()
    {
        return (long)FULL_REFUSALS.getOpaque(this);
    }

    /**
     * @return learned VTEPs removed by ageing so far.
     */
    public long aged()
    {
        return aged;
    }

    /**
     * @param vtep a VTEP of this table
     * @return true while only data-plane learning vouches for it (it may age out).
     */
    public synchronized boolean isLearnedOnly(final RemoteVtep vtep)
    {
        return vtep.learnedOnly;
    }

    /**
     * @param listener told of each VTEP ageing removes, on the FDB writer's thread while it holds the
     *                 FDB write lock and this table's monitor (so before its index can be reused): it
     *                 must be quick and must not call back into the FDB. Metrics use it to note what
     *                 the index had counted, so the index's next VTEP counts from there.
     */
    public synchronized void addRemovalListener(final Consumer<RemoteVtep> listener)
    {
        final Consumer<RemoteVtep>[] next = Arrays.copyOf(removalListeners, removalListeners.length + 1);
        next[removalListeners.length] = listener;
        removalListeners = next;
    }

    /**
     * @param listener one added with {@link #addRemovalListener}; no longer told.
     */
    public synchronized void removeRemovalListener(final Consumer<RemoteVtep> listener)
    {
        final Consumer<RemoteVtep>[] next = newListeners(removalListeners.length);
        int length = 0;
        for (final Consumer<RemoteVtep> current : removalListeners)
        {
            if (current != listener)
            {
                next[length++] = current;
            }
        }
        removalListeners = Arrays.copyOf(next, length);
    }

    @SuppressWarnings("unchecked")
    private static Consumer<RemoteVtep>[] newListeners(final int length)
    {
        return (Consumer<RemoteVtep>[])new Consumer<?>[length];
    }

    /**
     * Pins a VTEP (configuration or control plane now refers to it): it no longer ages out.
     */
    synchronized void pin(final RemoteVtep vtep)
    {
        vtep.learnedOnly = false;
    }

    /**
     * Removes learned VTEPs that no FDB entry points at and that sent nothing for {@code idleNanos}.
     * The FDB writer calls it under the FDB write lock, so {@code entryRefs} cannot change meanwhile.
     *
     * @param nowNanos  the FDB clock.
     * @param idleNanos how long a VTEP must have been silent; 0 removes nothing.
     * @param entryRefs FDB entries pointing at each index.
     * @return VTEPs removed.
     */
    synchronized int sweep(final long nowNanos, final long idleNanos, final int[] entryRefs)
    {
        if (idleNanos == 0)
        {
            return 0;
        }
        int removed = 0;
        final int limit = highWater;
        for (int index = 0; index < limit; index++)
        {
            final RemoteVtep vtep = byIndex[index];
            if (vtep != null && vtep.learnedOnly && !vtep.isRemoved() && entryRefs[index] == 0 &&
                nowNanos - vtep.lastSeenNanos() > idleNanos)
            {
                remove(vtep, nowNanos);
                removed++;
            }
        }
        if (removed > 0)
        {
            aged = aged + removed;
        }
        return removed;
    }

    private boolean hasRoom()
    {
        return highWater < byIndex.length ||
            (freeCount > 0 && clock.nanoTime() - oldestFreedAtNanos >= REUSE_QUARANTINE_NANOS);
    }

    private void countFull()
    {
        FULL_REFUSALS.setOpaque(this, (long)FULL_REFUSALS.getOpaque(this) + 1);
    }

    /** Under the monitor, the address known to be absent. */
    private RemoteVtep add(final VtepAddress address, final boolean learnedOnly)
    {
        final long now = clock.nanoTime();
        final int index;
        if (highWater < byIndex.length)
        {
            index = highWater;
        }
        else if (freeCount > 0 && now - freedAtNanos[freeHead] >= REUSE_QUARANTINE_NANOS)
        {
            index = freeIndices[freeHead];
            generations[index]++;
            freeHead = (freeHead + 1) % freeIndices.length;
            freeCount = freeCount - 1;
            oldestFreedAtNanos = freeCount > 0 ? freedAtNanos[freeHead] : 0;
        }
        else
        {
            countFull();
            return null;
        }

        if ((size + tombstones + 1) * 4L > slots.length * 3L)
        {
            rebuild();
        }
        final RemoteVtep vtep = new RemoteVtep(index, generations[index], address, learnedOnly, now);
        final RemoteVtep[] s = slots;
        final int mask = s.length - 1;
        int slot = hash(address) & mask;
        while (null != s[slot] && s[slot] != TOMBSTONE)
        {
            slot = (slot + 1) & mask;
        }
        if (s[slot] == TOMBSTONE)
        {
            tombstones--;
        }
        ELEMENT.setRelease(byIndex, index, vtep);
        ELEMENT.setRelease(s, slot, vtep);
        if (index == highWater)
        {
            highWater = index + 1;
        }
        size = size + 1;
        return vtep;
    }

    private void remove(final RemoteVtep vtep, final long nowNanos)
    {
        final RemoteVtep[] s = slots;
        final int mask = s.length - 1;
        int slot = hash(vtep.address()) & mask;
        while (s[slot] != vtep)
        {
            slot = (slot + 1) & mask;
        }
        ELEMENT.setRelease(s, slot, TOMBSTONE);
        tombstones++;
        vtep.markRemoved();
        size = size - 1;
        for (final Consumer<RemoteVtep> listener : removalListeners)
        {
            listener.accept(vtep);
        }

        final int tail = (freeHead + freeCount) % freeIndices.length;
        freeIndices[tail] = vtep.index();
        freedAtNanos[tail] = nowNanos;
        if (freeCount == 0)
        {
            oldestFreedAtNanos = nowNanos;
        }
        freeCount = freeCount + 1;
    }

    /** A new hash array without tombstones, published with one volatile write. */
    private void rebuild()
    {
        final RemoteVtep[] old = slots;
        final RemoteVtep[] fresh = new RemoteVtep[old.length];
        final int mask = fresh.length - 1;
        for (final RemoteVtep vtep : old)
        {
            if (null != vtep && vtep != TOMBSTONE)
            {
                int slot = hash(vtep.address()) & mask;
                while (null != fresh[slot])
                {
                    slot = (slot + 1) & mask;
                }
                fresh[slot] = vtep;
            }
        }
        tombstones = 0;
        slots = fresh;
    }

    private static int hash(final VtepAddress address)
    {
        return address.isIpv6() ? hashIpv6(address.ipv6High(), address.ipv6Low()) : hashIpv4(address.ipv4());
    }

    private static int hashIpv4(final int address)
    {
        return mix(address & 0xFFFF_FFFFL);
    }

    private static int hashIpv6(final long high, final long low)
    {
        return mix(high * 0x9E37_79B9_7F4A_7C15L ^ low);
    }

    private static int mix(final long value)
    {
        return (int)HashMixer.fmix64(value);
    }
}
