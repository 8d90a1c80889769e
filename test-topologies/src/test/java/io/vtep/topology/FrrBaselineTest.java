package io.vtep.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The FRR-to-FRR EVPN baseline that the vtep-to-FRR tests mirror: two Linux kernel VTEPs (data-plane
 * learning off, no static flood lists) whose control plane is FRR (zebra + bgpd) in the same
 * namespace, each with a host behind it. Over iBGP, over eBGP, and as two clients of an FRR route
 * reflector in a third namespace: the sessions come up, each side receives the other's type-3
 * route (PMSI ingress replication, label = VNI) and, once the hosts talk, its type-2 route with
 * RD router-id:N; zebra installs the remote MAC ({@code extern_learn}) and the flood entry
 * ({@code 00:00:00:00:00:00 dst REMOTE}); the hosts ping 3/3.
 */
class FrrBaselineTest
{

    static final int VNI = 100;
    static final String IP1 = "192.0.2.1";
    static final String IP2 = "192.0.2.2";
    static final String RR_IP = "192.0.2.254";
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(20);
    static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(10);

    @BeforeAll
    static void requirements()
    {
        Requirements.requireTopology("ping");
        FrrRouter.requireFrr();
    }

    /** One FRR + kernel VTEP with its host; {@code frr} is set once started. */
    record Side(Netns ns, String ip, KernelVtep kernel, Host host, FrrRouter frr)
    {
        Side withFrr(FrrRouter frr)
        {
            return new Side(ns, ip, kernel, host, frr);
        }
    }

    /** A namespace with a kernel VTEP for {@link #VNI} (learning off) and a host on its bridge; the underlay is the caller's. */
    static Side side(Topology topo, Netns ns, String ip, String hostRole, String hostCidr)
    {
        KernelVtep kernel = topo.kernelVtep(ns).vni(VNI).localIp(ip).learning(false).create();
        Host host = topo.host(hostRole, hostCidr, ns, "eth1");
        kernel.attach("eth1");
        return new Side(ns, ip, kernel, host, null);
    }

    /** Two VTEP namespaces on one veth underlay. */
    static Side[] twoSides(Topology topo)
    {
        Netns ns1 = topo.namespace("vtep1");
        Netns ns2 = topo.namespace("vtep2");
        topo.link(ns1, "under0", ns2, "under0");
        ns1.addAddress("under0", IP1 + "/24");
        ns2.addAddress("under0", IP2 + "/24");
        return new Side[] {side(topo, ns1, IP1, "h1", "10.0.0.1/24"), side(topo, ns2, IP2, "h2", "10.0.0.2/24")};
    }

    static Side startFrr(Topology topo, Side side, FrrConfig config)
    {
        return side.withFrr(topo.frr(side.ns()).bgp(config).start());
    }

    @Test
    void ibgp()
    {
        try (Topology topo = Topology.create())
        {
            Side[] s = twoSides(topo);
            Side a = startFrr(topo, s[0], FrrConfig.asn(65000).routerId(IP1).neighbor(IP2, 65000));
            Side b = startFrr(topo, s[1], FrrConfig.asn(65000).routerId(IP2).neighbor(IP1, 65000));

            a.frr().awaitEstablished(IP2, SESSION_TIMEOUT);
            b.frr().awaitEstablished(IP1, SESSION_TIMEOUT);

            assertBaseline(topo, a, b, "65000:100", "65000:100", null);
            assertEquals(List.of(IP2), a.frr().remoteVteps(VNI), "zebra's flood list for the VNI");
        }
    }

    @Test
    void ebgp()
    {
        try (Topology topo = Topology.create())
        {
            Side[] s = twoSides(topo);
            Side a = startFrr(topo, s[0], FrrConfig.asn(65001).routerId(IP1).neighbor(IP2, 65002));
            Side b = startFrr(topo, s[1], FrrConfig.asn(65002).routerId(IP2).neighbor(IP1, 65001));

            FrrPeer peer = a.frr().awaitEstablished(IP2, SESSION_TIMEOUT);
            b.frr().awaitEstablished(IP1, SESSION_TIMEOUT);
            assertEquals(65002, peer.remoteAs(), peer.toString());

            // FRR derives the RT from its own AS; with auto-derived RTs it still imports the peer's
            // (it matches on the VNI), so each side carries its own AS in the RT.
            assertBaseline(topo, a, b, "65001:100", "65002:100", null);
            FrrEvpnRoute fromB = a.frr().evpnRoutes(r -> r.isType3() && !r.local()).getFirst();
            assertEquals("65002", fromB.asPath(), "eBGP route carries the peer's AS: " + fromB);
        }
    }

    @Test
    void twoClientsOfARouteReflector()
    {
        try (Topology topo = Topology.create())
        {
            // Underlay: a bridge in the reflector's namespace joins both VTEPs and the reflector.
            Netns rrNs = topo.namespace("rr");
            Netns ns1 = topo.namespace("vtep1");
            Netns ns2 = topo.namespace("vtep2");
            topo.switchedSegment(rrNs, "ul0", "under0", List.of(ns1, ns2), List.of(IP1 + "/24", IP2 + "/24"));
            rrNs.addAddress("ul0", RR_IP + "/24");
            Side s1 = side(topo, ns1, IP1, "h1", "10.0.0.1/24");
            Side s2 = side(topo, ns2, IP2, "h2", "10.0.0.2/24");

            FrrRouter rr = topo.frr(rrNs).bgp(FrrConfig.asn(65000).routerId(RR_IP).advertiseAllVni(false)
                .neighbor(FrrConfig.neighbor(IP1).remoteAs(65000).routeReflectorClient())
                .neighbor(FrrConfig.neighbor(IP2).remoteAs(65000).routeReflectorClient())).start();
            Side a = startFrr(topo, s1, FrrConfig.asn(65000).routerId(IP1).neighbor(RR_IP, 65000));
            Side b = startFrr(topo, s2, FrrConfig.asn(65000).routerId(IP2).neighbor(RR_IP, 65000));

            rr.awaitAllEstablished(SESSION_TIMEOUT);
            a.frr().awaitEstablished(RR_IP, SESSION_TIMEOUT);
            b.frr().awaitEstablished(RR_IP, SESSION_TIMEOUT);
            assertEquals(List.of(RR_IP), List.copyOf(a.frr().bgpSummary().keySet()), "vtep1 peers only with the reflector");

            assertBaseline(topo, a, b, "65000:100", "65000:100", RR_IP);
            // The reflector has no VNI of its own: it only passes the clients' routes on.
            assertTrue(rr.evpnRoutes().stream().noneMatch(FrrEvpnRoute::local), rr.diagnostics());
            assertEquals(4, rr.evpnRoutes(FrrEvpnRoute::best).size(), "2 type-3 + 2 type-2 at the reflector\n" + rr.diagnostics());
        }
    }

    @Test
    void macMovedToTheOtherVtepIsAdvertisedWithAHigherSequence()
    {
        try (Topology topo = Topology.create())
        {
            Side[] s = twoSides(topo);
            Side a = startFrr(topo, s[0], FrrConfig.asn(65000).routerId(IP1).neighbor(IP2, 65000));
            Side b = startFrr(topo, s[1], FrrConfig.asn(65000).routerId(IP2).neighbor(IP1, 65000));
            a.frr().awaitEstablished(IP2, SESSION_TIMEOUT);
            awaitFloodList(topo, a, b);
            awaitFloodList(topo, b, a);
            assertEquals(3, a.host().ping(b.host().ip(), 3).received());
            String mac = a.host().mac();
            b.frr().awaitEvpnRoute(ROUTE_TIMEOUT, r -> r.isType2() && r.best() && mac.equals(r.mac()), "h1's type-2 at vtep2");

            // h1 "moves" behind vtep2: a new host there with h1's MAC and address speaks while the
            // old one stays silent. vtep2 learns locally a MAC it knows as remote: sequence 0 + 1.
            Host moved = topo.host("h1moved", a.host().cidr(), b.ns(), "eth3");
            moved.setMac(mac);
            b.kernel().attach("eth3");
            assertEquals(3, moved.ping(b.host().ip(), 3).received());

            FrrEvpnRoute r = a.frr().awaitEvpnRoute(ROUTE_TIMEOUT,
                x -> x.isType2() && x.best() && !x.local() && mac.equals(x.mac()) && IP2.equals(x.nextHop()),
                "h1's MAC advertised by vtep2");
            assertEquals(Long.valueOf(1), r.macMobilitySeq(), "MM:1 after one move: " + r);
            assertTrue(r.extendedCommunities().contains("MM:1"), r.extendedCommunities());
            Wait.until(ROUTE_TIMEOUT, () -> a.kernel().remoteVtepOf(mac), Optional.of(IP2)::equals,
                "vtep1's zebra points h1's MAC at vtep2\n" + a.frr().diagnostics());
            FrrEvpnMac atA = a.frr().evpnMacs(VNI).stream().filter(m -> m.mac().equals(mac)).findFirst().orElseThrow();
            assertTrue(atA.isRemote() && IP2.equals(atA.remoteVtep()) && atA.remoteSequence() == 1, atA.toString());
            FrrEvpnMac atB = b.frr().evpnMacs(VNI).stream().filter(m -> m.mac().equals(mac)).findFirst().orElseThrow();
            assertTrue(atB.isLocal() && "eth3".equals(atB.intf()) && atB.localSequence() == 1, atB.toString());
        }
    }

    /** Two iBGP VTEPs with short timers, sessions up and flood lists installed. */
    static Side[] faultPair(Topology topo, int keepalive, int hold)
    {
        Side[] s = twoSides(topo);
        Side a = startFrr(topo, s[0], FrrConfig.asn(65000).routerId(IP1)
            .neighbor(FrrConfig.neighbor(IP2).remoteAs(65000).timers(keepalive, hold)));
        Side b = startFrr(topo, s[1], FrrConfig.asn(65000).routerId(IP2)
            .neighbor(FrrConfig.neighbor(IP1).remoteAs(65000).timers(keepalive, hold)));
        a.frr().awaitEstablished(IP2, SESSION_TIMEOUT);
        Wait.until(ROUTE_TIMEOUT, () -> a.kernel().floodList(), List.of(IP2)::equals, "vtep1 flood list from BGP");
        Wait.until(ROUTE_TIMEOUT, () -> b.kernel().floodList(), List.of(IP1)::equals, "vtep2 flood list from BGP");
        return new Side[] {a, b};
    }

    @Test
    void killedBgpdTakesItsEntriesAwayAndRestartedReconverges()
    {
        try (Topology topo = Topology.create())
        {
            Side[] s = faultPair(topo, 3, 9);
            Side a = s[0];
            Side b = s[1];

            b.frr().killBgpd();

            // zebra on vtep2 drops what its dead client installed at once; vtep1 sees the TCP
            // connection close (the kernel closes a killed process's sockets) well before the
            // 9 s hold time, and withdraws vtep2's routes with the session.
            Wait.until(Duration.ofSeconds(5), () -> b.kernel().floodList(), List::isEmpty,
                "vtep2's zebra removes the flood entry of its killed bgpd");
            a.frr().awaitNotEstablished(IP2, Duration.ofSeconds(5));
            Wait.until(ROUTE_TIMEOUT, () -> a.kernel().floodList(), List::isEmpty, "vtep1 drops vtep2's flood entry with the session");
            // bgpd tells zebra first and frees the withdrawn paths after: the kernel's flood list
            // can be empty a moment before "show bgp l2vpn evpn route" is (seen in CI).
            Wait.until(ROUTE_TIMEOUT, () -> a.frr().evpnRoutes(r -> !r.local()), List::isEmpty,
                "vtep1's BGP table loses vtep2's routes with the session");

            b.frr().startBgpd();

            a.frr().awaitEstablished(IP2, SESSION_TIMEOUT);
            Wait.until(ROUTE_TIMEOUT, () -> b.kernel().floodList(), List.of(IP1)::equals, "vtep2 flood list again");
            Wait.until(ROUTE_TIMEOUT, () -> a.kernel().floodList(), List.of(IP2)::equals, "vtep1 flood list again");
            PingResult ping = a.host().ping(b.host().ip(), 3);
            assertEquals(3, ping.received(), ping.output() + "\n" + topo.diagnostics());
        }
    }

    @Test
    void pausedBgpdIsDroppedAtHoldTimeAndResumedReconverges()
    {
        try (Topology topo = Topology.create())
        {
            Side[] s = faultPair(topo, 1, 3);
            Side a = s[0];
            Side b = s[1];

            long paused = System.nanoTime();
            b.frr().pauseBgpd();

            // Silent peer: vtep1 drops the session only when its 3 s hold timer expires.
            a.frr().awaitNotEstablished(IP2, Duration.ofSeconds(10));
            long downAfterMs = (System.nanoTime() - paused) / 1_000_000;
            assertTrue(downAfterMs >= 2000, "session dropped by the hold timer, not at once: " + downAfterMs + " ms");
            Wait.until(ROUTE_TIMEOUT, () -> a.kernel().floodList(), List::isEmpty, "vtep1 drops vtep2's flood entry");
            assertEquals(List.of(IP1), b.kernel().floodList(), "vtep2's zebra keeps what its frozen bgpd installed");

            b.frr().resumeBgpd();

            a.frr().awaitEstablished(IP2, SESSION_TIMEOUT);
            Wait.until(ROUTE_TIMEOUT, () -> a.kernel().floodList(), List.of(IP2)::equals, "vtep1 flood list again");
            PingResult ping = a.host().ping(b.host().ip(), 3);
            assertEquals(3, ping.received(), ping.output() + "\n" + topo.diagnostics());
        }
    }

    /**
     * What both sides must show: each other's type-3 (and the flood entry zebra makes of it), a
     * ping 3/3, then each other's type-2 for the remote host (and its extern_learn FDB entry).
     * {@code reflector} is the route reflector's address when the routes come through one.
     */
    static void assertBaseline(Topology topo, Side a, Side b, String rtOfA, String rtOfB, String reflector)
    {
        assertType3(a, b, rtOfB, reflector);
        assertType3(b, a, rtOfA, reflector);
        awaitFloodList(topo, a, b);
        awaitFloodList(topo, b, a);

        PingResult ping = a.host().ping(b.host().ip(), 3);
        assertEquals(3, ping.transmitted(), ping.output());
        assertEquals(3, ping.received(), ping.output() + "\n" + diagnostics(topo, a, b));

        assertType2(topo, a, b, rtOfB, reflector);
        assertType2(topo, b, a, rtOfA, reflector);
    }

    /** {@code at} holds {@code from}'s inclusive multicast route with everything RFC 8365 asks of it. */
    static void assertType3(Side at, Side from, String rt, String reflector)
    {
        FrrEvpnRoute r = at.frr().awaitEvpnRoute(ROUTE_TIMEOUT, x -> x.isType3() && !x.local() && x.best() && from.ip().equals(x.ip()),
            "best type-3 route of " + from.ip());
        assertTrue(r.rd().matches("\\Q" + from.ip() + "\\E:\\d+"), "RD router-id:N: " + r);
        assertEquals(List.of(rt), r.routeTargets(), r.toString());
        assertEquals(Integer.valueOf(FrrEvpnRoute.ENCAP_VXLAN), r.encapsulation(), "ET:8 (VXLAN): " + r);
        assertEquals(FrrEvpnRoute.INGRESS_REPLICATION, r.pmsiTunnelType(), r.toString());
        assertEquals(Integer.valueOf(VNI), r.pmsiLabel(), "PMSI label = VNI: " + r);
        assertEquals(from.ip(), r.nextHop(), r.toString());
        assertEquals(from.ip(), r.originator(), r.toString());
        assertEquals(0, r.ethTag());
        assertTrue(r.valid(), r.toString());
        assertReflection(r, from, reflector);
    }

    static void assertType2(Topology topo, Side at, Side from, String rt, String reflector)
    {
        String mac = from.host().mac();
        FrrEvpnRoute r = at.frr().awaitEvpnRoute(ROUTE_TIMEOUT, x -> x.isType2() && !x.local() && x.best() && mac.equals(x.mac()),
            "best type-2 route for " + from.host().ip() + "'s MAC " + mac);
        assertTrue(r.rd().matches("\\Q" + from.ip() + "\\E:\\d+"), "RD router-id:N: " + r);
        assertEquals(List.of(rt), r.routeTargets(), r.toString());
        assertEquals(Integer.valueOf(FrrEvpnRoute.ENCAP_VXLAN), r.encapsulation(), r.toString());
        assertEquals(Integer.valueOf(VNI), r.vni(), "label = VNI: " + r);
        assertEquals(from.ip(), r.nextHop(), r.toString());
        assertEquals(from.ip(), r.originator(), r.toString());
        assertNull(r.macMobilitySeq(), "a MAC that never moved has no MAC mobility community: " + r);
        assertNull(r.pmsiTunnelType(), r.toString());
        assertReflection(r, from, reflector);
        // The same RD for both routes of one VNI.
        String rd3 = at.frr().evpnRoutes(x -> x.isType3() && from.ip().equals(x.ip())).getFirst().rd();
        assertEquals(rd3, r.rd(), "type-2 and type-3 of a VNI share the RD");

        // zebra installed it: on the vxlan device (self, dst = the VTEP) as extern_learn.
        BridgeFdbEntry entry = Wait.until(ROUTE_TIMEOUT,
            () -> at.kernel().remoteEntries().stream().filter(e -> e.mac().equals(mac)).findFirst(),
            Optional::isPresent, at.ns() + ": zebra installs " + mac).orElseThrow();
        assertEquals(from.ip(), entry.dst(), entry + "\n" + diagnostics(topo, at, from));
        assertTrue(entry.flags().contains("extern_learn"), "installed by zebra as extern_learn: " + entry);
    }

    static void assertReflection(FrrEvpnRoute r, Side from, String reflector)
    {
        if (reflector == null)
        {
            assertNull(r.originatorId(), r.toString());
            assertEquals(List.of(), r.clusterList(), r.toString());
            assertEquals(from.ip(), r.peerId(), r.toString());
        }
        else
        {
            assertEquals(from.ip(), r.originatorId(), "ORIGINATOR_ID set by the reflector: " + r);
            assertEquals(List.of(reflector), r.clusterList(), "CLUSTER_LIST: " + r);
            assertEquals(reflector, r.peerId(), "learned from the reflector: " + r);
        }
    }

    /** zebra turned {@code from}'s type-3 into the flood entry {@code 00:00:00:00:00:00 dst FROM} on {@code at}. */
    static void awaitFloodList(Topology topo, Side at, Side from)
    {
        Wait.until(ROUTE_TIMEOUT, () -> at.kernel().floodList(), List.of(from.ip())::equals,
            at.ns() + " flood list = [" + from.ip() + "] from its type-3 route");
        BridgeFdbEntry flood = at.kernel().fdb().stream().filter(BridgeFdbEntry::isFloodEntry).findFirst().orElseThrow();
        assertTrue(flood.flags().contains("self"), flood + "\n" + diagnostics(topo, at, from));
    }

    static String diagnostics(Topology topo, Side a, Side b)
    {
        return a.frr().diagnostics() + b.frr().diagnostics() + topo.diagnostics();
    }
}
