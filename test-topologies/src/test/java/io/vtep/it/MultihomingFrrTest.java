package io.vtep.it;

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
    private static final int VNI = 100;
    private static final String GW1 = "192.0.2.1";
    private static final String FRR = "192.0.2.2";
    private static final String GW2 = "192.0.2.3";
    private static final String ESI = "00:11:22:33:44:55:66:77:88:99";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The ethertype of the test's broadcast frames (IEEE local experimental), so that nothing else is counted. */
    private static final String PROBE_ETHERTYPE = "88b5";

    @Override
    protected void requirements()
    {
        Requirements.requireTopology("ping", "tshark", "bridge");
        Requirements.requireScapy();
        FrrRouter.requireFrr();
    }

    private static String gatewayConfig(final String localIp)
    {
        return """
            vtep: { local-ip: %s }
            ports:
              - name: acc1
                vlans: { untagged: %d }
                ethernet-segment: { esi: "%s", df-election-seconds: 1 }
            vnis:
              - { vni: %d, learning: evpn }
            bgp:
              asn: 65000
              neighbors:
                - { address: "%s", remote-as: 65000, hold-time: 9 }
            """.formatted(localIp, VNI, ESI, VNI, FRR);
    }

    @Test
    void twoGatewaysShareASegmentWithFrrAsTheRemoteVtep() throws Exception
    {
        final Netns gw1 = topology.namespace("gw1");
        final Netns frrNs = topology.namespace("frr");
        final Netns gw2 = topology.namespace("gw2");
        switchedUnderlay(List.of(gw1, frrNs, gw2));
        final KernelVtep kernel = topology.kernelVtep(frrNs).vni(VNI).localIp(FRR).learning(false).create();
        final Host h2 = topology.host("h2", "10.0.0.2/24", frrNs, "acc0");
        h2.netns().setMtu("eth0", KernelPeerTopology.OVERLAY_MTU);
        kernel.attach("acc0");

        final Netns serverNs = topology.namespace("srv");
        topology.link(serverNs, "eth0", gw1, "acc1");
        topology.link(serverNs, "eth1", gw2, "acc1");
        serverNs.addBridge("br0", "eth0", "eth1");
        serverNs.execOk("bridge", "link", "set", "dev", "eth0", "isolated", "on");
        serverNs.execOk("bridge", "link", "set", "dev", "eth1", "isolated", "on");
        serverNs.sysctl("net.ipv4.ip_forward", "0");
        serverNs.addAddress("br0", "10.0.0.10/24");
        serverNs.setMtu("eth0", KernelPeerTopology.OVERLAY_MTU);
        serverNs.setMtu("eth1", KernelPeerTopology.OVERLAY_MTU);
        serverNs.setMtu("br0", KernelPeerTopology.OVERLAY_MTU);
        final Host server = new Host(serverNs, "br0", "10.0.0.10/24");

        final FrrRouter frr = topology.frr(frrNs).bgp(FrrConfig.asn(65000).routerId(FRR)
            .neighbor(FrrConfig.neighbor(GW1).remoteAs(65000).timers(3, 9).connectRetry(2).routeReflectorClient())
            .neighbor(FrrConfig.neighbor(GW2).remoteAs(65000).timers(3, 9).connectRetry(2).routeReflectorClient())).start();
        final InProcessVtep vtep1 = InProcessVtep.start(topology, gw1, gatewayConfig(GW1));
        final InProcessVtep vtep2 = InProcessVtep.start(topology, gw2, gatewayConfig(GW2));
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
        final String nexthops = Wait.until(TIMEOUT, () -> fdbNexthopsOf(frrNs, kernel, serverMac), Set.of(GW1, GW2)::equals,
            "FRR's kernel VTEP reaches " + serverMac + " through a nexthop group of both gateways") + "";
        System.out.println("server MAC " + serverMac + " behind fdb nexthops " + nexthops);
        assertEquals(5, h2.ping("10.0.0.10", 5).received(), "h2 reaches the server");

        // DF: a broadcast from h2 reaches the server once (gw1's copy), never twice nor not at all.
        assertEquals(List.of(10, 0), broadcastsAtServer(serverNs, h2, 10), "copies on eth0 (gw1) and eth1 (gw2)");
        // Local bias: the server's own broadcast leaves on both links; each gateway floods it to the other, which never
        // puts it back onto the segment. Each link carries the 10 the server sent and nothing that came back.
        assertEquals(List.of(10, 10), broadcastsAtServer(serverNs, server, 10), "frames from the server on eth0, eth1 (sent, no echo)");

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
        Wait.until(TIMEOUT, () -> fdbNexthopsOf(frrNs, kernel, serverMac), Set.of(GW2)::equals, "FRR's group without gw1");
        System.out.printf("mass withdrawal: FRR's kernel group without gw1 %d ms after gw1's segment link went down%n",
            (System.nanoTime() - downAt) / 1_000_000);
        Wait.until(TIMEOUT, () -> segment(gw2), s -> List.of().equals(s.get("peers")) && isDf(s), "gw2 alone and DF");
        final PingResult after = h2.ping("10.0.0.10", 5);
        assertEquals(5, after.received(), () -> "pings to the server after the failover: " + after);
        assertEquals(List.of(0, 10), broadcastsAtServer(serverNs, h2, 10), "after the failover the copy comes from gw2");
        assertTrue(vtep1.appliance() != null && vtep2.appliance() != null);
    }

    /** Sends {@code count} broadcasts from {@code sender}; @return how many of them the server's eth0 and eth1 carried. */
    private List<Integer> broadcastsAtServer(final Netns serverNs, final Host sender, final int count) throws Exception
    {
        final Tshark eth0 = topology.capture(serverNs, "eth0", "ether proto 0x" + PROBE_ETHERTYPE);
        final Tshark eth1 = topology.capture(serverNs, "eth1", "ether proto 0x" + PROBE_ETHERTYPE);
        final byte[] frame = HexFormat.of().parseHex("ffffffffffff" + sender.mac().replace(":", "") + PROBE_ETHERTYPE + "00".repeat(46));
        sender.sendRawFrame(sender.iface(), frame, count);
        Thread.sleep(1000);
        return List.of(eth0.stop().fields("eth", "eth.src").size(), eth1.stop().fields("eth", "eth.src").size());
    }

    /** The originators in a {@code show bgp l2vpn evpn route type ...} table: the "[IP]" that ends each type-1/4 prefix. */
    private static Set<String> nextHops(final String table)
    {
        final Set<String> found = new TreeSet<>();
        final Matcher matcher = Pattern.compile("\\*>? *\\S*\\s+(192\\.0\\.2\\.\\d+)").matcher(table);
        while (matcher.find())
        {
            found.add(matcher.group(1));
        }
        return found;
    }

    /** The VTEPs of the nexthop group the kernel VTEP's entry for {@code mac} points at ({@code nhid}), empty without one. */
    private static Set<String> fdbNexthopsOf(final Netns ns, final KernelVtep kernel, final String mac)
    {
        final String fdb = ns.execOk("bridge", "fdb", "show", "dev", kernel.device()).stdout();
        final Matcher nhid = Pattern.compile("(?m)^" + Pattern.quote(mac) + " .*nhid (\\d+)").matcher(fdb);
        if (!nhid.find())
        {
            return Set.of();
        }
        final String group = ns.execOk("ip", "nexthop", "show", "id", nhid.group(1)).stdout();
        final Set<String> vteps = new TreeSet<>();
        final Matcher members = Pattern.compile("(\\d+)(?:,\\d+)?").matcher(group.replaceFirst("^id \\d+ group ", "").split(" ")[0]);
        while (members.find())
        {
            final String member = ns.execOk("ip", "nexthop", "show", "id", members.group(1)).stdout();
            final Matcher via = Pattern.compile("via (\\S+)").matcher(member);
            if (via.find())
            {
                vteps.add(via.group(1));
            }
        }
        return vteps;
    }

    private static Map<String, Object> segment(final Netns gateway)
    {
        try
        {
            final Map<String, Object> document = NetworkNamespace.call(gateway.name(), () -> new ApiClient(ApiClient.DEFAULT_API).getJson(
                "/api/v1/es"));
            return CliFormat.objects(document.get("segments")).getFirst();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static boolean isDf(final Map<String, Object> segment)
    {
        return Boolean.TRUE.equals(CliFormat.objects(segment.get("designated_forwarders")).getFirst().get("local"));
    }

    private static boolean dfKnown(final Map<String, Object> segment)
    {
        return CliFormat.objects(segment.get("designated_forwarders")).getFirst().get("vtep") != null;
    }
}
