package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.fdb.Origin;
import io.vtep.topology.Host;
import io.vtep.topology.KernelVtep;
import io.vtep.topology.Netns;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Tshark;
import io.vtep.topology.VxlanRecord;
import io.vtep.topology.Wait;

/**
 * vtep and two Linux kernel VTEPs on one underlay segment (issue proofs 4 and 7): broadcast is
 * replicated to both, unicast goes only to the owner of the MAC, and a host that moves from one
 * kernel VTEP to the other is followed at once.
 *
 * <pre>
 *            underlay bridge (namespace "ul")
 *        ┌──────────────┼──────────────┐
 *  [vtep 192.0.2.1]  [kA 192.0.2.2]  [kB 192.0.2.3]
 *        │               │               │
 *    h1 10.0.0.1     h2 10.0.0.2     h3 10.0.0.3
 * </pre>
 */
class ThreeVtepTest extends TopologyTest
{
    private Netns vtepNs;
    private Host h1;
    private Host h2;
    private Host h3;
    private InProcessVtep vtep;

    @Override
    protected void requirements()
    {
        Requirements.requireTools("ping", "tshark");
        Requirements.requireScapy();
    }

    @BeforeEach
    void build() throws Exception
    {
        final List<Netns> vteps = switchedUnderlay("vtep", "ka", "kb");
        vtepNs = vteps.get(0);
        h1 = topology.host("h1", "10.0.0.1/24", vtepNs, "acc1");
        h2 = kernelSide(vteps.get(1), "192.0.2.2", "10.0.0.2/24", "h2", "192.0.2.1", "192.0.2.3");
        h3 = kernelSide(vteps.get(2), "192.0.2.3", "10.0.0.3/24", "h3", "192.0.2.1", "192.0.2.2");
        vxlanMtu(h1, h2, h3);
        vtep = InProcessVtep.start(topology, vtepNs, """
            vtep: { local-ip: 192.0.2.1 }
            ports: [ { name: acc1, vlans: { untagged: 100 } } ]
            vnis: [ { vni: 100, flood: [192.0.2.2, 192.0.2.3] } ]
            """);
    }

    private Host kernelSide(final Netns ns, final String localIp, final String hostCidr, final String hostRole,
        final String... flood)
    {
        final KernelVtep kernel = topology.kernelVtep(ns).vni(100).localIp(localIp).learning(true).create();
        for (final String remote : flood)
        {
            kernel.addFloodEntry(remote);
        }
        final Host host = topology.host(hostRole, hostCidr, ns, "acc0");
        ns.enslave("acc0", kernel.bridge());
        return host;
    }

    @Test
    void broadcastReachesBothKernelVtepsThenUnicastOnlyTheOwner()
    {
        final Tshark learning = topology.capture(vtepNs, "ul0", "udp port 4789 and src host 192.0.2.1");
        final PingResult first = h1.ping("10.0.0.2", 1);
        assertEquals(1, first.received(), () -> first + "\n" + topology.diagnostics());
        assertTrue(h1.ping("10.0.0.3", 1).allReceived());
        final Set<String> broadcastTargets = learning.vxlan().stream()
            .filter(p -> p.innerDstMac().equals("ff:ff:ff:ff:ff:ff")).map(VxlanRecord::outerDstIp).collect(Collectors.toSet());
        assertEquals(Set.of("192.0.2.2", "192.0.2.3"), broadcastTargets, "the ARP broadcasts were replicated to both VTEPs");
        assertEquals("remote 192.0.2.2", vtep.entry(100, h2.mac()));
        assertEquals("remote 192.0.2.3", vtep.entry(100, h3.mac()));

        // Now that both MACs are learned, unicast goes to one VTEP each.
        final Tshark known = topology.capture(vtepNs, "ul0", "udp port 4789 and src host 192.0.2.1");
        assertTrue(h1.ping("10.0.0.2", 3).allReceived());
        assertTrue(h1.ping("10.0.0.3", 2).allReceived());
        final List<VxlanRecord> fromVtep = known.vxlan();
        final List<VxlanRecord> toH2 = fromVtep.stream().filter(p -> p.innerDstMac().equals(h2.mac())).toList();
        assertEquals(3, toH2.size(), () -> "unicast to h2: " + fromVtep);
        assertTrue(toH2.stream().allMatch(p -> p.outerDstIp().equals("192.0.2.2")), () -> "unicast to h2 went only to kA: " + toH2);
        final List<VxlanRecord> toH3 = fromVtep.stream().filter(p -> p.innerDstMac().equals(h3.mac())).toList();
        assertEquals(2, toH3.size(), () -> "unicast to h3: " + fromVtep);
        assertTrue(toH3.stream().allMatch(p -> p.outerDstIp().equals("192.0.2.3")), () -> "unicast to h3 went only to kB: " + toH3);
    }

    @Test
    void hostMovingFromOneRemoteVtepToAnotherIsFollowedAtOnce()
    {
        final String movingMac = h2.mac();
        assertTrue(h1.ping("10.0.0.2", 2).allReceived(), () -> topology.diagnostics());
        assertEquals("remote 192.0.2.2", vtep.entry(100, movingMac));
        final long movesBefore = vtep.appliance().fdb().vni(100).macMoves();

        // The server moves: it disappears behind kA and reappears, same MAC and IP, behind kB.
        h2.netns().down("eth0");
        h3.netns().ip("addr", "flush", "dev", "eth0");
        h3.setMac(movingMac);
        h3.netns().addAddress("eth0", "10.0.0.2/24");
        // Its first frame after the move (a gratuitous ARP, as a hypervisor sends) teaches the overlay.
        h3.sendScapyFrame(
            "Ether(src='%s', dst='ff:ff:ff:ff:ff:ff')/ARP(op=2, hwsrc='%s', psrc='10.0.0.2', hwdst='ff:ff:ff:ff:ff:ff', pdst='10.0.0.2')"
                .formatted(movingMac, movingMac), 1);

        Wait.until(Duration.ofSeconds(3), () -> "remote 192.0.2.3".equals(vtep.entry(100, movingMac)), "the MAC to follow the move to kB");
        assertEquals(Origin.REMOTE, vtep.origin(100, movingMac));
        assertEquals(movesBefore + 1, vtep.appliance().fdb().vni(100).macMoves(), "the move is counted");
        final PingResult after = h1.ping("10.0.0.2", 3);
        assertEquals(3, after.received(), () -> "traffic follows at once: " + after);
    }
}
