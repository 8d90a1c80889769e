package io.vtep.core.pipeline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.underlay.SegmentTransmitter;
import io.vtep.encap.VxlanHeader;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.DataPathCounters;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;

/**
 * Gathers VXLAN packets of one flow into one UDP GSO datagram ({@link SegmentTransmitter}): their
 * UDP payloads (VXLAN header and inner frame, RFC 7348 §5) back to back, in one buffer, sent in
 * one system call that the kernel cuts into the same packets.
 *
 * <p>A datagram holds packets that share the VNI, the remote VTEP and the outer source port (the
 * kernel writes one set of outer headers for all of them), all of one size except a shorter last
 * one (udp(7)), at most {@link SegmentTransmitter#MAX_SEGMENTS} of them and
 * {@link SegmentTransmitter#MAX_PAYLOAD} bytes. A packet that does not fit the datagram being
 * gathered sends it first and starts the next.
 *
 * <p>One instance per data-path thread; allocation-free after construction.
 */
final class SegmentGatherer
{
    private final SegmentTransmitter transmitter;
    /** This thread's own, made here, off the data path. */
    private final SegmentTransmitter.Scratch scratch;
    private final DataPathCounters counters;
    /** Outer IP + UDP + VXLAN: what each packet adds to its frame on the wire, for the byte counters. */
    private final int overhead;
    private final UnsafeBuffer gathered = new UnsafeBuffer(ByteBuffer.allocateDirect(SegmentTransmitter.MAX_PAYLOAD));
    private int length;
    private int segments;
    private int segmentSize;
    private int sourcePort;
    private VniContext vni;
    private RemoteVtep vtep;

    SegmentGatherer(final SegmentTransmitter transmitter, final DataPathCounters counters, final int overhead)
    {
        this.transmitter = transmitter;
        this.scratch = transmitter.newScratch();
        this.counters = counters;
        this.overhead = overhead;
    }

    /** Whether packets from this source port can be gathered now (else the transmitter is asked for a socket). */
    boolean ready(final int sourcePort)
    {
        return transmitter.ready(sourcePort);
    }

    /**
     * Appends one packet: a VXLAN header for {@code vni} and the inner frame.
     *
     * @return false when it must go the one-by-one way instead: no socket for its source port yet
     *     (the transmitter is asked for one)
     */
    boolean add(final VniContext vni, final RemoteVtep vtep, final int sourcePort, final DirectBuffer buffer,
        final int frameOffset, final int frameLength)
    {
        final int segment = VxlanHeader.LENGTH + frameLength;
        if (segments > 0 && (vni != this.vni || vtep != this.vtep || sourcePort != this.sourcePort ||
            segment > segmentSize || length % segmentSize != 0 ||
            length + segment > SegmentTransmitter.MAX_PAYLOAD || segments == SegmentTransmitter.MAX_SEGMENTS))
        {
            send();
        }
        if (segments == 0)
        {
            if (!transmitter.ready(sourcePort))
            {
                return false;
            }
            this.vni = vni;
            this.vtep = vtep;
            this.sourcePort = sourcePort;
            segmentSize = segment;
        }
        // RFC 7348 §5: flags with the I bit, reserved, VNI, reserved.
        gathered.putInt(length, VxlanHeader.FLAG_I << 24, ByteOrder.BIG_ENDIAN);
        gathered.putInt(length + VxlanHeader.VNI_OFFSET, vni.vni() << 8, ByteOrder.BIG_ENDIAN);
        gathered.putBytes(length + VxlanHeader.LENGTH, buffer, frameOffset, frameLength);
        length += segment;
        segments++;
        return true;
    }

    /** Sends what is gathered, if anything, and counts each packet as sent or as a {@code tx_error}. */
    void send()
    {
        if (segments == 0)
        {
            return;
        }
        final boolean sent = transmitter.send(scratch, vtep.address(), sourcePort, gathered.addressOffset(), length,
            segmentSize);
        for (int i = 0; i < segments; i++)
        {
            final int frameLength = Math.min(segmentSize, length - i * segmentSize) - VxlanHeader.LENGTH;
            if (sent)
            {
                counters.vniSent(vni.slot(), Side.OVERLAY, frameLength);
                counters.vtepSent(vtep.index(), frameLength + overhead);
            }
            else
            {
                counters.vniDropped(vni.slot(), DropReason.TX_ERROR);
            }
        }
        segments = 0;
        length = 0;
        vni = null;
        vtep = null;
    }
}
