package io.vtep.core.api;

import io.vtep.fdb.Fdb;
import io.vtep.fdb.VniFdb;

/**
 * Reads the FDB in (VNI, MAC) order a page at a time, holding one page and never the whole table:
 * each page is one walk of the MAC tables with the FDB's non-blocking visitor ({@link VniFdb#forEach},
 * which takes no lock, so forwarding and learning never wait for it), keeping the {@code limit}
 * smallest MACs above a cursor in a bounded max-heap and sorting them at the end (heapsort, in place).
 * Memory is four arrays of {@code capacity}; a walk costs one pass over the table, so reading the
 * whole FDB costs {@code size / capacity} passes.
 *
 * <p>Entries that change during a walk may be seen old or new, or (inserted or removed during it)
 * not at all, as with {@link Fdb#forEach}; a MAC seen twice in one walk (moved to another slot
 * while the walk passed) is kept once. One instance per reader; not thread-safe.
 */
final class FdbPager
{
    private final Fdb fdb;
    private final int onlyVniOrZero;
    private final int[] vnis;
    private final long[] macs;
    private final long[] entries;
    private final long[] ages;
    private int size;
    /** The heap being filled: rows [heapStart, size) belong to {@link #heapVni}. */
    private int heapStart;
    private int heapLimit;
    private int heapVni;
    private long heapFloor;
    /** Whether the last {@link #fill} left entries out (the page was full). */
    private boolean more;

    /**
     * @param vniOrZero one VNI, or 0 for all
     * @param capacity  rows per page, at least 1
     */
    FdbPager(final Fdb fdb, final int vniOrZero, final int capacity)
    {
        this.fdb = fdb;
        this.onlyVniOrZero = vniOrZero;
        this.vnis = new int[capacity];
        this.macs = new long[capacity];
        this.entries = new long[capacity];
        this.ages = new long[capacity];
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
        more = false;
        final int[] all = onlyVniOrZero == 0 ? fdb.vnis() : new int[] {onlyVniOrZero};
        for (final int vni : all)
        {
            if (vni < afterVni)
            {
                continue;
            }
            if (size == macs.length)
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
            heapLimit = macs.length;
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

    int vni(final int row)
    {
        return vnis[row];
    }

    long mac(final int row)
    {
        return macs[row];
    }

    long entry(final int row)
    {
        return entries[row];
    }

    long ageNanos(final int row)
    {
        return ages[row];
    }

    private void offer(final int vni, final long mac, final long entry, final long ageNanos)
    {
        if (vni != heapVni || mac <= heapFloor)
        {
            return;
        }
        if (size < heapLimit)
        {
            set(size, vni, mac, entry, ageNanos);
            siftUp(size++);
            return;
        }
        more = true;
        if (mac < macs[heapStart])
        {
            set(heapStart, vni, mac, entry, ageNanos);
            siftDown(heapStart, size);
        }
    }

    private void set(final int row, final int vni, final long mac, final long entry, final long ageNanos)
    {
        vnis[row] = vni;
        macs[row] = mac;
        entries[row] = entry;
        ages[row] = ageNanos;
    }

    /** Max-heap on the MAC over [heapStart, end): the root is the largest MAC kept so far. */
    private void siftUp(final int row)
    {
        int child = row;
        while (child > heapStart)
        {
            final int parent = heapStart + (child - heapStart - 1) / 2;
            if (macs[parent] >= macs[child])
            {
                return;
            }
            swap(parent, child);
            child = parent;
        }
    }

    private void siftDown(final int row, final int end)
    {
        int parent = row;
        while (true)
        {
            final int left = heapStart + 2 * (parent - heapStart) + 1;
            if (left >= end)
            {
                return;
            }
            final int right = left + 1;
            final int larger = right < end && macs[right] > macs[left] ? right : left;
            if (macs[parent] >= macs[larger])
            {
                return;
            }
            swap(parent, larger);
            parent = larger;
        }
    }

    /** Heapsort of [heapStart, size) into ascending MACs, then drops repeats of a MAC. */
    private void sortHeap()
    {
        for (int end = size - 1; end > heapStart; end--)
        {
            swap(heapStart, end);
            siftDown(heapStart, end);
        }
        int kept = heapStart;
        for (int row = heapStart; row < size; row++)
        {
            if (row == heapStart || macs[row] != macs[kept - 1])
            {
                if (row != kept)
                {
                    set(kept, vnis[row], macs[row], entries[row], ages[row]);
                }
                kept++;
            }
        }
        size = kept;
    }

    private void swap(final int a, final int b)
    {
        final int vni = vnis[a];
        final long mac = macs[a];
        final long entry = entries[a];
        final long age = ages[a];
        set(a, vnis[b], macs[b], entries[b], ages[b]);
        set(b, vni, mac, entry, age);
    }
}
