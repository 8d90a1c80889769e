package io.vtep.encap;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Does in software what a NIC does for a host that hands it a TCP or UDP "super-frame" with
 * segmentation offload (TSO/GSO, USO): cuts it into the wire-size frames the host would have
 * sent, each with its own IP length, IPv4 identification, TCP sequence number and flags, and a
 * finished transport checksum.
 *
 * <p>Why here: a host on a veth or tap keeps its offloads on by default and the kernel passes its
 * 64 KiB TCP segments to a packet socket whole, with only the pseudo-header summed into the
 * checksum field. Forwarded as they are, such frames are too long for the underlay and carry
 * unfinished checksums; no TCP connection would work across vtep.
 *
 * <h2>In place, no copy of the payload</h2>
 * Segment {@code i}'s payload already sits at {@code headers + i * segmentSize} in the
 * super-frame; {@link #segment} writes a copy of the headers (kept by {@link #wrap}) right in
 * front of it, over the tail of segment {@code i - 1}'s payload, which must have been forwarded
 * by then. So segments are taken in increasing order, each forwarded (encapsulated and sent, which
 * may write more headers further in front of it) before the next is asked for. Segment 0 writes
 * into the frame's own headers; the bytes in front of the frame (headroom) are the caller's.
 *
 * <h2>What each segment gets (as Linux's {@code tcp_gso_segment} / {@code __udp_gso_segment})</h2>
 * <ul>
 *   <li>IPv4: total length, identification + i (RFC 791 §3.1; RFC 6864 lets atomic datagrams
 *       carry any ID, Linux increments it), header checksum;</li>
 *   <li>IPv6: payload length (extension headers between the fixed header and TCP/UDP stay);</li>
 *   <li>TCP: sequence number + i × segmentSize; CWR only on the first segment (RFC 3168 §6.1.2),
 *       FIN and PSH only on the last; checksum over pseudo-header, header and payload (RFC 9293
 *       §3.1);</li>
 *   <li>UDP: length and checksum (RFC 768; a computed 0 is sent as 0xFFFF).</li>
 * </ul>
 *
 * <p>One instance per data-path thread; allocation-free after construction.
 */
public final class SegmentationOffload
{
    /** Longest header block (L2 with a tag, IP with options or extension headers, TCP with options) accepted. */
    public static final int MAX_HEADERS_LENGTH = 256;
    /**
     * Smallest segment size accepted: anything below is not what a host stack produces (TCP's
     * minimum MSS is 88 bytes for IPv4, RFC 9293 §3.7.1) and would multiply the work per byte.
     */
    public static final int MIN_SEGMENT_SIZE = 64;

    private static final int UDP_LENGTH_OFFSET = 4;
    private static final int UDP_CHECKSUM_OFFSET = 6;
    private static final int UDP_HEADER_LENGTH = 8;
    /** Hop-by-Hop and Destination Options headers come in 8-byte units (RFC 8200 §4.3, §4.6). */
    private static final int IPV6_EXTENSION_UNIT = 8;

    private final UnsafeBuffer headers = new UnsafeBuffer(new byte[MAX_HEADERS_LENGTH]);
    private MutableDirectBuffer buffer;
    private int frameOffset;
    private boolean ipv6;
    private boolean tcp;
    /** Offsets from the frame start. */
    private int networkOffset;
    private int transportOffset;
    private int headersLength;
    private int payloadLength;
    private int segmentSize;
    private int segments;
    private int firstSequence;
    private int firstIdentification;
    private int segmentLength;

    /**
     * Takes a super-frame and checks that its headers agree with the offload request.
     *
     * @param transportOffset where the TCP or UDP header starts, from the frame start (the
     *                        offload request's checksum start)
     * @param tcp             TCP segmentation (TSO), else UDP segmentation (USO)
     * @param segmentSize     payload bytes per segment (the MSS for TCP)
     * @return false when the frame is not an IPv4/IPv6 TCP or UDP frame laid out as described (the
     *     caller drops it), true when {@link #segments()} segments are ready to be taken
     */
    public boolean wrap(final MutableDirectBuffer buffer, final int frameOffset, final int frameLength,
        final int transportOffset, final boolean tcp, final int segmentSize)
    {
        this.segments = 0;
        if (segmentSize < MIN_SEGMENT_SIZE || frameLength < EthernetHeader.LENGTH)
        {
            return false;
        }
        int networkOffset = EthernetHeader.LENGTH;
        int etherType = buffer.getShort(frameOffset + EthernetHeader.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (VlanTag.isTagged(buffer, frameOffset))
        {
            if (frameLength < VlanTag.TAGGED_HEADER_LENGTH)
            {
                return false;
            }
            networkOffset = VlanTag.TAGGED_HEADER_LENGTH;
            etherType = buffer.getShort(frameOffset + VlanTag.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        final int protocol = tcp ? IpProtocol.TCP : IpProtocol.UDP;
        // Everything read below lies in front of the transport header's fixed part, and that in
        // the frame: no byte past the frame is read.
        if (transportOffset < networkOffset + Ipv4Header.LENGTH ||
            transportOffset + (tcp ? TcpHeader.MIN_LENGTH : UDP_HEADER_LENGTH) > frameLength)
        {
            return false;
        }
        if (etherType == EthernetHeader.ETHER_TYPE_IPV4)
        {
            if (!isIpv4(buffer, frameOffset + networkOffset, transportOffset - networkOffset, protocol))
            {
                return false;
            }
            ipv6 = false;
        }
        else if (etherType == EthernetHeader.ETHER_TYPE_IPV6)
        {
            if (!isIpv6(buffer, frameOffset + networkOffset, transportOffset - networkOffset, protocol))
            {
                return false;
            }
            ipv6 = true;
        }
        else
        {
            return false;
        }

        final int transportHeaderLength;
        if (tcp)
        {
            transportHeaderLength = ((buffer.getByte(frameOffset + transportOffset + TcpHeader.DATA_OFFSET_OFFSET) & 0xF0) >>> 4) * 4;
            if (transportHeaderLength < TcpHeader.MIN_LENGTH)
            {
                return false;
            }
        }
        else
        {
            transportHeaderLength = UDP_HEADER_LENGTH;
        }
        final int headersLength = transportOffset + transportHeaderLength;
        if (headersLength > MAX_HEADERS_LENGTH || headersLength >= frameLength)
        {
            return false;
        }

        this.buffer = buffer;
        this.frameOffset = frameOffset;
        this.tcp = tcp;
        this.networkOffset = networkOffset;
        this.transportOffset = transportOffset;
        this.headersLength = headersLength;
        this.payloadLength = frameLength - headersLength;
        this.segmentSize = segmentSize;
        this.segments = (payloadLength + segmentSize - 1) / segmentSize;
        this.firstSequence = tcp ? buffer.getInt(frameOffset + transportOffset + TcpHeader.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) : 0;
        this.firstIdentification = ipv6 ? 0 :
            buffer.getShort(frameOffset + networkOffset + Ipv4Header.IDENTIFICATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        headers.putBytes(0, buffer, frameOffset, headersLength);
        return true;
    }

    private static boolean isIpv4(final MutableDirectBuffer buffer, final int offset, final int headerRoom, final int protocol)
    {
        final int versionIhl = buffer.getByte(offset) & 0xFF;
        return versionIhl >>> 4 == Ipv4Header.VERSION &&
            (versionIhl & 0x0F) >= Ipv4Header.MIN_IHL &&
            (versionIhl & 0x0F) * 4 == headerRoom &&
            (buffer.getByte(offset + Ipv4Header.PROTOCOL_OFFSET) & 0xFF) == protocol;
    }

    /**
     * Extension headers may sit between the fixed header and the transport header (the checksum
     * start says where the latter begins): Hop-by-Hop and Destination Options ones are walked to
     * it, and the last next header must be the requested protocol. A Routing header is refused:
     * the pseudo-header would need its final destination (RFC 8200 §8.1).
     */
    private static boolean isIpv6(final MutableDirectBuffer buffer, final int offset, final int headerRoom, final int protocol)
    {
        if (headerRoom < Ipv6Header.LENGTH || (buffer.getByte(offset) & 0xF0) != Ipv6Header.VERSION << 4)
        {
            return false;
        }
        int next = buffer.getByte(offset + Ipv6Header.NEXT_HEADER_OFFSET) & 0xFF;
        int at = Ipv6Header.LENGTH;
        while (at < headerRoom)
        {
            if ((next != IpProtocol.HOP_BY_HOP && next != IpProtocol.DESTINATION_OPTIONS) ||
                at + IPV6_EXTENSION_UNIT > headerRoom)
            {
                return false;
            }
            next = buffer.getByte(offset + at) & 0xFF;
            at += ((buffer.getByte(offset + at + 1) & 0xFF) + 1) * IPV6_EXTENSION_UNIT;
        }
        return at == headerRoom && next == protocol;
    }

    /**
     * Takes a TCP frame longer than a link's MTU allows (a super-frame that arrived without an
     * offload request: a Linux peer's GSO packet carried whole over a veth underlay) to be cut into
     * segments that fit {@code mtu}: segment size = MTU − IP header − TCP header. IPv4, or IPv6 with
     * TCP right behind the fixed header.
     *
     * @return false when it is not such a TCP frame (see {@link #wrap})
     */
    public boolean wrapForMtu(final MutableDirectBuffer buffer, final int frameOffset, final int frameLength, final int mtu)
    {
        this.segments = 0;
        if (frameLength < VlanTag.TAGGED_HEADER_LENGTH + Ipv6Header.LENGTH)
        {
            return false;
        }
        final boolean tagged = VlanTag.isTagged(buffer, frameOffset);
        final int networkOffset = tagged ? VlanTag.TAGGED_HEADER_LENGTH : EthernetHeader.LENGTH;
        final int etherType = buffer.getShort(frameOffset + (tagged ? VlanTag.ETHER_TYPE_OFFSET : EthernetHeader.ETHER_TYPE_OFFSET),
            ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int transportOffset;
        if (etherType == EthernetHeader.ETHER_TYPE_IPV4)
        {
            transportOffset = networkOffset + (buffer.getByte(frameOffset + networkOffset) & 0x0F) * 4;
        }
        else if (etherType == EthernetHeader.ETHER_TYPE_IPV6)
        {
            transportOffset = networkOffset + Ipv6Header.LENGTH;
        }
        else
        {
            return false;
        }
        if (transportOffset + TcpHeader.MIN_LENGTH > frameLength)
        {
            return false;
        }
        final int tcpHeaderLength = ((buffer.getByte(frameOffset + transportOffset + TcpHeader.DATA_OFFSET_OFFSET) & 0xF0) >>> 4) * 4;
        final int segmentSize = mtu - (transportOffset - networkOffset) - tcpHeaderLength;
        return wrap(buffer, frameOffset, frameLength, transportOffset, true, segmentSize);
    }

    /** Number of segments of the wrapped super-frame (0 when {@link #wrap} refused it). */
    public int segments()
    {
        return segments;
    }

    /**
     * Writes segment {@code index}'s headers in front of its payload (see the class comment for the
     * order this must be called in).
     *
     * @return the segment's frame offset in the buffer; its length is {@link #segmentLength()}
     */
    public int segment(final int index)
    {
        final int first = index * segmentSize;
        final int payload = Math.min(segmentSize, payloadLength - first);
        final int offset = frameOffset + first;
        final MutableDirectBuffer buffer = this.buffer;
        buffer.putBytes(offset, headers, 0, headersLength);
        segmentLength = headersLength + payload;

        final int network = offset + networkOffset;
        final int transport = offset + transportOffset;
        final int transportLength = segmentLength - transportOffset;
        final int protocol;
        if (tcp)
        {
            protocol = IpProtocol.TCP;
            buffer.putInt(transport + TcpHeader.SEQUENCE_OFFSET, firstSequence + first, ByteOrder.BIG_ENDIAN);
            int flags = buffer.getByte(transport + TcpHeader.FLAGS_OFFSET) & 0xFF;
            if (index > 0)
            {
                flags &= ~TcpHeader.CWR;
            }
            if (index < segments - 1)
            {
                flags &= ~(TcpHeader.FIN | TcpHeader.PSH);
            }
            buffer.putByte(transport + TcpHeader.FLAGS_OFFSET, (byte)flags);
        }
        else
        {
            protocol = IpProtocol.UDP;
            buffer.putShort(transport + UDP_LENGTH_OFFSET, (short)transportLength, ByteOrder.BIG_ENDIAN);
        }

        final int pseudoHeader;
        if (ipv6)
        {
            buffer.putShort(network + Ipv6Header.PAYLOAD_LENGTH_OFFSET, (short)(segmentLength - networkOffset - Ipv6Header.LENGTH),
                ByteOrder.BIG_ENDIAN);
            pseudoHeader = Checksum.ipv6PseudoHeaderSum(buffer, network, protocol, transportLength);
        }
        else
        {
            final int ipv4HeaderLength = transportOffset - networkOffset;
            buffer.putShort(network + Ipv4Header.TOTAL_LENGTH_OFFSET, (short)(segmentLength - networkOffset), ByteOrder.BIG_ENDIAN);
            buffer.putShort(network + Ipv4Header.IDENTIFICATION_OFFSET, (short)(firstIdentification + index), ByteOrder.BIG_ENDIAN);
            buffer.putShort(network + Ipv4Header.HEADER_CHECKSUM_OFFSET, (short)0);
            buffer.putShort(network + Ipv4Header.HEADER_CHECKSUM_OFFSET,
                (short)Checksum.finish(Checksum.partialSum(buffer, network, ipv4HeaderLength, 0)), ByteOrder.BIG_ENDIAN);
            pseudoHeader = Checksum.ipv4PseudoHeaderSum(buffer, network, protocol, transportLength);
        }
        final int checksumField = transport + (tcp ? TcpHeader.CHECKSUM_OFFSET : UDP_CHECKSUM_OFFSET);
        buffer.putShort(checksumField, (short)0);
        buffer.putShort(checksumField, (short)ChecksumOffload.nonZero(
            Checksum.finish(Checksum.partialSum(buffer, transport, transportLength, pseudoHeader))), ByteOrder.BIG_ENDIAN);
        return offset;
    }

    /** Length of the segment the last {@link #segment} call wrote. */
    public int segmentLength()
    {
        return segmentLength;
    }
}
