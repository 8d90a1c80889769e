package io.vtep.evpn.session;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vtep.evpn.RateLimitedLog;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.NotificationMessage;

/**
 * A BGP speaker: one listening socket and one FSM per configured neighbor, all on one epoll event
 * loop thread (docs/architecture.md §3: control work, never a data-path thread).
 *
 * <p>Network namespaces: a Linux thread lives in the namespace of the thread that created it, and
 * a socket in the namespace of the thread that creates it. {@link #start} therefore creates the
 * event loop thread itself (so a caller inside {@code NetworkNamespace.call} gets a speaker in that
 * namespace), binds the listener on the calling thread, and every outgoing connection, including
 * reconnects, is created on the event loop.
 *
 * <p>A neighbor with a password gets TCP-MD5 (RFC 2385) on its outgoing connections and on the
 * listener (see {@link #md5Keys}).
 *
 * <p>Sockets carry TCP_NODELAY and IP_TOS 0xC0 (CS6, network control, as FRR marks BGP). Session
 * channels have a write buffer water mark of 256 KiB / 1 MiB: above 1 MiB queued a channel is
 * unwritable, and an Established session whose channel stays unwritable without any UPDATE leaving
 * for the negotiated hold time is reset with Cease/Out of Resources (see {@link BgpFsm}).
 */
public final class BgpSpeaker implements AutoCloseable
{
    /** DSCP CS6 in the TOS octet. */
    static final int TOS_CS6 = 0xC0;

    private static final System.Logger LOG = System.getLogger(BgpSpeaker.class.getName());
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** Unwritable above 1 MiB queued, writable again below 256 KiB. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final EventLoopGroup group;
    private final EventLoop loop;
    /**
     * Copy-on-write (replaced whole on the event loop when a neighbor is added or removed), so the
     * API's threads read it without a lock.
     */
    private volatile Map<InetAddress, PeerSession> peers = new LinkedHashMap<>();
    private final long localAs;
    private final Inet4Address routerId;
    private final SessionTimers timers;
    private final PeerEvents events;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Anyone who reaches port 179 can cause these: a few lines per interval (event loop only). */
    private final RateLimitedLog refusals = new RateLimitedLog(LOG);
    private Channel listener;

    private BgpSpeaker(final EventLoopGroup group, final SpeakerConfig config, final Inet4Address routerId, final SessionTimers timers,
        final PeerEvents events)
    {
        this.group = group;
        this.loop = group.next();
        this.localAs = config.localAs();
        this.routerId = routerId;
        this.timers = timers;
        this.events = events;
        for (final PeerConfig peerConfig : config.neighbors())
        {
            if (peers.putIfAbsent(peerConfig.address(), newPeer(peerConfig)) != null)
            {
                throw new IllegalArgumentException("neighbor " + peerConfig.address().getHostAddress() + " configured twice");
            }
        }
    }

    /**
     * Starts listening and starts every neighbor's FSM (ManualStart; passive neighbors only listen).
     *
     * @param config the speaker and its neighbors.
     * @param timers ConnectRetry / Idle hold / OpenSent hold.
     * @param events the RIB; called on the event loop, in order per peer.
     * @return the running speaker.
     * @throws IOException if the listening socket cannot be bound.
     */
    public static BgpSpeaker start(final SpeakerConfig config, final SessionTimers timers, final PeerEvents events) throws IOException
    {
        if (!(config.routerId() instanceof Inet4Address routerId))
        {
            throw new IllegalArgumentException("router id must be an IPv4 address: " + config.routerId());
        }
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bgp-speaker", true),
            EpollIoHandler.newFactory());
        // Create the thread now, from this thread: it inherits this thread's network namespace.
        group.next().submit(() ->
        {}).syncUninterruptibly();
        try
        {
            final BgpSpeaker speaker = new BgpSpeaker(group, config, routerId, timers, events);
            speaker.listen(config, routerId);
            return speaker;
        }
        catch (final IOException | RuntimeException ex)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            throw ex;
        }
    }

    private PeerSession newPeer(final PeerConfig config)
    {
        final PeerSession peer = new PeerSession(config, localAs, loop);
        peer.fsm(new BgpFsm(peer, localAs, routerId, timers, events, this::connect));
        return peer;
    }

    /**
     * Adds a neighbor while the speaker runs (a configuration reload) and starts its FSM; the
     * sessions of the other neighbors are not touched. With a password, the listener's TCP-MD5 keys
     * are set again to include it; a GTSM neighbor needs the listener's TTL 255 too.
     *
     * @param config the new neighbor.
     * @throws IllegalArgumentException when a neighbor of that address exists.
     * @throws IOException when the listener cannot take its TCP-MD5 key or GTSM TTL.
     */
    public void addPeer(final PeerConfig config) throws IOException
    {
        final IOException[] failure = new IOException[1];
        loop.submit(() ->
        {
            if (peers.containsKey(config.address()))
            {
                throw new IllegalArgumentException("neighbor " + config.address().getHostAddress() + " is configured already");
            }
            final PeerSession peer = newPeer(config);
            final Map<InetAddress, PeerSession> next = new LinkedHashMap<>(peers);
            next.put(config.address(), peer);
            peers = next;
            try
            {
                if (config.md5Key() != null)
                {
                    listenerMd5Keys();
                }
                if (config.ttlSecurityHops() > 0 && !listenerTtl255())
                {
                    throw new IOException("cannot set TTL 255 on the BGP listener for ttl-security (GTSM)");
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                final Map<InetAddress, PeerSession> back = new LinkedHashMap<>(peers);
                back.remove(config.address());
                peers = back;
                failure[0] = ex instanceof IOException io ? io : new IOException(ex.getMessage(), ex);
                return;
            }
            peer.fsm().handle(new FsmEvent.Start(config.passive()));
            LOG.log(System.Logger.Level.INFO, "BGP neighbor {0} AS {1} added", config.address().getHostAddress(),
                String.valueOf(config.remoteAs()));
        }).syncUninterruptibly();
        if (failure[0] != null)
        {
            throw failure[0];
        }
    }

    /**
     * Removes a neighbor while the speaker runs: its session, if any, ends with Cease/Peer
     * De-configured (RFC 4486 §3), which tells the RIB it is down (its routes are withdrawn), and
     * its connections are refused from then on. Other sessions are not touched.
     *
     * @param address the neighbor's address.
     * @return false when there was no such neighbor.
     */
    public boolean removePeer(final InetAddress address)
    {
        return loop.submit(() ->
        {
            final PeerSession peer = peers.get(address);
            if (peer == null)
            {
                return false;
            }
            final Map<InetAddress, PeerSession> next = new LinkedHashMap<>(peers);
            next.remove(address);
            peers = next;
            peer.fsm().handle(new FsmEvent.Stop(ErrorSubcode.PEER_DE_CONFIGURED, "neighbor removed from the configuration"));
            if (peer.config().md5Key() != null)
            {
                // Its key goes from the listener too: the kernel would otherwise keep dropping unsigned
                // SYNs from that address, say from the same neighbor configured again without a password.
                listenerMd5Keys();
            }
            LOG.log(System.Logger.Level.INFO, "BGP neighbor {0} removed", address.getHostAddress());
            return true;
        }).syncUninterruptibly().getNow();
    }

    /** The listener's TCP-MD5 keys set again to the neighbors' of now (keys of others are removed). */
    private void listenerMd5Keys()
    {
        final Map<InetAddress, byte[]> keys = md5Keys();
        if (!listener.config().setOption(EpollChannelOption.TCP_MD5SIG, keys == null ? Map.of() : keys))
        {
            throw new IllegalStateException("the BGP listener refused its TCP-MD5 keys");
        }
    }

    private void listen(final SpeakerConfig config, final Inet4Address routerId) throws IOException
    {
        // Start every FSM before the listener exists, so no connection finds its neighbor still Idle.
        loop.submit(() ->
        {
            for (final PeerSession peer : peers.values())
            {
                peer.fsm().handle(new FsmEvent.Start(peer.config().passive()));
            }
        }).syncUninterruptibly();
        final ServerBootstrap server = new ServerBootstrap()
            .group(group)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(EpollChannelOption.TCP_MD5SIG, md5Keys())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.IP_TOS, TOS_CS6)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    accept(channel);
                }
            });
        listener = config.listenAddress() != null ?
            bind(server, new InetSocketAddress(config.listenAddress(), config.listenPort())) :
            bindAnyAddress(server, config.listenPort());
        gtsmListener();
        LOG.log(System.Logger.Level.INFO, "BGP speaker AS {0} router id {1} listening on {2}, {3} neighbor(s)",
            String.valueOf(config.localAs()), routerId.getHostAddress(), listener.localAddress(), peers.size());
    }

    /**
     * With a GTSM neighbor, the listener sends its SYN-ACKs with TTL 255 (RFC 5082 §3: the neighbor
     * drops anything lower, the handshake included); the minimum TTL is set on each accepted
     * connection of such a neighbor only, since others may be further away.
     */
    private void gtsmListener() throws IOException
    {
        if (peers.values().stream().noneMatch(peer -> peer.config().ttlSecurityHops() > 0))
        {
            return;
        }
        if (!listenerTtl255())
        {
            listener.close();
            throw new IOException("cannot set TTL 255 on the BGP listener for ttl-security (GTSM)");
        }
    }

    private boolean listenerTtl255()
    {
        final boolean ipv6 = ((InetSocketAddress)listener.localAddress()).getAddress() instanceof Inet6Address;
        final boolean ipv4Set = listener.config().setOption(TtlSecurity.IP_TTL, TtlSecurity.MAX_TTL);
        final boolean ipv6Set = !ipv6 || listener.config().setOption(TtlSecurity.IPV6_UNICAST_HOPS, TtlSecurity.MAX_TTL);
        return ipv4Set && ipv6Set;
    }

    /**
     * TCP-MD5 (RFC 2385) keys of the listener, one per neighbor that has a password. The kernel
     * checks them before a connection exists: a SYN from such a neighbor without the right
     * signature is dropped silently (RFC 2385 §2.0), so a wrong password gives no session at all,
     * and accepted connections inherit the key. Keys are never logged.
     */
    private Map<InetAddress, byte[]> md5Keys()
    {
        final Map<InetAddress, byte[]> keys = new LinkedHashMap<>();
        for (final PeerSession peer : peers.values())
        {
            final byte[] key = peer.config().md5Key();
            if (key != null)
            {
                keys.put(peer.config().address(), key);
            }
        }
        return keys.isEmpty() ? null : keys; // null: no option at all

    }

    /**
     * Every address, IPv4 and IPv6: {@code [::]} on a dual-stack socket. Not {@code new
     * InetSocketAddress(port)}: the JVM's wildcard is 0.0.0.0 unless it prefers IPv6, and then an
     * IPv6 neighbor could never connect. A host (or namespace) without IPv6 gets 0.0.0.0.
     */
    private static Channel bindAnyAddress(final ServerBootstrap server, final int port) throws IOException
    {
        try
        {
            return bind(server, new InetSocketAddress(InetAddress.getByAddress(new byte[16]), port));
        }
        catch (final IOException ex)
        {
            return bind(server, new InetSocketAddress(InetAddress.getByAddress(new byte[4]), port));
        }
    }

    private static Channel bind(final ServerBootstrap server, final InetSocketAddress address) throws IOException
    {
        // The family is explicit: Netty's default follows what the JVM found when it first looked,
        // maybe from a namespace without IPv6.
        final SocketProtocolFamily family = address.getAddress() instanceof Inet6Address ?
            SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        final ChannelFuture bound;
        try
        {
            bound = server.clone().channelFactory(() -> new EpollServerSocketChannel(family)).bind(address).awaitUninterruptibly();
        }
        catch (final RuntimeException ex)
        {
            throw new IOException("cannot listen for BGP on " + address + ": " + ex.getMessage(), ex);
        }
        if (!bound.isSuccess())
        {
            throw new IOException("cannot listen for BGP on " + address + ": " + bound.cause().getMessage(), bound.cause());
        }
        return bound.channel();
    }

    /** Incoming connection: hand it to its neighbor's FSM, or refuse it (Cease/Connection Rejected, RFC 4486 §4). */
    private void accept(final SocketChannel channel)
    {
        final InetAddress source = unmapped(channel.remoteAddress().getAddress());
        final PeerSession peer = peers.get(source);
        final BgpFrameDecoder decoder = new BgpFrameDecoder();
        final BgpMessageEncoder encoder = new BgpMessageEncoder();
        if (peer == null)
        {
            refusals.log(System.Logger.Level.WARNING, "BGP connection from {0} refused with {1}: not a configured neighbor",
                channel.remoteAddress(), ErrorSubcode.CONNECTION_REJECTED);
            channel.pipeline().addLast(encoder);
            // Connection.close: the NOTIFICATION, then close, and close anyway if it cannot be written.
            channel.eventLoop().execute(() -> new Connection(channel, false).close(NotificationMessage.of(ErrorSubcode.CONNECTION_REJECTED)));
            return;
        }
        if (!TtlSecurity.apply(channel, peer.config()))
        {
            refusals.log(System.Logger.Level.WARNING, "BGP connection from {0} closed: cannot set its GTSM socket options",
                channel.remoteAddress());
            channel.close();
            return;
        }
        channel.pipeline().addLast(decoder, encoder, new SessionHandler(peer.fsm()::handle, false));
    }

    /** An IPv4 neighbor reaching the dual-stack listener shows as ::ffff:a.b.c.d; its configured address is a.b.c.d. */
    static InetAddress unmapped(final InetAddress address)
    {
        final byte[] octets = address.getAddress();
        if (octets.length == 16 && isIpv4Mapped(octets))
        {
            try
            {
                return InetAddress.getByAddress(java.util.Arrays.copyOfRange(octets, 12, 16));
            }
            catch (final java.net.UnknownHostException ex)
            {
                throw new IllegalStateException(ex);
            }
        }
        return address;
    }

    private static boolean isIpv4Mapped(final byte[] octets)
    {
        for (int i = 0; i < 10; i++)
        {
            if (octets[i] != 0)
            {
                return false;
            }
        }
        return octets[10] == (byte)0xFF && octets[11] == (byte)0xFF;
    }

    /** Runs on the event loop (the FSM calls it), so the socket is created in the speaker's namespace. */
    private Channel connect(final PeerConfig peer, final BgpFsm fsm)
    {
        final SocketProtocolFamily family = peer.address() instanceof Inet6Address ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        final Bootstrap bootstrap = new Bootstrap()
            .group(loop)
            .channelFactory(() -> new EpollSocketChannel(family))
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.IP_TOS, TOS_CS6)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    // Before connect(): with GTSM the SYN leaves with TTL 255 and the SYN-ACK is checked.
                    if (!TtlSecurity.apply(channel, peer))
                    {
                        throw new IllegalStateException("cannot set the GTSM socket options for " + peer.address().getHostAddress());
                    }
                    channel.pipeline().addLast(new BgpFrameDecoder(), new BgpMessageEncoder(), new SessionHandler(fsm::handle, true));
                }
            });
        final byte[] md5Key = peer.md5Key();
        if (md5Key != null)
        {
            // Set before connect(): the SYN already carries the signature (RFC 2385 §2.0).
            bootstrap.option(EpollChannelOption.TCP_MD5SIG, Map.of(peer.address(), md5Key));
        }
        final InetSocketAddress remote = new InetSocketAddress(peer.address(), peer.port());
        final ChannelFuture future = peer.localAddress() == null ? bootstrap.connect(remote) :
            bootstrap.connect(remote, new InetSocketAddress(peer.localAddress(), 0));
        future.addListener(f ->
        {
            if (!f.isSuccess())
            {
                fsm.handle(new FsmEvent.TcpConnectionFails(future.channel(), "connect to " + remote + " failed: " + f.cause().getMessage()));
            }
        });
        return future.channel();
    }

    /** @return every neighbor, in configuration order. */
    public List<BgpPeer> peers()
    {
        return new ArrayList<>(peers.values());
    }

    /**
     * @param address a neighbor's address.
     * @return its session, or null when it is not configured.
     */
    public BgpPeer peer(final InetAddress address)
    {
        return peers.get(address);
    }

    /**
     * The event loop every session runs on: for a liveness probe (a task scheduled on it that
     * stops running means the loop is stuck or gone).
     */
    public EventLoop eventLoop()
    {
        return loop;
    }

    /** @return the port the listener is bound to (the configured one, or the kernel's choice for port 0). */
    public int localPort()
    {
        return ((InetSocketAddress)listener.localAddress()).getPort();
    }

    /**
     * Cease/Administrative Shutdown (6/2, RFC 4486) to every neighbor with a connection, then
     * releases the event loop. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        loop.submit(() ->
        {
            for (final PeerSession peer : peers.values())
            {
                peer.fsm().handle(new FsmEvent.Stop(ErrorSubcode.ADMINISTRATIVE_SHUTDOWN, "speaker closed"));
            }
            listener.close();
        }).awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(100, 2_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        LOG.log(System.Logger.Level.INFO, "BGP speaker closed");
    }
}
