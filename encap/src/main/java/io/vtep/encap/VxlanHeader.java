package io.vtep.encap;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over the VXLAN header (RFC 7348 §5), the 8 bytes between the outer UDP header
 * and the inner Ethernet frame.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |R|R|R|R|I|R|R|R|            Reserved                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                VXLAN Network Identifier (VNI) |   Reserved    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The I flag must be 1 for a valid VNI; the R bits and both reserved fields must be sent
 * as zero and ignored on receipt (RFC 7348 §5). The setters therefore write whole 32-bit words:
 * {@link #flags(int)} zeroes the first reserved field and {@link #vni(int)} zeroes the second.
 *
 * <p>Setters need the wrapped buffer to be a {@link MutableDirectBuffer}; wrapping a read-only
 * {@link DirectBuffer} gives a read-only view.
 *
 * <p>The data path uses only the offset constants; the instance view is for tests and
 * diagnostics (package documentation).
 */
public final class VxlanHeader
{
    public static final int LENGTH = 8;
    public static final int FLAGS_OFFSET = 0;
    /** The 24-bit reserved field after the flags. */
    public static final int RESERVED1_OFFSET = 1;
    public static final int VNI_OFFSET = 4;
    /** The 8-bit reserved field after the VNI. */
    public static final int RESERVED2_OFFSET = 7;

    /** "I" flag: the VNI is valid (RFC 7348 §5). */
    public static final int FLAG_I = 0x08;
    /** VNIs are 24 bits. */
    public static final int VNI_MASK = 0xFF_FFFF;
    public static final int MAX_VNI = VNI_MASK;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    /**
     * Points this flyweight at a header.
     *
     * @param buffer holding the UDP payload; writable if it is a {@link MutableDirectBuffer}.
     * @param offset of the first byte of the VXLAN header.
     * @return this for chaining.
     */
    public VxlanHeader wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer instanceof MutableDirectBuffer mutable ? mutable : null;
        this.offset = offset;
        return this;
    }

    /**
     * The header is complete and its I flag is set; everything else is ignored on receipt.
     * {@link VxlanDecoder#decode} also checks that an inner Ethernet header follows.
     *
     * @param buffer holding the UDP payload.
     * @param offset of the VXLAN header.
     * @param length bytes available from {@code offset}.
     * @return true when a VNI can be read.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= LENGTH && (buffer.getByte(offset + FLAGS_OFFSET) & FLAG_I) != 0;
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
     * @return offset of the inner Ethernet frame.
     */
    public int payloadOffset()
    {
        return offset + LENGTH;
    }

    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * Writes the flags byte and zeroes the 24 reserved bits that follow it.
     *
     * @param flags normally {@link #FLAG_I}.
     * @return this for chaining.
     */
    public VxlanHeader flags(final int flags)
    {
        mutableBuffer.putInt(offset + FLAGS_OFFSET, (flags & 0xFF) << 24, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return the 24 reserved bits after the flags; ignored on receipt.
     */
    public int reserved1()
    {
        return buffer.getInt(offset + FLAGS_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFF_FFFF;
    }

    /**
     * @return the 24-bit VXLAN network identifier.
     */
    public int vni()
    {
        return buffer.getInt(offset + VNI_OFFSET, ByteOrder.BIG_ENDIAN) >>> 8;
    }

    /**
     * Writes the VNI (masked to 24 bits) and zeroes the reserved byte after it.
     *
     * @param vni 0..16777215.
     * @return this for chaining.
     */
    public VxlanHeader vni(final int vni)
    {
        mutableBuffer.putInt(offset + VNI_OFFSET, (vni & VNI_MASK) << 8, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return the 8 reserved bits after the VNI; ignored on receipt.
     */
    public int reserved2()
    {
        return buffer.getByte(offset + RESERVED2_OFFSET) & 0xFF;
    }
}
