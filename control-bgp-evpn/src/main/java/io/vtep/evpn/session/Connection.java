package io.vtep.evpn.session;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.vtep.evpn.codec.BgpMessage;
import io.vtep.evpn.codec.NotificationMessage;

/**
 * One TCP connection of a peer, with what the FSM knows about it. A peer has at most two at a time:
 * while OPENs are exchanged, the one we initiated and the one the peer initiated may both exist,
 * until collision detection (RFC 4271 §6.8) keeps one of them. Used on the event loop only.
 */
final class Connection
{
    /** How long {@link #close} waits for a NOTIFICATION to be written before closing anyway. */
    static final long NOTIFICATION_CLOSE_TIMEOUT_MILLIS = 3_000;

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());

    private final Channel channel;
    private final boolean outgoing;
    private NegotiatedSession negotiated;
    private ScheduledFuture<?> openTimeout;

    /**
     * @param channel  the connection.
     * @param outgoing we initiated it (Tcp_CR_Acked) rather than accepted it (TcpConnectionConfirmed).
     */
    Connection(final Channel channel, final boolean outgoing)
    {
        this.channel = channel;
        this.outgoing = outgoing;
    }

    Channel channel()
    {
        return channel;
    }

    boolean outgoing()
    {
        return outgoing;
    }

    /** @return what the OPENs settled, or null while the peer's OPEN has not arrived (OpenSent). */
    NegotiatedSession negotiated()
    {
        return negotiated;
    }

    /** @param negotiated the result of the peer's OPEN on this connection. */
    void negotiated(final NegotiatedSession negotiated)
    {
        this.negotiated = negotiated;
        channel.pipeline().get(BgpFrameDecoder.class).context(negotiated.codecContext());
        channel.pipeline().get(BgpMessageEncoder.class).context(negotiated.codecContext());
    }

    /**
     * @param timeout the hold timer of a second connection that waits for its OPEN or KEEPALIVE;
     *                cancelled on close, and when replaced (null: none any more).
     */
    void openTimeout(final ScheduledFuture<?> timeout)
    {
        if (openTimeout != null && openTimeout != timeout)
        {
            openTimeout.cancel(false);
        }
        this.openTimeout = timeout;
    }

    void send(final BgpMessage message)
    {
        channel.writeAndFlush(message, channel.voidPromise());
    }

    /**
     * Sends the NOTIFICATION, then closes (RFC 4271 §6: the connection is closed after it is sent).
     * The close waits for the write, but not forever: a peer that does not read (zero window) would
     * otherwise keep the channel, and everything queued on it, for good. After
     * {@link #NOTIFICATION_CLOSE_TIMEOUT_MILLIS} the channel is closed whether or not the
     * NOTIFICATION left; what was still queued is dropped.
     *
     * @param notification what to send, or null to just close.
     */
    void close(final NotificationMessage notification)
    {
        if (openTimeout != null)
        {
            openTimeout.cancel(false);
        }
        if (notification != null && channel.isActive())
        {
            channel.writeAndFlush(notification).addListener(ChannelFutureListener.CLOSE);
            final ScheduledFuture<?> forced = channel.eventLoop().schedule(() ->
            {
                if (channel.isOpen())
                {
                    LOG.log(System.Logger.Level.WARNING, "{0}: NOTIFICATION not sent within {1} ms, closing anyway", this,
                        String.valueOf(NOTIFICATION_CLOSE_TIMEOUT_MILLIS));
                    channel.close();
                }
            }, NOTIFICATION_CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(closed -> forced.cancel(false));
        }
        else
        {
            channel.close();
        }
    }

    @Override
    public String toString()
    {
        return (outgoing ? "outgoing " : "incoming ") + channel.localAddress() + "->" + channel.remoteAddress();
    }
}
