package io.vtep.core.pipeline;

import org.agrona.MutableDirectBuffer;

import io.vtep.encap.EthernetHeader;
import io.vtep.encap.VlanTag;
import io.vtep.metrics.DataPathCounters;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;

/**
 * Sends an untagged frame out of a local attachment, putting its 802.1Q tag back when the
 * attachment is a VLAN (the tag was removed on the way in, docs/architecture.md §1).
 *
 * <p>The tag is written in place into the 4 bytes in front of the frame and taken out again
 * after the send, so one frame can be flooded to attachments with different tags without a copy.
 * Callers guarantee that headroom (access frames: {@code FrameBatch.HEADROOM}; overlay frames:
 * the VXLAN header in front of the inner frame).
 */
final class LocalDelivery
{
    private final DataPathCounters counters;

    LocalDelivery(final DataPathCounters counters)
    {
        this.counters = counters;
    }

    /** @return true when the port took the frame. */
    boolean send(final Attachment to, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final int slot = to.vni().slot();
        final boolean sent;
        final int wireLength;
        // A frame longer than the port's MTU allows is a TCP super-frame from a peer whose offloads
        // made it (a Linux VTEP on a veth underlay hands its GSO packets over whole): the port's
        // driver sends it as one unit for the kernel to segment, or it is dropped.
        final boolean superFrame = length - EthernetHeader.LENGTH > to.port().mtu();
        if (to.isTagged())
        {
            // 802.1Q: PCP 0, DEI 0, VID; the priority of the original tag is not carried across the overlay.
            final int taggedOffset = VlanTag.insert(buffer, offset, to.vlan());
            wireLength = length + VlanTag.LENGTH;
            sent = superFrame ? to.port().sendSegmented(buffer, taggedOffset, wireLength) :
                to.port().send(buffer, taggedOffset, wireLength);
            VlanTag.strip(buffer, taggedOffset);
        }
        else
        {
            wireLength = length;
            sent = superFrame ? to.port().sendSegmented(buffer, offset, length) : to.port().send(buffer, offset, length);
        }
        if (sent)
        {
            counters.vniSent(slot, Side.ACCESS, wireLength);
        }
        else
        {
            counters.vniDropped(slot, DropReason.TX_ERROR);
        }
        return sent;
    }

    /** Floods to every member of the VNI but {@code except} (null: all). @return copies sent. */
    int flood(final VniContext vni, final Attachment except, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        int copies = 0;
        for (final Attachment member : vni.members())
        {
            if (member != except && send(member, buffer, offset, length))
            {
                copies++;
            }
        }
        return copies;
    }
}
