package io.vtep.core.pipeline;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

import io.vtep.encap.Checksum;
import io.vtep.encap.EthernetHeader;
import io.vtep.encap.Ipv6Header;
import io.vtep.encap.MacAddress;

/**
 * ARP/ND suppression on the access side (RFC 7432 §10, RFC 9161 §3.2): recognises an ARP request
 * (RFC 826) or an IPv6 Neighbor Solicitation (RFC 4861 §4.3) from a local host, looks its target up
 * in the VNI's {@link NeighborTable}, and when the target is bound turns the request, in place in
 * the frame buffer, into the answer the target would have sent: an ARP reply, or a solicited
 * Neighbor Advertisement (RFC 4861 §7.2.4). Allocation-free; stateless, so one instance serves any
 * thread.
 *
 * <p>Not answered, so flooded as before: gratuitous ARP (sender IP = target IP) and ARP probes
 * (sender IP 0.0.0.0, RFC 5227 §2.1.1), which announce or check an address and must reach every
 * host; a duplicate address detection NS (unspecified source, RFC 4862 §5.4.2); an NS without a
 * source link-layer address option (the NA would not fit in the frame); a request whose target is
 * bound to the requester's own MAC (its own address: let the others hear it).
 */
final class NeighborProxy
{
    /** {@link #answer}: the frame is no ARP request or neighbour solicitation that suppression answers. */
    static final int NOT_A_REQUEST = -1;
    /** {@link #answer}: a request whose target has no binding; flood it. */
    static final int UNKNOWN_TARGET = 0;

    static final int ARP_LENGTH = 28;
    private static final int ARP_HTYPE_ETHERNET = 1;
    private static final int ARP_PTYPE_IPV4 = 0x0800;
    private static final int ARP_OPERATION_OFFSET = 6;
    private static final int ARP_REQUEST = 1;
    private static final int ARP_REPLY = 2;
    private static final int ARP_SHA_OFFSET = 8;
    private static final int ARP_SPA_OFFSET = 14;
    private static final int ARP_THA_OFFSET = 18;
    private static final int ARP_TPA_OFFSET = 24;

    private static final int NEXT_HEADER_ICMPV6 = 58;
    private static final int ND_HOP_LIMIT = 255;
    private static final int ICMPV6_NEIGHBOR_SOLICITATION = 135;
    private static final int ICMPV6_NEIGHBOR_ADVERTISEMENT = 136;
    private static final int ICMPV6_CHECKSUM_OFFSET = 2;
    private static final int ND_FLAGS_OFFSET = 4;
    private static final int ND_TARGET_OFFSET = 8;
    private static final int ND_OPTIONS_OFFSET = 24;
    private static final int OPTION_SOURCE_LINK_LAYER_ADDRESS = 1;
    private static final int OPTION_TARGET_LINK_LAYER_ADDRESS = 2;
    /** NA flags, RFC 4861 §4.4: Router, Solicited, Override (the high bits of the first reserved byte). */
    private static final int NA_ROUTER = 0x80;
    private static final int NA_SOLICITED = 0x40;
    private static final int NA_OVERRIDE = 0x20;
    /** A Neighbor Advertisement with a target link-layer address option: 24 + 8 bytes of ICMPv6. */
    static final int NA_ICMP_LENGTH = ND_OPTIONS_OFFSET + 8;
    /** The whole NA frame: Ethernet, IPv6, ICMPv6. */
    static final int NA_FRAME_LENGTH = EthernetHeader.LENGTH + Ipv6Header.LENGTH + NA_ICMP_LENGTH;

    /**
     * Answers the frame in place when it is a request for a bound target.
     *
     * @param offset of an untagged frame (any 802.1Q tag already stripped)
     * @return the length of the answer now in the buffer at {@code offset} (send it back where the
     *     request came from), {@link #UNKNOWN_TARGET}, or {@link #NOT_A_REQUEST}
     */
    int answer(final MutableDirectBuffer buffer, final int offset, final int length, final NeighborTable table)
    {
        if (length < EthernetHeader.LENGTH)
        {
            return NOT_A_REQUEST;
        }
        final int etherType = buffer.getShort(offset + EthernetHeader.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (etherType == EthernetHeader.ETHER_TYPE_ARP)
        {
            return arp(buffer, offset, length, table);
        }
        if (etherType == EthernetHeader.ETHER_TYPE_IPV6)
        {
            return neighborSolicitation(buffer, offset, length, table);
        }
        return NOT_A_REQUEST;
    }

    private static int arp(final MutableDirectBuffer buffer, final int offset, final int length, final NeighborTable table)
    {
        final int arp = offset + EthernetHeader.LENGTH;
        if (length - EthernetHeader.LENGTH < ARP_LENGTH ||
            (buffer.getShort(arp, ByteOrder.BIG_ENDIAN) & 0xFFFF) != ARP_HTYPE_ETHERNET ||
            (buffer.getShort(arp + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF) != ARP_PTYPE_IPV4 ||
            buffer.getByte(arp + 4) != MacAddress.LENGTH || buffer.getByte(arp + 5) != 4 ||
            (buffer.getShort(arp + ARP_OPERATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF) != ARP_REQUEST)
        {
            return NOT_A_REQUEST;
        }
        final int senderIp = buffer.getInt(arp + ARP_SPA_OFFSET, ByteOrder.BIG_ENDIAN);
        final int targetIp = buffer.getInt(arp + ARP_TPA_OFFSET, ByteOrder.BIG_ENDIAN);
        if (senderIp == 0 || senderIp == targetIp)
        {
            return NOT_A_REQUEST; // a probe (RFC 5227 §2.1.1) or a gratuitous ARP: every host must hear it
        }
        final long binding = table.lookup(0L, NeighborTable.ipv4Low(targetIp));
        final long senderMac = MacAddress.get(buffer, arp + ARP_SHA_OFFSET);
        if (binding == NeighborTable.NONE || NeighborTable.mac(binding) == senderMac)
        {
            return UNKNOWN_TARGET;
        }
        arpReply(buffer, offset, NeighborTable.mac(binding));
        return length;
    }

    /**
     * Turns the ARP request at {@code offset} into the reply of the target (RFC 826: swap sender and
     * target, fill in the sender hardware address, opcode reply), addressed to the requester.
     */
    static void arpReply(final MutableDirectBuffer buffer, final int offset, final long targetMac)
    {
        final int arp = offset + EthernetHeader.LENGTH;
        final long requesterMac = MacAddress.get(buffer, arp + ARP_SHA_OFFSET);
        final int requesterIp = buffer.getInt(arp + ARP_SPA_OFFSET, ByteOrder.BIG_ENDIAN);
        final int targetIp = buffer.getInt(arp + ARP_TPA_OFFSET, ByteOrder.BIG_ENDIAN);
        MacAddress.put(buffer, offset + EthernetHeader.DESTINATION_OFFSET, requesterMac);
        MacAddress.put(buffer, offset + EthernetHeader.SOURCE_OFFSET, targetMac);
        buffer.putShort(arp + ARP_OPERATION_OFFSET, (short)ARP_REPLY, ByteOrder.BIG_ENDIAN);
        MacAddress.put(buffer, arp + ARP_SHA_OFFSET, targetMac);
        buffer.putInt(arp + ARP_SPA_OFFSET, targetIp, ByteOrder.BIG_ENDIAN);
        MacAddress.put(buffer, arp + ARP_THA_OFFSET, requesterMac);
        buffer.putInt(arp + ARP_TPA_OFFSET, requesterIp, ByteOrder.BIG_ENDIAN);
    }

    private static int neighborSolicitation(final MutableDirectBuffer buffer, final int offset, final int length,
        final NeighborTable table)
    {
        final int ip = offset + EthernetHeader.LENGTH;
        final int icmp = ip + Ipv6Header.LENGTH;
        if (length < NA_FRAME_LENGTH ||
            (buffer.getByte(ip) & 0xF0) != 0x60 ||
            (buffer.getByte(ip + Ipv6Header.NEXT_HEADER_OFFSET) & 0xFF) != NEXT_HEADER_ICMPV6 ||
            (buffer.getByte(icmp) & 0xFF) != ICMPV6_NEIGHBOR_SOLICITATION)
        {
            return NOT_A_REQUEST;
        }
        // RFC 4861 §7.1.1: hop limit 255 (not routed) and code 0, or the NS is not valid.
        if ((buffer.getByte(ip + Ipv6Header.HOP_LIMIT_OFFSET) & 0xFF) != ND_HOP_LIMIT || buffer.getByte(icmp + 1) != 0)
        {
            return NOT_A_REQUEST;
        }
        final long sourceHigh = buffer.getLong(ip + Ipv6Header.SOURCE_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
        final long sourceLow = buffer.getLong(ip + Ipv6Header.SOURCE_ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);
        final long targetHigh = buffer.getLong(icmp + ND_TARGET_OFFSET, ByteOrder.BIG_ENDIAN);
        final long targetLow = buffer.getLong(icmp + ND_TARGET_OFFSET + 8, ByteOrder.BIG_ENDIAN);
        if ((sourceHigh == 0 && sourceLow == 0) || (targetHigh >>> 56) == 0xFF)
        {
            return NOT_A_REQUEST; // duplicate address detection (RFC 4862 §5.4.2), or an invalid multicast target
        }
        final int icmpLength = Math.min(buffer.getShort(ip + Ipv6Header.PAYLOAD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF,
            length - EthernetHeader.LENGTH - Ipv6Header.LENGTH);
        if (!hasSourceLinkLayerAddress(buffer, icmp, icmpLength))
        {
            return NOT_A_REQUEST;
        }
        final long binding = table.lookup(targetHigh, targetLow);
        final long requesterMac = MacAddress.get(buffer, offset + EthernetHeader.SOURCE_OFFSET);
        if (binding == NeighborTable.NONE || NeighborTable.mac(binding) == requesterMac)
        {
            return UNKNOWN_TARGET;
        }
        neighborAdvertisement(buffer, offset, NeighborTable.mac(binding), NeighborTable.flags(binding));
        return NA_FRAME_LENGTH;
    }

    /** RFC 4861 §4.6: walks the options (type, length in units of 8 bytes); a zero length makes the NS invalid. */
    private static boolean hasSourceLinkLayerAddress(final MutableDirectBuffer buffer, final int icmp, final int icmpLength)
    {
        int option = ND_OPTIONS_OFFSET;
        while (option + 2 <= icmpLength)
        {
            final int optionLength = (buffer.getByte(icmp + option + 1) & 0xFF) * 8;
            if (optionLength == 0 || option + optionLength > icmpLength)
            {
                return false;
            }
            if ((buffer.getByte(icmp + option) & 0xFF) == OPTION_SOURCE_LINK_LAYER_ADDRESS)
            {
                return true;
            }
            option += optionLength;
        }
        return false;
    }

    /**
     * Turns the Neighbor Solicitation at {@code offset} (at least {@link #NA_FRAME_LENGTH} bytes) into
     * the solicited Neighbor Advertisement of its target (RFC 4861 §7.2.4): from the target address
     * to the solicitation's source, Solicited set, Router and Override as the binding says (RFC 9161
     * §3.2), with the target link-layer address option. The frame becomes {@link #NA_FRAME_LENGTH}
     * bytes long.
     *
     * @param flags {@link NeighborTable#ROUTER} and {@link NeighborTable#OVERRIDE}
     */
    static void neighborAdvertisement(final MutableDirectBuffer buffer, final int offset, final long targetMac,
        final int flags)
    {
        final int ip = offset + EthernetHeader.LENGTH;
        final int icmp = ip + Ipv6Header.LENGTH;
        final long requesterMac = MacAddress.get(buffer, offset + EthernetHeader.SOURCE_OFFSET);
        final long requesterHigh = buffer.getLong(ip + Ipv6Header.SOURCE_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
        final long requesterLow = buffer.getLong(ip + Ipv6Header.SOURCE_ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);
        final long targetHigh = buffer.getLong(icmp + ND_TARGET_OFFSET, ByteOrder.BIG_ENDIAN);
        final long targetLow = buffer.getLong(icmp + ND_TARGET_OFFSET + 8, ByteOrder.BIG_ENDIAN);

        MacAddress.put(buffer, offset + EthernetHeader.DESTINATION_OFFSET, requesterMac);
        MacAddress.put(buffer, offset + EthernetHeader.SOURCE_OFFSET, targetMac);

        buffer.putInt(ip, 0x6000_0000, ByteOrder.BIG_ENDIAN); // version 6, traffic class 0, no flow label
        buffer.putShort(ip + Ipv6Header.PAYLOAD_LENGTH_OFFSET, (short)NA_ICMP_LENGTH, ByteOrder.BIG_ENDIAN);
        buffer.putByte(ip + Ipv6Header.NEXT_HEADER_OFFSET, (byte)NEXT_HEADER_ICMPV6);
        buffer.putByte(ip + Ipv6Header.HOP_LIMIT_OFFSET, (byte)ND_HOP_LIMIT);
        buffer.putLong(ip + Ipv6Header.SOURCE_ADDRESS_OFFSET, targetHigh, ByteOrder.BIG_ENDIAN);
        buffer.putLong(ip + Ipv6Header.SOURCE_ADDRESS_OFFSET + 8, targetLow, ByteOrder.BIG_ENDIAN);
        buffer.putLong(ip + Ipv6Header.DESTINATION_ADDRESS_OFFSET, requesterHigh, ByteOrder.BIG_ENDIAN);
        buffer.putLong(ip + Ipv6Header.DESTINATION_ADDRESS_OFFSET + 8, requesterLow, ByteOrder.BIG_ENDIAN);

        buffer.putByte(icmp, (byte)ICMPV6_NEIGHBOR_ADVERTISEMENT);
        buffer.putByte(icmp + 1, (byte)0);
        buffer.putShort(icmp + ICMPV6_CHECKSUM_OFFSET, (short)0);
        final int naFlags = NA_SOLICITED | ((flags & NeighborTable.ROUTER) != 0 ? NA_ROUTER : 0) |
            ((flags & NeighborTable.OVERRIDE) != 0 ? NA_OVERRIDE : 0);
        buffer.putInt(icmp + ND_FLAGS_OFFSET, naFlags << 24, ByteOrder.BIG_ENDIAN);
        // the target address stays where the solicitation had it
        buffer.putByte(icmp + ND_OPTIONS_OFFSET, (byte)OPTION_TARGET_LINK_LAYER_ADDRESS);
        buffer.putByte(icmp + ND_OPTIONS_OFFSET + 1, (byte)1);
        MacAddress.put(buffer, icmp + ND_OPTIONS_OFFSET + 2, targetMac);

        // RFC 4443 §2.3: over the IPv6 pseudo-header (RFC 8200 §8.1) and the whole message.
        final int pseudo = Checksum.ipv6PseudoHeaderSum(buffer, ip, NEXT_HEADER_ICMPV6, NA_ICMP_LENGTH);
        final int checksum = Checksum.finish(Checksum.partialSum(buffer, icmp, NA_ICMP_LENGTH, pseudo));
        buffer.putShort(icmp + ICMPV6_CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
    }
}
