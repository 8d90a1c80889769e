package io.vtep.core.pipeline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.underlay.SegmentTransmitter;
import io.vtep.core.underlay.TransmitBatch;
import io.vtep.core.underlay.UnderlayTransmitter;
import io.vtep.encap.FlowHash;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;
import io.vtep.encap.VxlanEncapsulator;
import io.vtep.encap.VxlanHeader;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.DataPathCounters;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;

/**
 * Encapsulates an untagged access frame in place and sends it to one remote VTEP, to every VTEP
 * of the VNI's flood list (head-end replication), or once to the VNI's multicast group.
 *
 * <p>Unicast packets wait in a {@link TransmitBatch} until {@link #flush} (the access pipeline
 * flushes after each batch of received frames): one {@code sendmmsg} instead of a {@code sendto}
 * each. That is safe because each frame of a received batch lives in its own slot, untouched until
 * the next batch; a caller that reuses a frame's memory sooner (segmentation in place) has them
 * queued as copies ({@link #superFrameSegments}). Flood copies are sent at once (they re-point one
 * packet), after a flush, so a flow's packets never overtake each other.
 *
 * <p>The segments of a super-frame that go to one VTEP leave, when a {@link SegmentTransmitter}
 * is given and ready for the flow's source port, as one UDP GSO datagram: gathered back to back
 * (VXLAN header and inner frame each) and sent at the flush in one system call that the kernel
 * cuts into the same VXLAN packets.
 *
 * <p>One instance per data-path thread (it holds that thread's counters and batch).
 */
final class OverlayTransmit
{
    /** A staging slot holds a jumbo frame (9216) with outer IPv6 headers. */
    private static final int STAGING_SLOT = 9_344;

    private final VxlanEncapsulator encapsulator;
    private final SourcePortRange sourcePorts;
    private final int underlayMtu;
    private final UnderlayTransmitter transmitter;
    private final DataPathCounters counters;
    private final TransmitBatch pending = new TransmitBatch();
    /** Per pending packet: its VNI slot, remote VTEP index and inner frame length, for the counters. */
    private final int[] pendingVniSlots = new int[TransmitBatch.CAPACITY];
    private final int[] pendingVtepIndexes = new int[TransmitBatch.CAPACITY];
    private final int[] pendingFrameLengths = new int[TransmitBatch.CAPACITY];
    /** Room for a copy of each pending packet, for callers that reuse a frame's memory before the flush. */
    private final UnsafeBuffer staging = new UnsafeBuffer(ByteBuffer.allocateDirect(TransmitBatch.CAPACITY * STAGING_SLOT));
    private boolean copyPending;

    /** Null when UDP GSO is off: segments then go one packet each, in the pending batch. */
    private final SegmentTransmitter segmentTransmitter;
    /** The segments gathered for one GSO datagram, back to back; null without a segment transmitter. */
    private final UnsafeBuffer gathered;
    private boolean gathering;
    private int gatheredLength;
    private int gatheredSegments;
    private int gatheredSegmentSize;
    private int gatheredSourcePort;
    private VniContext gatheredVni;
    private RemoteVtep gatheredVtep;

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
        this.segmentTransmitter = segmentTransmitter;
        this.gathered = segmentTransmitter == null ? null :
            new UnsafeBuffer(ByteBuffer.allocateDirect(SegmentTransmitter.MAX_PAYLOAD));
        this.counters = counters;
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
        if (fits(vni, length) && !(gathering && gather(vni, vtep, buffer, offset, length)))
        {
            final int outer = encapsulate(vni, buffer, offset, length, vtep.address());
            if (outer >= 0 && (buffer.byteArray() != null ||
                (copyPending && length + encapsulator.headerLength() > STAGING_SLOT)))
            {
                send(vni, vtep, buffer, outer, length); // not native memory: no address to queue
            }
            else if (outer >= 0)
            {
                if (pending.isFull())
                {
                    flush();
                }
                final int i = pending.count();
                final int packetLength = length + encapsulator.headerLength();
                pendingVniSlots[i] = vni.slot();
                pendingVtepIndexes[i] = vtep.index();
                pendingFrameLengths[i] = length;
                if (copyPending)
                {
                    // The caller reuses this memory before the flush: queue a copy.
                    staging.putBytes(i * STAGING_SLOT, buffer, outer, packetLength);
                    pending.add(staging.addressOffset() + (long)i * STAGING_SLOT, packetLength);
                }
                else
                {
                    pending.add(buffer.addressOffset() + outer, packetLength);
                }
            }
            else
            {
                counters.vniDropped(vni.slot(), DropReason.TX_ERROR);
            }
        }
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
     * at once.
     */
    void superFrameSegments(final boolean on)
    {
        if (!on)
        {
            flush();
        }
        copyPending = on;
        gathering = on && segmentTransmitter != null;
    }

    /**
     * Appends a segment to the GSO datagram being gathered, when it can join it: same VNI, VTEP and
     * source port, not longer than the first segment, and the one before not shorter (only the last
     * segment of a GSO datagram may be short, udp(7)).
     *
     * @return false when the segment must go the one-by-one way (the port is not ready, or the
     *     remote's address family differs, which the encapsulator counts)
     */
    private boolean gather(final VniContext vni, final RemoteVtep vtep, final MutableDirectBuffer buffer, final int offset,
        final int length)
    {
        if (buffer.byteArray() != null || vtep.address().isIpv6() != encapsulator.local().isIpv6())
        {
            return false;
        }
        final int sourcePort = sourcePorts.sourcePort(FlowHash.hash(buffer, offset, length));
        final int segment = VxlanHeader.LENGTH + length;
        if (gatheredSegments > 0 && (vni != gatheredVni || vtep != gatheredVtep || sourcePort != gatheredSourcePort ||
            segment > gatheredSegmentSize || gatheredLength % gatheredSegmentSize != 0 ||
            gatheredLength + segment > SegmentTransmitter.MAX_PAYLOAD || gatheredSegments == SegmentTransmitter.MAX_SEGMENTS))
        {
            sendGathered();
        }
        if (gatheredSegments == 0)
        {
            if (!segmentTransmitter.ready(sourcePort))
            {
                return false;
            }
            gatheredVni = vni;
            gatheredVtep = vtep;
            gatheredSourcePort = sourcePort;
            gatheredSegmentSize = segment;
        }
        // RFC 7348 §5: flags with the I bit, reserved, VNI, reserved.
        gathered.putInt(gatheredLength, VxlanHeader.FLAG_I << 24, ByteOrder.BIG_ENDIAN);
        gathered.putInt(gatheredLength + VxlanHeader.VNI_OFFSET, vni.vni() << 8, ByteOrder.BIG_ENDIAN);
        gathered.putBytes(gatheredLength + VxlanHeader.LENGTH, buffer, offset, length);
        gatheredLength += segment;
        gatheredSegments++;
        return true;
    }

    /** Sends the gathered segments as one GSO datagram and counts each segment as a packet sent or a {@code tx_error}. */
    private void sendGathered()
    {
        final int segments = gatheredSegments;
        if (segments == 0)
        {
            return;
        }
        final boolean sent = segmentTransmitter.send(gatheredVtep.address(), gatheredSourcePort, gathered.addressOffset(),
            gatheredLength, gatheredSegmentSize);
        for (int i = 0; i < segments; i++)
        {
            final int frameLength = Math.min(gatheredSegmentSize, gatheredLength - i * gatheredSegmentSize) - VxlanHeader.LENGTH;
            if (sent)
            {
                counters.vniSent(gatheredVni.slot(), Side.OVERLAY, frameLength);
                counters.vtepSent(gatheredVtep.index(), frameLength + encapsulator.headerLength());
            }
            else
            {
                counters.vniDropped(gatheredVni.slot(), DropReason.TX_ERROR);
            }
        }
        gatheredSegments = 0;
        gatheredLength = 0;
        gatheredVni = null;
        gatheredVtep = null;
    }

    /**
     * Sends the gathered GSO datagram and the pending unicast packets, and counts each packet as sent
     * or as a {@code tx_error}.
     */
    void flush()
    {
        sendGathered();
        final int count = pending.count();
        if (count == 0)
        {
            return;
        }
        transmitter.send(pending);
        for (int i = 0; i < count; i++)
        {
            if (pending.sent(i))
            {
                counters.vniSent(pendingVniSlots[i], Side.OVERLAY, pendingFrameLengths[i]);
                counters.vtepSent(pendingVtepIndexes[i], pending.packetLength(i));
            }
            else
            {
                counters.vniDropped(pendingVniSlots[i], DropReason.TX_ERROR);
            }
        }
        pending.clear();
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
