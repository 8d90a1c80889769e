package io.vtep.encap;

import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What every header view shares: the buffer and offset it is pointed at, and big-endian field
 * access relative to that offset (every field of these headers is in network byte order). The
 * views decode a packet field by field, independently of the data path's own offset arithmetic,
 * so a test can check what the data path wrote.
 *
 * <p>Setters need the wrapped buffer to be a {@link MutableDirectBuffer}; wrapping a read-only
 * {@link DirectBuffer} gives a read-only view, whose setters throw
 * {@link ReadOnlyBufferException}.
 *
 * @param <T> the concrete view, returned by {@link #wrap} and the setters for chaining.
 */
abstract class HeaderView<T extends HeaderView<T>>
{
    private final int fixedLength;
    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    /**
     * @param fixedLength the header's length when it has no options, the main class's
     *                    {@code LENGTH}.
     */
    HeaderView(final int fixedLength)
    {
        this.fixedLength = fixedLength;
    }

    /**
     * Points this view at a header.
     *
     * @param buffer holding the packet; writable if it is a {@link MutableDirectBuffer}.
     * @param offset of the first byte of the header.
     * @return this for chaining.
     */
    public final T wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer instanceof MutableDirectBuffer mutable ? mutable : null;
        this.offset = offset;
        return self();
    }

    public final DirectBuffer buffer()
    {
        return buffer;
    }

    public final int offset()
    {
        return offset;
    }

    /**
     * @return header length in bytes; a header with options (IPv4) overrides this.
     */
    public int headerLength()
    {
        return fixedLength;
    }

    /**
     * @return offset of what follows the header.
     */
    public final int payloadOffset()
    {
        return offset + headerLength();
    }

    protected final int uint8(final int field)
    {
        return buffer.getByte(offset + field) & 0xFF;
    }

    protected final T uint8(final int field, final int value)
    {
        writable().putByte(offset + field, (byte)value);
        return self();
    }

    protected final int uint16(final int field)
    {
        return buffer.getShort(offset + field, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    protected final T uint16(final int field, final int value)
    {
        writable().putShort(offset + field, (short)value, ByteOrder.BIG_ENDIAN);
        return self();
    }

    protected final int int32(final int field)
    {
        return buffer.getInt(offset + field, ByteOrder.BIG_ENDIAN);
    }

    protected final T int32(final int field, final int value)
    {
        writable().putInt(offset + field, value, ByteOrder.BIG_ENDIAN);
        return self();
    }

    protected final long int64(final int field)
    {
        return buffer.getLong(offset + field, ByteOrder.BIG_ENDIAN);
    }

    protected final T int64(final int field, final long value)
    {
        writable().putLong(offset + field, value, ByteOrder.BIG_ENDIAN);
        return self();
    }

    /**
     * @return the wrapped buffer for a setter.
     * @throws ReadOnlyBufferException when the view wraps a buffer that is not a
     *                                 {@link MutableDirectBuffer}.
     */
    protected final MutableDirectBuffer writable()
    {
        if (mutableBuffer == null)
        {
            throw new ReadOnlyBufferException();
        }
        return mutableBuffer;
    }

    @SuppressWarnings("unchecked")
    protected final T self()
    {
        return (T)this;
    }
}
