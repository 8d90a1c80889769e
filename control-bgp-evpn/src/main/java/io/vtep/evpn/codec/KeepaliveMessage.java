package io.vtep.evpn.codec;

import io.netty.buffer.ByteBuf;

/** KEEPALIVE (RFC 4271 §4.4): the header alone, 19 octets. */
public record KeepaliveMessage() implements BgpMessage
{
    /** The message. */
    public static final KeepaliveMessage INSTANCE = new KeepaliveMessage();

    @Override
    public MessageType type()
    {
        return MessageType.KEEPALIVE;
    }

    @Override
    public void encodeBody(final ByteBuf out, final CodecContext context)
    {
    }

    @Override
    public String toString()
    {
        return "KEEPALIVE";
    }
}
