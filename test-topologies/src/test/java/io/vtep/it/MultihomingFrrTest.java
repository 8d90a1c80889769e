package io.vtep.it;

import static io.vtep.it.MultihomingTopology.ESI;
import static io.vtep.it.MultihomingTopology.GW1;
import static io.vtep.it.MultihomingTopology.GW2;
import static io.vtep.it.MultihomingTopology.TIMEOUT;
import static io.vtep.it.MultihomingTopology.dfKnown;
import static io.vtep.it.MultihomingTopology.isDf;
import static io.vtep.it.MultihomingTopology.nextHops;
import static io.vtep.it.MultihomingTopology.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.vtep.core.api.ApiClient;
import io.vtep.core.api.CliFormat;
import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.topology.FrrConfig;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.Host;
import io.vtep.topology.KernelVtep;
import io.vtep.topology.Netns;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Tshark;
import io.vtep.topology.Wait;

/**
 * EVPN multihoming (RFC 7432 §8, RFC 8365 §8) against real FRR: two vtep gateways with the same ESI
 * on their access ports, each a link to one server; FRR (route reflector for both, a kernel VTEP
 * with a host behind it) is the remote VTEP.
 *
 * <pre>
 *                 ┌─acc1─ [gw1 vtep 192.0.2.1] ─ul0─┐
 *  server 10.0.0.10 (br0: eth0, eth1 isolated)     sw0 ── [FRR + kernel VTEP 192.0.2.2] ─acc0─ h2 10.0.0.2
 *                 └─acc1─ [gw2 vtep 192.0.2.3] ─ul0─┘
 * </pre>
 *
 * The server has no LAG (this kernel has no bonding module, and LACP is not built yet): its two
 * links sit in a kernel bridge whose ports are isolated from each other, so, as with a LAG, a frame
 * that arrives on one link is never forwarded out of the other; the server's own frames leave on
 * both. Checked: both gateways' type-1 and type-4 routes in FRR, FRR's ES with both VTEPs, the
 * server's MAC behind a kernel nexthop group of both gateways (aliasing), exactly one copy of a
 * broadcast from h2 at the server (the DF's) before and after a failover, and the DF's segment link
 * going down: FRR drops that gateway from the ES and the group (mass withdrawal), pings go on.
 */
class MultihomingFrrTest extends TopologyTest
{
    private static final List<String> LINKS = List.of("eth0", "eth1");

    @Override
    protected void requirements()
    {
        Requirements.requireTopology("ping", "tshark", "bridge");
        Requirements.requireScapy();
        FrrRouter.requireFrr();
    }

    @Test
    void twoGatewaysShareASegmentWithFrrAsTheRemoteVtep() throws Exception
    {
        final Netns serverNs = topology.namespace("srv");
        final MultihomingTopology mh = new MultihomingTopology(topology, serverNs, "eth0", "eth1");
        final Netns gw1 = mh.gw1;
        final Netns gw2 = mh.gw2;
        final FrrRouter frr = mh.frr;
        final Host h2 = mh.h2;
        final Host server = MultihomingTopology.bridgedServer(serverNs, LINKS, "10.0.0.10/24");

        final InProcessVtep vtep1 = mh.startGateway(gw1, GW1, "");
        final InProcessVtep vtep2 = mh.startGateway(gw2, GW2, "");
        frr.awaitEstablished(GW1, TIMEOUT);
        frr.awaitEstablished(GW2, TIMEOUT);

        // Routes: both gateways' type 4 and type 1 (per ES and per EVI) in FRR's table.
        Wait.until(TIMEOUT, () -> nextHops(frr.vtysh("show bgp l2vpn evpn route type es")), Set.of(GW1, GW2)::equals,
            "FRR holds both gateways' type-4 routes");
        Wait.until(TIMEOUT, () -> nextHops(frr.vtysh("show bgp l2vpn evpn route type ead")), Set.of(GW1, GW2)::equals,
            "FRR holds both gateways' type-1 routes");
        final String esView = Wait.until(TIMEOUT, () -> frr.vtysh("show bgp l2vpn evpn es"),
            text -> text.contains(ESI) && text.contains(GW1) && text.contains(GW2), "FRR's ES lists both VTEPs");
        System.out.println("FRR show bgp l2vpn evpn es:\n" + esView + "\nFRR show bgp l2vpn evpn route type es:\n" +
            frr.vtysh("show bgp l2vpn evpn route type es") + "\nFRR show bgp l2vpn evpn route type ead:\n" +
            frr.vtysh("show bgp l2vpn evpn route type ead"));

        // Each gateway sees the other on the segment; gw1 (the lower address, VNI 100 mod 2 = 0) is the DF.
        Wait.until(TIMEOUT, () -> segment(gw1), s -> List.of(GW2).equals(s.get("peers")) && isDf(s), "gw1: peer gw2, DF");
        Wait.until(TIMEOUT, () -> segment(gw2), s -> List.of(GW1).equals(s.get("peers")) && !isDf(s) && dfKnown(s), "gw2: peer gw1, not DF");

        // bgp routes lists the other gateway's type-4 and type-1 routes with the ESI.
        final Map<String, Object> routes = NetworkNamespace.call(gw1.name(), () -> new ApiClient(ApiClient.DEFAULT_API).getJson(
            "/api/v1/bgp/routes"));
        assertTrue(CliFormat.objects(routes.get("routes")).stream().anyMatch(route -> Long.valueOf(4).equals(route.get("type")) &&
            GW2.equals(route.get("next_hop")) && ESI.equals(route.get("esi"))), () -> "gw1's bgp routes: " + routes);

        // Aliasing: the server's MAC, learned by both gateways, is behind a nexthop group of both in FRR's kernel VTEP.
        server.ping("10.0.0.2", 3);
        final String serverMac = server.mac();
        final String nexthops = Wait.until(TIMEOUT, () -> mh.fdbNexthopsOf(serverMac), Set.of(GW1, GW2)::equals,
            "FRR's kernel VTEP reaches " + serverMac + " through a nexthop group of both gateways") + "";
        System.out.println("server MAC " + serverMac + " behind fdb nexthops " + nexthops);
        assertEquals(5, h2.ping("10.0.0.10", 5).received(), "h2 reaches the server");

        // DF: a broadcast from h2 reaches the server once (gw1's copy), never twice nor not at all.
        assertEquals(List.of(10, 0), mh.broadcastsAtServer(serverNs, LINKS, h2, 10), "copies on eth0 (gw1) and eth1 (gw2)");
        // Local bias: the server's own broadcast leaves on both links; each gateway floods it to the other, which never
        // puts it back onto the segment. Each link carries the 10 the server sent and nothing that came back.
        assertEquals(List.of(10, 10), mh.broadcastsAtServer(serverNs, LINKS, server, 10), "frames from the server on eth0, eth1 (sent, no echo)");

        // What an operator reads: the DF gauge per segment and VNI, and the copies the non-DF held back.
        final String gw1Metrics = vtep1.appliance().metrics().scrape(null).body();
        final String gw2Metrics = vtep2.appliance().metrics().scrape(null).body();
        assertTrue(gw1Metrics.contains("vtep_es_designated_forwarder{esi=\"" + ESI + "\",vni=\"100\"} 1.0"), gw1Metrics);
        assertTrue(gw2Metrics.contains("vtep_es_designated_forwarder{esi=\"" + ESI + "\",vni=\"100\"} 0.0"), gw2Metrics);
        assertTrue(gw2Metrics.matches("(?s).*vtep_vni_drops_total\\{reason=\"not_designated_forwarder\",vni=\"100\"} [1-9].*"), gw2Metrics);

        // Failover: the DF's segment link goes down. gw1 withdraws its type 1 and 4; FRR drops it from the ES and the group.
        final long downAt = System.nanoTime();
        gw1.down("acc1");
        Wait.until(TIMEOUT, () -> nextHops(frr.vtysh("show bgp l2vpn evpn route type ead")), Set.of(GW2)::equals,
            "mass withdrawal: only gw2's A-D routes left in FRR");
        Wait.until(TIMEOUT, () -> mh.fdbNexthopsOf(serverMac), Set.of(GW2)::equals, "FRR's group without gw1");
        System.out.printf("mass withdrawal: FRR's kernel group without gw1 %d ms after gw1's segment link went down%n",
            (System.nanoTime() - downAt) / 1_000_000);
        Wait.until(TIMEOUT, () -> segment(gw2), s -> List.of().equals(s.get("peers")) && isDf(s), "gw2 alone and DF");
        final PingResult after = h2.ping("10.0.0.10", 5);
        assertEquals(5, after.received(), () -> "pings to the server after the failover: " + after);
        assertEquals(List.of(0, 10), mh.broadcastsAtServer(serverNs, LINKS, h2, 10), "after the failover the copy comes from gw2");
        assertTrue(vtep1.appliance() != null && vtep2.appliance() != null);
    }
}
