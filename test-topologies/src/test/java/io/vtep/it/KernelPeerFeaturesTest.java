package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vtep.metrics.DropReason;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Tshark;
import io.vtep.topology.VxlanRecord;
import io.vtep.topology.Wait;

/**
 * vtep against a kernel VTEP: multicast mode, ageing, MTU, and hostile underlay input
 * (issue proofs 5, 6, 8, 9).
 */
class KernelPeerFeaturesTest extends TopologyTest
{
    private static final int VNI = KernelPeerTopology.VNI;

    @Override
    protected void requirements()
    {
        Requirements.requireTools("ping", "tshark");
    }

    @Test
    void multicastGroupCarriesBumAgainstAKernelVtepInGroupMode() throws Exception
    {
        final KernelPeerTopology net = new KernelPeerTopology(topology, true, "239.1.1.100");
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs, """
            vtep: { local-ip: 192.0.2.1 }
            ports: [ { name: acc1, vlans: { untagged: 100 } } ]
            vnis: [ { vni: 100, multicast-group: 239.1.1.100 } ]
            """);
        final Tshark capture = topology.capture(net.kernelNs, "ul0", "udp port 4789");

        final PingResult ping = net.h1.ping("10.0.0.2", 3);
        assertEquals(3, ping.received(), () -> ping + "\n" + topology.diagnostics());
        assertTrue(net.h2.ping("10.0.0.1", 2).allReceived());
        assertEquals("remote 192.0.2.2", vtep.entry(VNI, net.h2.mac()));

        final List<VxlanRecord> packets = capture.vxlan();
        final List<VxlanRecord> bumFromVtep = packets.stream()
            .filter(p -> p.outerSrcIp().equals("192.0.2.1") && p.innerDstMac().equals("ff:ff:ff:ff:ff:ff")).toList();
        assertTrue(!bumFromVtep.isEmpty(), () -> "vtep's ARP broadcast was seen on the underlay: " + packets);
        for (final VxlanRecord packet : bumFromVtep)
        {
            assertEquals("239.1.1.100", packet.outerDstIp(), "one copy, to the group");
            assertEquals(1, packet.outerTtl(), "multicast TTL 1, like the kernel");
            assertEquals(VNI, packet.vni());
        }
        assertTrue(packets.stream().anyMatch(p -> p.outerSrcIp().equals("192.0.2.1") && p.outerDstIp().equals("192.0.2.2")),
            "known unicast goes to the VTEP, not the group");
    }

    @Test
    void learnedMacAgesOutThenTrafficFloodsAndRelearns() throws Exception
    {
        final KernelPeerTopology net = new KernelPeerTopology(topology, true);
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs, net.vtepConfig("fdb: { ageing-seconds: 2 }"));

        assertTrue(net.h1.ping("10.0.0.2", 2).allReceived(), () -> topology.diagnostics());
        assertEquals("remote 192.0.2.2", vtep.entry(VNI, net.h2.mac()));

        Wait.until(Duration.ofSeconds(10), () -> vtep.entry(VNI, net.h2.mac()) == null, "h2's MAC to age out");
        assertNull(vtep.entry(VNI, net.h1.mac()), "h1's local entry aged out too");

        final long floodsBefore = vtep.floods(VNI);
        // h1 still has h2 in its ARP cache, so this is unicast to a MAC vtep no longer knows: flooded.
        assertTrue(net.h1.ping("10.0.0.2", 1).allReceived());
        assertTrue(vtep.floods(VNI) > floodsBefore, "unknown unicast after ageing is flooded");
        assertEquals("remote 192.0.2.2", vtep.entry(VNI, net.h2.mac()), "relearned from the reply");
    }

    @Test
    void oversizedFrameIsDroppedAndCountedNeverFragmented() throws Exception
    {
        final KernelPeerTopology net = new KernelPeerTopology(topology, true);
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs, net.vtepConfig(""));
        assertTrue(net.h1.ping("10.0.0.2", 1).allReceived());
        net.h1.netns().setMtu("eth0", 1500);
        final Tshark capture = topology.capture(net.vtepNs, "ul0", "ip");

        // 1472 bytes of ICMP payload: a 1514-byte frame, 1550 bytes once encapsulated, over the 1500 underlay MTU.
        final PingResult big = net.h1.ping("10.0.0.2", 3, List.of("-s", "1472", "-M", "do", "-W", "1"));
        assertEquals(0, big.received());
        Wait.until(Duration.ofSeconds(5), () -> vtep.drops(VNI, DropReason.MTU_EXCEEDED) == 3, "3 mtu_exceeded drops");
        // The largest frame that fits (1464 bytes: 1500 - 36) still goes through.
        final PingResult fits = net.h1.ping("10.0.0.2", 2, List.of("-s", "1422", "-M", "do"));
        assertEquals(2, fits.received(), () -> fits.toString());

        final List<Map<String, String>> fragments = capture.fields("ip.flags.mf == 1 || ip.frag_offset > 0", "frame.number");
        assertTrue(fragments.isEmpty(), () -> "no outer packet is ever fragmented: " + fragments);
        final List<Map<String, String>> oversized = capture.fields("ip.len > 1500", "frame.number");
        assertTrue(oversized.isEmpty(), "nothing over the underlay MTU left vtep");
        final List<Map<String, String>> withDf = capture.fields("ip.src == 192.0.2.1 && udp.dstport == 4789 && ip.flags.df == 1", "frame.number");
        assertTrue(withDf.size() >= 2, "vtep sets DF on its VXLAN packets");
        final List<Map<String, String>> withoutDf = capture.fields("ip.src == 192.0.2.1 && udp.dstport == 4789 && ip.flags.df == 0", "frame.number");
        assertTrue(withoutDf.isEmpty(), "on every one of them");
    }

    @Test
    void hostileUnderlayInputIsDroppedAndCountedAndForwardingGoesOn() throws Exception
    {
        final KernelPeerTopology net = new KernelPeerTopology(topology, true);
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs, net.vtepConfig(""));
        assertTrue(net.h1.ping("10.0.0.2", 1).allReceived());
        final long seed = System.nanoTime();
        System.out.println("hostile input seed: " + seed);

        // From the kernel VTEP's namespace, straight at vtep's VXLAN port.
        net.kernelNs.execOk("/usr/bin/python3", "-c", """
            import socket, random, struct
            random.seed(%d)
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            dst = ('192.0.2.1', 4789)
            inner = bytes.fromhex('ffffffffffff02000000ee010800') + bytes(46)
            for i in range(5): s.sendto(b'\\x08\\x00\\x00', dst)                                    # truncated
            for i in range(5): s.sendto(struct.pack('!II', 0x00000000, 100 << 8) + inner, dst)      # I flag clear
            for i in range(5): s.sendto(struct.pack('!II', 0x08000000, 4242 << 8) + inner, dst)     # unknown VNI
            for i in range(5): s.sendto(struct.pack('!II', 0x08000000, 100 << 8) + bytes(6), dst)   # no room for an inner frame
            for i in range(20): s.sendto(bytes(random.getrandbits(8) for _ in range(random.randint(0, 40))), dst)  # garbage
            """.formatted(seed));

        Wait.until(Duration.ofSeconds(5),
            () -> vtep.drops(DropReason.MALFORMED) + vtep.drops(DropReason.VXLAN_FLAGS) + vtep.drops(DropReason.UNKNOWN_VNI) == 40,
            "all 40 bad packets dropped and counted");
        assertTrue(vtep.drops(DropReason.MALFORMED) >= 10, "truncated and frame-less packets count as malformed");
        assertTrue(vtep.drops(DropReason.VXLAN_FLAGS) >= 5);
        assertTrue(vtep.drops(DropReason.UNKNOWN_VNI) >= 5);
        assertNull(vtep.entry(VNI, "02:00:00:00:ee:01"), "nothing learned from dropped packets");

        final PingResult after = net.h1.ping("10.0.0.2", 3);
        assertEquals(3, after.received(), "forwarding unaffected");
    }
}
