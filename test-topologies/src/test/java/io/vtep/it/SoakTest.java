package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.topology.Iperf3Result;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.Requirements;
import io.vtep.topology.Topology;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;

/**
 * A soak: {@code bin/vtep run} against a kernel VTEP under mixed traffic at a fixed rate for
 * {@code -Dvtep.soak.seconds} (default 60; the documented long run is 600): UDP both ways at
 * 20 Mbit/s each, an ARP exchange every 2 s, and a slow MAC churn (10 new source MACs a second
 * from h1, ageing 20 s, so learning and ageing run all the time). Every 5 s it samples vtep's
 * resident memory and heap (after the first fifth, the warm-up). It asserts that UDP lost at most
 * 1 datagram in 10,000 (vtep does not count the kernel's socket-queue drops yet, so a loss there
 * would go uncounted), that vtep dropped nothing for a reason other than the churn's, and that
 * resident memory does not grow from the first half of the samples to the second. The sums and
 * samples are printed.
 */
class SoakTest
{
    private static final int SECONDS = Integer.getInteger("vtep.soak.seconds", 60);
    private static final Pattern HEAP_USED = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.eE+]+)$",
        Pattern.MULTILINE);
    private static final Pattern DROPS = Pattern.compile("^vtep_(?:vni_)?drops_total\\{([^}]*)} ([0-9.eE+]+)$",
        Pattern.MULTILINE);

    private Topology topology;
    private KernelPeerTopology net;

    @BeforeEach
    void build()
    {
        Requirements.requireTopology("ping", "iperf3");
        topology = Topology.create();
        net = new KernelPeerTopology(topology, true);
    }

    @AfterEach
    void tearDown()
    {
        topology.close();
    }

    @Test
    void mixedTrafficAtAFixedRateLosesNothingUncountedAndMemoryStaysFlat() throws Exception
    {
        final VtepProcess vtep = topology.startVtep(net.vtepNs, net.vtepConfig("""
            fdb: { ageing-seconds: 20 }
            api: { listen: "127.0.0.1:9100" }
            """));
        assertTrue(net.h1.ping("10.0.0.2", 3).allReceived(), () -> "ping before the soak\n" + topology.diagnostics());

        final ManagedProcess forwardServer = net.h2.iperf3Server(5301);
        final ManagedProcess reverseServer = net.h2.iperf3Server(5302);
        Wait.until(Duration.ofSeconds(10), () -> net.h2.netns().exec("ss", "-ltn").stdout().contains(":5302"),
            "iperf3 servers listening");
        final ManagedProcess churn = net.h1.netns().spawn("MAC churn from h1", List.of(Requirements.SYSTEM_PYTHON, "-c",
            macChurnScript(net.h1.iface(), SECONDS)));
        // A thread each: the common pool has a single thread on two CPUs and would run them one after the other.
        final ExecutorService clients = Executors.newFixedThreadPool(2);
        final Future<Iperf3Result> forward = clients.submit(() ->
            net.h1.iperf3Client("10.0.0.2", SECONDS, List.of("-p", "5301", "-u", "-b", "20M", "-l", "1200")));
        final Future<Iperf3Result> reverse = clients.submit(() ->
            net.h1.iperf3Client("10.0.0.2", SECONDS, List.of("-p", "5302", "-u", "-b", "20M", "-l", "1200", "-R")));
        clients.shutdown();

        final List<long[]> samples = new ArrayList<>(); // seconds, resident bytes, heap bytes
        final long started = System.nanoTime();
        int arps = 0;
        while ((System.nanoTime() - started) / 1_000_000_000L < SECONDS)
        {
            Thread.sleep(2_000);
            net.h1.flushArp();
            arps += net.h1.ping("10.0.0.2", 1).allReceived() ? 1 : 0;
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

        final String metrics = scrape();
        final long churnDrops = drops(metrics, "mac_limit");
        final long otherDrops = drops(metrics, null) - churnDrops;
        System.out.printf("soak %d s: UDP h1->h2 %d datagrams lost of %d bytes sent, h2->h1 %d lost of %d bytes; "
            + "%d ARP exchanges answered; vtep drops: %d (any reason)%n", SECONDS, there.lostPackets(), there.sentBytes(),
            back.lostPackets(), back.sentBytes(), arps, otherDrops + churnDrops);
        samples.forEach(s -> System.out.printf("soak sample at %3d s: resident %6.1f MB, heap %6.1f MB%n", s[0],
            s[1] / 1e6, s[2] / 1e6));

        assertTrue(vtep.isAlive(), () -> "vtep died: " + vtep.output());
        // The aim is "lost = counted"; vtep does not yet count what the kernel drops in its sockets'
        // queues (packet socket tp_drops, UDP receive buffer): a 10-minute run lost 3 of 1.25 M
        // datagrams h1 -> h2, a 1-minute CI run 2 of 125,000, none counted by vtep (the other way:
        // none lost). Until those drops are counted and traced, at most 1 in 10,000.
        assertTrue(there.lostPackets() * 10_000 <= there.sentBytes() / 1200,
            () -> "h1 -> h2 lost more than 1 in 10,000 datagrams, vtep counted " + otherDrops + ": " + there);
        assertTrue(back.lostPackets() * 10_000 <= back.sentBytes() / 1200,
            () -> "h2 -> h1 lost more than 1 in 10,000 datagrams, vtep counted " + otherDrops + ": " + back);
        assertTrue(there.receivedBytes() > SECONDS * 2_000_000L, () -> "UDP h1 -> h2 kept its rate: " + there);
        assertTrue(back.receivedBytes() > SECONDS * 2_000_000L, () -> "UDP h2 -> h1 kept its rate: " + back);
        assertEquals(0, otherDrops, () -> "vtep dropped packets:\n" + metrics);
        assertTrue(arps >= SECONDS / 2 / 2, "ARP exchanges answered: " + arps);
        assertTrue(samples.size() >= 4, "memory sampled " + samples.size() + " times");
        final int half = samples.size() / 2;
        final double firstResident = samples.subList(0, half).stream().mapToLong(s -> s[1]).max().orElseThrow();
        final double lastResident = samples.subList(half, samples.size()).stream().mapToLong(s -> s[1]).max().orElseThrow();
        // Flat: the second half's peak within 10 % (and 16 MB of page-in slack) of the first half's.
        assertTrue(lastResident <= firstResident * 1.10 + 16e6,
            () -> String.format("resident memory grew from %.1f MB to %.1f MB", firstResident / 1e6, lastResident / 1e6));
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
        final Matcher m = HEAP_USED.matcher(scrape());
        double sum = 0;
        while (m.find())
        {
            sum += Double.parseDouble(m.group(1));
        }
        return (long)sum;
    }

    private String scrape()
    {
        return net.vtepNs.execOk(Requirements.SYSTEM_PYTHON, "-c",
            "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:9100/metrics').read().decode())").stdout();
    }

    /** The sum of vtep's drop counters with {@code reason} (null: all reasons). */
    private static long drops(final String metrics, final String reason)
    {
        final Matcher m = DROPS.matcher(metrics);
        long sum = 0;
        while (m.find())
        {
            if (reason == null || m.group(1).contains("reason=\"" + reason + "\""))
            {
                sum += (long)Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
