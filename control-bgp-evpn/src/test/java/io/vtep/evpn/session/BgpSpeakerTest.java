package io.vtep.evpn.session;

import static io.vtep.evpn.session.RawPeer.ip4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vtep.evpn.codec.EvpnUpdates;
import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.nlri.EvpnRoute;

/** Two vtep speakers on 127.0.0.1 and 127.0.0.2 talking to each other, iBGP and eBGP. */
class BgpSpeakerTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket())
        {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket.getLocalPort();
        }
    }

    @ParameterizedTest(name = "remote AS {0}")
    @ValueSource(longs = {65001, 4_200_000_002L})
    void twoSpeakersEstablishExchangeUpdatesAndCease(final long asB) throws IOException
    {
        final int port = freePort();
        final InetAddress a = InetAddress.getByName("127.0.0.1");
        final InetAddress b = InetAddress.getByName("127.0.0.2");
        final RecordingEvents eventsA = new RecordingEvents();
        final RecordingEvents eventsB = new RecordingEvents();
        final SessionTimers fast = new SessionTimers(Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(10));
        try (BgpSpeaker speakerA = BgpSpeaker.start(new SpeakerConfig(65001, ip4("10.0.0.1"), a, port,
            List.of(new PeerConfig(b, asB, port, false, 9, a))), fast, eventsA);
             BgpSpeaker speakerB = BgpSpeaker.start(new SpeakerConfig(asB, ip4("10.0.0.2"), b, port,
                 List.of(new PeerConfig(a, 65001, port, false, 30, b))), fast, eventsB))
        {
            assertEquals(port, speakerA.localPort());
            final BgpPeer peerOfA = speakerA.peer(b);
            final BgpPeer peerOfB = speakerB.peer(a);
            assertSame(peerOfA, speakerA.peers().getFirst());
            assertNull(speakerA.peer(InetAddress.getByName("127.0.0.9")));
            eventsA.await("established", peerOfA, TIMEOUT);
            eventsB.await("established", peerOfB, TIMEOUT);
            assertTrue(peerOfA.isEstablished() && peerOfB.isEstablished());
            assertEquals("Established", peerOfA.state());
            assertEquals(asB == 65001, peerOfA.isIbgp());
            assertEquals(9, peerOfA.negotiatedHoldSeconds(), "min(9, 30)");
            assertEquals(9, peerOfB.negotiatedHoldSeconds());
            assertEquals(ip4("10.0.0.2"), peerOfA.remoteRouterId());
            assertEquals(1, peerOfA.establishedTransitions(), "exactly one session survives a collision");
            assertTrue(peerOfA.establishedSinceMillis() > 0);
            assertTrue(eventsA.calls.stream().allMatch(c -> c.thread().startsWith("bgp-speaker")), "callbacks on the event loop");

            final UpdateMessage type3 = EvpnUpdates.inclusiveMulticast(EvpnUpdates.autoRouteDistinguisher(ip4("10.0.0.1"), 1), 100,
                a, List.of(EvpnUpdates.autoRouteTarget(65001, 100)),
                peerOfA.isIbgp() ? EvpnUpdates.PathOptions.ibgp() : EvpnUpdates.PathOptions.ebgp(65001));
            peerOfA.send(type3);
            final RecordingEvents.Call update = eventsB.await("update", peerOfB, TIMEOUT);
            final List<EvpnRoute> routes = update.update().advertisedEvpnRoutes();
            assertEquals(type3.advertisedEvpnRoutes(), routes);
            assertEquals(1, peerOfA.updatesSent());
            assertEquals(1, peerOfB.updatesReceived());

            speakerA.close();
            final RecordingEvents.Call down = eventsB.await("down", peerOfB, TIMEOUT);
            assertTrue(down.reason().contains("(6/2)"), down.reason());
            assertTrue(peerOfB.lastError().contains("Cease/Administrative Shutdown (6/2)"), peerOfB.lastError());
            assertTrue(peerOfA.lastError().startsWith("sent NOTIFICATION Cease/Administrative Shutdown"), peerOfA.lastError());
            assertFalse(peerOfB.isEstablished());
            assertEquals(0, peerOfB.negotiatedHoldSeconds());
            assertEquals(1, eventsA.of("down", peerOfA).size(), "the closing side reports down too");
            speakerA.close();
        }
    }

    /** Bound to the wildcard address (dual-stack), an IPv4 neighbor is still recognised by its address. */
    @org.junit.jupiter.api.Test
    void wildcardListenerRecognisesIpv4Neighbors() throws IOException
    {
        final RecordingEvents events = new RecordingEvents();
        try (BgpSpeaker speaker = BgpSpeaker.start(new SpeakerConfig(65001, ip4("10.0.0.1"), null, 0,
            List.of(new PeerConfig(InetAddress.getByName("127.0.0.2"), 65001, 179, true, 9, null))), SessionTimers.DEFAULT, events);
             RawPeer raw = RawPeer.connect("127.0.0.2", speaker.localPort()))
        {
            assertTrue(raw.read() instanceof io.vtep.evpn.codec.OpenMessage, "an OPEN, not Cease/Connection Rejected");
            raw.handshake(RawPeer.open(65001, 9, "10.0.0.2"));
            events.await("established", speaker.peer(InetAddress.getByName("127.0.0.2")), TIMEOUT);
        }
    }

    /** The wildcard listener is dual-stack: an IPv6 neighbor connects to it as well. */
    @org.junit.jupiter.api.Test
    void wildcardListenerAcceptsIpv6Neighbors() throws IOException
    {
        final RecordingEvents events = new RecordingEvents();
        final InetAddress loopback6 = InetAddress.getByName("::1");
        try (BgpSpeaker speaker = BgpSpeaker.start(new SpeakerConfig(65001, ip4("10.0.0.1"), null, 0,
            List.of(new PeerConfig(loopback6, 65001, 179, true, 9, null))), SessionTimers.DEFAULT, events);
             java.net.Socket socket = new java.net.Socket())
        {
            socket.connect(new java.net.InetSocketAddress(loopback6, speaker.localPort()), 5_000);
            final RawPeer raw = new RawPeer(socket);
            assertTrue(raw.read() instanceof io.vtep.evpn.codec.OpenMessage, "an OPEN, not Cease/Connection Rejected");
            raw.handshake(RawPeer.open(65001, 9, "10.0.0.2"));
            events.await("established", speaker.peer(loopback6), TIMEOUT);
        }
    }

    @org.junit.jupiter.api.Test
    void anIpv4MappedSourceIsTheIpv4Neighbor() throws IOException
    {
        assertEquals(InetAddress.getByName("192.0.2.2"),
            BgpSpeaker.unmapped(java.net.Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)0xff, (byte)0xff, (byte)192, 0, 2, 2}, null)));
        assertEquals(InetAddress.getByName("2001:db8::2"), BgpSpeaker.unmapped(InetAddress.getByName("2001:db8::2")));
    }
}
