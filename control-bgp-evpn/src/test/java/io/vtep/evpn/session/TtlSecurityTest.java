package io.vtep.evpn.session;

import static io.vtep.evpn.session.RawPeer.ip4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vtep.evpn.codec.OpenMessage;

/**
 * GTSM (RFC 5082) on loopback: two speakers with {@code ttl-security} send with TTL 255 and accept
 * each other; a peer whose packets arrive with a lower TTL (a plain Java socket sends with 64) gets
 * no session: the kernel drops its segments after the handshake.
 */
class TtlSecurityTest
{
    private static final SessionTimers FAST = new SessionTimers(Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofSeconds(10));

    private static PeerConfig peer(final String address, final int port, final boolean passive, final String source, final int hops)
        throws Exception
    {
        return new PeerConfig(InetAddress.getByName(address), 65001, port, passive, 9,
            source == null ? null : InetAddress.getByName(source), MaximumPrefix.DEFAULT, null, 3, hops);
    }

    @Test
    void twoGtsmSpeakersEstablish() throws Exception
    {
        final RecordingEvents events = new RecordingEvents();
        try (BgpSpeaker passive = BgpSpeaker.start(new SpeakerConfig(65001, ip4("10.0.0.1"), null, 0,
            List.of(peer("127.0.0.2", 179, true, null, 1))), FAST, events);
             BgpSpeaker active = BgpSpeaker.start(new SpeakerConfig(65001, ip4("10.0.0.2"), InetAddress.getByName("127.0.0.2"), 0,
                 List.of(peer("127.0.0.1", passive.localPort(), false, "127.0.0.2", 1))), FAST, new RecordingEvents()))
        {
            events.await("established", passive.peer(InetAddress.getByName("127.0.0.2")), Duration.ofSeconds(15));
        }
    }

    @Test
    void aPeerWhosePacketsArriveWithALowerTtlGetsNoSession() throws Exception
    {
        final RecordingEvents events = new RecordingEvents();
        try (BgpSpeaker speaker = BgpSpeaker.start(new SpeakerConfig(65001, ip4("10.0.0.1"), InetAddress.getByName("127.0.0.1"), 0,
            List.of(peer("127.0.0.2", 179, true, null, 1))), FAST, events);
             RawPeer raw = RawPeer.connect("127.0.0.2", speaker.localPort()))
        {
            assertInstanceOf(OpenMessage.class, raw.read(), "vtep's OPEN (TTL 255) arrives");
            raw.send(RawPeer.open(65001, 9, "10.0.0.2")); // TTL 64 < 255: dropped by the kernel
            raw.send(io.vtep.evpn.codec.KeepaliveMessage.INSTANCE);
            Thread.sleep(3_000);
            final BgpPeer peer = speaker.peer(InetAddress.getByName("127.0.0.2"));
            assertFalse(peer.isEstablished(), "a session with a peer whose TTL is below 255");
            assertEquals("OpenSent", peer.state(), "our OPEN left, theirs never arrived");
        }
    }
}
