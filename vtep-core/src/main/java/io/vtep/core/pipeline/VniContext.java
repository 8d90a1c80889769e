package io.vtep.core.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.vtep.core.capture.CaptureTap;
import io.vtep.fdb.VniFdb;

/**
 * Everything the data path needs about one VNI: its FDB, its dense counter slot, its local
 * members (the attachments that BUM traffic is flooded to), the remote VTEPs that belong to it
 * ({@link VniMembers}) and whether it accepts VXLAN from other VTEPs, its storm control, and the
 * neighbour table of its ARP/ND suppression.
 */
public final class VniContext
{
    private static final VarHandle CAPTURE_TAP;

    static
    {
        try
        {
            CAPTURE_TAP = MethodHandles.lookup().findVarHandle(VniContext.class, "captureTap", CaptureTap.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int vni;
    private final int slot;
    private final VniFdb fdb;
    private final VniMembers memberVteps;
    /**
     * The captures running on this VNI, or null (nearly always): read once per frame by the data
     * path with an opaque load, in the object whose slot and FDB it reads anyway, so a VNI without a
     * capture costs one load of a field already in cache. Written by the API thread
     * ({@code CaptureRegistry}); a {@link CaptureTap} has only final fields, so the opaque read
     * sees it whole (JLS §17.5).
     */
    @SuppressWarnings("unused") // through CAPTURE_TAP
    private CaptureTap captureTap;
    // Volatile: a reload changes them while the pipelines forward (a volatile read is a plain load
    // on x86 and ARMv8's ldar; nothing is allocated). The member array is replaced, never modified.
    private volatile Attachment[] members = new Attachment[0];
    private volatile boolean membersOnly;
    private volatile StormControl stormControl;
    /**
     * ARP/ND suppression's bindings, or null: set at start, before traffic (Thread.start publishes
     * it); a VNI a reload adds has no EVPN, so no suppression.
     */
    private NeighborTable neighbors;

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

    /** Local attachments of this VNI; an array that is replaced, never changed, when a reload maps or unmaps one. */
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

    /** Configuration: at start, or by a reload. */
    public void membersOnly(final boolean membersOnly)
    {
        this.membersOnly = membersOnly;
    }

    /** BUM storm control of this VNI, frames flooded from either side; null when off. */
    public StormControl stormControl()
    {
        return stormControl;
    }

    /** Configuration: at start, or by a reload; null for none. */
    public void stormControl(final StormControl stormControl)
    {
        this.stormControl = stormControl;
    }

    /** The captures on this VNI, or null when none runs (the per-frame check; opaque, never hoisted). */
    public CaptureTap captureTap()
    {
        return (CaptureTap)CAPTURE_TAP.getOpaque(this);
    }

    /** Publishes the captures on this VNI (null: none); called by the capture registry only. */
    public void captureTap(final CaptureTap tap)
    {
        CAPTURE_TAP.setRelease(this, tap);
    }

    void removeMember(final Attachment attachment)
    {
        members = java.util.Arrays.stream(members).filter(member -> member != attachment).toArray(Attachment[]::new);
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
