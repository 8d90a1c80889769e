package io.vtep.core.metrics;

import static io.vtep.core.metrics.SmallNetwork.frame;
import static io.vtep.core.metrics.SmallNetwork.tagged;
import static io.vtep.core.testing.TestNetwork.HOST_1;
import static io.vtep.core.testing.TestNetwork.HOST_2;
import static io.vtep.core.testing.TestNetwork.HOST_3;
import static io.vtep.core.testing.TestNetwork.IPV4_OVERHEAD;
import static io.vtep.core.testing.TestNetwork.LOCAL;
import static io.vtep.core.testing.TestNetwork.REMOTE_HOST;
import static io.vtep.core.testing.TestNetwork.VTEP_B;
import static io.vtep.core.testing.TestNetwork.VTEP_C;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.DropReason;

/**
 * The exported metrics (docs/architecture.md §6) over a small data plane driven through the real pipelines:
 * exact names and labels, exact values, drop reasons, FDB gauges, remote VTEPs, content negotiation.
 */
class VtepMetricsTest
{
    private static final String B = VTEP_B.toString();
    private static final String C = VTEP_C.toString();
    private static final String PROMETHEUS_2_ACCEPT = "application/openmetrics-text;version=1.0.0," +
        "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private SmallNetwork net = new SmallNetwork();
    private VtepMetrics metrics = VtepMetrics.create(net.fdb, net.tables, net.counters);

    @AfterEach
    void close()
    {
        metrics.close();
    }

    private void rebuild(final int macLimit100)
    {
        metrics.close();
        net = new SmallNetwork(macLimit100);
        metrics = VtepMetrics.create(net.fdb, net.tables, net.counters);
    }

    private Samples scrape()
    {
        return Samples.parse(metrics.scrape(null).body());
    }

    @Test
    void exportsTheContractNamesAndLabelsByteForByte()
    {
        final Samples samples = scrape();

        final Map<String, Set<String>> expected = new TreeMap<>();
        for (final String direction : List.of("rx", "tx"))
        {
            expected.put("vtep_vni_" + direction + "_packets_total", Set.of("vni", "side"));
            expected.put("vtep_vni_" + direction + "_bytes_total", Set.of("vni", "side"));
            expected.put("vtep_remote_vtep_" + direction + "_packets_total", Set.of("vtep"));
            expected.put("vtep_remote_vtep_" + direction + "_bytes_total", Set.of("vtep"));
        }
        expected.put("vtep_vni_flood_packets_total", Set.of("vni"));
        expected.put("vtep_vni_drops_total", Set.of("vni", "reason"));
        expected.put("vtep_vni_fdb_entries", Set.of("vni", "origin"));
        expected.put("vtep_vni_mac_moves_total", Set.of("vni"));
        expected.put("vtep_vni_mac_limit_hits_total", Set.of("vni"));
        expected.put("vtep_vni_mac_limit", Set.of("vni"));
        expected.put("vtep_vni_flood_list_vteps", Set.of("vni"));
        expected.put("vtep_vni_members", Set.of("vni", "source"));
        expected.put("vtep_drops_total", Set.of("reason"));
        expected.put("vtep_fdb_learn_queue_drops_total", Set.of());
        expected.put("vtep_fdb_learn_queue_depth", Set.of());
        expected.put("vtep_remote_vteps", Set.of());
        expected.put("vtep_remote_vtep_table_capacity", Set.of());
        // Issue 15 bounds: the global FDB cap, the local-move hold, remote VTEP ageing.
        expected.put("vtep_fdb_entries", Set.of());
        expected.put("vtep_fdb_max_entries", Set.of());
        expected.put("vtep_fdb_max_entries_hits_total", Set.of());
        expected.put("vtep_vni_mac_moves_refused_total", Set.of("vni"));
        expected.put("vtep_remote_vtep_table_full_total", Set.of());
        expected.put("vtep_remote_vteps_aged_total", Set.of());
        // Issue 18: ARP/ND suppression, per VNI.
        expected.put("vtep_vni_suppression_answered_packets_total", Set.of("vni"));
        expected.put("vtep_vni_suppression_flooded_packets_total", Set.of("vni"));
        expected.put("vtep_build_info", Set.of("version"));

        final Set<String> exported = samples.names().stream().filter(n -> n.startsWith("vtep_"))
            .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected.keySet(), exported, "exactly these vtep_ sample names, no _bytes_bytes, no _total_total");
        for (final Map.Entry<String, Set<String>> e : expected.entrySet())
        {
            assertEquals(new TreeSet<>(e.getValue()), samples.labelNames(e.getKey()), e.getKey());
        }

        // Counter families are typed counter (the sample adds _total); gauges gauge.
        for (final String name : exported)
        {
            final String family = name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
            final String type = samples.types().containsKey(name) ? samples.types().get(name) : samples.types().get(family);
            assertEquals(name.endsWith("_total") ? "counter" : "gauge", type, name);
        }

        // Label values: configured VNIs only, both sides, every origin and every documented reason.
        final Set<String> reasons = Arrays.stream(DropReason.values()).map(DropReason::label).collect(Collectors.toSet());
        assertEquals(Set.of("100", "200"), labelValues(samples, "vtep_vni_rx_packets_total", "vni"));
        assertEquals(Set.of("access", "overlay"), labelValues(samples, "vtep_vni_tx_bytes_total", "side"));
        assertEquals(Set.of("local", "remote", "static", "evpn"), labelValues(samples, "vtep_vni_fdb_entries", "origin"));
        assertEquals(reasons, labelValues(samples, "vtep_vni_drops_total", "reason"));
        assertEquals(reasons, labelValues(samples, "vtep_drops_total", "reason"));
        assertEquals(2 * reasons.size(), samples.named("vtep_vni_drops_total").size());
        assertEquals(Set.of(B), labelValues(samples, "vtep_remote_vtep_tx_packets_total", "vtep"), "the flood-list VTEP");
        assertEquals(1.0, samples.value("vtep_build_info", "version", "dev"));
        assertEquals(1.0, samples.value("vtep_remote_vteps"));
        assertEquals(SmallNetwork.VTEP_CAPACITY, samples.value("vtep_remote_vtep_table_capacity"));

        // JVM and process metrics from Micrometer's binders.
        for (final String name : List.of("jvm_memory_used_bytes", "jvm_buffer_memory_used_bytes", "jvm_gc_collection_seconds_count",
            "jvm_gc_collection_seconds_sum", "jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads",
            "jvm_threads_states_threads", "jvm_classes_loaded_classes", "jvm_info", "process_cpu_usage", "process_cpu_seconds_total",
            "system_cpus", "process_uptime_seconds", "process_start_time_seconds", "process_files_open_files",
            "process_files_max_files"))
        {
            assertTrue(samples.names().contains(name), name);
        }
        assertTrue(samples.names().stream().noneMatch(n -> n.startsWith("vtep_bgp_")), "no BGP series without a bgp section");
    }

    private static Set<String> labelValues(final Samples samples, final String name, final String label)
    {
        return samples.named(name).stream().map(s -> s.labels().get(label)).collect(Collectors.toSet());
    }

    @Test
    void countsWhatCrossesThePipelineExactly()
    {
        final RemoteVtep b = net.fdb.remoteVteps().find(VTEP_B);
        net.fdb.addStatic(100, REMOTE_HOST, b);

        // Access → overlay unicast: 137 frames of 100 bytes from eth1 to a MAC behind VTEP B.
        net.receiveOnAccess(net.fromEth1, frame(REMOTE_HOST, HOST_1, 100), 137);
        // Overlay → access: 59 frames of 90 bytes from VTEP C (new) to HOST_1 (learned on eth1).
        net.receiveFromOverlay(VTEP_C.ipv4(), 100, 0x08, frame(HOST_1, REMOTE_HOST + 1, 90), 59);
        // VLAN 10 (VNI 200): 5 tagged frames of 68 bytes to a MAC learned on eth1.10 via another frame first.
        net.receiveOnAccess(net.fromEth1, tagged(frame(MacAddress.BROADCAST, HOST_3, 64), 10), 1);
        net.receiveFromOverlay(VTEP_C.ipv4(), 200, 0x08, frame(HOST_3, REMOTE_HOST + 2, 70), 5);
        // Broadcast in VNI 100 from eth2: 3 frames of 60 bytes, flooded to eth1 and to VTEP B.
        net.receiveOnAccess(net.fromEth2, frame(MacAddress.BROADCAST, HOST_2, 60), 3);

        final Samples s = scrape();
        assertEquals(137 + 3, s.value("vtep_vni_rx_packets_total", "vni", "100", "side", "access"));
        assertEquals(137 * 100 + 3 * 60, s.value("vtep_vni_rx_bytes_total", "vni", "100", "side", "access"));
        assertEquals(137 + 3, s.value("vtep_vni_tx_packets_total", "vni", "100", "side", "overlay"));
        assertEquals(137 * 100 + 3 * 60, s.value("vtep_vni_tx_bytes_total", "vni", "100", "side", "overlay"));
        assertEquals(59, s.value("vtep_vni_rx_packets_total", "vni", "100", "side", "overlay"));
        assertEquals(59 * 90, s.value("vtep_vni_rx_bytes_total", "vni", "100", "side", "overlay"));
        assertEquals(59 + 3, s.value("vtep_vni_tx_packets_total", "vni", "100", "side", "access"));
        assertEquals(59 * 90 + 3 * 60, s.value("vtep_vni_tx_bytes_total", "vni", "100", "side", "access"));
        assertEquals(3, s.value("vtep_vni_flood_packets_total", "vni", "100"));

        // VNI 200: bytes on the access side are as on the wire, 802.1Q tag included.
        assertEquals(1, s.value("vtep_vni_rx_packets_total", "vni", "200", "side", "access"));
        assertEquals(68, s.value("vtep_vni_rx_bytes_total", "vni", "200", "side", "access"));
        assertEquals(5, s.value("vtep_vni_rx_packets_total", "vni", "200", "side", "overlay"));
        assertEquals(5 * 70, s.value("vtep_vni_rx_bytes_total", "vni", "200", "side", "overlay"));
        assertEquals(5, s.value("vtep_vni_tx_packets_total", "vni", "200", "side", "access"));
        assertEquals(5 * 74, s.value("vtep_vni_tx_bytes_total", "vni", "200", "side", "access"));
        assertEquals(0, s.value("vtep_vni_tx_packets_total", "vni", "200", "side", "overlay"));
        assertEquals(1, s.value("vtep_vni_drops_total", "vni", "200", "reason", "no_route"),
            "the first VLAN 10 broadcast had nowhere to go");

        // Remote VTEPs count whole outer packets (IPv4 20 + UDP 8 + VXLAN 8 on top of the frame).
        assertEquals(137 + 3, s.value("vtep_remote_vtep_tx_packets_total", "vtep", B));
        assertEquals(137 * (100 + IPV4_OVERHEAD) + 3 * (60 + IPV4_OVERHEAD), s.value("vtep_remote_vtep_tx_bytes_total", "vtep", B));
        assertEquals(0, s.value("vtep_remote_vtep_rx_packets_total", "vtep", B));
        assertEquals(59 + 5, s.value("vtep_remote_vtep_rx_packets_total", "vtep", C), "C appeared once it sent valid VXLAN");
        assertEquals(59 * (90 + IPV4_OVERHEAD) + 5 * (70 + IPV4_OVERHEAD), s.value("vtep_remote_vtep_rx_bytes_total", "vtep", C));
        assertEquals(0, s.value("vtep_remote_vtep_tx_packets_total", "vtep", C));
        assertEquals(2, s.value("vtep_remote_vteps"));

        // What the recording ports saw agrees.
        assertEquals(137 + 3, net.underlay.sent.size());
        assertEquals(59 + 3 + 5, net.eth1.sent.size());
    }

    @Test
    void dropReasonsAreLabelledWhereTheyHappen()
    {
        net.fdb.addStatic(100, REMOTE_HOST, net.fdb.remoteVteps().find(VTEP_B));
        net.receiveOnAccess(net.fromEth1, frame(MacAddress.BROADCAST, HOST_1, 60), 1); // learn HOST_1 on eth1

        net.receiveOnAccess(net.fromEth1, tagged(frame(HOST_2, HOST_1, 60), 99), 2);          // VLAN 99 is not mapped
        net.receiveOnAccess(net.fromEth1, Arrays.copyOf(frame(HOST_2, HOST_1, 60), 10), 1);  // shorter than Ethernet
        net.receiveFromOverlay(VTEP_B.ipv4(), 100, 0x00, frame(HOST_1, REMOTE_HOST, 60), 3); // I flag clear
        net.receiveFromOverlay(VTEP_B.ipv4(), 999, 0x08, frame(HOST_1, REMOTE_HOST, 60), 4); // VNI not configured
        net.receiveFromOverlay(LOCAL.ipv4(), 100, 0x08, frame(HOST_1, REMOTE_HOST, 60), 5);  // our own address
        net.receiveOnAccess(net.fromEth1, frame(REMOTE_HOST, HOST_1, 1480), 6);              // 1480 + 36 > MTU 1500
        net.receiveOnAccess(net.fromEth1, frame(HOST_1, HOST_3, 60), 7);                     // HOST_1 is on eth1 itself
        net.receiveFromOverlay(VTEP_C.ipv4(), 100, 0x08, frame(REMOTE_HOST, HOST_2 + 16, 60), 8); // behind B: not back out
        net.receiveOnAccess(net.fromEth1, tagged(frame(MacAddress.BROADCAST, HOST_3, 60), 10), 9); // VNI 200: nowhere

        final Samples s = scrape();
        final Map<String, Double> global = Map.of("unknown_vlan", 2.0, "malformed", 1.0, "vxlan_flags", 3.0,
            "unknown_vni", 4.0, "own_vtep", 5.0);
        final Map<String, Double> vni100 = Map.of("mtu_exceeded", 6.0, "same_port", 7.0, "split_horizon", 8.0);
        final Map<String, Double> vni200 = Map.of("no_route", 9.0);
        for (final DropReason reason : DropReason.values())
        {
            final String label = reason.label();
            assertEquals(global.getOrDefault(label, 0.0), s.value("vtep_drops_total", "reason", label), "global " + label);
            assertEquals(vni100.getOrDefault(label, 0.0), s.value("vtep_vni_drops_total", "vni", "100", "reason", label),
                "VNI 100 " + label);
            assertEquals(vni200.getOrDefault(label, 0.0), s.value("vtep_vni_drops_total", "vni", "200", "reason", label),
                "VNI 200 " + label);
        }
    }

    @Test
    void fdbEntriesPerOriginFollowLearningAndTheControlPlane()
    {
        net.receiveOnAccess(net.fromEth1, frame(MacAddress.BROADCAST, HOST_1, 60), 1);
        net.receiveOnAccess(net.fromEth2, frame(MacAddress.BROADCAST, HOST_2, 60), 1);
        net.receiveOnAccess(net.fromEth1, tagged(frame(MacAddress.BROADCAST, HOST_3, 60), 10), 1);
        net.receiveFromOverlay(VTEP_C.ipv4(), 100, 0x08, frame(MacAddress.BROADCAST, REMOTE_HOST, 60), 1);
        net.fdb.addStatic(100, REMOTE_HOST + 1, net.fdb.remoteVteps().find(VTEP_B));
        net.fdb.addStatic(100, REMOTE_HOST + 2, net.fdb.remoteVteps().find(VTEP_B));
        assertTrue(net.fdb.putEvpn(100, REMOTE_HOST + 3, net.fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.9"))));

        Samples s = scrape();
        assertEquals(2, s.value("vtep_vni_fdb_entries", "vni", "100", "origin", "local"));
        assertEquals(1, s.value("vtep_vni_fdb_entries", "vni", "100", "origin", "remote"));
        assertEquals(2, s.value("vtep_vni_fdb_entries", "vni", "100", "origin", "static"));
        assertEquals(1, s.value("vtep_vni_fdb_entries", "vni", "100", "origin", "evpn"));
        assertEquals(1, s.value("vtep_vni_fdb_entries", "vni", "200", "origin", "local"));
        assertEquals(0, s.value("vtep_vni_fdb_entries", "vni", "200", "origin", "remote"));
        assertEquals(3, s.value("vtep_remote_vteps"), "B (flood list), C (learned), 192.0.2.9 (EVPN)");
        assertEquals(0, s.value("vtep_remote_vtep_rx_packets_total", "vtep", "192.0.2.9"), "an EVPN next hop gets its series too");

        // HOST_1 moves from eth1 to eth2: still one local entry, one move.
        net.receiveOnAccess(net.fromEth2, frame(MacAddress.BROADCAST, HOST_1, 60), 1);
        assertTrue(net.fdb.remove(100, REMOTE_HOST + 3, Origin.EVPN));
        s = scrape();
        assertEquals(2, s.value("vtep_vni_fdb_entries", "vni", "100", "origin", "local"));
        assertEquals(1, s.value("vtep_vni_mac_moves_total", "vni", "100"));
        assertEquals(0, s.value("vtep_vni_fdb_entries", "vni", "100", "origin", "evpn"));
        assertEquals(0, s.value("vtep_vni_mac_moves_total", "vni", "200"));
    }

    @Test
    void macLimitHitsAndTheLimitAreExported()
    {
        rebuild(1);
        net.receiveOnAccess(net.fromEth1, frame(MacAddress.BROADCAST, HOST_1, 60), 1);
        net.receiveOnAccess(net.fromEth2, frame(MacAddress.BROADCAST, HOST_2, 60), 4);

        final Samples s = scrape();
        assertEquals(1, s.value("vtep_vni_mac_limit", "vni", "100"));
        assertEquals(0, s.value("vtep_vni_mac_limit", "vni", "200"), "0: no limit");
        assertEquals(1, s.value("vtep_vni_fdb_entries", "vni", "100", "origin", "local"));
        assertEquals(4, s.value("vtep_vni_mac_limit_hits_total", "vni", "100"));
        assertEquals(1, s.value("vtep_vni_flood_list_vteps", "vni", "100"));
        assertEquals(0, s.value("vtep_vni_flood_list_vteps", "vni", "200"));
        assertEquals(1, s.value("vtep_vni_members", "vni", "100", "source", "control"), "the flood list's VTEP");
        assertEquals(0, s.value("vtep_vni_members", "vni", "100", "source", "group"));
        assertEquals(0, s.value("vtep_fdb_learn_queue_drops_total"));
    }

    /**
     * The counters read from a {@code LongSupplier} made for the binding (a lambda nothing else
     * holds) keep counting after a garbage collection: Micrometer holds a function counter's
     * object weakly, and once it is collected the counter shows its last value for good.
     */
    @Test
    void countersReadFromSuppliersKeepCountingAfterAGarbageCollection()
    {
        final AtomicLong value = new AtomicLong();
        metrics.bindPortWorkerFailures("eth1", () -> value.get());
        metrics.bindUnderlayFailures(() -> value.get() + 1);
        metrics.bindPipelinePackets("0", () -> value.get() + 2);
        metrics.bindUnderlayGso(() -> value.get() + 3, () -> value.get() + 4);
        assertEquals(0, scrape().value("vtep_port_worker_failures_total", "port", "eth1"));

        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        value.set(10);
        final Samples s = scrape();
        assertEquals(10, s.value("vtep_port_worker_failures_total", "port", "eth1"));
        assertEquals(11, s.value("vtep_underlay_failures_total"));
        assertEquals(12, s.value("vtep_pipeline_packets_total", "pipeline", "0"));
        assertEquals(13, s.value("vtep_underlay_gso_datagrams_total"));
        assertEquals(14, s.value("vtep_underlay_gso_segments_total"));

        metrics.unbindPortWorkerFailures("eth1");
        assertFalse(scrape().names().contains("vtep_port_worker_failures_total"), "a removed port's series go with it");
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt()
    {
        final VtepMetrics.Scrape openMetrics = metrics.scrape(PROMETHEUS_2_ACCEPT);
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", openMetrics.contentType());
        assertTrue(openMetrics.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        assertTrue(openMetrics.body().contains("# TYPE vtep_vni_rx_bytes counter\n"), "family name without _total");
        assertTrue(openMetrics.body().contains("vtep_vni_rx_bytes_total{side=\"access\",vni=\"100\"} 0"));
        assertTrue(openMetrics.body().contains("# TYPE vtep_build info\n"));
        assertEquals(scrape().size(), Samples.parse(openMetrics.body()).size(), "the same samples in both formats");

        for (final String accept : Arrays.asList(null, "", "*/*", "text/plain", "text/plain;version=0.0.4",
            "application/openmetrics-text;q=0,text/plain", "application/json"))
        {
            final VtepMetrics.Scrape text = metrics.scrape(accept);
            assertEquals("text/plain; version=0.0.4; charset=utf-8", text.contentType(), String.valueOf(accept));
            assertFalse(text.body().contains("# EOF"), String.valueOf(accept));
            assertTrue(text.body().contains("# TYPE vtep_vni_rx_bytes_total counter\n"), String.valueOf(accept));
        }
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8",
            metrics.scrape("application/openmetrics-text").contentType());
    }

    @Test
    void remoteVtepsAreRegisteredOnceEachWhileScrapesRunConcurrently() throws Exception
    {
        final int threads = 4;
        final int vteps = 40;
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try
        {
            final CountDownLatch start = new CountDownLatch(1);
            final List<Future<?>> scrapers = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                scrapers.add(pool.submit(() ->
                {
                    start.await();
                    for (int i = 0; i < 50; i++)
                    {
                        Samples.parse(metrics.scrape(i % 2 == 0 ? null : PROMETHEUS_2_ACCEPT).body());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (int i = 0; i < vteps; i++)
            {
                net.fdb.remoteVteps().intern(VtepAddress.parse("198.51.100." + (i + 1)));
            }
            for (final Future<?> scraper : scrapers)
            {
                scraper.get(60, TimeUnit.SECONDS);
            }
        }
        finally
        {
            pool.shutdownNow();
        }

        final Samples s = scrape();
        for (final String name : List.of("vtep_remote_vtep_rx_packets_total", "vtep_remote_vtep_rx_bytes_total",
            "vtep_remote_vtep_tx_packets_total", "vtep_remote_vtep_tx_bytes_total"))
        {
            final List<String> labels = s.named(name).stream().map(x -> x.labels().get("vtep")).toList();
            assertEquals(vteps + 1, labels.size(), name);
            assertEquals(vteps + 1, new TreeSet<>(labels).size(), name + ": each VTEP once");
        }
    }
}
