package io.vtep.core.pipeline;

import java.nio.ByteBuffer;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.lacp.LacpPort;
import io.vtep.core.port.AccessPort;
import io.vtep.core.port.FrameBatch;
import io.vtep.encap.EthernetHeader;
import io.vtep.encap.SegmentationOffload;
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
    private final SegmentationOffload segmentation = new SegmentationOffload();
    /** Native memory (drivers hand its address to the kernel), made once per data-path thread. */
    private final UnsafeBuffer superFrameCopy = new UnsafeBuffer(ByteBuffer.allocateDirect(FrameBatch.MAX_SUPER_FRAME_LENGTH));

    private final int overlayMtu;

    /**
     * @param overlayMtu the largest inner IP packet the underlay carries: a super-frame from the
     *                   overlay is cut to what a real underlay would have carried (and no more than
     *                   the port's MTU), so it fits the hosts, which are sized for the overlay
     */
    LocalDelivery(final DataPathCounters counters, final int overlayMtu)
    {
        this.counters = counters;
        this.overlayMtu = overlayMtu;
    }

    /** Whether a frame is longer than the underlay could have carried it: a peer's super-frame. */
    boolean exceedsOverlayMtu(final int length)
    {
        return length - EthernetHeader.LENGTH > overlayMtu;
    }

    /** @return true when the port took the frame. */
    boolean send(final Attachment to, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final int slot = to.vni().slot();
        if (notDistributing(to, slot, 1))
        {
            return false;
        }
        final boolean sent;
        final int wireLength;
        // A frame longer than the port's MTU allows is a TCP super-frame from a peer whose offloads
        // made it (a Linux VTEP on a veth underlay hands its GSO packets over whole): the port's
        // driver sends it as one unit for the kernel to segment, or it is dropped.
        final boolean superFrame = length - EthernetHeader.LENGTH > Math.min(to.port().mtu(), overlayMtu);
        if (to.isTagged())
        {
            // 802.1Q: PCP 0, DEI 0, VID; the priority of the original tag is not carried across the overlay.
            final int taggedOffset = VlanTag.insert(buffer, offset, to.vlan());
            wireLength = length + VlanTag.LENGTH;
            sent = superFrame ? sendSuperFrame(to.port(), buffer, taggedOffset, wireLength) :
                to.port().send(buffer, taggedOffset, wireLength);
            VlanTag.strip(buffer, taggedOffset);
        }
        else
        {
            wireLength = length;
            sent = superFrame ? sendSuperFrame(to.port(), buffer, offset, length) : to.port().send(buffer, offset, length);
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

    /**
     * Sends a super-frame that {@link TcpSegmentCoalescer} made of {@code segments} received TCP
     * segments, as one unit behind a virtio-net header (GSO, segments of {@code segmentPayload}
     * bytes of TCP data), counted as the segments it stands for.
     *
     * @param headersLength Ethernet, IP and TCP headers of the untagged frame
     * @return true when the port took it
     */
    boolean sendCoalesced(final Attachment to, final MutableDirectBuffer buffer, final int offset, final int length, final int headersLength,
        final int segmentPayload, final int segments)
    {
        final int slot = to.vni().slot();
        if (notDistributing(to, slot, segments))
        {
            return false;
        }
        // The IP packet of each segment the host's GSO would cut, the sendSegmented "MTU".
        final int segmentIpLength = headersLength - EthernetHeader.LENGTH + segmentPayload;
        final boolean sent;
        final int tag;
        if (to.isTagged())
        {
            final int taggedOffset = VlanTag.insert(buffer, offset, to.vlan());
            sent = to.port().sendSegmented(buffer, taggedOffset, length + VlanTag.LENGTH, segmentIpLength);
            VlanTag.strip(buffer, taggedOffset);
            tag = VlanTag.LENGTH;
        }
        else
        {
            sent = to.port().sendSegmented(buffer, offset, length, segmentIpLength);
            tag = 0;
        }
        if (!sent)
        {
            droppedEach(slot, DropReason.TX_ERROR, segments);
            return false;
        }
        final int fullSegment = headersLength + tag + segmentPayload;
        for (int i = 1; i < segments; i++)
        {
            counters.vniSent(slot, Side.ACCESS, fullSegment);
        }
        counters.vniSent(slot, Side.ACCESS, length + tag - (segments - 1) * segmentPayload);
        return true;
    }

    /**
     * IEEE 802.1AX-2014 §6.4.15: nothing goes out of a port that is not distributing; its
     * {@code frames} are counted as dropped for that.
     */
    private boolean notDistributing(final Attachment to, final int slot, final int frames)
    {
        final LacpPort lacp = to.portContext().lacp();
        if (lacp == null || lacp.isDistributing())
        {
            return false;
        }
        droppedEach(slot, DropReason.LACP_NOT_DISTRIBUTING, frames);
        return true;
    }

    private void droppedEach(final int slot, final DropReason reason, final int segments)
    {
        for (int i = 0; i < segments; i++)
        {
            counters.vniDropped(slot, reason);
        }
    }

    /**
     * A TCP super-frame goes out whole when the driver can hand it to the kernel for segmentation;
     * otherwise (pcap) vtep cuts it into MTU-size segments itself, in a copy, since a flooded frame
     * is still needed as it is for the next member.
     */
    private boolean sendSuperFrame(final AccessPort port, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final int mtu = Math.min(port.mtu(), overlayMtu);
        if (port.sendSegmented(buffer, offset, length, mtu))
        {
            return true;
        }
        if (length > superFrameCopy.capacity())
        {
            return false;
        }
        superFrameCopy.putBytes(0, buffer, offset, length);
        if (!segmentation.wrapForMtu(superFrameCopy, 0, length, mtu))
        {
            return false;
        }
        boolean sent = true;
        for (int i = 0, segments = segmentation.segments(); i < segments; i++)
        {
            sent &= port.send(superFrameCopy, segmentation.segment(i), segmentation.segmentLength());
        }
        return sent;
    }

    /**
     * Floods a BUM frame that came from the overlay to the VNI's members, except onto an Ethernet
     * segment where this gateway is not the DF or whose VTEPs include the sender (local bias); each
     * copy held back is counted under its reason ({@link SegmentFilter}).
     *
     * @param sourceVtep the sending VTEP's index, -1 when unknown.
     * @return copies sent.
     */
    int floodFromOverlay(final VniContext vni, final int sourceVtep, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        int copies = 0;
        for (final Attachment member : vni.members())
        {
            final SegmentFilter segment = member.segment();
            final DropReason held = segment == null ? null : segment.bumFromOverlay(sourceVtep);
            if (held != null)
            {
                counters.vniDropped(vni.slot(), held);
            }
            else if (send(member, buffer, offset, length))
            {
                copies++;
            }
        }
        return copies;
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
