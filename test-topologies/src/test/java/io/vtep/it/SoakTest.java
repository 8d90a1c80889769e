package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.vtep.topology.Iperf3Result;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.Netns;
import io.vtep.topology.Requirements;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;

/**
 * A soak: {@code bin/vtep run} against a kernel VTEP under mixed traffic at a fixed rate for
 * {@code -Dvtep.soak.seconds} (default 60; the documented long run is 600): UDP both ways at
 * 20 Mbit/s each, an ARP exchange every 2 s (for a second address of h2's, so that the measured
 * flow's own neighbour entry is never deleted under it), and a slow MAC churn (10 new source MACs
 * a second from h1, ageing 20 s, so learning and ageing run all the time). Every 5 s it samples
 * vtep's resident memory and heap (after the first fifth, the warm-up).
 *
 * <p>Every datagram iperf3 lost is accounted for, each direction on its own: sent = delivered +
 * vtep's drops at its sockets ({@code access_socket_queue} h1 to h2, {@code underlay_socket_queue}
 * h2 to h1) + the kernel's drops on the hops outside vtep that this test reads itself
 * ({@link HopCounters}: every veth's sending end and the kernel VTEP's device on the path, the sending host's
 * {@code UdpSndbufErrors} and the receiving host's {@code UdpRcvbufErrors}, which is where the
 * losses seen so far went: iperf3's receiving socket on a loaded machine). It asserts that no
 * datagram is lost unexplained, that none arrived damaged ({@link #RECEIVE_ERRORS}), that vtep
 * dropped nothing for another reason than the churn's and its forwarding threads caught no error
 * (each would cost a batch), and that resident memory does not grow from the first half of the
 * samples to the second. The sums, the drops per hop and the samples are printed; a failure's
 * message starts with vtep's data-path counters.
 */
class SoakTest extends KernelPeerTest
{
    private static final int SECONDS = Integer.getInteger("vtep.soak.seconds", 60);
    /** iperf3's UDP payload: 1,200 bytes, a datagram each. */
    private static final int DATAGRAM = 1200;
    /**
     * A second address of h2's, the target of the ARP exchanges. Deleting the neighbour entry of
     * the address the measured flow uses (as this test did) puts the flow's datagrams in the way of
     * h1's own neighbour code: queued on the unresolved entry, or sent on one being deleted, they
     * can be dropped in h1 where no per-namespace counter sees them (architecture §8).
     */
    private static final String ARP_TARGET = "10.0.0.102";
    /**
     * Counters that see a datagram arriving damaged in the receiving namespaces: a bad UDP
     * checksum, a bad IP header. (Not {@code Udp.InErrors}: it also counts {@code RcvbufErrors}.)
     */
    private static final List<String> RECEIVE_ERRORS = List.of("Udp.InCsumErrors", "Ip.InHdrErrors");
    /** The errors vtep's forwarding threads caught, each costing a batch: per access port, on the underlay. */
    private static final List<String> FAILURES = List.of("vtep_port_worker_failures_total", "vtep_underlay_failures_total");

    @Override
    protected void requirements()
    {
        Requirements.requireTopology("ping", "iperf3");
    }

    @Test
    void mixedTrafficAtAFixedRateLosesNothingUncountedAndMemoryStaysFlat() throws Exception
    {
        final VtepProcess vtep = topology.startVtep(net.vtepNs, net.vtepConfig("""
            fdb: { ageing-seconds: 20 }
            api: { listen: "127.0.0.1:9100" }
            """));
        net.h2.netns().addAddress(net.h2.iface(), ARP_TARGET + "/24");
        assertTrue(net.h1.ping("10.0.0.2", 3).allReceived(), () -> "ping before the soak\n" + topology.diagnostics());
        assertTrue(net.h1.ping(ARP_TARGET, 1).allReceived(), () -> "ping h2's second address\n" + topology.diagnostics());

        final HopCounters forwardHops = new HopCounters(forwardPath()).start();
        final HopCounters reverseHops = new HopCounters(reversePath()).start();
        final HopCounters damage = new HopCounters(receiveErrors()).start();
        final String metricsBefore = net.scrapeMetrics();
        final ManagedProcess forwardServer = net.h2.iperf3Server(5301);
        final ManagedProcess reverseServer = net.h2.iperf3Server(5302);
        Wait.until(Duration.ofSeconds(10), () -> net.h2.netns().exec("ss", "-ltn").stdout().contains(":5302"),
            "iperf3 servers listening");
        final ManagedProcess churn = net.h1.netns().spawn("MAC churn from h1", List.of(Requirements.SYSTEM_PYTHON, "-c",
            macChurnScript(net.h1.iface(), SECONDS)));
        // A thread each: the common pool has a single thread on two CPUs and would run them one after the other.
        final ExecutorService clients = Executors.newFixedThreadPool(2);
        final Future<Iperf3Result> forward = clients.submit(() -> net.h1.iperf3Client("10.0.0.2", SECONDS, List.of("-p", "5301", "-u", "-b", "20M",
            "-l", String.valueOf(DATAGRAM))));
        final Future<Iperf3Result> reverse = clients.submit(() -> net.h1.iperf3Client("10.0.0.2", SECONDS, List.of("-p", "5302", "-u", "-b", "20M",
            "-l", String.valueOf(DATAGRAM), "-R")));
        clients.shutdown();

        final List<long[]> samples = new ArrayList<>(); // seconds, resident bytes, heap bytes
        final long started = System.nanoTime();
        int arps = 0;
        while ((System.nanoTime() - started) / 1_000_000_000L < SECONDS)
        {
            Thread.sleep(2_000);
            forgetArpTarget();
            arps += net.h1.ping(ARP_TARGET, 1).allReceived() ? 1 : 0;
            final long elapsed = (System.nanoTime() - started) / 1_000_000_000L;
            if (elapsed >= SECONDS / 5 && elapsed % 5 <= 1 && (samples.isEmpty() || elapsed - samples.getLast()[0] >= 4))
            {
                samples.add(new long[] {elapsed, residentBytes(vtep.pid()), heapBytes()});
            }
        }
        final Iperf3Result there = forward.get();
        final Iperf3Result back = reverse.get();
        churn.waitFor(Duration.ofSeconds(10));
        forwardServer.stop();
        reverseServer.stop();

        Thread.sleep(1_500); // vtep reads its sockets' kernel drops every 0.5 s
        final String metrics = net.scrapeMetrics();
        final Map<String, Long> forwardDrops = forwardHops.since();
        final Map<String, Long> reverseDrops = reverseHops.since();
        final Map<String, Long> damaged = damage.since();
        final long churnDrops = drops(metrics, "mac_limit") - drops(metricsBefore, "mac_limit");
        final long accessQueue = drops(metrics, "access_socket_queue") - drops(metricsBefore, "access_socket_queue");
        final long underlayQueue = drops(metrics, "underlay_socket_queue") - drops(metricsBefore, "underlay_socket_queue");
        final long otherDrops = drops(metrics, null) - drops(metricsBefore, null) - churnDrops - accessQueue - underlayQueue;
        final long threadFailures = failures(metrics) - failures(metricsBefore);
        final long thereSent = there.sentBytes() / DATAGRAM;
        final long backSent = back.sentBytes() / DATAGRAM;
        final long thereExplained = accessQueue + HopCounters.sum(forwardDrops);
        final long backExplained = underlayQueue + HopCounters.sum(reverseDrops);
        System.out.printf("soak %d s: UDP h1->h2 %d datagrams sent, %d lost: vtep access_socket_queue %d, outside vtep %s; " +
            "h2->h1 %d sent, %d lost: vtep underlay_socket_queue %d, outside vtep %s; " +
            "%d ARP exchanges answered; vtep drops: mac_limit %d (the churn), other reasons %d; vtep forwarding errors %d; " +
            "receive errors %s%n", SECONDS, thereSent, there.lostPackets(), accessQueue, forwardDrops, backSent, back.lostPackets(),
            underlayQueue, reverseDrops, arps, churnDrops, otherDrops, threadFailures, damaged);
        samples.forEach(s -> System.out.printf("soak sample at %3d s: resident %6.1f MB, heap %6.1f MB%n", s[0],
            s[1] / 1e6, s[2] / 1e6));

        assertTrue(vtep.isAlive(), () -> "vtep died: " + vtep.output());
        // vtep's own losses first: a drop for another reason than the churn's, or a batch lost to
        // an error its forwarding threads caught (and logged).
        assertEquals(0, otherDrops, () -> "vtep dropped packets:\n" + dataPath(metrics));
        assertTrue(metrics.contains("\nvtep_underlay_failures_total ") && metrics.contains("\nvtep_port_worker_failures_total{"),
            () -> "the forwarding threads' error counters are exported:\n" + dataPath(metrics));
        assertEquals(0, threadFailures, () -> "vtep's forwarding threads caught errors:\n" + dataPath(metrics) + "\n" + vtep.output());
        // Lost = counted: every datagram iperf3 missed was dropped where a counter saw it. (A
        // counter may see more than iperf3 lost: a datagram dropped after the last one received
        // is no gap to iperf3, and the hosts' counters also see the odd ARP or ping.)
        assertTrue(there.lostPackets() <= thereExplained, () -> "h1 -> h2 lost " + there.lostPackets() + " datagrams, only " + thereExplained +
            " counted (vtep access_socket_queue " + accessQueue + ", hops " + forwardDrops + "): " + there + "\n" + dataPath(metrics));
        assertTrue(back.lostPackets() <= backExplained, () -> "h2 -> h1 lost " + back.lostPackets() + " datagrams, only " + backExplained +
            " counted (vtep underlay_socket_queue " + underlayQueue + ", hops " + reverseDrops + "): " + back + "\n" + dataPath(metrics));
        assertEquals(0, HopCounters.sum(damaged), () -> "datagrams arrived damaged: " + damaged + "\n" + dataPath(metrics));
        assertTrue(there.receivedBytes() > SECONDS * 2_000_000L, () -> "UDP h1 -> h2 kept its rate: " + there);
        assertTrue(back.receivedBytes() > SECONDS * 2_000_000L, () -> "UDP h2 -> h1 kept its rate: " + back);
        assertTrue(arps >= SECONDS / 2 / 2, "ARP exchanges answered: " + arps);
        assertTrue(samples.size() >= 4, "memory sampled " + samples.size() + " times");
        final int half = samples.size() / 2;
        final double firstResident = samples.subList(0, half).stream().mapToLong(s -> s[1]).max().orElseThrow();
        final double lastResident = samples.subList(half, samples.size()).stream().mapToLong(s -> s[1]).max().orElseThrow();
        // Flat: the second half's peak within 10 % (and 16 MB of page-in slack) of the first half's.
        assertTrue(lastResident <= firstResident * 1.10 + 16e6,
            () -> String.format("resident memory grew from %.1f MB to %.1f MB", firstResident / 1e6, lastResident / 1e6));
    }

    /**
     * Where an h1 -> h2 datagram can be dropped outside vtep (vtep's own sockets: its drop reasons):
     * h1's socket, each veth's sending end, the kernel VTEP's decapsulation, h2's socket.
     */
    private List<HopCounters.Hop> forwardPath()
    {
        return List.of(
            new HopCounters.Snmp(net.h1.netns(), "Udp.SndbufErrors"),
            new HopCounters.Device(net.h1.netns(), net.h1.iface(), "tx_drop"),
            new HopCounters.Device(net.vtepNs, "ul0", "tx_drop"),
            new HopCounters.Device(net.kernelNs, net.kernel.device(), "rx_drop"),
            new HopCounters.Device(net.kernelNs, "acc0", "tx_drop"),
            new HopCounters.Snmp(net.h2.netns(), "Udp.RcvbufErrors"));
    }

    /** Where an h2 -> h1 datagram can be dropped outside vtep. */
    private List<HopCounters.Hop> reversePath()
    {
        return List.of(
            new HopCounters.Snmp(net.h2.netns(), "Udp.SndbufErrors"),
            new HopCounters.Device(net.h2.netns(), net.h2.iface(), "tx_drop"),
            new HopCounters.Device(net.kernelNs, net.kernel.device(), "tx_drop"),
            new HopCounters.Device(net.kernelNs, "ul0", "tx_drop"),
            new HopCounters.Device(net.vtepNs, "acc1", "tx_drop"),
            new HopCounters.Snmp(net.h1.netns(), "Udp.RcvbufErrors"));
    }

    /**
     * Counters of the three namespaces that receive the soak's datagrams (the kernel VTEP receives
     * the outer ones) that go up when one arrives damaged: vtep sending a broken packet shows here. The
     * kernel VTEP's device counts an error, not a drop, for what {@code vxlan_rcv} refuses after
     * finding the VNI: reserved VXLAN flags set (recent kernels), a truncated inner packet, or an
     * outer ECN field it cannot decapsulate (RFC 6040).
     */
    private List<HopCounters.Hop> receiveErrors()
    {
        final List<HopCounters.Hop> counters = new ArrayList<>();
        counters.add(new HopCounters.Device(net.kernelNs, net.kernel.device(), "rx_errs"));
        for (final Netns receiver : List.of(net.h1.netns(), net.kernelNs, net.h2.netns()))
        {
            RECEIVE_ERRORS.forEach(counter -> counters.add(new HopCounters.Snmp(receiver, counter)));
        }
        return counters;
    }

    /**
     * Removes h1's neighbour entry for {@link #ARP_TARGET}, so that the next ping asks again: an ARP
     * exchange through vtep (the request flooded, the reply unicast). One {@code ip neigh del}, not
     * {@code ip neigh flush}: a flush deletes in rounds until nothing is left (architecture §8).
     */
    private void forgetArpTarget()
    {
        net.h1.netns().exec("ip", "neigh", "del", ARP_TARGET, "dev", net.h1.iface()); // absent: nothing to do
    }

    /**
     * vtep's data-path series out of a scrape (drops, per-VNI counters, sockets), for a failure's
     * message: the whole scrape is long enough to be cut short in a CI log before it gets there.
     */
    private static String dataPath(final String metrics)
    {
        return metrics.lines().filter(line -> line.startsWith("vtep_") && !line.startsWith("vtep_api_"))
            .collect(Collectors.joining("\n"));
    }

    /** One broadcast frame every 100 ms from a new locally administered MAC, for {@code seconds}. */
    private static String macChurnScript(final String iface, final int seconds)
    {
        return """
            import os, socket, time
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind(('%s', 0))
            end = time.time() + %d
            while time.time() < end:
                mac = bytes([0x02]) + os.urandom(5)
                s.send(b'\\xff' * 6 + mac + b'\\x88\\xb5' + b'soak' * 12)
                time.sleep(0.1)
            """.formatted(iface, seconds);
    }

    private static long residentBytes(final long pid) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    private long heapBytes()
    {
        return (long)ContainerVtep.sample(net.scrapeMetrics(), "jvm_memory_used_bytes", Map.of("area", "heap"));
    }

    private static long failures(final String metrics)
    {
        return FAILURES.stream().mapToLong(series -> (long)ContainerVtep.sample(metrics, series, Map.of())).sum();
    }

    /** The sum of vtep's drop counters, with and without a VNI, with {@code reason} (null: all reasons). */
    private static long drops(final String metrics, final String reason)
    {
        final Map<String, String> labels = reason == null ? Map.of() : Map.of("reason", reason);
        return (long)(ContainerVtep.sample(metrics, "vtep_drops_total", labels) + ContainerVtep.sample(metrics, "vtep_vni_drops_total", labels));
    }
}
