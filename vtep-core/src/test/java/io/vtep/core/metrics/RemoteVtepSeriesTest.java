package io.vtep.core.metrics;

import static io.vtep.core.metrics.SmallNetwork.frame;
import static io.vtep.core.testing.TestNetwork.REMOTE_HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vtep.encap.MacAddress;
import io.vtep.fdb.FdbSettings;

/**
 * Issue 15, failure 2, through the real overlay pipeline and metrics: spoofed outer sources fill the
 * remote VTEP table; once their MACs aged out the learned VTEPs leave, their series disappear, a
 * full table is counted rather than logged, and a real VTEP that arrives later gets the index of a
 * spoofed one with series that count only its own packets.
 */
class RemoteVtepSeriesTest
{
    private static final int AGEING_SECONDS = 10;

    private final AtomicLong time = new AtomicLong(1_000_000_000L); // SmallNetwork's packets say "now" = 1 s
    private final SmallNetwork net = new SmallNetwork(
        FdbSettings.defaults().withClock(time::get).withAgeingSeconds(AGEING_SECONDS), 0);
    private final VtepMetrics metrics = VtepMetrics.create(net.fdb, net.tables, net.counters);

    @AfterEach
    void close()
    {
        metrics.close();
    }

    private Samples scrape()
    {
        return Samples.parse(metrics.scrape(null).body());
    }

    @Test
    void spoofedSourcesLeaveWithTheirSeriesAndARealVtepIsLearnedAfterwards()
    {
        final byte[] inner = frame(MacAddress.BROADCAST, REMOTE_HOST, 60);
        for (int i = 0; i < 1000; i++)
        {
            net.receiveFromOverlay(0x0A00_0000 + i, 100, 0x08, inner, 1);
        }
        assertEquals(SmallNetwork.VTEP_CAPACITY, net.fdb.remoteVteps().size(), "full");
        final Samples full = scrape();
        assertEquals(SmallNetwork.VTEP_CAPACITY, full.named("vtep_remote_vtep_rx_packets_total").size());
        assertEquals(1000 - (SmallNetwork.VTEP_CAPACITY - 1), full.value("vtep_remote_vtep_table_full_total"),
            "each refused new source counted");

        time.addAndGet(TimeUnit.SECONDS.toNanos(AGEING_SECONDS + 2));
        net.fdb.conductor().doWork();
        final Samples aged = scrape();
        assertEquals(1, net.fdb.remoteVteps().size(), "only the configured flood-list VTEP stays");
        assertEquals(1, aged.named("vtep_remote_vtep_rx_packets_total").size(), "the spoofed VTEPs' series are gone");
        assertEquals(SmallNetwork.VTEP_CAPACITY - 1, aged.value("vtep_remote_vteps_aged_total"));

        time.addAndGet(TimeUnit.SECONDS.toNanos(2)); // past the reuse quarantine
        final int real = 0xC633_6409; // 198.51.100.9
        net.receiveFromOverlay(real, 100, 0x08, inner, 3);
        final Samples after = scrape();
        assertEquals(2, net.fdb.remoteVteps().size(), "the real VTEP is learned");
        assertEquals(3, after.value("vtep_remote_vtep_rx_packets_total", "vtep", "198.51.100.9"),
            "its series count its own packets, not the spoofed source's that held the index before");
        assertTrue(net.fdb.remoteVteps().find(io.vtep.encap.VtepAddress.parse("198.51.100.9")).index() > 0);
    }
}
