package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vtep.metrics.DropReason;
import io.vtep.topology.ExecResult;
import io.vtep.topology.Host;
import io.vtep.topology.KernelVtep;
import io.vtep.topology.Netns;
import io.vtep.topology.Requirements;
import io.vtep.topology.Tshark;
import io.vtep.topology.VxlanRecord;
import io.vtep.topology.Wait;

/**
 * Two VNIs on one access port by 802.1Q VLAN (issue proof 3): untagged → VNI 100, VLAN 10 → VNI 200,
 * and both VNIs' hosts use the same IP addresses. This kernel has no VLAN devices, so the tagged
 * host's frames are built with scapy on the trunk host (docs/architecture.md §8).
 *
 * <pre>
 *  trunk host: untagged 10.0.0.1 (its own MAC) + VLAN 10 "10.0.0.1" (MAC 02:10:00:00:00:01, scapy)
 *     └─acc1─ [vtep 192.0.2.1] ── [kernel 192.0.2.2: vxlan100+br0 ─ h100 10.0.0.2, vxlan200+br1 ─ h200 10.0.0.2]
 * </pre>
 */
class VlanTest extends TopologyTest
{
    private static final String TAGGED_MAC = "02:10:00:00:00:01";

    @Override
    protected void requirements()
    {
        Requirements.requireTools("ping", "tshark");
        Requirements.requireScapy();
    }

    @Test
    void eachVlanReachesOnlyItsOwnVnisPeer() throws Exception
    {
        final Netns vtepNs = topology.namespace("vtep");
        final Netns kernelNs = topology.namespace("kvtep");
        topology.underlayLink(vtepNs, "192.0.2.1/24", kernelNs, "192.0.2.2/24");
        final Host trunk = topology.host("trunk", "10.0.0.1/24", vtepNs, "acc1");
        final KernelVtep k100 = topology.kernelVtep(kernelNs).vni(100).localIp("192.0.2.2").learning(true).create();
        final KernelVtep k200 = topology.kernelVtep(kernelNs).vni(200).localIp("192.0.2.2").learning(true).bridge("br1").create();
        final Host h100 = topology.host("h100", "10.0.0.2/24", kernelNs, "acc100");
        final Host h200 = topology.host("h200", "10.0.0.2/24", kernelNs, "acc200");
        kernelNs.enslave("acc100", "br0");
        kernelNs.enslave("acc200", "br1");
        k100.addFloodEntry("192.0.2.1");
        k200.addFloodEntry("192.0.2.1");

        final InProcessVtep vtep = InProcessVtep.start(topology, vtepNs, """
            vtep: { local-ip: 192.0.2.1 }
            ports:
              - name: acc1
                vlans: { untagged: 100, 10: 200 }
            vnis:
              - { vni: 100, flood: [192.0.2.2] }
              - { vni: 200, flood: [192.0.2.2] }
            """);
        final Tshark capture = topology.capture(kernelNs, "ul0", "udp port 4789");

        // Untagged: the trunk host's own stack reaches VNI 100's 10.0.0.2, which is h100.
        assertTrue(trunk.ping("10.0.0.2", 3).allReceived(), () -> topology.diagnostics());
        assertEquals(h100.mac(), trunk.arpEntry("10.0.0.2").orElseThrow(), "untagged 10.0.0.2 is VNI 100's host");

        // VLAN 10: an ARP request for the same 10.0.0.2 must be answered by h200, tagged with VLAN 10.
        final ExecResult arp = trunk.scapy("""
            conf.use_pcap = False
            ans, _ = srp(Ether(src='%s', dst='ff:ff:ff:ff:ff:ff')/Dot1Q(vlan=10)/ARP(op=1, hwsrc='%s', psrc='10.0.0.1', pdst='10.0.0.2'),
                         iface='eth0', timeout=5, verbose=False)
            for _, r in ans:
                print('reply', r[Ether].src, r[Dot1Q].vlan if Dot1Q in r else 'untagged', r[ARP].hwsrc)
            """.formatted(TAGGED_MAC, TAGGED_MAC));
        assertTrue(arp.stdout().contains("reply " + h200.mac() + " 10 " + h200.mac()),
            () -> "expected h200's ARP reply on VLAN 10, scapy printed: " + arp.stdout() + arp.stderr());
        assertFalse(arp.stdout().contains(h100.mac()), "VNI 100's host never answers on VLAN 10");

        // A tagged ICMP echo to h200 comes back tagged.
        final ExecResult echo = trunk.scapy("""
            ans, _ = srp(Ether(src='%s', dst='%s')/Dot1Q(vlan=10)/IP(src='10.0.0.1', dst='10.0.0.2')/ICMP(id=7, seq=1),
                         iface='eth0', timeout=5, verbose=False)
            for _, r in ans:
                print('echo-reply', r[Dot1Q].vlan if Dot1Q in r else 'untagged', r[Ether].src)
            """.formatted(TAGGED_MAC, h200.mac()));
        assertTrue(echo.stdout().contains("echo-reply 10 " + h200.mac()), () -> "scapy printed: " + echo.stdout() + echo.stderr());

        assertEquals("local acc1", vtep.entry(100, trunk.mac()));
        assertEquals("local acc1.10", vtep.entry(200, TAGGED_MAC));
        assertNull(vtep.entry(100, TAGGED_MAC), "the tagged host is unknown in VNI 100");
        assertNull(vtep.entry(200, trunk.mac()), "the untagged host is unknown in VNI 200");
        assertEquals("remote 192.0.2.2", vtep.entry(100, h100.mac()));
        assertEquals("remote 192.0.2.2", vtep.entry(200, h200.mac()));
        assertTrue(h100.arp().stream().noneMatch(n -> TAGGED_MAC.equals(n.mac())), "h100 never heard of the VLAN 10 host");
        assertTrue(h200.arp().stream().noneMatch(n -> trunk.mac().equals(n.mac())), "h200 never heard of the untagged host");
        assertTrue(k200.remoteVtepOf(trunk.mac()).isEmpty() && k100.remoteVtepOf(TAGGED_MAC).isEmpty());

        // A VLAN the port does not map is dropped and counted.
        trunk.sendScapyFrame("Ether(src='02:10:00:00:00:02', dst='ff:ff:ff:ff:ff:ff')/Dot1Q(vlan=99)/ARP(pdst='10.0.0.2')", 3);
        Wait.until(Duration.ofSeconds(5), () -> vtep.drops(DropReason.UNKNOWN_VLAN) == 3, "3 unknown_vlan drops");

        // On the wire, each host's frames carry its own VNI and no tag.
        final List<VxlanRecord> packets = capture.vxlan();
        for (final VxlanRecord packet : packets)
        {
            if (packet.innerSrcMac().equals(TAGGED_MAC))
            {
                assertEquals(200, packet.vni(), packet::toString);
            }
            if (packet.innerSrcMac().equals(trunk.mac()))
            {
                assertEquals(100, packet.vni(), packet::toString);
            }
            assertTrue(packet.innerVlanId() <= 0, () -> "the inner frame carries no 802.1Q tag: " + packet);
        }
        assertTrue(packets.stream().anyMatch(p -> p.innerSrcMac().equals(TAGGED_MAC)), "VLAN 10 traffic was captured");
    }
}
