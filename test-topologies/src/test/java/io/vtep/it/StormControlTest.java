package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.metrics.DropReason;
import io.vtep.topology.Host;
import io.vtep.topology.Netns;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Tshark;

/**
 * BUM storm control (issue 15): a broadcast storm from one access host is cut to the rate its port
 * allows, counted as {@code storm_control}, while unicast between two other hosts on the same VNI
 * is delivered without loss.
 *
 * <pre>
 *  storm 10.0.0.1 ─acc1─┐
 *  h2    10.0.0.2 ─acc2─┼─ [vtep, VNI 100, no underlay peer needed]
 *  h3    10.0.0.3 ─acc3─┘
 * </pre>
 *
 * acc1 has {@code storm-control: { broadcast: 200 }} (burst: one second's worth). The storm host
 * sends broadcasts as fast as a Python packet socket can for {@value #STORM_SECONDS} s; h3 counts
 * what reaches it.
 */
class StormControlTest extends TopologyTest
{
    private static final int RATE = 200;
    private static final int STORM_SECONDS = 3;

    private Host storm;
    private Host h2;
    private Host h3;
    private InProcessVtep vtep;

    @Override
    protected void requirements()
    {
        Requirements.requireTools("ping", "tshark");
    }

    @BeforeEach
    void build() throws Exception
    {
        final Netns vtepNs = topology.namespace("vtep");
        vtepNs.addAddress("lo", "192.0.2.1/32");
        storm = topology.host("storm", "10.0.0.1/24", vtepNs, "acc1");
        h2 = topology.host("h2", "10.0.0.2/24", vtepNs, "acc2");
        h3 = topology.host("h3", "10.0.0.3/24", vtepNs, "acc3");
        vtep = InProcessVtep.start(topology, vtepNs, """
            vtep: { local-ip: 192.0.2.1 }
            ports:
              - { name: acc1, vlans: { untagged: 100 }, storm-control: { broadcast: %d } }
              - { name: acc2, vlans: { untagged: 100 } }
              - { name: acc3, vlans: { untagged: 100 } }
            vnis:
              - { vni: 100 }
            """.formatted(RATE));
    }

    @Test
    void aBroadcastStormIsCappedAndUnicastBetweenOtherHostsIsNotTouched() throws Exception
    {
        // ARP resolved and both MACs learned before the storm: what follows is known unicast.
        assertTrue(h2.ping("10.0.0.3", 1).allReceived(), () -> topology.diagnostics());

        final Tshark atH3 = topology.capture(h3.netns(), "eth0", "ether src " + storm.mac() + " and ether broadcast");
        // A plain packet socket in a tight loop (scapy would add seconds of start-up and a slow loop).
        final String script = """
            import socket, time
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind(('eth0', 0))
            f = bytes.fromhex('ffffffffffff' + '%s'.replace(':', '')) + b'\\x88\\xb5' + b'storm' * 10
            sent, end = 0, time.monotonic() + %d
            while time.monotonic() < end:
                for _ in range(100):
                    s.send(f)
                sent += 100
                time.sleep(0.002)
            print(sent)
            """.formatted(storm.mac(), STORM_SECONDS);
        final CompletableFuture<String> stormSent = CompletableFuture.supplyAsync(() -> storm.netns()
            .execOk(Duration.ofSeconds(60), Requirements.SYSTEM_PYTHON, "-c", script).stdout().trim());
        Thread.sleep(300); // the storm under way
        // 100 pings at 20 ms (2 s) while the storm lasts: unicast between two other hosts of the VNI.
        final PingResult unicast = h2.ping("10.0.0.3", 100, java.util.List.of("-i", "0.02"));
        final long sent = Long.parseLong(stormSent.get(60, java.util.concurrent.TimeUnit.SECONDS));
        final int delivered = atH3.packetCount();
        final long dropped = vtep.drops(100, DropReason.STORM_CONTROL);
        System.out.printf("storm: %d broadcasts sent in %d s, %d delivered to h3 (cap %d/s), %d counted storm_control;" +
            " unicast during the storm: %s%n", sent, STORM_SECONDS, delivered, RATE, dropped, unicast);

        assertTrue(sent > 5L * RATE * STORM_SECONDS, "the storm is far over the rate: " + sent);
        // Generous bound: the rate over the storm plus a second of slack for scheduling, plus the burst.
        final int most = RATE * (STORM_SECONDS + 1) + RATE;
        assertTrue(delivered <= most, () -> delivered + " broadcasts delivered, more than " + most);
        assertTrue(delivered >= RATE, () -> "a cap, not a block: " + delivered + " delivered");
        assertTrue(dropped >= sent / 2, () -> dropped + " counted storm_control of " + sent + " sent");
        assertEquals(100, unicast.received(), () -> "known unicast is never limited: " + unicast);
    }
}
