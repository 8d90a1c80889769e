package io.vtep.core.api;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
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
 */
public final class ApiServer implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(ApiServer.class.getName());
    /** GET requests carry no body worth reading; anything bigger is refused with 413. */
    static final int MAX_REQUEST_BYTES = 16 * 1024;
    /** Connections idle this long are closed (a scraper reconnects; nothing else holds one open). */
    static final int IDLE_SECONDS = 120;

    private final EventLoopGroup group;
    private final Channel channel;

    private ApiServer(final EventLoopGroup group, final Channel channel)
    {
        this.group = group;
        this.channel = channel;
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
        final InetSocketAddress address;
        try
        {
            address = new InetSocketAddress(InetAddress.getByName(listen.host()), listen.port());
        }
        catch (final UnknownHostException ex)
        {
            throw new ConfigException("api.listen", "\"" + listen.host() + "\" is not an IP address");
        }
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
                    ch.pipeline()
                        .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                        .addLast(new HttpServerCodec(4096, 8192, 8192))
                        .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                        .addLast(new RequestHandler(router));
                }
            });
        final ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess())
        {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throwBindProblem(listen, bound.cause());
        }
        final ApiServer server = new ApiServer(group, bound.channel());
        LOG.log(System.Logger.Level.INFO, "HTTP API listening on {0}",
            format(new ApiConfig(listen.host(), server.localAddress().getPort())));
        return server;
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

    /** One per connection: aggregated request in, routed response out, keep-alive honoured. */
    private static final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        private final ApiRouter router;

        RequestHandler(final ApiRouter router)
        {
            this.router = router;
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            final ApiResponse answer;
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (request.decoderResult().isFailure())
            {
                answer = ApiResponse.text(400, "bad request: " + request.decoderResult().cause().getMessage());
                keepAlive = false;
            }
            else
            {
                answer = route(request);
            }
            final boolean head = HttpMethod.HEAD.equals(request.method());
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
            if (keepAlive)
            {
                if (!request.protocolVersion().isKeepAliveDefault())
                {
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                }
                ctx.writeAndFlush(response);
            }
            else
            {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private ApiResponse route(final FullHttpRequest request)
        {
            try
            {
                return router.handle(request.method().name(), request.uri(), request.headers().get(HttpHeaderNames.ACCEPT));
            }
            catch (final RuntimeException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "HTTP API: " + request.method() + " " + request.uri() + " failed", ex);
                return ApiResponse.text(500, "internal error: " + ex);
            }
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
        {
            if (event instanceof IdleStateEvent)
            {
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
}
