package io.vtep.core.capture;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

import io.netty.buffer.ByteBuf;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.encap.EthernetHeader;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;

/**
 * The reading side of one capture, independent of the transport: turns what the forwarding threads
 * put into the session's ring into pcapng, a piece at a time, and knows when the capture is over
 * ({@code count} frames written, {@code seconds} passed). Each frame becomes an Enhanced Packet
 * Block whose {@code epb_flags} say the direction (inbound: from the overlay; outbound: from an
 * access port) and whose comment says exactly where it came from and went:
 * {@code access acc1 -> vtep 192.0.2.2}, {@code vtep 192.0.2.2 -> access acc1},
 * {@code access acc1.10 -> flood}, {@code access acc1 -> access acc2}. API thread only.
 */
public final class CaptureStream implements AutoCloseable
{
    private final CaptureRegistry registry;
    private final CaptureSession session;
    private final ForwardingTables tables;
    private final long count;
    private final long deadlineNanos;
    private final long startEpochNanos;
    private final StringBuilder comment = new StringBuilder(96);
    private final Encoder encoder = new Encoder();
    private long delivered;
    private boolean headerWritten;
    private boolean ended;

    /**
     * @param count   frames to write before the end; 0: no limit
     * @param seconds how long to capture; 0: no limit
     */
    public CaptureStream(final CaptureRegistry registry, final CaptureSession session, final long count, final long seconds)
    {
        this.registry = registry;
        this.session = session;
        this.tables = registry.tables();
        this.count = count;
        final long now = registry.clockNanos();
        this.deadlineNanos = seconds == 0 ? Long.MAX_VALUE : now + seconds * 1_000_000_000L;
        this.startEpochNanos = now + session.epochOffsetNanos();
    }

    public CaptureSession session()
    {
        return session;
    }

    /** Frames written so far. */
    public long delivered()
    {
        return delivered;
    }

    /** Whether the capture has what it was asked for (count frames, or its time is up). */
    public boolean isComplete()
    {
        return (count > 0 && delivered >= count) || registry.clockNanos() >= deadlineNanos;
    }

    /**
     * Appends the section and interface headers (first call), then frames from the ring until about
     * {@code maxBytes} are written, the ring is empty, or the count is reached.
     *
     * @return frames written by this call
     */
    public int pump(final ByteBuf out, final int maxBytes)
    {
        if (!headerWritten)
        {
            headerWritten = true;
            PcapngWriter.sectionHeader(out, "vtep capture");
            PcapngWriter.interfaceDescription(out, "vni" + session.vni(),
                "VXLAN VNI " + session.vni() + ": inner Ethernet frames, both directions", session.snaplen());
        }
        final int start = out.writerIndex();
        final long before = delivered;
        encoder.out = out;
        while (out.writerIndex() - start < maxBytes && (count == 0 || delivered < count))
        {
            final int limit = count == 0 ? 64 : (int)Math.min(64, count - delivered);
            // A read that only passed the padding at the ring's end returns 0 with records behind it.
            if (session.drain(encoder, limit) == 0 && session.isEmpty())
            {
                break;
            }
        }
        encoder.out = null;
        final int written = (int)(delivered - before);
        registry.delivered(written);
        return written;
    }

    /**
     * Ends the capture (the forwarding threads stop offering it frames) and appends the Interface
     * Statistics Block: frames offered, dropped (ring full), written. Frames still in the ring
     * beyond the count are neither written nor dropped.
     */
    public void finish(final ByteBuf out)
    {
        close();
        final long now = registry.clockNanos() + session.epochOffsetNanos();
        PcapngWriter.interfaceStatistics(out, now, startEpochNanos, delivered + session.drops(), session.drops(), delivered);
    }

    /** Ends the capture without a statistics block (the client went away); safe to call twice. */
    @Override
    public void close()
    {
        if (!ended)
        {
            ended = true;
            registry.end(session);
        }
    }

    /** The ring's records as Enhanced Packet Blocks. */
    private final class Encoder implements MessageHandler
    {
        ByteBuf out;

        @Override
        public void onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length)
        {
            if (type != CaptureRecord.MESSAGE_TYPE || (count > 0 && delivered >= count))
            {
                return; // read past the count: not written, not a drop either
            }
            final int frame = index + CaptureRecord.HEADER_LENGTH;
            final int captured = length - CaptureRecord.HEADER_LENGTH;
            final boolean fromOverlay = buffer.getInt(index + CaptureRecord.ORIGIN_OFFSET) == CaptureRecord.FROM_OVERLAY;
            final int flags = (fromOverlay ? PcapngWriter.INBOUND : PcapngWriter.OUTBOUND) | receptionType(buffer, frame, captured);
            PcapngWriter.enhancedPacket(out, buffer.getLong(index + CaptureRecord.TIME_OFFSET) + session.epochOffsetNanos(),
                buffer, frame, captured, buffer.getInt(index + CaptureRecord.ORIGINAL_LENGTH_OFFSET), flags,
                describe(buffer, index, fromOverlay));
            delivered++;
        }

        private String describe(final DirectBuffer buffer, final int index, final boolean fromOverlay)
        {
            comment.setLength(0);
            final int to = buffer.getInt(index + CaptureRecord.TO_OFFSET);
            if (fromOverlay)
            {
                vtep(buffer, index);
            }
            else
            {
                attachment(buffer.getInt(index + CaptureRecord.FROM_ATTACHMENT_OFFSET));
            }
            comment.append(" -> ");
            switch (to)
            {
                case CaptureRecord.TO_FLOOD -> comment.append("flood");
                case CaptureRecord.TO_VTEP -> vtep(buffer, index);
                case CaptureRecord.TO_SPLIT_HORIZON -> comment.append("dropped (split horizon)");
                default -> attachment(to);
            }
            return comment.toString();
        }

        private void attachment(final int id)
        {
            final Attachment attachment = id >= 0 ? tables.attachment(id) : null;
            comment.append("access ").append(attachment == null ? "?" : attachment.toString());
        }

        private void vtep(final DirectBuffer buffer, final int index)
        {
            final int family = buffer.getInt(index + CaptureRecord.VTEP_FAMILY_OFFSET);
            comment.append("vtep ");
            if (family == 4)
            {
                comment.append(VtepAddress.getIpv4(buffer, index + CaptureRecord.VTEP_ADDRESS_OFFSET));
            }
            else if (family == 6)
            {
                comment.append(VtepAddress.getIpv6(buffer, index + CaptureRecord.VTEP_ADDRESS_OFFSET));
            }
            else
            {
                comment.append("unknown");
            }
        }
    }

    private static int receptionType(final DirectBuffer buffer, final int frame, final int captured)
    {
        if (captured < EthernetHeader.LENGTH)
        {
            return 0;
        }
        final long destination = MacAddress.get(buffer, frame + EthernetHeader.DESTINATION_OFFSET);
        if (MacAddress.isBroadcast(destination))
        {
            return PcapngWriter.BROADCAST;
        }
        return MacAddress.isGroup(destination) ? PcapngWriter.MULTICAST : PcapngWriter.UNICAST;
    }
}
