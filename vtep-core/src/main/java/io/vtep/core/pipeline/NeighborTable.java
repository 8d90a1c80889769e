package io.vtep.core.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.vtep.encap.HashMixer;

/**
 * The IP → MAC bindings of one VNI that ARP/ND suppression answers from (RFC 7432 §10, RFC 9161
 * §3.2): one writer (a control thread, see {@link NeighborBindings}), any number of lock-free,
 * allocation-free readers (the access pipelines).
 *
 * <p>Keys are IPv6 addresses as two longs; an IPv4 address is kept as its IPv4-mapped IPv6 address
 * ({@code ::ffff:a.b.c.d}, RFC 4291 §2.5.5.2), so one table serves ARP and ND. Values pack the MAC
 * (low 48 bits), the proxy flags of RFC 9161 §3.1 ({@link #ROUTER}, {@link #OVERRIDE}) and a
 * presence bit.
 *
 * <h2>Layout and readers</h2>
 * One {@code long[]} of slots, four longs each: {@code [sequence, high, low, value]}, linear
 * probing. Each slot is a small sequence lock: the writer makes the sequence odd, writes, and makes
 * it even again; a reader reads the sequence (acquire), the fields, a load-load fence and the
 * sequence again, and retries the slot if it changed or was odd. A reader never waits for a lock:
 * it retries only because the writer made progress. A resize builds a new array that no reader can
 * see and publishes it with one volatile write; the old array is never written again.
 *
 * <h2>Bounded</h2>
 * At most {@code maxEntries} bindings; {@link #put} of a new address beyond it is refused. The
 * array starts small and doubles while live entries plus tombstones would pass 3/4 of the slots,
 * never beyond twice {@code maxEntries} slots (rounded up to a power of two).
 */
public final class NeighborTable
{
    /** RFC 9161 §3.1 flag R: the address belongs to a router (NA flag R, RFC 4861 §4.4). */
    public static final int ROUTER = 0x01;
    /** RFC 9161 §3.1 flag O: answer with the Override flag (RFC 4861 §4.4). */
    public static final int OVERRIDE = 0x02;

    /** Returned by {@link #lookup} when the address has no binding. */
    public static final long NONE = 0L;

    static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;
    private static final long PRESENT = 1L << 62;
    private static final long TOMBSTONE = 1L << 61;
    private static final int FLAGS_SHIFT = 48;
    private static final long IPV4_MAPPED_LOW = 0x0000_FFFF_0000_0000L;
    private static final int MIN_SLOTS = 16;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final int maxEntries;
    private final int maxSlots;
    /** Published with a volatile write when replaced. */
    private volatile long[] slots;
    // Writer only; volatile so that other threads can read the size.
    private volatile int size;
    private int tombstones;

    /**
     * @param maxEntries most bindings held at once
     */
    public NeighborTable(final int maxEntries)
    {
        if (maxEntries < 1)
        {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.maxSlots = Math.max(MIN_SLOTS, Integer.highestOneBit(Math.max(1, maxEntries * 2 - 1)) << 1);
        this.slots = new long[MIN_SLOTS * 4];
    }

    /** The key half {@code low} of an IPv4 address (big-endian int) in its IPv4-mapped form; {@code high} is 0. */
    public static long ipv4Low(final int address)
    {
        return IPV4_MAPPED_LOW | (address & 0xFFFF_FFFFL);
    }

    /** @return the MAC of a value returned by {@link #lookup} */
    public static long mac(final long value)
    {
        return value & MAC_MASK;
    }

    /** @return the {@link #ROUTER} / {@link #OVERRIDE} flags of a value returned by {@link #lookup} */
    public static int flags(final long value)
    {
        return (int)(value >>> FLAGS_SHIFT) & 0xFF;
    }

    /**
     * Data path: lock-free, allocation-free.
     *
     * @return the packed binding of the address, or {@link #NONE}
     */
    public long lookup(final long high, final long low)
    {
        final long[] table = slots;
        final int mask = (table.length >> 2) - 1;
        int slot = hash(high, low) & mask;
        for (int probes = 0; probes <= mask; probes++)
        {
            final int base = slot << 2;
            final long sequence = (long)SLOT.getAcquire(table, base);
            final long keyHigh = (long)SLOT.getOpaque(table, base + 1);
            final long keyLow = (long)SLOT.getOpaque(table, base + 2);
            final long value = (long)SLOT.getOpaque(table, base + 3);
            VarHandle.loadLoadFence();
            if ((sequence & 1) != 0 || sequence != (long)SLOT.getOpaque(table, base))
            {
                Thread.onSpinWait();
                probes--;
                continue; // the writer is changing this slot: read it again
            }
            if (value == NONE)
            {
                return NONE; // an empty slot ends the probe chain
            }
            if ((value & PRESENT) != 0 && keyHigh == high && keyLow == low)
            {
                return value;
            }
            slot = (slot + 1) & mask;
        }
        return NONE;
    }

    /**
     * Writer only. Binds the address to the MAC, replacing what it was bound to.
     *
     * @return false when the table is full and the address is new
     */
    public boolean put(final long high, final long low, final long mac, final int flags)
    {
        final long value = PRESENT | ((long)(flags & 0xFF) << FLAGS_SHIFT) | (mac & MAC_MASK);
        final int found = find(slots, high, low);
        if (found >= 0)
        {
            write(slots, found, high, low, value);
            return true;
        }
        if (size >= maxEntries)
        {
            return false;
        }
        if ((size + tombstones + 1) * 4L > (slots.length >> 2) * 3L)
        {
            rebuild();
        }
        final long[] table = slots;
        final int mask = (table.length >> 2) - 1;
        int slot = hash(high, low) & mask;
        while (((long)SLOT.getOpaque(table, (slot << 2) + 3) & PRESENT) != 0)
        {
            slot = (slot + 1) & mask;
        }
        if ((long)SLOT.getOpaque(table, (slot << 2) + 3) == TOMBSTONE)
        {
            tombstones--;
        }
        write(table, slot, high, low, value);
        size = size + 1;
        return true;
    }

    /**
     * Writer only.
     *
     * @return whether the address was bound
     */
    public boolean remove(final long high, final long low)
    {
        final int found = find(slots, high, low);
        if (found < 0)
        {
            return false;
        }
        write(slots, found, 0L, 0L, TOMBSTONE);
        size = size - 1;
        tombstones++;
        return true;
    }

    /** @return bindings held */
    public int size()
    {
        return size;
    }

    /** @return the most bindings held at once */
    public int maxEntries()
    {
        return maxEntries;
    }

    private static int find(final long[] table, final long high, final long low)
    {
        final int mask = (table.length >> 2) - 1;
        int slot = hash(high, low) & mask;
        for (int probes = 0; probes <= mask; probes++)
        {
            final int base = slot << 2;
            final long value = table[base + 3];
            if (value == NONE)
            {
                return -1;
            }
            if ((value & PRESENT) != 0 && table[base + 1] == high && table[base + 2] == low)
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private static void write(final long[] table, final int slot, final long high, final long low, final long value)
    {
        final int base = slot << 2;
        final long sequence = table[base];
        SLOT.setOpaque(table, base, sequence + 1);
        VarHandle.storeStoreFence(); // the odd sequence is visible before any field changes
        SLOT.setOpaque(table, base + 1, high);
        SLOT.setOpaque(table, base + 2, low);
        SLOT.setOpaque(table, base + 3, value);
        SLOT.setRelease(table, base, sequence + 2);
    }

    /** Doubles the slots when the live entries need it (up to the bound), else drops the tombstones. */
    private void rebuild()
    {
        final long[] old = slots;
        int count = old.length >> 2;
        while ((size + 1) * 4L > count * 3L && count < maxSlots)
        {
            count <<= 1;
        }
        final long[] fresh = new long[count * 4];
        final int mask = count - 1;
        for (int i = 0; i < old.length; i += 4)
        {
            if ((old[i + 3] & PRESENT) != 0)
            {
                int slot = hash(old[i + 1], old[i + 2]) & mask;
                while (fresh[(slot << 2) + 3] != NONE)
                {
                    slot = (slot + 1) & mask;
                }
                fresh[(slot << 2) + 1] = old[i + 1];
                fresh[(slot << 2) + 2] = old[i + 2];
                fresh[(slot << 2) + 3] = old[i + 3];
            }
        }
        tombstones = 0;
        slots = fresh; // publish: the volatile write orders the plain writes above before it
    }

    private static int hash(final long high, final long low)
    {
        return (int)HashMixer.fmix64(high * 0x9E3779B97F4A7C15L ^ low);
    }
}
