package io.vtep.core.pipeline;

import io.vtep.core.lacp.LacpPort;
import io.vtep.core.port.AccessPort;
import io.vtep.core.port.PortLink;

/** An access port and its VLAN → attachment map (an array, so the lookup is one load). */
public final class PortContext
{
    private final AccessPort port;
    /** The port's interface (§3.5): set once by the appliance before the API serves; read by the API thread. */
    private volatile PortLink link;
    /** Replaced whole (copy-on-write) when a reload maps or unmaps a VLAN, so the lookup stays one load. */
    private volatile Attachment[] byVlan = new Attachment[4096];
    private volatile Attachment untagged;
    /** Volatile: a reload may change it while the pipelines forward. */
    private volatile StormControl stormControl;
    /** Set once by the appliance before traffic; null when the port runs no LACP. */
    private volatile LacpPort lacp;

    PortContext(final AccessPort port)
    {
        this.port = port;
    }

    public AccessPort port()
    {
        return port;
    }

    /** BUM storm control of frames received on this port, all its VLANs together; null when off. */
    public StormControl stormControl()
    {
        return stormControl;
    }

    /** Configuration: at start, or by a reload; null for none. */
    public void stormControl(final StormControl stormControl)
    {
        this.stormControl = stormControl;
    }

    void map(final Attachment attachment)
    {
        if (attachment.isTagged())
        {
            final Attachment[] next = byVlan.clone();
            next[attachment.vlan()] = attachment;
            byVlan = next;
        }
        else
        {
            untagged = attachment;
        }
    }

    void unmap(final int vlan)
    {
        if (vlan == Attachment.UNTAGGED)
        {
            untagged = null;
        }
        else
        {
            final Attachment[] next = byVlan.clone();
            next[vlan] = null;
            byVlan = next;
        }
    }

    /** The attachment for a VLAN id, or for untagged frames when {@code vlan} is {@link Attachment#UNTAGGED}; null if unmapped. */
    public Attachment attachment(final int vlan)
    {
        return vlan == Attachment.UNTAGGED ? untagged : byVlan[vlan];
    }

    /** The VLAN map as it is now (read-only; for checks off the data path). */
    Attachment[] byVlan()
    {
        return byVlan;
    }

    /** The port's interface (state, index, re-opens; docs/architecture.md §3.5), or null when not followed. */
    public PortLink link()
    {
        return link;
    }

    public void link(final PortLink link)
    {
        this.link = link;
    }

    /**
     * LACP on the port (IEEE 802.1AX), or null: then the port forwards whenever its link is up. With
     * LACP, frames are forwarded from and to the port only while it collects and distributes.
     */
    public LacpPort lacp()
    {
        return lacp;
    }

    public void lacp(final LacpPort lacpPort)
    {
        this.lacp = lacpPort;
    }
}
