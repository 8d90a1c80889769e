package io.vtep.encap;

import static io.vtep.encap.Ipv6Header.DESTINATION_ADDRESS_OFFSET;
import static io.vtep.encap.Ipv6Header.FLOW_LABEL_MASK;
import static io.vtep.encap.Ipv6Header.HOP_LIMIT_OFFSET;
import static io.vtep.encap.Ipv6Header.LENGTH;
import static io.vtep.encap.Ipv6Header.NEXT_HEADER_OFFSET;
import static io.vtep.encap.Ipv6Header.PAYLOAD_LENGTH_OFFSET;
import static io.vtep.encap.Ipv6Header.SOURCE_ADDRESS_OFFSET;
import static io.vtep.encap.Ipv6Header.VERSION;
import static io.vtep.encap.Ipv6Header.VERSION_CLASS_FLOW_OFFSET;

import org.agrona.DirectBuffer;

/**
 * A view over the fixed IPv6 header laid out by {@link Ipv6Header} (RFC 8200 §3). Each 128-bit
 * address is read and written as two {@code long}s, high half first.
 */
final class Ipv6HeaderView extends HeaderView<Ipv6HeaderView>
{
    /** The second half of an address starts 8 bytes after the first. */
    private static final int LOW_HALF = 8;

    Ipv6HeaderView()
    {
        super(LENGTH);
    }

    /**
     * Version 6 and a payload length that fits in the bytes received (trailing Ethernet
     * padding is allowed). A zero payload length with a Jumbo Payload option (RFC 2675) is
     * not supported: it is treated as an empty payload.
     *
     * @param buffer holding the packet.
     * @param offset of the IPv6 header.
     * @param length bytes available from {@code offset}.
     * @return true when the header is complete and its payload length is consistent.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < LENGTH)
        {
            return false;
        }

        final Ipv6HeaderView header = new Ipv6HeaderView().wrap(buffer, offset);
        return header.version() == VERSION && LENGTH + header.payloadLength() <= length;
    }

    public int version()
    {
        return uint8(VERSION_CLASS_FLOW_OFFSET) >>> 4;
    }

    /**
     * @return the traffic class: DSCP in the upper 6 bits, ECN in the lower 2 (RFC 8200 §7).
     */
    public int trafficClass()
    {
        return (int32(VERSION_CLASS_FLOW_OFFSET) >>> 20) & 0xFF;
    }

    public int flowLabel()
    {
        return int32(VERSION_CLASS_FLOW_OFFSET) & FLOW_LABEL_MASK;
    }

    /**
     * Writes the first 32-bit word, which is shared by three fields.
     *
     * @param version      6.
     * @param trafficClass 8 bits.
     * @param flowLabel    20 bits.
     * @return this for chaining.
     */
    public Ipv6HeaderView versionClassAndFlowLabel(final int version, final int trafficClass, final int flowLabel)
    {
        return int32(
            VERSION_CLASS_FLOW_OFFSET,
            (version << 28) | ((trafficClass & 0xFF) << 20) | (flowLabel & FLOW_LABEL_MASK));
    }

    public Ipv6HeaderView trafficClass(final int trafficClass)
    {
        final int word = int32(VERSION_CLASS_FLOW_OFFSET);
        return int32(VERSION_CLASS_FLOW_OFFSET, (word & ~(0xFF << 20)) | ((trafficClass & 0xFF) << 20));
    }

    public Ipv6HeaderView flowLabel(final int flowLabel)
    {
        final int word = int32(VERSION_CLASS_FLOW_OFFSET);
        return int32(VERSION_CLASS_FLOW_OFFSET, (word & ~FLOW_LABEL_MASK) | (flowLabel & FLOW_LABEL_MASK));
    }

    /**
     * @return length of everything after the fixed 40-byte header, extension headers included.
     */
    public int payloadLength()
    {
        return uint16(PAYLOAD_LENGTH_OFFSET);
    }

    public Ipv6HeaderView payloadLength(final int payloadLength)
    {
        return uint16(PAYLOAD_LENGTH_OFFSET, payloadLength);
    }

    /**
     * @return what follows the fixed header at {@link #payloadOffset()}: an extension header
     *         or the upper-layer protocol.
     */
    public int nextHeader()
    {
        return uint8(NEXT_HEADER_OFFSET);
    }

    public Ipv6HeaderView nextHeader(final int nextHeader)
    {
        return uint8(NEXT_HEADER_OFFSET, nextHeader);
    }

    public int hopLimit()
    {
        return uint8(HOP_LIMIT_OFFSET);
    }

    public Ipv6HeaderView hopLimit(final int hopLimit)
    {
        return uint8(HOP_LIMIT_OFFSET, hopLimit);
    }

    /**
     * @return the first 8 bytes of the source address.
     */
    public long sourceAddressHigh()
    {
        return int64(SOURCE_ADDRESS_OFFSET);
    }

    /**
     * @return the last 8 bytes of the source address.
     */
    public long sourceAddressLow()
    {
        return int64(SOURCE_ADDRESS_OFFSET + LOW_HALF);
    }

    public Ipv6HeaderView sourceAddress(final long high, final long low)
    {
        int64(SOURCE_ADDRESS_OFFSET, high);
        return int64(SOURCE_ADDRESS_OFFSET + LOW_HALF, low);
    }

    /**
     * @return the first 8 bytes of the destination address.
     */
    public long destinationAddressHigh()
    {
        return int64(DESTINATION_ADDRESS_OFFSET);
    }

    /**
     * @return the last 8 bytes of the destination address.
     */
    public long destinationAddressLow()
    {
        return int64(DESTINATION_ADDRESS_OFFSET + LOW_HALF);
    }

    public Ipv6HeaderView destinationAddress(final long high, final long low)
    {
        int64(DESTINATION_ADDRESS_OFFSET, high);
        return int64(DESTINATION_ADDRESS_OFFSET + LOW_HALF, low);
    }
}
