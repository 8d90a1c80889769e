package io.vtep.topology;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * FRR ({@code zebra} + {@code bgpd} from Debian's {@code frr}) running in a namespace of a
 * {@link Topology}: with {@link KernelVtep}s in the same namespace (learning off) it is a complete
 * BGP EVPN VTEP, since zebra reads the kernel's vxlan devices and their bridges, hands the VNIs to
 * bgpd ({@code advertise-all-vni}), and installs what bgpd learns as {@code extern_learn} FDB
 * entries and {@code 00:00:00:00:00:00 dst REMOTE} flood entries. Without VNIs it is a plain
 * route reflector.
 *
 * <pre>{@code
 * FrrRouter r1 = topo.frr(ns1).bgp(FrrConfig.asn(65000).routerId("192.0.2.1")
 *         .neighbor(FrrConfig.neighbor("192.0.2.2").remoteAs(65000))).start();
 * r1.awaitEstablished("192.0.2.2", Duration.ofSeconds(20));
 * List<FrrEvpnRoute> routes = r1.evpnRoutes();
 * }</pre>
 *
 * <p>Each router gets its own pathspace ({@code -N <namespace name>}) and its own files under the
 * topology's work dir, {@code frr/<name>/}: configs, pid files, the zserv socket and the vty
 * sockets. The daemons run in the foreground with {@code --log stdout} (their output is in
 * {@link Topology#diagnostics()}), as {@code -u root -g frrvty} (FRR refuses root without a
 * group), and with the TCP vty off ({@code -P 0}). zebra starts first and must answer before bgpd
 * starts, or bgpd's first connection to zebra fails and it retries only seconds later.
 *
 * <p>vtysh is run as {@code vtysh -N NAME --vty_socket frr/ --config_dir frr/}: with {@code -N},
 * vtysh appends NAME to both directories (the daemons do not), which is why the daemons' sockets
 * live in {@code frr/NAME/}. The daemons also create an empty {@code /var/run/frr/NAME/}, removed
 * at close.
 *
 * <p>{@link #close()} (also run by the topology's teardown, even when the test failed) stops bgpd
 * and zebra; the namespace's deletion takes whatever zebra installed with it.
 */
public final class FrrRouter implements AutoCloseable
{

    /** Where Debian's frr package installs the daemons. */
    public static final Path DAEMON_DIR = Path.of("/usr/lib/frr");
    /** FRR's run-state directory; {@code -N NAME} makes {@code NAME/} in it. */
    public static final Path RUN_DIR = Path.of("/var/run/frr");
    /** The group the daemons run with ({@code -g}); the frr package creates it. */
    public static final String VTY_GROUP = "frrvty";
    /** How long a daemon may take to answer vtysh after it was started. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(20);
    /** vtysh commands are quick; a hung one is a failure. */
    public static final Duration VTYSH_TIMEOUT = Duration.ofSeconds(20);

    /** The EVPN summary command {@link #bgpSummary()} reads. */
    public static final String SUMMARY_COMMAND = "show bgp l2vpn evpn summary json";
    /** The route command {@link #evpnRoutes()} reads. */
    public static final String ROUTES_COMMAND = "show bgp l2vpn evpn route detail json";

    private static final int UNIX_PATH_MAX = 107;

    private final Netns netns;
    private final String name;
    private final Path baseDir;
    private final Path dir;
    private final FrrConfig config;
    private final Duration startTimeout;
    private final boolean logToFiles;
    private final ManagedProcess zebra;
    private volatile ManagedProcess bgpd;
    private volatile boolean closed;
    private volatile boolean paused;

    private FrrRouter(Builder b, Path baseDir, Path dir)
    {
        this.netns = b.netns;
        this.name = b.netns.name();
        this.baseDir = baseDir;
        this.dir = dir;
        this.config = b.config;
        this.startTimeout = b.startTimeout;
        this.logToFiles = b.logToFiles;
        // Registered before the daemons' own stop actions, so it runs after them at teardown;
        // close() itself stops them first when a test calls it.
        netns.topology().onClose("FRR in " + netns.name(), this::removeRunDir);
        this.zebra = netns.spawn("zebra in " + netns.name(), daemonCommand("zebra"));
        awaitDaemon(zebra, "zebra");
        this.bgpd = startBgpdProcess();
        netns.topology().onClose("FRR in " + netns.name() + " (bgpd, zebra)", this::close);
    }

    /** Starts describing FRR in {@code netns}; {@link Topology#frr(Netns)} is the usual way in. */
    public static Builder builder(Netns netns)
    {
        return new Builder(netns);
    }

    /**
     * Fails the test unless FRR's daemons, vtysh and the {@value #VTY_GROUP} group are there,
     * naming the Debian package and the install script.
     */
    public static void requireFrr()
    {
        List<String> missing = new ArrayList<>();
        for (String daemon : List.of("zebra", "bgpd"))
        {
            if (!Files.isExecutable(DAEMON_DIR.resolve(daemon)))
            {
                missing.add(DAEMON_DIR.resolve(daemon).toString());
            }
        }
        if (Commands.resolveExecutable("vtysh").isEmpty())
        {
            missing.add("vtysh");
        }
        if (!groupExists(VTY_GROUP))
        {
            missing.add("group " + VTY_GROUP);
        }
        if (!missing.isEmpty())
        {
            fail("FRR is missing: " + String.join(", ", missing) + " (Debian package frr). Install it with " +
                "`sudo scripts/install-test-deps.sh` (or `apt-get install frr`; the daemons run as " + "-u root -g " + VTY_GROUP +
                ", so that group must exist).");
        }
    }

    private static boolean groupExists(String group)
    {
        try
        {
            return Files.readAllLines(Path.of("/etc/group")).stream().anyMatch(l -> l.startsWith(group + ":"));
        }
        catch (IOException e)
        {
            return false;
        }
    }

    public Netns netns()
    {
        return netns;
    }

    /** The pathspace ({@code -N}): the namespace's name. */
    public String name()
    {
        return name;
    }

    /** The directory with this router's configs, pid files and sockets. */
    public Path dir()
    {
        return dir;
    }

    /** The bgpd configuration it started with, or null when started from raw text. */
    public FrrConfig config()
    {
        return config;
    }

    /** The router id of the configuration it started with, or null. */
    public String routerId()
    {
        return config == null ? null : config.routerId();
    }

    public ManagedProcess zebra()
    {
        return zebra;
    }

    /** The current bgpd process (a new one after {@link #startBgpd()}). */
    public ManagedProcess bgpd()
    {
        return bgpd;
    }

    public boolean isBgpdRunning()
    {
        ManagedProcess p = bgpd;
        return p != null && p.isAlive();
    }

    // ---------------------------------------------------------------- vtysh

    /**
     * Runs vtysh commands ({@code -c} each, in order) and returns their output. Throws
     * {@link CommandFailedException} when vtysh exits non-zero: an unknown or rejected command
     * ("% Unknown command"), or a daemon not running.
     */
    public String vtysh(String... commands)
    {
        return vtyshResult(commands).orThrow().stdout();
    }

    /** {@link #vtysh} without the exit-code check. */
    public ExecResult vtyshResult(String... commands)
    {
        return vtyshTo(null, commands);
    }

    /** vtysh connected to one daemon only ({@code -d zebra|bgpd}), or to all when null. */
    private ExecResult vtyshTo(String daemon, String... commands)
    {
        List<String> cmd = new ArrayList<>(List.of("vtysh", "-N", name,
            "--vty_socket", baseDir.toString(), "--config_dir", baseDir.toString()));
        if (daemon != null)
        {
            cmd.add("-d");
            cmd.add(daemon);
        }
        for (String c : commands)
        {
            cmd.add("-c");
            cmd.add(c);
        }
        return netns.exec(VTYSH_TIMEOUT, cmd.toArray(String[]::new));
    }

    /** Applies configuration lines: {@code configure terminal}, the lines, {@code end}. Not written to the config file. */
    public void configure(String... lines)
    {
        List<String> all = new ArrayList<>();
        all.add("configure terminal");
        all.addAll(List.of(lines));
        all.add("end");
        vtysh(all.toArray(String[]::new));
    }

    /** Runs a show command with {@code json} appended (unless already there) and parses it with {@link Json}. */
    public Object json(String showCommand)
    {
        String cmd = showCommand.strip().endsWith(" json") ? showCommand.strip() : showCommand.strip() + " json";
        String out = vtysh(cmd);
        if (out.isBlank())
        {
            throw new IllegalStateException("'" + cmd + "' printed nothing on " + name);
        }
        return Json.parse(out);
    }

    // ---------------------------------------------------------------- parsed views

    /** The EVPN sessions: neighbor address → state and prefix counts ({@value #SUMMARY_COMMAND}). */
    public Map<String, FrrPeer> bgpSummary()
    {
        return FrrPeer.parseSummary(vtysh(SUMMARY_COMMAND));
    }

    /** Every path of every EVPN route in bgpd's table ({@value #ROUTES_COMMAND}). */
    public List<FrrEvpnRoute> evpnRoutes()
    {
        return FrrEvpnRoute.parse(vtysh(ROUTES_COMMAND));
    }

    /** The EVPN route paths that match {@code filter}. */
    public List<FrrEvpnRoute> evpnRoutes(Predicate<? super FrrEvpnRoute> filter)
    {
        return evpnRoutes().stream().filter(filter).toList();
    }

    /** {@code show bgp l2vpn evpn route detail [type multicast|macip|...]} as text, for messages; null type = all. */
    public String evpnRoutesText(String type)
    {
        return vtysh("show bgp l2vpn evpn route detail" + (type == null ? "" : " type " + type));
    }

    /** zebra's MAC table for {@code vni}: local and remote MACs with their mobility sequence numbers. */
    public List<FrrEvpnMac> evpnMacs(int vni)
    {
        return FrrEvpnMac.parse(vtysh("show evpn mac vni " + vni + " json"));
    }

    /**
     * zebra's remote VTEPs (the flood list it installed) for {@code vni}, from
     * {@code show evpn vni json} ({@code {"100": {"remoteVteps": [...]}}}). Not from
     * {@code show evpn vni 100 json}: FRR 8.4 prints that list under {@code "numRemoteVteps"}.
     */
    public List<String> remoteVteps(int vni)
    {
        Object v = Json.at(json("show evpn vni"), Integer.toString(vni), "remoteVteps");
        List<String> vteps = new ArrayList<>();
        if (v instanceof List<?> list)
        {
            list.forEach(x -> vteps.add(x instanceof Map<?, ?> m && m.get("ip") != null ? m.get("ip").toString() : x.toString()));
        }
        return vteps;
    }

    // ---------------------------------------------------------------- waits

    /** Waits until the session with {@code neighbor} is Established and returns it. */
    public FrrPeer awaitEstablished(String neighbor, Duration timeout)
    {
        return Wait.until(timeout, () -> bgpSummary().get(neighbor), p -> p != null && p.isEstablished(),
            name + ": BGP session with " + neighbor + " Established");
    }

    /** Waits until every configured neighbor's session is Established. */
    public Map<String, FrrPeer> awaitAllEstablished(Duration timeout)
    {
        return Wait.until(timeout, this::bgpSummary,
            m -> !m.isEmpty() && m.values().stream().allMatch(FrrPeer::isEstablished),
            name + ": all BGP sessions Established");
    }

    /** Waits until the session with {@code neighbor} has left Established (fault tests). */
    public FrrPeer awaitNotEstablished(String neighbor, Duration timeout)
    {
        return Wait.until(timeout, () -> bgpSummary().get(neighbor), p -> p != null && !p.isEstablished(),
            name + ": BGP session with " + neighbor + " down");
    }

    /** Waits until a route path matches {@code filter} and returns the first that does. */
    public FrrEvpnRoute awaitEvpnRoute(Duration timeout, Predicate<? super FrrEvpnRoute> filter, String what)
    {
        return Wait.until(timeout, this::evpnRoutes, routes -> routes.stream().anyMatch(filter), name + ": " + what)
            .stream().filter(filter).findFirst().orElseThrow();
    }

    /** Waits until no route path matches {@code filter} (withdrawals). */
    public void awaitNoEvpnRoute(Duration timeout, Predicate<? super FrrEvpnRoute> filter, String what)
    {
        Wait.until(timeout, this::evpnRoutes, routes -> routes.stream().noneMatch(filter), name + ": " + what);
    }

    // ---------------------------------------------------------------- bgpd life cycle

    /** Stops bgpd gracefully (SIGTERM: it sends a Cease NOTIFICATION to its peers). */
    public void stopBgpd()
    {
        if (paused)
        {
            resumeBgpd();
        }
        ManagedProcess p = bgpd;
        if (p != null)
        {
            p.stop();
        }
    }

    /**
     * Kills bgpd with SIGKILL: no NOTIFICATION, but the kernel closes its TCP connections, so the
     * peers see the sessions drop at once (not at hold-timer expiry: for that, {@link #pauseBgpd()}).
     * zebra sees its client vanish and at once removes the FDB and flood entries bgpd had
     * installed in this namespace.
     */
    public void killBgpd()
    {
        ManagedProcess p = bgpd;
        if (p != null && p.isAlive())
        {
            paused = false;
            p.signal("KILL");
            p.waitFor(Duration.ofSeconds(10));
        }
    }

    /**
     * Freezes bgpd (SIGSTOP): its TCP connections stay open but it sends nothing, so the peers
     * tear the sessions down only when their hold timer expires ({@code timers 1 3} or
     * {@code 3 9} keeps that short), and zebra keeps what bgpd installed. {@link #resumeBgpd()}
     * lets it run again (it then finds its own hold timers expired and reconnects).
     */
    public void pauseBgpd()
    {
        ManagedProcess p = bgpd;
        if (p != null && p.isAlive())
        {
            p.signal("STOP");
            paused = true;
        }
    }

    /** Lets a {@link #pauseBgpd() paused} bgpd run again (SIGCONT). */
    public void resumeBgpd()
    {
        ManagedProcess p = bgpd;
        if (p != null && p.isAlive())
        {
            p.signal("CONT");
        }
        paused = false;
    }

    /** Starts bgpd again (after {@link #stopBgpd()} or {@link #killBgpd()}) from its config file, and waits until it answers. */
    public void startBgpd()
    {
        if (closed)
        {
            throw new IllegalStateException("FRR in " + netns.name() + " is closed");
        }
        if (isBgpdRunning())
        {
            throw new IllegalStateException("bgpd in " + netns.name() + " is already running");
        }
        this.bgpd = startBgpdProcess();
    }

    private ManagedProcess startBgpdProcess()
    {
        ManagedProcess p = netns.spawn("bgpd in " + netns.name(), daemonCommand("bgpd"));
        awaitDaemon(p, "bgpd");
        return p;
    }

    private List<String> daemonCommand(String daemon)
    {
        return List.of(DAEMON_DIR.resolve(daemon).toString(),
            "-N", name,
            "-f", dir.resolve(daemon + ".conf").toString(),
            "-i", dir.resolve(daemon + ".pid").toString(),
            "-z", dir.resolve("zserv.api").toString(),
            "--vty_socket", dir.toString(),
            "-u", "root", "-g", VTY_GROUP,
            "-P", "0",
            "--log", logToFiles ? "file:" + dir.resolve(daemon + ".log") : "stdout");
    }

    /** Polls until the daemon answers vtysh; fails at once, with its output, if it exits. */
    private void awaitDaemon(ManagedProcess p, String daemon)
    {
        Wait.until(startTimeout, () ->
        {
            if (!p.isAlive())
            {
                fail(daemon + " in " + netns.name() + " exited with " + p.exitCode() + "\n" + p.outputForMessage());
            }
            return vtyshTo(daemon, "show version").ok();
        }, daemon + " in " + netns.name() + " answering vtysh");
    }

    // ---------------------------------------------------------------- diagnostics and teardown

    /** Sessions, routes and zebra's EVPN state as text, for failure messages; never throws. */
    public String diagnostics()
    {
        StringBuilder sb = new StringBuilder("== FRR in ").append(netns.name()).append('\n');
        for (String cmd : List.of("show bgp l2vpn evpn summary", "show bgp l2vpn evpn route detail",
            "show evpn vni detail", "show evpn mac vni all"))
        {
            try
            {
                ExecResult r = vtyshResult(cmd);
                sb.append("# ").append(cmd).append('\n').append(r.stdout()).append(r.stderr());
            }
            catch (RuntimeException e)
            {
                sb.append("# ").append(cmd).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    /** Stops bgpd, then zebra. Idempotent; the topology calls it at teardown. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (paused)
        {
            resumeBgpd(); // a stopped process would sit on SIGTERM until the SIGKILL grace runs out
        }
        ManagedProcess p = bgpd;
        if (p != null)
        {
            p.stop();
        }
        zebra.stop();
    }

    private void removeRunDir()
    {
        Path runDir = RUN_DIR.resolve(name);
        if (!Files.isDirectory(runDir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(runDir))
        {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (IOException e)
        {
            throw new UncheckedIOException("cannot remove " + runDir, e);
        }
    }

    @Override
    public String toString()
    {
        return "FRR in " + netns.name() + (config != null && config.routerId() != null ? " (router-id " + config.routerId() + ", AS " + config.asn() +
            ")" : "");
    }

    /** What to start; {@link #start()} starts zebra, waits for it, then bgpd. */
    public static final class Builder
    {
        private final Netns netns;
        private FrrConfig config;
        private String bgpdConfig;
        private String zebraConfig;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private boolean logToFiles;

        private Builder(Netns netns)
        {
            this.netns = netns;
        }

        /** bgpd's configuration; its hostname defaults to the namespace role. */
        public Builder bgp(FrrConfig config)
        {
            this.config = config;
            this.bgpdConfig = null;
            return this;
        }

        /** bgpd's configuration as raw text (instead of {@link #bgp(FrrConfig)}); empty when neither is given. */
        public Builder bgpdConfig(String text)
        {
            this.bgpdConfig = text;
            this.config = null;
            return this;
        }

        /** zebra's configuration; just the hostname unless given. */
        public Builder zebraConfig(String text)
        {
            this.zebraConfig = text;
            return this;
        }

        /**
         * Logs to {@code zebra.log} and {@code bgpd.log} in the router's directory instead of stdout:
         * for daemons that outlive this JVM (the demo's {@code --keep}), whose stdout pipe would break.
         */
        public Builder logToFiles()
        {
            this.logToFiles = true;
            return this;
        }

        public Builder startTimeout(Duration timeout)
        {
            this.startTimeout = timeout;
            return this;
        }

        /** Writes the files, starts zebra, waits until it answers, then bgpd likewise. */
        public FrrRouter start()
        {
            requireFrr();
            Path base = netns.topology().workDir().resolve("frr");
            Path dir = base.resolve(netns.name());
            if (dir.resolve("zserv.api").toString().length() > UNIX_PATH_MAX)
            {
                throw new IllegalStateException("FRR socket path too long for a unix socket: " + dir.resolve("zserv.api"));
            }
            if (Files.exists(dir))
            {
                throw new IllegalStateException("FRR already started in " + netns.name() + " (one router per namespace)");
            }
            try
            {
                Files.createDirectories(dir);
            }
            catch (IOException e)
            {
                throw new UncheckedIOException("cannot create " + dir, e);
            }
            String hostname = config != null && config.hostname() != null ? config.hostname() : netns.role();
            if (config != null && config.hostname() == null)
            {
                config.hostname(hostname);
            }
            String bgpd = config != null ? config.render() : bgpdConfig != null ? bgpdConfig : "hostname " + hostname + "\n";
            Commands.writeString(dir.resolve("zebra.conf"), zebraConfig != null ? zebraConfig : "hostname " + hostname + "\n");
            Commands.writeString(dir.resolve("bgpd.conf"), bgpd);
            Commands.writeString(dir.resolve("vtysh.conf"), "");
            return new FrrRouter(this, base, dir);
        }
    }
}
