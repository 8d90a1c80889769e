package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.vtep.core.api.ReloadOutcome;
import io.vtep.core.config.ConfigLoader;
import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.topology.Host;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Wait;

/**
 * Access ports added and removed by a live reload (issue 16) while a ping flood runs through the
 * port that stays: acc2 comes (af-packet: a socket in each pipeline, a fanout member with two),
 * h3 behind it reaches h2 across the overlay, acc2 goes (h3's MAC flushed, nothing forwarded, its
 * series gone), and comes back with the pcap driver (a thread of its own). The flood loses nothing.
 *
 * <pre>
 *  h1 10.0.0.1 ─acc1─┐
 *                    [vtep 192.0.2.1] ─ul0──ul0─ [kernel VTEP 192.0.2.2] ─acc0─ h2 10.0.0.2
 *  h3 10.0.0.3 ─acc2─┘   (acc2 in the file only for a while)
 * </pre>
 */
class PortReloadTest extends TopologyTest
{
    /** 4,000 echo requests 5 ms apart: 20 s, longer than the three reloads take. */
    private static final int PINGS = 4_000;
    private static final Duration STEP = Duration.ofSeconds(10);

    @Override
    protected void requirements()
    {
        Requirements.requireTopology("ping");
    }

    @Test
    void aPortAddedRemovedAndReDrivenLiveWhileTheOtherLosesNothing() throws Exception
    {
        final KernelPeerTopology net = new KernelPeerTopology(topology, true);
        final Host h3 = topology.host("h3", "10.0.0.3/24", net.vtepNs, "acc2");
        h3.netns().setMtu("eth0", KernelPeerTopology.OVERLAY_MTU);
        final String running = net.vtepConfig("dataplane: { pipelines: 2 }");
        final String withAcc2 = running.replace("vnis:\n", "  - name: acc2\n    vlans: { untagged: 100 }\nvnis:\n");
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs, running);
        Wait.until(STEP, () -> net.h1.ping(net.h2.ip(), 1).allReceived(), Boolean.TRUE::equals, "h1 reaches h2");

        final CompletableFuture<PingResult> flood = CompletableFuture.supplyAsync(
            () -> net.h1.ping(net.h2.ip(), PINGS, List.of("-i", "0.005")));
        Thread.sleep(500);

        assertEquals(List.of("port acc2 added (driver af-packet, 1 vlan mapping(s))"), reload(vtep, net, withAcc2).changes());
        assertEquals(3, h3.ping(net.h2.ip(), 3).received(), "h3 reaches h2 through the port added live");
        assertEquals("local acc2", vtep.entry(KernelPeerTopology.VNI, h3.mac()));
        assertTrue(metrics(vtep).contains("vtep_port_state{port=\"acc2\"} 1.0"), () -> metrics(vtep));

        assertEquals(List.of("port acc2 removed"), reload(vtep, net, running).changes());
        assertNull(vtep.entry(KernelPeerTopology.VNI, h3.mac()), "h3's MAC flushed with its port");
        assertEquals(0, h3.ping(net.h2.ip(), 2).received(), "nothing forwarded from the port removed");
        assertNull(vtep.entry(KernelPeerTopology.VNI, h3.mac()), "and nothing learned on it");
        assertFalse(metrics(vtep).contains("port=\"acc2\""), () -> metrics(vtep));
        assertEquals(List.of("acc1"), vtep.appliance().portLinks().stream().map(link -> link.name()).toList());

        final String withPcapAcc2 = withAcc2.replace("  - name: acc2\n", "  - name: acc2\n    driver: pcap\n");
        assertEquals(List.of("port acc2 added (driver pcap, 1 vlan mapping(s))"), reload(vtep, net, withPcapAcc2).changes());
        Wait.until(STEP, () -> h3.ping(net.h2.ip(), 1).allReceived(), Boolean.TRUE::equals, "h3 reaches h2 through the pcap port");
        assertTrue(metrics(vtep).contains("vtep_thread_heartbeat_age_seconds{thread=\"vtep-port-acc2\"}"), () -> metrics(vtep));

        assertFalse(flood.isDone(), "the ping flood was still running through every reload");
        final PingResult result = flood.get(PINGS * 5L / 1000 + 30, TimeUnit.SECONDS);
        assertEquals(PINGS, result.transmitted(), result::toString);
        assertEquals(PINGS, result.received(), () -> "acc1 lost echo replies while acc2 came and went: " + result);
    }

    /** Reloads in vtep's namespace, where the new port's sockets must be opened (as SIGHUP or the API do). */
    private static ReloadOutcome reload(final InProcessVtep vtep, final KernelPeerTopology net, final String yaml) throws Exception
    {
        final ReloadOutcome outcome = NetworkNamespace.call(net.vtepNs.name(), () -> vtep.appliance().reload(ConfigLoader.parse(yaml)));
        assertTrue(outcome.isApplied(), outcome::toString);
        return outcome;
    }

    private static String metrics(final InProcessVtep vtep)
    {
        return vtep.appliance().metrics().scrape(null).body();
    }
}
