package io.vtep.it;

import static io.vtep.it.EvpnFrrTopology.vtepConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.vtep.core.api.ApiClient;
import io.vtep.core.api.CliFormat;
import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.fdb.Origin;
import io.vtep.topology.FrrConfig;
import io.vtep.topology.FrrEvpnRoute;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.Host;
import io.vtep.topology.Iperf3Result;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.Netns;
import io.vtep.topology.Requirements;
import io.vtep.topology.Tshark;
import io.vtep.topology.Wait;

/**
 * vtep's BGP EVPN control plane against real FRR (Debian's bgpd + zebra) driving a Linux kernel
 * VTEP: no static flood list anywhere, every remote MAC and flood entry comes from BGP.
 *
 * <pre>
 *  h1 10.0.0.1 ─acc1─ [vtep 192.0.2.1] ─ul0──ul0─ [FRR + kernel VTEP 192.0.2.2] ─acc0─ h2 10.0.0.2
 * </pre>
 *
 * What FRR shows is read with vtysh (JSON); what vtep installed is read from its FDB in-process.
 */
class EvpnFrrTest extends TopologyTest
{
    static final int VNI = EvpnFrrTopology.VNI;
    static final String VTEP_IP = EvpnFrrTopology.VTEP_IP;
    static final String FRR_IP = EvpnFrrTopology.FRR_IP;
    static final String VTEP_IP6 = EvpnFrrTopology.VTEP_IP6;
    static final String FRR_IP6 = EvpnFrrTopology.FRR_IP6;
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);
    static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(15);

    @Override
    protected void requirements()
    {
        Requirements.requireTopology("ping", "iperf3", "tshark");
        FrrRouter.requireFrr();
    }

    private EvpnFrrTopology net()
    {
        return EvpnFrrTopology.create(topology, false);
    }

    private record IbgpPair(FrrRouter frr, InProcessVtep vtep)
    {
    }

    /** FRR and vtep in AS 65000, the session Established and each in the other's flood list. */
    private IbgpPair ibgpPair(final EvpnFrrTopology net) throws Exception
    {
        final FrrRouter frr = net.startFrr(topology, 65000, VTEP_IP, 65000);
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs(), vtepConfig(VTEP_IP, 65000, FRR_IP, 65000));
        frr.awaitEstablished(VTEP_IP, SESSION_TIMEOUT);
        Wait.until(ROUTE_TIMEOUT, () -> vtep.floodList(VNI), List.of(FRR_IP)::equals, "vtep's flood list from FRR's type-3");
        Wait.until(ROUTE_TIMEOUT, net.kernel()::floodList, List.of(VTEP_IP)::equals, "zebra puts vtep in the kernel's flood list");
        return new IbgpPair(frr, vtep);
    }

    @Test
    void ibgpWithFrrAndAKernelVtepNoFloodListsAnywhere() throws Exception
    {
        final EvpnFrrTopology net = net();
        final Tshark bgpCapture = topology.capture(net.vtepNs(), "ul0", "tcp port 179");
        final FrrRouter frr = net.startFrr(topology, 65000, VTEP_IP, 65000);
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs(), vtepConfig(VTEP_IP, 65000, FRR_IP, 65000));

        frr.awaitEstablished(VTEP_IP, SESSION_TIMEOUT);
        assertEquals("Established", vtep.bgpState(FRR_IP));
        assertConverged(net, frr, vtep, "65000:100", "");

        // h1's IP, seen in its ARP on the access port, goes out in a MAC+IP route (RFC 7432 §7.2).
        final FrrEvpnRoute macIp = frr.awaitEvpnRoute(ROUTE_TIMEOUT,
            r -> r.isType2() && net.h1().mac().equals(r.mac()) && net.h1().ip().equals(r.ip()) && VTEP_IP.equals(r.nextHop()),
            "h1's MAC+IP route from vtep");
        assertTrue(macIp.hasRouteTarget("65000:100"), macIp::toString);

        // What an operator reads: bgp summary over the HTTP API, and the Prometheus series.
        final Map<String, Object> summary = NetworkNamespace.call(net.vtepNs().name(),
            () -> new ApiClient(ApiClient.DEFAULT_API).getJson("/api/v1/bgp"));
        final String table = CliFormat.bgpSummary(summary);
        assertTrue(table.matches("(?s).*\\n192\\.0\\.2\\.2 +65000 +ibgp +Established .*"), table);
        final String metrics = vtep.appliance().metrics().scrape(null).body();
        assertTrue(metrics.contains("vtep_bgp_peer_state{peer=\"192.0.2.2\"} 6.0"), metrics);
        assertTrue(metrics.matches("(?s).*vtep_bgp_peer_prefixes_received\\{peer=\"192\\.0\\.2\\.2\"} [1-9].*"), metrics);
        assertTrue(metrics.matches("(?s).*vtep_vni_fdb_entries\\{origin=\"evpn\",vni=\"100\"} [1-9].*"), metrics);

        bgpCapture.stop();
        assertBgpDecodesCleanly(bgpCapture);
    }

    @Test
    void ebgpWithFrrAndAKernelVtep() throws Exception
    {
        final EvpnFrrTopology net = net();
        final FrrRouter frr = net.startFrr(topology, 65002, VTEP_IP, 65001);
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs(), vtepConfig(VTEP_IP, 65001, FRR_IP, 65002));

        frr.awaitEstablished(VTEP_IP, SESSION_TIMEOUT);
        // Each side derives the RT from its own AS (FRR's auto RT); both import on the VNI.
        assertConverged(net, frr, vtep, "65001:100", "65001");
    }

    /**
     * Everything proof 1 asks for, once the session is up: FRR has vtep's type-3 and, after
     * traffic, its type-2 with the right RT, RD, encapsulation and PMSI; zebra put vtep in the
     * kernel's flood list and h1's MAC behind it; vtep installed FRR's flood entry and h2's MAC;
     * the hosts ping and run iperf3 across.
     */
    private void assertConverged(final EvpnFrrTopology net, final FrrRouter frr, final InProcessVtep vtep, final String vtepRouteTarget,
        final String vtepAsPath) throws Exception
    {
        final FrrEvpnRoute type3 = frr.awaitEvpnRoute(ROUTE_TIMEOUT,
            r -> r.isType3() && !r.local() && VTEP_IP.equals(r.nextHop()), "vtep's inclusive multicast route at FRR");
        assertTrue(type3.hasRouteTarget(vtepRouteTarget), type3::toString);
        assertEquals(FrrEvpnRoute.ENCAP_VXLAN, type3.encapsulation(), type3::toString);
        assertEquals(FrrEvpnRoute.INGRESS_REPLICATION, type3.pmsiTunnelType(), type3::toString);
        assertEquals(VNI, type3.pmsiLabel(), type3::toString);
        assertTrue(type3.rd().startsWith(VTEP_IP + ":"), () -> "RD router-id:index, like FRR: " + type3);
        assertEquals(VTEP_IP, type3.ip(), "originating router's IP");
        assertEquals(vtepAsPath, type3.asPath().equals("Local") ? "" : type3.asPath(), type3::toString);
        assertTrue(type3.best() && type3.valid(), type3::toString);

        Wait.until(ROUTE_TIMEOUT, net.kernel()::floodList, List.of(VTEP_IP)::equals, "zebra puts vtep in the kernel's flood list");
        Wait.until(ROUTE_TIMEOUT, () -> vtep.floodList(VNI), List.of(FRR_IP)::equals, "vtep's flood list from FRR's type-3");

        final var ping = net.h1().ping(net.h2().ip(), 3);
        assertEquals(3, ping.received(), () -> ping + "\n" + topology.diagnostics() + frr.diagnostics());

        final String h1Mac = net.h1().mac();
        final FrrEvpnRoute type2 = frr.awaitEvpnRoute(ROUTE_TIMEOUT,
            r -> r.isType2() && h1Mac.equals(r.mac()) && r.ip() == null && VTEP_IP.equals(r.nextHop()), "h1's MAC route from vtep");
        assertTrue(type2.hasRouteTarget(vtepRouteTarget), type2::toString);
        assertEquals(FrrEvpnRoute.ENCAP_VXLAN, type2.encapsulation(), type2::toString);
        assertEquals(VNI, type2.vni(), type2::toString);
        assertEquals(type3.rd(), type2.rd(), "one RD per VNI");
        assertTrue(type2.macMobilitySeq() == null || type2.macMobilitySeq() == 0, type2::toString);
        Wait.until(ROUTE_TIMEOUT, () -> net.kernel().remoteVtepOf(h1Mac), Optional.of(VTEP_IP)::equals,
            "zebra installs h1's MAC behind vtep");

        final String h2Mac = net.h2().mac();
        Wait.until(ROUTE_TIMEOUT, () -> vtep.entry(VNI, h2Mac), ("remote " + FRR_IP)::equals, "vtep installs h2's MAC from FRR");
        assertEquals(Origin.EVPN, vtep.origin(VNI, h2Mac), "learned from BGP, not from the data plane");

        final ManagedProcess server = net.h2().iperf3Server();
        Wait.until(Duration.ofSeconds(10), () -> net.h2().netns().exec("ss", "-ltn").stdout().contains(":5201"), "iperf3 server");
        final Iperf3Result tcp = net.h1().iperf3Client(net.h2().ip(), 3);
        server.stop();
        assertTrue(tcp.receivedBytes() > 1_000_000, () -> "TCP across the EVPN overlay moved only " + tcp.receivedBytes() + " bytes");
        System.out.printf("vtep <-> FRR/kernel VTEP over EVPN, iperf3 TCP 3 s: %.1f Mbit/s, %d retransmits%n",
            tcp.receivedBitsPerSecond() / 1e6, tcp.retransmits());
    }

    /** Proof 7: tshark decodes every BGP message vtep sent and finds nothing malformed. */
    private static void assertBgpDecodesCleanly(final Tshark capture)
    {
        final List<Map<String, String>> fromVtep = capture.fields("bgp && ip.src == " + VTEP_IP, "bgp.type");
        final String types = String.join(",", fromVtep.stream().map(m -> m.get("bgp.type")).toList());
        assertTrue(types.contains("1") && types.contains("2") && types.contains("4"),
            () -> "OPEN (1), UPDATE (2) and KEEPALIVE (4) from vtep decoded: " + types);
        final List<Map<String, String>> bad = capture.fields("_ws.malformed || _ws.expert.severity >= \"error\"", "frame.number");
        assertEquals(List.of(), bad, "malformed or expert-error packets in the BGP capture " + capture.pcapFile());
    }

    @Test
    void aSessionOverIpv6CarriesTheIpv4Overlay() throws Exception
    {
        final EvpnFrrTopology net = EvpnFrrTopology.create(topology, true);
        final FrrRouter frr = net.startFrr(topology, 65000, VTEP_IP6, 65000);
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs(),
            vtepConfig(VTEP_IP, 65000, FRR_IP6, 65000));

        frr.awaitEstablished(VTEP_IP6, SESSION_TIMEOUT);
        assertEquals("Established", vtep.bgpState(FRR_IP6));
        // The transport is IPv6; the routes' next hops stay the IPv4 VTEP addresses (RFC 8365 §5.1.3).
        final FrrEvpnRoute type3 = frr.awaitEvpnRoute(ROUTE_TIMEOUT,
            r -> r.isType3() && !r.local() && VTEP_IP.equals(r.nextHop()), "vtep's type-3 over the IPv6 session");
        assertEquals(FrrEvpnRoute.INGRESS_REPLICATION, type3.pmsiTunnelType(), type3::toString);
        Wait.until(ROUTE_TIMEOUT, () -> vtep.floodList(VNI), List.of(FRR_IP)::equals, "vtep floods to FRR's IPv4 VTEP address");
        Wait.until(ROUTE_TIMEOUT, net.kernel()::floodList, List.of(VTEP_IP)::equals, "zebra floods to vtep's IPv4 address");
        final var ping = net.h1().ping(net.h2().ip(), 3);
        assertEquals(3, ping.received(), () -> ping + "\n" + frr.diagnostics());
        Wait.until(ROUTE_TIMEOUT, () -> vtep.entry(VNI, net.h2().mac()), ("remote " + FRR_IP)::equals, "h2 behind FRR's VTEP");
    }

    @Test
    void twoVtepsLearnEachOtherOnlyThroughAnFrrRouteReflector() throws Exception
    {
        final String rrIp = "192.0.2.254";
        final String ip2 = "192.0.2.2";
        final Netns rrNs = topology.namespace("rr");
        final Netns ns1 = topology.namespace("vtep1");
        final Netns ns2 = topology.namespace("vtep2");
        topology.switchedSegment(rrNs, "ul0", "ul0", List.of(ns1, ns2), List.of(VTEP_IP + "/24", ip2 + "/24"));
        rrNs.addAddress("ul0", rrIp + "/24");
        final Host h1 = topology.host("h1", "10.0.0.1/24", ns1, "acc1");
        final Host h2 = topology.host("h2", "10.0.0.2/24", ns2, "acc1");
        h1.netns().setMtu("eth0", KernelPeerTopology.OVERLAY_MTU);
        h2.netns().setMtu("eth0", KernelPeerTopology.OVERLAY_MTU);

        final FrrRouter rr = topology.frr(rrNs).bgp(FrrConfig.asn(65000).routerId(rrIp).advertiseAllVni(false)
            .neighbor(FrrConfig.neighbor(VTEP_IP).remoteAs(65000).routeReflectorClient().timers(3, 9))
            .neighbor(FrrConfig.neighbor(ip2).remoteAs(65000).routeReflectorClient().timers(3, 9))).start();
        final InProcessVtep vtep1 = InProcessVtep.start(topology, ns1, vtepConfig(VTEP_IP, 65000, rrIp, 65000));
        final InProcessVtep vtep2 = InProcessVtep.start(topology, ns2, vtepConfig(ip2, 65000, rrIp, 65000));

        rr.awaitAllEstablished(SESSION_TIMEOUT);
        Wait.until(ROUTE_TIMEOUT, () -> vtep1.floodList(VNI), List.of(ip2)::equals, "vtep1 floods to vtep2, told by the reflector");
        Wait.until(ROUTE_TIMEOUT, () -> vtep2.floodList(VNI), List.of(VTEP_IP)::equals, "vtep2 floods to vtep1");

        final var ping = h1.ping(h2.ip(), 3);
        assertEquals(3, ping.received(), () -> ping + "\n" + topology.diagnostics() + rr.diagnostics());
        Wait.until(ROUTE_TIMEOUT, () -> vtep1.entry(VNI, h2.mac()), ("remote " + ip2)::equals, "vtep1 has h2 behind vtep2");
        Wait.until(ROUTE_TIMEOUT, () -> vtep2.entry(VNI, h1.mac()), ("remote " + VTEP_IP)::equals, "vtep2 has h1 behind vtep1");
        assertEquals(Origin.EVPN, vtep1.origin(VNI, h2.mac()));
        assertEquals(Origin.EVPN, vtep2.origin(VNI, h1.mac()));

        // The reflector holds both VTEPs' routes and originated none; the next hop stays the VTEP.
        final List<FrrEvpnRoute> atRr = rr.evpnRoutes(FrrEvpnRoute::best);
        assertTrue(atRr.stream().noneMatch(FrrEvpnRoute::local), rr::diagnostics);
        assertEquals(2, atRr.stream().filter(FrrEvpnRoute::isType3).count(), rr::diagnostics);
        assertTrue(atRr.stream().anyMatch(r -> r.isType2() && h1.mac().equals(r.mac()) && VTEP_IP.equals(r.nextHop())), rr::diagnostics);
        assertTrue(atRr.stream().anyMatch(r -> r.isType2() && h2.mac().equals(r.mac()) && ip2.equals(r.nextHop())), rr::diagnostics);
    }

    @Test
    void aHostMovingBetweenVtepsConvergesToTheHighestSequenceNumber() throws Exception
    {
        final EvpnFrrTopology net = net();
        final IbgpPair pair = ibgpPair(net);
        final FrrRouter frr = pair.frr();
        final InProcessVtep vtep = pair.vtep();
        assertEquals(3, net.h1().ping(net.h2().ip(), 3).received());
        final String mac = net.h1().mac();
        frr.awaitEvpnRoute(ROUTE_TIMEOUT, r -> r.isType2() && mac.equals(r.mac()) && r.ip() == null && VTEP_IP.equals(r.nextHop()),
            "h1's MAC from vtep");

        // h1 moves behind the kernel VTEP: a host with its MAC and address speaks there while h1 is down.
        net.h1().netns().exec("ip", "link", "set", "eth0", "down");
        final Host moved = topology.host("h1moved", net.h1().cidr(), net.frrNs(), "acc2");
        moved.setMac(mac);
        moved.netns().setMtu("eth0", KernelPeerTopology.OVERLAY_MTU);
        net.kernel().attach("acc2");
        assertEquals(3, moved.ping(net.h2().ip(), 3).received());

        final FrrEvpnRoute atFrr = frr.awaitEvpnRoute(ROUTE_TIMEOUT,
            r -> r.isType2() && r.local() && mac.equals(r.mac()) && r.ip() == null, "FRR advertises the moved MAC");
        assertEquals(Long.valueOf(1), atFrr.macMobilitySeq(), () -> "FRR: MM:1 after the first move: " + atFrr);
        Wait.until(ROUTE_TIMEOUT, () -> vtep.entry(VNI, mac), ("remote " + FRR_IP)::equals, "vtep follows the higher sequence");
        frr.awaitNoEvpnRoute(ROUTE_TIMEOUT, r -> r.isType2() && mac.equals(r.mac()) && VTEP_IP.equals(r.nextHop()),
            "vtep withdrew its route for the MAC that left");

        // ... and back behind vtep: vtep advertises sequence 2, FRR and the kernel follow. The host
        // behind FRR falls silent (address removed) but keeps its link: a link going down would
        // flush the MAC from FRR's bridge at once and FRR would withdraw its MM:1 route, racing
        // h1's return (vtep re-opens acc1 when its carrier comes back) — and then a return with no
        // remote route left rightly carries no sequence number at all.
        moved.netns().exec("ip", "addr", "flush", "dev", "eth0");
        net.h1().netns().exec("ip", "link", "set", "eth0", "up");
        Wait.until(ROUTE_TIMEOUT, () -> net.h1().ping(net.h2().ip(), 1).received() == 1, "h1 reaches h2 again from behind vtep");
        final FrrEvpnRoute back = frr.awaitEvpnRoute(ROUTE_TIMEOUT,
            r -> r.isType2() && mac.equals(r.mac()) && r.ip() == null && VTEP_IP.equals(r.nextHop()) && r.best(),
            "vtep's route for the MAC that came back is FRR's best");
        assertEquals(Long.valueOf(2), back.macMobilitySeq(), () -> "vtep: MM:2 after the second move: " + back);
        assertEquals("local acc1", vtep.entry(VNI, mac));
        Wait.until(ROUTE_TIMEOUT, () -> net.kernel().remoteVtepOf(mac), Optional.of(VTEP_IP)::equals,
            "zebra points the MAC back at vtep");
    }

    @Test
    void killedBgpdTakesItsRoutesAwayAndARestartReconverges() throws Exception
    {
        final EvpnFrrTopology net = net();
        final IbgpPair pair = ibgpPair(net);
        final FrrRouter frr = pair.frr();
        final InProcessVtep vtep = pair.vtep();
        assertEquals(3, net.h1().ping(net.h2().ip(), 3).received());
        final String h2Mac = net.h2().mac();
        Wait.until(ROUTE_TIMEOUT, () -> vtep.entry(VNI, h2Mac), ("remote " + FRR_IP)::equals, "h2 behind FRR's VTEP");

        frr.killBgpd();
        // Within the 9 s hold time (sooner when the kernel resets the dead process's connection).
        Wait.until(Duration.ofSeconds(15), () -> safeState(vtep), s -> !"Established".equals(s), "vtep's session goes down");
        Wait.until(Duration.ofSeconds(5), () -> vtep.floodList(VNI), List::isEmpty, "FRR's flood entry removed with the session");
        Wait.until(Duration.ofSeconds(5), () -> vtep.entry(VNI, h2Mac), e -> e == null, "h2's EVPN entry removed with the session");
        // Traffic for h2 is no longer sent to the dead peer: nowhere to send it (no entry, empty flood list).
        final long txBefore = vtep.txPackets(VNI, io.vtep.metrics.Side.OVERLAY);
        net.h1().ping(net.h2().ip(), 2);
        assertEquals(txBefore, vtep.txPackets(VNI, io.vtep.metrics.Side.OVERLAY), "nothing sent into the overlay");

        frr.startBgpd();
        frr.awaitEstablished(VTEP_IP, SESSION_TIMEOUT);
        Wait.until(ROUTE_TIMEOUT, () -> vtep.floodList(VNI), List.of(FRR_IP)::equals, "flood list back");
        Wait.until(ROUTE_TIMEOUT, () -> net.h1().ping(net.h2().ip(), 1).received() == 1, "h1 reaches h2 again");
        Wait.until(ROUTE_TIMEOUT, () -> vtep.entry(VNI, h2Mac), ("remote " + FRR_IP)::equals, "h2's MAC re-learned from BGP");
    }

    @Test
    void restartedVtepIsWithdrawnByFrrAndRelearned() throws Exception
    {
        final EvpnFrrTopology net = net();
        final FrrRouter frr = net.startFrr(topology, 65000, VTEP_IP, 65000);
        final String config = vtepConfig(VTEP_IP, 65000, FRR_IP, 65000);
        final InProcessVtep first = InProcessVtep.start(topology, net.vtepNs(), config);
        frr.awaitEstablished(VTEP_IP, SESSION_TIMEOUT);
        Wait.until(ROUTE_TIMEOUT, () -> first.floodList(VNI), List.of(FRR_IP)::equals, "vtep's flood list");
        assertEquals(3, net.h1().ping(net.h2().ip(), 3).received());
        final String h1Mac = net.h1().mac();
        frr.awaitEvpnRoute(ROUTE_TIMEOUT, r -> r.isType2() && h1Mac.equals(r.mac()) && VTEP_IP.equals(r.nextHop()), "h1 from vtep");

        first.close();
        // vtep said Cease on its way out: FRR withdraws at once, zebra empties the kernel's lists.
        frr.awaitNoEvpnRoute(ROUTE_TIMEOUT, r -> VTEP_IP.equals(r.nextHop()), "FRR withdraws every route of the stopped vtep");
        Wait.until(ROUTE_TIMEOUT, net.kernel()::floodList, List::isEmpty, "the kernel's flood list empties");
        Wait.until(ROUTE_TIMEOUT, () -> net.kernel().remoteVtepOf(h1Mac), Optional::isEmpty, "h1's MAC leaves the kernel");

        final InProcessVtep second = InProcessVtep.start(topology, net.vtepNs(), config);
        frr.awaitEstablished(VTEP_IP, SESSION_TIMEOUT);
        Wait.until(ROUTE_TIMEOUT, () -> second.floodList(VNI), List.of(FRR_IP)::equals, "the new vtep's flood list");
        Wait.until(ROUTE_TIMEOUT, net.kernel()::floodList, List.of(VTEP_IP)::equals, "vtep back in the kernel's flood list");
        assertEquals(3, net.h1().ping(net.h2().ip(), 3).received());
        frr.awaitEvpnRoute(ROUTE_TIMEOUT, r -> r.isType2() && h1Mac.equals(r.mac()) && VTEP_IP.equals(r.nextHop()), "h1 re-learned");
        assertNotNull(net.kernel().remoteVtepOf(h1Mac).orElse(null));
    }

    private static String safeState(final InProcessVtep vtep)
    {
        try
        {
            return vtep.bgpState(FRR_IP);
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
