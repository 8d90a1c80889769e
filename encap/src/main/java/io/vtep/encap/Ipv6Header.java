package io.vtep.encap;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over the fixed IPv6 header (RFC 8200 §3). Each 128-bit address is read and
 * written as two {@code long}s, high half first, so no {@code byte[]} is needed per packet.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version| Traffic Class |           Flow Label                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Payload Length        |  Next Header  |   Hop Limit   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                                                               |
 *   +                                                               +
 *   |                                                               |
 *   +                         Source Address                        +
 *   |                                                               |
 *   +                                                               +
 *   |                                                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                                                               |
 *   +                                                               +
 *   |                                                               |
 *   +                      Destination Address                      +
 *   |                                                               |
 *   +                                                               +
 *   |                                                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Setters need the wrapped buffer to be a {@link MutableDirectBuffer}; wrapping a read-only
 * {@link DirectBuffer} gives a read-only view.
 *
 * <p>The data path uses only the offset constants; the instance view is for tests and
 * diagnostics (package documentation).
 */
public final class Ipv6Header
{
    public static final int LENGTH = 40;
    /** Version, traffic class and flow label share the first 32-bit word. */
    public static final int VERSION_CLASS_FLOW_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SOURCE_ADDRESS_OFFSET = 8;
    public static final int DESTINATION_ADDRESS_OFFSET = 24;
    public static final int ADDRESS_LENGTH = 16;

    public static final int VERSION = 6;
    public static final int FLOW_LABEL_MASK = 0xF_FFFF;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    /**
     * Points this flyweight at a header.
     *
     * @param buffer holding the packet; writable if it is a {@link MutableDirectBuffer}.
     * @param offset of the first byte of the IPv6 header.
     * @return this for chaining.
     */
    public Ipv6Header wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer instanceof MutableDirectBuffer mutable ? mutable : null;
        this.offset = offset;
        return this;
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

        final int version = (buffer.getByte(offset) & 0xFF) >>> 4;
        final int payloadLength = buffer.getShort(offset + PAYLOAD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;

        return version == VERSION && LENGTH + payloadLength <= length;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    /**
     * @return offset of whatever follows the fixed header (an extension header or the
     *         upper-layer header, per {@link #nextHeader()}).
     */
    public int payloadOffset()
    {
        return offset + LENGTH;
    }

    public int version()
    {
        return (buffer.getByte(offset) & 0xFF) >>> 4;
    }

    /**
     * @return the traffic class: DSCP in the upper 6 bits, ECN in the lower 2 (RFC 8200 §7).
     */
    public int trafficClass()
    {
        return (firstWord() >>> 20) & 0xFF;
    }

    public int flowLabel()
    {
        return firstWord() & FLOW_LABEL_MASK;
    }

    /**
     * Writes the first 32-bit word, which is shared by three fields.
     *
     * @param version      6.
     * @param trafficClass 8 bits.
     * @param flowLabel    20 bits.
     * @return this for chaining.
     */
    public Ipv6Header versionClassAndFlowLabel(final int version, final int trafficClass, final int flowLabel)
    {
        mutableBuffer.putInt(
            offset + VERSION_CLASS_FLOW_OFFSET,
            (version << 28) | ((trafficClass & 0xFF) << 20) | (flowLabel & FLOW_LABEL_MASK),
            ByteOrder.BIG_ENDIAN);
        return this;
    }

    public Ipv6Header trafficClass(final int trafficClass)
    {
        final int word = (firstWord() & ~(0xFF << 20)) | ((trafficClass & 0xFF) << 20);
        mutableBuffer.putInt(offset + VERSION_CLASS_FLOW_OFFSET, word, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public Ipv6Header flowLabel(final int flowLabel)
    {
        final int word = (firstWord() & ~FLOW_LABEL_MASK) | (flowLabel & FLOW_LABEL_MASK);
        mutableBuffer.putInt(offset + VERSION_CLASS_FLOW_OFFSET, word, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return length of everything after the fixed 40-byte header, extension headers included.
     */
    public int payloadLength()
    {
        return buffer.getShort(offset + PAYLOAD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv6Header payloadLength(final int payloadLength)
    {
        mutableBuffer.putShort(offset + PAYLOAD_LENGTH_OFFSET, (short)payloadLength, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int nextHeader()
    {
        return buffer.getByte(offset + NEXT_HEADER_OFFSET) & 0xFF;
    }

    public Ipv6Header nextHeader(final int nextHeader)
    {
        mutableBuffer.putByte(offset + NEXT_HEADER_OFFSET, (byte)nextHeader);
        return this;
    }

    public int hopLimit()
    {
        return buffer.getByte(offset + HOP_LIMIT_OFFSET) & 0xFF;
    }

    public Ipv6Header hopLimit(final int hopLimit)
    {
        mutableBuffer.putByte(offset + HOP_LIMIT_OFFSET, (byte)hopLimit);
        return this;
    }

    /**
     * @return the first 8 bytes of the source address.
     */
    public long sourceAddressHigh()
    {
        return buffer.getLong(offset + SOURCE_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @return the last 8 bytes of the source address.
     */
    public long sourceAddressLow()
    {
        return buffer.getLong(offset + SOURCE_ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);
    }

    public Ipv6Header sourceAddress(final long high, final long low)
    {
        mutableBuffer.putLong(offset + SOURCE_ADDRESS_OFFSET, high, ByteOrder.BIG_ENDIAN);
        mutableBuffer.putLong(offset + SOURCE_ADDRESS_OFFSET + 8, low, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return the first 8 bytes of the destination address.
     */
    public long destinationAddressHigh()
    {
        return buffer.getLong(offset + DESTINATION_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @return the last 8 bytes of the destination address.
     */
    public long destinationAddressLow()
    {
        return buffer.getLong(offset + DESTINATION_ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);
    }

    public Ipv6Header destinationAddress(final long high, final long low)
    {
        mutableBuffer.putLong(offset + DESTINATION_ADDRESS_OFFSET, high, ByteOrder.BIG_ENDIAN);
        mutableBuffer.putLong(offset + DESTINATION_ADDRESS_OFFSET + 8, low, ByteOrder.BIG_ENDIAN);
        return this;
    }

    private int firstWord()
    {
        return buffer.getInt(offset + VERSION_CLASS_FLOW_OFFSET, ByteOrder.BIG_ENDIAN);
    }
}
