package io.vtep.core.pipeline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.port.FrameBatch;
import io.vtep.encap.Checksum;
import io.vtep.encap.EthernetHeader;
import io.vtep.encap.IpProtocol;
import io.vtep.encap.Ipv4Header;
import io.vtep.encap.Ipv6Header;
import io.vtep.encap.TcpHeader;

/**
 * Receive coalescing for the overlay's way to a host: consecutive TCP segments of one flow, from
 * one batch of VXLAN datagrams and for one local attachment, become one super-frame that the port
 * hands the host behind a virtio-net header (GSO), as GRO does on a NIC
 * (docs/architecture.md §1.2, {@code dataplane.coalesce-tcp}).
 *
 * <h2>Why</h2>
 * A Linux VTEP on the far side cuts its host's TSO super-frames into MTU-sized segments for the
 * underlay. Handed over one by one, each costs vtep a system call and the receiving host a pass
 * through its TCP stack and often an ACK, all on the pipeline's CPU; handed over as one frame, the
 * host takes them in one receive, exactly as if its NIC had done GRO.
 *
 * <h2>What may be merged</h2>
 * The rules are Linux's ({@code tcp_gro_receive}, {@code inet_gro_receive}): IPv4 without options
 * and not fragmented, or IPv6 with TCP as the next header; the same Ethernet header, addresses,
 * TOS / traffic class and flow label, TTL / hop limit; TCP with ACK and no SYN, FIN, RST, URG, ECE
 * or CWR; the next sequence number; the same acknowledgment, window and options; every segment
 * the size of the first except the last, which may be shorter and ends the run, as does PSH. Each
 * segment's TCP checksum is verified before it is taken (the host will trust the merged frame's):
 * one that fails goes to the host as it came, to be dropped there. A segment that breaks a rule
 * ends the run, which is sent first, so a flow's order is kept. Nothing is held across batches:
 * the pipeline calls {@link #flush()} at the end of each.
 *
 * <p>Allocation-free: one native buffer per pipeline thread, made here.
 */
final class TcpSegmentCoalescer
{
    /** Most segments in one super-frame (Linux's GRO stops at 64 KiB too). */
    static final int MAX_SEGMENTS = 64;
    private static final int MAX_IP_LENGTH = 65_535;
    private static final int NOT_MERGEABLE = TcpHeader.FIN | TcpHeader.SYN | TcpHeader.RST | TcpHeader.URG | TcpHeader.ECE | TcpHeader.CWR;
    /** In front of the held frame: room for the 802.1Q tag that LocalDelivery writes there. */
    private static final int HEADROOM = 16;
    /** Where the IP header starts: frames from the overlay are untagged (the tag is the attachment's, added on delivery). */
    private static final int NETWORK = EthernetHeader.LENGTH;
    /** The IP header of the held frame in {@code run}. */
    private static final int RUN_NETWORK = HEADROOM + NETWORK;

    private final LocalDelivery local;
    private final UnsafeBuffer run = new UnsafeBuffer(ByteBuffer.allocateDirect(HEADROOM + FrameBatch.MAX_SUPER_FRAME_LENGTH));

    /** The attachment the held run goes to; null when nothing is held. */
    private Attachment to;
    private int length;
    private int transport;
    private int headersLength;
    private int segmentPayload;
    private int segments;
    private boolean ipv4;
    private int nextSequence;
    private int lastIdentification;

    TcpSegmentCoalescer(final LocalDelivery local)
    {
        this.local = local;
    }

    /**
     * Offers a decapsulated frame for {@code attachment}. Whatever is held and cannot take it is
     * sent first.
     *
     * @return true when the frame was taken (it goes out with its run); false when the caller must
     *     send it itself, now
     */
    boolean offer(final Attachment attachment, final DirectBuffer buffer, final int offset, final int frameLength)
    {
        // A peer's super-frame (longer than the underlay carries) is already whole: it goes on as it is.
        final int payload = !attachment.port().sendsSegmented() || local.exceedsOverlayMtu(frameLength) ? 0 :
            tcpPayload(buffer, offset, frameLength);
        if (payload <= 0)
        {
            flush();
            return false;
        }
        if (to == attachment && continuesRun(buffer, offset, payload))
        {
            append(buffer, offset, payload);
            return true;
        }
        flush();
        if ((flags(buffer, offset + transportOffset(buffer, offset)) & TcpHeader.PSH) != 0)
        {
            return false; // a run of one: nothing could follow it
        }
        start(attachment, buffer, offset, payload);
        return true;
    }

    /** Sends what is held: as it came when it is one segment, else as one super-frame. */
    void flush()
    {
        final Attachment attachment = to;
        if (attachment == null)
        {
            return;
        }
        to = null;
        if (segments == 1)
        {
            local.send(attachment, run, HEADROOM, length);
            return;
        }
        final int ipLength = length - NETWORK;
        if (ipv4)
        {
            run.putShort(RUN_NETWORK + Ipv4Header.TOTAL_LENGTH_OFFSET, (short)ipLength, ByteOrder.BIG_ENDIAN);
            run.putShort(RUN_NETWORK + Ipv4Header.HEADER_CHECKSUM_OFFSET, (short)0);
            run.putShort(RUN_NETWORK + Ipv4Header.HEADER_CHECKSUM_OFFSET,
                (short)Checksum.finish(Checksum.partialSum(run, RUN_NETWORK, Ipv4Header.LENGTH, 0)), ByteOrder.BIG_ENDIAN);
        }
        else
        {
            run.putShort(RUN_NETWORK + Ipv6Header.PAYLOAD_LENGTH_OFFSET, (short)(ipLength - Ipv6Header.LENGTH), ByteOrder.BIG_ENDIAN);
        }
        local.sendCoalesced(attachment, run, HEADROOM, length, headersLength, segmentPayload, segments);
    }

    private void start(final Attachment attachment, final DirectBuffer buffer, final int offset, final int payload)
    {
        ipv4 = etherType(buffer, offset) == EthernetHeader.ETHER_TYPE_IPV4;
        transport = transportOffset(buffer, offset);
        headersLength = transport + headerLength(buffer, offset + transport);
        length = headersLength + payload;
        run.putBytes(HEADROOM, buffer, offset, length);
        segmentPayload = payload;
        segments = 1;
        nextSequence = buffer.getInt(offset + transport + TcpHeader.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) + payload;
        lastIdentification = ipv4 ? identification(buffer, offset) : 0;
        to = attachment;
    }

    /** Adds a segment that {@link #continuesRun} accepted; ends the run when nothing may follow it. */
    private void append(final DirectBuffer buffer, final int offset, final int payload)
    {
        run.putBytes(HEADROOM + length, buffer, offset + headersLength, payload);
        length += payload;
        segments++;
        nextSequence += payload;
        if (ipv4)
        {
            lastIdentification = identification(buffer, offset);
        }
        final int flags = flags(buffer, offset + transport);
        if ((flags & TcpHeader.PSH) != 0)
        {
            run.putByte(HEADROOM + transport + TcpHeader.FLAGS_OFFSET, (byte)(flags(run, HEADROOM + transport) | TcpHeader.PSH));
        }
        if ((flags & TcpHeader.PSH) != 0 || payload < segmentPayload || segments == MAX_SEGMENTS ||
            length - NETWORK + segmentPayload > MAX_IP_LENGTH)
        {
            flush();
        }
    }

    /** Whether the segment continues the held run (same flow, next in sequence, same headers). */
    private boolean continuesRun(final DirectBuffer buffer, final int offset, final int payload)
    {
        if (payload > segmentPayload || transportOffset(buffer, offset) != transport ||
            headersLength != transport + headerLength(buffer, offset + transport) ||
            length - NETWORK + payload > MAX_IP_LENGTH)
        {
            return false;
        }
        if (!sameBytes(buffer, offset, 0, EthernetHeader.LENGTH))
        {
            return false;
        }
        if (ipv4)
        {
            // Version, IHL, TOS; flags (DF the same, not a fragment); TTL, protocol; addresses.
            if (!sameBytes(buffer, offset, NETWORK, 2) || !sameBytes(buffer, offset, NETWORK + Ipv4Header.FLAGS_FRAGMENT_OFFSET_OFFSET, 4) ||
                !sameBytes(buffer, offset, NETWORK + Ipv4Header.SOURCE_ADDRESS_OFFSET, 8))
            {
                return false;
            }
            final boolean dontFragment =
                (buffer.getShort(offset + NETWORK + Ipv4Header.FLAGS_FRAGMENT_OFFSET_OFFSET, ByteOrder.BIG_ENDIAN) & Ipv4Header.FLAG_DF) != 0;
            // Without DF the IDs must count up, as the host's GSO will make them again.
            if (!dontFragment && identification(buffer, offset) != ((lastIdentification + 1) & 0xFFFF))
            {
                return false;
            }
        }
        else if (!sameBytes(buffer, offset, NETWORK, 4) || !sameBytes(buffer, offset, NETWORK + Ipv6Header.NEXT_HEADER_OFFSET, 34))
        {
            return false; // version, traffic class, flow label; next header, hop limit, addresses
        }
        final int tcp = offset + transport;
        if (buffer.getInt(tcp + TcpHeader.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) != nextSequence)
        {
            return false;
        }
        // Ports; acknowledgment; data offset, flags but PSH, window; options (not the checksum, not
        // the urgent pointer, which URG, never set here, would give a meaning).
        return sameBytes(buffer, offset, transport, 4) && sameBytes(buffer, offset, transport + TcpHeader.ACK_OFFSET, 4) &&
            buffer.getByte(tcp + TcpHeader.DATA_OFFSET_OFFSET) == run.getByte(HEADROOM + transport + TcpHeader.DATA_OFFSET_OFFSET) &&
            ((flags(buffer, tcp) ^ flags(run, HEADROOM + transport)) & ~TcpHeader.PSH) == 0 &&
            sameBytes(buffer, offset, transport + TcpHeader.WINDOW_OFFSET, 2) &&
            sameBytes(buffer, offset, transport + TcpHeader.MIN_LENGTH, headersLength - transport - TcpHeader.MIN_LENGTH);
    }

    /**
     * The TCP payload length of a frame that may be coalesced, or 0: not IPv4 without options or
     * IPv6 with TCP next, a fragment, not ACK-only flags (PSH aside), no payload, or a checksum
     * that does not verify.
     */
    static int tcpPayload(final DirectBuffer buffer, final int offset, final int frameLength)
    {
        if (frameLength < EthernetHeader.LENGTH + Ipv4Header.LENGTH + TcpHeader.MIN_LENGTH)
        {
            return 0;
        }
        final int network = offset + EthernetHeader.LENGTH;
        final int etherType = etherType(buffer, offset);
        final int transportLength;
        final int transport;
        final int pseudoHeader;
        if (etherType == EthernetHeader.ETHER_TYPE_IPV4)
        {
            final int totalLength = buffer.getShort(network + Ipv4Header.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int fragment = buffer.getShort(network + Ipv4Header.FLAGS_FRAGMENT_OFFSET_OFFSET, ByteOrder.BIG_ENDIAN) &
                (Ipv4Header.FLAG_MF | Ipv4Header.FRAGMENT_OFFSET_MASK);
            if ((buffer.getByte(network) & 0xFF) != (Ipv4Header.VERSION << 4 | Ipv4Header.MIN_IHL) || fragment != 0 ||
                (buffer.getByte(network + Ipv4Header.PROTOCOL_OFFSET) & 0xFF) != IpProtocol.TCP ||
                totalLength > frameLength - EthernetHeader.LENGTH || totalLength < Ipv4Header.LENGTH + TcpHeader.MIN_LENGTH)
            {
                return 0;
            }
            transport = network + Ipv4Header.LENGTH;
            transportLength = totalLength - Ipv4Header.LENGTH;
            pseudoHeader = Checksum.ipv4PseudoHeaderSum(buffer, network, IpProtocol.TCP, transportLength);
        }
        else if (etherType == EthernetHeader.ETHER_TYPE_IPV6)
        {
            if (frameLength < EthernetHeader.LENGTH + Ipv6Header.LENGTH + TcpHeader.MIN_LENGTH ||
                (buffer.getByte(network) & 0xF0) != Ipv6Header.VERSION << 4 ||
                (buffer.getByte(network + Ipv6Header.NEXT_HEADER_OFFSET) & 0xFF) != IpProtocol.TCP)
            {
                return 0;
            }
            transportLength = buffer.getShort(network + Ipv6Header.PAYLOAD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (transportLength < TcpHeader.MIN_LENGTH || transportLength > frameLength - EthernetHeader.LENGTH - Ipv6Header.LENGTH)
            {
                return 0;
            }
            transport = network + Ipv6Header.LENGTH;
            pseudoHeader = Checksum.ipv6PseudoHeaderSum(buffer, network, IpProtocol.TCP, transportLength);
        }
        else
        {
            return 0;
        }
        final int tcpHeaderLength = headerLength(buffer, transport);
        final int payload = transportLength - tcpHeaderLength;
        final int flags = flags(buffer, transport);
        if (tcpHeaderLength < TcpHeader.MIN_LENGTH || payload <= 0 || (flags & TcpHeader.ACK) == 0 || (flags & NOT_MERGEABLE) != 0)
        {
            return 0;
        }
        // RFC 9293 §3.1: the checksum covers the pseudo-header, the header and the data; a correct
        // segment sums to all ones.
        if (Checksum.finish(Checksum.partialSum(buffer, transport, transportLength, pseudoHeader)) != 0)
        {
            return 0;
        }
        return payload;
    }

    private boolean sameBytes(final DirectBuffer buffer, final int offset, final int from, final int count)
    {
        int i = 0;
        for (; i + 4 <= count; i += 4)
        {
            if (buffer.getInt(offset + from + i) != run.getInt(HEADROOM + from + i))
            {
                return false;
            }
        }
        for (; i < count; i++)
        {
            if (buffer.getByte(offset + from + i) != run.getByte(HEADROOM + from + i))
            {
                return false;
            }
        }
        return true;
    }

    private static int etherType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + EthernetHeader.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** Offset of the TCP header from the frame's start, for a frame {@link #tcpPayload} accepted. */
    private static int transportOffset(final DirectBuffer buffer, final int offset)
    {
        return NETWORK + (etherType(buffer, offset) == EthernetHeader.ETHER_TYPE_IPV4 ? Ipv4Header.LENGTH : Ipv6Header.LENGTH);
    }

    /** The TCP header's length, options included, from its data offset. */
    private static int headerLength(final DirectBuffer buffer, final int tcp)
    {
        return ((buffer.getByte(tcp + TcpHeader.DATA_OFFSET_OFFSET) & 0xF0) >>> 4) * 4;
    }

    private static int flags(final DirectBuffer buffer, final int tcp)
    {
        return buffer.getByte(tcp + TcpHeader.FLAGS_OFFSET) & 0xFF;
    }

    private static int identification(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + NETWORK + Ipv4Header.IDENTIFICATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }
}
