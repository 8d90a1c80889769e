package io.vtep.core.pipeline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.underlay.SegmentTransmitter;
import io.vtep.core.underlay.TransmitBatch;
import io.vtep.core.underlay.UnderlayTransmitter;
import io.vtep.encap.VxlanHeader;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.DataPathCounters;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;

/**
 * Encapsulated unicast packets waiting for the end of a received batch, then sent with as few
 * system calls as the kernel allows: {@code sendmmsg} for the batch, and, with a
 * {@link SegmentGatherer}, one UDP GSO datagram for each run of at least {@link #MIN_RUN}
 * consecutive packets of one flow (same VNI, VTEP and outer source port, same size but a shorter
 * last): a host without segmentation offload sending TCP or a UDP stream fills a batch with such
 * runs, and the kernel then sends each run down the stack once.
 *
 * <p>Order: packets leave in the order they were queued, stretch by stretch (the packets between
 * two runs in one {@code sendmmsg}, then the run), so a flow's packets never overtake each other.
 *
 * <p>Queued packets stay where they are (a received batch's slots are untouched until the next
 * batch) unless the caller reuses their memory sooner (segmentation in place): then they are
 * queued as copies. One instance per data-path thread; allocation-free after construction.
 */
final class PendingUnicast
{
    /**
     * Shortest run sent as a GSO datagram: below it, the copy into the datagram and a system call
     * of its own cost about what the shared {@code sendmmsg} saves.
     */
    static final int MIN_RUN = 4;
    /** A staging slot holds a jumbo frame (9216) with outer IPv6 headers. */
    static final int STAGING_SLOT = 9_344;
    private static final int VXLAN_HEADER = VxlanHeader.LENGTH;

    private final UnderlayTransmitter transmitter;
    /** Null when UDP GSO is off. */
    private final SegmentGatherer gatherer;
    private final DataPathCounters counters;
    /** Outer IP + UDP + VXLAN in front of each frame. */
    private final int overhead;
    /** Offset of the outer UDP header in a packet: the outer IP header's length. */
    private final int udpOffset;
    private final TransmitBatch pending = new TransmitBatch();
    /** Per pending packet: VNI, remote VTEP, inner frame length and outer source port. */
    private final VniContext[] vnis = new VniContext[TransmitBatch.CAPACITY];
    private final RemoteVtep[] vteps = new RemoteVtep[TransmitBatch.CAPACITY];
    private final int[] frameLengths = new int[TransmitBatch.CAPACITY];
    private final int[] sourcePorts = new int[TransmitBatch.CAPACITY];
    /** Room for a copy of each pending packet, for callers that reuse a frame's memory before the flush. */
    private final UnsafeBuffer staging = new UnsafeBuffer(ByteBuffer.allocateDirect(TransmitBatch.CAPACITY * STAGING_SLOT));
    /** The packets between runs, and where each is in {@link #pending}. */
    private final TransmitBatch stretch;
    private final int[] stretchIndexes = new int[TransmitBatch.CAPACITY];

    PendingUnicast(final UnderlayTransmitter transmitter, final SegmentGatherer gatherer, final DataPathCounters counters,
        final int overhead, final int udpOffset)
    {
        this.transmitter = transmitter;
        this.gatherer = gatherer;
        this.counters = counters;
        this.overhead = overhead;
        this.udpOffset = udpOffset;
        this.stretch = gatherer == null ? null : new TransmitBatch();
    }

    boolean isFull()
    {
        return pending.isFull();
    }

    /** Whether a packet of this length can be queued as a copy. */
    static boolean fitsStaging(final int packetLength)
    {
        return packetLength <= STAGING_SLOT;
    }

    /**
     * Queues the packet at {@code outer} (outer IP header onwards, native memory); the caller checks
     * {@link #isFull} first.
     *
     * @param copy queue a copy: the caller overwrites the memory before the flush
     */
    void add(final VniContext vni, final RemoteVtep vtep, final MutableDirectBuffer buffer, final int outer,
        final int frameLength, final boolean copy)
    {
        final int i = pending.count();
        final int packetLength = frameLength + overhead;
        vnis[i] = vni;
        vteps[i] = vtep;
        frameLengths[i] = frameLength;
        sourcePorts[i] = buffer.getShort(outer + udpOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (copy)
        {
            staging.putBytes(i * STAGING_SLOT, buffer, outer, packetLength);
            pending.add(staging.addressOffset() + (long)i * STAGING_SLOT, packetLength);
        }
        else
        {
            pending.add(buffer.addressOffset() + outer, packetLength);
        }
    }

    /** Sends every queued packet and counts each as sent or as a {@code tx_error}. */
    void flush()
    {
        final int count = pending.count();
        if (count == 0)
        {
            return;
        }
        if (gatherer == null || !hasRun(count))
        {
            transmitter.send(pending);
            for (int i = 0; i < count; i++)
            {
                count(i, pending.sent(i));
            }
        }
        else
        {
            sendStretchesAndRuns(count);
        }
        pending.clear();
        Arrays.fill(vnis, 0, count, null);
        Arrays.fill(vteps, 0, count, null);
    }

    private boolean hasRun(final int count)
    {
        for (int i = 0; i < count;)
        {
            final int end = runEnd(i, count);
            if (end - i >= MIN_RUN)
            {
                return true;
            }
            i = end;
        }
        return false;
    }

    /** @return the end (exclusive) of the run of one flow's packets that starts at {@code start} */
    private int runEnd(final int start, final int count)
    {
        final int size = pending.packetLength(start);
        int bytes = size - overhead + VXLAN_HEADER;
        int end = start + 1;
        while (end < count && vnis[end] == vnis[start] && vteps[end] == vteps[start] &&
            sourcePorts[end] == sourcePorts[start] && pending.packetLength(end - 1) == size &&
            pending.packetLength(end) <= size && end - start < SegmentTransmitter.MAX_SEGMENTS &&
            bytes + frameLengths[end] + VXLAN_HEADER <= SegmentTransmitter.MAX_PAYLOAD)
        {
            bytes += frameLengths[end] + VXLAN_HEADER;
            end++;
        }
        return end;
    }

    private void sendStretchesAndRuns(final int count)
    {
        int i = 0;
        while (i < count)
        {
            final int end = runEnd(i, count);
            if (end - i >= MIN_RUN && gatherer.ready(sourcePorts[i]))
            {
                sendStretch(); // what came before the run leaves before it
                for (int k = i; k < end; k++)
                {
                    gatherer.add(vnis[k], vteps[k], sourcePorts[k], pending.packet(k), overhead, frameLengths[k]);
                }
                gatherer.send();
            }
            else
            {
                for (int k = i; k < end; k++)
                {
                    stretchIndexes[stretch.count()] = k;
                    final UnsafeBuffer packet = pending.packet(k);
                    stretch.add(packet.addressOffset(), packet.capacity());
                }
            }
            i = end;
        }
        sendStretch();
    }

    private void sendStretch()
    {
        final int count = stretch.count();
        if (count == 0)
        {
            return;
        }
        transmitter.send(stretch);
        for (int k = 0; k < count; k++)
        {
            count(stretchIndexes[k], stretch.sent(k));
        }
        stretch.clear();
    }

    private void count(final int index, final boolean sent)
    {
        if (sent)
        {
            counters.vniSent(vnis[index].slot(), Side.OVERLAY, frameLengths[index]);
            counters.vtepSent(vteps[index].index(), frameLengths[index] + overhead);
        }
        else
        {
            counters.vniDropped(vnis[index].slot(), DropReason.TX_ERROR);
        }
    }
}
