package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vtep.topology.Commands;
import io.vtep.topology.Requirements;
import io.vtep.topology.VtepProcess;

/**
 * {@code bin/vtep run}'s counters keep counting after a full garbage collection. Micrometer holds
 * the object behind a function counter weakly; the counters vtep read from a supplier made for the
 * binding ({@code vtep_pipeline_packets_total}, {@code vtep_port_worker_failures_total},
 * {@code vtep_underlay_failures_total}, the underlay GSO pair) were collectable, and after the
 * collection they showed their last value for good. The test asks vtep's JVM for a full
 * collection with {@code jcmd <pid> GC.run}, which the code before the fix fails.
 */
class CountersAfterGcTest extends KernelPeerTest
{
    private static final int PINGS = 5;

    @Override
    protected void requirements()
    {
        Requirements.requireTopology("ping", Requirements.SYSTEM_PYTHON);
    }

    @Test
    void pipelinePacketsKeepCountingAfterAFullGarbageCollection()
    {
        final VtepProcess vtep = topology.startVtep(net.vtepNs, net.vtepConfig("""
            api: { listen: "127.0.0.1:9100" }
            """));
        assertTrue(net.h1.ping("10.0.0.2", 2).allReceived(), () -> "ping before the collection\n" + topology.diagnostics());
        final double before = pipelinePackets(net.scrapeMetrics());

        Commands.runOk(jcmd(), Long.toString(vtep.pid()), "GC.run");
        assertTrue(net.h1.ping("10.0.0.2", PINGS).allReceived(), () -> "ping after the collection\n" + topology.diagnostics());
        final double after = pipelinePackets(net.scrapeMetrics());

        // Each echo request and reply enters vtep once: a frame on the access port one way, a
        // VXLAN datagram from the underlay the other.
        System.out.printf("vtep_pipeline_packets_total: %.0f before the collection, %.0f after it and %d pings%n", before,
            after, PINGS);
        assertTrue(after >= before + 2 * PINGS, () -> "vtep_pipeline_packets_total went from " + before + " to " + after +
            " over " + PINGS + " pings after a full garbage collection");
    }

    /** The JDK's jcmd beside the java running this test (the build's Java 25, as bin/vtep's). */
    private static String jcmd()
    {
        final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd))
        {
            throw new IllegalStateException("this test needs the JDK's jcmd, not found at " + jcmd +
                ": run the tests with a JDK (the Maven wrapper's Java 25 is one)");
        }
        return jcmd.toString();
    }

    private static double pipelinePackets(final String metrics)
    {
        assertTrue(metrics.contains("\nvtep_pipeline_packets_total{"), "vtep_pipeline_packets_total is exported");
        return ContainerVtep.sample(metrics, "vtep_pipeline_packets_total", Map.of());
    }
}
