package io.vtep.encap;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Finishes a transport checksum that a host left to its NIC (checksum offload, Linux's
 * {@code CHECKSUM_PARTIAL}): the field already holds the pseudo-header's partial sum, and the
 * checksum is the complement of the sum from the checksum start to the end of the frame, written
 * at the checksum offset (what {@code skb_checksum_help} does when no device will).
 */
public final class ChecksumOffload
{
    private static final int UDP_CHECKSUM_OFFSET = 6;

    private ChecksumOffload()
    {
    }

    /**
     * @param checksumStart  where summing starts (the transport header), from the frame start
     * @param checksumOffset where the field is, from {@code checksumStart}
     * @return false when the two offsets do not fit in the frame (nothing is written)
     */
    public static boolean complete(final MutableDirectBuffer buffer, final int frameOffset, final int frameLength,
        final int checksumStart, final int checksumOffset)
    {
        if (checksumStart < EthernetHeader.LENGTH || checksumOffset < 0 || checksumStart + checksumOffset + 2 > frameLength)
        {
            return false;
        }
        final int field = frameOffset + checksumStart + checksumOffset;
        final int sum = Checksum.partialSum(buffer, frameOffset + checksumStart, frameLength - checksumStart, 0);
        buffer.putShort(field, (short)nonZero(Checksum.finish(sum)), ByteOrder.BIG_ENDIAN);
        return true;
    }

    /**
     * Finishes the TCP or UDP checksum of an untagged IPv4/IPv6 frame when it was left partial by a
     * sender's checksum offload, and leaves every other frame alone.
     *
     * <p>Why: on a veth underlay Linux hands packets from one namespace to the next without ever
     * finishing an offloaded checksum; a Linux VTEP peer that encapsulates a frame from a host with
     * offloads on sends the inner TCP/UDP checksum partial, and only skb metadata, which a UDP socket
     * never reports, says so. A physical NIC would have finished it on the way out. A partial
     * checksum field holds exactly the folded pseudo-header sum; a finished one equals that with a
     * probability of 2^-16, and even then is only recomputed when it does not verify. So the test
     * costs a pseudo-header sum per frame, and the full sum only for the frames that need it.
     *
     * @return true when the checksum was completed
     */
    public static boolean completeIfPartial(final MutableDirectBuffer buffer, final int frameOffset, final int frameLength)
    {
        if (frameLength < EthernetHeader.LENGTH + Ipv4Header.LENGTH)
        {
            return false;
        }
        final int etherType = buffer.getShort(frameOffset + EthernetHeader.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int network = frameOffset + EthernetHeader.LENGTH;
        final int protocol;
        final int transport;
        final int transportLength;
        final int pseudoHeader;
        if (etherType == EthernetHeader.ETHER_TYPE_IPV4)
        {
            final int versionIhl = buffer.getByte(network) & 0xFF;
            final int headerLength = (versionIhl & 0x0F) * 4;
            final int totalLength = buffer.getShort(network + Ipv4Header.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int fragment = buffer.getShort(network + Ipv4Header.FLAGS_FRAGMENT_OFFSET_OFFSET, ByteOrder.BIG_ENDIAN) &
                (Ipv4Header.FLAG_MF | Ipv4Header.FRAGMENT_OFFSET_MASK);
            if (versionIhl >>> 4 != Ipv4Header.VERSION || headerLength < Ipv4Header.LENGTH || fragment != 0 ||
                totalLength < headerLength || EthernetHeader.LENGTH + totalLength > frameLength)
            {
                return false;
            }
            protocol = buffer.getByte(network + Ipv4Header.PROTOCOL_OFFSET) & 0xFF;
            transport = network + headerLength;
            transportLength = totalLength - headerLength;
            if (!hasChecksumField(protocol, transportLength))
            {
                return false;
            }
            pseudoHeader = Checksum.ipv4PseudoHeaderSum(buffer, network, protocol, transportLength);
        }
        else if (etherType == EthernetHeader.ETHER_TYPE_IPV6)
        {
            if (frameLength < EthernetHeader.LENGTH + Ipv6Header.LENGTH)
            {
                return false;
            }
            protocol = buffer.getByte(network + Ipv6Header.NEXT_HEADER_OFFSET) & 0xFF;
            transport = network + Ipv6Header.LENGTH;
            transportLength = buffer.getShort(network + Ipv6Header.PAYLOAD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (EthernetHeader.LENGTH + Ipv6Header.LENGTH + transportLength > frameLength ||
                !hasChecksumField(protocol, transportLength))
            {
                return false;
            }
            pseudoHeader = Checksum.ipv6PseudoHeaderSum(buffer, network, protocol, transportLength);
        }
        else
        {
            return false;
        }
        final int field = transport + (protocol == IpProtocol.TCP ? TcpHeader.CHECKSUM_OFFSET : UDP_CHECKSUM_OFFSET);
        final int checksum = buffer.getShort(field, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (checksum != pseudoHeader ||
            Checksum.partialSum(buffer, transport, transportLength, pseudoHeader) == Checksum.VALID_SUM)
        {
            return false;
        }
        final int sum = Checksum.partialSum(buffer, transport, transportLength, 0);
        buffer.putShort(field, (short)nonZero(Checksum.finish(sum)), ByteOrder.BIG_ENDIAN);
        return true;
    }

    private static boolean hasChecksumField(final int protocol, final int transportLength)
    {
        return (protocol == IpProtocol.TCP && transportLength >= TcpHeader.CHECKSUM_OFFSET + 2) ||
            (protocol == IpProtocol.UDP && transportLength >= UDP_CHECKSUM_OFFSET + 2);
    }

    /**
     * A computed checksum of 0 is sent as 0xFFFF, its other one's complement form: for UDP a 0
     * means "no checksum" (RFC 768), and for TCP both forms verify alike.
     */
    static int nonZero(final int checksum)
    {
        return checksum == 0 ? 0xFFFF : checksum;
    }
}
