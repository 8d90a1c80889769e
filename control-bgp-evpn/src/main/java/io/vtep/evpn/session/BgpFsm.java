package io.vtep.evpn.session;

import java.net.Inet4Address;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.vtep.evpn.RateLimitedLog;
import io.vtep.evpn.codec.AddressFamily;
import io.vtep.evpn.codec.BgpDecodeException;
import io.vtep.evpn.codec.BgpMessage;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.KeepaliveMessage;
import io.vtep.evpn.codec.NotificationMessage;
import io.vtep.evpn.codec.Octets;
import io.vtep.evpn.codec.OpenMessage;
import io.vtep.evpn.codec.RouteRefreshMessage;
import io.vtep.evpn.codec.UpdateMessage;

/**
 * The BGP finite state machine of one neighbor (RFC 4271 §8), one method per state. Runs on the
 * speaker's event loop only: every {@link FsmEvent} (connection events, messages, timers,
 * start/stop) enters through {@link #handle}, so nothing here needs a lock.
 *
 * <p>Simplifications, each allowed by the RFC: no DelayOpen, no DampPeerOscillations beyond the
 * growing Idle hold of {@link SessionTimers}, and automatic restart (event 3) after every error
 * until the speaker stops. A connection that fails in Connect moves to Active, whose ConnectRetry
 * timer starts the next attempt (RFC 4271 §8.2.2, Active, event 9). A passive neighbor (RFC 4271
 * §8.1.1, PassiveTcpEstablishment) never has a ConnectRetry timer: it only ever listens.
 *
 * <p>Beyond RFC 4271: an Established session whose channel stays unwritable (over the write
 * buffer high water mark) while no UPDATE leaves for the negotiated hold time is reset with
 * Cease/Out of Resources (6/8, RFC 4486), as RFC 9687's SendHoldTimer would, instead of queueing
 * for a peer that does not read.
 *
 * <p>Connection collision (RFC 4271 §6.8): while OPENs are being exchanged a second connection
 * (ours if the peer's was first, or the other way round) is tracked beside the first; when an OPEN
 * arrives on one while the other already has the peer's OPEN, the BGP identifiers decide and the
 * loser gets Cease/Connection Collision Resolution (6/7). A connection that arrives while
 * Established is the one that is closed. A third connection replaces a tracked second one that
 * has not brought an OPEN (it may never: its peer's segments can be dropped by GTSM or TCP-MD5);
 * otherwise it is refused.
 */
final class BgpFsm
{
    /** Opens outgoing connections on the event loop, in the speaker's network namespace. */
    interface Connector
    {
        /**
         * @param peer where to connect.
         * @param fsm  gets {@link FsmEvent.TcpConnected} or {@link FsmEvent.TcpConnectionFails}.
         * @return the channel of the attempt.
         */
        Channel connect(PeerConfig peer, BgpFsm fsm);
    }

    private static final System.Logger LOG = System.getLogger(BgpFsm.class.getName());

    private final PeerSession peer;
    private final long localAs;
    private final Inet4Address localId;
    private final SessionTimers timers;
    private final PeerEvents events;
    private final Connector connector;
    private final EventLoop loop;
    private final String name;
    /** What this peer's misbehaviour or flapping logs, a few lines per interval at most. */
    private final RateLimitedLog warnings = new RateLimitedLog(LOG);

    private BgpState state = BgpState.IDLE;
    private Connection connection;
    private Connection second;
    private Channel attempt;
    private boolean stopped = true;
    private int failures;
    private ScheduledFuture<?> connectRetryTimer;
    private ScheduledFuture<?> holdTimer;
    private ScheduledFuture<?> keepaliveTimer;
    private ScheduledFuture<?> idleHoldTimer;
    private ScheduledFuture<?> sendHoldTimer;
    /** When the session's channel last became unwritable (the event loop's clock, {@link #nanoTime}). */
    private long unwritableSinceNanos;
    /** When an UPDATE write last completed on the session's channel (the event loop's clock). */
    private long lastSendProgressNanos;
    /** The session's connection is not read because the RIB is behind ({@link InboundBackpressure}). */
    private boolean readingPaused;

    /**
     * @param peer      the session snapshot this FSM keeps up to date.
     * @param localAs   our AS.
     * @param localId   our BGP identifier.
     * @param timers    ConnectRetry / Idle hold / OpenSent hold.
     * @param events    the RIB.
     * @param connector opens our connections.
     */
    BgpFsm(final PeerSession peer, final long localAs, final Inet4Address localId, final SessionTimers timers,
        final PeerEvents events, final Connector connector)
    {
        this.peer = peer;
        this.localAs = localAs;
        this.localId = localId;
        this.timers = timers;
        this.events = events;
        this.connector = connector;
        this.loop = peer.eventLoop();
        this.name = "BGP peer " + peer.config().address().getHostAddress();
    }

    /** @return the current state (event loop only). */
    BgpState state()
    {
        return state;
    }

    /**
     * The one entry point. Events of a connection that is no longer the peer's are dropped here,
     * so a state method only sees its own connection's.
     *
     * @param event what happened.
     */
    void handle(final FsmEvent event)
    {
        final Channel channel = event.channel();
        if (channel != null && !(event instanceof FsmEvent.TcpConnected))
        {
            if (second != null && channel == second.channel())
            {
                secondConnection(event);
                return;
            }
            if (channel == attempt && event instanceof FsmEvent.TcpConnectionFails fails)
            {
                attemptFailed(fails.reason());
                return;
            }
            if (connection == null || channel != connection.channel())
            {
                return;
            }
        }
        if (event instanceof FsmEvent.TcpConnected connected && connected.outgoing())
        {
            if (channel != attempt)
            {
                channel.close();
                return;
            }
            attempt = null;
        }
        if (event instanceof FsmEvent.Stop stop)
        {
            stop(stop);
            return;
        }
        if (event instanceof FsmEvent.PrefixLimitExceeded exceeded)
        {
            if (state == BgpState.ESTABLISHED)
            {
                prefixLimitExceeded(exceeded.held());
            }
            return;
        }
        switch (state)
        {
            case IDLE -> idle(event);
            case CONNECT -> connect(event);
            case ACTIVE -> active(event);
            case OPEN_SENT -> openSent(event);
            case OPEN_CONFIRM -> openConfirm(event);
            case ESTABLISHED -> established(event);
        }
    }

    /**
     * Queued by {@link PeerSession#send}: sends only while Established (the RIB resends on
     * re-establishment). An UPDATE that cannot be encoded (longer than 4096 octets) is the RIB's
     * bug, not the peer's: it is logged and dropped, and the session stays up.
     *
     * <p>UPDATEs are queued even while the channel is unwritable (above the high water mark): the
     * RIB relies on every one of them arriving. What bounds the queue is the send hold check: a
     * channel that stays unwritable while no UPDATE leaves for the hold time resets the session
     * (see {@link #sendHoldExpired}).
     */
    void sendUpdate(final UpdateMessage update)
    {
        if (state == BgpState.ESTABLISHED)
        {
            connection.channel().writeAndFlush(update).addListener(sent ->
            {
                if (sent.isSuccess())
                {
                    lastSendProgressNanos = nanoTime();
                    peer.countSent();
                }
                else if (sent.cause() instanceof io.netty.handler.codec.EncoderException ex)
                {
                    LOG.log(System.Logger.Level.ERROR, name + ": UPDATE not sent: " + ex.getMessage());
                }
            });
        }
    }

    /**
     * Stops reading the session's connection: the RIB has {@link InboundBackpressure#HIGH} of this
     * peer's UPDATEs still to do. The peer's further UPDATEs wait in the TCP buffers (and then in
     * the peer, whose writes block) instead of in our heap.
     */
    private void pauseReading()
    {
        readingPaused = true;
        peer.countReadPause();
        connection.channel().config().setAutoRead(false);
        LOG.log(System.Logger.Level.DEBUG, "{0}: {1} UPDATEs wait for the RIB, reading paused", name,
            peer.backpressure().outstanding());
    }

    /** Queued by {@link PeerSession#updateConsumed} when the RIB has caught up: read again. */
    void resumeReadingIfDrained()
    {
        if (readingPaused && connection != null && peer.backpressure().drained())
        {
            readingPaused = false;
            connection.channel().config().setAutoRead(true);
            LOG.log(System.Logger.Level.DEBUG, "{0}: RIB caught up, reading resumed", name);
        }
    }

    /**
     * RFC 4486 §4: Cease / Maximum Number of Prefixes Reached, with the AFI, SAFI and the limit as
     * data (as FRR sends it); no restart before {@link MaximumPrefix#restart}, like FRR's
     * {@code maximum-prefix N restart M}. Meanwhile the FSM is Idle and refuses the peer's connections.
     */
    private void prefixLimitExceeded(final long held)
    {
        final MaximumPrefix maximum = peer.config().maximumPrefix();
        final long limit = maximum.limit();
        final NotificationMessage cease = NotificationMessage.of(ErrorSubcode.MAXIMUM_NUMBER_OF_PREFIXES_REACHED, Octets.of(
            AddressFamily.AFI_L2VPN >>> 8, AddressFamily.AFI_L2VPN, AddressFamily.SAFI_EVPN,
            (int)(limit >>> 24), (int)(limit >>> 16), (int)(limit >>> 8), (int)limit));
        final String text = "sent NOTIFICATION " + ErrorSubcode.describe(cease.code(), cease.subcode());
        final String reason = held + " routes held, limit " + limit + "; no restart for " + maximum.restart().toSeconds() + " s";
        peer.lastError(text + ": " + reason);
        peer.countPrefixLimitReset();
        warnings.log(System.Logger.Level.WARNING, "{0}: {1}: {2}", name, text, reason);
        dropConnection(cease, text + ": " + reason, BgpState.IDLE, maximum.restart().toMillis());
    }

    // ---------------------------------------------------------------- states

    /** Idle: refuses connections; starts on ManualStart or when the Idle hold timer expires. */
    private void idle(final FsmEvent event)
    {
        switch (event)
        {
            case FsmEvent.Start start ->
            {
                stopped = false;
                failures = 0;
                begin();
            }
            case FsmEvent.Timer timer when timer == FsmEvent.Timer.IDLE_HOLD_TIMER_EXPIRES && !stopped -> begin();
            case FsmEvent.TcpConnected connected ->
                refuse(connected.channel(), ErrorSubcode.CONNECTION_REJECTED, "in Idle");
            default ->
                {
                }
        }
    }

    /** Connect: our connection attempt is in progress. */
    private void connect(final FsmEvent event)
    {
        switch (event)
        {
            case FsmEvent.TcpConnected connected ->
            {
                cancel(connectRetryTimer);
                openSent(new Connection(connected.channel(), connected.outgoing()));
            }
            case FsmEvent.Timer timer when timer == FsmEvent.Timer.CONNECT_RETRY_TIMER_EXPIRES ->
            {
                closeAttempt();
                initiateConnection();
            }
            default ->
                {
                }
        }
    }

    /** Active: listening for the peer; ConnectRetry expiry starts our own attempt (never for a passive neighbor). */
    private void active(final FsmEvent event)
    {
        switch (event)
        {
            case FsmEvent.TcpConnected connected ->
            {
                cancel(connectRetryTimer);
                openSent(new Connection(connected.channel(), connected.outgoing()));
            }
            // A passive neighbor never initiates (RFC 4271 §8.1.1, PassiveTcpEstablishment): it has no
            // ConnectRetry timer, and a stray expiry must not connect out either.
            case FsmEvent.Timer timer when timer == FsmEvent.Timer.CONNECT_RETRY_TIMER_EXPIRES && !peer.config().passive() ->
                initiateConnection();
            default ->
                {
                }
        }
    }

    /** OpenSent: our OPEN is out; waiting for the peer's. */
    private void openSent(final FsmEvent event)
    {
        switch (event)
        {
            case FsmEvent.MessageReceived received when received.message() instanceof OpenMessage open ->
            {
                final NegotiatedSession negotiated = negotiate(open);
                if (negotiated == null)
                {
                    return;
                }
                connection.negotiated(negotiated);
                peer.remoteRouterId(negotiated.remoteRouterId());
                if (second != null && second.negotiated() != null && resolveCollision())
                {
                    return;
                }
                connection.send(KeepaliveMessage.INSTANCE);
                enterOpenConfirm();
            }
            case FsmEvent.MessageReceived received ->
                common(received.message(), ErrorSubcode.FSM_UNEXPECTED_MESSAGE_IN_OPEN_SENT);
            case FsmEvent.TcpConnected connected -> track(connected);
            case FsmEvent.TcpConnectionFails fails ->
            {
                // RFC 4271 §8.2.2, OpenSent, event 18: back to Active, listening, ConnectRetry running.
                peer.lastError("TCP: " + fails.reason());
                warnings.log(System.Logger.Level.WARNING, "{0}: TCP: {1} in {2}", name, fails.reason(), state);
                dropConnection(null, "TCP: " + fails.reason(), BgpState.ACTIVE);
            }
            default -> common(event, null);
        }
    }

    /** OpenConfirm: OPENs exchanged and our KEEPALIVE sent; waiting for the peer's KEEPALIVE. */
    private void openConfirm(final FsmEvent event)
    {
        switch (event)
        {
            case FsmEvent.MessageReceived received when received.message() instanceof KeepaliveMessage ->
                enterEstablished();
            case FsmEvent.MessageReceived received ->
                common(received.message(), ErrorSubcode.FSM_UNEXPECTED_MESSAGE_IN_OPEN_CONFIRM);
            case FsmEvent.TcpConnected connected -> track(connected);
            default -> common(event, null);
        }
    }

    /** Established: UPDATEs flow to the RIB; every message restarts the hold timer. */
    private void established(final FsmEvent event)
    {
        switch (event)
        {
            case FsmEvent.MessageReceived received when received.message() instanceof UpdateMessage update ->
            {
                restartHoldTimer();
                peer.countReceived();
                callback(() -> events.update(peer, update));
                if (peer.backpressure().handedOver() && !readingPaused)
                {
                    pauseReading();
                }
            }
            case FsmEvent.MessageReceived received when received.message() instanceof KeepaliveMessage ->
                restartHoldTimer();
            case FsmEvent.MessageReceived received when received.message() instanceof RouteRefreshMessage refresh ->
            {
                restartHoldTimer();
                routeRefresh(refresh);
            }
            case FsmEvent.MessageReceived received ->
                common(received.message(), ErrorSubcode.FSM_UNEXPECTED_MESSAGE_IN_ESTABLISHED);
            case FsmEvent.TcpConnected connected ->
                // RFC 4271 §6.8: a collision with an Established connection closes the new one.
                refuse(connected.channel(), ErrorSubcode.CONNECTION_COLLISION_RESOLUTION, "while Established");
            case FsmEvent.WritabilityChanged writability -> writabilityChanged(writability.writable());
            // Not reading is our choice while the RIB catches up: what the peer sent waits in TCP,
            // KEEPALIVEs included, so its silence is not evidence of a dead peer.
            case FsmEvent.Timer timer when timer == FsmEvent.Timer.HOLD_TIMER_EXPIRES && readingPaused -> restartHoldTimer();
            case FsmEvent.Timer timer when timer == FsmEvent.Timer.SEND_HOLD_TIMER_EXPIRES -> sendHoldExpired();
            default -> common(event, null);
        }
    }

    /**
     * What OpenSent, OpenConfirm and Established do alike: NOTIFICATION received, codec errors,
     * timers, TCP failure, and any other message as an FSM error with the RFC 6608 subcode.
     */
    private void common(final Object event, final ErrorSubcode unexpected)
    {
        switch (event)
        {
            case NotificationMessage notification ->
            {
                final String text = "received NOTIFICATION " + ErrorSubcode.describe(notification.code(), notification.subcode()) +
                    notification.shutdownCommunication().map(s -> " \"" + s + "\"").orElse("");
                peer.lastError(text);
                warnings.log(System.Logger.Level.WARNING, "{0}: {1} in {2}", name, text, state);
                dropConnection(null, text, BgpState.IDLE);
            }
            case BgpMessage message -> sessionError(NotificationMessage.of(unexpected),
                "unexpected " + message.type() + " in " + state);
            case FsmEvent.MessageError error -> sessionError(error.error().notification(), error.error().getMessage());
            case FsmEvent.Timer timer when timer == FsmEvent.Timer.HOLD_TIMER_EXPIRES ->
                sessionError(NotificationMessage.of(ErrorSubcode.HOLD_TIMER_EXPIRED_UNSPECIFIC), "no message within the hold time");
            case FsmEvent.Timer timer when timer == FsmEvent.Timer.KEEPALIVE_TIMER_EXPIRES ->
            {
                connection.send(KeepaliveMessage.INSTANCE);
                startKeepaliveTimer();
            }
            case FsmEvent.TcpConnectionFails fails ->
            {
                peer.lastError("TCP: " + fails.reason());
                warnings.log(System.Logger.Level.WARNING, "{0}: TCP: {1} in {2}", name, fails.reason(), state);
                dropConnection(null, "TCP: " + fails.reason(), BgpState.IDLE);
            }
            default ->
                {
                }
        }
    }

    // ---------------------------------------------------------------- transitions

    private void begin()
    {
        if (peer.config().passive())
        {
            transition(BgpState.ACTIVE);
        }
        else
        {
            initiateConnection();
        }
    }

    private void initiateConnection()
    {
        transition(BgpState.CONNECT);
        attempt = connector.connect(peer.config(), this);
        connectRetryTimer = schedule(FsmEvent.Timer.CONNECT_RETRY_TIMER_EXPIRES, SessionTimers.jitteredMillis(timers.connectRetry()));
    }

    private void attemptFailed(final String reason)
    {
        attempt = null;
        if (state == BgpState.CONNECT)
        {
            cancel(connectRetryTimer);
            failures++;
            peer.lastError("TCP: " + reason);
            LOG.log(System.Logger.Level.DEBUG, "{0}: connect failed: {1}", name, reason);
            transition(BgpState.ACTIVE);
            connectRetryTimer = schedule(FsmEvent.Timer.CONNECT_RETRY_TIMER_EXPIRES,
                SessionTimers.jitteredMillis(timers.retryDelay(failures)));
        }
    }

    private void openSent(final Connection opened)
    {
        connection = opened;
        connection.send(OpenNegotiation.localOpen(localAs, peer.config().holdSeconds(), localId));
        transition(BgpState.OPEN_SENT);
        holdTimer = schedule(FsmEvent.Timer.HOLD_TIMER_EXPIRES, timers.openSentHold().toMillis());
    }

    private void enterOpenConfirm()
    {
        transition(BgpState.OPEN_CONFIRM);
        restartHoldTimer();
        startKeepaliveTimer();
    }

    /**
     * OpenConfirm's KEEPALIVE timer (started with our KEEPALIVE) keeps running, so that the next
     * KEEPALIVE comes one interval after the last one. When a second connection wins by its
     * KEEPALIVE, the session's timer was cancelled with the losing connection and none runs for
     * the winner yet: it starts here (RFC 4271 §4.4, §8.2.2). {@link #startKeepaliveTimer} cancels
     * any previous one, so there is never more than one.
     */
    private void enterEstablished()
    {
        restartHoldTimer();
        if (keepaliveTimer == null || keepaliveTimer.isDone())
        {
            startKeepaliveTimer();
        }
        failures = 0;
        closeAttempt();
        if (second != null)
        {
            second.close(NotificationMessage.of(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION));
            second = null;
        }
        peer.established(connection.negotiated());
        transition(BgpState.ESTABLISHED);
        LOG.log(System.Logger.Level.INFO, "{0}: Established, {1}, hold time {2} s, peer BGP identifier {3}", name,
            peer.isIbgp() ? "iBGP" : "eBGP", connection.negotiated().holdTimeSeconds(),
            connection.negotiated().remoteRouterId().getHostAddress());
        callback(() -> events.established(peer));
    }

    /**
     * The session's channel went above the high water mark (or back below the low one). While it
     * stays unwritable, the send hold timer runs for the negotiated hold time, or 90 s when that is
     * 0 (see {@link #sendHoldMillis}).
     */
    private void writabilityChanged(final boolean writable)
    {
        if (writable)
        {
            cancel(sendHoldTimer);
            sendHoldTimer = null;
            return;
        }
        final long hold = sendHoldMillis();
        if (sendHoldTimer != null && !sendHoldTimer.isDone())
        {
            return;
        }
        unwritableSinceNanos = nanoTime();
        LOG.log(System.Logger.Level.DEBUG, "{0}: connection unwritable (over {1} octets queued)", name,
            BgpSpeaker.WATER_MARK.high());
        sendHoldTimer = schedule(FsmEvent.Timer.SEND_HOLD_TIMER_EXPIRES, hold);
    }

    /**
     * The channel has been unwritable for the hold time. If no UPDATE left in that time either, the
     * peer is not reading (zero window, RFC 9687's situation): Cease/Out of Resources (6/8, RFC
     * 4486) rather than queueing without bound. Otherwise it is slow but moving: check again one
     * hold time after the last progress.
     */
    private void sendHoldExpired()
    {
        sendHoldTimer = null;
        final Channel channel = connection.channel();
        if (channel.isWritable() || !channel.isActive())
        {
            return;
        }
        final long holdNanos = TimeUnit.MILLISECONDS.toNanos(sendHoldMillis());
        final long now = nanoTime();
        final long since = lastSendProgressNanos - unwritableSinceNanos > 0 ? lastSendProgressNanos : unwritableSinceNanos;
        final long stalled = now - since;
        if (stalled < holdNanos)
        {
            sendHoldTimer = schedule(FsmEvent.Timer.SEND_HOLD_TIMER_EXPIRES, Math.max(1, TimeUnit.NANOSECONDS.toMillis(holdNanos - stalled)));
            return;
        }
        final var queued = channel.unsafe().outboundBuffer();
        sessionError(NotificationMessage.of(ErrorSubcode.OUT_OF_RESOURCES), "nothing could be sent for " +
            TimeUnit.NANOSECONDS.toSeconds(stalled) + " s, " + (queued == null ? 0 : queued.totalPendingWriteBytes()) +
            " octets queued: the peer does not read");
    }

    /**
     * How long the channel may stay unwritable without progress, in milliseconds: the negotiated
     * hold time, or {@link SessionTimers#sendHoldWithoutHoldTime} when the OPENs settled on 0. The
     * peer's OPEN must not be able to switch the protection off (a peer offering hold time 0 still
     * gets reset when it stops reading).
     */
    private long sendHoldMillis()
    {
        final int hold = connection.negotiated().holdTimeSeconds();
        return hold == 0 ? timers.sendHoldWithoutHoldTime().toMillis() : hold * 1000L;
    }

    /** Sends the NOTIFICATION for an error on the session's connection and drops it. */
    private void sessionError(final NotificationMessage notification, final String reason)
    {
        final String text = "sent NOTIFICATION " + ErrorSubcode.describe(notification.code(), notification.subcode());
        peer.lastError(text);
        warnings.log(System.Logger.Level.WARNING, "{0}: {1} in {2}: {3}", name, text, state, reason);
        dropConnection(notification, text + ": " + reason, BgpState.IDLE);
    }

    /**
     * Ends the session's connection. A tracked second connection takes over (that is what it was
     * kept for); otherwise the FSM goes to {@code next} and retries after the Idle hold or the
     * ConnectRetry time.
     */
    private void dropConnection(final NotificationMessage notification, final String reason, final BgpState next)
    {
        dropConnection(notification, reason, next, -1);
    }

    /** @param idleHoldMillis how long to stay Idle before restarting, or -1 for the usual retry delay. */
    private void dropConnection(final NotificationMessage notification, final String reason, final BgpState next,
        final long idleHoldMillis)
    {
        final boolean wasEstablished = state == BgpState.ESTABLISHED;
        readingPaused = false;
        cancel(holdTimer);
        cancel(keepaliveTimer);
        cancel(sendHoldTimer);
        sendHoldTimer = null;
        final Connection dropped = connection;
        connection = null;
        dropped.close(notification);
        if (wasEstablished)
        {
            peer.down();
            LOG.log(System.Logger.Level.INFO, "{0}: session down: {1}", name, reason);
            callback(() -> events.down(peer, reason));
        }
        if (second != null)
        {
            promoteSecond();
            return;
        }
        failures++;
        final long delay = idleHoldMillis >= 0 ? idleHoldMillis : SessionTimers.jitteredMillis(timers.retryDelay(failures));
        if (next == BgpState.ACTIVE && !stopped)
        {
            transition(BgpState.ACTIVE);
            if (!peer.config().passive())
            {
                // A passive neighbor just listens again: it never initiates (RFC 4271 §8.1.1).
                connectRetryTimer = schedule(FsmEvent.Timer.CONNECT_RETRY_TIMER_EXPIRES, delay);
            }
        }
        else
        {
            closeAttempt();
            transition(BgpState.IDLE);
            if (!stopped)
            {
                idleHoldTimer = schedule(FsmEvent.Timer.IDLE_HOLD_TIMER_EXPIRES, delay);
            }
        }
    }

    /** ManualStop [2]: Cease to whatever connection exists, then Idle without restart. */
    private void stop(final FsmEvent.Stop stop)
    {
        stopped = true;
        cancel(connectRetryTimer);
        cancel(idleHoldTimer);
        closeAttempt();
        final NotificationMessage cease = NotificationMessage.of(stop.cease());
        if (second != null)
        {
            second.close(cease);
            second = null;
        }
        if (connection != null)
        {
            peer.lastError("sent NOTIFICATION " + ErrorSubcode.describe(cease.code(), cease.subcode()));
            dropConnection(cease, stop.reason(), BgpState.IDLE);
        }
        else
        {
            transition(BgpState.IDLE);
        }
    }

    // ---------------------------------------------------------------- collision (RFC 4271 §6.8)

    /** A second connection while OPENs are exchanged: send our OPEN on it and keep it until collision detection decides. */
    private void track(final FsmEvent.TcpConnected connected)
    {
        if (second != null && second.negotiated() != null)
        {
            refuse(connected.channel(), ErrorSubcode.CONNECTION_COLLISION_RESOLUTION, "third connection");
            return;
        }
        if (second != null)
        {
            // The tracked one never brought an OPEN: most likely its peer's segments are dropped on
            // the way (GTSM or TCP-MD5 not yet configured on the other side when it connected) and
            // it would block every newer connection until the OpenSent hold timer. RFC 4271 §6.8
            // only compares connections that have the peer's OPEN, so it may go.
            closeSecond(NotificationMessage.of(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION),
                "replaced by a newer connection, no OPEN received on it");
        }
        second = new Connection(connected.channel(), connected.outgoing());
        second.send(OpenNegotiation.localOpen(localAs, peer.config().holdSeconds(), localId));
        final Connection tracked = second;
        tracked.openTimeout(loop.schedule(() ->
        {
            if (second == tracked)
            {
                closeSecond(NotificationMessage.of(ErrorSubcode.HOLD_TIMER_EXPIRED_UNSPECIFIC), "no OPEN within the hold time");
            }
        }, timers.openSentHold().toMillis(), TimeUnit.MILLISECONDS));
        LOG.log(System.Logger.Level.INFO, "{0}: second connection ({1}) in {2}, collision detection pending", name, second, state);
    }

    /** Events of the second connection, which runs its own OpenSent/OpenConfirm beside the session's. */
    private void secondConnection(final FsmEvent event)
    {
        switch (event)
        {
            case FsmEvent.MessageReceived received when received.message() instanceof OpenMessage open && second.negotiated() == null ->
            {
                final NegotiatedSession negotiated;
                try
                {
                    negotiated = OpenNegotiation.negotiate(open, localAs, localId, peer.config());
                }
                catch (final BgpDecodeException ex)
                {
                    closeSecond(ex.notification(), ex.getMessage());
                    return;
                }
                second.negotiated(negotiated);
                if (connection.negotiated() != null)
                {
                    if (!resolveCollision())
                    {
                        return;
                    }
                }
                if (second != null)
                {
                    second.send(KeepaliveMessage.INSTANCE);
                    // RFC 4271 §8.2.2 (OpenSent, event 19): with the OPEN in, the hold timer runs
                    // for the negotiated time, not the OpenSent one. A peer that sent its OPEN and
                    // then gave up this connection (its KEEPALIVE never comes) no longer blocks
                    // newer connections for minutes.
                    final Connection tracked = second;
                    final int hold = negotiated.holdTimeSeconds();
                    if (hold > 0)
                    {
                        tracked.openTimeout(loop.schedule(() ->
                        {
                            if (second == tracked)
                            {
                                closeSecond(NotificationMessage.of(ErrorSubcode.HOLD_TIMER_EXPIRED_UNSPECIFIC),
                                    "no KEEPALIVE within the hold time");
                            }
                        }, hold, TimeUnit.SECONDS));
                    }
                }
            }
            case FsmEvent.MessageReceived received when received.message() instanceof KeepaliveMessage && second.negotiated() != null ->
            {
                // The peer chose this connection before the session's one got an OPEN: it wins.
                final Connection winner = second;
                second = null;
                cancel(holdTimer);
                cancel(keepaliveTimer);
                connection.close(NotificationMessage.of(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION));
                connection = winner;
                winner.openTimeout(null);
                enterEstablished();
            }
            case FsmEvent.MessageReceived received -> closeSecond(received.message() instanceof NotificationMessage ? null :
                NotificationMessage.of(second.negotiated() == null ? ErrorSubcode.FSM_UNEXPECTED_MESSAGE_IN_OPEN_SENT :
                    ErrorSubcode.FSM_UNEXPECTED_MESSAGE_IN_OPEN_CONFIRM), "received " + received.message());
            case FsmEvent.MessageError error -> closeSecond(error.error().notification(), error.error().getMessage());
            case FsmEvent.TcpConnectionFails fails -> closeSecond(null, fails.reason());
            default ->
                {
                }
        }
    }

    /**
     * Both connections have the peer's OPEN: RFC 4271 §6.8 keeps the one initiated by the speaker
     * with the higher BGP identifier (compared as unsigned 32-bit integers) and closes the other
     * with Cease/Connection Collision Resolution. Equal identifiers (possible only over eBGP, RFC
     * 6286 §2.2) are broken by the AS numbers: the connection initiated by the speaker with the
     * larger AS is kept (RFC 6286 §2.3).
     *
     * @return true if the session's connection lost and the second took over.
     */
    private boolean resolveCollision()
    {
        final long local = unsigned(localId);
        final long remote = unsigned(connection.negotiated().remoteRouterId());
        final long remoteAs = connection.negotiated().remoteAs();
        final boolean keepOutgoing = local != remote ? local > remote : localAs > remoteAs;
        final boolean primaryLoses = connection.outgoing() != second.outgoing() && connection.outgoing() != keepOutgoing;
        final String comparison = local != remote ?
            "local BGP identifier " + localId.getHostAddress() + (local > remote ? " > " : " < ") + "remote " +
                connection.negotiated().remoteRouterId().getHostAddress() :
            "equal BGP identifiers " + localId.getHostAddress() + ", local AS " + localAs + (localAs > remoteAs ? " > " : " < ") +
                "remote AS " + remoteAs;
        LOG.log(System.Logger.Level.INFO,
            "{0}: connection collision, {1}: closing the {2} connection with Cease/Connection Collision Resolution (6/7)",
            name, comparison, (primaryLoses ? connection : second).outgoing() ? "outgoing" : "incoming");
        if (!primaryLoses)
        {
            closeSecond(NotificationMessage.of(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION), "collision");
            return false;
        }
        cancel(holdTimer);
        cancel(keepaliveTimer);
        final Connection loser = connection;
        connection = null;
        loser.close(NotificationMessage.of(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION));
        promoteSecond();
        return true;
    }

    /** The second connection becomes the session's, in the state its OPEN exchange reached. */
    private void promoteSecond()
    {
        connection = second;
        second = null;
        connection.openTimeout(null);
        if (connection.negotiated() != null)
        {
            connection.send(KeepaliveMessage.INSTANCE);
            enterOpenConfirm();
        }
        else
        {
            transition(BgpState.OPEN_SENT);
            holdTimer = schedule(FsmEvent.Timer.HOLD_TIMER_EXPIRES, timers.openSentHold().toMillis());
        }
    }

    private void closeSecond(final NotificationMessage notification, final String reason)
    {
        LOG.log(System.Logger.Level.INFO, "{0}: closing second connection ({1}){2}: {3}", name, second,
            notification == null ? "" : " with " + ErrorSubcode.describe(notification.code(), notification.subcode()), reason);
        second.close(notification);
        second = null;
    }

    // ---------------------------------------------------------------- helpers

    /** @return the negotiated session, or null after sending the OPEN error NOTIFICATION. */
    private NegotiatedSession negotiate(final OpenMessage open)
    {
        try
        {
            return OpenNegotiation.negotiate(open, localAs, localId, peer.config());
        }
        catch (final BgpDecodeException ex)
        {
            sessionError(ex.notification(), ex.getMessage());
            return null;
        }
    }

    private void routeRefresh(final RouteRefreshMessage refresh)
    {
        if (AddressFamily.L2VPN_EVPN.equals(refresh.addressFamily()) && refresh.subtype() == RouteRefreshMessage.SUBTYPE_NORMAL &&
            events instanceof RouteRefreshListener listener)
        {
            callback(() -> listener.routeRefresh(peer, refresh));
        }
        else
        {
            LOG.log(System.Logger.Level.DEBUG, "{0}: ignoring {1}", name, refresh);
        }
    }

    private void refuse(final Channel channel, final ErrorSubcode cease, final String why)
    {
        warnings.log(System.Logger.Level.INFO, "{0}: refusing connection from {1} {2} with {3}", name, channel.remoteAddress(), why, cease);
        new Connection(channel, false).close(NotificationMessage.of(cease));
    }

    private void closeAttempt()
    {
        if (attempt != null)
        {
            final Channel closing = attempt;
            attempt = null;
            closing.close();
        }
    }

    private void restartHoldTimer()
    {
        cancel(holdTimer);
        final int hold = connection.negotiated().holdTimeSeconds();
        holdTimer = hold == 0 ? null : schedule(FsmEvent.Timer.HOLD_TIMER_EXPIRES, hold * 1000L);
    }

    private void startKeepaliveTimer()
    {
        cancel(keepaliveTimer);
        final int keepalive = connection.negotiated().keepaliveSeconds();
        keepaliveTimer = keepalive == 0 ? null : schedule(FsmEvent.Timer.KEEPALIVE_TIMER_EXPIRES, keepalive * 1000L);
    }

    private ScheduledFuture<?> schedule(final FsmEvent.Timer timer, final long millis)
    {
        return loop.schedule(() -> handle(timer), millis, TimeUnit.MILLISECONDS);
    }

    private static void cancel(final ScheduledFuture<?> timer)
    {
        if (timer != null)
        {
            timer.cancel(false);
        }
    }

    private void transition(final BgpState next)
    {
        if (next != state)
        {
            LOG.log(System.Logger.Level.INFO, "{0}: {1} -> {2}", name, state, next);
            state = next;
            peer.state(next);
        }
    }

    /** PeerEvents must not take the event loop down with it: a throwing callback is logged. */
    private void callback(final Runnable call)
    {
        try
        {
            call.run();
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.ERROR, name + ": PeerEvents callback failed", ex);
        }
    }

    /**
     * The clock of the event loop the timers run on (Netty's {@code Ticker}): the system's in a
     * speaker, a manual one under test, so that the send hold check and the timers agree.
     */
    private long nanoTime()
    {
        return loop.ticker().nanoTime();
    }

    private static long unsigned(final Inet4Address address)
    {
        final byte[] b = address.getAddress();
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }

}
