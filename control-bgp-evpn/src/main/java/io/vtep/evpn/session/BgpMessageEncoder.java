package io.vtep.evpn.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.vtep.evpn.codec.BgpCodec;
import io.vtep.evpn.codec.BgpMessage;
import io.vtep.evpn.codec.CodecContext;

/** Encodes outgoing messages with the session's negotiated {@link CodecContext}. */
final class BgpMessageEncoder extends MessageToByteEncoder<BgpMessage>
{
    private CodecContext context = CodecContext.TWO_OCTET_AS;

    BgpMessageEncoder()
    {
        super(BgpMessage.class);
    }

    /** @param context the negotiated encoding (AS_PATH with 4-octet AS numbers or not). */
    void context(final CodecContext context)
    {
        this.context = context;
    }

    @Override
    protected void encode(final ChannelHandlerContext ctx, final BgpMessage message, final ByteBuf out)
    {
        BgpCodec.encode(message, out, context);
    }
}
