package io.vtep.bench;

import static io.vtep.bench.DataPathTopology.ACCESS_IF;
import static io.vtep.bench.DataPathTopology.HOST_MTU;
import static io.vtep.bench.DataPathTopology.UNDERLAY_IF;
import static io.vtep.bench.DataPathTopology.VNI;
import static io.vtep.bench.DataPathTopology.VTEP_A_IP;
import static io.vtep.bench.DataPathTopology.VTEP_A_IP6;
import static io.vtep.bench.DataPathTopology.VTEP_B_IP;
import static io.vtep.bench.DataPathTopology.VTEP_B_IP6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vtep.topology.Host;
import io.vtep.topology.Netns;
import io.vtep.topology.TcpTransfer;
import io.vtep.topology.Topology;
import io.vtep.topology.VlanTagging;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;

/**
 * TCP receive coalescing ({@code dataplane.coalesce-tcp}, on by default) against a real kernel
 * VTEP, on the benchmark's topology: its underlay is the one link the tests make wire-like on
 * purpose ({@link DataPathTopology}), so kernel VTEP B cuts host B's TSO super-frames into
 * MTU-sized VXLAN packets as on a physical link, and vtep coalesces each run of them for host A.
 * The hosts keep their default offloads. The data must arrive intact both ways, and while host B
 * sends, host A must receive fewer than half as many packets as VTEP A took from the underlay:
 * over IPv4, over IPv6 (GRO's TCPv6 rules), to a host whose frames carry an 802.1Q tag, and
 * from an IPv6 underlay.
 */
class WireUnderlayCoalescingTest
{
    private static final long BYTES = 64L << 20;
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(120);
    private static final int TAG = 10;

    @Test
    void segmentsFromAWireLikeUnderlayReachTheHostCoalescedAndIntact(@TempDir final Path dir) throws Exception
    {
        DataPathBench.requireTools();
        try (Topology topology = Topology.create())
        {
            final DataPathTopology net = new DataPathTopology(topology, true);
            try (VtepProcess vtep = topology.startVtep(net.vtepA, VtepA.Vtep.CONFIG))
            {
                transferCoalesced(vtep, net.vtepA, net.hostA, net.hostB, dir, BYTES);
            }
        }
    }

    /** IPv6 inside the overlay: TCPv6 runs (no IPv4 ID to check; flow label and traffic class must match). */
    @Test
    void ipv6SegmentsAreCoalescedToo(@TempDir final Path dir) throws Exception
    {
        DataPathBench.requireTools();
        try (Topology topology = Topology.create())
        {
            final DataPathTopology net = new DataPathTopology(topology, true);
            final Host hostA = net.hostA.withIpv6("fd00:100::1/64");
            final Host hostB = net.hostB.withIpv6("fd00:100::2/64");
            try (VtepProcess vtep = topology.startVtep(net.vtepA, VtepA.Vtep.CONFIG))
            {
                transferCoalesced(vtep, net.vtepA, hostA, hostB, dir, BYTES / 2);
            }
        }
    }

    /**
     * Host A on VLAN 10 of a trunk ({@link VlanTagging}: its kernel stack, its default offloads, a
     * tag pushed on egress): its TSO super-frames reach vtep with the tag in the packet socket's
     * auxiliary data, and coalesced super-frames go back with the tag in the frame. vtep maps
     * VLAN 10 to the VNI.
     */
    @Test
    void segmentsForATaggedHostAreCoalescedAndKeepTheirTag(@TempDir final Path dir) throws Exception
    {
        DataPathBench.requireTools();
        try (Topology topology = Topology.create())
        {
            final DataPathTopology net = new DataPathTopology(topology, true);
            final Host tagged = VlanTagging.tag(topology, net.hostA, TAG);
            final String config = """
                vtep:
                  local-ip: %s
                ports:
                  - name: %s
                    driver: af-packet
                    vlans: { %d: %d }
                vnis:
                  - vni: %d
                    flood: [%s]
                """.formatted(VTEP_A_IP, ACCESS_IF, TAG, VNI, VNI, VTEP_B_IP);
            try (VtepProcess vtep = topology.startVtep(net.vtepA, config))
            {
                transferCoalesced(vtep, net.vtepA, tagged, net.hostB, dir, BYTES / 2);
            }
        }
    }

    /**
     * The same over an IPv6 underlay (the benchmark's topology with IPv6 outer addresses, its
     * underlay wire-like the same way): kernel VTEP B segments for the wire and checksums each UDP datagram
     * (RFC 8200 §8.1), and vtep coalesces what it decapsulates.
     */
    @Test
    void segmentsFromAnIpv6UnderlayAreCoalescedToo(@TempDir final Path dir) throws Exception
    {
        DataPathBench.requireTools();
        try (Topology topology = Topology.create())
        {
            final DataPathTopology net = new DataPathTopology(topology, true, true);
            final String config = """
                vtep: { local-ip: "%s" }
                ports: [ { name: %s, driver: af-packet, vlans: { untagged: %d } } ]
                vnis: [ { vni: %d, flood: ["%s"] } ]
                """.formatted(VTEP_A_IP6, ACCESS_IF, VNI, VNI, VTEP_B_IP6);
            try (VtepProcess vtep = topology.startVtep(net.vtepA, config))
            {
                transferCoalesced(vtep, net.vtepA, net.hostA, net.hostB, dir, BYTES / 2);
            }
        }
    }

    /**
     * {@code bytes} of random data from host A to host B, then back; the second transfer's
     * segments come from the underlay and must reach host A in runs, and vtep must still run.
     */
    private static void transferCoalesced(final VtepProcess vtep, final Netns vtepA, final Host hostA, final Host hostB, final Path dir,
        final long bytes) throws Exception
    {
        Wait.until(Duration.ofSeconds(60), () -> hostA.ping(hostB.ip(), 1).received() > 0, "host A reaches host B through vtep");
        final Path file = dir.resolve("random");
        final TcpTransfer.Result sent = TcpTransfer.randomFile(file, bytes, 11);
        assertEquals(sent, TcpTransfer.send(hostA, hostB, 5001, file, TRANSFER_TIMEOUT), "host A -> host B");

        final long underlayBefore = vtepA.linkCounter(UNDERLAY_IF, "rx", "packets");
        final long hostABefore = rxPackets(hostA);
        assertEquals(sent, TcpTransfer.send(hostB, hostA, 5002, file, TRANSFER_TIMEOUT),
            "host B -> host A: segments from the underlay, coalesced for host A");
        final long fromUnderlay = vtepA.linkCounter(UNDERLAY_IF, "rx", "packets") - underlayBefore;
        final long hostAReceived = rxPackets(hostA) - hostABefore;

        assertTrue(fromUnderlay > bytes / HOST_MTU,
            () -> "the underlay carried MTU-sized segments: " + fromUnderlay + " packets for " + bytes + " bytes");
        assertTrue(hostAReceived < fromUnderlay / 2, () -> "host A received " + hostAReceived + " packets for " + fromUnderlay +
            " from the underlay: runs were not coalesced (vtep on " + ACCESS_IF + ")");
        assertTrue(vtep.isAlive(), vtep::output);
    }

    private static long rxPackets(final Host host)
    {
        return host.netns().linkCounter(host.iface(), "rx", "packets");
    }
}
