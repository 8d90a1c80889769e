package io.vtep.core.pipeline;

import io.vtep.core.port.AccessPort;

/** An access port and its VLAN → attachment map (an array, so the lookup is one load). */
public final class PortContext
{
    private final AccessPort port;
    private final Attachment[] byVlan = new Attachment[4096];
    private Attachment untagged;

    PortContext(final AccessPort port)
    {
        this.port = port;
    }

    public AccessPort port()
    {
        return port;
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
