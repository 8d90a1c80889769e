package io.vtep.core.capture;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import io.vtep.encap.VtepAddress;

/**
 * One running capture of one VNI: a bounded lock-free ring that the forwarding threads copy frames
 * into (Agrona's {@link ManyToOneRingBuffer}: every pipeline may write, {@code tryClaim} never
 * waits) and that the API thread drains into the pcapng stream. A frame that does not fit because
 * the reader is behind is not waited for: it is counted as a capture drop, so a slow or stalled
 * reader costs forwarding nothing but the copy attempt.
 *
 * <p>The ring's memory is a direct buffer, released by the garbage collector once the session is
 * no longer published and no forwarding thread holds it: never freed under a writer's feet.
 */
public final class CaptureSession
{
    /** Ring bytes per capture: ~2,700 full-size frames of slack for the reader. */
    public static final int RING_BYTES = 4 * 1024 * 1024;
    /** Largest snaplen: a whole 64 KiB super-frame (the largest frame the ports hand over). */
    public static final int MAX_SNAPLEN = 262_144;

    private final int vni;
    private final int snaplen;
    private final long epochOffsetNanos;
    private final ManyToOneRingBuffer ring;
    private final AtomicLong drops = new AtomicLong();

    /**
     * @param epochOffsetNanos what to add to the data path's clock to get nanoseconds since the epoch
     */
    CaptureSession(final int vni, final int snaplen, final long epochOffsetNanos, final int ringBytes)
    {
        if (snaplen < 1 || snaplen > MAX_SNAPLEN)
        {
            throw new IllegalArgumentException("snaplen " + snaplen + " is out of range 1.." + MAX_SNAPLEN);
        }
        this.vni = vni;
        this.snaplen = snaplen;
        this.epochOffsetNanos = epochOffsetNanos;
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        if (CaptureRecord.HEADER_LENGTH + snaplen > ring.maxMsgLength())
        {
            throw new IllegalArgumentException("snaplen " + snaplen + " does not fit a ring of " + ringBytes + " bytes");
        }
    }

    public int vni()
    {
        return vni;
    }

    public int snaplen()
    {
        return snaplen;
    }

    /** Frames that did not fit in the ring (the reader was behind); any thread. */
    public long drops()
    {
        return drops.get();
    }

    long epochOffsetNanos()
    {
        return epochOffsetNanos;
    }

    /**
     * Copies a frame in, or counts it as dropped when the ring is full. Forwarding threads only;
     * allocation-free and wait-free (one CAS to claim, a copy, an ordered store to commit).
     *
     * @param vtepOrNull the remote VTEP the frame came from or goes to, if any
     */
    void offer(final DirectBuffer buffer, final int offset, final int length, final long nowNanos, final int origin,
        final int fromAttachment, final int to, final VtepAddress vtepOrNull)
    {
        final int captured = Math.min(length, snaplen);
        final int index = ring.tryClaim(CaptureRecord.MESSAGE_TYPE, CaptureRecord.HEADER_LENGTH + captured);
        if (index < 0)
        {
            drops.incrementAndGet();
            return;
        }
        final AtomicBuffer out = ring.buffer();
        out.putLong(index + CaptureRecord.TIME_OFFSET, nowNanos);
        out.putInt(index + CaptureRecord.ORIGINAL_LENGTH_OFFSET, length);
        out.putInt(index + CaptureRecord.ORIGIN_OFFSET, origin);
        out.putInt(index + CaptureRecord.FROM_ATTACHMENT_OFFSET, fromAttachment);
        out.putInt(index + CaptureRecord.TO_OFFSET, to);
        if (vtepOrNull == null)
        {
            out.putInt(index + CaptureRecord.VTEP_FAMILY_OFFSET, 0);
        }
        else
        {
            out.putInt(index + CaptureRecord.VTEP_FAMILY_OFFSET, vtepOrNull.isIpv6() ? 6 : 4);
            vtepOrNull.put(out, index + CaptureRecord.VTEP_ADDRESS_OFFSET);
        }
        out.putBytes(index + CaptureRecord.HEADER_LENGTH, buffer, offset, captured);
        ring.commit(index);
    }

    /** Whether the ring holds nothing (not even padding) for the reader; the API thread only. */
    boolean isEmpty()
    {
        return ring.producerPosition() == ring.consumerPosition();
    }

    /** Hands at most {@code limit} records to {@code handler}, oldest first; the API thread only. @return records read */
    int drain(final MessageHandler handler, final int limit)
    {
        return ring.read(handler, limit);
    }
}
