package io.vtep.core.pipeline;

import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.capture.CaptureTap;
import io.vtep.encap.ChecksumOffload;
import io.vtep.encap.EthernetHeader;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VlanTag;
import io.vtep.encap.VtepAddress;
import io.vtep.encap.VxlanDecoder;
import io.vtep.encap.VxlanEncapsulator;
import io.vtep.encap.VxlanHeader;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.RemoteVtep;
import io.vtep.fdb.RemoteVtepTable;
import io.vtep.metrics.DataPathCounters;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;

/**
 * Forwards VXLAN packets received from the underlay (docs/architecture.md §1, bottom half): validate the
 * VXLAN header, find the VNI, learn the inner source MAC behind the outer source address, and
 * deliver the inner frame to local attachments only. Nothing received from the overlay goes back
 * into it (split horizon, RFC 7348 §4.2 — the sender already did the head-end replication).
 *
 * <p>Only a VNI that learns from the data plane accepts packets from a VTEP it has not heard of
 * (and interns it); a VNI learning from EVPN (or not at all) accepts only VTEPs already in the
 * remote VTEP table, from the control plane or the configuration, and drops the rest as
 * {@link DropReason#UNKNOWN_VTEP}.
 *
 * <p>A VNI that accepts only its members ({@code accept-from: members}) drops VXLAN from any other
 * VTEP as {@link DropReason#NOT_VNI_MEMBER}, before it teaches anything: VXLAN has no
 * authentication (RFC 7348 §7), so a VTEP that belongs to one VNI could otherwise inject frames
 * (and MACs) into every other VNI served here. On a VNI with a multicast group (RFC 7348 §4.2) a
 * datagram addressed to the group is accepted from any VTEP and makes its sender a learned member
 * of the VNI (sending to the group is what a member does; the FDB writer sets the bit, queued like
 * learning, and ages it out after the ageing time of silence in the VNI), so unicast VXLAN is then
 * accepted only from VTEPs that have sent to the group, or that the flood list, static or EVPN
 * entries name. The receiver reads the destination from {@code IP_PKTINFO}/{@code IPV6_PKTINFO}.
 *
 * <p>BUM frames (broadcast, multicast, unknown unicast) over the VNI's storm-control rate are
 * dropped as {@link DropReason#STORM_CONTROL}. On an Ethernet segment (multihoming) a BUM copy goes
 * out only where this gateway is the designated forwarder and the sender is not on the segment
 * itself ({@link SegmentFilter}).
 *
 * <p>One instance per underlay receive thread. Allocation-free except the first time a remote VTEP
 * is seen, when it is interned.
 */
public final class OverlayPipeline
{
    private final ForwardingTables tables;
    private final RemoteVtepTable remoteVteps;
    private final VtepAddress localAddress;
    private final LocalDelivery local;
    private final DataPathCounters counters;
    /**
     * The high half of an IPv4 destination in the form this class compares destinations in: the
     * IPv4-mapped IPv6 address {@code ::ffff:a.b.c.d} (RFC 4291 §2.5.5.2), so one pair of longs
     * holds either family; {@code ::} (0, 0) means "not known" and never matches a group.
     */
    private static final long IPV4_MAPPED_LOW = 0xFFFF_0000_0000L;

    /** Holds a run of one flow's TCP segments for a host until the batch ends; null: off. */
    private final TcpSegmentCoalescer coalescer;

    /** Outer IP and UDP header bytes, so remote-VTEP byte counters count whole outer packets both ways. */
    private final int ipAndUdpHeaderLength;

    OverlayPipeline(final ForwardingTables tables, final VtepAddress localAddress, final LocalDelivery local,
        final DataPathCounters counters)
    {
        this(tables, localAddress, local, counters, null);
    }

    /** @param coalescer TCP receive coalescing for the access ports, or null for none */
    OverlayPipeline(final ForwardingTables tables, final VtepAddress localAddress, final LocalDelivery local,
        final DataPathCounters counters, final TcpSegmentCoalescer coalescer)
    {
        this.coalescer = coalescer;
        this.tables = tables;
        this.remoteVteps = tables.fdb().remoteVteps();
        this.localAddress = localAddress;
        this.local = local;
        this.counters = counters;
        this.ipAndUdpHeaderLength =
            (localAddress.isIpv6() ? VxlanEncapsulator.IPV6_OVERHEAD : VxlanEncapsulator.IPV4_OVERHEAD) - VxlanHeader.LENGTH;
    }

    /**
     * The end of a batch of datagrams (and before a frame is flooded): what {@link TcpSegmentCoalescer}
     * holds goes out now. Nothing waits for the next batch.
     */
    public void endOfBatch()
    {
        if (coalescer != null)
        {
            coalescer.flush();
        }
    }

    /** The clock of the FDB, whose ageing the {@code nowNanos} passed in must match. */
    public NanoClock clock()
    {
        return tables.fdb().clock();
    }

    /** Reports datagrams the kernel dropped at the full underlay socket (no VNI: never read). */
    public void socketQueueDrops(final long datagrams)
    {
        counters.dropped(DropReason.UNDERLAY_SOCKET_QUEUE, datagrams);
    }

    /** A datagram from an IPv4 VTEP, its destination not known (taken as unicast to this VTEP). */
    public void onIpv4Datagram(final UnsafeBuffer buffer, final int offset, final int length, final int sourceAddress,
        final long nowNanos)
    {
        onIpv4Datagram(buffer, offset, length, sourceAddress, 0, nowNanos);
    }

    /**
     * A datagram from an IPv4 VTEP; {@code buffer} holds the UDP payload at {@code offset}.
     *
     * @param destinationAddress the outer destination ({@code IP_PKTINFO}), 0 when not known
     */
    public void onIpv4Datagram(final UnsafeBuffer buffer, final int offset, final int length, final int sourceAddress,
        final int destinationAddress, final long nowNanos)
    {
        final long destinationLow = destinationAddress == 0 ? 0 : IPV4_MAPPED_LOW | (destinationAddress & 0xFFFF_FFFFL);
        if (!localAddress.isIpv6() && sourceAddress == localAddress.ipv4())
        {
            counters.dropped(DropReason.OWN_VTEP);
            return;
        }
        RemoteVtep source = remoteVteps.findIpv4(sourceAddress);
        if (source == null && isNewVtepWorthInterning(buffer, offset, length, 0, destinationLow))
        {
            source = remoteVteps.internLearned(VtepAddress.ofIpv4(sourceAddress));
        }
        forward(buffer, offset, length, source, 0, destinationLow, nowNanos);
    }

    /** A datagram from an IPv6 VTEP, its destination not known (taken as unicast to this VTEP). */
    public void onIpv6Datagram(final UnsafeBuffer buffer, final int offset, final int length, final long sourceHigh,
        final long sourceLow, final long nowNanos)
    {
        onIpv6Datagram(buffer, offset, length, sourceHigh, sourceLow, 0, 0, nowNanos);
    }

    /**
     * A datagram from an IPv6 VTEP.
     *
     * @param destinationHigh the outer destination's first 8 bytes ({@code IPV6_PKTINFO}), 0 with
     *     {@code destinationLow} 0 when not known
     */
    public void onIpv6Datagram(final UnsafeBuffer buffer, final int offset, final int length, final long sourceHigh,
        final long sourceLow, final long destinationHigh, final long destinationLow, final long nowNanos)
    {
        if (localAddress.isIpv6() && sourceHigh == localAddress.ipv6High() && sourceLow == localAddress.ipv6Low())
        {
            counters.dropped(DropReason.OWN_VTEP);
            return;
        }
        RemoteVtep source = remoteVteps.findIpv6(sourceHigh, sourceLow);
        if (source == null && isNewVtepWorthInterning(buffer, offset, length, destinationHigh, destinationLow))
        {
            source = remoteVteps.internLearned(VtepAddress.ofIpv6(sourceHigh, sourceLow));
        }
        forward(buffer, offset, length, source, destinationHigh, destinationLow, nowNanos);
    }

    /** Whether a datagram's destination (IPv4 mapped, see {@link #IPV4_MAPPED_LOW}) is {@code group}. */
    static boolean isToGroup(final VtepAddress group, final long destinationHigh, final long destinationLow)
    {
        if (group == null)
        {
            return false;
        }
        return group.isIpv6() ? destinationHigh == group.ipv6High() && destinationLow == group.ipv6Low() :
            destinationHigh == 0 && destinationLow == (IPV4_MAPPED_LOW | (group.ipv4() & 0xFFFF_FFFFL));
    }

    /**
     * The first valid packet from a VTEP for a VNI served here interns it as a learned VTEP (a lock
     * and an allocation, once per VTEP), which ages out once no FDB entry points at it. Garbage,
     * unknown VNIs and VNIs that do not learn from the data plane never get that far; at a full table
     * {@link RemoteVtepTable#internLearned} counts the refusal without a lock, so a flood of spoofed
     * sources costs nothing extra per packet and cannot hold the table (whose size bounds the
     * per-VTEP metric series) for longer than the ageing time. A VNI that accepts only its members
     * interns a new VTEP only from a datagram to its multicast group, which makes it a member.
     */
    private boolean isNewVtepWorthInterning(final UnsafeBuffer buffer, final int offset, final int length,
        final long destinationHigh, final long destinationLow)
    {
        final int vniId = VxlanDecoder.decode(buffer, offset, length);
        if (vniId < 0)
        {
            return false;
        }
        final VniContext vni = tables.vni(vniId);
        return vni != null && vni.fdb().learningMode().learnsRemote() &&
            (!vni.membersOnly() || isToGroup(vni.fdb().multicastGroup(), destinationHigh, destinationLow));
    }

    /**
     * @param source the sending VTEP; null when it is not in the remote VTEP table: then a VNI that
     *               learns from the data plane still delivers the frame (the table is full; the
     *               source MAC is not learned), any other VNI drops it as an unknown VTEP
     * @param destinationHigh with {@code destinationLow}: the outer destination, IPv4 mapped
     */
    private void forward(final UnsafeBuffer buffer, final int offset, final int length, final RemoteVtep source,
        final long destinationHigh, final long destinationLow, final long nowNanos)
    {
        final int vniId = VxlanDecoder.decode(buffer, offset, length);
        if (vniId < 0)
        {
            counters.dropped(vniId == VxlanDecoder.FLAGS ? DropReason.VXLAN_FLAGS : DropReason.MALFORMED);
            return;
        }
        final VniContext vni = tables.vni(vniId);
        if (vni == null)
        {
            counters.dropped(DropReason.UNKNOWN_VNI);
            return;
        }
        final int frameOffset = offset + VxlanHeader.LENGTH;
        final int frameLength = length - VxlanHeader.LENGTH;
        counters.vniReceived(vni.slot(), Side.OVERLAY, frameLength);
        final VtepAddress group = vni.fdb().multicastGroup();
        final boolean toGroup = group != null && isToGroup(group, destinationHigh, destinationLow);
        if (source != null)
        {
            counters.vtepReceived(source.index(), ipAndUdpHeaderLength + length);
            if (group != null)
            {
                vni.fdb().groupMemberSeen(source, toGroup, nowNanos);
            }
        }
        else if (!vni.fdb().learningMode().learnsRemote())
        {
            counters.vniDropped(vni.slot(), DropReason.UNKNOWN_VTEP);
            return;
        }
        if (vni.membersOnly() && !toGroup && (source == null || !vni.memberVteps().contains(source.index())))
        {
            counters.vniDropped(vni.slot(), DropReason.NOT_VNI_MEMBER);
            return;
        }
        if (VlanTag.isTagged(buffer, frameOffset))
        {
            // RFC 7348 §6.1: "Decapsulated VXLAN frames with the inner VLAN tag SHOULD be discarded
            // unless configured otherwise." The VNI is the VLAN; a tag would leak another VLAN's
            // identity onto the access port. Checked before learning, so such a frame teaches nothing.
            counters.vniDropped(vni.slot(), DropReason.INNER_VLAN_TAGGED);
            return;
        }

        // A peer on a veth underlay may send the inner checksum unfinished (see ChecksumOffload). A
        // super-frame gets its checksums rewritten when it is segmented: no need to finish it here.
        if (!local.exceedsOverlayMtu(frameLength))
        {
            ChecksumOffload.completeIfPartial(buffer, frameOffset, frameLength);
        }

        final long sourceMac = MacAddress.get(buffer, frameOffset + EthernetHeader.SOURCE_OFFSET);
        if (source != null && !MacAddress.isGroup(sourceMac) && !MacAddress.isZero(sourceMac))
        {
            vni.fdb().learnRemote(sourceMac, source, nowNanos);
        }

        final long destination = MacAddress.get(buffer, frameOffset + EthernetHeader.DESTINATION_OFFSET);
        final long entry = MacAddress.isGroup(destination) ? FdbEntry.NONE : vni.fdb().lookup(destination);
        final CaptureTap capture = vni.captureTap();
        if (capture != null)
        {
            // `vtep capture`: a copy into each capture's ring, or a capture drop; never a wait.
            capture.fromOverlay(buffer, frameOffset, frameLength, nowNanos, source, entry);
        }
        if (entry == FdbEntry.NONE)
        {
            endOfBatch(); // a run held for a host goes before any flooded frame, which it may meet there
            final StormControl storm = vni.stormControl();
            if (storm != null && !storm.admit(destination, nowNanos))
            {
                counters.vniDropped(vni.slot(), DropReason.STORM_CONTROL);
                return;
            }
            if (local.floodFromOverlay(vni, source == null ? -1 : source.index(), buffer, frameOffset, frameLength) > 0)
            {
                counters.vniFlooded(vni.slot());
            }
            else if (vni.members().length == 0)
            {
                // Only when there was nowhere to flood to: copies the ports refused are already
                // counted as tx_error by LocalDelivery, once each.
                counters.vniDropped(vni.slot(), DropReason.NO_ROUTE);
            }
        }
        else if (FdbEntry.isLocal(entry))
        {
            final Attachment to = tables.attachment(FdbEntry.attachment(entry));
            if (coalescer == null || !coalescer.offer(to, buffer, frameOffset, frameLength))
            {
                local.send(to, buffer, frameOffset, frameLength);
            }
        }
        else
        {
            counters.vniDropped(vni.slot(), DropReason.SPLIT_HORIZON);
        }
    }
}
