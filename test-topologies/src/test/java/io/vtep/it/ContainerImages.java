package io.vtep.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.PruneType;

/**
 * The images {@link ContainerTest} runs, and the checks before it: a Docker engine, the local base
 * images that {@code scripts/docker-setup.sh} makes (there is no image registry here, docs/architecture.md §8).
 *
 * <ul>
 *   <li>{@link #VTEP}: built from the repository's {@code Dockerfile} in the test run, with the
 *       local base images as build arguments and the host's network for the build stage (Maven
 *       Central).</li>
 *   <li>{@link #HOST}: a "bare-metal host" (iproute2, ping, ethtool, iperf3 from Debian's archive);
 *       Docker's layer cache makes it once per machine.</li>
 * </ul>
 */
final class ContainerImages
{
    static final String DEBIAN = "local/debian:bookworm";
    static final String JDK = "local/jdk:25";
    static final String VTEP = "local/vtep:containertest";
    static final String HOST = "local/vtep-testhost:bookworm";

    /** On every container and network the test makes: stale ones of a dead run are removed by it. */
    static final String LABEL = "io.vtep.test";
    static final String LABEL_VALUE = "ContainerTest";
    static final String PID_LABEL = "io.vtep.test.pid";

    private static final String SETUP_HINT = "run `sudo scripts/docker-setup.sh` (scripts/test.sh runs it before Maven)";

    private ContainerImages()
    {
    }

    /** The labels of everything this JVM makes. */
    static Map<String, String> labels()
    {
        return Map.of(LABEL, LABEL_VALUE, PID_LABEL, Long.toString(ProcessHandle.current().pid()));
    }

    /** Fails the test, saying what to do, unless a Docker engine answers. */
    static DockerClient requireDocker()
    {
        final boolean available;
        try
        {
            available = DockerClientFactory.instance().isDockerAvailable();
        }
        catch (final RuntimeException ex)
        {
            fail("ContainerTest needs a running Docker engine and found none (" + ex + "): " + SETUP_HINT, ex);
            throw ex;
        }
        if (!available)
        {
            fail("ContainerTest needs a running Docker engine and none answers on " +
                System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock") + ": " + SETUP_HINT);
        }
        return DockerClientFactory.instance().client();
    }

    /** Fails unless the local base images are there. */
    static void requireBaseImages(final DockerClient docker)
    {
        final List<String> missing = new ArrayList<>();
        for (final String image : List.of(DEBIAN, JDK))
        {
            try
            {
                docker.inspectImageCmd(image).exec();
            }
            catch (final NotFoundException ex)
            {
                missing.add(image);
            }
        }
        if (!missing.isEmpty())
        {
            fail("ContainerTest builds from local base images (no image registry here) and " + missing +
                " are missing: " + SETUP_HINT);
        }
    }

    /** Removes containers and networks that a test JVM no longer running left behind. */
    static void removeStale(final DockerClient docker)
    {
        final String filter = LABEL + "=" + LABEL_VALUE;
        for (final Container container : docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(filter)).exec())
        {
            if (!ownerAlive(container.getLabels()))
            {
                quietly(() -> docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec());
            }
        }
        for (final com.github.dockerjava.api.model.Network network : docker.listNetworksCmd().withFilter("label", List.of(filter)).exec())
        {
            if (!ownerAlive(network.getLabels()))
            {
                quietly(() -> docker.removeNetworkCmd(network.getId()).exec());
            }
        }
    }

    private static boolean ownerAlive(final Map<String, String> labels)
    {
        try
        {
            final long pid = Long.parseLong(labels.getOrDefault(PID_LABEL, "-1"));
            return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
    }

    /**
     * Builds the vtep image from the repository's Dockerfile (with its .dockerignore), the local
     * base images as build arguments, and the host's network for the build stage's Maven.
     */
    static String buildVtep(final Path repositoryRoot)
    {
        final String built = new ImageFromDockerfile(VTEP, false)
            .withDockerfile(repositoryRoot.resolve("Dockerfile"))
            .withBuildArg("BUILD_IMAGE", JDK)
            .withBuildArg("RUNTIME_BASE", DEBIAN)
            .withBuildArg("REVISION", "containertest")
            .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("host").withPull(false).withLabels(Map.of(LABEL, LABEL_VALUE)))
            .get();
        pruneDanglingImages();
        return built;
    }

    /** The bare-metal host image: Debian with the tools a test host needs. */
    static String buildHost()
    {
        return new ImageFromDockerfile(HOST, false)
            .withDockerfileFromBuilder(dockerfile -> dockerfile
                .from(DEBIAN)
                .run("apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends " +
                    "iproute2 iputils-ping ethtool iperf3 procps && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin")
                .build())
            .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("host").withPull(false))
            .get();
    }

    /**
     * Each build leaves untagged images behind: the one it replaced (labelled by this test) and its
     * build stage (labelled {@code io.vtep.stage=build} by the Dockerfile). Remove those, and only
     * those, so repeated runs on a developer's machine do not fill the disk.
     */
    private static void pruneDanglingImages()
    {
        final DockerClient docker = DockerClientFactory.instance().client();
        for (final String label : List.of(LABEL + "=" + LABEL_VALUE, "io.vtep.stage=build"))
        {
            quietly(() -> docker.pruneCmd(PruneType.IMAGES).withDangling(true).withLabelFilter(label).exec());
        }
    }

    /**
     * The image's health check (its test command: {@code vtep health}, GET /readyz at api.listen)
     * every second instead of every 10, so that waiting for "healthy" takes a second, not ten:
     * Docker keeps the image's test when the container's health check gives none. The timeout is
     * the image's: the check starts a small JVM, which a loaded machine may take seconds to do.
     */
    static HealthCheck quickHealthcheck()
    {
        return new HealthCheck().withInterval(Duration.ofSeconds(1).toNanos()).withTimeout(Duration.ofSeconds(10).toNanos());
    }

    /** The repository root: the nearest directory upwards from the working directory with the Dockerfile. */
    static Path repositoryRoot()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve("Dockerfile")) && Files.isRegularFile(dir.resolve("mvnw")))
            {
                return dir;
            }
        }
        fail("no Dockerfile found in " + Path.of("").toAbsolutePath() + " or above: run the tests from the repository");
        throw new IllegalStateException();
    }

    static void quietly(final Runnable action)
    {
        try
        {
            action.run();
        }
        catch (final RuntimeException ex)
        {
            // cleanup: best effort
        }
    }

    static String seconds(final Duration d)
    {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
