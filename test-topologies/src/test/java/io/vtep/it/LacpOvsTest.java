package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.vtep.core.api.ApiClient;
import io.vtep.core.api.ApiResponse;
import io.vtep.core.api.ReloadOutcome;
import io.vtep.core.config.ConfigLoader;
import io.vtep.core.lacp.LacpPortMachine;
import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.topology.Host;
import io.vtep.topology.KernelVtep;
import io.vtep.topology.Netns;
import io.vtep.topology.OpenVswitch;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;
import tools.jackson.databind.json.JsonMapper;

/**
 * LACP (IEEE 802.1AX) against a real partner: a server whose LAG is an Open vSwitch userspace bond
 * with {@code lacp=active}, one member to each of two vtep gateways that present the same LACP
 * system ID and key (issue 18). The server must see one partner on both members, vtep the server's
 * system as its partner, and traffic must cross; when one gateway stops, its last LACPDU makes the
 * bond drop that member at once and traffic keeps flowing through the other; when a link goes down,
 * that gateway's port leaves distributing; when a reload removes a gateway's LACP port, its last
 * LACPDU makes the bond drop that member at once too.
 *
 * <pre>
 *                      ┌ s1 ── acc1 [vtep gwA 192.0.2.1] ┐
 *  server: OVS br0/bond0                                  ├ ul (switch) ─ [kernel VTEP 192.0.2.3] ─ h2 10.0.0.2
 *    10.0.0.1 on br0   └ s2 ── acc1 [vtep gwB 192.0.2.2] ┘
 * </pre>
 *
 * The kernel VTEP floods to both gateways; each gateway floods only to the kernel VTEP (without
 * multihoming's split horizon, a gateway-to-gateway flood would return the server's broadcasts to it).
 */
class LacpOvsTest extends TopologyTest
{
    private static final int VNI = 100;
    private static final String SYSTEM_MAC = "02:00:00:00:aa:01";
    private static final int KEY = 4660;
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    /** How soon the bond must drop a stopped gateway's member: well before LACP's 3 s short timeout. */
    private static final Duration LAST_LACPDU_BOUND = Duration.ofSeconds(2);

    @Override
    protected void requirements()
    {
        Requirements.requireTools(OpenVswitch.TOOLS.toArray(String[]::new));
        Requirements.requireTools("ping");
        final String reason = OpenVswitch.unavailableReason();
        if (reason != null)
        {
            throw new IllegalStateException(reason);
        }
    }

    private static String gatewayConfig(final String localIp)
    {
        return VtepConfigs.oneAccessPort(localIp, VNI, "lacp: { mode: active, rate: fast, system-mac: %s, key: %d }"
            .formatted(SYSTEM_MAC, KEY), "flood: [192.0.2.3]", "api: { listen: 127.0.0.1:9100 }");
    }

    @Test
    void anOvsBondAggregatesOneLinkToEachGatewayAndFailsOver() throws Exception
    {
        final Netns server = topology.namespace("server");
        final List<Netns> vteps = switchedUnderlay("gwa", "gwb", "kvtep");
        final Netns gwA = vteps.get(0);
        final Netns gwB = vteps.get(1);
        final Netns kernelNs = vteps.get(2);
        topology.link(server, "s1", gwA, "acc1");
        topology.link(server, "s2", gwB, "acc1");
        final KernelVtep kernel = topology.kernelVtep(kernelNs).vni(VNI).localIp("192.0.2.3").create();
        final Host h2 = topology.host("h2", "10.0.0.2/24", kernelNs, "acc0");
        vxlanMtu(h2);
        kernelNs.enslave("acc0", kernel.bridge());
        kernel.addFloodEntry("192.0.2.1");
        kernel.addFloodEntry("192.0.2.2");

        final InProcessVtep a = InProcessVtep.start(topology, gwA, gatewayConfig("192.0.2.1"));
        final InProcessVtep b = InProcessVtep.start(topology, gwB, gatewayConfig("192.0.2.2"));

        final OpenVswitch ovs = OpenVswitch.start(server, topology.workDir().resolve("ovs-server"));
        topology.onClose("Open vSwitch in " + server.name(), ovs::close);
        ovs.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
            "--", "add-bond", "br0", "bond0", "s1", "s2", "lacp=active", "bond_mode=active-backup",
            "other_config:lacp-time=fast",
            "--", "set", "interface", "br0", "mtu_request=1450");
        server.addAddress("br0", "10.0.0.1/24");
        server.up("br0");

        // Both members current and attached, their partner vtep's one system and key.
        final long bondMade = System.nanoTime();
        final String converged = Wait.until(CONVERGE, () -> ovs.appctl("lacp/show", "bond0"),
            show -> LacpViews.enabled(LacpViews.member(show, "s1")) && LacpViews.enabled(LacpViews.member(show, "s2")),
            "both bond members current, attached, and enabled by a partner that collects and distributes");
        System.out.printf("LacpOvsTest: bond aggregated over both gateways %.1f s after it was made%n",
            (System.nanoTime() - bondMade) / 1e9);
        final String ovsSystem = LacpViews.field(converged, "sys_id");
        for (final String member : List.of("s1", "s2"))
        {
            final String block = LacpViews.member(converged, member);
            assertEquals(SYSTEM_MAC, LacpViews.field(block, "partner sys_id"), block);
            assertEquals(String.valueOf(KEY), LacpViews.field(block, "partner key"), block);
            assertTrue(LacpViews.field(block, "partner state").contains("collecting distributing"), block);
            assertTrue(LacpViews.field(block, "actor state").contains("collecting distributing"), block);
        }
        // Port numbers from the gateways' addresses' low 16 bits: 2.1 and 2.2.
        assertEquals("513", LacpViews.field(LacpViews.member(converged, "s1"), "partner port_id"), "gwA's port number");
        assertEquals("514", LacpViews.field(LacpViews.member(converged, "s2"), "partner port_id"), "gwB's port number");

        // Each gateway sees the server's bond as its partner, and forwards.
        for (final Netns gateway : List.of(gwA, gwB))
        {
            final Map<String, Object> lacp = LacpViews.lacp(gateway);
            assertEquals(Boolean.TRUE, lacp.get("distributing"), lacp::toString);
            assertEquals(ovsSystem, partner(lacp).get("system"), lacp::toString);
            assertEquals(SYSTEM_MAC, actor(lacp).get("system"), lacp::toString);
            assertEquals(0L, ((Number)lacp.get("malformed")).longValue(), "every Open vSwitch LACPDU read: " + lacp);
        }
        final String portsBody = apiBody(gwA, "/api/v1/ports");
        final List<String> violations = new OpenApiContract(Files.readString(VtepProcess.repositoryRoot()
            .resolve("docs/openapi.yaml"))).check(new OpenApiContract.Exchange("GET", "/api/v1/ports", 200, ApiResponse.JSON,
                Map.of(), portsBody.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), violations, "GET /api/v1/ports with LACP as docs/openapi.yaml says: " + portsBody);
        assertEquals(1, metric(a, "vtep_lacp_distributing{port=\"acc1\"}"));
        assertTrue(metric(a, "vtep_lacp_pdus_total{direction=\"in\",port=\"acc1\"}") > 0);
        assertTrue(metric(a, "vtep_lacp_pdus_total{direction=\"out\",port=\"acc1\"}") > 0);

        final Host serverHost = new Host(server, "br0", "10.0.0.1/24");
        final PingResult ping = Wait.until(CONVERGE, () -> serverHost.ping("10.0.0.2", 3), PingResult::allReceived,
            "ping from the server's bond to h2 behind the kernel VTEP");
        assertTrue(ping.allReceived(), ping::toString);

        // Gateway B stops: its last LACPDU says it left the aggregation (Synchronization, Collecting,
        // Distributing off; IEEE 802.1AX-2014 §6.4.15), so the bond disables that member at once
        // instead of sending on it until its partner timeout (3 s at the fast rate) runs out, and
        // traffic goes on through gateway A. Bound: well under that timeout, counted from the stop's start.
        // The bond is watched while B closes: the last LACPDU goes out part way through the close.
        final long stopping = System.nanoTime();
        final CompletableFuture<Long> stopped = CompletableFuture.supplyAsync(() ->
        {
            b.close();
            return System.nanoTime();
        });
        final double dropped = bondDropsOnLastLacpdu(ovs, "s2", stopping, "gateway B's stop");
        final long closed = stopped.get(CONVERGE.toSeconds(), TimeUnit.SECONDS);
        System.out.printf("LacpOvsTest: the bond disabled gateway B's member %.2f s after B began to stop " +
            "(B's close took %.2f s)%n", dropped, (closed - stopping) / 1e9);
        assertTrue(LacpViews.enabled(LacpViews.member(ovs.appctl("lacp/show", "bond0"), "s1")), "s1 stays enabled");
        final PingResult afterStop = Wait.until(CONVERGE, () -> serverHost.ping("10.0.0.2", 3), PingResult::allReceived,
            "ping through gateway A alone");
        assertTrue(afterStop.allReceived(), afterStop::toString);

        // The server's side of gateway A's link goes down: A's port leaves distributing.
        server.down("s1");
        final long linkDown = System.nanoTime();
        final Map<String, Object> down = Wait.until(CONVERGE, () -> LacpViews.lacp(gwA),
            lacp -> Boolean.FALSE.equals(lacp.get("distributing")), "gateway A's port leaving distributing");
        System.out.printf("LacpOvsTest: gateway A's port left distributing %.2f s after the link went down%n",
            (System.nanoTime() - linkDown) / 1e9);
        assertEquals("port_disabled", down.get("receive_state"), down::toString);
        assertEquals(0, metric(a, "vtep_lacp_distributing{port=\"acc1\"}"));
        assertFalse(a.appliance().lacp().ports().get(0).isDistributing());

        // The link back, then a reload replaces A's LACP port by another (acc2, no LACP): acc1's last
        // LACPDU goes out before its socket closes, and the bond disables s1 at once.
        server.up("s1");
        Wait.until(CONVERGE, () -> ovs.appctl("lacp/show", "bond0"), show -> LacpViews.enabled(LacpViews.member(show, "s1")),
            "s1 enabled again after its link came back");
        gwA.ip("link", "add", "acc2", "type", "veth", "peer", "name", "acc2peer"); // this kernel has no dummy driver
        gwA.up("acc2");
        final long removing = System.nanoTime();
        final ReloadOutcome removed = NetworkNamespace.call(gwA.name(), () -> a.appliance().reload(ConfigLoader.parse("""
            vtep: { local-ip: 192.0.2.1 }
            ports:
              - { name: acc2, vlans: { untagged: %d } }
            vnis:
              - { vni: %d, flood: [192.0.2.3] }
            api: { listen: 127.0.0.1:9100 }
            """.formatted(VNI, VNI))));
        assertTrue(removed.isApplied() && removed.changes().contains("port acc1 removed"), removed::toString);
        System.out.printf("LacpOvsTest: the bond disabled gateway A's member %.2f s after a reload began to remove its port%n",
            bondDropsOnLastLacpdu(ovs, "s1", removing, "the reload removing A's port"));
        assertEquals(LacpPortMachine.MuxState.DETACHED, a.appliance().lacp().ports().get(0).status().muxState());
    }

    /**
     * Waits, at most {@link #LAST_LACPDU_BOUND} from {@code sinceNanos}, for the bond to disable
     * {@code member}, and checks that it read the gateway's last LACPDU rather than expiring the
     * member: still current, its partner no longer distributing (IEEE 802.1AX-2014 §6.4.15).
     *
     * @return seconds from {@code sinceNanos} to the member disabled
     */
    private static double bondDropsOnLastLacpdu(final OpenVswitch ovs, final String member, final long sinceNanos, final String cause)
    {
        final Duration left = Duration.ofNanos(Math.max(0, sinceNanos + LAST_LACPDU_BOUND.toNanos() - System.nanoTime()));
        final String bond = Wait.until(left, () -> ovs.appctl("bond/show", "bond0"), show -> show.contains("member " + member + ": disabled"),
            "the bond disabling " + member + " within " + LAST_LACPDU_BOUND.toMillis() + " ms of " + cause + " (its last LACPDU)");
        final double seconds = (System.nanoTime() - sinceNanos) / 1e9;
        final String block = LacpViews.member(ovs.appctl("lacp/show", "bond0"), member);
        assertFalse(LacpViews.enabled(block), member + " no longer enabled by LACP: " + block + "\n" + bond);
        assertTrue(block.contains("current") && !LacpViews.field(block, "partner state").contains("distributing"),
            "the bond read the gateway's last LACPDU (no longer distributing) rather than expiring " + member + ": " + block);
        return seconds;
    }

    /** The document as the API served it, read and written again (the same JSON, for the schema check). */
    private static String apiBody(final Netns gateway, final String path) throws Exception
    {
        return JsonMapper.builder().build().writeValueAsString(
            NetworkNamespace.call(gateway.name(), () -> new ApiClient(ApiClient.DEFAULT_API).getJson(path)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> partner(final Map<String, Object> lacp)
    {
        return (Map<String, Object>)lacp.get("partner");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> actor(final Map<String, Object> lacp)
    {
        return (Map<String, Object>)lacp.get("actor");
    }

    private static double metric(final InProcessVtep vtep, final String series)
    {
        final String scrape = vtep.appliance().metrics().scrape(null).body();
        return scrape.lines().filter(line -> line.startsWith(series + " ")).mapToDouble(
            line -> Double.parseDouble(line.substring(series.length() + 1).strip())).findFirst().orElse(Double.NaN);
    }
}
