package io.vtep.evpn.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vtep.evpn.codec.AddressFamily;
import io.vtep.evpn.codec.BgpDecodeException;
import io.vtep.evpn.codec.BgpMessage;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.EvpnUpdates;
import io.vtep.evpn.codec.KeepaliveMessage;
import io.vtep.evpn.codec.NotificationMessage;
import io.vtep.evpn.codec.Octets;
import io.vtep.evpn.codec.OpenMessage;
import io.vtep.evpn.codec.RouteRefreshMessage;
import io.vtep.evpn.codec.WireFormat;

/**
 * {@link BgpFsm} on its own (RFC 4271 §8): fake connections (embedded channels that record what
 * the FSM sends), a manual clock (the embedded event loop's, frozen), so every state's events,
 * timers and the collision cases of RFC 4271 §6.8 run in milliseconds. What arrives from the peer
 * is handed to the FSM as the session handler would.
 */
class BgpFsmTest
{
    private static final long AS = 65000;
    private static final Inet4Address LOW_ID = WireFormat.parseIpv4("10.0.0.1");
    private static final Inet4Address MID_ID = WireFormat.parseIpv4("10.0.0.5");
    private static final Inet4Address HIGH_ID = WireFormat.parseIpv4("10.0.0.9");
    private static final int HOLD = 9;
    /** ConnectRetry 1 s then 5 s, OpenSent hold 4 s, send hold without hold time 90 s. */
    private static final SessionTimers TIMERS = new SessionTimers(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(4),
        Duration.ofSeconds(90));

    /** The event loop the FSM's timers run on; its clock is frozen and moved by {@link #advance}. */
    private final EmbeddedChannel clock = new EmbeddedChannel();
    private final RecordingEvents events = new RecordingEvents();
    private final List<Fake> attempts = new ArrayList<>();
    private PeerSession peer;
    private BgpFsm fsm;
    private Inet4Address remoteId = HIGH_ID;
    private long remoteAs = AS;

    /** One TCP connection as the FSM sees it, recording the messages written to it. */
    private static final class Fake
    {
        final List<BgpMessage> sent = new ArrayList<>();
        final boolean outgoing;
        final EmbeddedChannel channel;

        Fake(final boolean outgoing)
        {
            this.outgoing = outgoing;
            this.channel = new EmbeddedChannel(new BgpFrameDecoder(), new BgpMessageEncoder(), new ChannelOutboundHandlerAdapter()
            {
                @Override
                public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
                {
                    if (msg instanceof BgpMessage message)
                    {
                        sent.add(message);
                    }
                    ctx.write(msg, promise);
                }
            });
        }

        NotificationMessage notification()
        {
            return (NotificationMessage)sent.stream().filter(NotificationMessage.class::isInstance).reduce((a, b) -> b).orElse(null);
        }

        long count(final Class<? extends BgpMessage> type)
        {
            return sent.stream().filter(type::isInstance).count();
        }
    }

    @AfterEach
    void close()
    {
        clock.finishAndReleaseAll();
    }

    private void create(final boolean passive, final long localAs, final Inet4Address localId)
    {
        clock.freezeTime();
        peer = new PeerSession(new PeerConfig(WireFormat.parseAddress("192.0.2.2"), remoteAs, 179, passive, HOLD, null), localAs,
            clock.eventLoop());
        fsm = new BgpFsm(peer, localAs, localId, TIMERS, events, (config, machine) ->
        {
            final Fake attempt = new Fake(true);
            attempts.add(attempt);
            return attempt.channel;
        });
        peer.fsm(fsm);
    }

    private void create()
    {
        create(false, AS, LOW_ID);
    }

    private void start()
    {
        fsm.handle(new FsmEvent.Start(false));
    }

    private void connected(final Fake connection)
    {
        fsm.handle(new FsmEvent.TcpConnected(connection.channel, connection.outgoing));
    }

    private void receive(final Fake connection, final BgpMessage message)
    {
        fsm.handle(new FsmEvent.MessageReceived(connection.channel, message));
    }

    private OpenMessage peerOpen()
    {
        return OpenNegotiation.localOpen(remoteAs, HOLD, remoteId);
    }

    /**
     * Moves the clock in small steps, running what falls due at each, as a real loop would: a
     * periodic timer rescheduled from a task runs again within the same call.
     */
    private void advance(final long millis)
    {
        final long step = millis > 60_000 ? 100 : 1;
        for (long done = 0; done < millis; done += step)
        {
            clock.advanceTimeBy(Math.min(step, millis - done), TimeUnit.MILLISECONDS);
            clock.runScheduledPendingTasks();
        }
    }

    /** Start, our connection completes: OpenSent on it. */
    private Fake openSent()
    {
        start();
        final Fake connection = attempts.getLast();
        connected(connection);
        return connection;
    }

    private Fake established()
    {
        final Fake connection = openSent();
        receive(connection, peerOpen());
        receive(connection, KeepaliveMessage.INSTANCE);
        assertEquals(BgpState.ESTABLISHED, fsm.state());
        return connection;
    }

    private static void assertNotification(final ErrorSubcode expected, final Fake connection)
    {
        final NotificationMessage notification = connection.notification();
        assertTrue(notification != null, "no NOTIFICATION sent; sent " + connection.sent);
        assertEquals(expected, ErrorSubcode.of(notification.code(), notification.subcode()));
    }

    // ------------------------------------------------------------------ Idle

    @Test
    void idleRefusesConnectionsAndStartConnects()
    {
        create();
        final Fake stranger = new Fake(false);
        connected(stranger);
        assertNotification(ErrorSubcode.CONNECTION_REJECTED, stranger);
        assertFalse(stranger.channel.isOpen());
        assertEquals(BgpState.IDLE, fsm.state());

        start();
        assertEquals(BgpState.CONNECT, fsm.state());
        assertEquals(1, attempts.size());
    }

    @Test
    void aPassiveNeighborListensInActiveAndNeverConnects()
    {
        create(true, AS, LOW_ID);
        fsm.handle(new FsmEvent.Start(true));
        assertEquals(BgpState.ACTIVE, fsm.state());
        advance(TimeUnit.HOURS.toMillis(1));
        assertEquals(List.of(), attempts, "RFC 4271 §8.1.1 PassiveTcpEstablishment");
        fsm.handle(FsmEvent.Timer.CONNECT_RETRY_TIMER_EXPIRES);
        assertEquals(List.of(), attempts, "not even on a stray ConnectRetry expiry");

        final Fake incoming = new Fake(false);
        connected(incoming);
        assertEquals(BgpState.OPEN_SENT, fsm.state());
        assertInstanceOf(OpenMessage.class, incoming.sent.getFirst());
    }

    // ------------------------------------------------------------------ Connect and Active

    @Test
    void connectRetryExpiryInConnectStartsANewAttempt()
    {
        create();
        start();
        advance(3_749); // below 75 % of 5 s, the smallest jittered ConnectRetry
        assertEquals(1, attempts.size());
        advance(1_251);
        assertEquals(2, attempts.size(), "RFC 4271 §8.2.2 Connect, event 9");
        assertFalse(attempts.getFirst().channel.isOpen(), "the first attempt is dropped");
        assertEquals(BgpState.CONNECT, fsm.state());
    }

    @Test
    void aFailedAttemptGoesToActiveAndRetriesAfterTheFirstRetryDelay()
    {
        create();
        start();
        fsm.handle(new FsmEvent.TcpConnectionFails(attempts.getFirst().channel, "refused"));
        assertEquals(BgpState.ACTIVE, fsm.state());
        assertEquals("TCP: refused", peer.lastError());
        advance(749);
        assertEquals(1, attempts.size(), "before 75 % of 1 s");
        advance(251);
        assertEquals(2, attempts.size());
        assertEquals(BgpState.CONNECT, fsm.state());
    }

    @Test
    void activeAcceptsThePeersConnection()
    {
        create();
        start();
        fsm.handle(new FsmEvent.TcpConnectionFails(attempts.getFirst().channel, "refused"));
        final Fake incoming = new Fake(false);
        connected(incoming);
        assertEquals(BgpState.OPEN_SENT, fsm.state());
        final OpenMessage open = (OpenMessage)incoming.sent.getFirst();
        assertEquals(AS, open.asn());
        assertEquals(LOW_ID, open.bgpIdentifier());
        assertEquals(HOLD, open.holdTime());
        advance(3_900); // past the 1 s ConnectRetry that Active had running, before the 4 s OpenSent hold
        assertEquals(1, attempts.size(), "ConnectRetry stopped once connected");
        assertEquals(BgpState.OPEN_SENT, fsm.state());
    }

    @Test
    void aConnectionThatIsNotTheAttemptIsClosed()
    {
        create();
        start();
        final Fake late = new Fake(true);
        connected(late);
        assertFalse(late.channel.isOpen());
        assertEquals(BgpState.CONNECT, fsm.state());
    }

    // ------------------------------------------------------------------ OpenSent

    @Test
    void openSentTakesAValidOpenWithAKeepaliveIntoOpenConfirm()
    {
        create();
        final Fake connection = openSent();
        assertEquals(BgpState.OPEN_SENT, fsm.state());
        receive(connection, peerOpen());
        assertEquals(BgpState.OPEN_CONFIRM, fsm.state());
        assertInstanceOf(KeepaliveMessage.class, connection.sent.getLast());
        assertEquals(HIGH_ID, peer.remoteRouterId());
    }

    @Test
    void openSentHoldTimerExpiresWithHoldTimerExpiredAndRestartsAfterTheIdleHold()
    {
        create();
        final Fake connection = openSent();
        advance(3_999);
        assertEquals(BgpState.OPEN_SENT, fsm.state());
        advance(1);
        assertNotification(ErrorSubcode.HOLD_TIMER_EXPIRED_UNSPECIFIC, connection);
        assertFalse(connection.channel.isOpen());
        assertEquals(BgpState.IDLE, fsm.state());
        advance(1_000);
        assertEquals(BgpState.CONNECT, fsm.state(), "automatic restart after the Idle hold (RFC 4271 §8.1.1)");
        assertEquals(2, attempts.size());
    }

    @Test
    void anOpenFromTheWrongAsIsRefusedWithBadPeerAs()
    {
        create();
        final Fake connection = openSent();
        remoteAs = 65099;
        receive(connection, peerOpen());
        assertNotification(ErrorSubcode.BAD_PEER_AS, connection);
        assertEquals(BgpState.IDLE, fsm.state());
        assertTrue(peer.lastError().contains("2/2") || peer.lastError().contains("Bad Peer AS"), peer.lastError());
    }

    @Test
    void aKeepaliveInOpenSentIsAnFsmError()
    {
        create();
        final Fake connection = openSent();
        receive(connection, KeepaliveMessage.INSTANCE);
        assertNotification(ErrorSubcode.FSM_UNEXPECTED_MESSAGE_IN_OPEN_SENT, connection);
        assertEquals(BgpState.IDLE, fsm.state());
    }

    @Test
    void aTcpFailureInOpenSentGoesBackToActive()
    {
        create();
        final Fake connection = openSent();
        fsm.handle(new FsmEvent.TcpConnectionFails(connection.channel, "reset"));
        assertEquals(BgpState.ACTIVE, fsm.state(), "RFC 4271 §8.2.2 OpenSent, event 18");
        advance(1_000);
        assertEquals(BgpState.CONNECT, fsm.state());
    }

    // ------------------------------------------------------------------ OpenConfirm

    @Test
    void aKeepaliveInOpenConfirmEstablishesAndTellsTheRib()
    {
        create();
        final Fake connection = openSent();
        receive(connection, peerOpen());
        assertEquals(List.of(), events.of("established", peer));
        receive(connection, KeepaliveMessage.INSTANCE);
        assertEquals(BgpState.ESTABLISHED, fsm.state());
        assertEquals(1, events.of("established", peer).size());
        assertEquals(1, peer.establishedTransitions());
        assertEquals(HOLD, peer.negotiatedHoldSeconds());
    }

    @Test
    void anUpdateInOpenConfirmIsAnFsmError()
    {
        create();
        final Fake connection = openSent();
        receive(connection, peerOpen());
        receive(connection, EvpnUpdates.endOfRib());
        assertNotification(ErrorSubcode.FSM_UNEXPECTED_MESSAGE_IN_OPEN_CONFIRM, connection);
        assertEquals(BgpState.IDLE, fsm.state());
    }

    @Test
    void aNotificationInOpenConfirmEndsItWithoutAnswering()
    {
        create();
        final Fake connection = openSent();
        receive(connection, peerOpen());
        receive(connection, NotificationMessage.of(ErrorSubcode.ADMINISTRATIVE_RESET));
        assertEquals(BgpState.IDLE, fsm.state());
        assertEquals(null, connection.notification(), "no NOTIFICATION in answer to one");
        assertFalse(connection.channel.isOpen());
        assertEquals(List.of(), events.of("down", peer), "never Established: nothing to tell the RIB");
    }

    @Test
    void openConfirmSendsKeepalivesAndExpiresOnTheNegotiatedHoldTime()
    {
        create();
        final Fake connection = openSent();
        receive(connection, peerOpen());
        advance(3_000);
        assertEquals(2, connection.count(KeepaliveMessage.class), "one with the OPEN, one a third of the hold time later");
        advance(5_999);
        assertEquals(BgpState.OPEN_CONFIRM, fsm.state());
        advance(1);
        assertNotification(ErrorSubcode.HOLD_TIMER_EXPIRED_UNSPECIFIC, connection);
        assertEquals(BgpState.IDLE, fsm.state());
    }

    // ------------------------------------------------------------------ Established

    @Test
    void establishedHandsUpdatesToTheRibAndEveryMessageRestartsTheHoldTimer()
    {
        create();
        final Fake connection = established();
        receive(connection, EvpnUpdates.endOfRib());
        assertEquals(1, events.of("update", peer).size());
        assertEquals(1, peer.updatesReceived());
        advance(8_000);
        receive(connection, KeepaliveMessage.INSTANCE);
        advance(8_000);
        assertEquals(BgpState.ESTABLISHED, fsm.state(), "the KEEPALIVE at 8 s restarted the 9 s hold timer");
        assertEquals(6, connection.count(KeepaliveMessage.class), "ours: one with the OPEN, then every 3 s (3, 6, 9, 12, 15)");
        advance(1_000);
        assertNotification(ErrorSubcode.HOLD_TIMER_EXPIRED_UNSPECIFIC, connection);
        assertEquals(BgpState.IDLE, fsm.state());
        assertEquals(1, events.of("down", peer).size());
        assertEquals(1, peer.sessionsEnded());
    }

    @Test
    void anOpenInEstablishedIsAnFsmErrorAndTheSessionGoesDown()
    {
        create();
        final Fake connection = established();
        receive(connection, peerOpen());
        assertNotification(ErrorSubcode.FSM_UNEXPECTED_MESSAGE_IN_ESTABLISHED, connection);
        assertEquals(1, events.of("down", peer).size());
    }

    @Test
    void aConnectionWhileEstablishedIsClosedWithCollisionResolution()
    {
        create();
        final Fake connection = established();
        final Fake another = new Fake(false);
        connected(another);
        assertNotification(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION, another);
        assertFalse(another.channel.isOpen());
        assertTrue(connection.channel.isOpen());
        assertEquals(BgpState.ESTABLISHED, fsm.state(), "RFC 4271 §6.8: the Established one stays");
    }

    @Test
    void stopSendsCeaseAndStaysIdle()
    {
        create();
        final Fake connection = established();
        fsm.handle(new FsmEvent.Stop(ErrorSubcode.ADMINISTRATIVE_SHUTDOWN, "closing"));
        assertNotification(ErrorSubcode.ADMINISTRATIVE_SHUTDOWN, connection);
        assertEquals(BgpState.IDLE, fsm.state());
        assertEquals("closing", events.of("down", peer).getFirst().reason());
        advance(TimeUnit.MINUTES.toMillis(10));
        assertEquals(1, attempts.size(), "ManualStop: no automatic restart");
    }

    @Test
    void aPeerThatStopsReadingIsResetWithOutOfResourcesAfterTheHoldTime()
    {
        create();
        final Fake connection = established();
        // The peer reads nothing: our buffer stays above the high water mark (its KEEPALIVEs still arrive).
        connection.channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertFalse(connection.channel.isWritable());
        fsm.handle(new FsmEvent.WritabilityChanged(connection.channel, false));
        advance(3_000);
        receive(connection, KeepaliveMessage.INSTANCE);
        advance(3_000);
        receive(connection, KeepaliveMessage.INSTANCE);
        advance(2_999);
        receive(connection, KeepaliveMessage.INSTANCE);
        assertEquals(BgpState.ESTABLISHED, fsm.state());
        advance(1);
        assertNotification(ErrorSubcode.OUT_OF_RESOURCES, connection);
        assertEquals(BgpState.IDLE, fsm.state());
    }

    @Test
    void aPeerThatReadsAgainInTimeKeepsTheSession()
    {
        create();
        final Fake connection = established();
        fsm.handle(new FsmEvent.WritabilityChanged(connection.channel, false));
        advance(5_000);
        fsm.handle(new FsmEvent.WritabilityChanged(connection.channel, true));
        receive(connection, KeepaliveMessage.INSTANCE);
        advance(5_000);
        receive(connection, KeepaliveMessage.INSTANCE);
        advance(5_000);
        assertEquals(BgpState.ESTABLISHED, fsm.state());
        assertEquals(null, connection.notification());
    }

    @Test
    void aMalformedMessageSendsTheCodecsNotificationAndEndsTheSession()
    {
        create();
        final Fake connection = established();
        fsm.handle(new FsmEvent.MessageError(connection.channel,
            new BgpDecodeException(ErrorSubcode.MALFORMED_ATTRIBUTE_LIST, Octets.EMPTY, "MP_REACH_NLRI twice")));
        assertNotification(ErrorSubcode.MALFORMED_ATTRIBUTE_LIST, connection);
        assertEquals(BgpState.IDLE, fsm.state());
        assertEquals(1, events.of("down", peer).size());
    }

    @Test
    void aRouteRefreshForEvpnGoesToTheRibAndOtherFamiliesAreIgnored()
    {
        create();
        final Fake connection = established();
        receive(connection, RouteRefreshMessage.of(AddressFamily.L2VPN_EVPN, RouteRefreshMessage.SUBTYPE_NORMAL));
        assertEquals(1, events.of("refresh", peer).size());
        receive(connection, new RouteRefreshMessage(1, RouteRefreshMessage.SUBTYPE_NORMAL, 1, Octets.EMPTY));
        assertEquals(1, events.of("refresh", peer).size(), "IPv4 unicast: not ours");
        assertEquals(BgpState.ESTABLISHED, fsm.state());
    }

    @Test
    void aNeighborOverItsMaximumPrefixGetsCeaseAndStaysDownForTheRestartTime()
    {
        create();
        final Fake connection = established();
        fsm.handle(new FsmEvent.PrefixLimitExceeded(100_001));
        assertNotification(ErrorSubcode.MAXIMUM_NUMBER_OF_PREFIXES_REACHED, connection);
        assertEquals(Octets.of(0x00, 0x19, 0x46, 0x00, 0x01, 0x86, 0xa0), connection.notification().data(),
            "RFC 4486 §4: AFI 25, SAFI 70, the limit 100000");
        assertEquals(BgpState.IDLE, fsm.state());
        assertEquals(1, peer.prefixLimitResets());
        final Fake incoming = new Fake(false);
        connected(incoming);
        assertNotification(ErrorSubcode.CONNECTION_REJECTED, incoming);
        advance(59_999);
        assertEquals(1, attempts.size(), "no restart before the 60 s of maximum-prefix restart");
        advance(1);
        assertEquals(2, attempts.size());
    }

    @Test
    void aRibThatFallsBehindPausesReadingAndTheHoldTimerWaitsMeanwhile()
    {
        create();
        final Fake connection = established();
        for (int i = 0; i < InboundBackpressure.HIGH; i++)
        {
            receive(connection, EvpnUpdates.endOfRib());
        }
        assertFalse(connection.channel.config().isAutoRead(), "128 UPDATEs outstanding: reading paused");
        assertEquals(1, peer.readPauses());
        advance(30_000);
        assertEquals(BgpState.ESTABLISHED, fsm.state(), "the peer's KEEPALIVEs wait in TCP: no hold timer expiry while paused");
        for (int i = 0; i < InboundBackpressure.HIGH - InboundBackpressure.LOW; i++)
        {
            peer.updateConsumed();
        }
        clock.runPendingTasks();
        assertTrue(connection.channel.config().isAutoRead(), "down to 32: reading again");
        advance(9_000);
        assertNotification(ErrorSubcode.HOLD_TIMER_EXPIRED_UNSPECIFIC, connection);
    }

    // ------------------------------------------------------------------ collisions (RFC 4271 §6.8)

    /** Ours in OpenSent, then the peer's: both get our OPEN; the peer's OPEN arrives on ours first. */
    private Fake[] collide()
    {
        final Fake ours = openSent();
        final Fake theirs = new Fake(false);
        connected(theirs);
        assertInstanceOf(OpenMessage.class, theirs.sent.getFirst(), "our OPEN on the second connection too");
        receive(ours, peerOpen());
        assertEquals(BgpState.OPEN_CONFIRM, fsm.state(), "the second has no OPEN yet: nothing to compare");
        receive(theirs, peerOpen());
        return new Fake[] {ours, theirs};
    }

    @Test
    void aCollisionWithAHigherLocalIdentifierKeepsOurConnection()
    {
        create(false, AS, HIGH_ID);
        remoteId = LOW_ID;
        final Fake[] both = collide();
        assertNotification(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION, both[1]);
        assertFalse(both[1].channel.isOpen());
        assertTrue(both[0].channel.isOpen());
        receive(both[0], KeepaliveMessage.INSTANCE);
        assertEquals(BgpState.ESTABLISHED, fsm.state());
    }

    @Test
    void aCollisionWithALowerLocalIdentifierMovesToThePeersConnection()
    {
        create(false, AS, LOW_ID);
        remoteId = HIGH_ID;
        final Fake[] both = collide();
        assertNotification(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION, both[0]);
        assertFalse(both[0].channel.isOpen());
        assertTrue(both[1].channel.isOpen());
        assertInstanceOf(KeepaliveMessage.class, both[1].sent.getLast(), "the kept connection goes on to OpenConfirm");
        assertEquals(BgpState.OPEN_CONFIRM, fsm.state());
        receive(both[1], KeepaliveMessage.INSTANCE);
        assertEquals(BgpState.ESTABLISHED, fsm.state());
        receive(both[1], EvpnUpdates.endOfRib());
        assertEquals(1, events.of("update", peer).size(), "the session runs on the peer's connection");
    }

    @Test
    void equalIdentifiersAreBrokenByTheLargerAs()
    {
        remoteAs = 65000;
        create(false, 65001, MID_ID); // eBGP: the peer may share our identifier (RFC 6286 §2.2)
        remoteId = MID_ID;
        final Fake[] both = collide();
        assertNotification(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION, both[1]);
        assertTrue(both[0].channel.isOpen(), "RFC 6286 §2.3: ours, initiated by the larger AS, stays");
    }

    @Test
    void equalIdentifiersWithASmallerLocalAsKeepThePeersConnection()
    {
        remoteAs = 65002;
        create(false, 65001, MID_ID);
        remoteId = MID_ID;
        final Fake[] both = collide();
        assertNotification(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION, both[0]);
        assertTrue(both[1].channel.isOpen());
    }

    @Test
    void aSecondConnectionWhoseKeepaliveComesFirstWins()
    {
        create();
        final Fake ours = openSent();
        final Fake theirs = new Fake(false);
        connected(theirs);
        receive(theirs, peerOpen());
        assertInstanceOf(KeepaliveMessage.class, theirs.sent.getLast());
        receive(theirs, KeepaliveMessage.INSTANCE);
        assertEquals(BgpState.ESTABLISHED, fsm.state());
        assertNotification(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION, ours);
        assertFalse(ours.channel.isOpen());
        advance(3_000);
        assertEquals(2, theirs.count(KeepaliveMessage.class), "the winner's KEEPALIVE timer runs: one with the OPEN, one 3 s later");
    }

    @Test
    void aThirdConnectionIsRefusedWhileTheSecondHasTheOpen()
    {
        create();
        openSent();
        final Fake second = new Fake(false);
        connected(second);
        receive(second, peerOpen());
        final Fake third = new Fake(false);
        connected(third);
        assertNotification(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION, third);
        assertTrue(second.channel.isOpen());
    }

    @Test
    void aSecondConnectionWithoutAnOpenIsReplacedByAThird()
    {
        create();
        openSent();
        final Fake second = new Fake(false);
        connected(second);
        final Fake third = new Fake(false);
        connected(third);
        assertNotification(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION, second);
        assertFalse(second.channel.isOpen());
        assertInstanceOf(OpenMessage.class, third.sent.getFirst());
        assertTrue(third.channel.isOpen());
    }

    @Test
    void aSecondConnectionWithoutAnOpenIsClosedAfterTheOpenSentHold()
    {
        create();
        final Fake ours = openSent();
        receive(ours, peerOpen()); // OpenConfirm, hold 9 s
        final Fake second = new Fake(false);
        connected(second);
        advance(3_999);
        assertTrue(second.channel.isOpen());
        advance(1);
        assertNotification(ErrorSubcode.HOLD_TIMER_EXPIRED_UNSPECIFIC, second);
        assertEquals(BgpState.OPEN_CONFIRM, fsm.state(), "the session's connection is not affected");
    }

    @Test
    void whenTheSessionsConnectionFailsTheTrackedSecondTakesOver()
    {
        create();
        final Fake ours = openSent();
        final Fake theirs = new Fake(false);
        connected(theirs);
        fsm.handle(new FsmEvent.TcpConnectionFails(ours.channel, "reset"));
        assertEquals(BgpState.OPEN_SENT, fsm.state(), "no restart: the second connection is the session's now");
        receive(theirs, peerOpen());
        receive(theirs, KeepaliveMessage.INSTANCE);
        assertEquals(BgpState.ESTABLISHED, fsm.state());
        assertEquals(1, attempts.size());
    }
}
