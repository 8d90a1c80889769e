package io.vtep.core.pipeline;

import org.agrona.MutableDirectBuffer;

import io.vtep.core.underlay.SegmentTransmitter;
import io.vtep.core.underlay.UnderlayTransmitter;
import io.vtep.encap.FlowHash;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;
import io.vtep.encap.VxlanEncapsulator;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.DataPathCounters;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;

/**
 * Encapsulates an untagged access frame in place and sends it to one remote VTEP, to every VTEP
 * of the VNI's flood list (head-end replication), or once to the VNI's multicast group.
 *
 * <p>Unicast packets wait in {@link PendingUnicast} until {@link #flush} (the access pipeline
 * flushes after each batch of received frames): one {@code sendmmsg} instead of a {@code sendto}
 * each, and runs of one flow's packets as UDP GSO datagrams. That is safe because each frame of a
 * received batch lives in its own slot, untouched until the next batch; a caller that reuses a
 * frame's memory sooner (segmentation in place) says so ({@link #superFrameSegments}). Flood
 * copies are sent at once (they re-point one packet), after a flush, so a flow's packets never
 * overtake each other.
 *
 * <p>The segments of a super-frame that go to one VTEP leave, when a {@link SegmentTransmitter}
 * is given and ready for the flow's source port, as one UDP GSO datagram ({@link SegmentGatherer}).
 *
 * <p>One instance per data-path thread (it holds that thread's counters and batch).
 */
final class OverlayTransmit
{
    private final VxlanEncapsulator encapsulator;
    private final SourcePortRange sourcePorts;
    private final int underlayMtu;
    private final UnderlayTransmitter transmitter;
    private final DataPathCounters counters;
    private final PendingUnicast pending;
    /** Null when UDP GSO is off. */
    private final SegmentGatherer gatherer;
    /** The frames handed in are a super-frame's segments, cut in place one after the other. */
    private boolean superFrameSegments;

    OverlayTransmit(
        final VxlanEncapsulator encapsulator,
        final SourcePortRange sourcePorts,
        final int underlayMtu,
        final UnderlayTransmitter transmitter,
        final SegmentTransmitter segmentTransmitter,
        final DataPathCounters counters)
    {
        this.encapsulator = encapsulator;
        this.sourcePorts = sourcePorts;
        this.underlayMtu = underlayMtu;
        this.transmitter = transmitter;
        this.counters = counters;
        this.gatherer = segmentTransmitter == null ? null :
            new SegmentGatherer(segmentTransmitter, counters, encapsulator.headerLength());
        this.pending = new PendingUnicast(transmitter, gatherer, counters, encapsulator.headerLength(),
            encapsulator.ipHeaderLength());
    }

    /**
     * VXLAN packets must not be fragmented (RFC 7348 §4.3): the outer packet has DF set and a frame
     * that does not fit is dropped here, before anything is written.
     */
    private boolean fits(final VniContext vni, final int frameLength)
    {
        if (frameLength + encapsulator.headerLength() > underlayMtu)
        {
            counters.vniDropped(vni.slot(), DropReason.MTU_EXCEEDED);
            return false;
        }
        return true;
    }

    /** @return the outer IP header offset after writing the headers for {@code remote}. */
    private int encapsulate(final VniContext vni, final MutableDirectBuffer buffer, final int offset, final int length,
        final VtepAddress remote)
    {
        // RFC 7348 §5: the source port is a hash of the inner frame, so that ECMP in the underlay
        // keeps a flow on one path and spreads different flows over many.
        final int sourcePort = sourcePorts.sourcePort(FlowHash.hash(buffer, offset, length));
        return encapsulator.encapsulate(buffer, offset, length, vni.vni(), remote, sourcePort);
    }

    /** Unicast to the VTEP that owns the destination MAC. */
    void toVtep(final VniContext vni, final RemoteVtep vtep, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (!fits(vni, length) || (superFrameSegments && gatherSegment(vni, vtep, buffer, offset, length)))
        {
            return;
        }
        final int outer = encapsulate(vni, buffer, offset, length, vtep.address());
        if (outer < 0)
        {
            counters.vniDropped(vni.slot(), DropReason.TX_ERROR);
        }
        else if (buffer.byteArray() != null ||
            (superFrameSegments && !PendingUnicast.fitsStaging(length + encapsulator.headerLength())))
        {
            send(vni, vtep, buffer, outer, length); // no native address to queue, or no room for a copy
        }
        else
        {
            if (pending.isFull())
            {
                flush();
            }
            pending.add(vni, vtep, buffer, outer, length, superFrameSegments);
        }
    }

    /**
     * Adds a super-frame's segment to the GSO datagram being gathered.
     *
     * @return false when it must go the one-by-one way (no GSO, heap memory, the port not ready yet,
     *     or a remote of the other address family, which the encapsulator then counts)
     */
    private boolean gatherSegment(final VniContext vni, final RemoteVtep vtep, final MutableDirectBuffer buffer,
        final int offset, final int length)
    {
        if (gatherer == null || buffer.byteArray() != null || vtep.address().isIpv6() != encapsulator.local().isIpv6())
        {
            return false;
        }
        final int sourcePort = sourcePorts.sourcePort(FlowHash.hash(buffer, offset, length));
        return gatherer.add(vni, vtep, sourcePort, buffer, offset, length);
    }

    /**
     * BUM traffic: one copy to the multicast group, or one per flood-list VTEP.
     *
     * @return the number of copies the kernel took.
     */
    int flood(final VniContext vni, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        flush();
        final VtepAddress group = vni.fdb().multicastGroup();
        if (group != null)
        {
            if (!fits(vni, length))
            {
                return 0;
            }
            final int outer = encapsulate(vni, buffer, offset, length, group);
            return outer >= 0 && send(vni, null, buffer, outer, length) ? 1 : 0;
        }
        final RemoteVtep[] floodList = vni.fdb().floodList();
        if (floodList.length == 0 || !fits(vni, length))
        {
            return 0;
        }
        // Head-end replication: write the headers once, then only the destination changes.
        final int outer = encapsulate(vni, buffer, offset, length, floodList[0].address());
        if (outer < 0)
        {
            // Only a remote of the other address family gets here, which the config loader refuses.
            counters.vniDropped(vni.slot(), DropReason.TX_ERROR);
            return 0;
        }
        int copies = send(vni, floodList[0], buffer, outer, length) ? 1 : 0;
        for (int i = 1; i < floodList.length; i++)
        {
            encapsulator.retarget(buffer, outer, length + encapsulator.headerLength(), floodList[i].address());
            copies += send(vni, floodList[i], buffer, outer, length) ? 1 : 0;
        }
        return copies;
    }

    /**
     * While on, the frames handed in are the segments of one super-frame, cut in place one after the
     * other, so the caller overwrites a frame's memory before the flush. Unicast segments are then
     * gathered into a GSO datagram per VTEP, or queued as copies: either way they still leave
     * together, in one system call instead of one each. A packet larger than a staging slot is sent
     * at once. Switching off flushes.
     */
    void superFrameSegments(final boolean on)
    {
        if (!on)
        {
            flush();
        }
        superFrameSegments = on;
    }

    /** Sends what is gathered and queued, and counts each packet as sent or as a {@code tx_error}. */
    void flush()
    {
        if (gatherer != null)
        {
            gatherer.send();
        }
        pending.flush();
    }

    private boolean send(final VniContext vni, final RemoteVtep vtep, final MutableDirectBuffer buffer, final int outer,
        final int frameLength)
    {
        final int packetLength = frameLength + encapsulator.headerLength();
        if (transmitter.send(buffer, outer, packetLength))
        {
            counters.vniSent(vni.slot(), Side.OVERLAY, frameLength);
            if (vtep != null)
            {
                counters.vtepSent(vtep.index(), packetLength);
            }
            return true;
        }
        counters.vniDropped(vni.slot(), DropReason.TX_ERROR);
        return false;
    }
}
