package io.vtep.core.api;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vtep.core.capture.CaptureRegistry;
import io.vtep.core.capture.CaptureSession;
import io.vtep.core.capture.CaptureStream;

/**
 * {@code GET /api/v1/capture?vni=N[&count=K][&seconds=S][&snaplen=L]}: the VNI's frames, both
 * directions, as a pcapng stream ({@code application/x-pcapng}, chunked), for {@code vtep capture}
 * or {@code curl -N ... | tshark -r -}. The answer ends after {@code count} frames or
 * {@code seconds}, with an Interface Statistics Block saying what was captured and dropped; a client
 * that closes the connection ends the capture at once and releases its ring.
 *
 * <p>The stream is pumped from the API thread every {@value #PUMP_INTERVAL_MILLIS} ms, and only
 * while the connection takes what is written (Netty's writability): a client that reads slowly or
 * not at all leaves frames in the capture's ring, and once it is full the forwarding threads count
 * capture drops instead of waiting. Such a client is closed when the connection has taken nothing
 * for the API's idle timeout; a quiet VNI with a reading client is not idle (the idle timer is taken
 * off the connection while it captures).
 *
 * <p>At most {@link CaptureRegistry#MAX_CAPTURES} captures run at once; one more gets 429.
 */
public final class CaptureEndpoint
{
    static final String CONTENT_TYPE = "application/x-pcapng";
    static final long PUMP_INTERVAL_MILLIS = 5;
    /** Bytes of pcapng written per pump turn at most (several chunks of up to 256 KiB). */
    private static final int BYTES_PER_TURN = 1024 * 1024;
    private static final int CHUNK_BYTES = 256 * 1024;
    private static final long DEFAULT_STALL_MILLIS = 120_000;

    private final CaptureRegistry registry;
    private final ApiToken tokenOrNull;

    public CaptureEndpoint(final CaptureRegistry registry)
    {
        this(registry, null);
    }

    /**
     * @param tokenOrNull the token of {@code api.token-file}: when there is one, a capture needs it
     *                    too. A capture shows every frame of a segment, which is more than the
     *                    read-only documents do; without a token it is as open as they are.
     */
    public CaptureEndpoint(final CaptureRegistry registry, final ApiToken tokenOrNull)
    {
        this.registry = registry;
        this.tokenOrNull = tokenOrNull;
    }

    /** Whether the request is for this endpoint. */
    boolean handles(final FullHttpRequest request)
    {
        final String uri = request.uri();
        return uri.equals(CaptureRequest.PATH) || uri.startsWith(CaptureRequest.PATH + "?");
    }

    /** Answers the request: an error, or the capture stream (which then owns the connection until it ends). */
    void serve(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final HttpMethod method = request.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method))
        {
            error(ctx, ApiResponse.jsonError(405, "method " + method + " not allowed on " + CaptureRequest.PATH +
                "; allowed: " + ApiRouter.ALLOW).withHeader("Allow", ApiRouter.ALLOW));
            return;
        }
        if (tokenOrNull != null)
        {
            final ApiResponse refusal =
                tokenOrNull.refusal(request.headers().get(HttpHeaderNames.AUTHORIZATION), "shows a segment's traffic");
            if (refusal != null)
            {
                error(ctx, refusal);
                return;
            }
        }
        final CaptureRequest query;
        try
        {
            query = CaptureRequest.parse(new QueryStringDecoder(request.uri()));
        }
        catch (final ApiRouter.BadRequest | IllegalArgumentException ex)
        {
            error(ctx, ApiResponse.jsonError(400, ex.getMessage()));
            return;
        }
        if (!registry.hasVni(query.vni()))
        {
            error(ctx, ApiResponse.jsonError(404, "VNI " + query.vni() + " is not configured"));
            return;
        }
        final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
            .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (HttpMethod.HEAD.equals(method))
        {
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            response.headers().set(head.headers());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        final CaptureSession session = registry.start(query.vni(), query.snaplen());
        if (session == null)
        {
            error(ctx, ApiResponse.jsonError(429, CaptureRegistry.MAX_CAPTURES + " captures are running (the most at once); " +
                "try again when one has ended").withHeader("Retry-After", "5"));
            return;
        }
        if (request.protocolVersion().isKeepAliveDefault())
        {
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        final CaptureStream stream = new CaptureStream(registry, session, query.count(), query.seconds());
        new Pump(ctx.channel(), stream).start(ctx, head);
    }

    private static void error(final ChannelHandlerContext ctx, final ApiResponse answer)
    {
        final byte[] body = answer.body();
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(body));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        answer.headers().forEach((name, value) -> response.headers().set(name, value));
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** One capture's connection: moves pcapng from the ring to the socket while the socket takes it. */
    private static final class Pump implements Runnable
    {
        private final Channel channel;
        private final CaptureStream stream;
        private long stallNanos = TimeUnit.MILLISECONDS.toNanos(DEFAULT_STALL_MILLIS);
        private long lastWritableNanos = System.nanoTime();
        private ScheduledFuture<?> timer;
        private boolean done;

        Pump(final Channel channel, final CaptureStream stream)
        {
            this.channel = channel;
            this.stream = stream;
        }

        /** @param requestHandler the context of the handler that routed the request here, replaced now */
        void start(final ChannelHandlerContext requestHandler, final HttpResponse head)
        {
            // The connection is the capture's until it closes: no more requests are read or
            // answered on it (a pipelined one would land in the middle of the stream), and the
            // capture's own rules replace the idle timer: a quiet VNI is not an idle client.
            channel.config().setAutoRead(false);
            channel.pipeline().replace(requestHandler.handler(), "capture", new Captured());
            final IdleStateHandler idle = channel.pipeline().get(IdleStateHandler.class);
            if (idle != null)
            {
                stallNanos = TimeUnit.MILLISECONDS.toNanos(idle.getAllIdleTimeInMillis());
                channel.pipeline().remove(idle);
            }
            channel.closeFuture().addListener(closed -> end());
            channel.write(head);
            final ByteBuf first = channel.alloc().buffer(4096);
            stream.pump(first, CHUNK_BYTES);
            channel.writeAndFlush(new DefaultHttpContent(first));
            timer = channel.eventLoop().scheduleWithFixedDelay(this, PUMP_INTERVAL_MILLIS, PUMP_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
        }

        @Override
        public void run()
        {
            if (done)
            {
                return;
            }
            if (!channel.isActive())
            {
                end();
                return;
            }
            final long now = System.nanoTime();
            final boolean complete = stream.isComplete();
            int turn = 0;
            while (channel.isWritable() && turn < BYTES_PER_TURN)
            {
                lastWritableNanos = now;
                final ByteBuf chunk = channel.alloc().buffer(64 * 1024);
                stream.pump(chunk, CHUNK_BYTES);
                if (!chunk.isReadable())
                {
                    chunk.release();
                    break;
                }
                turn += chunk.readableBytes();
                channel.writeAndFlush(new DefaultHttpContent(chunk));
            }
            if (complete)
            {
                finish();
            }
            else if (!channel.isWritable() && now - lastWritableNanos > stallNanos)
            {
                // The client has taken nothing for the idle timeout: it is not reading any more.
                channel.close();
            }
        }

        /** Count or time reached: statistics, the last chunk, close. */
        private void finish()
        {
            final ByteBuf statistics = channel.alloc().buffer(128);
            stream.finish(statistics);
            stop();
            channel.write(new DefaultHttpContent(statistics));
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }

        /** The client went away or the connection closed: the capture ends and its ring is let go. */
        private void end()
        {
            stop();
            stream.close();
        }

        private void stop()
        {
            done = true;
            if (timer != null)
            {
                timer.cancel(false);
            }
        }
    }

    /** Takes the request handler's place on a capturing connection: reads nothing, closes on an error. */
    private static final class Captured extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            // A client that resets the connection ends its capture; not worth a log line.
            ctx.close();
        }
    }
}
