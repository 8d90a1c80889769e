package io.vtep.core.pipeline;

import io.vtep.fdb.VniFdb;

/**
 * Everything the data path needs about one VNI: its FDB, its dense counter slot, its local
 * members (the attachments that BUM traffic is flooded to), the remote VTEPs that belong to it
 * ({@link VniMembers}) and whether it accepts VXLAN from other VTEPs, its storm control, and the
 * neighbour table of its ARP/ND suppression.
 */
public final class VniContext
{
    private final int vni;
    private final int slot;
    private final VniFdb fdb;
    private final VniMembers memberVteps;
    private Attachment[] members = new Attachment[0];
    /** ARP/ND suppression's bindings; set before traffic, like the plain fields below. */
    private NeighborTable neighbors;
    // Plain fields, like the rest of the tables: set before the forwarding threads start, which
    // publishes them (Thread.start happens-before everything the thread does).
    private boolean membersOnly;
    private StormControl stormControl;

    VniContext(final int vni, final int slot, final VniFdb fdb, final int remoteVtepCapacity)
    {
        this.vni = vni;
        this.slot = slot;
        this.fdb = fdb;
        this.memberVteps = new VniMembers(remoteVtepCapacity);
    }

    public int vni()
    {
        return vni;
    }

    /** Dense index of this VNI's counter row. */
    public int slot()
    {
        return slot;
    }

    public VniFdb fdb()
    {
        return fdb;
    }

    /** Local attachments of this VNI; fixed once the tables are built. */
    public Attachment[] members()
    {
        return members;
    }

    /** The remote VTEPs that belong to this VNI (flood list, static and EVPN entries). */
    public VniMembers memberVteps()
    {
        return memberVteps;
    }

    /**
     * Whether VXLAN is accepted only from {@link #memberVteps()} ({@code accept-from: members});
     * false: from any VTEP ({@code accept-from: any}, pure flood-and-learn, RFC 7348 §4.1).
     */
    public boolean membersOnly()
    {
        return membersOnly;
    }

    /** Set before traffic starts (configuration). */
    public void membersOnly(final boolean membersOnly)
    {
        this.membersOnly = membersOnly;
    }

    /** BUM storm control of this VNI, frames flooded from either side; null when off. */
    public StormControl stormControl()
    {
        return stormControl;
    }

    /** Set before traffic starts (configuration); null for none. */
    public void stormControl(final StormControl stormControl)
    {
        this.stormControl = stormControl;
    }

    void addMember(final Attachment attachment)
    {
        final Attachment[] grown = java.util.Arrays.copyOf(members, members.length + 1);
        grown[members.length] = attachment;
        members = grown;
    }

    /**
     * The bindings ARP/ND suppression answers from (RFC 7432 §10); null when suppression is off
     * for this VNI, and every ARP request and neighbour solicitation is flooded.
     */
    public NeighborTable neighbors()
    {
        return neighbors;
    }

    /** Set before traffic starts (configuration); null for suppression off. */
    public void neighbors(final NeighborTable neighbors)
    {
        this.neighbors = neighbors;
    }
}
