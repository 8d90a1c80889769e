package io.vtep.evpn.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Entry point of the codec: frames, decodes and encodes whole BGP messages (RFC 4271 §4.1).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  +                           Marker (16 octets of 0xff)          +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Length               |      Type     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * A reader calls {@link #frameLength} on its receive buffer until it returns a length that is
 * available, then {@link #decode}. Errors that end the session are {@link BgpDecodeException}s
 * (header errors: {@link MessageHeaderException}) carrying the NOTIFICATION to send; RFC 7606's
 * softer outcomes are on the returned {@link UpdateMessage}.
 */
public final class BgpCodec
{
    /** Marker octets. */
    public static final int MARKER_LENGTH = 16;
    /** Marker, length and type. */
    public static final int HEADER_LENGTH = 19;

    private BgpCodec()
    {
    }

    /**
     * Checks the header at the reader index (RFC 4271 §6.1: marker, then length, then type, then
     * the length the type needs) without consuming anything.
     *
     * @param in      the receive buffer.
     * @param context the session's limits (maximum message length).
     * @return the message's length, or -1 when fewer than 19 octets are readable.
     * @throws MessageHeaderException if the header is wrong.
     */
    public static int frameLength(final ByteBuf in, final CodecContext context)
    {
        if (in.readableBytes() < HEADER_LENGTH)
        {
            return -1;
        }
        final int start = in.readerIndex();
        for (int i = 0; i < MARKER_LENGTH; i++)
        {
            if (in.getUnsignedByte(start + i) != 0xFF)
            {
                throw new MessageHeaderException(ErrorSubcode.CONNECTION_NOT_SYNCHRONIZED, Octets.EMPTY,
                    "marker octet " + i + " is 0x" + Integer.toHexString(in.getUnsignedByte(start + i)) + ", not 0xff",
                    BgpDecodeException.NOT_A_SIZE, BgpDecodeException.NOT_A_SIZE, BgpDecodeException.NOT_A_SIZE);
            }
        }
        final int length = in.getUnsignedShort(start + MARKER_LENGTH);
        final Octets lengthField = Octets.of(length >>> 8, length);
        if (length < HEADER_LENGTH || length > context.maxMessageLength())
        {
            throw new MessageHeaderException(ErrorSubcode.BAD_MESSAGE_LENGTH, lengthField,
                "message length " + length + " not in " + HEADER_LENGTH + ".." + context.maxMessageLength(),
                length, HEADER_LENGTH, context.maxMessageLength());
        }
        final int typeCode = in.getUnsignedByte(start + MARKER_LENGTH + 2);
        final MessageType type = MessageType.of(typeCode);
        if (type == null)
        {
            throw new MessageHeaderException(ErrorSubcode.BAD_MESSAGE_TYPE, Octets.of(typeCode),
                "message type " + typeCode + " unknown", BgpDecodeException.NOT_A_SIZE, BgpDecodeException.NOT_A_SIZE,
                BgpDecodeException.NOT_A_SIZE);
        }
        final int max = type == MessageType.KEEPALIVE ? HEADER_LENGTH : context.maxMessageLength();
        if (length < type.minLength() || length > max)
        {
            throw new MessageHeaderException(ErrorSubcode.BAD_MESSAGE_LENGTH, lengthField,
                type + " length " + length + " not in " + type.minLength() + ".." + max, length, type.minLength(), max);
        }
        return length;
    }

    /**
     * Decodes the message at the reader index and consumes it.
     *
     * @param in      holds at least the whole message ({@link #frameLength} octets).
     * @param context the session's encoding options.
     * @return the message.
     * @throws BgpDecodeException    when the session must be reset.
     * @throws IllegalArgumentException when the buffer does not hold the whole message yet.
     */
    public static BgpMessage decode(final ByteBuf in, final CodecContext context)
    {
        final int length = frameLength(in, context);
        if (length < 0 || in.readableBytes() < length)
        {
            throw new IllegalArgumentException("incomplete BGP message: " + in.readableBytes() + " octets readable, " +
                (length < 0 ? "header needs 19" : "message needs " + length) + "; wait for frameLength's count");
        }
        final ByteBuf message = in.readSlice(length);
        final ByteBuf body = message.slice(HEADER_LENGTH, length - HEADER_LENGTH);
        final MessageType type = MessageType.of(message.getUnsignedByte(MARKER_LENGTH + 2));
        return switch (type)
        {
            case OPEN -> OpenMessage.decodeBody(body);
            case UPDATE -> UpdateDecoder.decodeBody(body, context);
            case NOTIFICATION -> NotificationMessage.decodeBody(body);
            case KEEPALIVE -> KeepaliveMessage.INSTANCE;
            case ROUTE_REFRESH -> RouteRefreshMessage.decodeBody(body, Octets.read(message.duplicate(), length));
        };
    }

    /**
     * @param bytes   exactly one message.
     * @param context the session's encoding options.
     * @return the message.
     * @throws BgpDecodeException when the session must be reset.
     */
    public static BgpMessage decode(final byte[] bytes, final CodecContext context)
    {
        final ByteBuf in = Unpooled.wrappedBuffer(bytes);
        final BgpMessage message = decode(in, context);
        if (in.isReadable())
        {
            throw new IllegalArgumentException(in.readableBytes() + " octets after the " + (bytes.length - in.readableBytes()) +
                "-octet message");
        }
        return message;
    }

    /**
     * Writes header and body; on failure nothing is left written.
     *
     * @param message to encode.
     * @param out     written at its writer index.
     * @param context the session's encoding options.
     * @throws IllegalArgumentException if the message is longer than the session allows.
     */
    public static void encode(final BgpMessage message, final ByteBuf out, final CodecContext context)
    {
        final int start = out.writerIndex();
        try
        {
            for (int i = 0; i < MARKER_LENGTH; i++)
            {
                out.writeByte(0xFF);
            }
            out.writeShort(0);
            out.writeByte(message.type().code());
            message.encodeBody(out, context);
            final int length = out.writerIndex() - start;
            if (length > context.maxMessageLength())
            {
                throw new IllegalArgumentException(message.type() + " of " + length + " octets exceeds the session's " +
                    context.maxMessageLength() + "; split it");
            }
            out.setShort(start + MARKER_LENGTH, length);
        }
        catch (final RuntimeException ex)
        {
            out.writerIndex(start);
            throw ex;
        }
    }

    /**
     * @param message to encode.
     * @param context the session's encoding options.
     * @return the message's octets.
     */
    public static byte[] encode(final BgpMessage message, final CodecContext context)
    {
        final ByteBuf out = Unpooled.buffer();
        try
        {
            encode(message, out, context);
            final byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        }
        finally
        {
            out.release();
        }
    }
}
