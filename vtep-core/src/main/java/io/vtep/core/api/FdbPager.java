package io.vtep.core.api;

import java.util.Arrays;

import io.vtep.fdb.Fdb;
import io.vtep.fdb.VniFdb;

/**
 * Reads the FDB in (VNI, MAC) order a page at a time, holding one page and never the whole table:
 * each page is one walk of the MAC tables with the FDB's non-blocking visitor ({@link VniFdb#forEach},
 * which takes no lock, so forwarding and learning never wait for it), keeping the {@code capacity}
 * smallest MACs above a cursor in a bounded max-heap, sorted at the end. A walk costs one pass over
 * the table, so reading the whole FDB costs {@code size / capacity} passes.
 *
 * <p>The heap is one {@code long[]} of keys, each a MAC and the row that holds the rest of its entry
 * ({@code mac << 16 | row}, sign bit flipped so that signed order is MAC order): sifting moves one
 * long, and the rows never move. Hence at most {@value #MAX_CAPACITY} rows a page.
 *
 * <p>Entries that change during a walk may be seen old or new, or (inserted or removed during it)
 * not at all, as with {@link Fdb#forEach}; a MAC seen twice in one walk (moved to another slot
 * while the walk passed) is kept once. One instance per reader; not thread-safe.
 */
final class FdbPager
{
    static final int MAX_CAPACITY = 1 << 16;
    private static final int ROW_BITS = 16;
    private static final long ROW_MASK = MAX_CAPACITY - 1;

    private final Fdb fdb;
    private final int onlyVniOrZero;
    /** [0, size): the page's keys; while a VNI is walked, [heapStart, size) is its heap. */
    private final long[] keys;
    private final int[] vnis;
    private final long[] entries;
    private final long[] ages;
    /** Rows given back when a repeated MAC was dropped, reused before {@link #rowsUsed} grows. */
    private final int[] freeRows;
    private int freeCount;
    private int rowsUsed;
    private int size;
    private int heapStart;
    private int heapVni;
    private long heapFloor;
    /** Whether the last {@link #fill} left entries out (the page was full). */
    private boolean more;

    /**
     * @param vniOrZero one VNI, or 0 for all
     * @param capacity  rows per page, 1..{@value #MAX_CAPACITY}
     */
    FdbPager(final Fdb fdb, final int vniOrZero, final int capacity)
    {
        if (capacity < 1 || capacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("page capacity " + capacity + " is not in 1.." + MAX_CAPACITY);
        }
        this.fdb = fdb;
        this.onlyVniOrZero = vniOrZero;
        this.keys = new long[capacity];
        this.vnis = new int[capacity];
        this.entries = new long[capacity];
        this.ages = new long[capacity];
        this.freeRows = new int[capacity];
    }

    /**
     * Fills the page with the next entries after the cursor, in order.
     *
     * @param afterVni entries of VNIs below it are skipped (0: from the start)
     * @param afterMac in {@code afterVni}, only MACs above it (-1: every MAC)
     * @return rows in the page; {@link #more()} says whether entries after them were left out
     */
    int fill(final int afterVni, final long afterMac)
    {
        size = 0;
        rowsUsed = 0;
        freeCount = 0;
        more = false;
        final int[] all = onlyVniOrZero == 0 ? fdb.vnis() : new int[] {onlyVniOrZero};
        for (final int vni : all)
        {
            if (vni < afterVni)
            {
                continue;
            }
            if (size == keys.length)
            {
                more = true;
                break;
            }
            final VniFdb table = fdb.vni(vni);
            if (table == null)
            {
                continue;
            }
            heapStart = size;
            heapVni = vni;
            heapFloor = vni == afterVni ? afterMac : -1;
            table.forEach(this::offer);
            sortHeap();
        }
        return size;
    }

    /** Whether the last page was full, so that another page after its last row may hold more. */
    boolean more()
    {
        return more;
    }

    int vni(final int index)
    {
        return vnis[row(keys[index])];
    }

    long mac(final int index)
    {
        return mac(keys[index]);
    }

    long entry(final int index)
    {
        return entries[row(keys[index])];
    }

    long ageNanos(final int index)
    {
        return ages[row(keys[index])];
    }

    private static long key(final long mac, final int row)
    {
        return ((mac << ROW_BITS) | row) ^ Long.MIN_VALUE;
    }

    private static long mac(final long key)
    {
        return (key ^ Long.MIN_VALUE) >>> ROW_BITS;
    }

    private static int row(final long key)
    {
        return (int)(key & ROW_MASK);
    }

    private void offer(final int vni, final long mac, final long entry, final long ageNanos)
    {
        if (vni != heapVni || mac <= heapFloor)
        {
            return;
        }
        if (size < keys.length)
        {
            final int row = freeCount > 0 ? freeRows[--freeCount] : rowsUsed++;
            store(row, vni, entry, ageNanos);
            keys[size] = key(mac, row);
            siftUp(size++);
            return;
        }
        more = true;
        final long largest = keys[heapStart];
        if (mac < mac(largest))
        {
            final int row = row(largest);
            store(row, vni, entry, ageNanos);
            keys[heapStart] = key(mac, row);
            siftDown(heapStart);
        }
    }

    private void store(final int row, final int vni, final long entry, final long ageNanos)
    {
        vnis[row] = vni;
        entries[row] = entry;
        ages[row] = ageNanos;
    }

    /** Max-heap over [heapStart, size): the root is the largest MAC kept so far. */
    private void siftUp(final int index)
    {
        final long key = keys[index];
        int child = index;
        while (child > heapStart)
        {
            final int parent = heapStart + (child - heapStart - 1) / 2;
            if (keys[parent] >= key)
            {
                break;
            }
            keys[child] = keys[parent];
            child = parent;
        }
        keys[child] = key;
    }

    private void siftDown(final int index)
    {
        final long key = keys[index];
        int parent = index;
        while (true)
        {
            final int left = heapStart + 2 * (parent - heapStart) + 1;
            if (left >= size)
            {
                break;
            }
            final int right = left + 1;
            final int larger = right < size && keys[right] > keys[left] ? right : left;
            if (key >= keys[larger])
            {
                break;
            }
            keys[parent] = keys[larger];
            parent = larger;
        }
        keys[parent] = key;
    }

    /** Sorts the VNI's keys into MAC order and drops repeats of a MAC, giving their rows back. */
    private void sortHeap()
    {
        Arrays.sort(keys, heapStart, size);
        int kept = heapStart;
        for (int index = heapStart; index < size; index++)
        {
            if (index > heapStart && mac(keys[index]) == mac(keys[kept - 1]))
            {
                freeRows[freeCount++] = row(keys[index]);
                continue;
            }
            keys[kept++] = keys[index];
        }
        size = kept;
    }
}
