package io.vtep.encap;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over a UDP header (RFC 768).
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |        Destination Port       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |             Length            |            Checksum           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The checksum covers a pseudo-header, this header and the payload: see {@link Checksum}.
 * Zero means "no checksum" over IPv4 (RFC 768), which is why a computed zero is sent as
 * {@code 0xFFFF}; over IPv6 a zero checksum is invalid (RFC 8200 §8.1) except for tunnels
 * that opt in per RFC 6935/6936.
 *
 * <p>Setters need the wrapped buffer to be a {@link MutableDirectBuffer}; wrapping a read-only
 * {@link DirectBuffer} gives a read-only view.
 *
 * <p>The data path uses only the offset constants; the instance view is for tests and
 * diagnostics (package documentation).
 */
public final class UdpHeader
{
    public static final int LENGTH = 8;
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;

    /** IANA-assigned VXLAN port (RFC 7348 §5). Linux defaults to 8472 unless told otherwise. */
    public static final int VXLAN_PORT = 4789;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    /**
     * Points this flyweight at a header.
     *
     * @param buffer holding the datagram; writable if it is a {@link MutableDirectBuffer}.
     * @param offset of the first byte of the UDP header.
     * @return this for chaining.
     */
    public UdpHeader wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer instanceof MutableDirectBuffer mutable ? mutable : null;
        this.offset = offset;
        return this;
    }

    /**
     * A length field that covers at least the header and no more than the bytes received.
     * The checksum is not checked here.
     *
     * @param buffer holding the datagram.
     * @param offset of the UDP header.
     * @param length bytes available from {@code offset} (the IP payload length).
     * @return true when the header is complete and its length is consistent.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < LENGTH)
        {
            return false;
        }

        final int udpLength = buffer.getShort(offset + LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        return udpLength >= LENGTH && udpLength <= length;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int payloadOffset()
    {
        return offset + LENGTH;
    }

    public int sourcePort()
    {
        return buffer.getShort(offset + SOURCE_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public UdpHeader sourcePort(final int port)
    {
        mutableBuffer.putShort(offset + SOURCE_PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int destinationPort()
    {
        return buffer.getShort(offset + DESTINATION_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public UdpHeader destinationPort(final int port)
    {
        mutableBuffer.putShort(offset + DESTINATION_PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return length of header plus payload in bytes.
     */
    public int length()
    {
        return buffer.getShort(offset + LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public UdpHeader length(final int length)
    {
        mutableBuffer.putShort(offset + LENGTH_OFFSET, (short)length, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public UdpHeader checksum(final int checksum)
    {
        mutableBuffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }
}
