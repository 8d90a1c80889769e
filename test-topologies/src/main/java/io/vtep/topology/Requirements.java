package io.vtep.topology;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what a topology test needs before it starts: root, and the tools it runs. A missing
 * requirement fails the test (never skips it, docs/architecture.md §7) with a message naming what is
 * missing, the Debian package that provides it, and {@code scripts/install-test-deps.sh}.
 */
public final class Requirements
{

    /** The pseudo-tool name for Debian's scapy under /usr/bin/python3 (see {@link Host#sendRawFrame}). */
    public static final String SCAPY = "scapy";
    /** The Python that has Debian's modules; the python3 first on PATH may be another one. */
    public static final String SYSTEM_PYTHON = "/usr/bin/python3";

    /** Tool -> the Debian package that installs it. */
    private static final Map<String, String> PACKAGE_OF = Map.ofEntries(
        Map.entry("ip", "iproute2"),
        Map.entry("bridge", "iproute2"),
        Map.entry("ping", "iputils-ping"),
        Map.entry("iperf3", "iperf3"),
        Map.entry("tshark", "tshark"),
        Map.entry("dumpcap", "wireshark-common"),
        Map.entry("tcpdump", "tcpdump"),
        Map.entry("ethtool", "ethtool"),
        Map.entry("sysctl", "procps"),
        Map.entry("ps", "procps"),
        Map.entry("kill", "procps"),
        Map.entry("modprobe", "kmod"),
        Map.entry("trafgen", "netsniff-ng"),
        Map.entry("chromium", "chromium"),
        Map.entry("ovs-vswitchd", "openvswitch-switch"),
        Map.entry("ovs-vsctl", "openvswitch-switch"),
        Map.entry("ovsdb-server", "openvswitch-switch"),
        Map.entry("ovsdb-tool", "openvswitch-switch"),
        Map.entry("ovs-appctl", "openvswitch-switch"),
        Map.entry(SYSTEM_PYTHON, "python3"),
        Map.entry(SCAPY, "python3-scapy"));

    /** What every namespace topology needs. */
    public static final List<String> BASICS = List.of("ip", "bridge", "sysctl", "kill");

    private Requirements()
    {
    }

    /** Fails unless the JVM runs as root (namespaces, veth and captures need it). */
    public static void requireRoot()
    {
        if (effectiveUid() != 0)
        {
            fail("topology tests need root (network namespaces, veth, kernel vxlan, captures); " + "this JVM runs as uid " + effectiveUid() +
                ". Run the tests as root, " + "after `sudo scripts/install-test-deps.sh`.");
        }
    }

    /**
     * Fails unless every tool is on the PATH (sbin directories included). {@value #SCAPY} checks
     * that Debian's python3-scapy imports under {@value #SYSTEM_PYTHON}.
     */
    public static void requireTools(String... tools)
    {
        Set<String> missing = new LinkedHashSet<>();
        for (String tool : tools)
        {
            if (SCAPY.equals(tool))
            {
                if (!scapyAvailable())
                {
                    missing.add(tool);
                }
            }
            else if (Commands.resolveExecutable(tool).isEmpty())
            {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty())
        {
            List<String> described = new ArrayList<>();
            Set<String> packages = new LinkedHashSet<>();
            for (String tool : missing)
            {
                String pkg = PACKAGE_OF.getOrDefault(tool, "?");
                described.add(tool + " (Debian package " + pkg + ")");
                packages.add(pkg);
            }
            fail("missing test tools: " + String.join(", ", described) + ". Install them with " +
                "`sudo scripts/install-test-deps.sh` (or `apt-get install " + String.join(" ", packages) + "`). Searched PATH: " + Commands
                    .searchPath());
        }
    }

    /** {@link #requireRoot()} plus {@link #BASICS} plus {@code tools}: the usual first line of a topology test. */
    public static void requireTopology(String... tools)
    {
        requireRoot();
        List<String> all = new ArrayList<>(BASICS);
        all.addAll(List.of(tools));
        requireTools(all.toArray(String[]::new));
    }

    /** Scapy for building frames: {@value #SYSTEM_PYTHON} with Debian's python3-scapy. */
    public static void requireScapy()
    {
        requireTools(SYSTEM_PYTHON, SCAPY);
    }

    private static boolean scapyAvailable()
    {
        if (!Files.isExecutable(Path.of(SYSTEM_PYTHON)))
        {
            return false;
        }
        try
        {
            return Commands.run(Duration.ofSeconds(30), List.of(SYSTEM_PYTHON, "-c", "import scapy.all")).ok();
        }
        catch (CommandFailedException e)
        {
            return false;
        }
    }

    static int effectiveUid()
    {
        try
        {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("Uid:"))
                {
                    // Uid: real effective saved fs
                    return Integer.parseInt(line.split("\\s+")[2]);
                }
            }
        }
        catch (IOException | RuntimeException e)
        {
            // fall through
        }
        return -1;
    }
}
