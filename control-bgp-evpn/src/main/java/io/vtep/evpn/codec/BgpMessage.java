package io.vtep.evpn.codec;

import io.netty.buffer.ByteBuf;

/**
 * A BGP message (RFC 4271 §4): every one decodes from and encodes to octets with
 * {@link BgpCodec}, and {@code decode(encode(m))} equals {@code m}.
 */
public sealed interface BgpMessage
    permits OpenMessage, UpdateMessage, NotificationMessage, KeepaliveMessage, RouteRefreshMessage
{
    /** @return the message type. */
    MessageType type();

    /**
     * @param out     the body (everything after the 19-octet header) is written at its writer index.
     * @param context the session's encoding options.
     */
    void encodeBody(ByteBuf out, CodecContext context);
}
