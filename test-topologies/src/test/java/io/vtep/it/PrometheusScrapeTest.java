package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.topology.Commands;
import io.vtep.topology.ExecResult;
import io.vtep.topology.Json;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.Requirements;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;

/**
 * A real Prometheus server (Debian's {@code prometheus}) scrapes vtep, run as {@code bin/vtep run},
 * in the kernel-peer topology; figures are read back through Prometheus's HTTP query API
 * (metrics issue proofs). Both servers listen on the vtep namespace's loopback.
 *
 * <p>vtep runs with a {@code bgp:} section whose one neighbor, {@value #UNREACHABLE_PEER}, is an
 * underlay address (ul0's 192.0.2.0/24) that nobody holds: its connection attempts end in ARP
 * failures on ul0, never reach an access port or the VXLAN socket, so the per-VNI counts stay
 * exact, and the BGP series exist (the dashboard uses them) with the session below Established.
 */
class PrometheusScrapeTest extends KernelPeerTest
{
    private static final int VNI = KernelPeerTopology.VNI;
    /** Frames the test sends each way; each 100 bytes (Ethernet 14 + IPv4 20 + UDP 8 + 58). */
    private static final int H1_FRAMES = 137;
    private static final int H2_FRAMES = 59;
    private static final int FRAME_LENGTH = 100;
    private static final int MALFORMED = 11;
    /** On the underlay link, outside the overlay's 10.0.0.0/24, and answered by no one. */
    private static final String UNREACHABLE_PEER = "192.0.2.99";
    private static final String EXTRA_CONFIG = """
        api: { listen: "127.0.0.1:9100" }
        bgp:
          asn: 65001
          neighbors:
            - { address: %s, remote-as: 65099, hold-time: 9 }
        """.formatted(UNREACHABLE_PEER);
    /** Moves between Connect, Active and Idle on its own as connection attempts fail. */
    private static final String PEER_STATE = "vtep_bgp_peer_state";
    /** A gauge that moves with every scrape by design (how long ago each thread last beat). */
    private static final String HEARTBEAT_AGE = "vtep_thread_heartbeat_age_seconds";

    @Override
    protected void requirements()
    {
        Requirements.requireTools("ping", "prometheus", "promtool");
        Requirements.requireScapy();
    }

    @Test
    void prometheusSeesExactCountsPerVniSideAndRemoteVtep() throws Exception
    {
        final VtepProcess vtep = topology.startVtep(net.vtepNs, net.vtepConfig(EXTRA_CONFIG));
        final ManagedProcess prometheus = startPrometheus();

        // Learn both MACs first, then pin ARP so that nothing but the test's frames crosses.
        assertTrue(net.h1.ping("10.0.0.2", 1).allReceived(), () -> vtep.output() + topology.diagnostics());
        net.h1.netns().ip("neigh", "replace", "10.0.0.2", "lladdr", net.h2.mac(), "dev", "eth0", "nud", "permanent");
        net.h2.netns().ip("neigh", "replace", "10.0.0.1", "lladdr", net.h1.mac(), "dev", "eth0", "nud", "permanent");
        final Map<String, Double> before = awaitStable();

        // Frames to the peer's MAC but to an IP nobody has: the peer's stack drops them silently
        // (hosts do not forward: a forwarding host would answer with ICMP redirects and ARP).
        sendFrames(net.h1.netns().name(), net.h1.mac(), net.h2.mac(), "10.0.0.1", "10.0.0.99", H1_FRAMES);
        sendFrames(net.h2.netns().name(), net.h2.mac(), net.h1.mac(), "10.0.0.2", "10.0.0.98", H2_FRAMES);
        net.kernelNs.execOk("/usr/bin/python3", "-c", """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            for i in range(%d): s.sendto(b'\\x08\\x00\\x00', ('192.0.2.1', 4789))
            """.formatted(MALFORMED));

        final Map<String, Double> expected = new java.util.LinkedHashMap<>();
        expected.put("vtep_vni_rx_packets_total{vni=\"100\",side=\"access\"}", (double)H1_FRAMES);
        expected.put("vtep_vni_rx_bytes_total{vni=\"100\",side=\"access\"}", (double)H1_FRAMES * FRAME_LENGTH);
        expected.put("vtep_vni_tx_packets_total{vni=\"100\",side=\"overlay\"}", (double)H1_FRAMES);
        expected.put("vtep_vni_tx_bytes_total{vni=\"100\",side=\"overlay\"}", (double)H1_FRAMES * FRAME_LENGTH);
        expected.put("vtep_vni_rx_packets_total{vni=\"100\",side=\"overlay\"}", (double)H2_FRAMES);
        expected.put("vtep_vni_rx_bytes_total{vni=\"100\",side=\"overlay\"}", (double)H2_FRAMES * FRAME_LENGTH);
        expected.put("vtep_vni_tx_packets_total{vni=\"100\",side=\"access\"}", (double)H2_FRAMES);
        expected.put("vtep_vni_tx_bytes_total{vni=\"100\",side=\"access\"}", (double)H2_FRAMES * FRAME_LENGTH);
        // Remote VTEP counters count whole outer packets: 36 bytes of IPv4, UDP and VXLAN on top.
        expected.put("vtep_remote_vtep_tx_packets_total{vtep=\"192.0.2.2\"}", (double)H1_FRAMES);
        expected.put("vtep_remote_vtep_tx_bytes_total{vtep=\"192.0.2.2\"}", (double)H1_FRAMES * (FRAME_LENGTH + 36));
        expected.put("vtep_remote_vtep_rx_packets_total{vtep=\"192.0.2.2\"}", (double)H2_FRAMES);
        expected.put("vtep_remote_vtep_rx_bytes_total{vtep=\"192.0.2.2\"}", (double)H2_FRAMES * (FRAME_LENGTH + 36));
        expected.put("vtep_drops_total{reason=\"malformed\"}", (double)MALFORMED);
        expected.put("vtep_vni_flood_packets_total{vni=\"100\"}", 0.0);

        final Map<String, Double> after = Wait.until(Duration.ofSeconds(30), this::awaitStable,
            now -> expected.entrySet().stream().allMatch(e -> delta(before, now, e.getKey()) == e.getValue()),
            "Prometheus to show exactly the frames sent, per VNI, side and remote VTEP; expected deltas " + expected +
                "; before " + before);
        for (final Map.Entry<String, Double> e : expected.entrySet())
        {
            assertEquals(e.getValue(), delta(before, after, e.getKey()), e.getKey());
        }
        assertEquals(2.0, after.get("vtep_vni_fdb_entries{vni=\"100\",origin=\"local\"}") +
            after.get("vtep_vni_fdb_entries{vni=\"100\",origin=\"remote\"}"), "h1 local and h2 remote");

        // The neighbor nobody answers, as Prometheus has it: vtep kept trying (Connect or Active at
        // some point, so connection attempts ran while the frames above were counted) and the session
        // never came up, never sent or received an UPDATE and holds no routes.
        final String peer = "{peer=\"" + UNREACHABLE_PEER + "\"}";
        final double state = Double.parseDouble(firstValue(query(PEER_STATE + peer)));
        assertTrue(state >= 1 && state <= 5, () -> "unreachable peer below Established: " + state);
        final double highest = Double.parseDouble(firstValue(query("max_over_time(" + PEER_STATE + peer + "[10m])")));
        assertTrue(highest >= 2 && highest <= 5, () -> "vtep tried to connect, never got to Established: " + highest);
        for (final String zero : List.of("vtep_bgp_peer_prefixes_received", "vtep_bgp_peer_prefixes_accepted",
            "vtep_bgp_peer_prefixes_sent", "vtep_bgp_peer_updates_received_total", "vtep_bgp_peer_updates_sent_total",
            "vtep_bgp_peer_established_transitions_total"))
        {
            assertEquals("0", firstValue(query(zero + peer)), zero + peer);
        }
        assertEquals(0.0, after.get("vtep_evpn_mac_moves_total"), "no EVPN MAC moves");
        assertEquals(0.0, after.get("vtep_evpn_duplicate_macs"), "no duplicate MACs");
        prometheus.stop();
    }

    @Test
    void exposititionPassesPromtoolTheDashboardUsesOnlyRealMetricsAndBogusVnisAddNoSeries() throws Exception
    {
        // A second access port, an Ethernet segment with LACP (a veth whose far end stays idle: the
        // segment stays down, LACP never distributes), so that the multihoming series exist too.
        net.vtepNs.execOk("ip", "link", "add", "mh0", "type", "veth", "peer", "name", "mh1");
        net.vtepNs.execOk("ip", "link", "set", "mh0", "up");
        net.vtepNs.execOk("ip", "link", "set", "mh1", "up");
        topology.startVtep(net.vtepNs, net.vtepConfig(EXTRA_CONFIG).replace("""
            ports:
              - name: acc1
                vlans: { untagged: %d }
            """.formatted(KernelPeerTopology.VNI), """
            ports:
              - name: acc1
                vlans: { untagged: %d }
              - name: mh0
                vlans: { untagged: %d }
                ethernet-segment: { esi: 00:11:22:33:44:55:66:77:88:99 }
                lacp: {}
            """.formatted(KernelPeerTopology.VNI, KernelPeerTopology.VNI)));
        assertTrue(net.h1.ping("10.0.0.2", 2).allReceived());

        final String scrape = httpGet(net.vtepNs.name(), "http://127.0.0.1:9100/metrics");
        final Path file = topology.workDir().resolve("scrape.txt");
        Files.writeString(file, scrape);
        final ExecResult lint = Commands.run(Duration.ofSeconds(30), List.of("sh", "-c", "promtool check metrics < " + file));
        assertEquals(0, lint.exitCode(), () -> "promtool check metrics: " + lint.stdout() + lint.stderr());
        assertTrue((lint.stdout() + lint.stderr()).isBlank(), () -> "promtool found problems: " + lint.stdout() + lint.stderr());

        final String dashboard = Files.readString(VtepProcess.repositoryRoot().resolve("examples/grafana/vtep-dashboard.json"));
        final Set<String> used = new TreeSet<>();
        final Matcher names = Pattern.compile("\\b(vtep_[a-z0-9_]+)").matcher(dashboard);
        while (names.find())
        {
            used.add(names.group(1));
        }
        assertTrue(used.size() >= 5, () -> "the dashboard uses vtep metrics: " + used);
        for (final String name : used)
        {
            assertTrue(Pattern.compile("(?m)^" + name + "[{ ]").matcher(scrape).find(),
                () -> "dashboard metric " + name + " is not in a live scrape");
        }

        final long seriesBefore = seriesCount(scrape);
        final long seed = System.nanoTime();
        System.out.println("bogus VNI seed: " + seed);
        net.kernelNs.execOk(Duration.ofSeconds(120), "/usr/bin/python3", "-c", """
            import socket, random, struct
            random.seed(%d)
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            inner = bytes.fromhex('ffffffffffff02000000ee010800') + bytes(46)
            for i in range(100000):
                vni = random.randint(1, 0xFFFFFF)
                if vni == 100: vni = 101
                s.sendto(struct.pack('!II', 0x08000000, vni << 8) + inner, ('192.0.2.1', 4789))
            """.formatted(seed));
        // A burst may overflow the socket's receive buffer on a loaded machine: wait until the count
        // stops moving rather than for all 100k, and require that most of them got through.
        final double[] last = {-1};
        final String later = Wait.until(Duration.ofSeconds(60), () ->
        {
            final String text = httpGetUnchecked(net.vtepNs.name(), "http://127.0.0.1:9100/metrics");
            final double counted = text == null ? -1 : sampleValue(text, "vtep_drops_total{reason=\"unknown_vni\"}");
            final boolean settled = counted > 0 && counted == last[0];
            last[0] = counted;
            return settled ? text : null;
        }, text -> text != null, "the unknown_vni drop count to settle");
        final double counted = sampleValue(later, "vtep_drops_total{reason=\"unknown_vni\"}");
        System.out.println("bogus VNI packets counted as unknown_vni: " + (long)counted + " of 100000");
        assertTrue(counted >= 10_000, () -> "most bogus packets reached vtep: " + counted);
        assertEquals(seriesBefore, seriesCount(later), "100k packets with random VNIs added no series");
    }

    private static double delta(final Map<String, Double> before, final Map<String, Double> after, final String series)
    {
        return after.getOrDefault(series, 0.0) - before.getOrDefault(series, 0.0);
    }

    private void sendFrames(final String ns, final String srcMac, final String dstMac, final String srcIp, final String dstIp,
        final int count)
    {
        Commands.run(Duration.ofSeconds(60), List.of("ip", "netns", "exec", ns, "/usr/bin/python3", "-c", """
            from scapy.all import *
            f = Ether(src='%s', dst='%s')/IP(src='%s', dst='%s')/UDP(sport=40000, dport=9)/Raw(b'v' * 58)
            assert len(f) == %d
            sendp(f, iface='eth0', count=%d, verbose=False)
            """.formatted(srcMac, dstMac, srcIp, dstIp, FRAME_LENGTH, count))).orThrow();
    }

    private ManagedProcess startPrometheus() throws IOException
    {
        final Path dir = topology.workDir().resolve("prometheus");
        Files.createDirectories(dir.resolve("data"));
        final Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: vtep
                static_configs:
                  - targets: ['127.0.0.1:9100']
            """);
        final ManagedProcess prometheus = net.vtepNs.spawn("prometheus", List.of("prometheus",
            "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
            "--web.listen-address=127.0.0.1:9090", "--web.enable-lifecycle"));
        Wait.until(Duration.ofSeconds(60), () -> httpGetUnchecked(net.vtepNs.name(), "http://127.0.0.1:9090/-/ready") != null,
            "Prometheus ready");
        Wait.until(Duration.ofSeconds(30), () -> "1".equals(firstValue(query("up{job=\"vtep\"}"))), "Prometheus scraping vtep");
        return prometheus;
    }

    /**
     * Every vtep_* series as Prometheus has it now, once two consecutive scrapes agree (nothing in
     * flight); the unreachable peer's session state is left out, it changes with each failed attempt,
     * and so are the threads' heartbeat ages, which change all the time.
     */
    private Map<String, Double> awaitStable()
    {
        return Wait.until(Duration.ofSeconds(30), () ->
        {
            final Map<String, Double> first = vtepSeries();
            sleepOneScrape();
            final Map<String, Double> second = vtepSeries();
            return first.equals(second) ? second : null;
        }, map -> map != null, "two Prometheus scrapes in a row to agree");
    }

    private static void sleepOneScrape()
    {
        try
        {
            Thread.sleep(2_100); // two scrape intervals, so the second read is a later scrape
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Double> vtepSeries()
    {
        final Object result = Json.at(query("{__name__=~\"vtep_.*\",__name__!=\"" + PEER_STATE + "\",__name__!=\"" + HEARTBEAT_AGE + "\"}"), "data",
            "result");
        final Map<String, Double> series = new java.util.HashMap<>();
        for (final Object item : (List<Object>)result)
        {
            final Map<String, Object> metric = (Map<String, Object>)Json.at(item, "metric");
            final String name = (String)metric.get("__name__");
            final StringBuilder key = new StringBuilder(name).append('{');
            // Label order as in the expectations: vni, side/origin/reason, vtep; then peer, port.
            boolean first = true;
            for (final String label : List.of("vni", "side", "origin", "reason", "vtep", "peer", "port"))
            {
                if (metric.containsKey(label))
                {
                    key.append(first ? "" : ",").append(label).append("=\"").append(metric.get(label)).append('"');
                    first = false;
                }
            }
            final List<Object> value = (List<Object>)Json.at(item, "value");
            series.put(first ? name : key.append('}').toString(), Double.parseDouble((String)value.get(1)));
        }
        return series;
    }

    private Object query(final String promql)
    {
        final String body = httpGetUnchecked(net.vtepNs.name(),
            "http://127.0.0.1:9090/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (body == null)
        {
            throw new IllegalStateException("Prometheus did not answer " + promql);
        }
        return Json.parse(body);
    }

    @SuppressWarnings("unchecked")
    private static String firstValue(final Object response)
    {
        final List<Object> result = (List<Object>)Json.at(response, "data", "result");
        return result == null || result.isEmpty() ? null : (String)((List<Object>)Json.at(result.get(0), "value")).get(1);
    }

    private static long seriesCount(final String exposition)
    {
        return exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).count();
    }

    private static double sampleValue(final String exposition, final String series)
    {
        return exposition.lines().filter(line -> line.startsWith(series + " ")).mapToDouble(
            line -> Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0])).findFirst().orElse(0);
    }

    /** HTTP GET from inside a namespace (the socket is made by the calling thread, which entered it). */
    private static String httpGet(final String ns, final String url) throws Exception
    {
        return NetworkNamespace.call(ns, () ->
        {
            final HttpURLConnection connection = (HttpURLConnection)URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(2_000);
            connection.setReadTimeout(10_000);
            try (InputStream in = connection.getInputStream())
            {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        });
    }

    private static String httpGetUnchecked(final String ns, final String url)
    {
        try
        {
            return httpGet(ns, url);
        }
        catch (final Exception ex)
        {
            return null;
        }
    }
}
