package io.vtep.core.metrics;

import static io.vtep.core.metrics.SmallNetwork.frame;
import static io.vtep.core.metrics.SmallNetwork.tagged;
import static io.vtep.core.testing.TestNetwork.HOST_1;
import static io.vtep.core.testing.TestNetwork.REMOTE_HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.testing.TestNetwork;
import io.vtep.encap.MacAddress;

/**
 * A flood of bogus input cannot grow the number of series: per-VNI series exist only for configured
 * VNIs, per-VTEP series only for the remote VTEP table (bounded by its capacity), and no JVM series
 * appears later. Seeded; the seed is printed ({@code -Dvtep.seed=N} replays it).
 */
class CardinalityTest
{
    private static final int PACKETS = 100_000;
    private static volatile Object sink;

    private final SmallNetwork net = new SmallNetwork();
    private final VtepMetrics metrics = VtepMetrics.create(net.fdb, net.tables, net.counters);

    @AfterEach
    void close()
    {
        metrics.close();
    }

    private static Random seeded()
    {
        final long seed = Long.getLong("vtep.seed", System.nanoTime());
        System.out.println("CardinalityTest seed: " + seed + " (-Dvtep.seed=" + seed + " replays it)");
        return new Random(seed);
    }

    private Samples scrape()
    {
        return Samples.parse(metrics.scrape(null).body());
    }

    @Test
    void hundredThousandPacketsWithRandomVnisAndSourcesAddNoSeries()
    {
        net.receiveOnAccess(net.fromEth1, frame(MacAddress.BROADCAST, HOST_1, 60), 1);
        final Samples before = scrape();
        final int vtepsBefore = net.fdb.remoteVteps().size();

        final Random random = seeded();
        final byte[] inner = frame(MacAddress.BROADCAST, REMOTE_HOST, 60);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        final int offset = 64;
        buffer.putByte(offset, (byte)0x08);
        buffer.putBytes(offset + 8, inner);
        for (int i = 0; i < PACKETS; i++)
        {
            int vni = random.nextInt(1 << 24);
            if (net.tables.vni(vni) != null)
            {
                vni = 0xABCDEF; // not configured
            }
            buffer.putByte(offset + 4, (byte)(vni >> 16));
            buffer.putByte(offset + 5, (byte)(vni >> 8));
            buffer.putByte(offset + 6, (byte)vni);
            // A random (spoofed) outer source each time; never our own address (that is another drop reason).
            int source = random.nextInt();
            if (source == TestNetwork.LOCAL.ipv4())
            {
                source++;
            }
            net.fromOverlay.onIpv4Datagram(buffer, offset, 8 + inner.length, source, net.now);
        }
        net.fdb.conductor().doWork();
        // And on the access side: tags for VLANs no port maps.
        for (int i = 0; i < 1_000; i++)
        {
            net.receiveOnAccess(net.fromEth1, tagged(frame(MacAddress.BROADCAST, HOST_1, 60), 100 + random.nextInt(3_900)), 1);
        }

        final Samples after = scrape();
        assertEquals(PACKETS, after.value("vtep_drops_total", "reason", "unknown_vni"));
        assertEquals(1_000, after.value("vtep_drops_total", "reason", "unknown_vlan"));
        assertEquals(vtepsBefore, net.fdb.remoteVteps().size(), "no VTEP interned for bogus VNIs");
        assertEquals(before.size(), after.size(), "100k packets with random VNIs and sources added no series");
        assertEquals(before.names(), after.names());
    }

    @Test
    void validVxlanFromManySourcesGrowsSeriesOnlyUpToTheVtepTableCapacity()
    {
        final int before = scrape().size();
        final int vtepsBefore = net.fdb.remoteVteps().size();

        final Random random = seeded();
        for (int i = 0; i < 1_000; i++)
        {
            net.receiveFromOverlay(0x0A00_0000 | random.nextInt(1 << 24), 100, 0x08, frame(MacAddress.BROADCAST,
                REMOTE_HOST, 60), 1);
        }

        assertEquals(SmallNetwork.VTEP_CAPACITY, net.fdb.remoteVteps().size(), "the table is full, and no fuller");
        final Samples after = scrape();
        assertEquals(before + 4 * (SmallNetwork.VTEP_CAPACITY - vtepsBefore), after.size(),
            "four series (rx/tx packets/bytes) per VTEP the table holds, none for the rest");
        assertEquals(SmallNetwork.VTEP_CAPACITY, after.named("vtep_remote_vtep_rx_packets_total").size());
    }

    @Test
    void noJvmSeriesAppearsAfterAGarbageCollection()
    {
        final Samples before = scrape();
        System.gc();
        for (int i = 0; i < 10_000; i++)
        {
            sink = new byte[16 * 1024]; // young collections too
        }
        System.gc();
        assertEquals(before.names(), scrape().names(), "GC timers are not registered on the first GC of each kind");
        assertEquals(before.size(), scrape().size());
    }
}
