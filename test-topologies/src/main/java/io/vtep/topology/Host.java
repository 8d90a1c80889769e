package io.vtep.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A bare-metal server: a namespace with one interface ({@code eth0} by default) and an address,
 * with the tools a test uses to send traffic from it and look at what it learned.
 * Made by {@link Topology#host}, or wrapped around any namespace with {@link #Host(Netns, String, String)}.
 *
 * @param netns the host's namespace
 * @param iface the host's interface
 * @param cidr  the host's address with its prefix length, "10.0.0.1/24" (it has it, or will have it)
 */
public record Host(Netns netns, String iface, String cidr)
{

    /** The interface name {@link Topology#host} gives a host. */
    public static final String DEFAULT_IFACE = "eth0";
    /** The port iperf3 listens on unless told otherwise. */
    public static final int IPERF3_PORT = 5201;

    /** The host's address, "10.0.0.1". */
    public String ip()
    {
        int slash = cidr.indexOf('/');
        return slash < 0 ? cidr : cidr.substring(0, slash);
    }

    /**
     * The same host with IPv6 turned on (topology namespaces start without it) and {@code cidr}
     * added to its interface without duplicate address detection; the returned host's
     * {@link #ip()} is that address.
     */
    public Host withIpv6(String cidr)
    {
        netns.sysctl("net.ipv6.conf.all.disable_ipv6", "0");
        netns.sysctl("net.ipv6.conf." + iface + ".accept_dad", "0");
        netns.sysctl("net.ipv6.conf." + iface + ".disable_ipv6", "0");
        netns.execOk("ip", "-6", "addr", "add", cidr, "dev", iface, "nodad");
        return new Host(netns, iface, cidr);
    }

    /** The MAC address of the host's interface. */
    public String mac()
    {
        return mac(iface);
    }

    public String mac(String ifName)
    {
        return netns.mac(ifName);
    }

    public void setMac(String mac)
    {
        setMac(iface, mac);
    }

    public void setMac(String ifName, String mac)
    {
        netns.setMac(ifName, mac);
    }

    /**
     * Pings {@code dst} {@code count} times, 0.2 s apart, waiting up to 1 s for the last reply.
     * Returns the parsed summary whatever the loss (assert on it); throws only when ping produced
     * no summary (bad address, no route).
     */
    public PingResult ping(String dst, int count)
    {
        return ping(dst, count, List.of());
    }

    /** {@link #ping(String, int)} with extra ping options ("-s", "1400", "-M", "do"). */
    public PingResult ping(String dst, int count, List<String> options)
    {
        List<String> cmd = new ArrayList<>(List.of("ping", "-n", "-c", Integer.toString(count), "-i", "0.2", "-W", "1"));
        cmd.addAll(options);
        cmd.add(dst);
        Duration timeout = Duration.ofMillis(count * 200L + 15_000);
        ExecResult r = netns.exec(timeout, cmd.toArray(String[]::new));
        try
        {
            return PingResult.parse(r.stdout());
        }
        catch (IllegalArgumentException e)
        {
            throw new CommandFailedException(r);
        }
    }

    /** The host's neighbour (ARP) table on its interface. */
    public List<Neighbor> arp()
    {
        return Neighbor.parseJson(netns.execOk("ip", "-j", "neigh", "show", "dev", iface).stdout());
    }

    /** The resolved MAC for {@code ip} in the host's ARP table, if any. */
    public Optional<String> arpEntry(String ip)
    {
        return arp().stream().filter(n -> n.ip().equals(ip) && n.resolved()).map(Neighbor::mac).findFirst();
    }

    /** Empties the host's ARP table, so the next packet has to resolve again (and flood). */
    public void flushArp()
    {
        netns.execOk("ip", "neigh", "flush", "dev", iface);
    }

    /** Starts an iperf3 server on {@link #IPERF3_PORT}, waiting until it listens. Stopped at teardown. */
    public ManagedProcess iperf3Server()
    {
        return iperf3Server(IPERF3_PORT);
    }

    /**
     * Starts an iperf3 server on {@code port}, waiting until it listens. {@code --forceflush}
     * makes its "Server listening" line reach us through the pipe at once.
     */
    public ManagedProcess iperf3Server(int port)
    {
        ManagedProcess server = netns.spawn("iperf3 server in " + netns.name(),
            List.of("iperf3", "-s", "-p", Integer.toString(port), "--forceflush"));
        server.awaitOutput("Server listening on " + port, Duration.ofSeconds(10));
        return server;
    }

    /** Runs an iperf3 TCP test to {@code server} for {@code seconds} and returns its parsed result. */
    public Iperf3Result iperf3Client(String server, int seconds)
    {
        return iperf3Client(server, seconds, List.of());
    }

    /**
     * Runs an iperf3 client with extra options ("-u", "-b", "100M", "-p", "5202", "-R", ...).
     * A failed test (iperf3 reports errors inside its JSON) throws with iperf3's message.
     */
    public Iperf3Result iperf3Client(String server, int seconds, List<String> options)
    {
        List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", server, "-t", Integer.toString(seconds), "-J"));
        if (!options.contains("-p"))
        {
            cmd.addAll(List.of("-p", Integer.toString(IPERF3_PORT)));
        }
        cmd.addAll(options);
        ExecResult r = netns.exec(Duration.ofSeconds(seconds + 30L), cmd.toArray(String[]::new));
        try
        {
            return Iperf3Result.parse(r.stdout());
        }
        catch (IllegalArgumentException notJson)
        {
            throw new CommandFailedException(r);
        }
        catch (IllegalStateException failed)
        {
            throw new IllegalStateException(failed.getMessage() + " (" + r.commandLine() + ", exit " + r.exitCode() + ")", failed);
        }
    }

    /**
     * Sends {@code frame} (a complete Ethernet frame: destination MAC first, no FCS) out of
     * {@code ifName} exactly as given, {@code count} times, through scapy. This is how a test
     * builds what a Linux host cannot here, like 802.1Q-tagged frames (the kernel has no VLAN
     * devices). A tagged frame written to a packet socket leaves as written.
     */
    public void sendRawFrame(String ifName, byte[] frame, int count)
    {
        scapy("sendp(Raw(bytes.fromhex('" + HexFormat.of().formatHex(frame) + "')), iface='" + ifName + "', count=" + count + ", verbose=False)");
    }

    /** {@link #sendRawFrame(String, byte[], int)} once, on the host's interface. */
    public void sendRawFrame(byte[] frame)
    {
        sendRawFrame(iface, frame, 1);
    }

    /**
     * Sends a frame described in scapy's language out of the host's interface, e.g.
     * {@code "Ether(dst='ff:ff:ff:ff:ff:ff')/Dot1Q(vlan=10)/ARP(pdst='10.0.0.2')"}.
     */
    public void sendScapyFrame(String scapyExpression, int count)
    {
        scapy("sendp(" + scapyExpression + ", iface='" + iface + "', count=" + count + ", verbose=False)");
    }

    /**
     * Runs a Python script with {@code from scapy.all import *} in the host's namespace, under
     * Debian's {@code /usr/bin/python3} (the {@code python3} first on PATH may be another Python
     * without Debian's modules). Fails unless it exits 0; stdout is the script's output.
     */
    public ExecResult scapy(String script)
    {
        return netns.execOk(Duration.ofSeconds(60), Requirements.SYSTEM_PYTHON, "-c",
            "from scapy.all import *\n" + script);
    }

    @Override
    public String toString()
    {
        return netns.name() + "/" + iface + " " + cidr;
    }
}
