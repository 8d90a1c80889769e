package io.vtep.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel-to-kernel baseline: two bare-metal hosts, each behind a Linux kernel VTEP, VNI 100
 * over UDP 4789 with static flood lists. Whatever the appliance is tested for later is first shown
 * here to hold for the kernel, with the same topology and the same checks.
 *
 * <pre>
 *  h1 eth0 ── eth1 [br0 + vxlan100] under0 ── under0 [vxlan100 + br0] eth1 ── eth0 h2
 *  10.0.0.1/24        vtep1 192.0.2.1/24        192.0.2.2/24 vtep2              10.0.0.2/24
 * </pre>
 */
@Timeout(60)
class KernelBaselineTest
{

    static final int VNI = 100;
    static final String VTEP1_IP = "192.0.2.1";
    static final String VTEP2_IP = "192.0.2.2";

    @BeforeAll
    static void requirements()
    {
        Requirements.requireTopology("ping", "tshark", "iperf3");
    }

    /** The two-VTEP topology; {@code learning} switches the kernel's data-plane learning on the vxlan devices. */
    record Baseline(Host h1, Host h2, KernelVtep vtep1, KernelVtep vtep2)
    {
    }

    static Baseline build(Topology topo, boolean learning)
    {
        Netns ns1 = topo.namespace("vtep1");
        Netns ns2 = topo.namespace("vtep2");
        topo.underlayLink(ns1, VTEP1_IP + "/24", ns2, VTEP2_IP + "/24");
        KernelVtep vtep1 = topo.kernelVtep(ns1).vni(VNI).localIp(VTEP1_IP).learning(learning).create();
        KernelVtep vtep2 = topo.kernelVtep(ns2).vni(VNI).localIp(VTEP2_IP).learning(learning).create();
        Host h1 = topo.host("h1", "10.0.0.1/24", ns1, "eth1");
        Host h2 = topo.host("h2", "10.0.0.2/24", ns2, "eth1");
        vtep1.attach("eth1");
        vtep2.attach("eth1");
        vtep1.addFloodEntry(VTEP2_IP);
        vtep2.addFloodEntry(VTEP1_IP);
        return new Baseline(h1, h2, vtep1, vtep2);
    }

    @Test
    void pingCrossesTheOverlayAndBothVtepsLearnTheRemoteHost()
    {
        try (Topology topo = Topology.create())
        {
            Baseline b = build(topo, true);
            assertEquals(List.of(VTEP2_IP), b.vtep1().floodList(), "vtep1 flood list");
            Tshark underlay = topo.capture(b.vtep1().netns(), "ul0", "udp port 4789");

            PingResult ping = b.h1().ping(b.h2().ip(), 3);

            assertEquals(3, ping.transmitted(), ping.output());
            assertEquals(3, ping.received(), ping.output());
            assertEquals(0.0, ping.lossPercent(), ping.output());
            assertTrue(ping.rttAvgMs() > 0, ping.toString());
            assertEquals(Optional.of(b.h2().mac()), b.h1().arpEntry(b.h2().ip()), "h1 resolved h2 by ARP: " + b.h1().arp());
            assertEquals(Optional.of(b.h1().mac()), b.h2().arpEntry(b.h1().ip()), "h2 resolved h1 by ARP: " + b.h2().arp());

            Wait.until(Duration.ofSeconds(5), () -> b.vtep1().remoteVtepOf(b.h2().mac()), Optional.of(VTEP2_IP)::equals,
                "vtep1 FDB: h2's MAC " + b.h2().mac() + " behind " + VTEP2_IP);
            Wait.until(Duration.ofSeconds(5), () -> b.vtep2().remoteVtepOf(b.h1().mac()), Optional.of(VTEP1_IP)::equals,
                "vtep2 FDB: h1's MAC " + b.h1().mac() + " behind " + VTEP1_IP);
            BridgeFdbEntry learned = b.vtep1().remoteEntries().stream().filter(e -> e.mac().equals(b.h2().mac())).findFirst().orElseThrow();
            assertTrue(learned.isLearned() && learned.flags().contains("self"), "learned, on the vxlan device: " + learned);

            List<VxlanRecord> packets = underlay.vxlan();
            assertFalse(packets.isEmpty(), "VXLAN packets on the underlay");
            for (VxlanRecord p : packets)
            {
                assertEquals(VNI, p.vni(), p.toString());
                assertEquals(4789, p.udpDstPort(), p.toString());
                assertTrue(p.vniValid(), "I flag set: " + p);
                assertTrue(p.udpSrcPort() > 0, p.toString());
            }
            // The ARP request is flooded head-end to the flood list: one copy to vtep2.
            assertTrue(packets.stream().anyMatch(p -> p.innerHas("arp") && "ff:ff:ff:ff:ff:ff".equals(p.innerDstMac()) && p.outerSrcIp().equals(
                VTEP1_IP) && p.outerDstIp().equals(VTEP2_IP) && p.innerSrcMac().equals(b.h1().mac())),
                "flooded ARP request from h1 in " + packets);
            long requests = packets.stream().filter(p -> p.innerHas("icmp") && p.innerSrcMac().equals(b.h1().mac()) && p.innerDstMac().equals(b.h2()
                .mac()) && p.outerSrcIp().equals(VTEP1_IP)).count();
            long replies = packets.stream().filter(p -> p.innerHas("icmp") && p.innerSrcMac().equals(b.h2().mac()) && p.innerDstMac().equals(b.h1()
                .mac()) && p.outerSrcIp().equals(VTEP2_IP)).count();
            assertEquals(3, requests, "echo requests h1 -> h2 encapsulated by vtep1: " + packets);
            assertEquals(3, replies, "echo replies h2 -> h1 encapsulated by vtep2: " + packets);
            assertTrue(packets.stream().allMatch(p -> p.innerEthertype() == 0x0800 || p.innerEthertype() == 0x0806), packets.toString());
        }
    }

    @Test
    void withoutLearningTheVxlanDeviceKeepsOnlyTheFloodList()
    {
        try (Topology topo = Topology.create())
        {
            Baseline b = build(topo, false);

            assertTrue(b.h1().ping(b.h2().ip(), 3).allReceived());

            // Unknown unicast is flooded to the flood list, so traffic flows, but nothing is learned.
            assertEquals(List.of(), b.vtep1().remoteEntries(), "vtep1 learned nothing");
            assertEquals(List.of(VTEP2_IP), b.vtep1().floodList());
            // The bridge above still learns h2's MAC on its vxlan port (master br0, no dst).
            assertTrue(b.vtep1().fdb().stream().anyMatch(e -> e.mac().equals(b.h2().mac()) && "br0".equals(e.master())),
                "bridge learned h2 on the vxlan port: " + b.vtep1().fdb());

            b.vtep1().learning(true);
            b.vtep2().learning(true);
            b.h1().flushArp();
            assertTrue(b.h1().ping(b.h2().ip(), 2).allReceived());
            Wait.until(Duration.ofSeconds(5), () -> b.vtep1().remoteVtepOf(b.h2().mac()), Optional.of(VTEP2_IP)::equals,
                "vtep1 learns h2 once learning is switched on");
        }
    }

    @Test
    void staticEntrySendsUnicastStraightToItsVtep()
    {
        try (Topology topo = Topology.create())
        {
            Baseline b = build(topo, false);
            b.vtep1().addStaticEntry(b.h2().mac(), VTEP2_IP);
            b.vtep2().addStaticEntry(b.h1().mac(), VTEP1_IP);

            assertTrue(b.h1().ping(b.h2().ip(), 3).allReceived());

            BridgeFdbEntry entry = b.vtep1().remoteEntries().getFirst();
            assertEquals(b.h2().mac(), entry.mac());
            assertEquals(VTEP2_IP, entry.dst());
            assertEquals("permanent", entry.state());
        }
    }

    @Test
    void iperf3TcpAcrossTheOverlay()
    {
        try (Topology topo = Topology.create())
        {
            Baseline b = build(topo, true);
            b.h2().iperf3Server();

            Iperf3Result r = b.h1().iperf3Client(b.h2().ip(), 2);

            assertTrue(r.sentBytes() > 1_000_000, r.toString());
            assertTrue(r.receivedBytes() > 1_000_000, r.toString());
            assertTrue(r.receivedBitsPerSecond() > 1e6, r.toString());
            assertTrue(r.retransmits() >= 0, "TCP run reports retransmits: " + r);
        }
    }

    @Test
    void iperf3UdpAcrossTheOverlay()
    {
        try (Topology topo = Topology.create())
        {
            Baseline b = build(topo, true);
            b.h2().iperf3Server();

            // UDP datagrams must fit the overlay: the vxlan device (and so br0) has MTU 1450, and
            // the kernel VTEP answers bigger frames with ICMP "fragmentation needed", after which
            // iperf3's default 1460-byte datagrams fail with EMSGSIZE.
            Iperf3Result r = b.h1().iperf3Client(b.h2().ip(), 1, List.of("-u", "-b", "20M", "-l", "1400"));

            assertTrue(r.receivedBytes() > 0, r.toString());
            assertTrue(r.lostPackets() >= 0, "UDP run reports lost packets: " + r);
            assertEquals(-1, r.retransmits(), r.toString());
        }
    }

    @Test
    void taggedFrameFromScapyCrossesKernelVtepWithItsTag()
    {
        Requirements.requireScapy();
        try (Topology topo = Topology.create())
        {
            Baseline b = build(topo, false);
            Tshark underlay = topo.capture(b.vtep1().netns(), "ul0", "udp port 4789");
            Tshark atH2 = topo.capture(b.h2().netns(), "eth0", "vlan");

            // Linux here has no 802.1Q devices: the tagged frame is built by hand.
            b.h1().sendScapyFrame("Ether(src='" + b.h1().mac() + "', dst='ff:ff:ff:ff:ff:ff')/Dot1Q(vlan=10)" + "/ARP(hwsrc='" + b.h1().mac() +
                "', psrc='10.0.0.1', pdst='10.0.0.2')", 2);

            List<VxlanRecord> encapsulated = underlay.vxlan();
            assertEquals(2, encapsulated.size(), encapsulated.toString());
            for (VxlanRecord p : encapsulated)
            {
                assertEquals(10, p.innerVlanId(), "the tag travels inside the VXLAN packet: " + p);
                assertEquals(0x8100, p.innerEthertype(), p.toString());
                assertTrue(p.innerHas("arp"), p.toString());
                assertEquals(b.h1().mac(), p.innerSrcMac());
            }
            List<java.util.Map<String, String>> delivered = atH2.fields("arp", "vlan.id", "eth.src");
            assertEquals(2, delivered.size(), delivered.toString());
            assertEquals("10", delivered.getFirst().get("vlan.id"));
        }
    }

    @Test
    void rawFrameBytesAreSentAsGiven()
    {
        Requirements.requireScapy();
        try (Topology topo = Topology.create())
        {
            Netns a = topo.namespace("a");
            Netns z = topo.namespace("z");
            topo.link(a, "eth0", z, "eth0");
            Host host = new Host(a, "eth0", "10.9.0.1/24");
            Tshark cap = topo.capture(z, "eth0", null);
            byte[] frame = java.util.HexFormat.of().parseHex(
                "02000000000b" + "02000000000a" + "8100" + "0064" + "88b5" + "00".repeat(46));

            host.sendRawFrame("eth0", frame, 3);

            List<java.util.Map<String, String>> rows = cap.fields(null, "eth.src", "vlan.id", "vlan.etype", "frame.len");
            assertEquals(3, rows.size(), rows.toString());
            assertEquals("02:00:00:00:00:0a", rows.getFirst().get("eth.src"));
            assertEquals("100", rows.getFirst().get("vlan.id"));
            assertEquals("0x88b5", rows.getFirst().get("vlan.etype"));
            assertEquals(Integer.toString(frame.length), rows.getFirst().get("frame.len"));
        }
    }

    @Test
    void multicastModeFloodsToTheGroup()
    {
        try (Topology topo = Topology.create())
        {
            Netns ns1 = topo.namespace("vtep1");
            Netns ns2 = topo.namespace("vtep2");
            topo.underlayLink(ns1, VTEP1_IP + "/24", ns2, VTEP2_IP + "/24");
            KernelVtep vtep1 = topo.kernelVtep(ns1).vni(VNI).localIp(VTEP1_IP).multicastGroup("239.1.1.100", "ul0").learning(true).create();
            KernelVtep vtep2 = topo.kernelVtep(ns2).vni(VNI).localIp(VTEP2_IP).multicastGroup("239.1.1.100", "ul0").learning(true).create();
            Host h1 = topo.host("h1", "10.0.0.1/24", ns1, "eth1");
            Host h2 = topo.host("h2", "10.0.0.2/24", ns2, "eth1");
            vtep1.attach("eth1");
            vtep2.attach("eth1");
            Tshark underlay = topo.capture(ns1, "ul0", "udp port 4789");

            assertTrue(h1.ping(h2.ip(), 3).allReceived());

            List<VxlanRecord> packets = underlay.vxlan();
            assertTrue(packets.stream().anyMatch(p -> p.innerHas("arp") && p.outerDstIp().equals("239.1.1.100")),
                "broadcast goes to the multicast group: " + packets);
            assertTrue(packets.stream().anyMatch(p -> p.innerHas("icmp") && p.outerDstIp().equals(VTEP2_IP)),
                "unicast goes to the learned VTEP: " + packets);
            assertEquals(Optional.of(VTEP2_IP), vtep1.remoteVtepOf(h2.mac()));
        }
    }

    @Test
    void ipv6Underlay()
    {
        try (Topology topo = Topology.create())
        {
            Netns ns1 = topo.namespaceWithIpv6("vtep1");
            Netns ns2 = topo.namespaceWithIpv6("vtep2");
            topo.underlayLink(ns1, "2001:db8::1/64", ns2, "2001:db8::2/64");
            KernelVtep vtep1 = topo.kernelVtep(ns1).vni(VNI).localIp("2001:db8::1").create();
            KernelVtep vtep2 = topo.kernelVtep(ns2).vni(VNI).localIp("2001:db8::2").create();
            Host h1 = topo.host("h1", "10.0.0.1/24", ns1, "eth1");
            Host h2 = topo.host("h2", "10.0.0.2/24", ns2, "eth1");
            vtep1.attach("eth1");
            vtep2.attach("eth1");
            vtep1.addFloodEntry("2001:db8::2");
            vtep2.addFloodEntry("2001:db8::1");
            Tshark underlay = topo.capture(ns1, "ul0", "udp port 4789");

            assertTrue(h1.ping(h2.ip(), 3).allReceived());

            List<VxlanRecord> packets = underlay.vxlan();
            assertTrue(packets.stream().anyMatch(p -> p.innerHas("icmp") && p.outerSrcIp().equals("2001:db8::1") && p.outerDstIp().equals(
                "2001:db8::2") && p.vni() == VNI), packets.toString());
        }
    }
}
