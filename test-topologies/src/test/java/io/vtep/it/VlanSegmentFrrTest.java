package io.vtep.it;

import static io.vtep.it.MultihomingTopology.GW1;
import static io.vtep.it.MultihomingTopology.GW2;
import static io.vtep.it.MultihomingTopology.TIMEOUT;
import static io.vtep.it.MultihomingTopology.dfKnown;
import static io.vtep.it.MultihomingTopology.isDf;
import static io.vtep.it.MultihomingTopology.segments;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import io.vtep.topology.FrrRouter;
import io.vtep.topology.Host;
import io.vtep.topology.Netns;
import io.vtep.topology.Requirements;
import io.vtep.topology.Wait;

/**
 * Ethernet segments per port+VLAN ({@code vlan-segments}, RFC 7432 §5/§8) against real FRR: two vtep
 * gateways, each with one access port to the server carrying VLAN 10 (VNI 100) and VLAN 20 (VNI
 * 200), each VLAN its own segment with its own ESI; by DF preference (RFC 8584 §4) gw1 is the DF of
 * VLAN 10's segment and gw2 of VLAN 20's. FRR (route reflector, a kernel VTEP and a host per VNI)
 * is the remote VTEP.
 *
 * <pre>
 *                       ┌─eth0 ─ acc1 [gw1 192.0.2.1: VLAN 10 DF] ─┐
 *  server (br0, eth0 and eth1 isolated) ─┤                               sw0 ── [FRR 192.0.2.2] ─ h2 (VNI 100), h3 (VNI 200)
 *                       └─eth1 ─ acc1 [gw2 192.0.2.3: VLAN 20 DF] ─┘
 * </pre>
 *
 * Checked: FRR holds both gateways' type-4 and type-1 routes of both ESIs; each gateway's
 * {@code /api/v1/es} lists both segments with their VLAN and their own DF; a broadcast from the
 * remote side reaches the server once per VLAN, tagged with that VLAN, from that VLAN's DF; the
 * server's own tagged broadcast is not echoed back onto the segment (local bias on the VLAN's
 * attachment); gw1's port down takes both of its segments down, FRR keeps gw2 alone on both ESIs,
 * and gw2, DF of both, sends VLAN 10 its copy.
 */
class VlanSegmentFrrTest extends TopologyTest
{
    private static final List<String> LINKS = List.of("eth0", "eth1");
    private static final String ESI_10 = "00:11:22:33:44:55:66:77:88:10";
    private static final String ESI_20 = "00:11:22:33:44:55:66:77:88:20";
    private static final int VNI_20 = 200;

    @Override
    protected void requirements()
    {
        Requirements.requireTopology("tshark", "bridge");
        Requirements.requireScapy();
        FrrRouter.requireFrr();
    }

    /** {@code acc1} with VLAN 10 and 20, each its own segment, with this gateway's DF preference in each. */
    private static String portYaml(final int preference10, final int preference20)
    {
        return """
            vlans: { 10: %d, 20: %d }
            vlan-segments:
              10: { esi: "%s", df-algorithm: preference, df-preference: %d, df-election-seconds: 1 }
              20: { esi: "%s", df-algorithm: preference, df-preference: %d, df-election-seconds: 1 }
            """.formatted(MultihomingTopology.VNI, VNI_20, ESI_10, preference10, ESI_20, preference20);
    }

    @Test
    void eachVlanIsItsOwnSegmentWithItsOwnDesignatedForwarder() throws Exception
    {
        final Netns serverNs = topology.namespace("srv");
        final MultihomingTopology mh = new MultihomingTopology(topology, serverNs, "eth0", "eth1");
        final Host h3 = mh.remoteVni(VNI_20, "br1", "h3", "10.0.0.3/24", "acc3");
        final Host server = MultihomingTopology.bridgedServer(serverNs, LINKS, "10.0.0.10/24");
        final FrrRouter frr = mh.frr;
        final List<Integer> vnis = List.of(MultihomingTopology.VNI, VNI_20);
        InProcessVtep.start(topology, mh.gw1, MultihomingTopology.gatewayConfig(GW1, portYaml(200, 100), vnis));
        InProcessVtep.start(topology, mh.gw2, MultihomingTopology.gatewayConfig(GW2, portYaml(100, 200), vnis));
        frr.awaitEstablished(GW1, TIMEOUT);
        frr.awaitEstablished(GW2, TIMEOUT);

        // FRR: both gateways on both ESIs (type 4 each), with A-D routes for each ESI.
        final String esView = Wait.until(TIMEOUT, () -> frr.vtysh("show bgp l2vpn evpn es"),
            text -> onBothGateways(text, ESI_10) && onBothGateways(text, ESI_20), "FRR's ES view lists both ESIs, each with both VTEPs");
        final String ead = Wait.until(TIMEOUT, () -> frr.vtysh("show bgp l2vpn evpn route type ead"),
            text -> text.contains(ESI_10) && text.contains(ESI_20) && MultihomingTopology.nextHops(text).containsAll(List.of(GW1, GW2)),
            "FRR holds type-1 routes of both ESIs from both gateways");
        System.out.println("FRR show bgp l2vpn evpn es:\n" + esView + "\nFRR show bgp l2vpn evpn route type es:\n" +
            frr.vtysh("show bgp l2vpn evpn route type es") + "\nFRR show bgp l2vpn evpn route type ead:\n" + ead);

        // Each gateway: two segments, VLAN 10 and 20; gw1 the DF of VLAN 10's, gw2 of VLAN 20's.
        Wait.until(TIMEOUT, () -> segments(mh.gw1), dfOf(true, false), "gw1: DF of VLAN 10's segment, not of VLAN 20's");
        Wait.until(TIMEOUT, () -> segments(mh.gw2), dfOf(false, true), "gw2: DF of VLAN 20's segment, not of VLAN 10's");
        System.out.println("gw1 /api/v1/es segments: " + segments(mh.gw1) + "\ngw2 /api/v1/es segments: " + segments(mh.gw2));

        // A broadcast from the remote side reaches the server once per VLAN, tagged with it, from that VLAN's DF.
        assertEquals(List.of(10, 0), mh.broadcastsAtServer(serverNs, LINKS, mh.h2, 10, 0, 10),
            "VNI 100 broadcasts tagged VLAN 10 on eth0 (gw1) and eth1 (gw2)");
        assertEquals(List.of(0, 10), mh.broadcastsAtServer(serverNs, LINKS, h3, 10, 0, 20),
            "VNI 200 broadcasts tagged VLAN 20 on eth0 (gw1) and eth1 (gw2)");
        // Local bias on VLAN 20's attachment: the server's broadcast leaves on both links; each gateway floods it to the
        // other, which does not put it back onto the segment (it is DF there or not). Each link: the 10 sent, no echo.
        assertEquals(List.of(10, 10), mh.broadcastsAtServer(serverNs, LINKS, server, 10, 20, 20),
            "VLAN 20 frames from the server on eth0, eth1 (sent, no echo)");

        // gw1's port goes down: both of its segments go (mass withdrawal of each); gw2 is left, DF of both.
        mh.gw1.down("acc1");
        Wait.until(TIMEOUT, () -> segments(mh.gw1), segments -> segments.stream().allMatch(segment -> "down".equals(segment.get("state"))),
            "gw1: both segments down");
        Wait.until(TIMEOUT, () -> frr.vtysh("show bgp l2vpn evpn es"), text -> onGw2Only(text, ESI_10) && onGw2Only(text, ESI_20),
            "FRR's ES view: both ESIs on gw2 only");
        Wait.until(TIMEOUT, () -> segments(mh.gw2), dfOf(true, true), "gw2: DF of both segments");
        assertEquals(List.of(0, 10), mh.broadcastsAtServer(serverNs, LINKS, mh.h2, 10, 0, 10), "VLAN 10's copy now from gw2");
    }

    /** Whether the line of {@code esi} in FRR's {@code show bgp l2vpn evpn es} names gw2 and not gw1. */
    private static boolean onGw2Only(final String esView, final String esi)
    {
        return esView.lines().anyMatch(line -> line.contains(esi) && !line.contains(GW1) && line.contains(GW2));
    }

    /** Whether the line of {@code esi} in FRR's {@code show bgp l2vpn evpn es} names both gateways. */
    private static boolean onBothGateways(final String esView, final String esi)
    {
        return esView.lines().anyMatch(line -> line.contains(esi) && line.contains(GW1) && line.contains(GW2));
    }

    /** The gateway's segments are VLAN 10's then VLAN 20's, each elected, this gateway DF as given. */
    private static Predicate<List<Map<String, Object>>> dfOf(final boolean vlan10, final boolean vlan20)
    {
        return segments -> segments.size() == 2 && Long.valueOf(10).equals(segments.get(0).get("vlan")) &&
            Long.valueOf(20).equals(segments.get(1).get("vlan")) && dfKnown(segments.get(0)) && dfKnown(segments.get(1)) &&
            isDf(segments.get(0)) == vlan10 && isDf(segments.get(1)) == vlan20;
    }
}
