package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vtep.topology.Host;
import io.vtep.topology.KernelVtep;
import io.vtep.topology.Netns;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.TcpTransfer;
import io.vtep.topology.Tshark;

/**
 * vtep and a Linux kernel VTEP over an IPv6 underlay (issue proof 11). The kernel drops UDP over
 * IPv6 whose checksum is zero or wrong, so every reply that comes back proves the outer UDP
 * checksum vtep computed.
 */
class Ipv6UnderlayTest extends TopologyTest
{

    @Override
    protected void requirements()
    {
        Requirements.requireTools("ping", "tshark");
    }

    @Test
    void pingAcrossAnIpv6UnderlayWithComputedUdpChecksums() throws Exception
    {
        final Netns vtepNs = topology.namespaceWithIpv6("vtep");
        final Netns kernelNs = topology.namespaceWithIpv6("kvtep");
        topology.link(vtepNs, "ul0", kernelNs, "ul0");
        vtepNs.ip("-6", "addr", "add", "2001:db8::1/64", "dev", "ul0", "nodad");
        kernelNs.ip("-6", "addr", "add", "2001:db8::2/64", "dev", "ul0", "nodad");
        final Host h1 = topology.host("h1", "10.0.0.1/24", vtepNs, "acc1");
        final KernelVtep kernel = topology.kernelVtep(kernelNs).vni(100).localIp("2001:db8::2").learning(true).create();
        final Host h2 = topology.host("h2", "10.0.0.2/24", kernelNs, "acc0");
        kernelNs.enslave("acc0", kernel.bridge());
        kernel.addFloodEntry("2001:db8::1");
        // 70 bytes of IPv6 + UDP + VXLAN + inner Ethernet overhead: 1430 is the overlay's IP MTU.
        h1.netns().setMtu("eth0", 1430);
        h2.netns().setMtu("eth0", 1430);

        final InProcessVtep vtep = InProcessVtep.start(topology, vtepNs, """
            vtep: { local-ip: "2001:db8::1" }
            ports: [ { name: acc1, vlans: { untagged: 100 } } ]
            vnis: [ { vni: 100, flood: ["2001:db8::2"] } ]
            """);
        final Tshark capture = topology.capture(kernelNs, "ul0", "udp port 4789");

        final PingResult ping = h1.ping("10.0.0.2", 3);
        assertEquals(3, ping.received(), () -> ping + "\n" + topology.diagnostics());
        assertTrue(h2.ping("10.0.0.1", 2).allReceived());
        final PingResult large = h1.ping("10.0.0.2", 2, List.of("-s", "1402", "-M", "do"));
        assertEquals(2, large.received(), "the largest packet that fits 1500 - 70");
        assertEquals("remote 2001:db8::2", vtep.entry(100, h2.mac()));
        assertEquals("2001:db8::1", kernel.remoteVtepOf(h1.mac()).orElseThrow());

        // Hosts at default offloads: TSO super-frames out, the kernel VTEP's GSO packets back.
        final java.nio.file.Path file = topology.workDir().resolve("random-16m");
        final TcpTransfer.Result sent = TcpTransfer.randomFile(file, 16L << 20, 17);
        assertEquals(List.of(sent, sent), TcpTransfer.bothWays(h1, h2, 5401, file), "h1 -> h2, then h2 -> h1, over the IPv6 underlay");
        assertTrue(vtep.appliance().underlayGsoSegments() > 1_000,
            () -> "h1's super-frames left as UDP GSO datagrams over IPv6: " + vtep.appliance().underlayGsoSegments());

        final List<Map<String, String>> fromVtep = capture.fields("ipv6.src == 2001:db8::1 && vxlan",
            "udp.checksum", "vxlan.vni", "udp.dstport", "ipv6.hlim");
        assertTrue(fromVtep.size() >= 5, () -> "VXLAN over IPv6 from vtep: " + fromVtep);
        for (final Map<String, String> packet : fromVtep)
        {
            assertTrue(Integer.decode(packet.get("udp.checksum")) != 0, () -> "UDP checksum computed: " + packet);
            assertEquals("100", packet.get("vxlan.vni"));
            assertEquals("4789", packet.get("udp.dstport"));
        }
    }
}
