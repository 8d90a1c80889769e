package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.sun.management.ThreadMXBean;

import io.vtep.metrics.Side;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.Requirements;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * The forwarding threads allocate nothing per packet, shown end to end under load: hosts with
 * default offloads push iperf3 TCP both ways (TSO super-frames segmented by vtep, GSO packets from
 * the kernel VTEP sent whole) and small UDP, through two pipelines, while a JFR recording with every
 * allocation event on is taken. No allocation event may name a pipeline thread, and each
 * pipeline thread's allocation counter may grow by less than one small object per thousand packets.
 *
 * <p>The load lasts {@code -Dvtep.allocation.seconds} (default 10 s); the closing figures of the
 * fast-path work come from a 30 s run.
 */
class ForwardingAllocationTest extends KernelPeerTest
{
    private static final int SECONDS = Integer.getInteger("vtep.allocation.seconds", 10);

    @Override
    protected void requirements()
    {
        Requirements.requireTools("ping", "iperf3");
    }

    @Test
    void pipelinesAllocateNothingUnderLoad() throws Exception
    {
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs, net.vtepConfig("dataplane: { pipelines: 2 }"));
        assertTrue(net.h1.ping("10.0.0.2", 3).allReceived(), () -> "ping h1 -> h2\n" + topology.diagnostics());
        final ManagedProcess server = net.h2.iperf3Server();
        final ManagedProcess udpServer = net.h2.iperf3Server(5202);
        // Warm-up: JIT, first learning, every code path once.
        net.h1.iperf3Client("10.0.0.2", 2);
        net.h1.iperf3Client("10.0.0.2", 2, List.of("-R"));

        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        final Map<Long, String> pipelineThreads = new HashMap<>();
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("vtep-pipeline-"))
            .forEach(t -> pipelineThreads.put(t.threadId(), t.getName()));
        assertEquals(2, pipelineThreads.size(), () -> "pipeline threads: " + pipelineThreads);
        final Map<Long, Long> allocatedBefore = new HashMap<>();
        pipelineThreads.keySet().forEach(id -> allocatedBefore.put(id, threads.getThreadAllocatedBytes(id)));
        final long packetsBefore = vtep.rxPackets(KernelPeerTopology.VNI, Side.ACCESS) + vtep.rxPackets(KernelPeerTopology.VNI, Side.OVERLAY);

        final Path jfr = topology.workDir().resolve("forwarding.jfr");
        try (Recording recording = new Recording())
        {
            recording.enable("jdk.ObjectAllocationInNewTLAB").withStackTrace();
            recording.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
            recording.enable("jdk.ObjectAllocationSample").withStackTrace().withoutThreshold();
            recording.start();
            final List<Thread> load = new ArrayList<>();
            load.add(Thread.ofPlatform().start(() -> net.h1.iperf3Client("10.0.0.2", SECONDS, List.of("-P", "2"))));
            load.add(Thread.ofPlatform().start(() -> net.h1.iperf3Client("10.0.0.2", SECONDS,
                List.of("-p", "5202", "-u", "-b", "20M", "-l", "64", "-R"))));
            for (final Thread thread : load)
            {
                thread.join(Duration.ofSeconds(SECONDS + 40));
            }
            recording.stop();
            recording.dump(jfr);
        }
        server.stop();
        udpServer.stop();

        final long packets = vtep.rxPackets(KernelPeerTopology.VNI, Side.ACCESS) +
            vtep.rxPackets(KernelPeerTopology.VNI, Side.OVERLAY) - packetsBefore;
        assertTrue(packets > 100_000, () -> "the load moved only " + packets + " packets");

        final List<String> onPipelines = new ArrayList<>();
        long allocationEvents = 0;
        for (final RecordedEvent event : RecordingFile.readAllEvents(jfr))
        {
            allocationEvents++;
            final String thread = event.getThread() == null ? "" : event.getThread().getJavaName();
            if (thread != null && thread.startsWith("vtep-pipeline-"))
            {
                onPipelines.add(thread + " " + event.getEventType().getName() + " " +
                    event.getClass("objectClass").getName() + "\n" + event.getStackTrace());
            }
        }
        System.out.printf("forwarding under load: %d packets in %d s, %d allocation events in the JVM, %d on pipeline threads%n",
            packets, SECONDS, allocationEvents, onPipelines.size());
        assertTrue(onPipelines.isEmpty(), () -> "allocations on forwarding threads:\n" + String.join("\n", onPipelines));

        for (final Map.Entry<Long, String> thread : pipelineThreads.entrySet())
        {
            final long allocated = threads.getThreadAllocatedBytes(thread.getKey()) - allocatedBefore.get(thread.getKey());
            System.out.printf("%s allocated %d bytes under load%n", thread.getValue(), allocated);
            // Less than one 16-byte object per thousand packets: nothing on the per-packet path.
            assertTrue(allocated < packets / 1000 * 16 + 64 * 1024,
                () -> thread.getValue() + " allocated " + allocated + " bytes for " + packets + " packets");
        }
    }
}
