package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vtep.core.api.ReloadOutcome;
import io.vtep.core.config.ConfigLoader;
import io.vtep.topology.FrrEvpnRoute;
import io.vtep.topology.FrrPeer;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.Requirements;
import io.vtep.topology.Wait;

/**
 * EVPN VNIs and route targets changed by a live reload (issue 16), against FRR driving a kernel
 * VTEP ({@link EvpnFrrTopology}): a {@code learning: evpn} VNI added live is advertised (its type-3
 * route and the MAC learned in it reach FRR) and withdrawn when removed; VNI 100's import route
 * target changed takes FRR's routes out of vtep's FDB and flood list, its export route target
 * changed takes vtep's routes out of FRR's VNI (zebra empties the kernel's flood list), and back.
 * The BGP session never resets.
 *
 * <pre>
 *  h1 10.0.0.1 (+ VLAN 200 by scapy) ─acc1─ [vtep 192.0.2.1] ─ul0──ul0─ [FRR + kernel VTEP 192.0.2.2] ─acc0─ h2 10.0.0.2
 * </pre>
 */
class EvpnReloadFrrTest extends TopologyTest
{
    private static final String VTEP_IP = EvpnFrrTopology.VTEP_IP;
    private static final String FRR_IP = EvpnFrrTopology.FRR_IP;
    private static final Duration ROUTES = Duration.ofSeconds(15);
    /** A host speaking on VLAN 200 of acc1 (sent by scapy: the kernel here has no VLAN devices). */
    private static final String MAC_200 = "02:00:00:00:02:00";

    @Override
    protected void requirements()
    {
        Requirements.requireTopology("ping");
        Requirements.requireScapy();
        FrrRouter.requireFrr();
    }

    @Test
    void anEvpnVniComesAndGoesAndRouteTargetsMoveRoutesWithoutASessionReset() throws Exception
    {
        final EvpnFrrTopology net = EvpnFrrTopology.create(topology, false);
        final FrrRouter frr = net.startFrr(topology, 65000, VTEP_IP, 65000);
        final String running = EvpnFrrTopology.vtepConfig(VTEP_IP, 65000, FRR_IP, 65000);
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs(), running);
        frr.awaitEstablished(VTEP_IP, Duration.ofSeconds(30));
        final String h2 = net.h2().mac();
        Wait.until(ROUTES, () -> net.h1().ping(net.h2().ip(), 1).allReceived(), Boolean.TRUE::equals, "h1 reaches h2 over EVPN");
        Wait.until(ROUTES, () -> vtep.entry(100, h2), ("remote " + FRR_IP)::equals, "h2 behind FRR's VTEP");
        final FrrPeer before = frr.awaitEstablished(VTEP_IP, Duration.ofSeconds(5));

        // A learning: evpn VNI added live: FRR gets its type-3 route, then the MAC that speaks in it.
        final String withVni200 = running.replace("vlans: { untagged: 100 }", "vlans: { untagged: 100, 200: 200 }")
            .replace("bgp:\n", "  - vni: 200\n    learning: evpn\nbgp:\n");
        reload(vtep, withVni200);
        final FrrEvpnRoute type3 = frr.awaitEvpnRoute(ROUTES, r -> r.isType3() && VTEP_IP.equals(r.nextHop()) &&
            Integer.valueOf(200).equals(r.pmsiLabel()), "vtep's type-3 route of VNI 200 at FRR");
        assertTrue(type3.hasRouteTarget("65000:200"), type3::toString);
        net.h1().sendScapyFrame("Ether(src='" + MAC_200 + "', dst='ff:ff:ff:ff:ff:ff')/Dot1Q(vlan=200)/ARP(psrc='10.2.0.1', pdst='10.2.0.9')", 3);
        final FrrEvpnRoute type2 = frr.awaitEvpnRoute(ROUTES, r -> r.isType2() && MAC_200.equals(r.mac()) && VTEP_IP.equals(r.nextHop()),
            "the MAC learned in VNI 200 at FRR");
        assertEquals(Integer.valueOf(200), type2.vni(), type2::toString);

        // Removed live: both withdrawn.
        reload(vtep, running);
        frr.awaitNoEvpnRoute(ROUTES, r -> VTEP_IP.equals(r.nextHop()) && Integer.valueOf(200).equals(r.effectiveVni()),
            "vtep's routes of VNI 200 withdrawn");

        // VNI 100 imports another route target: FRR's routes leave vtep's FDB and flood list ...
        reload(vtep, withTargets(running, "65000:999", "65000:100"));
        Wait.until(ROUTES, () -> vtep.entry(100, h2), e -> e == null, "h2's EVPN entry taken back");
        Wait.until(ROUTES, () -> vtep.floodList(100), List::isEmpty, "FRR's VTEP out of the flood list");

        // ... and exports another: vtep's routes leave FRR's VNI 100, while FRR's come back in.
        reload(vtep, withTargets(running, "65000:100", "65000:999"));
        frr.awaitEvpnRoute(ROUTES, r -> r.isType3() && VTEP_IP.equals(r.nextHop()) && r.hasRouteTarget("65000:999"),
            "vtep's type-3 re-advertised with 65000:999");
        Wait.until(ROUTES, net.kernel()::floodList, List::isEmpty, "zebra no longer floods VNI 100 to vtep");
        Wait.until(ROUTES, () -> vtep.entry(100, h2), ("remote " + FRR_IP)::equals, "h2's EVPN entry back");

        // Back to the automatic ones: everything as at start.
        reload(vtep, running);
        Wait.until(ROUTES, net.kernel()::floodList, List.of(VTEP_IP)::equals, "zebra floods to vtep again");
        Wait.until(ROUTES, () -> net.h1().ping(net.h2().ip(), 1).allReceived(), Boolean.TRUE::equals, "h1 reaches h2 again");

        final FrrPeer now = frr.awaitEstablished(VTEP_IP, Duration.ofSeconds(5));
        assertEquals(before.connectionsEstablished(), now.connectionsEstablished(), "no session reset: " + now);
        assertEquals(0, now.connectionsDropped(), now::toString);
    }

    private static String withTargets(final String config, final String importTarget, final String exportTarget)
    {
        return config.replace("    learning: evpn\n", "    learning: evpn\n    route-targets: { import: [\"" + importTarget +
            "\"], export: [\"" + exportTarget + "\"] }\n");
    }

    private static void reload(final InProcessVtep vtep, final String yaml) throws Exception
    {
        final ReloadOutcome outcome = vtep.appliance().reload(ConfigLoader.parse(yaml));
        assertTrue(outcome.isApplied(), outcome::toString);
    }
}
