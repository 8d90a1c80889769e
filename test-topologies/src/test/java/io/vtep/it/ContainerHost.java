package io.vtep.it;

import java.util.Map;

import org.testcontainers.containers.Container;
import org.testcontainers.containers.Network;

import com.github.dockerjava.api.model.Capability;

import io.vtep.topology.Iperf3Result;
import io.vtep.topology.PingResult;

/**
 * A "bare-metal host" container on an access network: {@code eth0} carries only its overlay
 * address (Docker's address and default route are removed, as a server on a plain L2 segment has
 * neither), it keeps its default offloads like any container, and IPv6 is off.
 * {@code NET_ADMIN} is for that set-up inside the container only.
 */
final class ContainerHost extends BashContainer<ContainerHost>
{
    private final String name;
    private final String overlayCidr;

    ContainerHost(final String image, final String name, final Network access, final String overlayCidr)
    {
        super(image);
        this.name = name;
        this.overlayCidr = overlayCidr;
        withNetwork(access);
        withLabels(ContainerImages.labels());
        withCommand("sleep", "infinity");
        withCreateContainerCmdModifier(cmd ->
        {
            cmd.withName(name);
            cmd.getHostConfig()
                .withCapAdd(Capability.NET_ADMIN)
                .withSysctls(Map.of("net.ipv6.conf.all.disable_ipv6", "1", "net.ipv6.conf.default.disable_ipv6", "1"));
        });
    }

    /** Gives {@code eth0} the overlay address only; the container keeps its default offloads. Call once started. */
    ContainerHost configureOverlay()
    {
        execOk("ip addr flush dev eth0 && ip addr add " + overlayCidr + " dev eth0");
        return this;
    }

    String name()
    {
        return name;
    }

    String ip()
    {
        return overlayCidr.substring(0, overlayCidr.indexOf('/'));
    }

    String mac()
    {
        return execOk("cat /sys/class/net/eth0/address").getStdout().trim().toLowerCase();
    }

    PingResult ping(final String destination, final int count)
    {
        final Container.ExecResult result = exec("ping -c " + count + " -i 0.2 -W 2 " + destination);
        return PingResult.parse(result.getStdout());
    }

    /** Starts an iperf3 server that serves one test and exits. */
    void iperf3Server()
    {
        execOk("pkill -x iperf3; iperf3 -s -1 -D");
    }

    /** A TCP test of {@code seconds} to an iperf3 server, as iperf3 measured it. */
    Iperf3Result iperf3Client(final String server, final int seconds)
    {
        // The server starts in the background: give it a few tries to listen.
        Container.ExecResult result = null;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            result = exec("iperf3 -c " + server + " -t " + seconds + " -J --connect-timeout 3000");
            if (result.getExitCode() == 0 || !result.getStdout().concat(result.getStderr()).contains("Connection refused"))
            {
                break;
            }
            sleep(200);
        }
        if (result.getExitCode() != 0)
        {
            throw new AssertionError(name + ": iperf3 to " + server + " exited " + result.getExitCode() + ": " +
                result.getStdout() + result.getStderr());
        }
        return Iperf3Result.parse(result.getStdout());
    }

    Container.ExecResult execOk(final String bash)
    {
        final Container.ExecResult result = exec(bash);
        if (result.getExitCode() != 0)
        {
            throw new AssertionError(name + ": `" + bash + "` exited " + result.getExitCode() + ": " +
                result.getStdout() + result.getStderr());
        }
        return result;
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
