package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vtep.topology.FrrRouter;
import io.vtep.topology.Requirements;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;

/**
 * The faults an operator meets on an EVPN gateway, one after the other, each followed by the time
 * until h1 and h2 reach each other again through vtep ({@code bin/vtep run}), FRR and a kernel
 * VTEP: the underlay link down for 3 s and up again, FRR's bgpd killed and restarted, and vtep
 * itself killed with SIGKILL and started again. The times are printed for the record; the test
 * asserts only that forwarding comes back, within a generous bound, after each.
 *
 * <pre>
 *  h1 10.0.0.1 ─acc1─ [vtep 192.0.2.1] ─ul0──ul0─ [FRR + kernel VTEP 192.0.2.2] ─acc0─ h2 10.0.0.2
 * </pre>
 */
class FaultRecoveryTest extends TopologyTest
{
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);
    /** Far above what any of the faults takes (a hold time of 9 s, FRR's connect retry of 2 s, a JVM start). */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);

    @Override
    protected void requirements()
    {
        Requirements.requireTopology("ping");
        FrrRouter.requireFrr();
    }

    @Test
    void forwardingComesBackAfterUnderlayFlapBgpdRestartAndVtepKill() throws Exception
    {
        final EvpnFrrTopology net = EvpnFrrTopology.create(topology, false);
        final FrrRouter frr = net.startFrr(topology, 65000, EvpnFrrTopology.VTEP_IP, 65000);
        final String config = EvpnFrrTopology.vtepConfig(EvpnFrrTopology.VTEP_IP, 65000, EvpnFrrTopology.FRR_IP, 65000);
        final VtepProcess vtep = topology.startVtep(net.vtepNs(), config);
        frr.awaitEstablished(EvpnFrrTopology.VTEP_IP, SESSION_TIMEOUT);
        final Map<String, Double> recovery = new LinkedHashMap<>();
        recovery.put("start (session up to first replies both ways)", secondsUntilBothWays(net, "first convergence"));

        net.vtepNs().execOk("ip", "link", "set", "ul0", "down");
        Thread.sleep(3_000);
        net.vtepNs().execOk("ip", "link", "set", "ul0", "up");
        recovery.put("underlay link down 3 s, then up", secondsUntilBothWays(net, "after the underlay came back"));

        frr.killBgpd();
        frr.startBgpd();
        recovery.put("FRR's bgpd killed and restarted", secondsUntilBothWays(net, "after bgpd restarted"));

        vtep.process().signal("KILL");
        assertEquals(137, vtep.waitForExit(Duration.ofSeconds(10)), "vtep killed by SIGKILL");
        final VtepProcess restarted = topology.startVtep(net.vtepNs(), config);
        recovery.put("vtep SIGKILLed, then started again", secondsUntilBothWays(net, "after vtep restarted"));

        recovery.forEach((fault, seconds) -> System.out.printf("fault recovery: %-48s %5.1f s%n", fault, seconds));
        assertTrue(restarted.isAlive(), () -> "vtep still runs: " + restarted.output());
    }

    /** Seconds until one ping each way is answered (each attempt waits up to 1 s for its reply). */
    private static double secondsUntilBothWays(final EvpnFrrTopology net, final String what)
    {
        final long started = System.nanoTime();
        Wait.until(RECOVERY_BOUND, () -> net.h1().ping(net.h2().ip(), 1).allReceived() &&
            net.h2().ping(net.h1().ip(), 1).allReceived(), "h1 and h2 reach each other " + what);
        return (System.nanoTime() - started) / 1e9;
    }
}
