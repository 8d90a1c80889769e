package io.vtep.core.pipeline;

import io.vtep.fdb.FdbListener;
import io.vtep.fdb.RemoteVtep;

/**
 * Keeps each VNI's {@link VniMembers} in step with the FDB: flood-list changes, static or
 * EVPN entries added, moved or removed, and members learned from (or aged out of) the VNI's
 * multicast group. Runs on whichever thread writes the FDB, under its write
 * lock (so the members of a VNI have one writer at a time); quick, and allocation-free except when
 * a VTEP gets its first entry in a VNI.
 */
final class MembershipListener implements FdbListener
{
    private final ForwardingTables tables;

    MembershipListener(final ForwardingTables tables)
    {
        this.tables = tables;
    }

    @Override
    public void onEntryAdded(final int vni, final long mac, final long entry)
    {
        final VniContext context = tables.vni(vni);
        if (context != null)
        {
            context.memberVteps().entryAdded(entry);
        }
    }

    @Override
    public void onEntryChanged(final int vni, final long mac, final long oldEntry, final long newEntry)
    {
        final VniContext context = tables.vni(vni);
        if (context != null)
        {
            // Added first: a VTEP that keeps the MAC keeps its bit throughout.
            context.memberVteps().entryAdded(newEntry);
            context.memberVteps().entryRemoved(oldEntry);
        }
    }

    @Override
    public void onEntryRemoved(final int vni, final long mac, final long oldEntry)
    {
        final VniContext context = tables.vni(vni);
        if (context != null)
        {
            context.memberVteps().entryRemoved(oldEntry);
        }
    }

    @Override
    public void onFloodListChanged(final int vni, final RemoteVtep[] floodList)
    {
        final VniContext context = tables.vni(vni);
        if (context != null)
        {
            context.memberVteps().floodList(floodList);
        }
    }

    @Override
    public void onGroupMemberAdded(final int vni, final RemoteVtep vtep)
    {
        final VniContext context = tables.vni(vni);
        if (context != null)
        {
            context.memberVteps().groupMember(vtep.index(), true);
        }
    }

    @Override
    public void onGroupMemberRemoved(final int vni, final RemoteVtep vtep)
    {
        final VniContext context = tables.vni(vni);
        if (context != null)
        {
            context.memberVteps().groupMember(vtep.index(), false);
        }
    }
}
