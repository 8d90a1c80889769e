package io.vtep.core.pipeline;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLongArray;

import org.agrona.collections.Int2IntHashMap;

import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;

/**
 * The remote VTEPs that belong to one VNI: those in its flood list (configured, or from EVPN
 * inclusive multicast routes, RFC 7432 §7.3), those that static or EVPN MAC/IP entries
 * (RFC 7432 §7.2) point at, and, on a multicast VNI, those that sent to its group (RFC 7348 §4.2;
 * learned and aged by the FDB writer, {@code VniFdb#groupMemberSeen}). VXLAN has no authentication (RFC 7348 §7): a VNI that accepts only
 * its members keeps a VTEP that belongs to another VNI (or to none) from injecting frames into it.
 *
 * <p>The data path asks {@link #contains} per packet: one bit of a bitset over the remote VTEP
 * table's dense indices, lock-free and allocation-free. The control side keeps the bits: every
 * change comes through {@link MembershipListener}, i.e. under the FDB's write lock, so there is
 * one writer at a time. A VTEP with a bit set has a flood-list place, an entry or a group
 * membership behind it, which keeps it in the remote VTEP table; a reused index therefore never
 * inherits a stale bit.
 */
public final class VniMembers
{
    private final AtomicLongArray bits;
    private final int capacity;
    /** Control side only: static and EVPN entries per VTEP index. */
    private final Int2IntHashMap entries = new Int2IntHashMap(0);
    /** Control side only: the flood list last published. */
    private RemoteVtep[] floodList = new RemoteVtep[0];
    /** Control side only: members learned from the multicast group. */
    private final BitSet groupMembers = new BitSet();
    /** Members by source, for the {@code vtep_vni_members} gauge (written by the one writer). */
    private volatile int controlCount;
    private volatile int groupCount;
    /** Control side only: which indices count as {@link #controlMembers()}. */
    private final BitSet controlMembers = new BitSet();

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

    /** Members from the flood list or static and EVPN entries. */
    public int controlMembers()
    {
        return controlCount;
    }

    /** Members learned because they sent to the VNI's multicast group. */
    public int groupMembers()
    {
        return groupCount;
    }

    /** A VTEP sent to the group ({@code member} true), or its learned membership ended. */
    void groupMember(final int index, final boolean member)
    {
        if (index < 0 || index >= capacity || groupMembers.get(index) == member)
        {
            return;
        }
        groupMembers.set(index, member);
        groupCount = groupMembers.cardinality();
        update(index);
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
        boolean control = entries.get(index) > 0;
        for (int i = 0; !control && i < floodList.length; i++)
        {
            control = floodList[i].index() == index;
        }
        if (controlMembers.get(index) != control)
        {
            controlMembers.set(index, control);
            controlCount = controlMembers.cardinality();
        }
        final boolean member = control || groupMembers.get(index);
        final int word = index >>> 6;
        final long bit = 1L << index;
        final long current = bits.getPlain(word);
        bits.setRelease(word, member ? current | bit : current & ~bit);
    }
}
