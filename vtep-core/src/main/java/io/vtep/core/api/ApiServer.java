package io.vtep.core.api;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vtep.core.config.ApiConfig;
import io.vtep.core.config.ConfigException;

/**
 * The HTTP listener of {@code api.listen} (docs/architecture.md §5): Netty on epoll, one event-loop thread
 * ({@code vtep-api}) that accepts, parses and answers through an {@link ApiRouter}. That thread is
 * control work, never a data-path thread (docs/architecture.md §3); the heaviest thing it does is a scrape or
 * a walk of the FDB with the FDB's non-blocking visitor.
 *
 * <p>The listening socket is created by the thread that calls {@link #start} (Netty's channel
 * factory runs in the caller), so it lives in that thread's network namespace, like every other
 * socket of the appliance.
 *
 * <p>Limits ({@code api:} keys, README "HTTP API"), so that no client can take what BGP and the data
 * path need: at most {@code max-connections} connections (one more is closed as soon as it is
 * accepted, so the API's file descriptors are bounded whatever arrives); a request must arrive whole
 * within {@code header-timeout-seconds} of its first byte (a slowloris client trickling a header
 * never completes one, and the idle timer alone would never fire for it); a connection with no
 * traffic either way for {@code idle-timeout-seconds} is closed. Streamed documents
 * ({@link StreamedDocument}) go out chunked through Netty's {@link ChunkedWriteHandler}, which asks
 * for the next piece only while the socket is writable: a client that reads slowly holds one piece,
 * and one that stops reading is closed by the idle timer.
 */
public final class ApiServer implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(ApiServer.class.getName());
    /**
     * GET requests carry no body worth reading and the changing ones a few fields
     * ({@link ChangeRoutes#MAX_BODY_BYTES}); a request bigger than this is refused with 413 before
     * it is held whole.
     */
    static final int MAX_REQUEST_BYTES = 16 * 1024;
    /** At most one "connections refused" log line this often (a flood would otherwise flood the log). */
    private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final EventLoopGroup group;
    private final Channel channel;
    private final Stats stats;

    private ApiServer(final EventLoopGroup group, final Channel channel, final Stats stats)
    {
        this.group = group;
        this.channel = channel;
        this.stats = stats;
    }

    /**
     * What the listener counts, for {@code /metrics} ({@link ApiMeters}). Written on the API thread,
     * read by scrapes.
     */
    public static final class Stats
    {
        private final AtomicInteger open = new AtomicInteger();
        private final AtomicLong refused = new AtomicLong();
        private final AtomicLong headerTimeouts = new AtomicLong();
        private final AtomicLong idleTimeouts = new AtomicLong();
        private final AtomicLong failedResponses = new AtomicLong();
        private long lastRefusalLog = System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS;

        /** Connections open now. */
        public int open()
        {
            return open.get();
        }

        /** Connections closed at accept because {@code max-connections} were open. */
        public long refused()
        {
            return refused.get();
        }

        /** Connections closed because a request did not arrive whole within the header timeout. */
        public long headerTimeouts()
        {
            return headerTimeouts.get();
        }

        /** Connections closed after the idle timeout. */
        public long idleTimeouts()
        {
            return idleTimeouts.get();
        }

        /** Responses that failed on vtep's side (500 answered, or a stream cut short), each logged once. */
        public long failedResponses()
        {
            return failedResponses.get();
        }
    }

    /**
     * Binds {@code listen} in the calling thread's network namespace and starts answering.
     *
     * @throws ConfigException when the address is not one of this host's ({@code api.listen})
     * @throws IOException     when it cannot bind for another reason, such as the port being in use;
     *                         the message names {@code api.listen}
     */
    public static ApiServer start(final ApiConfig listen, final ApiRouter router) throws ConfigException, IOException
    {
        final ApiConfig config = listen;
        final Stats stats = new Stats();
        final InetSocketAddress address;
        try
        {
            address = new InetSocketAddress(InetAddress.getByName(listen.host()), listen.port());
        }
        catch (final UnknownHostException ex)
        {
            throw new ConfigException("api.listen", "\"" + listen.host() + "\" is not an IP address");
        }
        final SslContext tls = tls(listen);
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("vtep-api", true), EpollIoHandler.newFactory());
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(group)
            // The constructor, hence socket(2), runs here in the caller's thread and namespace.
            .channelFactory(EpollServerSocketChannel::new)
            .option(ChannelOption.SO_BACKLOG, 64)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    // Runs on the API thread for each accepted connection, so the count needs no lock.
                    if (stats.open.get() >= config.maxConnections())
                    {
                        refuse(ch, config, stats);
                        return;
                    }
                    stats.open.incrementAndGet();
                    ch.closeFuture().addListener(closed -> stats.open.decrementAndGet());
                    final RequestDeadline deadline = new RequestDeadline(config.headerTimeoutSeconds(), stats);
                    ch.pipeline().addLast(deadline);
                    if (tls != null)
                    {
                        // After the deadline, which sees the raw bytes: a client that trickles its
                        // TLS handshake is closed like one that trickles a request head (and Netty's
                        // own handshake timeout, 10 s, applies as well).
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    }
                    ch.pipeline()
                        .addLast(new IdleStateHandler(0, 0, config.idleTimeoutSeconds(), TimeUnit.SECONDS))
                        .addLast(new HttpServerCodec(4096, 8192, 8192))
                        .addLast(new RequestSizeLimit(MAX_REQUEST_BYTES))
                        .addLast(new ChunkedWriteHandler())
                        .addLast(new RequestHandler(router, deadline, stats));
                }
            });
        final ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess())
        {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throwBindProblem(listen, bound.cause());
        }
        final ApiServer server = new ApiServer(group, bound.channel(), stats);
        LOG.log(System.Logger.Level.INFO, (tls == null ? "HTTP" : "HTTPS") +
            " API listening on {0} (at most {1} connections, header timeout {2} s, " +
            "idle timeout {3} s)", format(listen.withAddress(listen.host(), server.localAddress().getPort())),
            listen.maxConnections(), listen.headerTimeoutSeconds(), listen.idleTimeoutSeconds());
        return server;
    }

    /**
     * The server's TLS context from {@code api.tls} (PEM certificate chain and PKCS#8 key), or null
     * for plain HTTP. TLS 1.2 and 1.3 only (RFC 8996 deprecates the older ones).
     */
    private static SslContext tls(final ApiConfig listen) throws ConfigException
    {
        final ApiConfig.Tls files = listen.tlsOrNull();
        if (files == null)
        {
            if (listen.tokenFileOrNull() != null && !isLoopback(listen.host()))
            {
                LOG.log(System.Logger.Level.WARNING, "HTTP API on {0} with api.token-file but without api.tls: the token " +
                    "crosses the network in clear text; configure api.tls", format(listen));
            }
            return null;
        }
        try
        {
            return SslContextBuilder.forServer(files.certificateFile().toFile(), files.keyFile().toFile())
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
        }
        catch (final javax.net.ssl.SSLException | IllegalArgumentException ex)
        {
            throw new ConfigException("api.tls", "cannot use certificate-file " + files.certificateFile() + " and key-file " +
                files.keyFile() + " (PEM, the key unencrypted PKCS#8): " + ex.getMessage());
        }
    }

    /**
     * Checks that {@code api.tls}, when configured, gives a usable certificate and key.
     *
     * @throws ConfigException naming {@code api.tls} when not
     */
    public static void checkTls(final ApiConfig listen) throws ConfigException
    {
        if (listen.tlsOrNull() != null)
        {
            tls(listen);
        }
    }

    private static boolean isLoopback(final String host)
    {
        try
        {
            return InetAddress.getByName(host).isLoopbackAddress();
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }

    /** Closes a connection beyond the limit at once: its descriptor is given back before anything is read. */
    private static void refuse(final SocketChannel ch, final ApiConfig config, final Stats stats)
    {
        stats.refused.incrementAndGet();
        ch.close();
        final long now = System.nanoTime();
        if (now - stats.lastRefusalLog >= REFUSAL_LOG_INTERVAL_NANOS)
        {
            stats.lastRefusalLog = now;
            LOG.log(System.Logger.Level.WARNING, "HTTP API: {0} connections open (api.max-connections); closing new ones " +
                "until some end (counted in vtep_api_connections_refused_total; logged at most once a minute)",
                config.maxConnections());
        }
    }

    /** The listener's counters (connections open, refused, timed out; failed responses). */
    public Stats stats()
    {
        return stats;
    }

    private static void throwBindProblem(final ApiConfig listen, final Throwable cause) throws ConfigException, IOException
    {
        final String message = String.valueOf(cause.getMessage());
        final String where = "api.listen " + format(listen);
        if (message.contains("Address already in use"))
        {
            throw new IOException(where + ": address already in use (another vtep or program listens there;" +
                " stop it or change api.listen)", cause);
        }
        if (message.contains("Cannot assign requested address"))
        {
            throw new ConfigException("api.listen", listen.host() + " is not an address of this host");
        }
        if (message.contains("Permission denied"))
        {
            throw new IOException(where + ": permission denied (ports below 1024 need CAP_NET_BIND_SERVICE)", cause);
        }
        throw new IOException(where + ": cannot listen: " + message, cause);
    }

    static String format(final ApiConfig listen)
    {
        return (listen.host().contains(":") ? "[" + listen.host() + "]" : listen.host()) + ":" + listen.port();
    }

    /** Where it listens (the actual port when configured with port 0, as tests do). */
    public InetSocketAddress localAddress()
    {
        return (InetSocketAddress)channel.localAddress();
    }

    /** Stops listening, closes connections and ends the thread; safe to call twice. */
    @Override
    public void close()
    {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /**
     * Closes a connection whose request does not arrive whole within the header timeout of its first
     * byte. Sits before the HTTP decoder so that it sees bytes arrive; {@link RequestHandler} calls
     * {@link #requestReceived} when the decoder delivers the request. Between requests nothing is
     * armed: an idle keep-alive connection is the idle timer's business.
     */
    private static final class RequestDeadline extends ChannelInboundHandlerAdapter
    {
        private final int seconds;
        private final Stats stats;
        private ScheduledFuture<?> timer;

        RequestDeadline(final int seconds, final Stats stats)
        {
            this.seconds = seconds;
            this.stats = stats;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (timer == null)
            {
                timer = ctx.executor().schedule(() ->
                {
                    stats.headerTimeouts.incrementAndGet();
                    ctx.close();
                }, seconds, TimeUnit.SECONDS);
            }
            ctx.fireChannelRead(msg);
        }

        /** The request is in: no deadline until the first byte of the next one. */
        void requestReceived()
        {
            if (timer != null)
            {
                timer.cancel(false);
                timer = null;
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            requestReceived();
            ctx.fireChannelInactive();
        }
    }

    /** One per connection: aggregated request in, routed response out, keep-alive honoured. */
    private static final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        private final ApiRouter router;
        private final RequestDeadline deadline;
        private final Stats stats;
        /** Streamed answers written or queued on this connection (API thread only). */
        private int streamsInFlight;

        RequestHandler(final ApiRouter router, final RequestDeadline deadline, final Stats stats)
        {
            this.router = router;
            this.deadline = deadline;
            this.stats = stats;
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            deadline.requestReceived();
            ApiResponse answer;
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (request.decoderResult().isFailure())
            {
                answer = ApiResponse.text(400, "bad request: " + request.decoderResult().cause().getMessage());
                keepAlive = false;
            }
            else if (router.captureOrNull() != null && router.captureOrNull().handles(request))
            {
                router.captureOrNull().serve(ctx, request);
                return;
            }
            else
            {
                answer = route(request);
            }
            final boolean head = HttpMethod.HEAD.equals(request.method());
            final String what = request.method() + " " + request.uri();
            if (answer.streamed())
            {
                // The first piece is written now, to answer 500 if it fails, unless the answer
                // waits behind another stream: then nothing is made until its turn.
                final DocumentInput document = head ? null : streamsInFlight == 0 ? firstPiece(answer, what) :
                    new DocumentInput(answer.streamOrNull().get(), new StringBuilder(), true);
                if (head || document != null)
                {
                    stream(ctx, request, answer, document, keepAlive, what);
                    return;
                }
                answer = ApiResponse.jsonError(500, "internal error while writing " + request.uri() + " (logged by vtep)");
            }
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
            response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            for (final Map.Entry<String, String> header : answer.headers().entrySet())
            {
                response.headers().set(header.getKey(), header.getValue());
            }
            setConnection(response, request, keepAlive);
            final ChannelFuture written = ctx.writeAndFlush(response);
            if (!keepAlive)
            {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        /**
         * Writes the first piece before the status line goes out, so that a document that fails at
         * once is still answered with a proper 500; null when it failed (logged).
         */
        private DocumentInput firstPiece(final ApiResponse answer, final String what)
        {
            try
            {
                final StreamedDocument document = answer.streamOrNull().get();
                final StringBuilder first = new StringBuilder(StreamedDocument.PIECE_CHARS + 512);
                final boolean more = document.next(first);
                return new DocumentInput(document, first, more);
            }
            catch (final RuntimeException | Error ex)
            {
                failed(what, ex);
                return null;
            }
        }

        /** Status line and headers, then the document as chunks (RFC 9112 §7.1), piece by piece. */
        private void stream(final ChannelHandlerContext ctx, final FullHttpRequest request, final ApiResponse answer,
            final DocumentInput documentOrNull, final boolean keepAliveAsked, final String what)
        {
            boolean keepAlive = keepAliveAsked;
            final HttpResponse response = documentOrNull == null ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer
                .status()), Unpooled.EMPTY_BUFFER) : new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()));
            response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            if (request.protocolVersion().isKeepAliveDefault())
            {
                response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
            else
            {
                // HTTP/1.0 has no chunks (RFC 9112 §6.3): the body ends where the connection does.
                keepAlive = false;
            }
            for (final Map.Entry<String, String> header : answer.headers().entrySet())
            {
                response.headers().set(header.getKey(), header.getValue());
            }
            setConnection(response, request, keepAlive);
            if (documentOrNull == null)
            {
                final ChannelFuture written = ctx.writeAndFlush(response);
                if (!keepAlive)
                {
                    written.addListener(ChannelFutureListener.CLOSE);
                }
                return;
            }
            ctx.write(response);
            final ChunkedWriteHandler writer = ctx.pipeline().get(ChunkedWriteHandler.class);
            documentOrNull.yieldTo(ctx.executor(), writer::resumeTransfer);
            final boolean closeAfter = !keepAlive;
            streamsInFlight++;
            updateReading(ctx);
            ctx.writeAndFlush(new HttpChunkedInput(documentOrNull)).addListener((ChannelFuture written) ->
            {
                streamsInFlight--;
                updateReading(ctx);
                if (!written.isSuccess())
                {
                    // The status line is out: all that is left is to cut the stream short, which the
                    // client sees as a chunked body without its last chunk. A client that went away is
                    // not vtep's failure and not logged.
                    if (documentOrNull.failure != null)
                    {
                        failed(what, documentOrNull.failure);
                    }
                    written.channel().close();
                }
                else if (closeAfter)
                {
                    written.channel().close();
                }
            });
        }

        /**
         * Reads requests only while nothing is streaming and the socket takes what is written: a
         * client that pipelines requests without reading the answers then waits for them in its own
         * socket buffer, not in vtep's memory.
         */
        private void updateReading(final ChannelHandlerContext ctx)
        {
            ctx.channel().config().setAutoRead(streamsInFlight == 0 && ctx.channel().isWritable());
        }

        @Override
        public void channelWritabilityChanged(final ChannelHandlerContext ctx) throws Exception
        {
            updateReading(ctx);
            super.channelWritabilityChanged(ctx);
        }

        private void failed(final String what, final Throwable cause)
        {
            stats.failedResponses.incrementAndGet();
            LOG.log(System.Logger.Level.ERROR, "HTTP API: " + what + " failed", cause);
        }

        private static void setConnection(final HttpResponse response, final FullHttpRequest request, final boolean keepAlive)
        {
            if (!keepAlive)
            {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            else if (!request.protocolVersion().isKeepAliveDefault())
            {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        }

        private ApiResponse route(final FullHttpRequest request)
        {
            try
            {
                return router.handle(new ApiRequest(request.method().name(), request.uri(), request.headers().get(HttpHeaderNames.ACCEPT),
                    request.headers().get(HttpHeaderNames.CONTENT_TYPE), request.headers().get(HttpHeaderNames.AUTHORIZATION),
                    ByteBufUtil.getBytes(request.content())));
            }
            catch (final RuntimeException | Error ex)
            {
                // An Error (such as OutOfMemoryError) is logged here and the thread goes on serving:
                // the API thread holds nothing that the failed request could have left half-done.
                failed(request.method() + " " + request.uri(), ex);
                return ApiResponse.text(500, "internal error: " + ex);
            }
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
        {
            if (event instanceof IdleStateEvent)
            {
                stats.idleTimeouts.incrementAndGet();
                ctx.close();
            }
            else
            {
                super.userEventTriggered(ctx, event);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            // A client that resets its connection is not worth a log line; the connection is done either way.
            ctx.close();
        }
    }

    /**
     * A {@link StreamedDocument} as Netty's chunk source: each chunk is one piece, UTF-8 encoded into
     * a buffer from the channel's allocator. Remembers a failure of the document so that the write's
     * listener can tell it from a client that went away.
     */
    private static final class DocumentInput implements ChunkedInput<ByteBuf>
    {
        /**
         * Pieces written before the stream lets the API thread serve others: Netty's chunk writer
         * keeps asking while the socket is writable, and a client that reads as fast as vtep writes
         * would otherwise hold the thread (and every other client, {@code /healthz} included) until
         * its document ends.
         */
        static final int PIECES_PER_TURN = 4;

        private final StreamedDocument document;
        private final StringBuilder piece;
        private boolean pending;
        private boolean more;
        private long written;
        private int piecesThisTurn;
        private EventExecutor executor;
        private Runnable resume;
        Throwable failure;

        /** With the first piece written ({@code first}), or none yet ({@code first} empty, {@code more} true). */
        DocumentInput(final StreamedDocument document, final StringBuilder first, final boolean more)
        {
            this.document = document;
            this.piece = first;
            this.pending = !first.isEmpty();
            this.more = more;
        }

        @Override
        public boolean isEndOfInput()
        {
            return !pending && !more;
        }

        @Override
        public void close()
        {
            more = false;
            pending = false;
        }

        @Deprecated
        @Override
        public ByteBuf readChunk(final ChannelHandlerContext ctx)
        {
            return readChunk(ctx.alloc());
        }

        /** Where to schedule {@code resume} when a turn's pieces are written (the connection's event loop). */
        void yieldTo(final EventExecutor loop, final Runnable resumeTransfer)
        {
            this.executor = loop;
            this.resume = resumeTransfer;
        }

        @Override
        public ByteBuf readChunk(final ByteBufAllocator allocator)
        {
            if (executor != null && ++piecesThisTurn > PIECES_PER_TURN && (pending || more))
            {
                // null without the end of input makes the chunk writer wait. The resumption is a
                // scheduled task, not a plain one: the loop takes scheduled tasks in once per turn,
                // after its I/O, whereas a plain task that queues itself again would run on and on
                // within one turn (Netty gives tasks up to a second before it looks at I/O again).
                piecesThisTurn = 0;
                executor.schedule(resume, 1, TimeUnit.MICROSECONDS);
                return null;
            }
            if (!pending)
            {
                if (!more)
                {
                    return null;
                }
                piece.setLength(0);
                try
                {
                    more = document.next(piece);
                }
                catch (final RuntimeException | Error ex)
                {
                    failure = ex;
                    more = false;
                    throw ex;
                }
            }
            pending = false;
            final ByteBuf chunk = ByteBufUtil.writeUtf8(allocator, piece);
            written += chunk.readableBytes();
            return chunk;
        }

        @Override
        public long length()
        {
            return -1;
        }

        @Override
        public long progress()
        {
            return written;
        }
    }
}
