package io.vtep.core.pipeline;

import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.capture.CaptureTap;
import io.vtep.core.lacp.LacpPort;
import io.vtep.core.lacp.SlowProtocols;
import io.vtep.core.port.FrameBatch;
import io.vtep.core.port.FrameOffload;
import io.vtep.encap.ChecksumOffload;
import io.vtep.encap.EthernetHeader;
import io.vtep.encap.FlowHash;
import io.vtep.encap.MacAddress;
import io.vtep.encap.SegmentationOffload;
import io.vtep.encap.VlanTag;
import io.vtep.fdb.AliasGroups;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.RemoteVtep;
import io.vtep.fdb.RemoteVtepTable;
import io.vtep.metrics.DataPathCounters;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;

/**
 * Forwards the frames received on one access port (docs/architecture.md §1, top half), run to completion
 * on the port's receive thread: map (port, VLAN) to a VNI, strip the tag, learn the source MAC,
 * look up the destination, then send to a remote VTEP, hairpin to another local attachment, or
 * flood (other local members + the flood list or multicast group).
 *
 * <p>A priority-tagged frame (802.1Q tag with VID 0, the null VLAN ID of IEEE 802.1Q §9.6: the
 * tag carries only priority information, no VLAN) belongs to the untagged attachment of the port;
 * its tag is stripped like any other.
 *
 * <p>With a {@link NeighborQueue}, ARP and Neighbor Discovery frames forwarded from the access
 * side also teach the control plane which IP addresses the local MACs hold
 * ({@link NeighborSnooper}, RFC 7432 §7.2).
 *
 * <p>In a VNI with ARP/ND suppression ({@link VniContext#neighbors()}), an ARP request or neighbour
 * solicitation whose target the VNI's {@link NeighborTable} binds is answered on the port it came
 * from ({@link NeighborProxy}, RFC 7432 §10) and neither flooded nor sent over the overlay; one for
 * an unknown target is flooded as any BUM frame.
 *
 * <p>Frames from a host with offloads on ({@link FrameOffload}) are finished first, as its NIC
 * would have: a partial transport checksum is completed, and a TSO/GSO super-frame is cut into
 * wire-size segments ({@link SegmentationOffload}), each forwarded on its own like any frame.
 *
 * <p>BUM frames (broadcast, multicast, unknown unicast) pass the port's storm control, then the
 * VNI's ({@link StormControl}); over either rate they are dropped as
 * {@link DropReason#STORM_CONTROL}. Known unicast is never limited.
 *
 * <p>Allocation-free and lock-free per frame; bad frames are dropped and counted.
 */
public final class AccessPipeline
{
    private final PortContext port;
    private final ForwardingTables tables;
    private final RemoteVtepTable remoteVteps;
    private final AliasGroups aliases;
    private final LocalDelivery local;
    private final OverlayTransmit overlay;
    private final DataPathCounters counters;
    /** Null when neighbour snooping is off. */
    private final NeighborSnooper neighbors;
    private final SegmentationOffload segmentation = new SegmentationOffload();
    private final NeighborProxy proxy = new NeighborProxy();

    AccessPipeline(final PortContext port, final ForwardingTables tables, final LocalDelivery local,
        final OverlayTransmit overlay, final DataPathCounters counters, final NeighborQueue neighborQueue)
    {
        this.port = port;
        this.tables = tables;
        this.remoteVteps = tables.fdb().remoteVteps();
        this.aliases = tables.fdb().aliasGroups();
        this.local = local;
        this.overlay = overlay;
        this.counters = counters;
        this.neighbors = neighborQueue == null ? null : new NeighborSnooper(neighborQueue);
    }

    /** The clock of the FDB, whose ageing the {@code nowNanos} passed to {@link #process} must match. */
    public NanoClock clock()
    {
        return tables.fdb().clock();
    }

    public void process(final FrameBatch batch, final long nowNanos)
    {
        final UnsafeBuffer buffer = batch.buffer();
        for (int i = 0, count = batch.count(); i < count; i++)
        {
            final long offload = batch.offload(i);
            if (offload == FrameOffload.NONE)
            {
                forward(buffer, batch.frameOffset(i), batch.frameLength(i), nowNanos);
            }
            else
            {
                forwardOffloaded(buffer, batch.frameOffset(i), batch.frameLength(i), offload, nowNanos);
            }
        }
        overlay.flush();
    }

    /** Finishes what the sending host left to its NIC, then forwards the frame or each of its segments. */
    void forwardOffloaded(final UnsafeBuffer buffer, final int frameOffset, final int frameLength, final long offload,
        final long nowNanos)
    {
        final int kind = FrameOffload.kind(offload);
        if (kind == FrameOffload.CHECKSUM)
        {
            if (ChecksumOffload.complete(buffer, frameOffset, frameLength,
                FrameOffload.checksumStart(offload), FrameOffload.checksumOffset(offload)))
            {
                forward(buffer, frameOffset, frameLength, nowNanos);
                return;
            }
        }
        else if ((kind == FrameOffload.TCP_SEGMENTS || kind == FrameOffload.UDP_SEGMENTS) &&
            segmentation.wrap(buffer, frameOffset, frameLength, FrameOffload.checksumStart(offload),
                kind == FrameOffload.TCP_SEGMENTS, FrameOffload.segmentSize(offload)))
        {
            // In increasing order, each forwarded before the next is written (it overwrites the
            // previous segment's payload tail with its headers): the overlay queues copies, sent
            // together.
            overlay.flush();
            overlay.superFrameSegments(true);
            for (int segment = 0, segments = segmentation.segments(); segment < segments; segment++)
            {
                final int offset = segmentation.segment(segment);
                forward(buffer, offset, segmentation.segmentLength(), nowNanos);
            }
            overlay.superFrameSegments(false);
            return;
        }
        counters.dropped(DropReason.BAD_OFFLOAD);
    }

    /** Reports frames the port's driver dropped for not fitting its receive buffer. */
    public void truncated(final long frames)
    {
        counters.dropped(DropReason.TRUNCATED, frames);
    }

    /** Reports frames the kernel dropped at the port's full receive socket (no VNI: never read). */
    public void socketQueueDrops(final long frames)
    {
        counters.dropped(DropReason.ACCESS_SOCKET_QUEUE, frames);
    }

    void forward(final UnsafeBuffer buffer, final int frameOffset, final int frameLength, final long nowNanos)
    {
        int offset = frameOffset;
        int length = frameLength;
        if (length < EthernetHeader.LENGTH)
        {
            counters.dropped(DropReason.MALFORMED);
            return;
        }
        final LacpPort lacp = port.lacp();
        if (SlowProtocols.isSlowProtocol(buffer, offset))
        {
            // LACPDUs are LACP's, on its own thread; no Slow Protocols frame is ever forwarded or learned.
            if (lacp == null || !lacp.offer(buffer, offset, length))
            {
                counters.dropped(DropReason.SLOW_PROTOCOLS);
            }
            return;
        }
        if (lacp != null && !lacp.isDistributing())
        {
            // IEEE 802.1AX-2014 §6.4.15: a port that is not collecting discards what it receives.
            counters.dropped(DropReason.LACP_NOT_DISTRIBUTING);
            return;
        }
        final boolean tagged = VlanTag.isTagged(buffer, offset);
        if (tagged && length < EthernetHeader.LENGTH + VlanTag.LENGTH)
        {
            counters.dropped(DropReason.MALFORMED);
            return;
        }
        final int vlanId = tagged ? VlanTag.vlanId(buffer, offset) : 0;
        // VID 0 is a priority tag (IEEE 802.1Q §9.6): the frame belongs to no VLAN, i.e. is untagged.
        final Attachment from = port.attachment(vlanId == 0 ? Attachment.UNTAGGED : vlanId);
        if (from == null)
        {
            counters.dropped(DropReason.UNKNOWN_VLAN);
            return;
        }
        final VniContext vni = from.vni();
        counters.vniReceived(vni.slot(), Side.ACCESS, length);
        if (tagged)
        {
            // The VNI stands for the VLAN on the overlay: the inner frame carries no tag (RFC 7348 §6.1).
            offset = VlanTag.strip(buffer, offset);
            length -= VlanTag.LENGTH;
        }
        if (neighbors != null)
        {
            neighbors.snoop(buffer, offset, length, vni.vni(), nowNanos);
        }

        final long source = MacAddress.get(buffer, offset + EthernetHeader.SOURCE_OFFSET);
        if (!MacAddress.isGroup(source) && !MacAddress.isZero(source))
        {
            vni.fdb().learnLocal(source, from.id(), nowNanos);
        }

        final long destination = MacAddress.get(buffer, offset + EthernetHeader.DESTINATION_OFFSET);
        final long entry = MacAddress.isGroup(destination) ? FdbEntry.NONE : vni.fdb().lookup(destination);
        final CaptureTap capture = vni.captureTap();
        if (capture != null)
        {
            // `vtep capture`: a copy into each capture's ring, or a capture drop; never a wait.
            capture.fromAccess(buffer, offset, length, nowNanos, from.id(), entry, remoteVteps);
        }
        if (entry == FdbEntry.NONE)
        {
            if (MacAddress.isGroup(destination) && vni.neighbors() != null && answered(vni, from, buffer, offset, length))
            {
                return;
            }
            if (isOverStormRate(vni, destination, nowNanos))
            {
                counters.vniDropped(vni.slot(), DropReason.STORM_CONTROL);
                return;
            }
            flood(vni, from, buffer, offset, length);
        }
        else if (FdbEntry.isRemote(entry))
        {
            final RemoteVtep own = remoteVteps.byIndex(FdbEntry.vtepIndex(entry));
            final int aliasGroup = FdbEntry.aliasGroup(entry);
            // A MAC on a remote Ethernet segment: each flow to one of the segment's gateways (aliasing, RFC 7432 §8.4).
            overlay.toVtep(vni, aliasGroup == 0 ? own : aliases.pick(aliasGroup, own, FlowHash.hash(buffer, offset, length)), buffer,
                offset, length);
        }
        else
        {
            final Attachment to = tables.attachment(FdbEntry.attachment(entry));
            if (to == from)
            {
                counters.vniDropped(vni.slot(), DropReason.SAME_PORT);
            }
            else
            {
                local.send(to, buffer, offset, length);
            }
        }
    }

    /**
     * ARP/ND suppression: answers a request for a bound target on the port it came from, before
     * storm control (an answered request floods nothing). The request itself was snooped and its
     * source learned already, so the requester's binding reaches EVPN all the same.
     *
     * @return true when the frame was answered (or the answer could not be sent) and needs no flooding
     */
    private boolean answered(final VniContext vni, final Attachment from, final UnsafeBuffer buffer, final int offset,
        final int length)
    {
        final int answer = proxy.answer(buffer, offset, length, vni.neighbors());
        if (answer == NeighborProxy.NOT_A_REQUEST)
        {
            return false;
        }
        if (answer == NeighborProxy.UNKNOWN_TARGET)
        {
            counters.vniSuppressFlooded(vni.slot());
            return false;
        }
        counters.vniSuppressAnswered(vni.slot());
        local.send(from, buffer, offset, answer);
        return true;
    }

    /** The port's bucket first: a frame it refuses does not spend the VNI's tokens (other ports share those). */
    private boolean isOverStormRate(final VniContext vni, final long destination, final long nowNanos)
    {
        final StormControl portStorm = port.stormControl();
        if (portStorm != null && !portStorm.admit(destination, nowNanos))
        {
            return true;
        }
        final StormControl vniStorm = vni.stormControl();
        return vniStorm != null && !vniStorm.admit(destination, nowNanos);
    }

    private void flood(final VniContext vni, final Attachment from, final UnsafeBuffer buffer, final int offset, final int length)
    {
        // Local copies first: encapsulation writes the outer headers into the headroom in front of
        // the frame, where a local copy would put its VLAN tag.
        final int copies = local.flood(vni, from, buffer, offset, length) + overlay.flood(vni, buffer, offset, length);
        if (copies > 0)
        {
            counters.vniFlooded(vni.slot());
        }
        else if (vni.members().length == 1 && vni.fdb().floodList().length == 0 && vni.fdb().multicastGroup() == null)
        {
            counters.vniDropped(vni.slot(), DropReason.NO_ROUTE);
        }
    }
}
