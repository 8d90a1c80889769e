package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.vtep.topology.Requirements;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;

/**
 * Every packet vtep's sockets were handed is delivered or counted, also when the kernel drops it
 * in a full socket queue before vtep reads it. {@code bin/vtep run} with one pipeline is stopped
 * (SIGSTOP) while h1 sends 20,000 frames of 1,000 bytes into its access port and the kernel VTEP's
 * namespace sends 30,000 VXLAN datagrams to its underlay socket: more than the 4 MiB and 8 MiB
 * receive buffers hold. After SIGCONT vtep forwards what was queued and counts the rest as
 * {@code vtep_drops_total{reason="access_socket_queue"}} and {@code {reason="underlay_socket_queue"}}:
 * received + counted + the kernel's drops on the way in (the sending veth's, from /proc/net/dev) = sent,
 * exactly, each side. Before these reasons existed, the overflow was counted nowhere.
 */
class SocketQueueDropsTest extends KernelPeerTest
{
    private static final int FRAMES = 20_000;
    private static final int DATAGRAMS = 30_000;
    private static final Pattern SAMPLE = Pattern.compile("^(vtep_[a-z_]+)\\{([^}]*)} ([0-9.eE+]+)$", Pattern.MULTILINE);

    @Override
    protected void requirements()
    {
        Requirements.requireTopology("ping", Requirements.SYSTEM_PYTHON);
    }

    @Test
    void whatTheKernelDropsAtVtepsFullSocketsIsCountedByReason() throws Exception
    {
        final VtepProcess vtep = topology.startVtep(net.vtepNs, net.vtepConfig("""
            api: { listen: "127.0.0.1:9100" }
            dataplane: { pipelines: 1 }
            """));
        // No ping first: its ARP entries would be re-confirmed by unicast probes a few seconds later,
        // frames in the counts that the test did not send. The hosts are quiet (no IPv6).
        final HopCounters accessHop = new HopCounters(List.of(
            new HopCounters.Device(net.h1.netns(), net.h1.iface(), "tx_drop"))).start();
        final HopCounters underlayHop = new HopCounters(List.of(
            new HopCounters.Device(net.kernelNs, "ul0", "tx_drop"))).start();
        final Map<String, Double> before = scrape();

        vtep.process().signal("STOP");
        try
        {
            net.h1.netns().execOk(Duration.ofSeconds(60), Requirements.SYSTEM_PYTHON, "-c", """
                import socket
                s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
                s.bind(('%s', 0))
                frame = b'\\xff' * 6 + bytes.fromhex('%s') + b'\\x88\\xb5' + bytes(986)
                for i in range(%d):
                    s.send(frame)
                """.formatted(net.h1.iface(), net.h1.mac().replace(":", ""), FRAMES));
            net.kernelNs.execOk(Duration.ofSeconds(60), Requirements.SYSTEM_PYTHON, "-c", """
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(('%s', 0))
                vxlan = bytes([8, 0, 0, 0]) + (%d << 8).to_bytes(4, 'big')
                inner = b'\\xff' * 6 + bytes.fromhex('02000000aa01') + b'\\x88\\xb5' + bytes(46)
                for i in range(%d):
                    s.sendto(vxlan + inner, ('%s', 4789))
                """.formatted(KernelPeerTopology.KERNEL_IP, KernelPeerTopology.VNI, DATAGRAMS, KernelPeerTopology.VTEP_IP));
        }
        finally
        {
            vtep.process().signal("CONT");
        }

        final long accessOutside = HopCounters.sum(accessHop.since());
        final long underlayOutside = HopCounters.sum(underlayHop.since());
        Wait.until(Duration.ofSeconds(20), () ->
        {
            final Map<String, Double> now = scrape();
            return delta(now, before, "vtep_vni_rx_packets_total", "side=\"access\"") +
                delta(now, before, "vtep_drops_total", "reason=\"access_socket_queue\"") + accessOutside >= FRAMES &&
                delta(now, before, "vtep_vni_rx_packets_total", "side=\"overlay\"") +
                    delta(now, before, "vtep_drops_total", "reason=\"underlay_socket_queue\"") + underlayOutside >= DATAGRAMS;
        }, "every frame and datagram received or counted");
        Thread.sleep(1_000); // nothing more may come in
        final Map<String, Double> after = scrape();
        final long accessReceived = delta(after, before, "vtep_vni_rx_packets_total", "side=\"access\"");
        final long accessQueue = delta(after, before, "vtep_drops_total", "reason=\"access_socket_queue\"");
        final long overlayReceived = delta(after, before, "vtep_vni_rx_packets_total", "side=\"overlay\"");
        final long underlayQueue = delta(after, before, "vtep_drops_total", "reason=\"underlay_socket_queue\"");
        System.out.printf("socket queues: access %d sent, %d received, %d access_socket_queue, %d dropped by the veth; " +
            "underlay %d sent, %d received, %d underlay_socket_queue, %d dropped by the veth%n", FRAMES, accessReceived,
            accessQueue, accessOutside, DATAGRAMS, overlayReceived, underlayQueue, underlayOutside);

        assertTrue(accessQueue > 0, "the access socket's 4 MiB should have overflowed: " + accessReceived + " received");
        assertTrue(underlayQueue > 0, "the underlay socket's 8 MiB should have overflowed: " + overlayReceived + " received");
        assertEquals(FRAMES, accessReceived + accessQueue + accessOutside, "access: received + counted = sent");
        assertEquals(DATAGRAMS, overlayReceived + underlayQueue + underlayOutside, "underlay: received + counted = sent");
        assertTrue(vtep.isAlive(), () -> "vtep died: " + vtep.output());
        assertTrue(net.h1.ping("10.0.0.2", 2).allReceived(), () -> "forwarding after the overflow\n" + topology.diagnostics());
    }

    /** The growth of the sum of {@code metric}'s series whose labels contain {@code label}. */
    private static long delta(final Map<String, Double> now, final Map<String, Double> before, final String metric,
        final String label)
    {
        double sum = 0;
        for (final Map.Entry<String, Double> e : now.entrySet())
        {
            if (e.getKey().startsWith(metric + "{") && e.getKey().contains(label))
            {
                sum += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            }
        }
        return Math.round(sum);
    }

    private Map<String, Double> scrape()
    {
        final String text = net.scrapeMetrics();
        final Map<String, Double> samples = new java.util.HashMap<>();
        final Matcher m = SAMPLE.matcher(text);
        while (m.find())
        {
            samples.put(m.group(1) + "{" + m.group(2) + "}", Double.parseDouble(m.group(3)));
        }
        return samples;
    }
}
