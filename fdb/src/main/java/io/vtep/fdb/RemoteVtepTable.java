package io.vtep.fdb;

import io.vtep.encap.VtepAddress;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Interns remote VTEP addresses into {@link RemoteVtep}s with dense indices
 * {@code 0 .. capacity-1}. Insert-only and of fixed capacity: a VTEP is never removed, so an
 * FDB entry holding its index can never come to mean another VTEP.
 *
 * <p>{@link #intern} is for the control side and the FDB writer and is serialised by this
 * table's monitor. Every lookup ({@link #find}, {@link #findIpv4}, {@link #findIpv6},
 * {@link #byIndex}) is lock-free and allocation-free on any thread: the hash array is sized
 * once for the capacity (at most half full), slots go from null to a VTEP exactly once, and
 * each is published with a release store after the (immutable, final-field) VTEP is built.
 */
public final class RemoteVtepTable
{
    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(RemoteVtep[].class);

    private final RemoteVtep[] byIndex;
    private final RemoteVtep[] slots;
    private final int mask;
    private volatile int size;

    /**
     * @param capacity most VTEPs this table will hold, at least 1.
     */
    public RemoteVtepTable(final int capacity)
    {
        if (capacity < 1 || capacity > (1 << 24))
        {
            throw new IllegalArgumentException("remote VTEP capacity must be 1.." + (1 << 24) + ", not " + capacity);
        }

        byIndex = new RemoteVtep[capacity];
        int slotCount = 2;
        while (slotCount < capacity * 2)
        {
            slotCount <<= 1;
        }
        slots = new RemoteVtep[slotCount];
        mask = slotCount - 1;
    }

    /**
     * Returns the one {@link RemoteVtep} for this address, creating it on first use.
     * Control side / FDB writer; serialised on this table.
     *
     * @param address underlay address of the VTEP.
     * @return the interned VTEP, or null when the table is full and the address is new.
     */
    public synchronized RemoteVtep intern(final VtepAddress address)
    {
        final RemoteVtep existing = find(address);
        if (null != existing)
        {
            return existing;
        }

        final int index = size;
        if (index == byIndex.length)
        {
            return null;
        }

        final RemoteVtep vtep = new RemoteVtep(index, address);
        int slot = hash(address) & mask;
        while (null != slots[slot])
        {
            slot = (slot + 1) & mask;
        }
        ELEMENT.setRelease(byIndex, index, vtep);
        ELEMENT.setRelease(slots, slot, vtep);
        size = index + 1;

        return vtep;
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
        int slot = hashIpv4(address) & mask;
        while (true)
        {
            final RemoteVtep vtep = (RemoteVtep)ELEMENT.getAcquire(slots, slot);
            if (null == vtep || vtep.isIpv4(address))
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
        int slot = hashIpv6(high, low) & mask;
        while (true)
        {
            final RemoteVtep vtep = (RemoteVtep)ELEMENT.getAcquire(slots, slot);
            if (null == vtep || vtep.isIpv6(high, low))
            {
                return vtep;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * @param index {@link RemoteVtep#index()}.
     * @return the VTEP with that index, or null when there is none. Lock-free.
     */
    public RemoteVtep byIndex(final int index)
    {
        return index >= 0 && index < byIndex.length ? (RemoteVtep)ELEMENT.getAcquire(byIndex, index) : null;
    }

    /**
     * @param vtep a VTEP.
     * @return true when it was interned by this table (not by another one).
     */
    public boolean contains(final RemoteVtep vtep)
    {
        return null != vtep && byIndex(vtep.index()) == vtep;
    }

    /**
     * @return VTEPs interned so far; their indices are {@code 0 .. size-1}.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return most VTEPs the table holds.
     */
    public int capacity()
    {
        return byIndex.length;
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
        long h = value;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int)h;
    }
}
