package io.vtep.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.testcontainers.containers.Container;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;

/**
 * A vtep container as an operator runs it: the image's own entrypoint and health check, the
 * configuration at {@code /etc/vtep/vtep.yaml}, all capabilities dropped but {@code NET_RAW}, and
 * IPv6 off (its link-local chatter would otherwise teach MACs before the test does).
 *
 * <p>Its underlay is {@code eth0}: the network it is created on, with a fixed address. Its access
 * port is {@code eth1}: the access network is connected only once the container runs, because
 * Docker attaches the networks of a container that is created with several in no fixed order, so
 * their interface names would be a coin toss. Until {@code eth1} is up, a wrapper in front of the
 * image's entrypoint waits (vtep refuses a configuration naming a missing interface).
 */
final class ContainerVtep extends BashContainer<ContainerVtep>
{
    static final String ACCESS_IF = "eth1";

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String name;
    private final Network access;

    /**
     * @param underlay the network of {@code eth0}
     * @param underlayIp vtep's fixed address there (its {@code local-ip})
     * @param access the access network, attached as {@code eth1} once the container runs; null for none
     * @param entrypoint the image's entrypoint, which the wait for {@code eth1} runs in the end
     */
    ContainerVtep(final String image, final String name, final Network underlay, final String underlayIp,
        final Network access, final List<String> entrypoint, final String yaml)
    {
        super(image);
        this.name = name;
        this.access = access;
        withNetwork(underlay);
        withCopyToContainer(Transferable.of(yaml), "/etc/vtep/vtep.yaml");
        withLabels(ContainerImages.labels());
        // The image's HEALTHCHECK (vtep health: GET /readyz at api.listen) is what says it runs.
        waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(90)));
        final List<String> wrapped = new ArrayList<>(List.of("/bin/bash", "-c",
            "for i in $(seq 1 200); do [ \"$(cat /sys/class/net/" + ACCESS_IF +
                "/operstate 2>/dev/null)\" = up ] && break; sleep 0.05; done; exec \"$@\"",
            "wait-for-" + ACCESS_IF));
        wrapped.addAll(entrypoint);
        withCreateContainerCmdModifier(cmd ->
        {
            cmd.withName(name).withIpv4Address(underlayIp).withHealthcheck(ContainerImages.quickHealthcheck());
            if (access != null)
            {
                cmd.withEntrypoint(wrapped);
            }
            cmd.getHostConfig()
                .withCapDrop(Capability.ALL)
                .withCapAdd(Capability.NET_RAW)
                .withSysctls(Map.of("net.ipv6.conf.all.disable_ipv6", "1", "net.ipv6.conf.default.disable_ipv6", "1"));
        });
    }

    @Override
    protected void containerIsStarting(final InspectContainerResponse containerInfo)
    {
        if (access != null)
        {
            dockerClient.connectToNetworkCmd().withContainerId(getContainerId()).withNetworkId(access.getId()).exec();
        }
    }

    String name()
    {
        return name;
    }

    /** {@code GET /metrics} on the API inside the container (127.0.0.1:9100), over bash's /dev/tcp. */
    String scrapeMetrics()
    {
        final Container.ExecResult result = exec(
            "exec 3<>/dev/tcp/127.0.0.1/9100 && printf 'GET /metrics HTTP/1.0\\r\\nHost: vtep\\r\\n\\r\\n' >&3 && timeout 10 cat <&3");
        if (result.getExitCode() != 0 || !result.getStdout().startsWith("HTTP/1.1 200"))
        {
            throw new AssertionError("GET /metrics in " + name + " failed: exit " + result.getExitCode() + "\n" +
                result.getStdout() + result.getStderr());
        }
        return result.getStdout();
    }

    /** The sum of every sample of {@code metric} whose labels include {@code labels}. */
    static double sample(final String exposition, final String metric, final Map<String, String> labels)
    {
        double sum = 0;
        for (final String line : exposition.split("\r?\n"))
        {
            final Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find() || !m.group(1).equals(metric))
            {
                continue;
            }
            final Map<String, String> have = new HashMap<>();
            if (m.group(3) != null)
            {
                final Matcher l = LABEL.matcher(m.group(3));
                while (l.find())
                {
                    have.put(l.group(1), l.group(2));
                }
            }
            if (have.entrySet().containsAll(labels.entrySet()))
            {
                sum += Double.parseDouble(m.group(4));
            }
        }
        return sum;
    }

    /** {@link #sample} of a fresh scrape. */
    double metric(final String metric, final Map<String, String> labels)
    {
        return sample(scrapeMetrics(), metric, labels);
    }

    /** {@code vtep fdb show} inside the container (the command line against the API). */
    String fdbShow()
    {
        final Container.ExecResult result = exec("/opt/vtep/bin/vtep fdb show");
        return result.getStdout() + result.getStderr();
    }

    /** What to print when a test fails: the log, the FDB. */
    String diagnostics()
    {
        if (!isRunning())
        {
            return "--- " + name + " (not running) log:\n" + getLogs();
        }
        return "--- " + name + " log:\n" + getLogs() + "--- " + name + " fdb:\n" + fdbShow();
    }
}
