package io.vtep.metrics.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DataPathCounters;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;

class DataPathMetersTest
{
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CounterSnapshotSource source = new CounterSnapshotSource(new CounterLayout(2, 3));
    private final DataPathMeters meters = new DataPathMeters(registry, source);

    @AfterEach
    void close()
    {
        registry.close();
    }

    private List<String> samples()
    {
        return registry.scrape().lines().filter(line -> !line.startsWith("#")).toList();
    }

    @Test
    void namesFollowThePrometheusConventionExactlyOnce()
    {
        meters.bindVni(1, 4242);
        meters.bindGlobalDrops();
        assertTrue(meters.bindRemoteVtep(2, "192.0.2.7"));
        assertTrue(meters.bindRemoteVtep(1, "2001:db8::2"));

        final Set<String> names = new TreeSet<>();
        samples().forEach(line -> names.add(line.substring(0, line.indexOf('{'))));
        assertEquals(new TreeSet<>(List.of(
            "vtep_vni_rx_packets_total", "vtep_vni_rx_bytes_total", "vtep_vni_tx_packets_total", "vtep_vni_tx_bytes_total",
            "vtep_vni_flood_packets_total", "vtep_vni_drops_total", "vtep_drops_total",
            "vtep_vni_suppression_answered_packets_total", "vtep_vni_suppression_flooded_packets_total",
            "vtep_remote_vtep_rx_packets_total", "vtep_remote_vtep_rx_bytes_total",
            "vtep_remote_vtep_tx_packets_total", "vtep_remote_vtep_tx_bytes_total")), names);
        assertEquals(4 * 2 + 1 + 2 + DropReason.count() + DropReason.count() + 2 * 4, samples().size(),
            "rx/tx packets/bytes per side, floods, ARP/ND suppression answered and flooded, every VNI drop reason, every " +
                "global reason, 4 per VTEP");
        assertTrue(samples().contains("vtep_remote_vtep_rx_bytes_total{vtep=\"2001:db8::2\"} 0.0"));
        assertTrue(samples().contains("vtep_vni_tx_packets_total{side=\"overlay\",vni=\"4242\"} 0.0"));
    }

    @Test
    void valuesAreTheSumsOfEveryThreadsBlockAtScrapeTime()
    {
        meters.bindVni(0, 100);
        meters.bindGlobalDrops();
        meters.bindRemoteVtep(0, "192.0.2.2");
        final DataPathCounters a = source.newBlock();
        final DataPathCounters b = source.newBlock();
        a.vniReceived(0, Side.ACCESS, 100);
        b.vniReceived(0, Side.ACCESS, 60);
        b.vniSent(0, Side.OVERLAY, 60);
        a.vniFlooded(0);
        b.vniDropped(0, DropReason.MTU_EXCEEDED);
        a.dropped(DropReason.UNKNOWN_VNI);
        b.dropped(DropReason.UNKNOWN_VNI);
        a.vtepSent(0, 136);

        final List<String> lines = samples();
        assertTrue(lines.contains("vtep_vni_rx_packets_total{side=\"access\",vni=\"100\"} 2.0"), lines::toString);
        assertTrue(lines.contains("vtep_vni_rx_bytes_total{side=\"access\",vni=\"100\"} 160.0"));
        assertTrue(lines.contains("vtep_vni_rx_packets_total{side=\"overlay\",vni=\"100\"} 0.0"));
        assertTrue(lines.contains("vtep_vni_tx_bytes_total{side=\"overlay\",vni=\"100\"} 60.0"));
        assertTrue(lines.contains("vtep_vni_flood_packets_total{vni=\"100\"} 1.0"));
        assertTrue(lines.contains("vtep_vni_drops_total{reason=\"mtu_exceeded\",vni=\"100\"} 1.0"));
        assertTrue(lines.contains("vtep_vni_drops_total{reason=\"malformed\",vni=\"100\"} 0.0"));
        assertTrue(lines.contains("vtep_drops_total{reason=\"unknown_vni\"} 2.0"));
        assertTrue(lines.contains("vtep_remote_vtep_tx_packets_total{vtep=\"192.0.2.2\"} 1.0"));
        assertTrue(lines.contains("vtep_remote_vtep_tx_bytes_total{vtep=\"192.0.2.2\"} 136.0"));

        a.vniReceived(0, Side.ACCESS, 40); // read at scrape time, not at registration
        assertTrue(samples().contains("vtep_vni_rx_bytes_total{side=\"access\",vni=\"100\"} 200.0"));
    }

    @Test
    void nothingOutsideTheLayoutIsBound()
    {
        assertFalse(meters.bindRemoteVtep(3, "192.0.2.9"), "the layout has 3 VTEP rows");
        assertFalse(meters.bindRemoteVtep(-1, "192.0.2.9"));
        assertThrows(IllegalArgumentException.class, () -> meters.bindVni(2, 300));
        assertEquals(List.of(), samples());
    }
}
