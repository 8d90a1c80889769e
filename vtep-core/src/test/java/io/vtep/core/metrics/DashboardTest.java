package io.vtep.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.vtep.core.lacp.LacpActorIdentity;
import io.vtep.core.lacp.LacpMeters;
import io.vtep.core.lacp.LacpPduQueue;
import io.vtep.core.lacp.LacpPort;
import io.vtep.core.lacp.LacpPortMachine;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.controlplane.EvpnControlPlane;
import io.vtep.evpn.controlplane.EvpnSettings;
import io.vtep.evpn.controlplane.EvpnVniSettings;
import io.vtep.evpn.multihoming.DfAlgorithm;
import io.vtep.evpn.multihoming.EthernetSegmentSettings;
import io.vtep.evpn.session.BgpSpeaker;
import io.vtep.evpn.session.PeerConfig;
import io.vtep.evpn.session.SessionTimers;
import io.vtep.evpn.session.SpeakerConfig;

/**
 * The Grafana dashboard ({@code examples/grafana/vtep-dashboard.json}) uses only metrics vtep
 * really exports: every metric name in a query is in a scrape of {@link VtepMetrics} over a small
 * configured data plane.
 */
class DashboardTest
{
    private static final Path DASHBOARD = Path.of("examples", "grafana", "vtep-dashboard.json");
    private static final Pattern VTEP_METRIC = Pattern.compile("\\b(vtep_[a-z0-9_]+)");
    private static final Pattern OTHER_METRIC = Pattern.compile("\\b((?:jvm|process|system)_[a-z0-9_]+)");

    private static Path repositoryRoot()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve(DASHBOARD)))
            {
                return dir;
            }
        }
        throw new AssertionError(DASHBOARD + " not found above " + Path.of("").toAbsolutePath());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dashboard() throws IOException
    {
        // JSON is YAML: SnakeYAML, already on the class path for the configuration, reads it.
        return (Map<String, Object>)new Yaml().load(Files.readString(repositoryRoot().resolve(DASHBOARD)));
    }

    /** Every PromQL text: panel target {@code expr}s and templating variable queries. */
    @SuppressWarnings("unchecked")
    private static void queries(final Object node, final List<String> into)
    {
        if (node instanceof final Map<?, ?> map)
        {
            for (final Map.Entry<?, ?> e : map.entrySet())
            {
                if (("expr".equals(e.getKey()) || "definition".equals(e.getKey())) && e.getValue() instanceof final String text)
                {
                    into.add(text);
                }
                else if ("query".equals(e.getKey()) && e.getValue() instanceof final String text)
                {
                    into.add(text);
                }
                else
                {
                    queries(e.getValue(), into);
                }
            }
        }
        else if (node instanceof final List<?> list)
        {
            list.forEach(item -> queries(item, into));
        }
    }

    private static Set<String> names(final Pattern pattern, final List<String> texts)
    {
        final Set<String> names = new TreeSet<>();
        for (final String text : texts)
        {
            final Matcher m = pattern.matcher(text);
            while (m.find())
            {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void everyMetricTheDashboardQueriesIsInAScrape() throws IOException
    {
        final List<String> queries = new ArrayList<>();
        queries(dashboard(), queries);
        final Set<String> vtepNames = names(VTEP_METRIC, queries);
        final Set<String> otherNames = names(OTHER_METRIC, queries);

        // The panels the dashboard promises: throughput, packets, floods, drops, FDB, remote VTEPs, multihoming.
        assertTrue(vtepNames.containsAll(Set.of("vtep_vni_rx_bytes_total", "vtep_vni_tx_bytes_total",
            "vtep_vni_rx_packets_total", "vtep_vni_tx_packets_total", "vtep_vni_flood_packets_total", "vtep_vni_drops_total",
            "vtep_drops_total", "vtep_vni_fdb_entries", "vtep_remote_vtep_tx_bytes_total", "vtep_remote_vtep_rx_bytes_total",
            "vtep_es_up", "vtep_es_peers", "vtep_es_designated_forwarder", "vtep_lacp_distributing", "vtep_lacp_pdus_total")),
            () -> "dashboard queries " + vtepNames);
        // No vtep_ name hides anywhere else in the file (titles, descriptions) either.
        assertEquals(vtepNames, names(VTEP_METRIC, List.of(Files.readString(repositoryRoot().resolve(DASHBOARD)))));

        final SmallNetwork net = new SmallNetwork();
        final VtepMetrics metrics = VtepMetrics.create(net.fdb, net.tables, net.counters);
        // What the appliance adds: a port thread's failures, and with a bgp section the BGP meters
        // (an EVPN control plane that is not started answers its counters all the same).
        metrics.bindPortWorkerFailures("acc1", () -> 0);
        // One Ethernet segment (the multihoming row) and one port with LACP.
        final EthernetSegmentSettings segment = new EthernetSegmentSettings("eth1", EthernetSegmentId.parse("00:11:22:33:44:55:66:77:88:99"),
            DfAlgorithm.MODULO, 0, Duration.ofSeconds(3), false, List.of(100), Set.of());
        final EvpnControlPlane evpn = new EvpnControlPlane(new EvpnSettings(65000, (Inet4Address)InetAddress.getByName("192.0.2.1"),
            VtepAddress.parse("192.0.2.1"), List.of(new EvpnVniSettings(100, null, List.of(), List.of())), 5, Duration.ofSeconds(180), null,
            List.of(segment)), net.fdb);
        SegmentMeters.bind(metrics.registry(), evpn);
        LacpMeters.bind(metrics.registry(), List.of(new LacpPort(0, net.eth1, new LacpPortMachine(
            new LacpActorIdentity(65535, MacAddress.parse("02:00:00:00:00:0a"), 5, 255, 1), true, true), new LacpPduQueue(16))));
        // A real speaker on an ephemeral loopback port with one passive neighbor that never connects.
        final BgpSpeaker speaker = BgpSpeaker.start(new SpeakerConfig(65000, InetAddress.getByName("192.0.2.1"),
            InetAddress.getLoopbackAddress(), 0, List.of(new PeerConfig(InetAddress.getByName("192.0.2.2"), 65000, 179, true, 90, null))),
            SessionTimers.DEFAULT, evpn);
        BgpMeters.bind(metrics.registry(), speaker.peers(), evpn);
        try
        {
            final String scrape = metrics.scrape(null).body();
            final Set<String> missing = new TreeSet<>();
            for (final String name : union(vtepNames, otherNames))
            {
                if (!Pattern.compile("(?m)^" + name + "[{ ]").matcher(scrape).find())
                {
                    missing.add(name);
                }
            }
            assertEquals(Set.of(), missing, "metrics the dashboard uses but vtep does not export");
        }
        finally
        {
            speaker.close();
            metrics.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void isAnImportableGrafanaDashboardOverAPrometheusInput() throws IOException
    {
        final Map<String, Object> dashboard = dashboard();
        final int schemaVersion = (Integer)dashboard.get("schemaVersion");
        assertTrue(schemaVersion >= 36 && schemaVersion <= 41, "schemaVersion " + schemaVersion);
        final List<Map<String, Object>> inputs = (List<Map<String, Object>>)dashboard.get("__inputs");
        assertEquals("DS_PROMETHEUS", inputs.get(0).get("name"));
        assertEquals("prometheus", inputs.get(0).get("pluginId"));

        final Set<Integer> ids = new HashSet<>();
        int queried = 0;
        for (final Map<String, Object> panel : (List<Map<String, Object>>)dashboard.get("panels"))
        {
            assertTrue(ids.add((Integer)panel.get("id")), "unique panel id " + panel.get("id"));
            if ("row".equals(panel.get("type")))
            {
                continue;
            }
            assertEquals("${DS_PROMETHEUS}", ((Map<String, Object>)panel.get("datasource")).get("uid"), (String)panel.get("title"));
            for (final Map<String, Object> target : (List<Map<String, Object>>)panel.get("targets"))
            {
                assertEquals("${DS_PROMETHEUS}", ((Map<String, Object>)target.get("datasource")).get("uid"));
                assertTrue(((String)target.get("expr")).contains("vtep_") || ((String)target.get("expr")).matches("(?s).*(jvm|process)_.*"));
                queried++;
            }
            final Map<String, Object> grid = (Map<String, Object>)panel.get("gridPos");
            assertTrue((Integer)grid.get("x") + (Integer)grid.get("w") <= 24, (String)panel.get("title"));
        }
        assertTrue(queried >= 20, "queries: " + queried);
    }

    private static Set<String> union(final Set<String> a, final Set<String> b)
    {
        final Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
