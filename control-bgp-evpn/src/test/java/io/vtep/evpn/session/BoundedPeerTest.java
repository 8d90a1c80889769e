package io.vtep.evpn.session;

import static io.vtep.evpn.session.RawPeer.ip4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.vtep.encap.VtepAddress;
import io.vtep.evpn.codec.BgpCodec;
import io.vtep.evpn.codec.BgpMessage;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.EvpnUpdates;
import io.vtep.evpn.codec.NotificationMessage;
import io.vtep.evpn.codec.Octets;
import io.vtep.evpn.codec.OpenMessage;
import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.controlplane.EvpnControlPlane;
import io.vtep.evpn.controlplane.EvpnSettings;
import io.vtep.evpn.controlplane.EvpnVniSettings;
import io.vtep.evpn.rib.EvpnPath;
import io.vtep.evpn.rib.UpdatePacker;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.Origin;

/**
 * What one neighbor can make vtep hold (issue 15, failure 3): the hand-off to the RIB is bounded by
 * not reading, the routes by maximum-prefix, and the hold time by a floor. A raw peer on loopback
 * sends real UPDATEs, packed as vtep packs its own.
 */
class BoundedPeerTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long AS = 65001;
    private static final int VNI = 100;
    private static final String PEER = "127.0.0.2";
    private static final Inet4Address PEER_VTEP = ip4("198.51.100.2");
    private static final SessionTimers FAST = new SessionTimers(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(10));

    /** {@code count} type-2 routes (MACs 02:30:…) from {@link #PEER_VTEP}, packed into UPDATEs of at most 4096 octets, encoded. */
    static byte[] type2Updates(final int count)
    {
        final List<EvpnPath> paths = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final MacIpAdvertisementRoute route = MacIpAdvertisementRoute.of(EvpnUpdates.autoRouteDistinguisher(PEER_VTEP, 1),
                new EvpnMac(0x02_30_00_00_00_00L + i), null, VNI);
            paths.add(EvpnPath.local(route, PEER_VTEP, PEER_VTEP, List.of(EvpnUpdates.autoRouteTarget(AS, VNI)), VNI, 0, false));
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final UpdateMessage update : new UpdatePacker().advertise(paths, EvpnUpdates.PathOptions.ibgp()))
        {
            out.writeBytes(BgpCodec.encode(update, CodecContext.FOUR_OCTET_AS));
        }
        return out.toByteArray();
    }

    private static PeerConfig peerConfig(final MaximumPrefix maximum, final int minimumHold) throws IOException
    {
        return new PeerConfig(InetAddress.getByName(PEER), AS, 179, true, 9, null, maximum, null, minimumHold);
    }

    private static BgpSpeaker speaker(final PeerConfig peer, final PeerEvents events) throws IOException
    {
        return BgpSpeaker.start(new SpeakerConfig(AS, ip4("10.0.0.1"), InetAddress.getByName("127.0.0.1"), 0, List.of(peer)),
            FAST, events);
    }

    private static RawPeer established(final BgpSpeaker speaker) throws IOException
    {
        final RawPeer raw = RawPeer.connect(PEER, speaker.localPort());
        assertInstanceOf(OpenMessage.class, raw.read(), "the speaker's OPEN");
        raw.handshake(RawPeer.open(AS, 9, "10.0.0.2"));
        return raw;
    }

    /** A real RIB on a real FDB with VNI 100. */
    private static final class Rib implements AutoCloseable
    {
        final Fdb fdb = new Fdb();
        final EvpnControlPlane evpn;

        Rib()
        {
            fdb.addVni(VNI, LearningMode.EVPN, 0, null);
            evpn = new EvpnControlPlane(new EvpnSettings(AS, ip4("10.0.0.1"), VtepAddress.of(ip4("198.51.100.1")),
                List.of(EvpnVniSettings.auto(VNI)), 5, Duration.ofSeconds(180)), fdb);
            evpn.start();
        }

        int evpnEntries()
        {
            return fdb.vni(VNI).entries(Origin.EVPN);
        }

        @Override
        public void close()
        {
            evpn.close();
        }
    }

    /**
     * Failure 3 at a reduced scale: a neighbor sends more routes than the default limit (100,000).
     * Without maximum-prefix vtep held them all (a million took the heap); now the session is
     * closed with Cease / Maximum Number of Prefixes Reached carrying AFI 25, SAFI 70 and the
     * limit (RFC 4486 §4), and every route it sent leaves the FDB.
     */
    @Test
    void aPeerSendingMoreThanTheDefaultLimitIsClosedWithCeaseMaximumPrefixAndItsRoutesRemoved() throws Exception
    {
        final int count = (int)MaximumPrefix.DEFAULT_LIMIT + 2_000;
        final byte[] updates = type2Updates(count);
        try (Rib rib = new Rib();
             BgpSpeaker speaker = speaker(new PeerConfig(InetAddress.getByName(PEER), AS, 179, true, 9, null), rib.evpn);
             RawPeer raw = established(speaker))
        {
            final BgpPeer peer = establishedPeer(speaker);
            final CompletableFuture<Void> sending = sendInTheBackground(raw, updates);
            raw.timeout(60_000);
            final NotificationMessage cease = expectNotification(raw, ErrorSubcode.MAXIMUM_NUMBER_OF_PREFIXES_REACHED);
            final long limit = MaximumPrefix.DEFAULT_LIMIT;
            assertEquals(Octets.of(0, 25, 70, (int)(limit >>> 24), (int)(limit >>> 16), (int)(limit >>> 8), (int)limit), cease.data(),
                "RFC 4486 §4 data: AFI, SAFI, upper bound");
            raw.close();
            // closed by the speaker while still sending: an IOException is expected
            sending.handle((sent, closed) -> null).get(30, TimeUnit.SECONDS);
            RecordingEvents.awaitTrue(TIMEOUT, () -> rib.evpnEntries() == 0 && rib.evpn.prefixesReceived(peer) == 0,
                "every route of the closed session removed; EVPN entries left: " + rib.evpnEntries());
            assertEquals(1, peer.prefixLimitResets());
            assertTrue(peer.lastError().contains("Maximum Number of Prefixes Reached (6/1)"), peer.lastError());
        }
    }

    /** FRR's {@code maximum-prefix 50 restart}: torn down above 50, refused until the restart time passed, then accepted again. */
    @Test
    void aPeerAboveItsMaximumPrefixStaysDownUntilTheRestartTimeThenComesBack() throws Exception
    {
        final Duration restart = Duration.ofSeconds(2);
        try (Rib rib = new Rib();
             BgpSpeaker speaker = speaker(peerConfig(new MaximumPrefix(50, 80, restart, false), 3), rib.evpn))
        {
            final BgpPeer peer = speaker.peer(InetAddress.getByName(PEER));
            try (RawPeer raw = established(speaker))
            {
                raw.send(type2Updates(40));
                RecordingEvents.awaitTrue(TIMEOUT, () -> rib.evpnEntries() == 40, "40 routes installed: below the limit, only the warning");
                assertTrue(peer.isEstablished());
                raw.send(type2Updates(51));
                final NotificationMessage cease = expectNotification(raw, ErrorSubcode.MAXIMUM_NUMBER_OF_PREFIXES_REACHED);
                assertEquals(Octets.of(0, 25, 70, 0, 0, 0, 50), cease.data());
            }
            final long downAt = System.nanoTime();
            RecordingEvents.awaitTrue(TIMEOUT, () -> rib.evpnEntries() == 0, "routes removed with the session");
            try (RawPeer early = RawPeer.connect(PEER, speaker.localPort()))
            {
                final BgpMessage refused = early.read();
                assertInstanceOf(NotificationMessage.class, refused, "no session before the restart time: " + refused);
                assertEquals(ErrorSubcode.CONNECTION_REJECTED, ((NotificationMessage)refused).errorSubcode());
            }
            Thread.sleep(Math.max(0, restart.toMillis() + 300 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downAt)));
            try (RawPeer again = established(speaker))
            {
                RecordingEvents.awaitTrue(TIMEOUT, peer::isEstablished, "Established again after the restart time");
                assertEquals(2, peer.establishedTransitions());
            }
        }
    }

    /**
     * A RIB that takes UPDATEs slower than the peer sends them: the session stops reading once
     * {@link InboundBackpressure#HIGH} wait (the rest waits in TCP), and reads on
     * when the RIB caught up; every UPDATE arrives, in order, and the session stays up.
     */
    @Test
    void aSlowRibStopsTheSessionReadingAndItResumesWhenDrained() throws Exception
    {
        final List<UpdateMessage> handed = new CopyOnWriteArrayList<>();
        final PeerEvents slowRib = new PeerEvents()
        {
            @Override
            public void established(final BgpPeer peer)
            {
            }

            @Override
            public void update(final BgpPeer peer, final UpdateMessage update)
            {
                handed.add(update);
            }

            @Override
            public void down(final BgpPeer peer, final String reason)
            {
            }
        };
        final int routes = 40_000; // about 400 UPDATEs, 1.5 MB
        final byte[] updates = type2Updates(routes);
        try (BgpSpeaker speaker = speaker(peerConfig(MaximumPrefix.DEFAULT, 3), slowRib);
             RawPeer raw = established(speaker))
        {
            final BgpPeer peer = establishedPeer(speaker);
            final CompletableFuture<Void> sending = sendInTheBackground(raw, updates);
            RecordingEvents.awaitTrue(TIMEOUT, () -> peer.readPauses() == 1, "reading paused");
            Thread.sleep(500);
            final int whilePaused = handed.size();
            assertTrue(whilePaused >= InboundBackpressure.HIGH && whilePaused < InboundBackpressure.HIGH + 64,
                "handed to the RIB while it consumed nothing: " + whilePaused);
            // What the peer sent beyond that waits in the TCP buffers (on loopback they may hold
            // it all, so whether the peer's writes block is not asserted).
            // The RIB catches up, one UPDATE at a time, as fast as it can.
            int done = 0;
            int maxOutstanding = 0;
            final long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (done < handed.size() || countRoutes(handed) < routes)
            {
                maxOutstanding = Math.max(maxOutstanding, handed.size() - done);
                if (done < handed.size())
                {
                    peer.updateConsumed();
                    done++;
                }
                else
                {
                    Thread.sleep(1);
                }
                assertTrue(System.nanoTime() < deadline, "stalled after " + done + " UPDATEs");
            }
            sending.get(5, TimeUnit.SECONDS);
            assertEquals(routes, countRoutes(handed), "every route arrived");
            assertTrue(maxOutstanding < InboundBackpressure.HIGH + 64, "outstanding at most " + maxOutstanding);
            assertTrue(peer.isEstablished(), "the session stays up");
        }
    }

    private static int countRoutes(final List<UpdateMessage> updates)
    {
        int count = 0;
        for (final UpdateMessage update : updates)
        {
            count += update.advertisedEvpnRoutes().size();
        }
        return count;
    }

    /** RFC 4271 allows 0 or at least 3; by default vtep refuses a peer that would turn liveness checks off with 0. */
    @Test
    void aHoldTimeBelowTheFloorGetsUnacceptableHoldTime() throws Exception
    {
        try (BgpSpeaker speaker = speaker(peerConfig(MaximumPrefix.DEFAULT, PeerConfig.DEFAULT_MINIMUM_HOLD_SECONDS), new RecordingEvents());
             RawPeer raw = RawPeer.connect(PEER, speaker.localPort()))
        {
            assertInstanceOf(OpenMessage.class, raw.read());
            raw.send(RawPeer.open(AS, 0, "10.0.0.2"));
            expectNotification(raw, ErrorSubcode.UNACCEPTABLE_HOLD_TIME);
        }
        try (BgpSpeaker speaker = speaker(peerConfig(MaximumPrefix.DEFAULT, 10), new RecordingEvents());
             RawPeer raw = RawPeer.connect(PEER, speaker.localPort()))
        {
            assertInstanceOf(OpenMessage.class, raw.read());
            raw.send(RawPeer.open(AS, 9, "10.0.0.2"));
            expectNotification(raw, ErrorSubcode.UNACCEPTABLE_HOLD_TIME);
        }
    }

    /**
     * A peer that offers hold time 0 (accepted here because {@code minimum-hold-time} is 0) and then
     * stops reading is still reset with Cease / Out of Resources: without a hold time the send hold
     * check uses {@link SessionTimers#sendHoldWithoutHoldTime} (2 s here, 90 s by default) instead
     * of switching off.
     */
    @Test
    void holdTimeZeroDoesNotSwitchTheWriteBufferProtectionOff() throws Exception
    {
        final RecordingEvents events = new RecordingEvents();
        final SessionTimers timers = new SessionTimers(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(10),
            Duration.ofSeconds(2));
        try (BgpSpeaker speaker = BgpSpeaker.start(new SpeakerConfig(AS, ip4("10.0.0.1"), InetAddress.getByName("127.0.0.1"), 0,
            List.of(peerConfig(MaximumPrefix.DEFAULT, 0))), timers, events);
             RawPeer raw = RawPeer.connect(PEER, speaker.localPort(), 4096))
        {
            assertInstanceOf(OpenMessage.class, raw.read());
            raw.handshake(RawPeer.open(AS, 0, "10.0.0.2"));
            final BgpPeer peer = speaker.peer(InetAddress.getByName(PEER));
            events.await("established", peer, TIMEOUT);
            assertEquals(0, peer.negotiatedHoldSeconds(), "no hold time, no KEEPALIVEs");
            final io.vtep.evpn.codec.nlri.RouteDistinguisher rd = EvpnUpdates.autoRouteDistinguisher(ip4("10.0.0.1"), 1);
            final UpdateMessage large = EvpnUpdates.inclusiveMulticast(rd, VNI, ip4("10.0.0.1"),
                java.util.stream.IntStream.range(1, 400).mapToObj(vni -> EvpnUpdates.autoRouteTarget(AS, vni)).toList(),
                EvpnUpdates.PathOptions.ibgp());
            final int length = BgpCodec.encode(large, CodecContext.FOUR_OCTET_AS).length;
            for (int i = 0; i < 8_000_000 / length; i++) // more than the kernel buffers and the 1 MiB high water mark
            {
                peer.send(large);
            }
            final RecordingEvents.Call down = events.await("down", peer, TIMEOUT);
            assertTrue(down.reason().contains("Out of Resources (6/8)"), down.reason());
        }
    }

    private static NotificationMessage expectNotification(final RawPeer raw, final ErrorSubcode expected) throws IOException
    {
        BgpMessage message;
        do
        {
            message = raw.read();
        }
        while (message != null && !(message instanceof NotificationMessage));
        final NotificationMessage notification = assertInstanceOf(NotificationMessage.class, message, "expected " + expected);
        assertEquals(expected, notification.errorSubcode(), "NOTIFICATION " + notification);
        return notification;
    }

    private static BgpPeer establishedPeer(final BgpSpeaker speaker) throws IOException
    {
        final BgpPeer peer = speaker.peer(InetAddress.getByName(PEER));
        RecordingEvents.awaitTrue(TIMEOUT, peer::isEstablished, "Established");
        return peer;
    }

    /** Writes {@code updates} on another thread, as a peer does while the speaker reads at its own pace. */
    private static CompletableFuture<Void> sendInTheBackground(final RawPeer raw, final byte[] updates)
    {
        return CompletableFuture.runAsync(() ->
        {
            try
            {
                raw.send(updates);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        });
    }
}
