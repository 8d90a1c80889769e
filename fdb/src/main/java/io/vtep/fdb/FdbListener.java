package io.vtep.fdb;

/**
 * Told of every change to an FDB entry, for the BGP EVPN control plane (advertise and withdraw
 * local MACs) and for logs. Entries are packed {@link FdbEntry} longs.
 *
 * <p>Called by whichever thread performs the write, while it holds the FDB write lock: the
 * {@link FdbConductor} thread for learning and ageing, a control thread for static and EVPN
 * entries. Calls are therefore never concurrent and arrive in the order the writes happened.
 * A listener must be quick and must not block: it holds up learning. It may call back into
 * the FDB's write methods (the lock is reentrant), though handing the event to its own thread
 * is usually better. An exception it throws goes to the FDB's error handler and does not undo
 * the change.
 */
public interface FdbListener
{
    /**
     * @param vni   the VNI.
     * @param mac   address in the low 48 bits.
     * @param entry the new entry.
     */
    default void onEntryAdded(final int vni, final long mac, final long entry)
    {
    }

    /**
     * The entry now says something else: a MAC move, or another origin for the same place
     * (say a learned entry made static).
     *
     * @param vni      the VNI.
     * @param mac      address in the low 48 bits.
     * @param oldEntry what the entry said before.
     * @param newEntry what it says now.
     */
    default void onEntryChanged(final int vni, final long mac, final long oldEntry, final long newEntry)
    {
    }

    /**
     * The entry is gone: aged out, or removed by the control side.
     *
     * @param vni      the VNI.
     * @param mac      address in the low 48 bits.
     * @param oldEntry what the entry said.
     */
    default void onEntryRemoved(final int vni, final long mac, final long oldEntry)
    {
    }

    /**
     * The VNI's head-end replication list changed (configuration, or an EVPN inclusive
     * multicast route added or withdrawn, RFC 7432 §7.3). The array is the published list:
     * do not modify it.
     *
     * @param vni       the VNI.
     * @param floodList the list as it is now.
     */
    default void onFloodListChanged(final int vni, final RemoteVtep[] floodList)
    {
    }

    /**
     * A remote VTEP became a member of a multicast VNI: it sent a datagram to the VNI's group
     * (RFC 7348 §4.2). Told once, when it was not a member before.
     *
     * @param vni  the VNI.
     * @param vtep the VTEP.
     */
    default void onGroupMemberAdded(final int vni, final RemoteVtep vtep)
    {
    }

    /**
     * A learned group member of a VNI aged out (silent in the VNI for the ageing time), or the
     * VNI's group changed. Told before the VTEP's index can be reused.
     *
     * @param vni  the VNI.
     * @param vtep the VTEP.
     */
    default void onGroupMemberRemoved(final int vni, final RemoteVtep vtep)
    {
    }
}
