package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.topology.ExecResult;
import io.vtep.topology.Json;
import io.vtep.topology.Netns;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.VtepProcess;

/**
 * The HTTP API and the commands that use it, against vtep run as an operator runs it
 * ({@code bin/vtep run}) in the kernel-peer topology, with the default {@code api.listen}
 * (127.0.0.1:9100 in the vtep namespace):
 *
 * <pre>
 *  h1 10.0.0.1 ─acc1─ [vtep 192.0.2.1] ─ul0── [kernel VTEP 192.0.2.2] ─ h2 10.0.0.2
 * </pre>
 *
 * {@code bin/vtep fdb show}, {@code fdb show --vni 100}, {@code vni list} run inside the vtep
 * namespace; HTTP checks use a Java HttpClient built on a thread inside the namespace.
 */
class ApiAndCliTest extends KernelPeerTest
{
    private static final int PINGS = 3;
    private static final Duration CLI_TIMEOUT = Duration.ofMinutes(2);

    @Override
    protected void requirements()
    {
        Requirements.requireTools("ping");
    }

    private static ExecResult vtepCommand(final Netns ns, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(VtepProcess.launcher().toString()));
        command.addAll(Arrays.asList(args));
        return ns.exec(CLI_TIMEOUT, command.toArray(String[]::new));
    }

    private record Http(int status, String contentType, String body)
    {
    }

    /** GET with a Java HttpClient whose threads all descend from a thread inside {@code ns}. */
    private static Http get(final Netns ns, final String path, final String accept) throws Exception
    {
        return NetworkNamespace.call(ns.name(), () ->
        {
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).build())
            {
                final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9100" + path))
                    .timeout(Duration.ofSeconds(10));
                if (accept != null)
                {
                    request.header("Accept", accept);
                }
                final HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new Http(response.statusCode(), response.headers().firstValue("content-type").orElse(null), response.body());
            }
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void fdbShowVniListAndTheHttpEndpointsDescribeARunningVtep() throws Exception
    {
        final VtepProcess vtep = topology.startVtep(net.vtepNs, net.vtepConfig(""));
        assertTrue(vtep.output().contains("HTTP API listening on 127.0.0.1:9100"), vtep::output);
        final PingResult ping = net.h1.ping("10.0.0.2", PINGS);
        assertEquals(PINGS, ping.received(), () -> ping + "\n" + vtep.output() + topology.diagnostics());
        final String h1 = net.h1.mac();
        final String h2 = net.h2.mac();

        // bin/vtep fdb show: h1 learned on acc1, h2 learned from the kernel VTEP.
        final ExecResult all = vtepCommand(net.vtepNs, "fdb", "show");
        assertEquals(0, all.exitCode(), () -> all.stdout() + all.stderr());
        System.out.print("$ vtep fdb show\n" + all.stdout());
        final List<String> lines = all.stdout().lines().toList();
        assertEquals(2, lines.size(), all::stdout);
        assertTrue(lines.stream().anyMatch(l -> l.matches(Pattern.quote(h1) + " vni 100 dev acc1 local age \\d+s")), all::stdout);
        assertTrue(lines.stream().anyMatch(l -> l.matches(Pattern.quote(h2) + " vni 100 dst 192\\.0\\.2\\.2 remote age \\d+s")),
            all::stdout);

        final ExecResult vni100 = vtepCommand(net.vtepNs, "fdb", "show", "--vni", "100");
        assertEquals(0, vni100.exitCode(), vni100::stderr);
        assertEquals(lines.size(), vni100.stdout().lines().count(), vni100::stdout);

        final ExecResult unknownVni = vtepCommand(net.vtepNs, "fdb", "show", "--vni", "200");
        assertEquals(1, unknownVni.exitCode(), unknownVni::stdout);
        assertEquals("vtep: VNI 200 is not configured\n", unknownVni.stderr());
        final ExecResult badVni = vtepCommand(net.vtepNs, "fdb", "show", "--vni", "abc");
        assertEquals(2, badVni.exitCode(), badVni::stdout);
        assertTrue(badVni.stderr().contains("--vni abc is not a VNI"), badVni::stderr);

        // bin/vtep vni list: one row for VNI 100 with its port, flood list, MACs and packet counts.
        final ExecResult list = vtepCommand(net.vtepNs, "vni", "list");
        assertEquals(0, list.exitCode(), list::stderr);
        System.out.print("$ vtep vni list\n" + list.stdout());
        final List<String> table = list.stdout().lines().toList();
        assertEquals(List.of("VNI", "LEARNING", "PORTS", "FLOOD", "MACS", "RX-ACCESS", "TX-ACCESS", "RX-OVERLAY", "TX-OVERLAY",
            "FLOODS", "DROPS"), List.of(table.get(0).split("\\s+")));
        final String[] row = table.get(1).split("\\s+");
        assertEquals(List.of("100", "data-plane", "acc1", "192.0.2.2", "2"), List.of(row).subList(0, 5), table.get(1));
        for (int column = 5; column <= 8; column++)
        {
            assertTrue(Long.parseLong(row[column]) >= PINGS, () -> "packets per side at least the pings: " + table.get(1));
        }

        // HTTP, from inside the namespace.
        final Http health = get(net.vtepNs, "/healthz", null);
        assertEquals(200, health.status());
        assertEquals("ok\n", health.body());
        final Http ready = get(net.vtepNs, "/readyz", null);
        assertEquals(200, ready.status(), ready::body);
        assertEquals("ready\n", ready.body());

        final Http fdb = get(net.vtepNs, "/api/v1/fdb", null);
        assertEquals(200, fdb.status());
        assertEquals("application/json; charset=utf-8", fdb.contentType());
        final List<Object> entries = (List<Object>)Json.at(Json.parse(fdb.body()), "entries");
        assertEquals(2, entries.size(), fdb::body);
        for (final Object item : entries)
        {
            final Map<String, Object> entry = (Map<String, Object>)item;
            assertEquals(100.0, ((Number)entry.get("vni")).doubleValue());
            assertNull(entry.get("vlan"), "untagged");
            if (entry.get("mac").equals(h1))
            {
                assertEquals("local", entry.get("origin"));
                assertEquals("acc1", entry.get("port"));
                assertNull(entry.get("remote"));
            }
            else
            {
                assertEquals(h2, entry.get("mac"));
                assertEquals("remote", entry.get("origin"));
                assertEquals("192.0.2.2", entry.get("remote"));
                assertNull(entry.get("port"));
            }
        }
        assertEquals(400, get(net.vtepNs, "/api/v1/fdb?vni=x", null).status());
        assertEquals(404, get(net.vtepNs, "/api/v2/fdb", null).status());

        final Http vnis = get(net.vtepNs, "/api/v1/vnis", null);
        assertEquals(200, vnis.status());
        final Object vni = ((List<Object>)Json.at(Json.parse(vnis.body()), "vnis")).getFirst();
        assertEquals(List.of("acc1"), Json.at(vni, "ports"));
        assertEquals(List.of("192.0.2.2"), Json.at(vni, "flood"));
        assertTrue(Json.number(vni, "counters", "rx", "access", "packets") >= PINGS, vnis::body);

        final Http metrics = get(net.vtepNs, "/metrics", null);
        assertEquals(200, metrics.status());
        assertTrue(metrics.contentType().startsWith("text/plain"), metrics::contentType);
        final Matcher rx = Pattern.compile("(?m)^vtep_vni_rx_packets_total\\{side=\"access\",vni=\"100\"} (\\S+)$").matcher(metrics.body());
        assertTrue(rx.find(), metrics::body);
        assertTrue(Double.parseDouble(rx.group(1)) >= PINGS, rx.group());
        final Http openMetrics = get(net.vtepNs, "/metrics", "application/openmetrics-text; version=1.0.0");
        assertTrue(openMetrics.contentType().startsWith("application/openmetrics-text"), openMetrics::contentType);
        assertTrue(openMetrics.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");

        final Http version = get(net.vtepNs, "/api/v1/version", null);
        assertTrue(Json.string(Json.parse(version.body()), "version").matches("\\d+\\.\\d+\\.\\d+.*"), version::body);

        // A second vtep on the same underlay port refuses to start: the port is not shared (no SO_REUSEADDR).
        final VtepProcess twin = topology.launchVtep(net.vtepNs, net.vtepConfig(""));
        assertEquals(1, twin.waitForExit(CLI_TIMEOUT), twin::output);
        assertTrue(twin.output().contains("vtep: cannot start: cannot bind the underlay UDP socket to " +
            KernelPeerTopology.VTEP_IP + " port 4789"), twin::output);
        // One on another underlay port but the same api.listen refuses too, naming the key.
        final String otherPort = net.vtepConfig("").replace("local-ip: " + KernelPeerTopology.VTEP_IP,
            "local-ip: " + KernelPeerTopology.VTEP_IP + "\n  udp-port: 4790");
        final VtepProcess second = topology.launchVtep(net.vtepNs, otherPort);
        assertEquals(1, second.waitForExit(CLI_TIMEOUT), second::output);
        assertTrue(second.output().contains("vtep: cannot start: api.listen 127.0.0.1:9100: address already in use"), second::output);
        assertFalse(second.output().contains("vtep started"), second::output);
        assertEquals(200, get(net.vtepNs, "/healthz", null).status(), "the first one still answers");

        assertEquals(0, vtep.stop(), vtep::output);
    }

    @Test
    void fdbShowWithNoVtepRunningSaysSoAndExits1()
    {
        final ExecResult fdb = vtepCommand(net.h1.netns(), "fdb", "show");
        assertEquals(1, fdb.exitCode(), fdb::stdout);
        assertEquals("vtep: no vtep answering at http://127.0.0.1:9100 (is it running? use --api URL)\n", fdb.stderr());
        assertEquals("", fdb.stdout());

        final ExecResult list = vtepCommand(net.h1.netns(), "vni", "list", "--api", "http://127.0.0.1:9191");
        assertEquals(1, list.exitCode(), list::stdout);
        assertEquals("vtep: no vtep answering at http://127.0.0.1:9191 (is it running? use --api URL)\n", list.stderr());
    }
}
