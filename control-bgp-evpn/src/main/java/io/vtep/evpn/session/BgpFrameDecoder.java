package io.vtep.evpn.session;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.vtep.evpn.codec.BgpCodec;
import io.vtep.evpn.codec.BgpDecodeException;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.MessageType;
import io.vtep.evpn.codec.Octets;

/**
 * Cuts the TCP stream into BGP messages with {@link BgpCodec#frameLength} and decodes each one.
 * A message the codec refuses becomes a {@link DecodeFailure} carrying the NOTIFICATION to send;
 * after it the stream cannot be trusted (RFC 4271 §6: the session is reset), so everything
 * that follows is discarded.
 *
 * <p>Decoding uses the session's {@link CodecContext}, which the FSM switches once the OPENs are
 * exchanged. That is in time for the next message: {@link ByteToMessageDecoder} passes each
 * decoded message on before it decodes the next one, on the same thread.
 */
final class BgpFrameDecoder extends ByteToMessageDecoder
{
    /**
     * A message that ends the session.
     *
     * @param error what was wrong and what to send.
     */
    record DecodeFailure(BgpDecodeException error)
    {
    }

    private CodecContext context = CodecContext.TWO_OCTET_AS;
    private boolean failed;

    /** @param context the negotiated encoding, for the messages after the OPENs. */
    void context(final CodecContext context)
    {
        this.context = context;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        if (failed)
        {
            in.skipBytes(in.readableBytes());
            return;
        }
        try
        {
            final int length = BgpCodec.frameLength(in, context);
            if (length < 0 || in.readableBytes() < length)
            {
                return;
            }
            out.add(BgpCodec.decode(in, context));
        }
        catch (final BgpDecodeException ex)
        {
            fail(in, out, ex);
        }
        catch (final RuntimeException ex)
        {
            // Not expected from the codec (it throws BgpDecodeException for every malformation it
            // knows); still a received message we cannot process, so reset with the type's Unspecific.
            final MessageType type = in.readableBytes() > BgpCodec.HEADER_LENGTH - 1 ?
                MessageType.of(in.getUnsignedByte(in.readerIndex() + BgpCodec.HEADER_LENGTH - 1)) : null;
            final ErrorSubcode subcode = type == MessageType.OPEN ? ErrorSubcode.OPEN_UNSPECIFIC :
                type == MessageType.UPDATE ? ErrorSubcode.UPDATE_UNSPECIFIC : ErrorSubcode.HEADER_UNSPECIFIC;
            fail(in, out, new BgpDecodeException(subcode, Octets.EMPTY, "cannot decode " + type + ": " + ex));
        }
    }

    private void fail(final ByteBuf in, final List<Object> out, final BgpDecodeException ex)
    {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(new DecodeFailure(ex));
    }
}
