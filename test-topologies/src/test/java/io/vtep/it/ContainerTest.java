package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.images.builder.Transferable;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;

import io.vtep.topology.Iperf3Result;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Wait;

/**
 * The container image (issue 5): built from the repository's Dockerfile in this run, then run the
 * way an operator runs it (its entrypoint, health check and stop signal, only {@code NET_RAW}).
 *
 * <ul>
 *   <li>Overlay: two vtep containers and a Linux kernel VTEP outside Docker, each with a
 *       bare-metal host ({@link ContainerTopology}); hosts ping and move data over TCP across the
 *       overlay, and each vtep's {@code /metrics} shows the traffic in VNI 100.</li>
 *   <li>{@code docker stop} ends vtep at once with exit code 0; a bad configuration makes the
 *       container exit non-zero with the key path in its log.</li>
 * </ul>
 *
 * Needs root (the kernel VTEP's namespace) and a Docker engine with the local base images:
 * {@code scripts/docker-setup.sh} makes both, and {@code scripts/test.sh} runs it. Without them the
 * tests fail and say so; they never skip.
 */
class ContainerTest
{
    private static DockerClient docker;
    private static String vtepImage;
    private static List<String> entrypoint;
    private static ContainerTopology shared;
    private static Throwable sharedFailure;

    @BeforeAll
    static void buildImage()
    {
        Requirements.requireRoot();
        docker = ContainerImages.requireDocker();
        ContainerImages.requireBaseImages(docker);
        ContainerImages.removeStale(docker);

        final long start = System.nanoTime();
        vtepImage = ContainerImages.buildVtep(ContainerImages.repositoryRoot());
        final InspectContainerImage image = InspectContainerImage.of(docker, vtepImage);
        entrypoint = image.entrypoint();
        System.out.printf("ContainerTest: built %s from the Dockerfile in %s: %.1f MB%n", vtepImage,
            ContainerImages.seconds(ContainerTopology.since(start)), image.sizeBytes() / 1e6);
    }

    @AfterAll
    static void stopTopology()
    {
        if (shared != null)
        {
            shared.close();
        }
    }

    /**
     * The overlay of containers and a kernel VTEP, started by the first test that needs it and
     * shared with the next (a failure to start fails each of them with the same cause).
     */
    private static synchronized ContainerTopology overlay()
    {
        if (shared == null && sharedFailure == null)
        {
            final long start = System.nanoTime();
            try
            {
                shared = ContainerTopology.start(vtepImage, ContainerImages.buildHost(), entrypoint);
                System.out.printf("ContainerTest: topology %s up in %s%n", shared.prefix,
                    ContainerImages.seconds(ContainerTopology.since(start)));
            }
            catch (final RuntimeException | Error ex)
            {
                sharedFailure = ex;
            }
        }
        if (sharedFailure != null)
        {
            throw new AssertionError("the topology of containers did not start: " + sharedFailure, sharedFailure);
        }
        return shared;
    }

    @Test
    void hostsPingAndTransferAcrossTwoVtepContainersAndMetricsShowTheVni()
    {
        final ContainerTopology net = overlay();
        final Map<String, String> accessSide = Map.of("vni", "100", "side", "access");
        final Map<String, String> overlaySide = Map.of("vni", "100", "side", "overlay");
        final double v1AccessBefore = net.vtep1.metric("vtep_vni_rx_packets_total", accessSide);
        final double v2OverlayBefore = net.vtep2.metric("vtep_vni_rx_packets_total", overlaySide);

        final int pings = 5;
        final PingResult ping = net.h1.ping(net.h2.ip(), pings);
        assertEquals(pings, ping.received(), () -> "h1 -> h2 across vtep1 and vtep2: " + ping + "\n" + net.diagnostics());

        // The per-VNI counters of each side saw at least those packets (ARP comes on top).
        final double v1Access = net.vtep1.metric("vtep_vni_rx_packets_total", accessSide) - v1AccessBefore;
        final double v2Overlay = net.vtep2.metric("vtep_vni_rx_packets_total", overlaySide) - v2OverlayBefore;
        assertTrue(v1Access >= pings, () -> "vtep1 vtep_vni_rx_packets_total{vni=100,side=access} grew by " + v1Access);
        assertTrue(v2Overlay >= pings, () -> "vtep2 vtep_vni_rx_packets_total{vni=100,side=overlay} grew by " + v2Overlay);
        assertTrue(net.vtep1.fdbShow().contains(net.h2.mac()), () -> "vtep1 learned h2 behind vtep2:\n" + net.vtep1.fdbShow());

        // Data: a second of TCP from h1 to h2; what h2 received crossed vtep2's overlay side.
        final double v2BytesBefore = net.vtep2.metric("vtep_vni_rx_bytes_total", overlaySide);
        net.h2.iperf3Server();
        final Iperf3Result iperf = net.h1.iperf3Client(net.h2.ip(), 1);
        assertTrue(iperf.receivedBytes() > 1_000_000, () -> "iperf3 h1 -> h2: " + iperf + "\n" + net.diagnostics());
        final double v2Bytes = net.vtep2.metric("vtep_vni_rx_bytes_total", overlaySide) - v2BytesBefore;
        assertTrue(v2Bytes >= iperf.receivedBytes(), () -> "vtep2 vtep_vni_rx_bytes_total{vni=100,side=overlay} grew by " +
            v2Bytes + " while h2 received " + iperf.receivedBytes() + " bytes of TCP payload");
    }

    @Test
    void vtepContainerInteroperatesWithKernelVtepOutsideDocker()
    {
        final ContainerTopology net = overlay();
        final String fromKernel = "vtep_remote_vtep_rx_packets_total";
        final double before = net.vtep1.metric(fromKernel, Map.of("vtep", ContainerTopology.KERNEL_IP));

        final int pings = 5;
        final PingResult ping = net.h1.ping(net.h3.ip(), pings);
        assertEquals(pings, ping.received(), () -> "h1 (container) -> h3 (behind the kernel VTEP): " + ping + "\n" + net.diagnostics());
        final double fromKernelDelta = net.vtep1.metric(fromKernel, Map.of("vtep", ContainerTopology.KERNEL_IP)) - before;
        assertTrue(fromKernelDelta >= pings, () -> "vtep1 " + fromKernel + "{vtep=" + ContainerTopology.KERNEL_IP + "} grew by " + fromKernelDelta);
        // The kernel learned h1's MAC behind the vtep container.
        Wait.until(Duration.ofSeconds(3), () -> net.kernel.remoteVtepOf(net.h1.mac()).isPresent(), "the kernel VTEP to learn h1");
        assertEquals(ContainerTopology.VTEP1_IP, net.kernel.remoteVtepOf(net.h1.mac()).orElseThrow());

        // The other way, from the kernel's side to the pcap-driven vtep2: ping and TCP.
        final PingResult back = net.h3.ping(net.h2.ip(), 3);
        assertEquals(3, back.received(), () -> "h3 -> h2 (kernel VTEP -> vtep2): " + back + "\n" + net.diagnostics());
        net.h2.iperf3Server();
        final var iperf = net.h3.iperf3Client(net.h2.ip(), 1);
        assertTrue(iperf.receivedBytes() > 1_000_000, () -> "iperf3 h3 -> h2 for a second: " + iperf + "\n" + net.diagnostics());
    }

    @Test
    void dockerStopEndsVtepAtOnceWithExitCodeZero()
    {
        // The image's defaults as they are: loopback as the port keeps this container self-contained.
        try (GenericContainer<?> vtep = standalone().withCopyToContainer(Transferable.of("""
            vtep: { local-ip: 127.0.0.1 }
            ports: [ { name: lo, vlans: { untagged: 100 } } ]
            vnis: [ { vni: 100 } ]
            """), "/etc/vtep/vtep.yaml")
            .waitingFor(org.testcontainers.containers.wait.strategy.Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(90))))
        {
            vtep.start();
            final long start = System.nanoTime();
            docker.stopContainerCmd(vtep.getContainerId()).withTimeout(10).exec();
            final Duration took = ContainerTopology.since(start);
            final InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(vtep.getContainerId()).exec().getState();
            System.out.printf("ContainerTest: docker stop took %s, exit code %d%n", ContainerImages.seconds(took), state.getExitCodeLong());
            final String log = vtep.getLogs();
            assertEquals(0L, state.getExitCodeLong(), () -> "exit code after docker stop (137 = killed after the timeout); log:\n" + log);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, () -> "docker stop took " + took + " (SIGTERM not acted on?); log:\n" + log);
            assertTrue(log.contains("vtep stopped"), () -> "log:\n" + log);
        }
    }

    /**
     * The health check reads api.listen from the mounted configuration (issue 16: it used to ask
     * 127.0.0.1:9100 whatever the file said, and showed unhealthy forever): here the API is on
     * port 9177 and nothing tells the image so but the file.
     */
    @Test
    void theHealthCheckFollowsApiListenInTheConfiguration()
    {
        try (GenericContainer<?> vtep = standalone().withCopyToContainer(Transferable.of("""
            vtep: { local-ip: 127.0.0.1 }
            ports: [ { name: lo, vlans: { untagged: 100 } } ]
            vnis: [ { vni: 100 } ]
            api: { listen: 127.0.0.1:9177 }
            """), "/etc/vtep/vtep.yaml")
            .waitingFor(org.testcontainers.containers.wait.strategy.Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(90))))
        {
            vtep.start();
            final var health = docker.inspectContainerCmd(vtep.getContainerId()).exec().getState().getHealth();
            assertEquals("healthy", health.getStatus());
            final String probe = health.getLog().getLast().getOutput();
            assertTrue(probe.contains("ready: 127.0.0.1:9177"), () -> "the check's own output: " + probe);
        }
    }

    @Test
    void badConfigExitsNonZeroWithTheKeyPathInTheLog()
    {
        // VTEP_CONFIG points the entrypoint at another file: the override users have besides arguments.
        try (GenericContainer<?> vtep = standalone()
            .withEnv("VTEP_CONFIG", "/config/bad.yaml")
            .withCopyToContainer(Transferable.of("""
                vtep: { local-ip: 127.0.0.1 }
                ports: [ { name: lo, vlans: { untagged: 100 } } ]
                vnis: [ { vni: 16777216 } ]
                """), "/config/bad.yaml")
            .withStartupCheckStrategy(new ExitedStartupCheck()))
        {
            vtep.start();
            final Long exitCode = docker.inspectContainerCmd(vtep.getContainerId()).exec().getState().getExitCodeLong();
            final String log = vtep.getLogs();
            assertTrue(exitCode != null && exitCode != 0, () -> "exit code " + exitCode + "; log:\n" + log);
            assertTrue(log.contains("vnis[0].vni") && log.contains("/config/bad.yaml"), () -> "the log names the file and the key path:\n" + log);
        }
    }

    /** The image as an operator runs it, alone: no network but loopback, only NET_RAW. */
    @SuppressWarnings("resource")
    private static GenericContainer<?> standalone()
    {
        return new GenericContainer<>(vtepImage)
            .withLabels(ContainerImages.labels())
            .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withNetworkMode("none")
                .withCapDrop(Capability.ALL)
                .withCapAdd(Capability.NET_RAW))
            .withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(ContainerImages.quickHealthcheck()));
    }

    /** Started = the container has exited (whatever its exit code): for one-shot runs. */
    private static final class ExitedStartupCheck extends StartupCheckStrategy
    {
        @Override
        public StartupStatus checkStartupState(final DockerClient client, final String containerId)
        {
            final InspectContainerResponse.ContainerState state = getCurrentState(client, containerId);
            return Boolean.TRUE.equals(state.getRunning()) ? StartupStatus.NOT_YET_KNOWN : StartupStatus.SUCCESSFUL;
        }
    }

    /** What the test needs from the built image. */
    private record InspectContainerImage(List<String> entrypoint, long sizeBytes)
    {
        static InspectContainerImage of(final DockerClient docker, final String image)
        {
            final var inspect = docker.inspectImageCmd(image).exec();
            final String[] ep = inspect.getConfig().getEntrypoint();
            return new InspectContainerImage(ep == null ? List.of() : Arrays.asList(ep), inspect.getSize() == null ? 0 : inspect.getSize());
        }
    }
}
