package io.vtep.fdb;

import java.util.Arrays;

/**
 * Immutable {@code int → VniFdb} open-addressing map: the FDB replaces the whole map when a
 * VNI is added and publishes it with one volatile write, so lookups are lock-free and
 * allocation-free.
 */
final class VniMap
{
    static final VniMap EMPTY = new VniMap(new VniFdb[0]);

    private final int[] keys;
    private final VniFdb[] values;
    private final int mask;
    private final int[] sortedVnis;
    private final VniFdb[] sortedValues;

    private VniMap(final VniFdb[] all)
    {
        int capacity = 4;
        while (capacity < all.length * 2)
        {
            capacity <<= 1;
        }
        keys = new int[capacity];
        values = new VniFdb[capacity];
        mask = capacity - 1;
        sortedVnis = new int[all.length];
        for (int i = 0; i < all.length; i++)
        {
            final VniFdb fdb = all[i];
            int slot = hash(fdb.vni()) & mask;
            while (null != values[slot])
            {
                slot = (slot + 1) & mask;
            }
            keys[slot] = fdb.vni();
            values[slot] = fdb;
            sortedVnis[i] = fdb.vni();
        }
        Arrays.sort(sortedVnis);
        sortedValues = new VniFdb[all.length];
        for (int i = 0; i < sortedVnis.length; i++)
        {
            sortedValues[i] = get(sortedVnis[i]);
        }
    }

    VniFdb get(final int vni)
    {
        int slot = hash(vni) & mask;
        while (true)
        {
            final VniFdb fdb = values[slot];
            if (null == fdb || keys[slot] == vni)
            {
                return fdb;
            }
            slot = (slot + 1) & mask;
        }
    }

    VniMap with(final VniFdb fdb)
    {
        final VniFdb[] all = Arrays.copyOf(sortedValues, sortedValues.length + 1);
        all[sortedValues.length] = fdb;
        return new VniMap(all);
    }

    int size()
    {
        return sortedVnis.length;
    }

    int[] vnis()
    {
        return sortedVnis.clone();
    }

    /** @return every VNI's FDB in ascending VNI order; do not modify. */
    VniFdb[] values()
    {
        return sortedValues;
    }

    private static int hash(final int vni)
    {
        final int h = vni * 0x9E37_79B9;
        return h ^ (h >>> 16);
    }
}
