package io.vtep.evpn.session;

import static io.vtep.evpn.session.RawPeer.ip4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.vtep.evpn.codec.AddressFamily;
import io.vtep.evpn.codec.BgpCodec;
import io.vtep.evpn.codec.BgpDecodeException;
import io.vtep.evpn.codec.BgpMessage;
import io.vtep.evpn.codec.Capability;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.ErrorAction;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.KeepaliveMessage;
import io.vtep.evpn.codec.NotificationMessage;
import io.vtep.evpn.codec.OpenMessage;
import io.vtep.evpn.codec.RouteRefreshMessage;
import io.vtep.evpn.codec.UpdateMessage;

/**
 * The speaker against a peer that writes hand-made octets: every error gets the NOTIFICATION
 * RFC 4271 / 6608 / 7606 / 4486 call for, and other sessions are not disturbed.
 */
class RawPeerSessionTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final long LOCAL_AS = 65001;
    private static final String IBGP = "127.0.0.2";
    private static final String EBGP = "127.0.0.3";
    private static final SessionTimers FAST = new SessionTimers(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(10));

    private final RecordingEvents events = new RecordingEvents();
    private BgpSpeaker speaker;

    @BeforeEach
    void start() throws IOException
    {
        speaker = BgpSpeaker.start(new SpeakerConfig(LOCAL_AS, ip4("10.0.0.1"), InetAddress.getByName("127.0.0.1"), 0, List.of(
            new PeerConfig(InetAddress.getByName(IBGP), LOCAL_AS, 179, true, 9, null),
            new PeerConfig(InetAddress.getByName(EBGP), 65002, 179, true, 9, null))), FAST, events);
    }

    @AfterEach
    void stop()
    {
        speaker.close();
    }

    private BgpPeer peer(final String address) throws IOException
    {
        return speaker.peer(InetAddress.getByName(address));
    }

    /** Completes the iBGP peer's handshake (BGP identifier 10.0.0.2, {@code holdSeconds}) and waits for the speaker's Established. */
    private BgpPeer establish(final RawPeer raw, final int holdSeconds) throws IOException
    {
        raw.handshake(RawPeer.open(LOCAL_AS, holdSeconds, "10.0.0.2"));
        final BgpPeer peer = peer(IBGP);
        events.await("established", peer, TIMEOUT);
        return peer;
    }

    /** A KEEPALIVE (RFC 4271 §4.4) with octet {@code at} of its header set to {@code value}: the header error a test provokes. */
    private static byte[] keepaliveWith(final int at, final int value)
    {
        final byte[] keepalive = BgpCodec.encode(KeepaliveMessage.INSTANCE, CodecContext.FOUR_OCTET_AS);
        keepalive[at] = (byte)value;
        return keepalive;
    }

    private RawPeer connect(final String from) throws IOException
    {
        final RawPeer raw = RawPeer.connect(from, speaker.localPort());
        assertInstanceOf(OpenMessage.class, raw.read(), "the speaker's OPEN comes first");
        return raw;
    }

    private static byte[] of(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        return bytes;
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] message(final int type, final byte[] body)
    {
        final int length = 19 + body.length;
        return concat(of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
            of(length >>> 8, length, type), body);
    }

    private static byte[] attr(final int flags, final int type, final byte[] value)
    {
        return (flags & 0x10) != 0 ? concat(of(flags, type, value.length >>> 8, value.length), value) :
            concat(of(flags, type, value.length), value);
    }

    /** MP_REACH_NLRI, L2VPN/EVPN, next hop 198.51.100.1, these NLRI octets. */
    private static byte[] mpReach(final byte[] nlri)
    {
        return attr(0x90, 14, concat(of(0x00, 0x19, 0x46, 0x04, 198, 51, 100, 1, 0x00), nlri));
    }

    /** Type-2 route: RD 198.51.100.1:2, ESI 0, tag 0, MAC 02:20:00:00:00:01, no IP, VNI 100. */
    private static final byte[] TYPE_2 = concat(of(0x02, 0x21), of(0x00, 0x01, 198, 51, 100, 1, 0x00, 0x02), new byte[10],
        of(0, 0, 0, 0), of(0x30, 0x02, 0x20, 0, 0, 0, 0x01), of(0x00), of(0, 0, 0x64));

    private static byte[] evpnUpdate(final byte[] mpReach, final byte[] localPref)
    {
        final byte[] attributes = concat(mpReach, attr(0x40, 1, of(0)), attr(0x40, 2, of()), localPref,
            attr(0xc0, 16, of(0x03, 0x0c, 0, 0, 0, 0, 0, 8, 0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 100)));
        return message(2, concat(of(0, 0), of(attributes.length >>> 8, attributes.length), attributes));
    }

    /** RFC 4271 §6.2: an OPEN the speaker cannot accept gets the OPEN Message Error naming why, which bgp summary shows. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "wrong AS,                       65099, 9, 10.0.0.2, BAD_PEER_AS,            2",
        "our own identifier over iBGP,   65001, 9, 10.0.0.1, BAD_BGP_IDENTIFIER,     3",
        "hold time 1,                    65001, 1, 10.0.0.2, UNACCEPTABLE_HOLD_TIME, 6",
    })
    void anUnacceptableOpenGetsItsOpenMessageError(final String what, final long as, final int holdSeconds, final String identifier,
        final ErrorSubcode expected, final int subcode) throws IOException
    {
        try (RawPeer raw = connect(IBGP))
        {
            raw.send(RawPeer.open(as, holdSeconds, identifier));
            raw.expectNotification(expected);
        }
        final String lastError = "sent NOTIFICATION OPEN Message Error/" + expected.description() + " (2/" + subcode + ")";
        RecordingEvents.awaitTrue(TIMEOUT, () -> lastError.equals(lastError(IBGP)), lastError);
    }

    @Test
    void noEvpnCapabilityGetsUnsupportedCapability() throws IOException
    {
        try (RawPeer raw = connect(IBGP))
        {
            raw.send(OpenMessage.of(LOCAL_AS, 9, ip4("10.0.0.2"), List.of(new Capability.FourOctetAs(LOCAL_AS))));
            final NotificationMessage notification = raw.expectNotification(ErrorSubcode.UNSUPPORTED_CAPABILITY);
            assertEquals(OpenNegotiation.EVPN_CAPABILITY_DATA, notification.data(), "RFC 5492 §5: the capability we need");
        }
    }

    @Test
    void updateInOpenConfirmIsAnFsmError() throws IOException
    {
        try (RawPeer raw = connect(IBGP))
        {
            raw.send(RawPeer.open(LOCAL_AS, 9, "10.0.0.2"));
            assertInstanceOf(KeepaliveMessage.class, raw.read(), "OpenConfirm");
            raw.send(io.vtep.evpn.codec.EvpnUpdates.endOfRib());
            raw.expectNotification(ErrorSubcode.FSM_UNEXPECTED_MESSAGE_IN_OPEN_CONFIRM);
        }
    }

    @Test
    void anUpdateTooLongToEncodeIsDroppedWithoutResettingTheSession() throws IOException
    {
        try (RawPeer raw = connect(IBGP))
        {
            final BgpPeer peer = establish(raw, 9);
            final var rd = io.vtep.evpn.codec.EvpnUpdates.autoRouteDistinguisher(ip4("10.0.0.1"), 1);
            final var manyTargets = java.util.stream.IntStream.range(1, 600)
                .mapToObj(vni -> io.vtep.evpn.codec.EvpnUpdates.autoRouteTarget(LOCAL_AS, vni)).toList();
            peer.send(io.vtep.evpn.codec.EvpnUpdates.inclusiveMulticast(rd, 100, ip4("10.0.0.1"), manyTargets,
                io.vtep.evpn.codec.EvpnUpdates.PathOptions.ibgp()));
            final UpdateMessage fits = io.vtep.evpn.codec.EvpnUpdates.inclusiveMulticast(rd, 100, ip4("10.0.0.1"),
                manyTargets.subList(0, 1), io.vtep.evpn.codec.EvpnUpdates.PathOptions.ibgp());
            peer.send(fits);
            assertEquals(fits, raw.readSkippingKeepalives(), "only the UPDATE that fits arrives");
            assertTrue(peer.isEstablished());
            RecordingEvents.awaitTrue(TIMEOUT, () -> peer.updatesSent() == 1, "one UPDATE counted as sent");
        }
    }

    @Test
    void badMarkerGetsConnectionNotSynchronized() throws IOException
    {
        try (RawPeer raw = connect(IBGP))
        {
            raw.send(keepaliveWith(3, 0)); // a marker octet
            raw.expectNotification(ErrorSubcode.CONNECTION_NOT_SYNCHRONIZED);
        }
    }

    @Test
    void badLengthGetsBadMessageLength() throws IOException
    {
        try (RawPeer raw = connect(IBGP))
        {
            raw.send(keepaliveWith(17, 18)); // Length 18, not KEEPALIVE's 19
            final NotificationMessage notification = raw.expectNotification(ErrorSubcode.BAD_MESSAGE_LENGTH);
            assertEquals("0012", notification.data().toString(), "RFC 4271 §6.1: the erroneous Length field");
        }
    }

    @Test
    void keepaliveInOpenSentIsAnFsmError() throws IOException
    {
        try (RawPeer raw = connect(IBGP))
        {
            raw.send(KeepaliveMessage.INSTANCE);
            raw.expectNotification(ErrorSubcode.FSM_UNEXPECTED_MESSAGE_IN_OPEN_SENT);
        }
    }

    @Test
    void openInEstablishedIsAnFsmError() throws IOException
    {
        try (RawPeer raw = connect(IBGP))
        {
            raw.handshake(RawPeer.open(LOCAL_AS, 9, "10.0.0.2"));
            events.await("established", peer(IBGP), TIMEOUT);
            raw.send(RawPeer.open(LOCAL_AS, 9, "10.0.0.2"));
            raw.expectNotification(ErrorSubcode.FSM_UNEXPECTED_MESSAGE_IN_ESTABLISHED);
        }
        assertTrue(events.await("down", peer(IBGP), TIMEOUT).reason().contains("(5/3)"));
    }

    @Test
    void treatAsWithdrawKeepsTheSessionAndWithdrawsTheRoutes() throws IOException
    {
        // LOCAL_PREF with 3 octets instead of 4: RFC 7606 §7.6, treat-as-withdraw.
        final byte[] bytes = evpnUpdate(mpReach(TYPE_2), attr(0x40, 5, of(0, 0, 100)));
        final UpdateMessage expected = (UpdateMessage)BgpCodec.decode(bytes, CodecContext.FOUR_OCTET_AS);
        assertEquals(ErrorAction.TREAT_AS_WITHDRAW, expected.action());
        try (RawPeer raw = connect(IBGP))
        {
            final BgpPeer peer = establish(raw, 9);
            raw.send(bytes);
            final UpdateMessage update = events.await("update", peer, TIMEOUT).update();
            assertEquals(List.of(), update.advertisedEvpnRoutes());
            assertEquals(expected.withdrawnEvpnRoutes(), update.withdrawnEvpnRoutes());
            assertEquals(1, update.withdrawnEvpnRoutes().size());
            // Still up: a ROUTE-REFRESH is answered by the RIB, and a KEEPALIVE keeps flowing.
            raw.send(RouteRefreshMessage.of(AddressFamily.L2VPN_EVPN, RouteRefreshMessage.SUBTYPE_NORMAL));
            events.await("refresh", peer, TIMEOUT);
            assertTrue(peer.isEstablished());
            assertEquals(1, peer.updatesReceived());
            assertEquals(List.of(), events.of("down", peer));
        }
    }

    /** RD 198.51.100.1:2 and an all-zero ESI: the start of route types 1, 4 and 5. */
    private static final byte[] RD_AND_ESI = concat(of(0x00, 0x01, 198, 51, 100, 1, 0x00, 0x02), new byte[10]);

    @Test
    void routeTypesOneFourFiveAndUnknownTypesArriveWithoutAReset() throws IOException
    {
        // RFC 7432 §7.1 Ethernet A-D (25 octets), §7.4 Ethernet Segment (23), RFC 9136 §3 IP Prefix
        // (34, IPv4), and a type 9 nobody defined (3 octets): RFC 7432 §7 says skip what is unknown.
        final byte[] nlri = concat(
            of(0x01, 25), RD_AND_ESI, of(0, 0, 0, 0), of(0, 0x06, 0x41),
            of(0x04, 23), RD_AND_ESI, of(32, 198, 51, 100, 1),
            of(0x05, 34), RD_AND_ESI, of(0, 0, 0, 0), of(24, 10, 1, 2, 0), of(0, 0, 0, 0), of(0, 0x27, 0x11),
            of(0x09, 3), of(1, 2, 3),
            TYPE_2);
        final byte[] bytes = evpnUpdate(mpReach(nlri), attr(0x40, 5, of(0, 0, 0, 100)));
        try (RawPeer raw = connect(IBGP))
        {
            final BgpPeer peer = establish(raw, 9);
            raw.send(bytes);
            final UpdateMessage update = events.await("update", peer, TIMEOUT).update();
            assertEquals(List.of(1, 4, 5, 9, 2), update.advertisedEvpnRoutes().stream().map(r -> r.routeType()).toList(),
                "every route decoded or kept opaque, in order");
            raw.send(RouteRefreshMessage.of(AddressFamily.L2VPN_EVPN, RouteRefreshMessage.SUBTYPE_NORMAL));
            events.await("refresh", peer, TIMEOUT);
            assertTrue(peer.isEstablished());
            assertEquals(List.of(), events.of("down", peer));
        }
    }

    @Test
    void malformedEvpnNlriResetsTheSession() throws IOException
    {
        // A type-2 route whose length (0x40) runs past the MP_REACH_NLRI: RFC 7606 §5.3, what the codec says.
        final byte[] bytes = evpnUpdate(mpReach(concat(of(0x02, 0x40), new byte[20])), attr(0x40, 5, of(0, 0, 0, 100)));
        final BgpDecodeException codec = assertThrows(BgpDecodeException.class, () -> BgpCodec.decode(bytes, CodecContext.FOUR_OCTET_AS));
        assertEquals(3, codec.code(), "an UPDATE Message Error");
        try (RawPeer raw = connect(IBGP))
        {
            raw.handshake(RawPeer.open(LOCAL_AS, 9, "10.0.0.2"));
            events.await("established", peer(IBGP), TIMEOUT);
            raw.send(bytes);
            final NotificationMessage notification = raw.expectNotification(codec.errorSubcode());
            assertEquals(codec.data(), notification.data());
        }
        events.await("down", peer(IBGP), TIMEOUT);
        assertEquals(List.of(), events.of("update", peer(IBGP)));
    }

    @Test
    void silentPeerGetsHoldTimerExpired() throws IOException
    {
        try (RawPeer raw = connect(IBGP))
        {
            final BgpPeer peer = establish(raw, 3);
            assertEquals(3, peer.negotiatedHoldSeconds());
            // Say nothing more: the speaker's KEEPALIVEs come every second, then 4/0 after 3 s.
            raw.expectNotification(ErrorSubcode.HOLD_TIMER_EXPIRED_UNSPECIFIC);
            assertTrue(events.await("down", peer, TIMEOUT).reason().contains("(4/0)"));
            assertEquals("sent NOTIFICATION Hold Timer Expired/Unspecific (4/0)", peer.lastError());
        }
    }

    @Test
    void unconfiguredSourceIsRefused() throws IOException
    {
        try (RawPeer raw = RawPeer.connect("127.0.0.9", speaker.localPort()))
        {
            raw.expectNotification(ErrorSubcode.CONNECTION_REJECTED);
        }
    }

    @Test
    void otherPeersStayEstablishedWhileOneIsReset() throws IOException
    {
        try (RawPeer bystander = connect(EBGP))
        {
            bystander.handshake(RawPeer.open(65002, 9, "10.0.0.3"));
            final BgpPeer ebgp = peer(EBGP);
            events.await("established", ebgp, TIMEOUT);
            for (int i = 0; i < 3; i++)
            {
                try (RawPeer raw = connect(IBGP))
                {
                    raw.send(RawPeer.open(65099, 9, "10.0.0.2"));
                    raw.expectNotification(ErrorSubcode.BAD_PEER_AS);
                }
                RecordingEvents.awaitTrue(TIMEOUT, () -> "Active".equals(speaker.peer(RawPeer.ip4(IBGP)).state()), "the reset peer listening again");
            }
            bystander.send(KeepaliveMessage.INSTANCE);
            assertInstanceOf(KeepaliveMessage.class, bystander.read(), "the bystander's session still answers");
            assertTrue(ebgp.isEstablished());
            assertEquals(1, ebgp.establishedTransitions());
            assertEquals(List.of(), events.of("down", ebgp));
        }
    }

    @Test
    void closeSendsAdministrativeShutdown() throws IOException
    {
        try (RawPeer raw = connect(IBGP))
        {
            raw.handshake(RawPeer.open(LOCAL_AS, 9, "10.0.0.2"));
            events.await("established", peer(IBGP), TIMEOUT);
            speaker.close();
            raw.expectNotification(ErrorSubcode.ADMINISTRATIVE_SHUTDOWN);
        }
    }

    private String lastError(final String address)
    {
        try
        {
            return peer(address).lastError();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Both sides connect at once. The raw peer's identifier 10.0.0.9 is higher than the speaker's
     * 10.0.0.1, so RFC 4271 §6.8 keeps the connection the raw peer initiated and closes the
     * speaker's with Cease/Connection Collision Resolution.
     */
    @Test
    void collisionKeepsTheConnectionOfTheHigherIdentifier() throws IOException
    {
        try (Collision collision = Collision.start("127.0.0.4", LOCAL_AS);
             RawPeer rawConnection = collision.connect())
        {
            final RawPeer speakersConnection = collision.speakersConnection;
            assertInstanceOf(OpenMessage.class, rawConnection.read());
            speakersConnection.send(RawPeer.open(LOCAL_AS, 9, "10.0.0.9"));
            rawConnection.send(RawPeer.open(LOCAL_AS, 9, "10.0.0.9"));
            speakersConnection.expectNotification(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION);
            assertInstanceOf(KeepaliveMessage.class, rawConnection.read(), "the survivor goes on to OpenConfirm");
            rawConnection.send(KeepaliveMessage.INSTANCE);
            final BgpPeer peer = collision.awaitEstablished();
            assertEquals(1, peer.establishedTransitions());
            final BgpMessage next = rawConnection.read();
            assertNotNull(next);
            assertInstanceOf(KeepaliveMessage.class, next, "no NOTIFICATION on the surviving connection");
        }
    }

    /** A ServerSocket on {@code address} that the speaker connects to as the neighbor's port. */
    private static ServerSocket listener(final InetAddress address) throws IOException
    {
        final ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(address, 0));
        listener.setSoTimeout(15_000);
        return listener;
    }

    /**
     * The set-up of a connection collision (RFC 4271 §6.8): a speaker AS 65001, BGP identifier
     * 10.0.0.1, with one neighbor that it connects to (not passive, hold time 9), whose connection
     * the raw peer accepted and read the speaker's OPEN from (OpenSent). The raw peer's own
     * connection, the second one, is {@link #connect}'s.
     */
    private record Collision(ServerSocket listener, BgpSpeaker active, RawPeer speakersConnection, InetAddress rawAddress,
        RecordingEvents events) implements AutoCloseable
    {
        static Collision start(final String rawAddress, final long remoteAs) throws IOException
        {
            final InetAddress neighbor = InetAddress.getByName(rawAddress);
            final RecordingEvents events = new RecordingEvents();
            final ServerSocket listener = RawPeerSessionTest.listener(neighbor);
            final BgpSpeaker active = BgpSpeaker.start(new SpeakerConfig(LOCAL_AS, ip4("10.0.0.1"), InetAddress.getByName("127.0.0.1"), 0,
                List.of(new PeerConfig(neighbor, remoteAs, listener.getLocalPort(), false, 9, InetAddress.getByName("127.0.0.1")))), FAST,
                events);
            final RawPeer speakersConnection = new RawPeer(listener.accept());
            final Collision collision = new Collision(listener, active, speakersConnection, neighbor, events);
            assertInstanceOf(OpenMessage.class, speakersConnection.read(), "the speaker's OPEN on its own connection");
            return collision;
        }

        /** The raw peer's connection to the speaker; the speaker's OPEN on it is for the caller to read. */
        RawPeer connect() throws IOException
        {
            return RawPeer.connect(rawAddress.getHostAddress(), active.localPort());
        }

        BgpPeer awaitEstablished()
        {
            final BgpPeer peer = active.peer(rawAddress);
            events.await("established", peer, TIMEOUT);
            return peer;
        }

        @Override
        public void close() throws IOException
        {
            try (listener; active; speakersConnection)
            {
                // closed in reverse order
            }
        }
    }

    /**
     * The peer answers only on the connection it initiated, the second one, while the speaker's
     * own is in OpenSent: its KEEPALIVE there makes that connection the session's (the speaker's
     * is closed with 6/7). The session must then send KEEPALIVEs like any other (RFC 4271 §4.4):
     * hold time 9, so one every 3 s.
     */
    @Test
    void secondConnectionWinningByItsKeepaliveSendsKeepalives() throws IOException
    {
        // The speaker's own connection is the session's, in OpenSent.
        try (Collision collision = Collision.start("127.0.0.4", LOCAL_AS))
        {
            try (RawPeer rawConnection = collision.connect())
            {
                assertInstanceOf(OpenMessage.class, rawConnection.read(), "the speaker's OPEN on the second connection");
                rawConnection.handshake(RawPeer.open(LOCAL_AS, 9, "10.0.0.9"));
                collision.speakersConnection.expectNotification(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION);
                final BgpPeer peer = collision.awaitEstablished();
                assertEquals(9, peer.negotiatedHoldSeconds());
                // The keepalive interval (3 s) plus as much again as margin; the hold timer (9 s) is further out.
                rawConnection.timeout(6_000);
                final BgpMessage next;
                try
                {
                    next = rawConnection.read();
                }
                catch (final SocketTimeoutException ex)
                {
                    throw new AssertionError("no KEEPALIVE from the speaker within the keepalive interval + margin", ex);
                }
                assertInstanceOf(KeepaliveMessage.class, next, "a KEEPALIVE, not a NOTIFICATION");
                assertTrue(peer.isEstablished());
                assertEquals(1, peer.establishedTransitions());
            }
        }
    }

    /**
     * A passive neighbor never connects (RFC 4271 §8.1.1, PassiveTcpEstablishment): not after a
     * connection that closed in OpenSent (which goes back to Active, RFC 4271 §8.2.2), nor after
     * one reset for garbage (Idle, then the automatic restart), although the neighbor's port
     * listens.
     */
    @Test
    void passiveNeighborNeverConnectsOut() throws IOException
    {
        final String rawAddress = "127.0.0.5";
        final RecordingEvents passiveEvents = new RecordingEvents();
        try (ServerSocket listener = listener(InetAddress.getByName(rawAddress));
             BgpSpeaker passive = BgpSpeaker.start(new SpeakerConfig(LOCAL_AS, ip4("10.0.0.1"), InetAddress.getByName("127.0.0.1"), 0,
                 List.of(new PeerConfig(InetAddress.getByName(rawAddress), LOCAL_AS, listener.getLocalPort(), true, 9, null))),
                 FAST, passiveEvents))
        {
            final BgpPeer peer = passive.peer(InetAddress.getByName(rawAddress));
            try (RawPeer raw = RawPeer.connect(rawAddress, passive.localPort()))
            {
                assertInstanceOf(OpenMessage.class, raw.read(), "OpenSent");
            }
            RecordingEvents.awaitTrue(TIMEOUT, () -> "TCP: connection closed by peer".equals(peer.lastError()), "the close seen in OpenSent");
            assertNoConnection(listener, 1_500);
            try (RawPeer raw = RawPeer.connect(rawAddress, passive.localPort()))
            {
                assertInstanceOf(OpenMessage.class, raw.read(), "OpenSent");
                raw.send(keepaliveWith(0, 0));
                raw.expectNotification(ErrorSubcode.CONNECTION_NOT_SYNCHRONIZED);
            }
            assertNoConnection(listener, 1_000);
            // Still listening: the peer's next connection is established.
            try (RawPeer raw = RawPeer.connect(rawAddress, passive.localPort()))
            {
                assertInstanceOf(OpenMessage.class, raw.read(), "OpenSent");
                raw.handshake(RawPeer.open(LOCAL_AS, 9, "10.0.0.5"));
                passiveEvents.await("established", peer, TIMEOUT);
            }
        }
    }

    /** ConnectRetry is 100 ms, then 200 ms: {@code millis} is several retry periods, and nothing connects in that time. */
    private static void assertNoConnection(final ServerSocket listener, final int millis) throws IOException
    {
        listener.setSoTimeout(millis);
        try
        {
            final Socket connected = listener.accept();
            connected.close();
            throw new AssertionError("the passive neighbor's speaker connected out: " + connected);
        }
        catch (final SocketTimeoutException expected)
        {
            // nothing came
        }
    }

    /**
     * The peer keeps its session alive with KEEPALIVEs but stops reading, with a 4 KiB receive
     * window, while the RIB sends megabytes of UPDATEs: once the speaker's channel has been
     * unwritable (over 1 MiB queued) for the hold time (3 s) with nothing leaving, the session is
     * reset with Cease/Out of Resources (6/8). That NOTIFICATION cannot leave either; the
     * connection is closed anyway a few seconds later, which the raw peer sees as a reset of its
     * next KEEPALIVE (data for a socket its owner closed).
     */
    @Test
    void peerThatStopsReadingIsResetAndItsConnectionClosed() throws Exception
    {
        try (RawPeer raw = RawPeer.connect(IBGP, speaker.localPort(), 4096))
        {
            assertInstanceOf(OpenMessage.class, raw.read());
            final BgpPeer peer = establish(raw, 3);
            final AtomicReference<IOException> writeFailed = new AtomicReference<>();
            final Thread keepalives = Thread.ofVirtual().start(() ->
            {
                try
                {
                    while (!Thread.currentThread().isInterrupted())
                    {
                        raw.send(KeepaliveMessage.INSTANCE);
                        Thread.sleep(500);
                    }
                }
                catch (final IOException ex)
                {
                    writeFailed.set(ex);
                }
                catch (final InterruptedException ex)
                {
                    // test over
                }
            });
            try
            {
                final var rd = io.vtep.evpn.codec.EvpnUpdates.autoRouteDistinguisher(ip4("10.0.0.1"), 1);
                final UpdateMessage large = io.vtep.evpn.codec.EvpnUpdates.inclusiveMulticast(rd, 100, ip4("10.0.0.1"),
                    IntStream.range(1, 400).mapToObj(vni -> io.vtep.evpn.codec.EvpnUpdates.autoRouteTarget(LOCAL_AS, vni)).toList(),
                    io.vtep.evpn.codec.EvpnUpdates.PathOptions.ibgp());
                final int length = BgpCodec.encode(large, CodecContext.FOUR_OCTET_AS).length;
                assertTrue(length > 3000 && length <= 4096, "an UPDATE of " + length + " octets");
                // About 8 MB: more than the kernel buffers (tcp_wmem up to 4 MiB) and the 1 MiB high water mark.
                for (int i = 0; i < 8_000_000 / length; i++)
                {
                    peer.send(large);
                }
                final RecordingEvents.Call down = events.await("down", peer, TIMEOUT);
                assertTrue(down.reason().contains("Out of Resources (6/8)"), down.reason());
                assertEquals("sent NOTIFICATION Cease/Out of Resources (6/8)", peer.lastError());
                assertFalse(peer.isEstablished());
                RecordingEvents.awaitTrue(TIMEOUT, () -> writeFailed.get() != null, "the connection closed by the speaker");
            }
            finally
            {
                keepalives.interrupt();
                keepalives.join();
            }
        }
    }

    /**
     * Equal BGP identifiers (eBGP, RFC 6286 §2.2 allows it): RFC 6286 §2.3 keeps the connection
     * initiated by the speaker with the larger AS. The speaker is AS 65001, identifier 10.0.0.1.
     */
    @ParameterizedTest(name = "remote AS {0}")
    @ValueSource(longs = {65000, 65002})
    void collisionWithEqualIdentifiersKeepsTheConnectionOfTheLargerAs(final long remoteAs) throws IOException
    {
        final boolean keepOurs = LOCAL_AS > remoteAs;
        try (Collision collision = Collision.start("127.0.0.6", remoteAs))
        {
            final RawPeer speakersConnection = collision.speakersConnection;
            try (RawPeer rawConnection = collision.connect())
            {
                assertInstanceOf(OpenMessage.class, rawConnection.read());
                speakersConnection.send(RawPeer.open(remoteAs, 9, "10.0.0.1"));
                assertInstanceOf(KeepaliveMessage.class, speakersConnection.read(), "the speaker's connection in OpenConfirm");
                rawConnection.send(RawPeer.open(remoteAs, 9, "10.0.0.1"));
                final RawPeer winner = keepOurs ? speakersConnection : rawConnection;
                (keepOurs ? rawConnection : speakersConnection).expectNotification(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION);
                if (!keepOurs)
                {
                    assertInstanceOf(KeepaliveMessage.class, rawConnection.read(), "the survivor goes on to OpenConfirm");
                }
                winner.send(KeepaliveMessage.INSTANCE);
                final BgpPeer peer = collision.awaitEstablished();
                assertEquals(1, peer.establishedTransitions());
                assertInstanceOf(KeepaliveMessage.class, winner.read(), "no NOTIFICATION on the surviving connection");
            }
        }
    }
}
