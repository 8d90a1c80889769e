package io.vtep.evpn.session;

import static io.vtep.evpn.session.RawPeer.ip4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vtep.evpn.codec.BgpMessage;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.NotificationMessage;
import io.vtep.evpn.codec.OpenMessage;

/** Neighbors added and removed while the speaker runs (a configuration reload): the other sessions stay up. */
class BgpSpeakerReconfigureTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    void aNeighborAddedThenAnotherRemovedWithoutTouchingTheRest() throws Exception
    {
        final InetAddress two = InetAddress.getByName("127.0.0.2");
        final InetAddress three = InetAddress.getByName("127.0.0.3");
        final RecordingEvents events = new RecordingEvents();
        try (BgpSpeaker speaker = BgpSpeaker.start(new SpeakerConfig(65001, ip4("10.0.0.1"), InetAddress.getByName("127.0.0.1"), 0,
            List.of(new PeerConfig(two, 65001, 179, true, 9, null))), SessionTimers.DEFAULT, events);
             RawPeer peerTwo = RawPeer.connect("127.0.0.2", speaker.localPort()))
        {
            assertInstanceOf(OpenMessage.class, peerTwo.read());
            peerTwo.handshake(RawPeer.open(65001, 9, "10.0.0.2"));
            final BgpPeer sessionTwo = speaker.peer(two);
            events.await("established", sessionTwo, TIMEOUT);

            // Not a neighbor yet: refused, as any stranger.
            try (RawPeer early = RawPeer.connect("127.0.0.3", speaker.localPort()))
            {
                assertEquals(ErrorSubcode.CONNECTION_REJECTED, notification(early).errorSubcode());
            }
            assertNull(speaker.peer(three));

            speaker.addPeer(new PeerConfig(three, 65002, 179, true, 9, null));
            assertEquals(List.of(two, three), speaker.peers().stream().map(peer -> peer.config().address()).toList());
            assertThrows(IllegalArgumentException.class, () -> speaker.addPeer(new PeerConfig(three, 65002, 179, true, 9, null)));
            try (RawPeer peerThree = RawPeer.connect("127.0.0.3", speaker.localPort()))
            {
                assertInstanceOf(OpenMessage.class, peerThree.read());
                peerThree.handshake(RawPeer.open(65002, 9, "10.0.0.3"));
                events.await("established", speaker.peer(three), TIMEOUT);

                // Removed: Cease/Peer De-configured (RFC 4486 §3) to it, the RIB told it is down.
                assertTrue(speaker.removePeer(two));
                assertEquals(ErrorSubcode.PEER_DE_CONFIGURED, notification(peerTwo).errorSubcode());
                final String reason = events.await("down", sessionTwo, TIMEOUT).reason();
                assertEquals("neighbor removed from the configuration", reason);
                assertTrue(sessionTwo.lastError().startsWith("sent NOTIFICATION Cease/Peer De-configured"), sessionTwo.lastError());
                assertFalse(speaker.removePeer(two), "gone already");
                assertEquals(List.of(three), speaker.peers().stream().map(peer -> peer.config().address()).toList());

                // The session that was not named never noticed.
                final BgpPeer sessionThree = speaker.peer(three);
                assertTrue(sessionThree.isEstablished());
                assertEquals(1, sessionThree.establishedTransitions());
                assertEquals(0, events.of("down", sessionThree).size());
            }
        }
    }

    /**
     * TCP-MD5 (RFC 2385) on the listener follows the neighbors: a neighbor added with a password is
     * accepted signed, and once it is configured again without one, accepted unsigned (its key left
     * the listener; otherwise the kernel would drop its SYNs for good).
     */
    @Test
    void theListenersTcpMd5KeysFollowTheNeighbors() throws Exception
    {
        final InetAddress two = InetAddress.getByName("127.0.0.2");
        final SessionTimers fast = new SessionTimers(Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofSeconds(10));
        try (BgpSpeaker passive = BgpSpeaker.start(new SpeakerConfig(65001, ip4("10.0.0.1"), null, 0, List.of()), fast,
            new RecordingEvents()))
        {
            passive.addPeer(new PeerConfig(two, 65001, 179, true, 9, null, MaximumPrefix.DEFAULT, "vtep-md5-key", 3));
            assertTrue(establishes(passive, "vtep-md5-key"), "a neighbor added with a password: signed session");

            passive.removePeer(two);
            passive.addPeer(new PeerConfig(two, 65001, 179, true, 9, null, MaximumPrefix.DEFAULT, null, 3));
            assertTrue(establishes(passive, null), "the same neighbor again without a password: unsigned session");
        }
    }

    /** An active speaker at 127.0.0.2 with {@code password} connects to {@code passive}: Established within 15 s? */
    private static boolean establishes(final BgpSpeaker passive, final String password) throws Exception
    {
        final SessionTimers fast = new SessionTimers(Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofSeconds(10));
        try (BgpSpeaker active = BgpSpeaker.start(new SpeakerConfig(65001, ip4("10.0.0.2"), InetAddress.getByName("127.0.0.2"), 0,
            List.of(new PeerConfig(InetAddress.getByName("127.0.0.1"), 65001, passive.localPort(), false, 9,
                InetAddress.getByName("127.0.0.2"), MaximumPrefix.DEFAULT, password, 3))), fast, new RecordingEvents()))
        {
            final BgpPeer peer = passive.peer(InetAddress.getByName("127.0.0.2"));
            return RecordingEvents.becomesTrue(TIMEOUT, peer::isEstablished);
        }
    }

    private static NotificationMessage notification(final RawPeer raw) throws IOException
    {
        BgpMessage message;
        do
        {
            message = raw.read();
        }
        while (message != null && !(message instanceof NotificationMessage));
        return assertInstanceOf(NotificationMessage.class, message);
    }
}
