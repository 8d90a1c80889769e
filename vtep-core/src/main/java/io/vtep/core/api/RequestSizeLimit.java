package io.vtep.core.api;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Netty's aggregator with the API's own 413: a request larger than the limit is refused before it
 * is held whole, with the JSON error body every other {@code /api/} error has (Netty's answer has
 * no body and no content type), and the connection is closed, since the rest of the request would
 * still be on its way.
 *
 * <p>The close lingers: the answer is sent, the write side shut, and what the client still sends is
 * read and dropped (the aggregator discards the rest of the oversized request) until it closes, or
 * {@link #LINGER_SECONDS} have passed. Closing at once, with the rest of the body unread in the
 * socket, makes the kernel answer with a reset that can reach the client before it read the 413,
 * which then sees a broken connection instead of the error (seen under load in ApiServerTest).
 */
final class RequestSizeLimit extends HttpObjectAggregator
{
    /** The longest the rest of an oversized request is read (and dropped) after the 413. */
    static final int LINGER_SECONDS = 2;
    private final int maxBytes;

    RequestSizeLimit(final int maxBytes)
    {
        super(maxBytes);
        this.maxBytes = maxBytes;
    }

    @Override
    protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized)
    {
        final byte[] body = ApiResponse.jsonError(413, "request of more than " + maxBytes + " bytes").bodyText()
            .getBytes(StandardCharsets.UTF_8);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, ApiResponse.JSON)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(written ->
        {
            if (!written.isSuccess() || !(ctx.channel() instanceof DuplexChannel duplex))
            {
                ctx.close();
                return;
            }
            duplex.shutdownOutput();
            ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
        });
    }
}
