package io.vtep.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.topology.Commands;
import io.vtep.topology.ExecResult;
import io.vtep.topology.FrrEvpnRoute;
import io.vtep.topology.FrrPeer;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Topology;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;

/**
 * {@code bin/vtep demo} (issue 10, issue 17 item 5) run the way a newcomer or CI runs it, judged by the
 * state of the topology it builds rather than by its prose: a run kept with {@code --keep} is looked at
 * through vtep's HTTP API (FDB, per-VNI counters, BGP sessions and routes), the kernel VTEP's bridge FDB
 * and FRR's vtysh ({@link DemoState}), then {@code --down} must leave nothing behind (no namespace,
 * interface, process, temp dir, bookkeeping). The output is checked lightly: its sections are there.
 * Also after Ctrl-C, after a SIGKILL (the next run removes the leftovers), with every option, and
 * for what it refuses (options, no root, missing tools).
 *
 * <p>Each demo names its namespaces {@code vtdemo<pid>-*} after its own pid, which is the pid of
 * the launcher process started here ({@code bin/vtep} execs the demo's JVM).
 */
class DemoTest
{
    /** The first run on a fresh clone builds the jars through the launcher. */
    private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(5);
    private static final Path STATE_ROOT = Path.of(Leftovers.STATE_ROOT);
    /** Interface names the demo uses; none of them may ever appear in the root namespace. */
    private static final Set<String> DEMO_INTERFACES =
        Set.of("acc1", "acc2", "acc3", "ul0", "br0", "br1", "vxlan100", "vxlan200");

    private static final String H1_MAC = "02:00:00:00:00:01";
    private static final String H2_MAC = "02:00:00:00:00:02";
    private static final String H3_MAC = "02:00:00:00:00:03";
    private static final String TAGGED_MAC = "02:10:00:00:00:01";
    private static final String ALL_ZEROS = "00:00:00:00:00:00";

    private final List<String> prefixes = new ArrayList<>();
    private Set<String> rootInterfacesBefore;

    /** A finished demo: its namespace prefix, exit code and whole output. */
    private record DemoRun(String prefix, int exitCode, String output)
    {
        @Override
        public String toString()
        {
            return "bin/vtep demo (" + prefix + ") exited " + exitCode + ", output:\n" + output;
        }
    }

    @BeforeEach
    void requirements()
    {
        Requirements.requireTopology("ping", "iperf3", "setsid", "unshare", "setpriv");
        rootInterfacesBefore = rootInterfaces();
    }

    /** Whatever a failed test left: removed the way the demo itself would, so the next test starts clean. */
    @AfterEach
    void removeLeftovers()
    {
        for (final String prefix : prefixes)
        {
            forceRemove(prefix);
        }
    }

    /**
     * A run kept with --keep, looked at from outside: vtep's API shows h1 local on acc1 and h2 behind
     * the kernel VTEP, the VNI's counters moved both ways, the kernel VTEP learned h1 behind vtep and
     * floods to it, and h1 still reaches h2. A later plain demo (its whole run, cleanup included)
     * leaves the kept one alone; --down removes it, and a second --down finds nothing.
     */
    @Test
    void keptDemoHasTheOverlayInItsStateAndDownRemovesIt()
    {
        final DemoRun kept = runDemo("--keep");

        assertEquals(0, kept.exitCode(), kept::toString);
        assertSections(kept, "Topology", "vtep's configuration", "Starting vtep", "ARP across the overlay", "Ping h1",
            "TCP transfer", "FDB: vtep's view", "FDB: the Linux kernel VTEP's view", "Per-VNI counters", "Where to look next");
        assertContains(kept, "The topology stays up (--keep)");
        assertContains(kept, "ip netns exec " + kept.prefix() + "-h1 ping 10.0.0.2");
        assertContains(kept, "ip netns exec " + kept.prefix() + "-vtep bin/vtep fdb show");
        assertContains(kept, "bin/vtep demo --down");
        assertFalse(kept.output().contains("Cleaning up"), kept::toString);
        assertEquals(Set.of("h1", "h2", "vtep", "kvtep"), roles(demoNamespaces(kept.prefix())));
        assertFalse(demoProcesses(kept.prefix()).isEmpty(), "the kept vtep runs");

        final DemoState state = new DemoState(kept.prefix());
        assertEquals(Set.of(H1_MAC + " vni 100 local port acc1", H2_MAC + " vni 100 remote remote 192.0.2.2"), state.vtepFdb());
        assertCountersMoved(state, 100);
        assertEquals(Set.of(H1_MAC + " dst 192.0.2.1", ALL_ZEROS + " dst 192.0.2.1"), state.kernelFdb(100));
        assertPingsAcross(kept.prefix());

        // A later demo leaves a kept topology alone, and leaves nothing of its own.
        final DemoRun another = runDemo();
        assertEquals(0, another.exitCode(), another::toString);
        assertContains(another, "a topology kept by an earlier demo, " + kept.prefix() + "-*, is still up");
        assertContains(another, "vtep stopped (exit 0)");
        assertEquals(4, demoNamespaces(kept.prefix()).size(), "the kept topology survived another demo");
        assertNothingLeft(another.prefix());

        final DemoRun down = runDemo("--down");
        assertEquals(0, down.exitCode(), down::toString);
        assertContains(down, "Removing demo topology " + kept.prefix() + "-* (stopping its vtep)");
        assertNothingLeft(kept.prefix());
        assertNothingLeft(down.prefix());

        final DemoRun nothing = runDemo("--down");
        assertEquals(0, nothing.exitCode(), nothing::toString);
        assertContains(nothing, "No demo topology to remove.");
    }

    /** A traffic check that fails fails the demo: its reason, exit 1, vtep's log, and the same cleanup as after any run. */
    @Test
    void aFailingTrafficCheckFailsTheDemoWithItsReasonAndLeavesNothing()
    {
        // ping answers nothing: /bin/false bound over it in a private mount namespace, which the
        // demo's network namespaces (ip netns exec) inherit.
        final DemoRun run = runDemo(List.of("unshare", "--mount", "--propagation", "private", "--",
            "sh", "-c", "mount --bind /bin/false \"$(command -v ping)\" && exec \"$0\" demo", VtepProcess.launcher().toString()));

        assertEquals(1, run.exitCode(), run::toString);
        assertContains(run, "vtep demo: h1 got no answer from 10.0.0.2 across the overlay");
        assertContains(run, "--- last lines of vtep's log");
        assertContains(run, "vtep stopped (exit 0)");
        assertNothingLeft(run.prefix());
    }

    @Test
    void ctrlCHalfwayCleansUp()
    {
        interruptedCleanly("=== \\d+\\. Ping h1");
    }

    @Test
    void aSecondRunRemovesWhatAKilledDemoLeftAndWorks()
    {
        final String stale = killedAt("=== \\d+\\. Ping h1");
        assertFalse(demoNamespaces(stale).isEmpty(), "a killed demo leaves its namespaces (the point of this test)");
        assertFalse(demoProcesses(stale).isEmpty(), "and its vtep");

        assertASecondRunCleansUpAndWorks(stale);
    }

    /** --vlan: h1 also speaks, tagged, on VLAN 10 of acc1, which vtep maps to VNI 200, where h3 answers behind the kernel VTEP. */
    @Test
    void vlanCarriesASecondVniOnVlan10OfTheSameAccessPort()
    {
        Requirements.requireScapy();
        final DemoRun kept = runDemo("--vlan", "--keep");

        assertEquals(0, kept.exitCode(), kept::toString);
        assertSections(kept, "VLAN 10 on the same access port");
        final DemoState state = new DemoState(kept.prefix());
        assertEquals(Set.of(H1_MAC + " vni 100 local port acc1", H2_MAC + " vni 100 remote remote 192.0.2.2",
            TAGGED_MAC + " vni 200 local port acc1 vlan 10", H3_MAC + " vni 200 remote remote 192.0.2.2"), state.vtepFdb());
        assertCountersMoved(state, 100);
        assertCountersMoved(state, 200);
        assertTrue(state.kernelFdb(200).contains(TAGGED_MAC + " dst 192.0.2.1"), () -> "vxlan200: " + state.kernelFdb(200));
        takeDown(kept);
    }

    @Test
    void ipv6RunsTheOverlayOverAnIpv6Underlay()
    {
        final DemoRun kept = runDemo("--ipv6", "--keep");

        assertEquals(0, kept.exitCode(), kept::toString);
        assertContains(kept, "hosts' MTU 1430");
        final DemoState state = new DemoState(kept.prefix());
        assertTrue(readFile(state.workDir().resolve("vtep.yaml")).contains("local-ip: \"2001:db8::1\""));
        assertEquals(Set.of(H1_MAC + " vni 100 local port acc1", H2_MAC + " vni 100 remote remote 2001:db8::2"), state.vtepFdb());
        assertCountersMoved(state, 100);
        assertEquals(Set.of(H1_MAC + " dst 2001:db8::1", ALL_ZEROS + " dst 2001:db8::1"), state.kernelFdb(100));
        takeDown(kept);
    }

    @Test
    void multicastFloodsThroughAGroupInsteadOfFloodLists()
    {
        final DemoRun kept = runDemo("--multicast", "--keep");

        assertEquals(0, kept.exitCode(), kept::toString);
        final DemoState state = new DemoState(kept.prefix());
        final Map<?, ?> vni = state.vni(100);
        assertEquals("239.1.1.100", vni.get("multicast_group"), vni::toString);
        assertEquals(List.of(), vni.get("flood"), "no flood list in vtep: " + vni);
        assertEquals(Set.of(H1_MAC + " vni 100 local port acc1", H2_MAC + " vni 100 remote remote 192.0.2.2"), state.vtepFdb());
        assertCountersMoved(state, 100);
        // The kernel VTEP floods to the group and has no flood list either.
        assertEquals(Set.of(H1_MAC + " dst 192.0.2.1", ALL_ZEROS + " dst 239.1.1.100"), state.kernelFdb(100));
        takeDown(kept);
    }

    /**
     * --evpn, kept: the session is Established on both sides and stays so after the demo exits; vtep
     * holds its own type 2 and 3 routes and FRR's, FRR holds vtep's over iBGP; vtep's FDB has h2 from
     * FRR's route (origin evpn, not learned); zebra installed h1 and the flood entry in the kernel;
     * no flood list was configured. --down stops FRR too.
     */
    @Test
    void evpnLearnsEverythingThroughBgpWithFrrAndDownStopsIt()
    {
        FrrRouter.requireFrr();
        final DemoRun kept = runDemo("--evpn", "--keep");

        assertEquals(0, kept.exitCode(), kept::toString);
        assertSections(kept, "BGP session vtep <-> FRR", "EVPN routes on both sides", "Per-VNI counters");
        assertContains(kept, "ip netns exec " + kept.prefix() + "-vtep bin/vtep bgp summary");
        assertContains(kept, "Remove it (and stop its vtep and FRR)");
        final DemoState state = new DemoState(kept.prefix());
        final String config = readFile(state.workDir().resolve("vtep.yaml"));
        assertTrue(config.contains("learning: evpn") && !config.contains("flood:"), config);
        assertTrue(readFile(state.workDir().resolve("frr/" + kept.prefix() + "-kvtep/bgpd.conf")).contains("advertise-all-vni"));

        assertEquals(Map.of("192.0.2.2", "Established"), state.vtepSessions());
        assertEquals(Set.of(
            "type 2 vni 100 " + H1_MAC + " via 192.0.2.1 from local", "type 3 vni 100 via 192.0.2.1 from local",
            "type 2 vni 100 " + H2_MAC + " via 192.0.2.2 from 192.0.2.2", "type 3 vni 100 via 192.0.2.2 from 192.0.2.2"),
            state.vtepRoutes());
        assertEquals(2, frrProcesses(kept.prefix()).size(), () -> "zebra and bgpd: " + frrProcesses(kept.prefix()));
        final FrrPeer vtepSeenByFrr = state.frrPeers().get("192.0.2.1");
        assertTrue(vtepSeenByFrr != null && vtepSeenByFrr.isEstablished(), () -> "FRR's session to vtep: " + state.frrPeers());
        final List<FrrEvpnRoute> frrRoutes = state.frrRoutes();
        assertTrue(frrRoutes.stream().anyMatch(r -> r.isType2() && H1_MAC.equals(r.mac()) && "192.0.2.1".equals(r.nextHop()) && !r.local()),
            () -> "FRR has vtep's route for h1: " + frrRoutes);
        assertTrue(frrRoutes.stream().anyMatch(r -> r.isType3() && "192.0.2.1".equals(r.ip()) && !r.local()),
            () -> "FRR has vtep's type-3 route: " + frrRoutes);
        assertEquals(Set.of(H1_MAC + " vni 100 local port acc1", H2_MAC + " vni 100 evpn remote 192.0.2.2"), state.vtepFdb());
        assertCountersMoved(state, 100);
        assertEquals(Set.of(H1_MAC + " dst 192.0.2.1", ALL_ZEROS + " dst 192.0.2.1"), state.kernelFdb(100));
        assertPingsAcross(kept.prefix());

        final DemoRun down = runDemo("--down");
        assertEquals(0, down.exitCode(), down::toString);
        assertContains(down, "Removing demo topology " + kept.prefix() + "-* (stopping its vtep and FRR)");
        assertNothingLeft(kept.prefix());
        assertNothingLeft(down.prefix());
    }

    @Test
    void evpnCtrlCStopsFrrToo()
    {
        FrrRouter.requireFrr();
        final ManagedProcess demo = interruptedCleanly("=== \\d+\\. EVPN routes", "--evpn");
        assertTrue(demo.output().contains("FRR stopped (bgpd, zebra)"), demo::output);
    }

    /**
     * A killed {@code --evpn} demo leaves zebra and bgpd running; even with the kernel VTEP's
     * namespace deleted by hand (so they are in no named namespace any more) the next run finds
     * them by their pid files and stops them.
     */
    @Test
    void aSecondRunStopsTheFrrOfAKilledEvpnDemo()
    {
        FrrRouter.requireFrr();
        final String stale = killedAt("=== \\d+\\. ARP", "--evpn");
        assertEquals(2, frrProcesses(stale).size(), () -> "a killed demo leaves zebra and bgpd: " + frrProcesses(stale));
        Commands.runOk("ip", "netns", "del", stale + "-kvtep");
        assertEquals(2, frrProcesses(stale).size(), "they outlive their namespace's name");

        assertASecondRunCleansUpAndWorks(stale, "--evpn");
    }

    /**
     * Starts a demo and interrupts it (Ctrl-C) once {@code section} is printed.
     *
     * @return the demo, ended with 130 after cleaning up everything it made.
     */
    private ManagedProcess interruptedCleanly(final String section, final String... options)
    {
        final ManagedProcess demo = startDemo(options);
        demo.awaitOutput(section, DEMO_TIMEOUT);
        demo.signal("INT");
        final int exit = demo.waitFor(Duration.ofSeconds(60));

        assertEquals(130, exit, demo::output);
        assertTrue(demo.output().contains("interrupted (INT), cleaning up"), demo::output);
        assertTrue(demo.output().contains("vtep stopped"), demo::output);
        assertNothingLeft(prefixOf(demo));
        return demo;
    }

    /**
     * Starts a demo and kills it (SIGKILL: no cleanup) once {@code section} is printed.
     *
     * @return the prefix of what it left behind.
     */
    private String killedAt(final String section, final String... options)
    {
        final ManagedProcess killed = startDemo(options);
        killed.awaitOutput(section, DEMO_TIMEOUT);
        killed.signal("KILL");
        assertEquals(137, killed.waitFor(Duration.ofSeconds(30)));
        return prefixOf(killed);
    }

    /** The next run (with the same options) removes what the {@code stale} one left, then works and leaves nothing. */
    private void assertASecondRunCleansUpAndWorks(final String stale, final String... options)
    {
        final DemoRun second = runDemo(options);

        assertEquals(0, second.exitCode(), second::toString);
        assertContains(second, "Removing what an earlier demo run left behind: namespaces " + stale + "-*");
        assertContains(second, "5 packets transmitted, 5 received, 0% packet loss");
        assertNothingLeft(stale);
        assertNothingLeft(second.prefix());
    }

    @Test
    void evpnRefusesVlanIpv6AndMulticastAndChangesNothing()
    {
        final Set<String> before = allDemoNamespaces();
        for (final String other : List.of("--vlan", "--ipv6", "--multicast"))
        {
            final DemoRun run = runDemo("--evpn", other);

            assertEquals(2, run.exitCode(), run::toString);
            assertContains(run, "--evpn does not combine with " + other + "; nothing was changed.");
            assertNothingLeft(run.prefix());
        }
        assertEquals(before, allDemoNamespaces(), "no namespace created");
    }

    @Test
    void evpnWithoutFrrSaysHowToGetItAndChangesNothing()
    {
        final Set<String> before = allDemoNamespaces();
        // zebra missing: masked by an empty, non-executable file in a private mount namespace.
        final DemoRun noFrr = runDemo(List.of("unshare", "--mount", "--propagation", "private", "--",
            "sh", "-c", "mount --bind /dev/null " + FrrRouter.DAEMON_DIR.resolve("zebra") + " && exec \"$0\" demo --evpn",
            VtepProcess.launcher().toString()));

        assertEquals(1, noFrr.exitCode(), noFrr::toString);
        assertContains(noFrr, "cannot run; nothing was changed.");
        assertContains(noFrr, "needs Debian's frr: apt-get install frr");
        assertContains(noFrr, "Install with: sudo apt-get install frr");
        assertEquals(before, allDemoNamespaces(), "no namespace created");
        assertNothingLeft(noFrr.prefix());
    }

    @Test
    void withoutRootOrWithAMissingToolItSaysWhatIsMissingAndChangesNothing()
    {
        final Set<String> before = allDemoNamespaces();
        final String launcher = VtepProcess.launcher().toString();

        // Not root: nobody.
        final DemoRun notRoot = runDemo(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
            launcher, "demo", "--vlan"));
        assertEquals(1, notRoot.exitCode(), notRoot::toString);
        assertContains(notRoot, "cannot run; nothing was changed.");
        assertContains(notRoot, "needs root");
        assertContains(notRoot, "sudo bin/vtep demo --vlan");

        // iperf3 missing: masked by an empty, non-executable file in a private mount namespace.
        final DemoRun noIperf = runDemo(List.of("unshare", "--mount", "--propagation", "private", "--",
            "sh", "-c", "mount --bind /dev/null \"$(command -v iperf3)\" && exec \"$0\" demo", launcher));
        assertEquals(1, noIperf.exitCode(), noIperf::toString);
        assertContains(noIperf, "missing: iperf3. Install with: sudo apt-get install iperf3");
        assertContains(noIperf, "scripts/install-test-deps.sh");
        assertFalse(noIperf.output().contains("needs root"), noIperf::toString);

        assertEquals(before, allDemoNamespaces(), "no namespace created");
        assertNothingLeft(notRoot.prefix());
        assertNothingLeft(noIperf.prefix());
    }

    // ── running demos ────────────────────────────────────────────────────────────────────────

    private ManagedProcess startDemo(final String... options)
    {
        // INT, TERM and HUP at their default disposition, whatever this test run inherited: a run
        // started in the background of a shell without job control ignores SIGINT, an ignored
        // signal stays ignored across exec, and the Ctrl-C tests send SIGINT (env execs: same pid).
        final List<String> command = new ArrayList<>(
            List.of("env", "--default-signal=INT,TERM,HUP", VtepProcess.launcher().toString(), "demo"));
        command.addAll(List.of(options));
        return start(command);
    }

    private ManagedProcess start(final List<String> command)
    {
        final ManagedProcess demo = ManagedProcess.start("bin/vtep demo", command);
        prefixes.add(prefixOf(demo));
        return demo;
    }

    private DemoRun runDemo(final String... options)
    {
        final List<String> command = new ArrayList<>(List.of(VtepProcess.launcher().toString(), "demo"));
        command.addAll(List.of(options));
        return runDemo(command);
    }

    private DemoRun runDemo(final List<String> command)
    {
        final ManagedProcess demo = start(command);
        final int exit = demo.waitFor(DEMO_TIMEOUT);
        return new DemoRun(prefixOf(demo), exit, demo.output());
    }

    private static String prefixOf(final ManagedProcess demo)
    {
        return "vtdemo" + demo.pid();
    }

    // ── assertions ───────────────────────────────────────────────────────────────────────────

    private static void assertContains(final DemoRun run, final String expected)
    {
        assertTrue(run.output().contains(expected), () -> "expected \"" + expected + "\" in the output of " + run);
    }

    private static void assertMatches(final DemoRun run, final String regex)
    {
        assertTrue(Pattern.compile(regex).matcher(run.output()).find(), () -> "expected /" + regex + "/ in the output of " + run);
    }

    /** The numbered steps with these titles ran ("=== N. TITLE"): the light check of the output. */
    private static void assertSections(final DemoRun run, final String... titles)
    {
        for (final String title : titles)
        {
            assertMatches(run, "(?m)^=== \\d+\\. " + Pattern.quote(title));
        }
    }

    /** The VNI's counters (vtep's API) moved both ways, on the access side and on the overlay. */
    private static void assertCountersMoved(final DemoState state, final int vni)
    {
        for (final String side : List.of("rx", "tx"))
        {
            for (final String where : List.of("access", "overlay"))
            {
                assertTrue(state.packets(vni, side, where) > 0, () -> "VNI " + vni + " " + side + " " + where + " packets: " + state.vni(vni));
            }
        }
    }

    /** The kept topology still forwards: h1 pings h2. */
    private static void assertPingsAcross(final String prefix)
    {
        final ExecResult ping = Commands.run(Duration.ofSeconds(20),
            List.of("ip", "netns", "exec", prefix + "-h1", "ping", "-n", "-c", "2", "-i", "0.2", "-W", "2", "10.0.0.2"));
        final PingResult result = PingResult.parse(ping.stdout());
        assertTrue(result.allReceived(), ping::stdout);
    }

    /** {@code bin/vtep demo --down} removes the kept run and leaves nothing. */
    private void takeDown(final DemoRun kept)
    {
        final DemoRun down = runDemo("--down");
        assertEquals(0, down.exitCode(), down::toString);
        assertContains(down, "Removing demo topology " + kept.prefix() + "-*");
        assertNothingLeft(kept.prefix());
    }

    private static String readFile(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException e)
        {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    /** No namespace, root-namespace interface, process, temp dir or bookkeeping of the demo {@code prefix} is left. */
    private void assertNothingLeft(final String prefix)
    {
        // The demo removes everything before it exits; allow the kernel a moment to finish deleting.
        Wait.until(Duration.ofSeconds(10), () -> demoNamespaces(prefix), List::isEmpty, "no namespace " + prefix + "-* left");
        assertEquals(List.of(), demoProcesses(prefix), "no process of " + prefix + " left (its vtep, iperf3, ping)");
        final Set<String> newInterfaces = new HashSet<>(rootInterfaces());
        newInterfaces.removeAll(rootInterfacesBefore);
        newInterfaces.retainAll(DEMO_INTERFACES);
        assertEquals(Set.of(), newInterfaces, "no demo interface in the root namespace");
        assertFalse(Files.exists(STATE_ROOT.resolve(prefix)), "no bookkeeping in " + STATE_ROOT + " for " + prefix);
        assertEquals(List.of(), tempDirs(prefix), "no temp dir of " + prefix + " left");
        assertEquals(List.of(), frrProcesses(prefix), "no zebra or bgpd of " + prefix + " left");
        assertFalse(Files.exists(FrrRouter.RUN_DIR.resolve(prefix + "-kvtep")), "no " + FrrRouter.RUN_DIR + "/" + prefix + "-kvtep left");
    }

    // ── looking at the machine ───────────────────────────────────────────────────────────────

    private static List<String> demoNamespaces(final String prefix)
    {
        return Topology.listNamespaces().stream().filter(n -> n.startsWith(prefix + "-")).toList();
    }

    private static Set<String> allDemoNamespaces()
    {
        return Set.copyOf(Topology.listNamespaces().stream().filter(n -> n.matches("vtdemo\\d+-.*")).toList());
    }

    private static Set<String> roles(final List<String> namespaces)
    {
        final Set<String> roles = new HashSet<>();
        for (final String namespace : namespaces)
        {
            roles.add(namespace.substring(namespace.indexOf('-') + 1));
        }
        return roles;
    }

    /** Processes whose command line names the demo's prefix (its vtep runs with a config in the demo's temp dir). */
    private static List<String> demoProcesses(final String prefix)
    {
        final List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc")))
        {
            for (final Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList())
            {
                try
                {
                    final String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                        .replace('\0', ' ');
                    if (cmdline.contains(prefix + "-") || cmdline.contains(prefix + "."))
                    {
                        found.add(proc.getFileName() + ": " + cmdline.strip());
                    }
                }
                catch (final IOException gone)
                {
                    // exited while we looked
                }
            }
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return found;
    }

    /** FRR daemons ({@code /usr/lib/frr/zebra -N <prefix>-kvtep ...}) of the demo {@code prefix}, wherever they run. */
    private static List<String> frrProcesses(final String prefix)
    {
        return demoProcesses(prefix).stream()
            .filter(p -> p.contains(FrrRouter.DAEMON_DIR + "/") && p.contains(" -N " + prefix + "-kvtep "))
            .toList();
    }

    private static List<Path> tempDirs(final String prefix)
    {
        // The demo's JVM makes its work dir with Files.createTempDirectory, in java.io.tmpdir (/tmp).
        final Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> entries = Files.list(tmp))
        {
            return entries.filter(p -> p.getFileName().toString().startsWith("vtep-" + prefix + "-")).toList();
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot list " + tmp, e);
        }
    }

    private static Set<String> rootInterfaces()
    {
        final Set<String> names = new HashSet<>();
        for (final String line : Commands.runOk("ip", "-o", "link", "show").stdout().split("\n"))
        {
            // "3: eth0@if2: <...>"
            final String[] fields = line.split(":\\s+", 3);
            if (fields.length >= 2)
            {
                names.add(fields[1].replaceAll("@.*", ""));
            }
        }
        return names;
    }

    /** Test teardown only: kills what runs in the demo's namespaces and deletes them, its temp dir and bookkeeping. */
    private static void forceRemove(final String prefix)
    {
        for (final String namespace : demoNamespaces(prefix))
        {
            final ExecResult pids = Commands.run(Duration.ofSeconds(10), List.of("ip", "netns", "pids", namespace));
            for (final String pid : pids.stdout().split("\\s+"))
            {
                if (!pid.isBlank())
                {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            Commands.run(Duration.ofSeconds(10), List.of("ip", "netns", "del", namespace));
        }
        for (final Path dir : tempDirs(prefix))
        {
            Commands.run(Duration.ofSeconds(10), List.of("rm", "-rf", "--", dir.toString()));
        }
        Commands.run(Duration.ofSeconds(10), List.of("rm", "-rf", "--", STATE_ROOT.resolve(prefix).toString()));
    }
}
