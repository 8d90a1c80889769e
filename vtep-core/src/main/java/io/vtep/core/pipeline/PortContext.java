package io.vtep.core.pipeline;

import io.vtep.core.port.AccessPort;
import io.vtep.core.port.PortLink;

/** An access port and its VLAN → attachment map (an array, so the lookup is one load). */
public final class PortContext
{
    private final AccessPort port;
    private final Attachment[] byVlan = new Attachment[4096];
    private Attachment untagged;
    /** The port's interface as the link watcher sees it; null until the appliance sets it. */
    private volatile PortLink link;

    PortContext(final AccessPort port)
    {
        this.port = port;
    }

    public AccessPort port()
    {
        return port;
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

    void map(final Attachment attachment)
    {
        if (attachment.isTagged())
        {
            byVlan[attachment.vlan()] = attachment;
        }
        else
        {
            untagged = attachment;
        }
    }

    /** The attachment for a VLAN id, or for untagged frames when {@code vlan} is {@link Attachment#UNTAGGED}; null if unmapped. */
    public Attachment attachment(final int vlan)
    {
        return vlan == Attachment.UNTAGGED ? untagged : byVlan[vlan];
    }
}
