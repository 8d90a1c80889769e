package io.vtep.encap;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an IPv4 header (RFC 791 §3.1; the TOS byte is DSCP + ECN per RFC 2474 and
 * RFC 3168).
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version|  IHL  |   DSCP    |ECN|          Total Length         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Identification        |Flags|      Fragment Offset    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Time to Live |    Protocol   |         Header Checksum       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       Source Address                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Destination Address                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Options (IHL > 5)                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   Flags: bit 0 reserved (zero), DF don't fragment, MF more fragments
 * </pre>
 *
 * <p>Setters need the wrapped buffer to be a {@link MutableDirectBuffer}; wrapping a read-only
 * {@link DirectBuffer} gives a read-only view. Setters do not update the header checksum: call
 * {@link #updateHeaderChecksum()} after the last change.
 *
 * <p>The data path uses only the offset constants; the instance view is for tests and
 * diagnostics (package documentation).
 */
public final class Ipv4Header
{
    /** Length of a header without options (IHL 5). */
    public static final int LENGTH = 20;
    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int HEADER_CHECKSUM_OFFSET = 10;
    public static final int SOURCE_ADDRESS_OFFSET = 12;
    public static final int DESTINATION_ADDRESS_OFFSET = 16;

    public static final int VERSION = 4;
    /** IHL of a header without options, in 32-bit words. */
    public static final int MIN_IHL = 5;
    /** Don't Fragment, in the 16-bit flags + fragment offset field. */
    public static final int FLAG_DF = 0x4000;
    /** More Fragments, in the 16-bit flags + fragment offset field. */
    public static final int FLAG_MF = 0x2000;
    /** Fragment offset in 8-byte units, in the 16-bit flags + fragment offset field. */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    /**
     * Points this flyweight at a header.
     *
     * @param buffer holding the packet; writable if it is a {@link MutableDirectBuffer}.
     * @param offset of the first byte of the IPv4 header.
     * @return this for chaining.
     */
    public Ipv4Header wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer instanceof MutableDirectBuffer mutable ? mutable : null;
        this.offset = offset;
        return this;
    }

    /**
     * Checks what a receiver must check before trusting the lengths (RFC 1122 §3.2.1.1-2):
     * version 4, IHL at least 5, and a total length that covers the header and fits in the
     * bytes received (trailing Ethernet padding is allowed). The checksum is checked
     * separately by {@link Checksum#isValidIpv4Header}.
     *
     * @param buffer holding the packet.
     * @param offset of the IPv4 header.
     * @param length bytes available from {@code offset}.
     * @return true when the header and the lengths it claims are consistent.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < LENGTH)
        {
            return false;
        }

        final int versionIhl = buffer.getByte(offset + VERSION_IHL_OFFSET) & 0xFF;
        final int headerLength = (versionIhl & 0xF) << 2;
        final int totalLength = buffer.getShort(offset + TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;

        return (versionIhl >>> 4) == VERSION &&
            headerLength >= LENGTH &&
            totalLength >= headerLength &&
            totalLength <= length;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int version()
    {
        return (buffer.getByte(offset + VERSION_IHL_OFFSET) & 0xFF) >>> 4;
    }

    /**
     * @return Internet Header Length in 32-bit words.
     */
    public int ihl()
    {
        return buffer.getByte(offset + VERSION_IHL_OFFSET) & 0xF;
    }

    /**
     * Writes version and IHL together: they share a byte.
     *
     * @param version 4.
     * @param ihl     header length in 32-bit words.
     * @return this for chaining.
     */
    public Ipv4Header versionAndIhl(final int version, final int ihl)
    {
        mutableBuffer.putByte(offset + VERSION_IHL_OFFSET, (byte)((version << 4) | (ihl & 0xF)));
        return this;
    }

    /**
     * @return header length in bytes, {@code ihl() * 4}.
     */
    public int headerLength()
    {
        return ihl() << 2;
    }

    /**
     * @return offset of the payload that follows the header and any options.
     */
    public int payloadOffset()
    {
        return offset + headerLength();
    }

    /**
     * @return the whole former TOS byte: DSCP in the upper 6 bits, ECN in the lower 2.
     */
    public int tos()
    {
        return buffer.getByte(offset + TOS_OFFSET) & 0xFF;
    }

    public Ipv4Header tos(final int tos)
    {
        mutableBuffer.putByte(offset + TOS_OFFSET, (byte)tos);
        return this;
    }

    public int dscp()
    {
        return tos() >>> 2;
    }

    public int ecn()
    {
        return tos() & 0x3;
    }

    /**
     * @return length of header plus payload in bytes.
     */
    public int totalLength()
    {
        return buffer.getShort(offset + TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Header totalLength(final int totalLength)
    {
        mutableBuffer.putShort(offset + TOTAL_LENGTH_OFFSET, (short)totalLength, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int identification()
    {
        return buffer.getShort(offset + IDENTIFICATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Header identification(final int identification)
    {
        mutableBuffer.putShort(offset + IDENTIFICATION_OFFSET, (short)identification, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return the 16-bit field holding the 3 flag bits and the 13-bit fragment offset.
     */
    public int flagsAndFragmentOffset()
    {
        return buffer.getShort(offset + FLAGS_FRAGMENT_OFFSET_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Header flagsAndFragmentOffset(final int value)
    {
        mutableBuffer.putShort(offset + FLAGS_FRAGMENT_OFFSET_OFFSET, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public boolean dontFragment()
    {
        return (flagsAndFragmentOffset() & FLAG_DF) != 0;
    }

    public boolean moreFragments()
    {
        return (flagsAndFragmentOffset() & FLAG_MF) != 0;
    }

    /**
     * @return fragment offset in 8-byte units; non-zero for every fragment but the first.
     */
    public int fragmentOffset()
    {
        return flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK;
    }

    public int ttl()
    {
        return buffer.getByte(offset + TTL_OFFSET) & 0xFF;
    }

    public Ipv4Header ttl(final int ttl)
    {
        mutableBuffer.putByte(offset + TTL_OFFSET, (byte)ttl);
        return this;
    }

    public int protocol()
    {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xFF;
    }

    public Ipv4Header protocol(final int protocol)
    {
        mutableBuffer.putByte(offset + PROTOCOL_OFFSET, (byte)protocol);
        return this;
    }

    public int headerChecksum()
    {
        return buffer.getShort(offset + HEADER_CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Header headerChecksum(final int checksum)
    {
        mutableBuffer.putShort(offset + HEADER_CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * Computes the header checksum over {@link #headerLength()} bytes, options included, and
     * writes it (RFC 791 §3.1: the checksum field is taken as zero while computing).
     *
     * @return this for chaining.
     */
    public Ipv4Header updateHeaderChecksum()
    {
        headerChecksum(0);
        headerChecksum(Checksum.finish(Checksum.partialSum(buffer, offset, headerLength(), 0)));
        return this;
    }

    /**
     * @return the source address, first octet in the most significant byte.
     */
    public int sourceAddress()
    {
        return buffer.getInt(offset + SOURCE_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public Ipv4Header sourceAddress(final int address)
    {
        mutableBuffer.putInt(offset + SOURCE_ADDRESS_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return the destination address, first octet in the most significant byte.
     */
    public int destinationAddress()
    {
        return buffer.getInt(offset + DESTINATION_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public Ipv4Header destinationAddress(final int address)
    {
        mutableBuffer.putInt(offset + DESTINATION_ADDRESS_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }
}
