package io.vtep.topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Open vSwitch run by hand inside one namespace: ovsdb-server and ovs-vswitchd with their database,
 * sockets, pid and log files in a directory of the caller's (nothing under /var/run/openvswitch, no
 * system service), so that several can run side by side. Bridges are made by the caller with
 * {@link #vsctl}; use {@code datapath_type=netdev} (the userspace datapath: this kernel has no
 * openvswitch module to rely on), whose ports are read and written through AF_PACKET and whose
 * internal ports are tap devices. Its processes are the topology's: stopped at teardown at the latest.
 */
public final class OpenVswitch implements AutoCloseable
{
    public static final List<String> TOOLS = List.of("ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-appctl");
    public static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Netns ns;
    private final Path dir;
    private ManagedProcess ovsdb;
    private ManagedProcess vswitchd;

    private OpenVswitch(final Netns ns, final Path dir)
    {
        this.ns = ns;
        this.dir = dir;
    }

    /** Why Open vSwitch cannot run here (a missing tool or schema, with its Debian package), or null. */
    public static String unavailableReason()
    {
        final List<String> missing = new ArrayList<>();
        for (final String tool : TOOLS)
        {
            if (Commands.resolveExecutable(tool).isEmpty())
            {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty())
        {
            return "Open vSwitch is not installed (" + String.join(", ", missing) + " not found; Debian package openvswitch-switch)";
        }
        if (!Files.isRegularFile(SCHEMA))
        {
            return "Open vSwitch's database schema " + SCHEMA + " is missing (Debian package openvswitch-switch)";
        }
        return null;
    }

    /** The installed version ("3.1.0"), or "?". */
    public static String version()
    {
        try
        {
            final String out = Commands.run(Duration.ofSeconds(10), List.of("ovs-vswitchd", "--version")).stdout();
            final String first = out.lines().findFirst().orElse("");
            return first.replaceAll(".*\\)\\s*", "").strip();
        }
        catch (final RuntimeException ex)
        {
            return "?";
        }
    }

    /** Creates a database in {@code dir} (made if absent) and starts both daemons in {@code ns}. */
    public static OpenVswitch start(final Netns ns, final Path dir) throws Exception
    {
        return start(ns, dir, Map.of());
    }

    /**
     * {@link #start(Netns, Path)} with keys of the Open_vSwitch table's {@code other_config} set before
     * ovs-vswitchd starts: some are read only then ({@code userspace-tso-enable=true}, which lets the
     * userspace datapath take and pass TSO super-frames and partial checksums from its AF_PACKET ports).
     */
    public static OpenVswitch start(final Netns ns, final Path dir, final Map<String, String> otherConfig) throws Exception
    {
        Files.createDirectories(dir);
        final OpenVswitch ovs = new OpenVswitch(ns, dir);
        final String db = dir.resolve("conf.db").toString();
        final String dbSock = dir.resolve("db.sock").toString();
        final Path vswitchdCtl = ovs.controlSocket();
        ns.execOk("ovsdb-tool", "create", db, SCHEMA.toString());
        // OVS_RUNDIR and friends keep the bridges' management sockets and anything else the
        // daemons would put under /var/run/openvswitch in this directory.
        final List<String> env = List.of("env", "OVS_RUNDIR=" + dir, "OVS_LOGDIR=" + dir, "OVS_DBDIR=" + dir,
            "OVS_SYSCONFDIR=" + dir);
        final List<String> server = new ArrayList<>(env);
        server.addAll(List.of("ovsdb-server", db, "--remote=punix:" + dbSock,
            "--unixctl=" + dir.resolve("ovsdb-server.ctl"), "--pidfile=" + dir.resolve("ovsdb-server.pid"),
            "--log-file=" + dir.resolve("ovsdb-server.log")));
        ovs.ovsdb = ns.spawn("ovsdb-server in " + ns.name(), server);
        Wait.until(START_TIMEOUT, () -> Files.exists(Path.of(dbSock)) || !ovs.ovsdb.isAlive(), "ovsdb-server's socket " + dbSock);
        ovs.vsctl("--no-wait", "init");
        for (final Map.Entry<String, String> entry : otherConfig.entrySet())
        {
            ovs.vsctl("--no-wait", "set", "Open_vSwitch", ".", "other_config:" + entry.getKey() + "=" + entry.getValue());
        }
        final List<String> daemon = new ArrayList<>(env);
        daemon.addAll(List.of("ovs-vswitchd", "unix:" + dbSock, "--unixctl=" + vswitchdCtl,
            "--pidfile=" + dir.resolve("ovs-vswitchd.pid"), "--log-file=" + dir.resolve("ovs-vswitchd.log")));
        ovs.vswitchd = ns.spawn("ovs-vswitchd in " + ns.name(), daemon);
        Wait.until(START_TIMEOUT, () -> Files.exists(vswitchdCtl) || !ovs.vswitchd.isAlive(), "ovs-vswitchd's control socket");
        if (ovs.failure() != null)
        {
            throw new IllegalStateException(ovs.failure());
        }
        return ovs;
    }

    private Path controlSocket()
    {
        return dir.resolve("ovs-vswitchd.ctl");
    }

    /** {@code ovs-vsctl} against this instance's database; fails on a non-zero exit. */
    public void vsctl(final String... args)
    {
        final List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + dir.resolve("db.sock"), "--timeout=20"));
        cmd.addAll(List.of(args));
        ns.execOk(Duration.ofSeconds(30), cmd.toArray(String[]::new));
    }

    /** {@code ovs-appctl} against this instance's ovs-vswitchd ({@code lacp/show bond0}...): its standard output. */
    public String appctl(final String... args)
    {
        final List<String> cmd = new ArrayList<>(List.of("ovs-appctl", "-t", controlSocket().toString()));
        cmd.addAll(List.of(args));
        return ns.execOk(Duration.ofSeconds(30), cmd.toArray(String[]::new)).stdout();
    }

    /** ovs-vswitchd's pid. */
    public long pid()
    {
        return vswitchd.pid();
    }

    /** Why a daemon is no longer running (its exit code and last lines), or null while both run. */
    public String failure()
    {
        if (ovsdb != null && !ovsdb.isAlive())
        {
            return "ovsdb-server exited with " + ovsdb.exitCode().orElse(-1) + ": " + tail(ovsdb);
        }
        if (vswitchd != null && !vswitchd.isAlive())
        {
            return "ovs-vswitchd exited with " + vswitchd.exitCode().orElse(-1) + ": " + tail(vswitchd);
        }
        return null;
    }

    private static String tail(final ManagedProcess p)
    {
        final List<String> lines = p.outputLines();
        return lines.subList(Math.max(0, lines.size() - 5), lines.size()).stream().collect(Collectors.joining(" | "));
    }

    /** Stops ovs-vswitchd, then ovsdb-server; the userspace datapath's tap devices go with the first. */
    @Override
    public void close()
    {
        if (vswitchd != null)
        {
            vswitchd.stop(Duration.ofSeconds(5));
            vswitchd = null;
        }
        if (ovsdb != null)
        {
            ovsdb.stop(Duration.ofSeconds(5));
            ovsdb = null;
        }
    }
}
