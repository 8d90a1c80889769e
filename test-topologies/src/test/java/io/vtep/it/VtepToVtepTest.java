package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vtep.topology.Host;
import io.vtep.topology.Iperf3Result;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.Netns;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;

/**
 * Two vtep appliances, each run the way an operator runs it ({@code bin/vtep run --config}),
 * with the af-packet and pcap access-port drivers on either side (issue proof 10); the second
 * case also stops one with SIGTERM and expects exit code 0.
 *
 * <pre>
 *  h1 10.0.0.1 ─acc1─ [vtep A 192.0.2.1] ─ul0──ul0─ [vtep B 192.0.2.2] ─acc1─ h2 10.0.0.2
 * </pre>
 */
class VtepToVtepTest extends TopologyTest
{

    @Override
    protected void requirements()
    {
        Requirements.requireTools("ping", "iperf3");
    }

    private static String config(final String localIp, final String remoteIp, final String driver)
    {
        return """
            vtep: { local-ip: %s }
            ports: [ { name: acc1, driver: %s, vlans: { untagged: 100 } } ]
            vnis: [ { vni: 100, flood: [%s] } ]
            api: { listen: "127.0.0.1:9100" }
            """.formatted(localIp, driver, remoteIp);
    }

    @ParameterizedTest(name = "vtep A {0} <-> vtep B {1}")
    @CsvSource({"af-packet, pcap", "pcap, af-packet"})
    void twoAppliancesCarryPingAndTcp(final String driverA, final String driverB)
    {
        final Netns a = topology.namespace("vtepa");
        final Netns b = topology.namespace("vtepb");
        topology.underlayLink(a, "192.0.2.1/24", b, "192.0.2.2/24");
        final Host h1 = topology.host("h1", "10.0.0.1/24", a, "acc1");
        final Host h2 = topology.host("h2", "10.0.0.2/24", b, "acc1");
        vxlanMtu(h1, h2);
        // Both hosts keep Linux's default offloads. The pcap driver sees no offload metadata and its
        // snaplen drops TSO/GSO super-frames (README), so the TCP data is sent by the host behind
        // the af-packet port; the host behind the pcap port receives it and sends the ACKs (its
        // partial checksums are finished by the pcap port).
        final Host sender = driverA.equals("pcap") ? h2 : h1;
        final Host receiver = sender == h1 ? h2 : h1;

        final VtepProcess vtepA = topology.startVtep(a, config("192.0.2.1", "192.0.2.2", driverA));
        final VtepProcess vtepB = topology.startVtep(b, config("192.0.2.2", "192.0.2.1", driverB));

        final PingResult ping = h1.ping("10.0.0.2", 3);
        assertEquals(3, ping.received(), () -> ping + "\n" + vtepA.output() + "\n" + vtepB.output());
        assertTrue(h2.ping("10.0.0.1", 2).allReceived());

        final ManagedProcess server = receiver.iperf3Server();
        Wait.until(Duration.ofSeconds(10), () -> receiver.netns().exec("ss", "-ltn").stdout().contains(":5201"),
            "iperf3 server listening");
        final Iperf3Result tcp = sender.iperf3Client(receiver.ip(), 3);
        server.stop();
        assertTrue(tcp.receivedBytes() > 1_000_000, () -> "TCP moved only " + tcp.receivedBytes() + " bytes");
        System.out.printf("vtep(%s) <-> vtep(%s) iperf3 TCP 3 s: %.1f Mbit/s, %d retransmits%n",
            driverA, driverB, tcp.receivedBitsPerSecond() / 1e6, tcp.retransmits());

        assertEquals(0, vtepA.stop(), () -> "SIGTERM stops vtep cleanly with exit code 0:\n" + vtepA.output());
        assertTrue(vtepA.output().contains("vtep stopped"), vtepA::output);
        assertEquals(0, vtepB.stop(), vtepB::output);
    }
}
