package io.vtep.fdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.IntConsumer;

import io.vtep.encap.HashMixer;

/**
 * Open-addressing hash table from a MAC address (the low 48 bits of a {@code long}) to a
 * packed {@link FdbEntry} ({@code long}), with a last-seen time per entry. One writer, any
 * number of lock-free, allocation-free readers.
 *
 * <h2>Layout</h2>
 * One {@code long[]} holds every slot as four consecutive longs, so a lookup touches one
 * cache line per probe:
 * <pre>
 *   slot i:  [4i+0] key        EMPTY (0) | TOMBSTONE (-1) | mac | PRESENT
 *            [4i+1] value      the packed entry; {@link FdbEntry#NONE} when not live
 *            [4i+2] version    bumped each time the slot starts holding a new key
 *            [4i+3] last seen  System.nanoTime()-style timestamp of the entry
 * </pre>
 * Linear probing from a mixed hash of the MAC. A removed entry leaves a tombstone so that
 * probe chains through it stay intact; an insert reuses the first tombstone on its chain.
 * The table grows (or is rebuilt at the same size to drop tombstones) when live entries plus
 * tombstones would exceed 3/4 of the slots.
 *
 * <h2>Bounded</h2>
 * A table holds at most {@link #maxEntries()} live entries: {@link #put} of a new MAC beyond it is
 * refused ({@link #isFull()} says so first), and the slot array never grows past the
 * {@link #maxCapacity()} that keeps that many entries at most half the slots, so a MAC flood
 * cannot make the doubling allocate more than {@code 2 * 2 * 32} bytes per allowed entry. A
 * rebuild also shrinks a table that has become sparse (after ageing), so a VNI that was flooded
 * once does not keep its peak memory for good.
 *
 * <h2>Why readers are safe</h2>
 * <ul>
 *   <li>A resize builds a new array that no reader can see, fills it, and publishes it with
 *   one volatile write. Readers take one volatile read of the array reference per lookup;
 *   an array that has been replaced is never written again by the writer, so a reader still
 *   walking it sees a consistent, if slightly old, table.</li>
 *   <li>Inserting a key into a free slot: version is bumped (release), then a store-store
 *   fence, then value (release), then key (release). A reader that sees the key (acquire)
 *   sees the value written with it or a later one.</li>
 *   <li>Changing the value of a live key writes only the value (release): a reader gets the
 *   old or the new value, both of which belong to that key.</li>
 *   <li>Removing writes key = TOMBSTONE, then value = NONE.</li>
 *   <li>Re-checking the key after reading the value is not enough once tombstones are reused:
 *   a reader could read key A, stall while A is removed, B inserted into the same slot and
 *   removed, and A inserted there again, then read B's value and find key A again (ABA).
 *   The per-slot version closes that hole: the reader reads version (acquire), key
 *   (acquire), value (acquire) and version again, and retries the slot if the version
 *   changed. Any value from a later occupant of the slot was written after that
 *   occupant's version bump (store-store fence), so a reader that saw such a value also
 *   sees the bump. Readers never wait for the writer: a retry happens only because the
 *   writer made progress, so lookups are lock-free.</li>
 * </ul>
 *
 * <p>The last-seen time is not covered by the version: data-path threads refresh it with
 * opaque stores ({@link #getAndRefresh}) while the writer reads it for ageing. A refresh that
 * races with a resize or with the slot being reused can be lost or land on the new occupant;
 * either only shifts when an entry ages by the length of the race, never what it maps to.
 *
 * <p>Methods marked <em>writer only</em> must be called by one thread at a time with a
 * happens-before edge between successive callers (in the FDB: the FDB write lock).
 */
public final class MacTable
{
    /** Longest a MAC can be. Keys outside 48 bits are refused by writers and never found. */
    public static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;
    /** Smallest number of slots. */
    public static final int MIN_CAPACITY = 8;
    /** Largest number of slots (the backing array is 4 longs per slot). */
    public static final int MAX_CAPACITY = 1 << 28;

    static final long EMPTY = 0L;
    static final long TOMBSTONE = -1L;
    /** Set in every live key so that MAC 00:00:00:00:00:00 is distinguishable from EMPTY. */
    static final long PRESENT = 1L << 48;

    static final int KEY = 0;
    static final int VALUE = 1;
    static final int VERSION = 2;
    static final int LAST_SEEN = 3;
    private static final int SLOT_SHIFT = 2;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    /** Published with a volatile write when replaced by a resize. */
    private volatile long[] slots;

    // Written by the writer only; volatile so control threads can read them.
    private volatile int size;
    private volatile int tombstones;
    private volatile long resizes;
    private volatile long tombstoneReuses;

    private int resizeThreshold;
    private final int maxEntries;
    private final int maxCapacity;

    /**
     * @param initialCapacity number of slots to start with; rounded up to a power of two, at
     *                        least {@link #MIN_CAPACITY}.
     * @param maxEntries      most live entries, 1..{@code MAX_CAPACITY / 2}.
     */
    public MacTable(final int initialCapacity, final int maxEntries)
    {
        if (maxEntries < 1 || maxEntries > MAX_CAPACITY / 2)
        {
            throw new IllegalArgumentException("max entries " + maxEntries + " outside 1.." + MAX_CAPACITY / 2);
        }
        this.maxEntries = maxEntries;
        this.maxCapacity = capacityFor(maxEntries * 2);
        final int capacity = Math.min(capacityFor(initialCapacity), maxCapacity);
        slots = new long[capacity << SLOT_SHIFT];
        resizeThreshold = threshold(capacity);
    }

    /**
     * @param initialCapacity as {@link #MacTable(int, int)}; at most {@code MAX_CAPACITY / 2} entries.
     */
    public MacTable(final int initialCapacity)
    {
        this(initialCapacity, MAX_CAPACITY / 2);
    }

    public MacTable()
    {
        this(MIN_CAPACITY);
    }

    // ------------------------------------------------------------------------------------
    // Readers: any thread, lock-free, allocation-free.
    // ------------------------------------------------------------------------------------

    /**
     * @param mac address in the low 48 bits.
     * @return the entry, or {@link FdbEntry#NONE} when absent (or when {@code mac} has bits
     * above 48 set).
     */
    public long get(final long mac)
    {
        return read(mac, FdbEntry.NONE, 0, Long.MAX_VALUE, null);
    }

    /**
     * Data-path lookup that also refreshes the entry's last-seen time when the entry is
     * {@code expected}: the common case of learning, a MAC seen again where it already is,
     * costs one lookup and at most one opaque store.
     *
     * @param mac                 address in the low 48 bits.
     * @param expected            entry to refresh; {@link FdbEntry#NONE} refreshes nothing.
     * @param nowNanos            time to store as last seen.
     * @param granularityNanos    the store is skipped unless last seen is at least this old, so
     *                            a hot MAC does not write its cache line on every packet.
     * @return the entry as found (refreshed or not), or {@link FdbEntry#NONE}.
     */
    public long getAndRefresh(final long mac, final long expected, final long nowNanos, final long granularityNanos)
    {
        return read(mac, expected, nowNanos, granularityNanos, null);
    }

    /**
     * {@link #get} that calls {@code pause} with 1 after reading a matching key and with 2
     * after reading its value, so a test can make the writer act at exactly those points.
     */
    long getPausing(final long mac, final IntConsumer pause)
    {
        return read(mac, FdbEntry.NONE, 0, Long.MAX_VALUE, pause);
    }

    /**
     * The lock-free read described in the class Javadoc: version, key, value, version again.
     */
    private long read(
        final long mac,
        final long expected,
        final long nowNanos,
        final long granularityNanos,
        final IntConsumer pause)
    {
        if ((mac & ~MAC_MASK) != 0)
        {
            return FdbEntry.NONE;
        }

        final long key = mac | PRESENT;
        final long[] s = slots;
        final int mask = (s.length >>> SLOT_SHIFT) - 1;
        int slot = hash(mac) & mask;
        for (int probes = 0; probes <= mask;)
        {
            final int base = slot << SLOT_SHIFT;
            final long version = (long)SLOT.getAcquire(s, base + VERSION);
            final long k = (long)SLOT.getAcquire(s, base + KEY);
            if (k == EMPTY)
            {
                return FdbEntry.NONE;
            }
            if (k == key)
            {
                if (null != pause)
                {
                    pause.accept(1);
                }
                final long value = (long)SLOT.getAcquire(s, base + VALUE);
                if (null != pause)
                {
                    pause.accept(2);
                }
                if ((long)SLOT.getOpaque(s, base + VERSION) != version)
                {
                    continue; // the slot got a new occupant while we read it: read it again
                }
                if (value == expected && value != FdbEntry.NONE)
                {
                    final int lastSeenIndex = base + LAST_SEEN;
                    if (nowNanos - (long)SLOT.getOpaque(s, lastSeenIndex) >= granularityNanos)
                    {
                        SLOT.setOpaque(s, lastSeenIndex, nowNanos);
                    }
                }
                return value;
            }
            slot = (slot + 1) & mask;
            probes++;
        }

        return FdbEntry.NONE;
    }

    /**
     * @param mac address in the low 48 bits.
     * @return the last-seen time of the entry, or {@link Long#MIN_VALUE} when absent.
     */
    public long lastSeen(final long mac)
    {
        if ((mac & ~MAC_MASK) != 0)
        {
            return Long.MIN_VALUE;
        }

        final long key = mac | PRESENT;
        final long[] s = slots;
        final int mask = (s.length >>> SLOT_SHIFT) - 1;
        int slot = hash(mac) & mask;
        for (int probes = 0; probes <= mask; probes++)
        {
            final int base = slot << SLOT_SHIFT;
            final long version = (long)SLOT.getAcquire(s, base + VERSION);
            final long k = (long)SLOT.getAcquire(s, base + KEY);
            if (k == EMPTY)
            {
                return Long.MIN_VALUE;
            }
            if (k == key)
            {
                final long lastSeen = (long)SLOT.getAcquire(s, base + LAST_SEEN);
                if ((long)SLOT.getOpaque(s, base + VERSION) != version)
                {
                    probes--;
                    continue; // new occupant while we read: read the slot again
                }
                return lastSeen;
            }
            slot = (slot + 1) & mask;
        }

        return Long.MIN_VALUE;
    }

    /**
     * Visits every live entry; each visit sees a key and value that belonged together. Entries
     * written concurrently may or may not be visited. Any thread; does not allocate.
     *
     * @param visitor called with (mac, entry, lastSeenNanos).
     */
    public void forEach(final EntryVisitor visitor)
    {
        final long[] s = slots;
        for (int base = 0; base < s.length; base += 1 << SLOT_SHIFT)
        {
            long version;
            long key;
            long value;
            long lastSeen;
            do
            {
                version = (long)SLOT.getAcquire(s, base + VERSION);
                key = (long)SLOT.getAcquire(s, base + KEY);
                value = (long)SLOT.getAcquire(s, base + VALUE);
                lastSeen = (long)SLOT.getOpaque(s, base + LAST_SEEN);
            }
            while ((long)SLOT.getOpaque(s, base + VERSION) != version);

            if (key != EMPTY && key != TOMBSTONE && value != FdbEntry.NONE)
            {
                visitor.accept(key & MAC_MASK, value, lastSeen);
            }
        }
    }

    /**
     * @return live entries.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return number of slots.
     */
    public int capacity()
    {
        return slots.length >>> SLOT_SHIFT;
    }

    /**
     * @return most live entries this table takes.
     */
    public int maxEntries()
    {
        return maxEntries;
    }

    /**
     * @return most slots the table ever allocates.
     */
    public int maxCapacity()
    {
        return maxCapacity;
    }

    /**
     * @return true when a new MAC would be refused: {@link #size()} has reached {@link #maxEntries()}.
     */
    public boolean isFull()
    {
        return size >= maxEntries;
    }

    /**
     * @return slots holding a tombstone.
     */
    public int tombstones()
    {
        return tombstones;
    }

    /**
     * @return how many times the slot array has been rebuilt (grown or purged of tombstones).
     */
    public long resizes()
    {
        return resizes;
    }

    /**
     * @return how many inserts reused a tombstone instead of an empty slot.
     */
    public long tombstoneReuses()
    {
        return tombstoneReuses;
    }

    // ------------------------------------------------------------------------------------
    // Writer only.
    // ------------------------------------------------------------------------------------

    /**
     * Inserts or replaces. Writer only; may allocate (resize).
     *
     * @param mac      address in the low 48 bits.
     * @param entry    packed entry, not {@link FdbEntry#NONE}.
     * @param nowNanos stored as last seen.
     * @return the previous entry, or {@link FdbEntry#NONE}.
     * @throws IllegalArgumentException for a MAC wider than 48 bits or a {@code NONE} entry.
     * @throws IllegalStateException    for a new MAC when the table {@link #isFull()} (callers check first).
     */
    public long put(final long mac, final long entry, final long nowNanos)
    {
        if ((mac & ~MAC_MASK) != 0)
        {
            throw new IllegalArgumentException("MAC wider than 48 bits: 0x" + Long.toHexString(mac));
        }
        if (entry == FdbEntry.NONE)
        {
            throw new IllegalArgumentException("cannot store FdbEntry.NONE");
        }

        final long key = mac | PRESENT;
        long[] s = slots;
        int mask = (s.length >>> SLOT_SHIFT) - 1;
        int slot = hash(mac) & mask;
        int firstTombstone = -1;
        while (true)
        {
            final int base = slot << SLOT_SHIFT;
            final long k = s[base + KEY];
            if (k == key)
            {
                final long previous = s[base + VALUE];
                if (previous != entry)
                {
                    SLOT.setRelease(s, base + VALUE, entry);
                }
                SLOT.setOpaque(s, base + LAST_SEEN, nowNanos);
                return previous;
            }
            if (k == EMPTY)
            {
                break;
            }
            if (k == TOMBSTONE && firstTombstone < 0)
            {
                firstTombstone = slot;
            }
            slot = (slot + 1) & mask;
        }
        if (size >= maxEntries)
        {
            throw new IllegalStateException("MAC table full at " + maxEntries + " entries");
        }

        if (firstTombstone >= 0)
        {
            occupy(s, firstTombstone << SLOT_SHIFT, key, entry, nowNanos);
            tombstones = tombstones - 1;
            tombstoneReuses = tombstoneReuses + 1;
        }
        else
        {
            if (size + tombstones + 1 > resizeThreshold)
            {
                rebuild();
                s = slots;
                mask = (s.length >>> SLOT_SHIFT) - 1;
                slot = hash(mac) & mask;
                while (s[(slot << SLOT_SHIFT) + KEY] != EMPTY)
                {
                    slot = (slot + 1) & mask;
                }
            }
            occupy(s, slot << SLOT_SHIFT, key, entry, nowNanos);
        }
        size = size + 1;

        return FdbEntry.NONE;
    }

    /**
     * Removes. Writer only.
     *
     * @param mac address in the low 48 bits.
     * @return the removed entry, or {@link FdbEntry#NONE} when absent.
     */
    public long remove(final long mac)
    {
        final int base = find(mac);
        if (base < 0)
        {
            return FdbEntry.NONE;
        }

        final long[] s = slots;
        final long previous = s[base + VALUE];
        vacate(s, base);
        return previous;
    }

    /**
     * Sets the last-seen time of an entry. Writer only (data-path threads use
     * {@link #getAndRefresh}).
     *
     * @param mac      address in the low 48 bits.
     * @param nowNanos new last-seen time.
     * @return true if the entry exists.
     */
    public boolean touch(final long mac, final long nowNanos)
    {
        final int base = find(mac);
        if (base < 0)
        {
            return false;
        }

        SLOT.setOpaque(slots, base + LAST_SEEN, nowNanos);
        return true;
    }

    /**
     * Removes every entry the policy selects and reports each removal. Writer only. The
     * {@code removed} callback may write to this table (a listener reacting to an ageing
     * event); iteration then carries on over the current slots.
     *
     * @param policy  decides per (mac, entry, lastSeenNanos).
     * @param removed told of each removed entry, after it has been removed; may be null.
     * @return number of entries removed.
     */
    public int removeIf(final EntryPredicate policy, final EntryVisitor removed)
    {
        int count = 0;
        long[] s = slots;
        for (int base = 0; base < s.length; base += 1 << SLOT_SHIFT)
        {
            final long key = s[base + KEY];
            if (key == EMPTY || key == TOMBSTONE)
            {
                continue;
            }

            final long mac = key & MAC_MASK;
            final long value = s[base + VALUE];
            final long lastSeen = (long)SLOT.getOpaque(s, base + LAST_SEEN);
            if (policy.test(mac, value, lastSeen))
            {
                vacate(s, base);
                count++;
                if (null != removed)
                {
                    removed.accept(mac, value, lastSeen);
                    if (s != slots)
                    {
                        s = slots; // rebuilt by a write from the callback: start over, nothing is lost
                        base = -(1 << SLOT_SHIFT);
                    }
                }
            }
        }

        return count;
    }

    private int find(final long mac)
    {
        if ((mac & ~MAC_MASK) != 0)
        {
            return -1;
        }

        final long key = mac | PRESENT;
        final long[] s = slots;
        final int mask = (s.length >>> SLOT_SHIFT) - 1;
        int slot = hash(mac) & mask;
        for (int probes = 0; probes <= mask; probes++)
        {
            final int base = slot << SLOT_SHIFT;
            final long k = s[base + KEY];
            if (k == key)
            {
                return base;
            }
            if (k == EMPTY)
            {
                return -1;
            }
            slot = (slot + 1) & mask;
        }

        return -1;
    }

    private static void occupy(final long[] s, final int base, final long key, final long entry, final long nowNanos)
    {
        // The version bump must be visible before anything of the new occupant: see class Javadoc.
        SLOT.setRelease(s, base + VERSION, s[base + VERSION] + 1);
        VarHandle.storeStoreFence();
        SLOT.setOpaque(s, base + LAST_SEEN, nowNanos);
        SLOT.setRelease(s, base + VALUE, entry);
        SLOT.setRelease(s, base + KEY, key);
    }

    private void vacate(final long[] s, final int base)
    {
        SLOT.setRelease(s, base + KEY, TOMBSTONE);
        SLOT.setRelease(s, base + VALUE, FdbEntry.NONE);
        size = size - 1;
        tombstones = tombstones + 1;
    }

    /**
     * Gives memory back after ageing emptied most of the table: rebuilds it at the size its live
     * entries need when they fill less than 1/8 of the slots. Writer only; the sweep calls it.
     *
     * @return true when the table was rebuilt smaller.
     */
    public boolean shrinkIfSparse()
    {
        final int capacity = slots.length >>> SLOT_SHIFT;
        if (capacity <= MIN_CAPACITY || (long)size * 8 >= capacity)
        {
            return false;
        }
        rebuildAt(capacityFor((size + 1) * 2));
        return true;
    }

    /**
     * Builds a new slot array holding only the live entries and publishes it with one volatile
     * write: twice as large while live entries after the pending insert would fill more than half
     * of it, never more than {@link #maxCapacity()}; at the same size to purge tombstones; smaller
     * only when the live entries fill less than 1/8 (so churn at a steady size does not resize
     * back and forth). {@code size < maxEntries} here, and {@code maxCapacity >= 2 * maxEntries},
     * so the pending entry always fits below the resize threshold.
     */
    private void rebuild()
    {
        final int current = slots.length >>> SLOT_SHIFT;
        int capacity = current;
        while ((long)(size + 1) * 2 > capacity && capacity < maxCapacity)
        {
            capacity <<= 1;
        }
        if ((long)size * 8 < current)
        {
            capacity = capacityFor((size + 1) * 2);
        }
        rebuildAt(capacity);
    }

    private void rebuildAt(final int capacity)
    {
        final long[] old = slots;

        final long[] fresh = new long[capacity << SLOT_SHIFT];
        final int mask = capacity - 1;
        for (int base = 0; base < old.length; base += 1 << SLOT_SHIFT)
        {
            final long key = old[base + KEY];
            if (key == EMPTY || key == TOMBSTONE)
            {
                continue;
            }

            int slot = hash(key & MAC_MASK) & mask;
            while (fresh[(slot << SLOT_SHIFT) + KEY] != EMPTY)
            {
                slot = (slot + 1) & mask;
            }
            final int to = slot << SLOT_SHIFT;
            fresh[to + KEY] = key;
            fresh[to + VALUE] = old[base + VALUE];
            fresh[to + LAST_SEEN] = (long)SLOT.getOpaque(old, base + LAST_SEEN);
        }

        resizeThreshold = threshold(capacity);
        tombstones = 0;
        resizes = resizes + 1;
        slots = fresh; // publish: the volatile write orders all the plain writes above before it
    }

    private static int threshold(final int capacity)
    {
        return capacity - (capacity >>> 2);
    }

    private static int capacityFor(final int requested)
    {
        if (requested > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("capacity " + requested + " > " + MAX_CAPACITY);
        }
        int capacity = MIN_CAPACITY;
        while (capacity < requested)
        {
            capacity <<= 1;
        }
        return capacity;
    }

    /**
     * MACs of one vendor share their upper 24 bits and often count up in the lower ones; the
     * MurmurHash3 finaliser spreads them over the whole table.
     */
    static int hash(final long mac)
    {
        return (int)HashMixer.fmix64(mac);
    }

    /**
     * Receives an entry: (mac, packed entry, last-seen time).
     */
    @FunctionalInterface
    public interface EntryVisitor
    {
        void accept(long mac, long entry, long lastSeenNanos);
    }

    /**
     * Selects entries: (mac, packed entry, last-seen time).
     */
    @FunctionalInterface
    public interface EntryPredicate
    {
        boolean test(long mac, long entry, long lastSeenNanos);
    }
}
