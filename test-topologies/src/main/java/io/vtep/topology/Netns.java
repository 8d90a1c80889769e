package io.vtep.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A network namespace of a {@link Topology}: run commands in it, start background processes in
 * it, and configure its interfaces. Made by {@link Topology#namespace}; deleted at teardown.
 *
 * @param topology    the topology it belongs to
 * @param role        the role it was made for ("h1", "vtep1", "underlay")
 * @param name        the namespace name as {@code ip netns} knows it: {@code <prefix>-<role>}
 * @param ipv6Enabled whether IPv6 was kept ({@link Topology#namespaceWithIpv6}); otherwise it is disabled
 */
public record Netns(Topology topology, String role, String name, boolean ipv6Enabled)
{
    /** Runs {@code cmd} inside the namespace ({@code ip netns exec}); returns whatever the exit code. */
    public ExecResult exec(String... cmd)
    {
        return exec(Commands.DEFAULT_TIMEOUT, cmd);
    }

    /** {@link #exec(String...)} with a timeout. */
    public ExecResult exec(Duration timeout, String... cmd)
    {
        return Commands.run(timeout, inside(List.of(cmd)));
    }

    /** Runs {@code cmd} inside the namespace; throws {@link CommandFailedException} unless it exits 0. */
    public ExecResult execOk(String... cmd)
    {
        return exec(cmd).orThrow();
    }

    /** {@link #execOk(String...)} with a timeout. */
    public ExecResult execOk(Duration timeout, String... cmd)
    {
        return exec(timeout, cmd).orThrow();
    }

    /**
     * Starts {@code cmd} in the background inside the namespace. It is stopped at teardown.
     * ({@code ip netns exec} execs the command, so the process's pid is the command's own.)
     */
    public ManagedProcess spawn(String... cmd)
    {
        return spawn(cmd[0] + " in " + name, List.of(cmd));
    }

    /** {@link #spawn(String...)} with a description for messages. */
    public ManagedProcess spawn(String description, List<String> cmd)
    {
        return topology.track(ManagedProcess.start(description, inside(cmd)));
    }

    private List<String> inside(List<String> cmd)
    {
        if (cmd.isEmpty())
        {
            throw new IllegalArgumentException("empty command");
        }
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(cmd);
        return full;
    }

    /** Runs {@code ip -n <ns> args...} and requires success. */
    public ExecResult ip(String... args)
    {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return Commands.run(Commands.DEFAULT_TIMEOUT, cmd).orThrow();
    }

    /** Adds an IPv4 or IPv6 address ("10.0.0.1/24", "2001:db8::1/64"; IPv6 ones skip DAD). */
    public void addAddress(String ifName, String cidr)
    {
        if (cidr.contains(":"))
        {
            if (!ipv6Enabled)
            {
                throw new IllegalStateException("IPv6 address " + cidr + " in " + name +
                    ", which has IPv6 disabled: make it with Topology.namespaceWithIpv6");
            }
            ip("addr", "add", cidr, "dev", ifName, "nodad");
        }
        else
        {
            ip("addr", "add", cidr, "dev", ifName);
        }
    }

    public void up(String ifName)
    {
        ip("link", "set", "dev", ifName, "up");
    }

    public void down(String ifName)
    {
        ip("link", "set", "dev", ifName, "down");
    }

    /**
     * Sets the MTU of {@code ifName}. A kernel vxlan device gets the underlay's MTU minus 50 (1450),
     * and its bridge follows; give the underlay links 1550 when the overlay should carry 1500.
     */
    public void setMtu(String ifName, int mtu)
    {
        ip("link", "set", "dev", ifName, "mtu", Integer.toString(mtu));
    }

    /** One counter of {@code ifName} ({@code ip -s -j link}): {@code direction} rx or tx, {@code field} packets, dropped, ... */
    public long linkCounter(String ifName, String direction, String field)
    {
        Object doc = Json.parse(ip("-s", "-j", "link", "show", "dev", ifName).stdout());
        if (!(doc instanceof List<?> list) || list.isEmpty())
        {
            throw new IllegalStateException("no link " + ifName + " in " + name);
        }
        double value = Json.number(list.getFirst(), "stats64", direction, field);
        if (Double.isNaN(value))
        {
            throw new IllegalStateException("no stats64." + direction + "." + field + " for " + ifName + " in " + name);
        }
        return (long)value;
    }

    /** The MAC address of {@code ifName}, lower case, colon separated. */
    public String mac(String ifName)
    {
        Object json = Json.parse(ip("-j", "link", "show", "dev", ifName).stdout());
        if (json instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Map<?, ?> link)
        {
            Object address = link.get("address");
            if (address != null)
            {
                return address.toString().toLowerCase();
            }
        }
        throw new IllegalStateException("no MAC address for " + ifName + " in " + name);
    }

    /** Sets the MAC address of {@code ifName} (the link goes down and up around the change). */
    public void setMac(String ifName, String mac)
    {
        ip("link", "set", "dev", ifName, "address", mac);
    }

    /** The interface names in the namespace. */
    public List<String> interfaces()
    {
        Object json = Json.parse(ip("-j", "link", "show").stdout());
        List<String> names = new ArrayList<>();
        if (json instanceof List<?> list)
        {
            for (Object o : list)
            {
                if (o instanceof Map<?, ?> link && link.get("ifname") != null)
                {
                    names.add(link.get("ifname").toString());
                }
            }
        }
        return names;
    }

    /** Sets a sysctl inside the namespace (the net.* tree is per namespace). */
    public void sysctl(String key, String value)
    {
        execOk("sysctl", "-q", "-w", key + "=" + value);
    }

    /**
     * Makes a Linux bridge {@code name} with {@code ports} enslaved, all up. Multicast snooping is
     * off: with it on, the bridge joins 224.0.0.106 (multicast router discovery) and sends an
     * IGMP report from its own MAC whenever it comes up, which a VTEP would learn.
     */
    public void addBridge(String name, String... ports)
    {
        Topology.checkIfName(name);
        ip("link", "add", "name", name, "type", "bridge", "mcast_snooping", "0");
        for (String port : ports)
        {
            enslave(port, name);
        }
        up(name);
    }

    /** Attaches {@code port} to {@code bridge} and brings it up. */
    public void enslave(String port, String bridge)
    {
        ip("link", "set", "dev", port, "master", bridge);
        up(port);
    }

    @Override
    public String toString()
    {
        return name;
    }
}
