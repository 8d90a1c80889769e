package io.vtep.encap;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Writes the outer IP, UDP and VXLAN headers in front of an inner Ethernet frame, in place,
 * for one local VTEP address (RFC 7348 §5). The caller leaves {@link #headerLength()} bytes of
 * headroom before the frame; nothing is copied and nothing is allocated. The result is the
 * outer IP packet, ready for a raw IP socket or to be framed for an underlay link; for a UDP
 * socket send only the VXLAN header and frame, from {@code frameOffset - 8}.
 *
 * <pre>
 *   outerOffset                                         frameOffset
 *   |  IPv4 20 / IPv6 40  | UDP 8 | VXLAN 8 |  inner Ethernet frame ...      |
 *   |&lt;------------ headerLength() ---------&gt;|&lt;------- frameLength --------&gt;|
 * </pre>
 *
 * <p>Outer IPv4 (RFC 791): version 4, IHL 5, DSCP/ECN 0, identification 0, DF set, TTL as
 * configured, protocol 17, header checksum computed. DF is set because RFC 7348 §4.3 says
 * VTEPs MUST NOT fragment VXLAN packets; with DF set the datagram is atomic, so its
 * identification may be any value (RFC 6864 §4.1) and a constant 0 is fine. The UDP checksum is
 * 0 over IPv4 (RFC 7348 §5: "SHOULD be transmitted as zero"), which also saves summing the
 * whole frame.
 *
 * <p>Outer IPv6 (RFC 8200): traffic class 0, flow label 0, next header 17, hop limit as
 * configured, and the UDP checksum is computed over the pseudo-header and the whole payload
 * (RFC 8200 §8.1). RFC 6935/6936 would allow a zero checksum for tunnels, but Linux drops
 * such packets unless the receiving VXLAN device has {@code udp6zerocsumrx}.
 *
 * <p>A multicast destination gets TTL / hop limit 1, as Linux's {@code vxlan_xmit_one} does
 * when no TTL is configured, so flooding to a group stays on the local underlay segment.
 *
 * <p>One instance per local address and port; it holds only configuration, so one instance
 * may be shared by all pipeline threads.
 */
public final class VxlanEncapsulator
{
    /** The frame would make the outer UDP or IP length overflow its 16-bit field. */
    public static final int TOO_LONG = -1;
    /** The remote VTEP's address family differs from the local address's. */
    public static final int ADDRESS_FAMILY_MISMATCH = -2;
    /** Fewer than {@link #headerLength()} bytes before the frame. */
    public static final int NO_HEADROOM = -3;

    /** Bytes an IPv4 underlay adds in front of the inner frame (outer IPv4 20 + UDP 8 + VXLAN 8): an overhead, not one header. */
    public static final int IPV4_OVERHEAD = Ipv4Header.LENGTH + UdpHeader.LENGTH + VxlanHeader.LENGTH;
    /** Bytes an IPv6 underlay adds in front of the inner frame (outer IPv6 40 + UDP 8 + VXLAN 8). */
    public static final int IPV6_OVERHEAD = Ipv6Header.LENGTH + UdpHeader.LENGTH + VxlanHeader.LENGTH;

    /** TTL written towards a multicast group. */
    public static final int MULTICAST_TTL = 1;

    private static final int MAX_16_BIT = 0xFFFF;
    /** Version 4, IHL 5, TOS 0 in the top half of the first word. */
    private static final int IPV4_FIRST_WORD = 0x4500_0000;
    /** Version 6, traffic class 0, flow label 0. */
    private static final int IPV6_FIRST_WORD = 0x6000_0000;

    private final VtepAddress local;
    private final int udpDestinationPort;
    private final int ttl;
    private final int ipHeaderLength;
    private final int headerLength;
    private final int maxFrameLength;
    private final int localAddressSum;

    /**
     * @param local              the underlay source address; its family is the outer IP version.
     * @param udpDestinationPort usually {@link UdpHeader#VXLAN_PORT}, 1..65535.
     * @param ttl                TTL or hop limit towards unicast VTEPs, 1..255 (64 matches Linux).
     * @throws IllegalArgumentException if the port or TTL is out of range.
     */
    public VxlanEncapsulator(final VtepAddress local, final int udpDestinationPort, final int ttl)
    {
        if (udpDestinationPort < 1 || udpDestinationPort > 65535)
        {
            throw new IllegalArgumentException("UDP destination port must be 1..65535: " + udpDestinationPort);
        }
        if (ttl < 1 || ttl > 255)
        {
            throw new IllegalArgumentException("TTL must be 1..255: " + ttl);
        }

        this.local = local;
        this.udpDestinationPort = udpDestinationPort;
        this.ttl = ttl;
        this.ipHeaderLength = local.isIpv6() ? Ipv6Header.LENGTH : Ipv4Header.LENGTH;
        this.headerLength = local.isIpv6() ? IPV6_OVERHEAD : IPV4_OVERHEAD;
        // IPv4 total length counts the whole packet; IPv6 payload length and UDP length count
        // from the UDP header. Both must fit 16 bits.
        this.maxFrameLength = local.isIpv6() ?
            MAX_16_BIT - UdpHeader.LENGTH - VxlanHeader.LENGTH : MAX_16_BIT - IPV4_OVERHEAD;
        this.localAddressSum = local.isIpv6() ?
            Checksum.sum(local.ipv6High(), local.ipv6Low()) : Checksum.sum(local.ipv4());
    }

    public VtepAddress local()
    {
        return local;
    }

    public int udpDestinationPort()
    {
        return udpDestinationPort;
    }

    public int ttl()
    {
        return ttl;
    }

    /**
     * The outer overhead, counted against the underlay MTU: a frame of {@code n} bytes
     * becomes an IP packet of {@code n + headerLength()} bytes.
     *
     * @return 36 for an IPv4 local address, 56 for IPv6.
     */
    public int headerLength()
    {
        return headerLength;
    }

    /**
     * @return 20 or 40: the outer IP header alone.
     */
    public int ipHeaderLength()
    {
        return ipHeaderLength;
    }

    /**
     * @return the longest inner frame whose outer lengths fit their 16-bit fields.
     */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /**
     * Encapsulates the frame at {@code frameOffset} in place.
     *
     * @param buffer      holding the frame with {@link #headerLength()} bytes of headroom.
     * @param frameOffset of the inner Ethernet frame.
     * @param frameLength of the inner Ethernet frame (no FCS).
     * @param vni         VXLAN network identifier, 24 bits.
     * @param remote      destination VTEP or multicast group, same family as the local address.
     * @param sourcePort  outer UDP source port, normally
     *                    {@code range.sourcePort(FlowHash.hash(...))}.
     * @return offset of the outer IP header ({@code frameOffset - headerLength()}), the packet
     *         being {@code frameLength + headerLength()} bytes; or {@link #TOO_LONG},
     *         {@link #ADDRESS_FAMILY_MISMATCH} or {@link #NO_HEADROOM}, with the buffer untouched.
     */
    public int encapsulate(
        final MutableDirectBuffer buffer,
        final int frameOffset,
        final int frameLength,
        final int vni,
        final VtepAddress remote,
        final int sourcePort)
    {
        if (remote.isIpv6() != local.isIpv6())
        {
            return ADDRESS_FAMILY_MISMATCH;
        }
        if (frameLength < 0 || frameLength > maxFrameLength)
        {
            return TOO_LONG;
        }
        if (frameOffset < headerLength)
        {
            return NO_HEADROOM;
        }

        final int outerOffset = frameOffset - headerLength;
        final int udpOffset = outerOffset + ipHeaderLength;
        final int udpLength = UdpHeader.LENGTH + VxlanHeader.LENGTH + frameLength;
        final int hopLimit = remote.isMulticast() ? MULTICAST_TTL : ttl;

        // VXLAN (RFC 7348 §5): I flag only, reserved fields zero.
        buffer.putInt(frameOffset - VxlanHeader.LENGTH, VxlanHeader.FLAG_I << 24, ByteOrder.BIG_ENDIAN);
        buffer.putInt(frameOffset - VxlanHeader.LENGTH + VxlanHeader.VNI_OFFSET,
            (vni & VxlanHeader.VNI_MASK) << 8, ByteOrder.BIG_ENDIAN);

        // UDP (RFC 768), checksum zero for now.
        buffer.putInt(udpOffset, (sourcePort << 16) | udpDestinationPort, ByteOrder.BIG_ENDIAN);
        buffer.putInt(udpOffset + UdpHeader.LENGTH_OFFSET, udpLength << 16, ByteOrder.BIG_ENDIAN);

        if (local.isIpv6())
        {
            buffer.putInt(outerOffset, IPV6_FIRST_WORD, ByteOrder.BIG_ENDIAN);
            buffer.putInt(outerOffset + Ipv6Header.PAYLOAD_LENGTH_OFFSET,
                (udpLength << 16) | (IpProtocol.UDP << 8) | hopLimit, ByteOrder.BIG_ENDIAN);
            local.put(buffer, outerOffset + Ipv6Header.SOURCE_ADDRESS_OFFSET);
            remote.put(buffer, outerOffset + Ipv6Header.DESTINATION_ADDRESS_OFFSET);

            // RFC 8200 §8.1: pseudo-header (addresses, upper-layer length, next header) plus
            // the UDP header and everything after it.
            final int pseudoHeaderSum = Checksum.add(
                Checksum.add(localAddressSum, Checksum.sum(remote.ipv6High(), remote.ipv6Low())),
                udpLength + IpProtocol.UDP);
            final int checksum = Checksum.finish(Checksum.partialSum(buffer, udpOffset, udpLength, pseudoHeaderSum));
            buffer.putShort(udpOffset + UdpHeader.CHECKSUM_OFFSET, (short)udpChecksum(checksum), ByteOrder.BIG_ENDIAN);
        }
        else
        {
            buffer.putInt(outerOffset, IPV4_FIRST_WORD | (headerLength + frameLength), ByteOrder.BIG_ENDIAN);
            buffer.putInt(outerOffset + Ipv4Header.IDENTIFICATION_OFFSET, Ipv4Header.FLAG_DF, ByteOrder.BIG_ENDIAN);
            buffer.putInt(outerOffset + Ipv4Header.TTL_OFFSET,
                (hopLimit << 24) | (IpProtocol.UDP << 16), ByteOrder.BIG_ENDIAN);
            buffer.putInt(outerOffset + Ipv4Header.SOURCE_ADDRESS_OFFSET, local.ipv4(), ByteOrder.BIG_ENDIAN);
            buffer.putInt(outerOffset + Ipv4Header.DESTINATION_ADDRESS_OFFSET, remote.ipv4(), ByteOrder.BIG_ENDIAN);
            writeIpv4HeaderChecksum(buffer, outerOffset);
        }

        return outerOffset;
    }

    /**
     * Points an already encapsulated packet at another VTEP, for head-end replication (one
     * encapsulation, then a retarget and send per flood-list entry). Rewrites the destination
     * address and the TTL / hop limit (1 towards a multicast group, the configured TTL
     * otherwise), then the IPv4 header checksum, or, over IPv6, the UDP checksum by incremental
     * update (RFC 1624), which costs the same for any frame size. The packet length does not
     * enter that update; it is taken so the call reads like {@link #encapsulate} and is checked
     * to hold the headers.
     *
     * @param buffer       holding the packet written by {@link #encapsulate}.
     * @param outerOffset  offset returned by {@link #encapsulate}.
     * @param packetLength {@code frameLength + headerLength()}.
     * @param remote       the next destination, same family as the local address.
     * @throws IllegalArgumentException if the remote's family differs from the local address's
     *                                  or the packet is shorter than the headers: both are
     *                                  programming errors (flood lists are validated per family
     *                                  when configured), never a property of received data.
     */
    public void retarget(
        final MutableDirectBuffer buffer, final int outerOffset, final int packetLength, final VtepAddress remote)
    {
        if (remote.isIpv6() != local.isIpv6() || packetLength < headerLength)
        {
            throw new IllegalArgumentException(
                "cannot retarget a " + packetLength + "-byte packet from " + local + " to " + remote);
        }

        final int hopLimit = remote.isMulticast() ? MULTICAST_TTL : ttl;
        if (local.isIpv6())
        {
            final int udpChecksumOffset = outerOffset + Ipv6Header.LENGTH + UdpHeader.CHECKSUM_OFFSET;
            final int destinationOffset = outerOffset + Ipv6Header.DESTINATION_ADDRESS_OFFSET;
            final int oldSum = Checksum.sum(
                buffer.getLong(destinationOffset, ByteOrder.BIG_ENDIAN),
                buffer.getLong(destinationOffset + 8, ByteOrder.BIG_ENDIAN));
            final int newSum = Checksum.sum(remote.ipv6High(), remote.ipv6Low());
            final int oldChecksum = buffer.getShort(udpChecksumOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;

            remote.put(buffer, destinationOffset);
            buffer.putByte(outerOffset + Ipv6Header.HOP_LIMIT_OFFSET, (byte)hopLimit);
            // The hop limit is not in the pseudo-header, so only the address enters the update.
            buffer.putShort(udpChecksumOffset,
                (short)udpChecksum(Checksum.update(oldChecksum, oldSum, newSum)), ByteOrder.BIG_ENDIAN);
        }
        else
        {
            buffer.putByte(outerOffset + Ipv4Header.TTL_OFFSET, (byte)hopLimit);
            buffer.putInt(outerOffset + Ipv4Header.DESTINATION_ADDRESS_OFFSET, remote.ipv4(), ByteOrder.BIG_ENDIAN);
            // 20 bytes: recomputing is as cheap as an incremental update and cannot drift.
            writeIpv4HeaderChecksum(buffer, outerOffset);
        }
    }

    private static void writeIpv4HeaderChecksum(final MutableDirectBuffer buffer, final int outerOffset)
    {
        buffer.putShort(outerOffset + Ipv4Header.HEADER_CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        final int checksum = Checksum.finish(Checksum.partialSum(buffer, outerOffset, Ipv4Header.LENGTH, 0));
        buffer.putShort(outerOffset + Ipv4Header.HEADER_CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
    }

    /**
     * A computed UDP checksum of zero is sent as all ones, since zero on the wire means "no
     * checksum" (RFC 768; RFC 8200 §8.1 keeps the rule for IPv6).
     */
    private static int udpChecksum(final int checksum)
    {
        return checksum == 0 ? 0xFFFF : checksum;
    }
}
