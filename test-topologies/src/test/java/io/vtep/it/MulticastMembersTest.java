package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vtep.encap.VtepAddress;
import io.vtep.fdb.VniFdb;
import io.vtep.metrics.DropReason;
import io.vtep.topology.Host;
import io.vtep.topology.Netns;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Tshark;
import io.vtep.topology.Wait;

/**
 * Source checks on a multicast VNI (issue 15): with {@code accept-from: members}, the VTEPs that
 * send to the VNI's group become its members, and their unicast VXLAN is accepted; a VTEP that
 * sends unicast VXLAN into the VNI without ever sending to the group is dropped as
 * {@code not_vni_member}.
 *
 * <pre>
 *                         underlay bridge (namespace "ul")
 *        ┌──────────────────┬─────────┴────────┬──────────────────┐
 *  [vtep 192.0.2.1]   [kA 192.0.2.2]     [kB 192.0.2.3]     [kS 192.0.2.4]
 *   h1 10.0.100.1      h2 .2               h3 .3               hs .66
 *   group 239.1.1.100  group 239.1.1.100   group 239.1.1.100   no group: unicast flood entry to vtep
 * </pre>
 */
class MulticastMembersTest extends TopologyTest
{
    private static final String GROUP = "239.1.1.100";

    @Override
    protected void requirements()
    {
        Requirements.requireTools("ping", "tshark");
    }

    @Test
    void vtepsThatSendToTheGroupAreMembersAndAUnicastOnlySpooferIsDropped() throws Exception
    {
        final List<Netns> vteps = switchedUnderlay("vtep", "ka", "kb", "ks");
        final Netns vtepNs = vteps.get(0);
        final Netns kS = vteps.get(3);
        final Host h1 = topology.host("h1", "10.0.100.1/24", vtepNs, "acc1");
        final Host h2 = memberHost(vteps.get(1), "192.0.2.2", "h2", "10.0.100.2/24");
        final Host h3 = memberHost(vteps.get(2), "192.0.2.3", "h3", "10.0.100.3/24");
        // The spoofer: a VTEP of the same VNI that sends head-end unicast to vtep, never to the group.
        topology.kernelVtep(kS).vni(100).localIp("192.0.2.4").learning(true).bridge("br100").create().addFloodEntry("192.0.2.1");
        final Host hs = topology.host("hs", "10.0.100.66/24", kS, "acc100");
        kS.enslave("acc100", "br100");
        vxlanMtu(h1, h2, h3, hs);
        final InProcessVtep vtep = InProcessVtep.start(topology, vtepNs, """
            vtep: { local-ip: 192.0.2.1 }
            ports: [ { name: acc1, vlans: { untagged: 100 } } ]
            vnis: [ { vni: 100, multicast-group: 239.1.1.100, accept-from: members } ]
            """);
        final VniFdb vni = vtep.fdb().vni(100);

        // kA and kB each send an ARP request to the group first (their hosts start), which makes
        // them members: the data path queues the membership and the FDB writer sets it, so a unicast
        // that follows within microseconds (the echo right after the ARP answer) can still find it
        // unset and be dropped; this waits for the writer, then every exchange must go through.
        h2.ping("10.0.100.1", 1);
        h3.ping("10.0.100.1", 1);
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (vni.groupMemberCount() < 2 && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        final PingResult fromH2 = h2.ping("10.0.100.1", 3);
        assertEquals(3, fromH2.received(), () -> "kA sent to the group, so it is a member: " + fromH2 + "\n" + topology.diagnostics());
        final PingResult fromH3 = h3.ping("10.0.100.1", 3);
        assertEquals(3, fromH3.received(), () -> "kB likewise: " + fromH3 + "\n" + topology.diagnostics());
        assertTrue(vni.isGroupMember(vtep.fdb().remoteVteps().find(VtepAddress.parse("192.0.2.2"))));
        assertTrue(vni.isGroupMember(vtep.fdb().remoteVteps().find(VtepAddress.parse("192.0.2.3"))));
        assertEquals(2, vni.groupMemberCount());
        // and both ways: vtep's host to the members' hosts
        assertTrue(h1.ping("10.0.100.2", 2).allReceived(), "h1 → h2");
        assertTrue(h1.ping("10.0.100.3", 2).allReceived(), "h1 → h3");
        final long droppedBefore = vtep.drops(100, DropReason.NOT_VNI_MEMBER);

        // The spoofer's host ARPs for h1: kS sends each request as unicast VXLAN to vtep.
        final Tshark atH1 = topology.capture(h1.netns(), "eth0", "ether src " + hs.mac());
        final PingResult fromSpoofer = hs.ping("10.0.100.1", 2);
        Wait.until(Duration.ofSeconds(5), () -> vtep.drops(100, DropReason.NOT_VNI_MEMBER) > droppedBefore,
            "vtep to count kS's unicast VXLAN as not_vni_member");
        assertEquals(0, fromSpoofer.received(), () -> "nothing from a VTEP that never sent to the group: " + fromSpoofer);
        assertEquals(0, atH1.packetCount(), "no frame of the spoofer's host reaches h1");
        assertNull(vtep.entry(100, hs.mac()), "and it taught vtep no MAC");
        assertNull(vtep.fdb().remoteVteps().find(VtepAddress.parse("192.0.2.4")), "nor entered the remote VTEP table");
        assertEquals(2, vni.groupMemberCount());

        assertTrue(h2.ping("10.0.100.1", 2).allReceived(), "the members still forward");
    }

    private Host memberHost(final Netns ns, final String localIp, final String name, final String cidr)
    {
        topology.kernelVtep(ns).vni(100).localIp(localIp).learning(true)
            .multicastGroup(GROUP, "ul0").bridge("br100").create();
        final Host host = topology.host(name, cidr, ns, "acc100");
        ns.enslave("acc100", "br100");
        return host;
    }
}
