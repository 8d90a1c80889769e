package io.vtep.evpn.session;

import static io.vtep.evpn.session.RawPeer.ip4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

    @Test
    void wrongAsGetsBadPeerAs() throws IOException
    {
        try (RawPeer raw = connect(IBGP))
        {
            raw.send(RawPeer.open(65099, 9, "10.0.0.2"));
            raw.expectNotification(ErrorSubcode.BAD_PEER_AS);
        }
        RecordingEvents.awaitTrue(TIMEOUT, () -> "sent NOTIFICATION OPEN Message Error/Bad Peer AS (2/2)".equals(lastError(IBGP)),
            "lastError 2/2");
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
    void ourOwnIdentifierOverIbgpGetsBadBgpIdentifier() throws IOException
    {
        try (RawPeer raw = connect(IBGP))
        {
            raw.send(RawPeer.open(LOCAL_AS, 9, "10.0.0.1"));
            raw.expectNotification(ErrorSubcode.BAD_BGP_IDENTIFIER);
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
            raw.handshake(RawPeer.open(LOCAL_AS, 9, "10.0.0.2"));
            final BgpPeer peer = peer(IBGP);
            events.await("established", peer, TIMEOUT);
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
            final byte[] keepalive = BgpCodec.encode(KeepaliveMessage.INSTANCE, CodecContext.FOUR_OCTET_AS);
            keepalive[3] = 0;
            raw.send(keepalive);
            raw.expectNotification(ErrorSubcode.CONNECTION_NOT_SYNCHRONIZED);
        }
    }

    @Test
    void badLengthGetsBadMessageLength() throws IOException
    {
        try (RawPeer raw = connect(IBGP))
        {
            final byte[] keepalive = BgpCodec.encode(KeepaliveMessage.INSTANCE, CodecContext.FOUR_OCTET_AS);
            keepalive[17] = 18;
            raw.send(keepalive);
            final NotificationMessage notification = raw.expectNotification(ErrorSubcode.BAD_MESSAGE_LENGTH);
            assertEquals("0012", notification.data().toString(), "RFC 4271 §6.1: the erroneous Length field");
        }
    }

    @Test
    void holdTimeOneGetsUnacceptableHoldTime() throws IOException
    {
        try (RawPeer raw = connect(IBGP))
        {
            raw.send(RawPeer.open(LOCAL_AS, 1, "10.0.0.2"));
            raw.expectNotification(ErrorSubcode.UNACCEPTABLE_HOLD_TIME);
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
            raw.handshake(RawPeer.open(LOCAL_AS, 9, "10.0.0.2"));
            final BgpPeer peer = peer(IBGP);
            events.await("established", peer, TIMEOUT);
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
            raw.handshake(RawPeer.open(LOCAL_AS, 9, "10.0.0.2"));
            final BgpPeer peer = peer(IBGP);
            events.await("established", peer, TIMEOUT);
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
            raw.handshake(RawPeer.open(LOCAL_AS, 3, "10.0.0.2"));
            final BgpPeer peer = peer(IBGP);
            events.await("established", peer, TIMEOUT);
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
        final InetAddress rawAddress = InetAddress.getByName("127.0.0.4");
        try (ServerSocket listener = new ServerSocket())
        {
            listener.bind(new InetSocketAddress(rawAddress, 0));
            listener.setSoTimeout(15_000);
            final RecordingEvents collisionEvents = new RecordingEvents();
            try (BgpSpeaker active = BgpSpeaker.start(new SpeakerConfig(LOCAL_AS, ip4("10.0.0.1"), InetAddress.getByName("127.0.0.1"), 0,
                List.of(new PeerConfig(rawAddress, LOCAL_AS, listener.getLocalPort(), false, 9, InetAddress.getByName("127.0.0.1")))),
                FAST, collisionEvents))
            {
                final Socket accepted = listener.accept();
                try (RawPeer speakersConnection = new RawPeer(accepted);
                     RawPeer rawConnection = RawPeer.connect("127.0.0.4", active.localPort()))
                {
                    assertInstanceOf(OpenMessage.class, speakersConnection.read());
                    assertInstanceOf(OpenMessage.class, rawConnection.read());
                    speakersConnection.send(RawPeer.open(LOCAL_AS, 9, "10.0.0.9"));
                    rawConnection.send(RawPeer.open(LOCAL_AS, 9, "10.0.0.9"));
                    speakersConnection.expectNotification(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION);
                    assertInstanceOf(KeepaliveMessage.class, rawConnection.read(), "the survivor goes on to OpenConfirm");
                    rawConnection.send(KeepaliveMessage.INSTANCE);
                    final BgpPeer peer = active.peer(rawAddress);
                    collisionEvents.await("established", peer, TIMEOUT);
                    assertEquals(1, peer.establishedTransitions());
                    final BgpMessage next = rawConnection.read();
                    assertNotNull(next);
                    assertInstanceOf(KeepaliveMessage.class, next, "no NOTIFICATION on the surviving connection");
                }
            }
        }
    }
}
