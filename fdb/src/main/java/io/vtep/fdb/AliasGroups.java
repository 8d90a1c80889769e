package io.vtep.fdb;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * EVPN aliasing (RFC 7432 §8.4, §14.1): numbered groups of remote VTEPs that all reach the MACs of
 * one remote Ethernet segment in one VNI. An FDB entry of such a MAC names its route's VTEP and
 * carries its group's number ({@link FdbEntry#withAliasGroup}); the access pipeline sends each flow
 * to one member chosen by the flow hash, so a server's flows spread over the gateways of its
 * segment. The control plane replaces a group's members whole (copy-on-write) when a gateway's A-D
 * routes come or go: a withdrawn gateway leaves every MAC of the segment at once (mass withdrawal,
 * §8.2). Lookups are a volatile array read, allocation-free.
 */
public final class AliasGroups
{
    /** Group numbers are 1..{@value}; 0 means no group. */
    public static final int MAX_GROUPS = 0xFFFF;

    private final AtomicReferenceArray<RemoteVtep[]> groups = new AtomicReferenceArray<>(MAX_GROUPS + 1);

    /**
     * @param group   1..{@link #MAX_GROUPS}.
     * @param members the VTEPs that reach the group's MACs now; empty: none (the entry's own VTEP is used).
     */
    public void set(final int group, final RemoteVtep[] members)
    {
        if (group < 1 || group > MAX_GROUPS)
        {
            throw new IllegalArgumentException("alias group " + group + " out of range 1.." + MAX_GROUPS);
        }
        groups.set(group, members.clone());
    }

    /**
     * @param group    the entry's group, {@link FdbEntry#aliasGroup}; 0 for none.
     * @param own      the entry's VTEP.
     * @param flowHash the frame's flow hash.
     * @return the member the flow goes to; {@code own} without a group or members.
     */
    public RemoteVtep pick(final int group, final RemoteVtep own, final int flowHash)
    {
        final RemoteVtep[] members = group == 0 ? null : groups.get(group);
        if (members == null || members.length == 0)
        {
            return own;
        }
        return members[Integer.remainderUnsigned(flowHash, members.length)];
    }

    /** @return a group's members now (a copy), empty when unset. */
    public RemoteVtep[] members(final int group)
    {
        final RemoteVtep[] members = groups.get(group);
        return members == null ? new RemoteVtep[0] : members.clone();
    }
}
