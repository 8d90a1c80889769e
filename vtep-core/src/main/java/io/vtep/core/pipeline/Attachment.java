package io.vtep.core.pipeline;

import io.vtep.core.port.AccessPort;

/**
 * Where a VNI meets an access port: a port and a VLAN (or untagged). The FDB points local MACs
 * at attachments by {@link #id()}, so an entry remembers both the port and the tag to put back.
 */
public final class Attachment
{
    /** {@link #vlan()} of an attachment for frames without an 802.1Q tag. */
    public static final int UNTAGGED = -1;

    private final int id;
    private final AccessPort port;
    /** The port's context: LACP's gate on sending ({@link PortContext#lacp()}). */
    private final PortContext context;
    private final int vlan;
    private final VniContext vni;
    /** Multihoming: null when the attachment is on no Ethernet segment; replaced whole by the control plane. */
    private volatile SegmentFilter segment;

    Attachment(final int id, final PortContext context, final int vlan, final VniContext vni)
    {
        this.id = id;
        this.port = context.port();
        this.context = context;
        this.vlan = vlan;
        this.vni = vni;
    }

    public int id()
    {
        return id;
    }

    public AccessPort port()
    {
        return port;
    }

    /** The port with its VLAN map, storm control and LACP. */
    public PortContext portContext()
    {
        return context;
    }

    /** 802.1Q VLAN id, or {@link #UNTAGGED}. */
    public int vlan()
    {
        return vlan;
    }

    public boolean isTagged()
    {
        return vlan != UNTAGGED;
    }

    public VniContext vni()
    {
        return vni;
    }

    /** @return the Ethernet segment filter of BUM from the overlay, or null for a single-homed attachment. */
    public SegmentFilter segment()
    {
        return segment;
    }

    /** @param segment the new filter (the DF or the segment's VTEPs changed); null: single-homed. */
    public void segment(final SegmentFilter segment)
    {
        this.segment = segment;
    }

    @Override
    public String toString()
    {
        return port.name() + (isTagged() ? "." + vlan : "");
    }
}
