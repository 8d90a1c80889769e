package io.vtep.bench;

import static io.vtep.bench.DataPathTopology.ACCESS_IF;
import static io.vtep.bench.DataPathTopology.HOST_B_IP;
import static io.vtep.bench.DataPathTopology.UNDERLAY_IF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vtep.topology.Host;
import io.vtep.topology.TcpTransfer;
import io.vtep.topology.Topology;
import io.vtep.topology.Wait;

/**
 * TCP receive coalescing ({@code dataplane.coalesce-tcp}, on by default) against a real kernel
 * VTEP, on the benchmark's topology: its underlay is the one link the tests make wire-like on
 * purpose ({@link DataPathTopology}), so kernel VTEP B cuts host B's TSO super-frames into
 * MTU-sized VXLAN packets as on a physical link, and vtep coalesces each run of them for host A.
 * The hosts keep their default offloads. 64 MB of random bytes must arrive intact both ways, and
 * while host B sends, host A must receive fewer than half as many packets as VTEP A took from the
 * underlay.
 */
class WireUnderlayCoalescingTest
{
    private static final long BYTES = 64L << 20;
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(120);

    @Test
    void segmentsFromAWireLikeUnderlayReachTheHostCoalescedAndIntact(@TempDir final Path dir) throws Exception
    {
        DataPathBench.requireTools();
        try (Topology topology = Topology.create())
        {
            final DataPathTopology net = new DataPathTopology(topology, true);
            final VtepA vtep = new VtepA.Vtep(null);
            vtep.start(net);
            try
            {
                Wait.until(Duration.ofSeconds(60), () -> net.hostA.ping(HOST_B_IP, 1).received() > 0, "host A reaches host B through vtep");
                final Path file = dir.resolve("random-64m");
                final TcpTransfer.Result sent = TcpTransfer.randomFile(file, BYTES, 11);
                assertEquals(sent, TcpTransfer.send(net.hostA, net.hostB, 5001, file, TRANSFER_TIMEOUT), "host A -> host B");

                final long underlayBefore = DataPathTopology.counter(net.vtepA, UNDERLAY_IF, "rx", "packets");
                final long hostABefore = rxPackets(net.hostA);
                assertEquals(sent, TcpTransfer.send(net.hostB, net.hostA, 5002, file, TRANSFER_TIMEOUT),
                    "host B -> host A: segments from the underlay, coalesced for host A");
                final long fromUnderlay = DataPathTopology.counter(net.vtepA, UNDERLAY_IF, "rx", "packets") - underlayBefore;
                final long hostAReceived = rxPackets(net.hostA) - hostABefore;

                assertTrue(fromUnderlay > BYTES / DataPathTopology.HOST_MTU,
                    () -> "the underlay carried MTU-sized segments: " + fromUnderlay + " packets for " + BYTES + " bytes");
                assertTrue(hostAReceived < fromUnderlay / 2, () -> "host A received " + hostAReceived + " packets for " + fromUnderlay +
                    " from the underlay: runs were not coalesced (vtep on " + ACCESS_IF + ")");
            }
            finally
            {
                vtep.stop(net);
            }
        }
    }

    private static long rxPackets(final Host host)
    {
        return DataPathTopology.counter(host.netns(), host.iface(), "rx", "packets");
    }
}
