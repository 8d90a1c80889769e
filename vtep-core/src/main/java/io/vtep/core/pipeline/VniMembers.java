package io.vtep.core.pipeline;

import java.util.concurrent.atomic.AtomicLongArray;

import org.agrona.collections.Int2IntHashMap;

import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;

/**
 * The remote VTEPs that belong to one VNI: those in its flood list (configured, or from EVPN
 * inclusive multicast routes, RFC 7432 §7.3) and those that static or EVPN MAC/IP entries
 * (RFC 7432 §7.2) point at. VXLAN has no authentication (RFC 7348 §7): a VNI that accepts only
 * its members keeps a VTEP that belongs to another VNI (or to none) from injecting frames into it.
 *
 * <p>The data path asks {@link #contains} per packet: one bit of a bitset over the remote VTEP
 * table's dense indices, lock-free and allocation-free. The control side keeps the bits: every
 * change comes through {@link MembershipListener}, i.e. under the FDB's write lock, so there is
 * one writer at a time. A VTEP with a bit set has a flood-list place or an entry behind it, which
 * keeps it in the remote VTEP table; a reused index therefore never inherits a stale bit.
 */
public final class VniMembers
{
    private final AtomicLongArray bits;
    private final int capacity;
    /** Control side only: static and EVPN entries per VTEP index. */
    private final Int2IntHashMap entries = new Int2IntHashMap(0);
    /** Control side only: the flood list last published. */
    private RemoteVtep[] floodList = new RemoteVtep[0];

    /**
     * @param capacity the remote VTEP table's capacity (indices 0..capacity-1)
     */
    VniMembers(final int capacity)
    {
        this.capacity = capacity;
        this.bits = new AtomicLongArray((capacity + 63) >>> 6);
    }

    /** Data path: is the VTEP with this index a member? Lock-free, allocation-free. */
    public boolean contains(final int vtepIndex)
    {
        return vtepIndex >= 0 && vtepIndex < capacity && (bits.getAcquire(vtepIndex >>> 6) & (1L << vtepIndex)) != 0;
    }

    /** The members now, for the API and tests (control side). */
    public int size()
    {
        int size = 0;
        for (int i = 0; i < bits.length(); i++)
        {
            size += Long.bitCount(bits.getAcquire(i));
        }
        return size;
    }

    /** Whether an FDB entry makes its VTEP a member: configured or advertised, never learned. */
    static boolean counts(final long entry)
    {
        return entry != FdbEntry.NONE && FdbEntry.isRemote(entry) &&
            (FdbEntry.origin(entry) == Origin.STATIC || FdbEntry.origin(entry) == Origin.EVPN);
    }

    void entryAdded(final long entry)
    {
        if (counts(entry))
        {
            final int index = FdbEntry.vtepIndex(entry);
            entries.put(index, entries.get(index) + 1);
            update(index);
        }
    }

    void entryRemoved(final long entry)
    {
        if (counts(entry))
        {
            final int index = FdbEntry.vtepIndex(entry);
            final int left = entries.get(index) - 1;
            if (left > 0)
            {
                entries.put(index, left);
            }
            else
            {
                entries.remove(index);
            }
            update(index);
        }
    }

    void floodList(final RemoteVtep[] next)
    {
        final RemoteVtep[] previous = floodList;
        floodList = next;
        for (final RemoteVtep vtep : previous)
        {
            update(vtep.index());
        }
        for (final RemoteVtep vtep : next)
        {
            update(vtep.index());
        }
    }

    private void update(final int index)
    {
        if (index < 0 || index >= capacity)
        {
            return;
        }
        boolean member = entries.get(index) > 0;
        for (int i = 0; !member && i < floodList.length; i++)
        {
            member = floodList[i].index() == index;
        }
        final int word = index >>> 6;
        final long bit = 1L << index;
        final long current = bits.getPlain(word);
        bits.setRelease(word, member ? current | bit : current & ~bit);
    }
}
