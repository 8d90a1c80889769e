package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.metrics.DropReason;
import io.vtep.topology.Host;
import io.vtep.topology.KernelVtep;
import io.vtep.topology.Netns;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Tshark;

/**
 * Cross-VNI injection (issue 15, failure 8): a VTEP that belongs only to a data-plane VNI sends
 * into an EVPN VNI (and into a VNI whose flood list leaves it out); its frames must not reach that
 * VNI's hosts, and are counted as {@code not_vni_member}. The legitimate VTEPs of both VNIs still work.
 *
 * <pre>
 *                      underlay bridge (namespace "ul")
 *        ┌────────────────────┼─────────────────────┐
 *  [vtep 192.0.2.1]     [kA 192.0.2.2]         [kB 192.0.2.3]
 *   acc1: VNI 100        VNI 100: h2            VNI 200: h3
 *   acc2: VNI 200        VNI 200: hx (the injector's host)
 *   acc3: VNI 300        VNI 300: hx too (second bridge port)
 * </pre>
 *
 * vtep: VNI 100 data-plane, flood [kA]; VNI 200 learning evpn, flood [kB]; VNI 300 data-plane,
 * flood [kB]. kA is a member of VNI 100 only, yet sends into 200 and 300 (its own flood entries
 * point at vtep), as a misconfigured or malicious VTEP would. All defaults: no accept-from key.
 */
class VniSourceCheckTest extends TopologyTest
{
    private Host h1;
    private Host h2;
    private Host h3;
    private Host h4;
    private Host h5;
    private Host hx;
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
        final Netns vtepNs = vteps.get(0);
        final Netns kA = vteps.get(1);
        final Netns kB = vteps.get(2);
        h1 = topology.host("h1", "10.0.100.1/24", vtepNs, "acc1");
        h4 = topology.host("h4", "10.0.200.4/24", vtepNs, "acc2");
        h5 = topology.host("h5", "10.0.200.5/24", vtepNs, "acc3");

        kernelVni(kA, "192.0.2.2", 100, "br100");
        h2 = topology.host("h2", "10.0.100.2/24", kA, "acc100");
        kA.enslave("acc100", "br100");
        // kA's rogue side: VNI 200 and 300 devices on one bridge, both flooding to vtep.
        kernelVni(kA, "192.0.2.2", 200, "brx");
        kernelVni(kA, "192.0.2.2", 300, "brx");
        hx = topology.host("hx", "10.0.200.66/24", kA, "accx");
        kA.enslave("accx", "brx");

        kernelVni(kB, "192.0.2.3", 200, "br200");
        h3 = topology.host("h3", "10.0.200.3/24", kB, "acc200");
        kB.enslave("acc200", "br200");
        vxlanMtu(h1, h2, h3, h4, h5, hx);
        vtep = InProcessVtep.start(topology, vtepNs, """
            vtep: { local-ip: 192.0.2.1 }
            ports:
              - { name: acc1, vlans: { untagged: 100 } }
              - { name: acc2, vlans: { untagged: 200 } }
              - { name: acc3, vlans: { untagged: 300 } }
            vnis:
              - { vni: 100, flood: [192.0.2.2] }
              - { vni: 200, learning: evpn, flood: [192.0.2.3] }
              - { vni: 300, flood: [192.0.2.3] }
            """);
    }

    private void kernelVni(final Netns ns, final String localIp, final int vni, final String bridge)
    {
        final KernelVtep kernel = topology.kernelVtep(ns).vni(vni).localIp(localIp).learning(true).bridge(bridge).create();
        kernel.addFloodEntry("192.0.2.1");
    }

    @Test
    void aVtepOfOneVniCannotInjectIntoAnotherAndTheMembersStillForward()
    {
        // The legitimate VTEPs: kA in VNI 100 (so vtep knows it: it is in the remote VTEP table),
        // kB in the EVPN VNI 200.
        final PingResult legit100 = h1.ping("10.0.100.2", 3);
        assertEquals(3, legit100.received(), () -> "kA is a member of VNI 100: " + legit100 + "\n" + topology.diagnostics());
        final PingResult legit200 = h4.ping("10.0.200.3", 3);
        assertEquals(3, legit200.received(), () -> "kB is a member of VNI 200: " + legit200 + "\n" + topology.diagnostics());

        final long dropped200 = vtep.drops(200, DropReason.NOT_VNI_MEMBER);
        final long dropped300 = vtep.drops(300, DropReason.NOT_VNI_MEMBER);
        final String injector = hx.mac();
        final Tshark at200 = topology.capture(h4.netns(), "eth0", "ether src " + injector);
        final Tshark at300 = topology.capture(h5.netns(), "eth0", "ether src " + injector);
        // 20 broadcasts from hx: kA floods each into VNI 200 and VNI 300 towards vtep.
        hx.sendScapyFrame("Ether(src='%s', dst='ff:ff:ff:ff:ff:ff', type=0x88b5)/Raw(b'cross-vni' * 6)".formatted(injector), 20);

        io.vtep.topology.Wait.until(java.time.Duration.ofSeconds(5),
            () -> vtep.drops(200, DropReason.NOT_VNI_MEMBER) - dropped200 >= 20 &&
                vtep.drops(300, DropReason.NOT_VNI_MEMBER) - dropped300 >= 20,
            "vtep to count kA's frames in VNIs 200 and 300 as not_vni_member");
        final int delivered200 = at200.packetCount();
        final int delivered300 = at300.packetCount();
        assertEquals(0, delivered200, "nothing from kA reaches the EVPN VNI's host");
        assertEquals(0, delivered300, "nothing from kA reaches a VNI whose flood list leaves it out");
        assertEquals(null, vtep.entry(300, injector), "and kA taught vtep no MAC there");

        // The members still forward after the injection.
        assertTrue(h4.ping("10.0.200.3", 2).allReceived(), "VNI 200 still works");
        assertTrue(h1.ping("10.0.100.2", 2).allReceived(), "VNI 100 still works");
    }
}
