package io.vtep.evpn.session;

import static io.vtep.evpn.session.RawPeer.ip4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * TCP-MD5 (RFC 2385) between two speakers on loopback: the passive one on the dual-stack wildcard
 * listener, the active one connecting out. The kernel signs and checks every segment; without the
 * same key on both sides the SYN is dropped and no session comes up. Needs a kernel with
 * CONFIG_TCP_MD5SIG (Debian's and every distribution kernel has it).
 */
class TcpMd5Test
{
    private static final SessionTimers FAST = new SessionTimers(Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofSeconds(10));

    private static PeerConfig peer(final String address, final int port, final boolean passive, final String source, final String password)
        throws IOException
    {
        return new PeerConfig(InetAddress.getByName(address), 65001, port, passive, 9,
            source == null ? null : InetAddress.getByName(source), MaximumPrefix.DEFAULT, password, 3);
    }

    /** @return whether the passive side reached Established within {@code wait}. */
    private static boolean establishes(final String passivePassword, final String activePassword, final Duration wait) throws Exception
    {
        final RecordingEvents passiveEvents = new RecordingEvents();
        final RecordingEvents activeEvents = new RecordingEvents();
        try (BgpSpeaker passive = BgpSpeaker.start(new SpeakerConfig(65001, ip4("10.0.0.1"), null, 0,
            List.of(peer("127.0.0.2", 179, true, null, passivePassword))), FAST, passiveEvents);
             BgpSpeaker active = BgpSpeaker.start(new SpeakerConfig(65001, ip4("10.0.0.2"), InetAddress.getByName("127.0.0.2"), 0,
                 List.of(peer("127.0.0.1", passive.localPort(), false, "127.0.0.2", activePassword))), FAST, activeEvents))
        {
            final BgpPeer peer = passive.peer(InetAddress.getByName("127.0.0.2"));
            return RecordingEvents.becomesTrue(wait, peer::isEstablished);
        }
    }

    @Test
    void theSamePasswordOnBothSidesEstablishes() throws Exception
    {
        assertTrue(establishes("vtep-md5-key", "vtep-md5-key", Duration.ofSeconds(15)), "Established with TCP-MD5 on both sides");
    }

    @Test
    void aWrongOrMissingPasswordGivesNoSession() throws Exception
    {
        assertFalse(establishes("vtep-md5-key", "wrong-key", Duration.ofSeconds(3)), "a wrong password must give no session");
        assertFalse(establishes("vtep-md5-key", null, Duration.ofSeconds(2)), "no password against one must give no session");
        assertFalse(establishes(null, "vtep-md5-key", Duration.ofSeconds(2)), "a password against none must give no session");
    }

    @Test
    void thePasswordNeverShowsInTheConfigurationText() throws IOException
    {
        final PeerConfig config = peer("127.0.0.2", 179, true, null, "vtep-md5-key");
        assertFalse(config.toString().contains("vtep-md5-key"), config.toString());
        assertEquals("vtep-md5-key", config.password());
    }
}
