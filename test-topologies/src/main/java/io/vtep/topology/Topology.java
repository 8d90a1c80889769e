package io.vtep.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One test's network: it owns a unique name prefix ({@code vt} + 5 random characters) and every
 * namespace, link, process and capture made through it, and undoes them in {@link #close()}, in
 * reverse order of creation, even when the test failed halfway. Use it in try-with-resources:
 *
 * <pre>{@code
 * try (Topology topo = Topology.create()) {
 *     Netns vtep1 = topo.namespace("vtep1");
 *     Host h1 = topo.host("h1", "10.0.0.1/24", vtep1, "eth1");
 *     ...
 * }
 * }</pre>
 *
 * <p>Teardown guarantees: every process started through the topology is stopped (SIGTERM, then
 * SIGKILL); every namespace is emptied of processes (whatever started them) and deleted, which
 * also destroys the veth pairs, bridges and vxlan devices inside it; finally any namespace still
 * named with the prefix is deleted too. A step that fails does not stop the later ones: the
 * failures are collected and thrown together at the end. A JVM shutdown hook closes whatever
 * topology is still open when the JVM exits (Ctrl-C on a test run, a surefire timeout).
 */
public final class Topology implements AutoCloseable
{
    /** The interface name of a VTEP's underlay link ({@link #underlayLink}). */
    public static final String UNDERLAY_IF = "ul0";

    /** Keep the temporary directory (captures, configs) after close when this system property is true. */
    public static final String KEEP_FILES_PROPERTY = "vtep.topology.keepFiles";

    private static final Set<Topology> OPEN = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final Pattern ROLE = Pattern.compile("[a-z0-9][a-z0-9-]{0,19}");
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    static
    {
        Runtime.getRuntime().addShutdownHook(new Thread(Topology::closeAllOpen, "topology-teardown"));
    }

    private final String prefix;
    private final Path workDir;
    private final Deque<Teardown> teardowns = new ArrayDeque<>();
    private final Map<String, Netns> namespaces = new LinkedHashMap<>();
    private final List<ManagedProcess> processes = new ArrayList<>();
    private int captureCount;
    private boolean closed;

    private record Teardown(String what, Runnable action)
    {
    }

    private Topology(String prefix, boolean closeAtExit)
    {
        this.prefix = prefix;
        try
        {
            this.workDir = Files.createTempDirectory("vtep-" + prefix + "-");
        }
        catch (IOException e)
        {
            throw new IllegalStateException("cannot create a temporary directory", e);
        }
        if (closeAtExit)
        {
            OPEN.add(this);
        }
    }

    /**
     * A new topology with a fresh prefix. Checks first that the JVM runs as root and that the
     * basic tools are there ({@link Requirements#requireTopology}), failing the test if not.
     */
    public static Topology create()
    {
        Requirements.requireTopology();
        Set<String> existing = Set.copyOf(listNamespaces());
        String prefix;
        do
        {
            prefix = randomPrefix();
        }
        while (hasPrefix(existing, prefix));
        return new Topology(prefix, true);
    }

    /**
     * A topology with a prefix the caller chose (the demo's {@code vtdemo<pid>}), which must not
     * name any namespace yet. Unlike {@link #create()} it is not closed by the JVM shutdown hook:
     * its owner closes it from its own hook, in its own order (the demo stops vtep first and says
     * so), or {@link #release() releases} it to outlive the JVM.
     */
    public static Topology named(String prefix)
    {
        Requirements.requireTopology();
        if (!ROLE.matcher(prefix).matches())
        {
            throw new IllegalArgumentException("prefix must match " + ROLE + ": '" + prefix + "'");
        }
        if (hasPrefix(Set.copyOf(listNamespaces()), prefix))
        {
            throw new IllegalStateException("namespaces named " + prefix + "-* exist already");
        }
        return new Topology(prefix, false);
    }

    private static boolean hasPrefix(Set<String> names, String prefix)
    {
        return names.stream().anyMatch(n -> n.startsWith(prefix + "-"));
    }

    static String randomPrefix()
    {
        StringBuilder sb = new StringBuilder("vt");
        for (int i = 0; i < 5; i++)
        {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** The unique prefix of every namespace made here, e.g. {@code vtk3x9q}. */
    public String prefix()
    {
        return prefix;
    }

    /** A temporary directory for this topology's captures and config files. */
    public Path workDir()
    {
        return workDir;
    }

    /**
     * A new network namespace named {@code <prefix>-<role>}, with loopback up and IPv6 disabled:
     * IPv6 duplicate address detection and MLD reports would otherwise teach MAC addresses to
     * the VTEPs before the test does (docs/architecture.md §8).
     */
    public Netns namespace(String role)
    {
        return namespace(role, false);
    }

    /** A namespace that keeps IPv6 (for IPv6-underlay tests); DAD is switched off in it. */
    public Netns namespaceWithIpv6(String role)
    {
        return namespace(role, true);
    }

    private synchronized Netns namespace(String role, boolean ipv6)
    {
        checkOpen();
        if (!ROLE.matcher(role).matches())
        {
            throw new IllegalArgumentException("namespace role must match " + ROLE + ": '" + role + "'");
        }
        if (namespaces.containsKey(role))
        {
            throw new IllegalArgumentException("namespace role '" + role + "' already used in " + prefix);
        }
        String name = prefix + "-" + role;
        Commands.runOk("ip", "netns", "add", name);
        Netns ns = new Netns(this, role, name, ipv6);
        namespaces.put(role, ns);
        onClose("namespace " + name, () -> deleteNamespace(name));
        if (ipv6)
        {
            ns.sysctl("net.ipv6.conf.all.accept_dad", "0");
            ns.sysctl("net.ipv6.conf.default.accept_dad", "0");
        }
        else
        {
            ns.sysctl("net.ipv6.conf.all.disable_ipv6", "1");
            ns.sysctl("net.ipv6.conf.default.disable_ipv6", "1");
        }
        ns.up("lo");
        return ns;
    }

    /** The namespace made for {@code role}. */
    public synchronized Netns namespaceFor(String role)
    {
        Netns ns = namespaces.get(role);
        if (ns == null)
        {
            throw new IllegalArgumentException("no namespace for role '" + role + "' in " + prefix);
        }
        return ns;
    }

    /** The namespaces made so far, in creation order. */
    public synchronized List<Netns> namespaces()
    {
        return List.copyOf(namespaces.values());
    }

    /**
     * A veth pair with one end, {@code ifA}, in {@code a} and the other, {@code ifB}, in {@code b},
     * created directly inside the namespaces (the names never exist in the root namespace, so
     * they need no prefix), both ends up.
     */
    public Link link(Netns a, String ifA, Netns b, String ifB)
    {
        checkOpen();
        checkIfName(ifA);
        checkIfName(ifB);
        Commands.runOk("ip", "link", "add", ifA, "netns", a.name(), "type", "veth", "peer", "name", ifB, "netns", b.name());
        a.up(ifA);
        b.up(ifB);
        return new Link(a, ifA, b, ifB);
    }

    /**
     * The underlay between two VTEPs: a link whose ends are both named {@value #UNDERLAY_IF}, with
     * address {@code cidrA} in {@code a} and {@code cidrB} in {@code b}.
     */
    public Link underlayLink(Netns a, String cidrA, Netns b, String cidrB)
    {
        Link link = link(a, UNDERLAY_IF, b, UNDERLAY_IF);
        a.addAddress(UNDERLAY_IF, cidrA);
        b.addAddress(UNDERLAY_IF, cidrB);
        return link;
    }

    /**
     * One switched underlay segment: a bridge {@code bridge} in {@code switchNs}, and a link from
     * each of {@code vteps} (its interface {@code iface}) to a port of it (p1, p2... in order), which
     * gets the address at the same place in {@code cidrs}. The bridge itself has no address unless
     * the caller gives it one (a route reflector in the switch's namespace does).
     */
    public void switchedSegment(Netns switchNs, String bridge, String iface, List<Netns> vteps, List<String> cidrs)
    {
        if (vteps.size() != cidrs.size())
        {
            throw new IllegalArgumentException(vteps.size() + " namespaces but " + cidrs.size() + " addresses");
        }
        switchNs.addBridge(bridge);
        for (int i = 0; i < vteps.size(); i++)
        {
            String port = "p" + (i + 1);
            link(vteps.get(i), iface, switchNs, port);
            switchNs.enslave(port, bridge);
            vteps.get(i).addAddress(iface, cidrs.get(i));
        }
    }

    /**
     * A bare-metal server: a new namespace {@code role} whose interface {@code eth0} (address
     * {@code cidr}) is linked to {@code peerIf} in {@code peer}, with IP forwarding off. The host keeps
     * Linux's default offloads (checksum offload, TSO/GSO), like every VM, container or server on a
     * veth or tap: what it hands its VTEP are partially checksummed frames and 64 KiB super-frames.
     * The peer end is up but not attached to anything.
     */
    public Host host(String role, String cidr, Netns peer, String peerIf)
    {
        Netns ns = namespace(role);
        link(ns, Host.DEFAULT_IFACE, peer, peerIf);
        Host host = new Host(ns, Host.DEFAULT_IFACE, cidr);
        // A server, not a router: a new namespace may inherit forwarding from the machine (Docker
        // turns it on), and a forwarding host answers stray traffic with redirects and ARP.
        ns.sysctl("net.ipv4.ip_forward", "0");
        ns.addAddress(Host.DEFAULT_IFACE, cidr);
        return host;
    }

    /** Starts building a Linux kernel VXLAN peer in {@code ns}; see {@link KernelVtep.Builder}. */
    public KernelVtep.Builder kernelVtep(Netns ns)
    {
        return KernelVtep.builder(ns);
    }

    /** Starts describing FRR (zebra + bgpd) in {@code ns}; see {@link FrrRouter.Builder}. Stopped at teardown. */
    public FrrRouter.Builder frr(Netns ns)
    {
        checkOpen();
        return FrrRouter.builder(ns);
    }

    /**
     * Starts a tshark capture on {@code iface} in {@code ns} into a pcap file under
     * {@link #workDir()}, returning once it really captures. {@code captureFilter} is a BPF filter
     * ("udp port 4789"), or null for everything. Stopped at teardown if the test did not.
     */
    public Tshark capture(Netns ns, String iface, String captureFilter)
    {
        checkOpen();
        int n;
        synchronized (this)
        {
            n = ++captureCount;
        }
        Path file = workDir.resolve("capture-" + n + "-" + ns.role() + "-" + iface + ".pcap");
        return Tshark.start(ns, iface, captureFilter, file);
    }

    /**
     * Starts the appliance ({@code bin/vtep run --config FILE}) in {@code ns} with {@code yaml} as
     * its configuration, waiting until it logs {@link VtepProcess#DEFAULT_READY_REGEX}.
     */
    public VtepProcess startVtep(Netns ns, String yaml)
    {
        return startVtep(ns, yaml, VtepProcess.DEFAULT_READY_REGEX, VtepProcess.DEFAULT_READY_TIMEOUT);
    }

    /** {@link #startVtep(Netns, String)} with another readiness line and timeout. */
    public VtepProcess startVtep(Netns ns, String yaml, String readyRegex, Duration readyTimeout)
    {
        VtepProcess vtep = launchVtep(ns, yaml);
        vtep.awaitReady(readyRegex, readyTimeout);
        return vtep;
    }

    /** Starts the appliance without waiting for readiness (for tests of bad configs and early exits). */
    public VtepProcess launchVtep(Netns ns, String yaml)
    {
        checkOpen();
        Path config;
        synchronized (this)
        {
            config = workDir.resolve("vtep-" + ns.role() + "-" + (++captureCount) + ".yaml");
        }
        Commands.writeString(config, yaml);
        // SIGHUP at its default disposition whatever the test run inherited (a run under nohup
        // ignores it, and an ignored signal stays ignored across exec): VtepProcess.reload sends it.
        return new VtepProcess(ns.spawn("vtep in " + ns.name(),
            List.of("env", "--default-signal=HUP", VtepProcess.launcher().toString(), "run", "--config", config.toString())), config);
    }

    /** Records a background process so that teardown stops it (done by {@link Netns#spawn}). */
    synchronized ManagedProcess track(ManagedProcess process)
    {
        processes.add(process);
        onClose(process.description(), process::stop);
        return process;
    }

    /** The background processes started so far. */
    public synchronized List<ManagedProcess> processes()
    {
        return List.copyOf(processes);
    }

    /**
     * Registers an action for teardown; actions run in reverse order of registration. Use it for
     * anything a test makes outside the namespaces (a file, a route in the root namespace).
     */
    public synchronized void onClose(String what, Runnable action)
    {
        if (closed)
        {
            throw new IllegalStateException("topology " + prefix + " is closed");
        }
        teardowns.push(new Teardown(what, action));
    }

    /**
     * What the namespaces look like now: addresses, links, neighbours, FDBs, and the recent output
     * of every process. For failure messages; never throws.
     */
    public String diagnostics()
    {
        StringBuilder sb = new StringBuilder("topology ").append(prefix).append(" (files in ").append(workDir).append(")\n");
        for (Netns ns : namespaces())
        {
            sb.append("== namespace ").append(ns.name()).append('\n');
            for (List<String> cmd : List.of(
                List.of("ip", "-br", "link"), List.of("ip", "-br", "addr"),
                List.of("ip", "neigh"), List.of("bridge", "fdb", "show")))
            {
                try
                {
                    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
                    full.addAll(cmd);
                    ExecResult r = Commands.run(Duration.ofSeconds(5), full);
                    sb.append("$ ").append(String.join(" ", cmd)).append('\n').append(r.stdout()).append(r.stderr());
                }
                catch (RuntimeException e)
                {
                    sb.append("$ ").append(String.join(" ", cmd)).append(": ").append(e.getMessage()).append('\n');
                }
            }
        }
        for (ManagedProcess p : processes())
        {
            sb.append("== process ").append(p).append('\n').append(p.outputForMessage()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Tears everything down, in reverse order of creation, continuing past failures; then deletes
     * any namespace still carrying the prefix. Throws at the end if anything could not be undone.
     * Idempotent.
     */
    @Override
    public void close()
    {
        List<Teardown> steps;
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            steps = new ArrayList<>(teardowns);
            teardowns.clear();
        }
        OPEN.remove(this);
        List<Throwable> failures = new ArrayList<>();
        for (Teardown step : steps)
        {
            try
            {
                step.action().run();
            }
            catch (Throwable t)
            {
                failures.add(new IllegalStateException("teardown of " + step.what() + " failed: " + t.getMessage(), t));
            }
        }
        // Last resort: whatever carries our prefix and escaped the bookkeeping.
        try
        {
            for (String name : listNamespaces())
            {
                if (name.startsWith(prefix + "-"))
                {
                    deleteNamespace(name);
                }
            }
        }
        catch (Throwable t)
        {
            failures.add(t);
        }
        if (!Boolean.getBoolean(KEEP_FILES_PROPERTY))
        {
            deleteRecursively(workDir);
        }
        if (!failures.isEmpty())
        {
            IllegalStateException e = new IllegalStateException("teardown of topology " + prefix + " incomplete: " + failures.size() +
                " step(s) failed; first: " + failures.getFirst().getMessage());
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    /**
     * Leaves everything made so far running and forgets it: no teardown, now or at JVM exit, and
     * the work dir stays (a demo kept with {@code --keep}; whoever takes it down later finds it by
     * the prefix). The topology is closed for further use.
     */
    public void release()
    {
        synchronized (this)
        {
            closed = true;
            teardowns.clear();
        }
        OPEN.remove(this);
    }

    public synchronized boolean isClosed()
    {
        return closed;
    }

    /** Names of all network namespaces on the machine ({@code ip netns list}). */
    public static List<String> listNamespaces()
    {
        String out = Commands.runOk("ip", "netns", "list").stdout();
        List<String> names = new ArrayList<>();
        for (String line : out.split("\n"))
        {
            String t = line.strip();
            if (!t.isEmpty())
            {
                // "name (id: 3)"
                names.add(t.split("\\s+")[0]);
            }
        }
        return names;
    }

    /**
     * Kills every process left in the namespace (whoever started it: a process keeps a deleted
     * namespace and its devices alive), then deletes the namespace.
     */
    private static void deleteNamespace(String name)
    {
        if (!listNamespaces().contains(name))
        {
            return;
        }
        for (int attempt = 0; attempt < 3; attempt++)
        {
            List<Long> pids = pidsIn(name);
            if (pids.isEmpty())
            {
                break;
            }
            for (long pid : pids)
            {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            Wait.until(Duration.ofSeconds(5), () -> pids.stream().noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)),
                "processes " + pids + " in namespace " + name + " to die");
        }
        Commands.runOk("ip", "netns", "del", name);
    }

    private static List<Long> pidsIn(String name)
    {
        ExecResult r = Commands.run(Duration.ofSeconds(10), List.of("ip", "netns", "pids", name));
        List<Long> pids = new ArrayList<>();
        for (String line : r.stdout().split("\n"))
        {
            String t = line.strip();
            if (!t.isEmpty())
            {
                pids.add(Long.parseLong(t));
            }
        }
        return pids;
    }

    private static void deleteRecursively(Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p ->
            {
                try
                {
                    Files.deleteIfExists(p);
                }
                catch (IOException e)
                {
                    // a leftover temp file is not worth failing a test for
                }
            });
        }
        catch (IOException e)
        {
            // same
        }
    }

    private static void closeAllOpen()
    {
        for (Topology t : List.copyOf(OPEN))
        {
            try
            {
                t.close();
            }
            catch (Throwable e)
            {
                System.err.println("topology teardown at JVM exit: " + e);
            }
        }
    }

    private synchronized void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("topology " + prefix + " is closed");
        }
    }

    static void checkIfName(String ifName)
    {
        if (!IFNAME.matcher(ifName).matches())
        {
            throw new IllegalArgumentException("interface name must be 1..15 characters of [A-Za-z0-9_.-]: '" + ifName + "'");
        }
    }

    @Override
    public String toString()
    {
        return "Topology[" + prefix + "]";
    }

    /** The two ends of a veth pair. */
    public record Link(Netns a, String ifA, Netns b, String ifB)
    {
    }
}
