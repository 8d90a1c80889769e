package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.evpn.codec.EvpnUpdates;
import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.session.BgpPeer;
import io.vtep.evpn.session.BgpSpeaker;
import io.vtep.evpn.session.PeerConfig;
import io.vtep.evpn.session.PeerEvents;
import io.vtep.evpn.session.SessionTimers;
import io.vtep.evpn.session.SpeakerConfig;
import io.vtep.topology.FrrConfig;
import io.vtep.topology.FrrEvpnRoute;
import io.vtep.topology.FrrPeer;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.Netns;
import io.vtep.topology.Requirements;
import io.vtep.topology.Topology;
import io.vtep.topology.Tshark;

/**
 * vtep's BGP session layer against real FRR (Debian's bgpd): FRR with a kernel VXLAN VNI and
 * {@code advertise-all-vni} in one namespace, a {@link BgpSpeaker} started in-process inside the
 * other, joined by a veth. Sessions come up over iBGP and eBGP as both sides report; the
 * speaker's type-3 route shows in FRR with its RT, RD, encapsulation and PMSI; FRR's type-3 route
 * arrives through {@link PeerEvents#update}; a frozen bgpd is noticed by the hold timer (4/0) and a
 * restarted one re-establishes; tshark decodes the speaker's messages without complaint.
 */
class BgpSessionFrrTest
{
    private static final int VNI = 100;
    private static final String FRR_IP = "192.0.2.1";
    private static final String VTEP_IP = "192.0.2.2";
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(20);
    private static final SessionTimers TIMERS = new SessionTimers(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(30));

    @BeforeAll
    static void requirements()
    {
        Requirements.requireTopology("tshark");
        FrrRouter.requireFrr();
    }

    /** The RIB's side for the test: records calls, and sends one type-3 route on every Established. */
    static final class Rib implements PeerEvents
    {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<UpdateMessage> updates = new CopyOnWriteArrayList<>();
        final UpdateMessage type3;

        Rib(final UpdateMessage type3)
        {
            this.type3 = type3;
        }

        @Override
        public void established(final BgpPeer peer)
        {
            calls.add("established");
            peer.send(type3);
        }

        @Override
        public void update(final BgpPeer peer, final UpdateMessage update)
        {
            updates.add(update);
        }

        @Override
        public void down(final BgpPeer peer, final String reason)
        {
            calls.add("down " + reason);
        }

        long count(final String prefix)
        {
            return calls.stream().filter(c -> c.startsWith(prefix)).count();
        }
    }

    @Test
    void ibgp() throws Exception
    {
        session(65000, 65000, true);
    }

    @Test
    void ebgp() throws Exception
    {
        session(65001, 65002, false);
    }

    private void session(final long frrAs, final long vtepAs, final boolean faults) throws Exception
    {
        try (Topology topo = Topology.create())
        {
            final Netns frrNs = topo.namespace("frr");
            final Netns vtepNs = topo.namespace("vtep");
            topo.link(frrNs, "under0", vtepNs, "under0");
            frrNs.addAddress("under0", FRR_IP + "/24");
            vtepNs.addAddress("under0", VTEP_IP + "/24");
            topo.kernelVtep(frrNs).vni(VNI).localIp(FRR_IP).learning(false).create();
            final Tshark capture = topo.capture(vtepNs, "under0", "tcp port 179");

            final FrrRouter frr = topo.frr(frrNs).bgp(FrrConfig.asn(frrAs).routerId(FRR_IP)
                .neighbor(FrrConfig.neighbor(VTEP_IP).remoteAs(vtepAs).timers(3, 9))).start();

            final Inet4Address vtep = (Inet4Address)InetAddress.getByName(VTEP_IP);
            final InetAddress frrAddress = InetAddress.getByName(FRR_IP);
            final UpdateMessage type3 = EvpnUpdates.inclusiveMulticast(EvpnUpdates.autoRouteDistinguisher(vtep, 1), VNI, vtep,
                List.of(EvpnUpdates.autoRouteTarget(vtepAs, VNI)),
                frrAs == vtepAs ? EvpnUpdates.PathOptions.ibgp() : EvpnUpdates.PathOptions.ebgp(vtepAs));
            final Rib rib = new Rib(type3);
            final SpeakerConfig config = new SpeakerConfig(vtepAs, vtep, vtep, 179,
                List.of(new PeerConfig(frrAddress, frrAs, 179, false, 9, vtep)));
            try (BgpSpeaker speaker = NetworkNamespace.call(vtepNs.name(), () -> BgpSpeaker.start(config, TIMERS, rib)))
            {
                final BgpPeer peer = speaker.peer(frrAddress);
                await(SESSION_TIMEOUT, peer::isEstablished, "speaker's peer Established", frr);
                final FrrPeer frrPeer = frr.awaitEstablished(VTEP_IP, SESSION_TIMEOUT);
                assertEquals(vtepAs, frrPeer.remoteAs(), frrPeer.toString());
                assertEquals(9, peer.negotiatedHoldSeconds());
                assertEquals(frrAs == vtepAs, peer.isIbgp());

                // Our type-3 route, as FRR understood it.
                final FrrEvpnRoute ours = frr.awaitEvpnRoute(SESSION_TIMEOUT,
                    r -> r.isType3() && !r.local() && VTEP_IP.equals(r.ip()), "the speaker's type-3 route in FRR");
                assertEquals(VTEP_IP + ":1", ours.rd(), ours.toString());
                assertTrue(ours.hasRouteTarget(vtepAs + ":" + VNI), ours.toString());
                assertEquals(FrrEvpnRoute.ENCAP_VXLAN, ours.encapsulation(), ours.toString());
                assertEquals(FrrEvpnRoute.INGRESS_REPLICATION, ours.pmsiTunnelType(), ours.toString());
                assertEquals(VNI, ours.pmsiLabel(), ours.toString());
                assertEquals(VTEP_IP, ours.nextHop(), ours.toString());

                // FRR's own type-3 route for its kernel VNI, through PeerEvents.update.
                await(SESSION_TIMEOUT, () -> rib.updates.stream().flatMap(u -> u.advertisedEvpnRoutes().stream())
                    .anyMatch(r -> r instanceof InclusiveMulticastRoute im && im.originatingRouter().equals(frrAddress)),
                    "FRR's type-3 route through PeerEvents.update", frr);

                if (faults)
                {
                    // A frozen bgpd keeps its TCP connection but says nothing: our hold timer (9 s) ends the session.
                    frr.pauseBgpd();
                    await(Duration.ofSeconds(15), () -> rib.count("down") == 1, "PeerEvents.down by the hold timer", frr);
                    assertTrue(rib.calls.stream().anyMatch(c -> c.startsWith("down") && c.contains("(4/0)")), rib.calls.toString());
                    assertEquals("sent NOTIFICATION Hold Timer Expired/Unspecific (4/0)", peer.lastError());
                    frr.killBgpd();
                    frr.startBgpd();
                    await(SESSION_TIMEOUT, peer::isEstablished, "Established again after bgpd restarted", frr);
                    frr.awaitEstablished(VTEP_IP, SESSION_TIMEOUT);
                    assertEquals(2, peer.establishedTransitions());
                    frr.awaitEvpnRoute(SESSION_TIMEOUT, r -> r.isType3() && !r.local() && VTEP_IP.equals(r.ip()),
                        "the speaker's type-3 route re-sent to the restarted FRR");
                }
            }

            final List<Map<String, String>> bad = capture.fields("_ws.malformed || _ws.expert.severity >= error",
                "frame.number", "_ws.expert.message");
            assertEquals(List.of(), bad, "tshark finds nothing malformed in the BGP capture");
            final List<Map<String, String>> bgp = capture.fields("bgp && ip.src == " + VTEP_IP, "bgp.type");
            final String types = bgp.stream().map(m -> m.get("bgp.type")).reduce("", (a, b) -> a + "," + b);
            // IP_TOS 0xC0: DSCP CS6 (48), as FRR marks its own BGP packets.
            assertEquals(List.of(), capture.fields("bgp && ip.src == " + VTEP_IP + " && ip.dsfield.dscp != 48", "frame.number"),
                "every BGP message of the speaker carries DSCP CS6");
            for (final String type : List.of("1", "2", "4"))
            {
                assertTrue(("," + types + ",").matches(".*[,]" + type + "[,].*"), "tshark decodes BGP type " + type + " from the speaker: " + types);
            }
        }
    }

    private static void await(final Duration timeout, final BooleanSupplier condition, final String what, final FrrRouter frr)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out after " + timeout + " waiting for " + what + "\n" + frr.diagnostics());
            }
            Thread.sleep(50);
        }
    }
}
