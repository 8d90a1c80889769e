package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.vtep.core.api.ApiClient;
import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.topology.FrrPeer;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.Host;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Tshark;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.VxlanRecord;
import io.vtep.topology.Wait;

/**
 * Live reload under load (issue 16): {@code bin/vtep run} with VNI 100 in BGP EVPN with FRR and a
 * kernel VTEP, a ping flood h1 → h2 on VNI 100 throughout, and SIGHUP after each edit of the file:
 * VNI 200 added on VLAN 200 with a flood list and a second BGP neighbor added; the flood-list entry
 * changed; a bad file and a file that changes the underlay port refused (the running
 * configuration stays); VNI 200 removed and the log switched to JSON lines. The ping loses nothing, FRR's session never resets (one
 * establishment, uptime counting on), and VNI 200's floods go where the file of the moment says.
 *
 * <pre>
 *  h1 10.0.0.1 (+ VLAN 200 by scapy) ─acc1─ [vtep 192.0.2.1] ─ul0──ul0─ [FRR + kernel VTEP 192.0.2.2, .4] ─acc0─ h2 10.0.0.2
 * </pre>
 */
class ReloadUnderLoadTest extends TopologyTest
{
    private static final String VTEP_IP = EvpnFrrTopology.VTEP_IP;
    private static final String FRR_IP = EvpnFrrTopology.FRR_IP;
    /** A second address of FRR's namespace: where VNI 200's flood list points after the change. */
    private static final String OTHER_IP = "192.0.2.4";
    private static final Duration STEP = Duration.ofSeconds(20);
    /** 6,000 echo requests 5 ms apart: 30 s of traffic, longer than the reloads take. */
    private static final int PINGS = 6_000;
    /** Only VXLAN packets of VNI 200 (0x0000c8 in the VNI field, UDP payload octets 4..6). */
    private static final String VNI_200_FILTER = "udp port 4789 and (udp[12:4] & 0xffffff00) = 0x0000c800";

    @Override
    protected void requirements()
    {
        Requirements.requireTopology("ping", "tshark");
        Requirements.requireScapy();
        FrrRouter.requireFrr();
    }

    private static String config(final String vlans, final String vnis, final String neighbors)
    {
        return """
            vtep:
              local-ip: %s
            ports:
              - name: acc1
                vlans: { untagged: 100%s }
            vnis:
              - vni: 100
                learning: evpn
            %s
            bgp:
              asn: 65000
              neighbors:
                - { address: "%s", remote-as: 65000, hold-time: 9 }
            %s
            """.formatted(VTEP_IP, vlans, vnis, FRR_IP, neighbors);
    }

    private static final String RUNNING = config("", "", "");
    private static final String WITH_VNI_200 = config(", 200: 200", "  - { vni: 200, flood: [" + FRR_IP + "] }",
        "    - { address: \"192.0.2.3\", remote-as: 65000, hold-time: 9 }");
    private static final String FLOOD_CHANGED = WITH_VNI_200.replace("flood: [" + FRR_IP + "]", "flood: [" + OTHER_IP + "]");
    /** Also switches the log to JSON lines: the reload's own lines after that change come as JSON. */
    private static final String WITHOUT_VNI_200 = config("", "", "    - { address: \"192.0.2.3\", remote-as: 65000, hold-time: 9 }") +
        "log: { level: info, format: json }\n";

    @Test
    void vnisFloodListsAndNeighborsChangeWhileVni100LosesNothing() throws Exception
    {
        final EvpnFrrTopology net = EvpnFrrTopology.create(topology, false);
        net.frrNs().addAddress("ul0", OTHER_IP + "/24");
        final Host h1 = net.h1();
        final FrrRouter frr = net.startFrr(topology, 65000, VTEP_IP, 65000);
        final VtepProcess vtep = topology.startVtep(net.vtepNs(), RUNNING);
        frr.awaitEstablished(VTEP_IP, Duration.ofSeconds(30));
        Wait.until(Duration.ofSeconds(15), () -> h1.ping(net.h2().ip(), 1).allReceived(), Boolean.TRUE::equals,
            "h1 reaches h2 over VNI 100 once EVPN converged");
        final FrrPeer before = frr.awaitEstablished(VTEP_IP, Duration.ofSeconds(5));
        final long startedNanos = System.nanoTime();

        final CompletableFuture<PingResult> flood = CompletableFuture.supplyAsync(
            () -> h1.ping(net.h2().ip(), PINGS, List.of("-i", "0.005")));
        Thread.sleep(1_000);

        // VNI 200 on VLAN 200 with a flood list, and a second neighbor.
        Tshark toFrr = topology.capture(net.vtepNs(), "ul0", VNI_200_FILTER);
        vtep.reload(WITH_VNI_200);
        vtep.awaitLog("reload: port acc1 vlan 200 mapped to vni 200", STEP);
        vtep.awaitLog("reload: bgp neighbor 192.0.2.3 \\(AS 65000\\) added", STEP);
        assertTrue(vtep.output().contains("reload: vni 200 added (learning data-plane, flood [192.0.2.2])"), vtep::output);
        assertEquals(List.of(FRR_IP), floodList(net, 200));
        final Map<String, Object> peers = api(net, "/api/v1/bgp");
        assertEquals(List.of(FRR_IP, "192.0.2.3"), ((List<?>)peers.get("peers")).stream()
            .map(peer -> ((Map<?, ?>)peer).get("address")).toList());
        final String metrics = get(net, "/metrics");
        assertTrue(metrics.contains("vtep_bgp_peer_state{peer=\"192.0.2.3\"}"), "the added neighbor's series");
        arpOnVlan200(h1);
        assertTrue(toFrr.vxlan().stream().anyMatch(r -> r.vni() == 200 && r.outerDstIp().equals(FRR_IP)),
            "VNI 200's ARP flooded to " + FRR_IP);

        // The flood-list entry changed.
        final Tshark toOther = topology.capture(net.vtepNs(), "ul0", VNI_200_FILTER);
        vtep.reload(FLOOD_CHANGED);
        vtep.awaitLog("reload: vni 200 flood list \\[192.0.2.2\\] -> \\[192.0.2.4\\]", STEP);
        assertEquals(List.of(OTHER_IP), floodList(net, 200));
        arpOnVlan200(h1);
        final List<VxlanRecord> after = toOther.vxlan();
        assertTrue(after.stream().anyMatch(r -> r.outerDstIp().equals(OTHER_IP)), () -> "flooded to " + OTHER_IP + ": " + after);
        assertTrue(after.stream().noneMatch(r -> r.outerDstIp().equals(FRR_IP)), () -> "no longer to " + FRR_IP + ": " + after);

        // A bad file, and one changing what needs a restart: refused with the key, nothing changes.
        vtep.reload(FLOOD_CHANGED.replace("200: 200", "4095: 200"));
        vtep.awaitLog("reload refused, the running configuration stays: configuration error in .*: ports\\[0\\]\\.vlans\\.4095: ", STEP);
        vtep.reload(FLOOD_CHANGED.replace("local-ip: " + VTEP_IP, "local-ip: " + VTEP_IP + "\n  udp-port: 8472"));
        vtep.awaitLog("reload refused, the running configuration stays: vtep\\.udp-port: cannot be changed while vtep runs", STEP);
        assertEquals(List.of(OTHER_IP), floodList(net, 200));

        // VNI 200 removed (the second neighbor stays), and the log switched to JSON lines.
        vtep.reload(WITHOUT_VNI_200);
        vtep.awaitLog("^\\{\"time\":\"[-0-9T:.]+Z\",\"level\":\"info\",\"logger\":\"io\\.vtep\\.core\\.app\\.LiveReload\"," +
            "\"message\":\"reload: vni 200 removed\"}$", STEP);
        assertEquals(List.of(100), ((List<?>)api(net, "/api/v1/vnis").get("vnis")).stream()
            .map(vni -> ((Number)((Map<?, ?>)vni).get("vni")).intValue()).toList());

        assertFalse(flood.isDone(), "the ping flood was still running through every reload");
        final PingResult result = flood.get(PINGS * 5L / 1000 + 30, TimeUnit.SECONDS);
        assertEquals(PINGS, result.transmitted(), result::toString);
        assertEquals(PINGS, result.received(), () -> "VNI 100 lost echo replies during the reloads: " + result + "\n" + vtep.output());

        // Ready throughout: no thread (the EVPN one included, which saw VNI 200's MAC) died or stuck.
        assertEquals("200 ready", get(net, "/readyz").strip(), vtep::output);
        vtep.output().lines().filter(line -> line.contains("reload")).forEach(line -> System.out.println("ReloadUnderLoadTest: " + line));

        // FRR's session with vtep never went down: still its first establishment, up since before.
        final FrrPeer now = frr.awaitEstablished(VTEP_IP, Duration.ofSeconds(5));
        assertEquals(before.connectionsEstablished(), now.connectionsEstablished(), now::toString);
        assertEquals(0, now.connectionsDropped(), now::toString);
        final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        assertTrue(now.uptimeMsec() >= before.uptimeMsec() + elapsedMillis - 2_000,
            () -> "uptime " + before.uptimeMsec() + " ms then " + now.uptimeMsec() + " ms, " + elapsedMillis + " ms apart");
    }

    /**
     * ARP requests tagged VLAN 200 from h1 (scapy: the kernel here has no VLAN devices):
     * broadcasts that VNI 200 floods.
     */
    private static void arpOnVlan200(final Host h1)
    {
        h1.sendScapyFrame("Ether(src='" + h1.mac() + "', dst='ff:ff:ff:ff:ff:ff')/Dot1Q(vlan=200)/ARP(psrc='10.2.0.1', pdst='10.2.0.9')", 3);
    }

    private static Map<String, Object> api(final EvpnFrrTopology net, final String path) throws Exception
    {
        return NetworkNamespace.call(net.vtepNs().name(), () -> new ApiClient(ApiClient.DEFAULT_API).getJson(path));
    }

    /** "STATUS BODY" of a GET in vtep's namespace. */
    private static String get(final EvpnFrrTopology net, final String path) throws Exception
    {
        return NetworkNamespace.call(net.vtepNs().name(), () ->
        {
            final var connection = (java.net.HttpURLConnection)java.net.URI.create(ApiClient.DEFAULT_API + path).toURL()
                .openConnection();
            try
            {
                final int status = connection.getResponseCode();
                final var body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
                return status + " " + new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            finally
            {
                connection.disconnect();
            }
        });
    }

    private static List<?> floodList(final EvpnFrrTopology net, final int vni) throws Exception
    {
        final Map<String, Object> document = api(net, "/api/v1/vnis?vni=" + vni);
        final Map<?, ?> only = (Map<?, ?>)((List<?>)document.get("vnis")).getFirst();
        return (List<?>)only.get("flood");
    }
}
