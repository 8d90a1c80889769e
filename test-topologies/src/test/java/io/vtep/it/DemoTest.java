package io.vtep.it;

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
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.topology.Commands;
import io.vtep.topology.ExecResult;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.Requirements;
import io.vtep.topology.Topology;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;

/**
 * {@code bin/vtep demo} (issue 10) run the way a newcomer or CI runs it: its output shows the ping,
 * both FDBs and the counters, it exits 0, and nothing of it stays behind (no namespace, interface,
 * process, temp dir), also after Ctrl-C, after a SIGKILL (the next run removes the leftovers), and
 * with every option. With {@code --evpn} that includes FRR: the session and routes on both sides,
 * and no zebra or bgpd left running.
 *
 * <p>Each demo names its namespaces {@code vtdemo<pid>-*} after its own pid, which is the pid of
 * the launcher process started here ({@code bin/vtep} execs {@code scripts/demo.sh}).
 */
class DemoTest
{
    /** The first run on a fresh clone builds the jars through the launcher. */
    private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(5);
    private static final Path STATE_ROOT = Path.of("/run/vtep-demo");
    /** Interface names the demo uses; none of them may ever appear in the root namespace. */
    private static final Set<String> DEMO_INTERFACES =
        Set.of("acc1", "acc2", "acc3", "ul0", "br0", "br1", "vxlan100", "vxlan200");

    private static final String H1_MAC = "02:00:00:00:00:01";
    private static final String H2_MAC = "02:00:00:00:00:02";
    private static final String H3_MAC = "02:00:00:00:00:03";
    private static final String TAGGED_MAC = "02:10:00:00:00:01";

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

    @Test
    void demoShowsPingTcpBothFdbsAndCountersThenLeavesNothingBehind()
    {
        final DemoRun run = runDemo();

        assertEquals(0, run.exitCode(), run::toString);
        assertContains(run, "5 packets transmitted, 5 received, 0% packet loss");
        assertMatches(run, "rtt min/avg/max/mdev = [\\d.]+/[\\d.]+/[\\d.]+/[\\d.]+ ms");
        assertContains(run, "10.0.0.2 lladdr " + H2_MAC);
        assertMatches(run, "0\\.00-3\\.\\d+ +sec .* [\\d.]+ Mbits/sec .*receiver");
        // vtep's FDB (bin/vtep fdb show): h1 local on its access port, h2 behind the kernel VTEP.
        assertMatches(run, "(?m)^ +" + H1_MAC + " vni 100 dev acc1 local");
        assertMatches(run, "(?m)^ +" + H2_MAC + " vni 100 dst 192\\.0\\.2\\.2 remote");
        // The kernel's FDB (bridge fdb show dev vxlan100): h1 behind vtep, and the flood list.
        assertMatches(run, "(?m)^ +" + H1_MAC + " dst 192\\.0\\.2\\.1 ");
        assertMatches(run, "(?m)^ +00:00:00:00:00:00 dst 192\\.0\\.2\\.1 ");
        assertVtepFdbHolds(run, Set.of(H1_MAC + " vni 100", H2_MAC + " vni 100"));
        assertCountersTable(run, 100);
        assertContains(run, "/metrics");
        assertContains(run, "Configuration reference");
        assertNothingLeft(run.prefix());
    }

    @Test
    void ctrlCHalfwayCleansUp()
    {
        final ManagedProcess demo = startDemo();
        demo.awaitOutput("=== \\d+\\. Ping h1", DEMO_TIMEOUT);
        demo.signal("INT");
        final int exit = demo.waitFor(Duration.ofSeconds(60));

        assertEquals(130, exit, demo::output);
        assertTrue(demo.output().contains("interrupted (INT), cleaning up"), demo::output);
        assertTrue(demo.output().contains("vtep stopped"), demo::output);
        assertNothingLeft(prefixOf(demo));
    }

    @Test
    void aSecondRunRemovesWhatAKilledDemoLeftAndWorks()
    {
        final ManagedProcess killed = startDemo();
        final String stale = prefixOf(killed);
        killed.awaitOutput("=== \\d+\\. Ping h1", DEMO_TIMEOUT);
        killed.signal("KILL");
        assertEquals(137, killed.waitFor(Duration.ofSeconds(30)));
        assertFalse(demoNamespaces(stale).isEmpty(), "a killed demo leaves its namespaces (the point of this test)");
        assertFalse(demoProcesses(stale).isEmpty(), "and its vtep");

        final DemoRun second = runDemo();

        assertEquals(0, second.exitCode(), second::toString);
        assertContains(second, "Removing what an earlier demo run left behind: namespaces " + stale + "-*");
        assertContains(second, "5 packets transmitted, 5 received, 0% packet loss");
        assertNothingLeft(stale);
        assertNothingLeft(second.prefix());
    }

    @Test
    void vlanCarriesASecondVniOnVlan10OfTheSameAccessPort()
    {
        Requirements.requireScapy();
        final DemoRun run = runDemo("--vlan");

        assertEquals(0, run.exitCode(), run::toString);
        assertContains(run, "5 packets transmitted, 5 received, 0% packet loss");
        assertContains(run, "reply: 10.0.200.2 is-at " + H3_MAC + ", VLAN 10");
        assertContains(run, "3 of 3 echo requests answered");
        assertMatches(run, "echo reply from 10\\.0\\.200\\.2 seq=1, VLAN 10");
        assertMatches(run, "(?m)^ +" + TAGGED_MAC + " vni 200 dev acc1\\S* .*local");
        assertMatches(run, "(?m)^ +" + H3_MAC + " vni 200 dst 192\\.0\\.2\\.2 remote");
        assertMatches(run, "(?m)^ +" + H1_MAC + " vni 100 dev acc1 local");
        assertVtepFdbHolds(run, Set.of(H1_MAC + " vni 100", H2_MAC + " vni 100", TAGGED_MAC + " vni 200", H3_MAC + " vni 200"));
        // The kernel's VNI 200 device learned the tagged host behind vtep.
        assertMatches(run, "(?m)^ +" + TAGGED_MAC + " dst 192\\.0\\.2\\.1 ");
        assertCountersTable(run, 100);
        assertCountersTable(run, 200);
        assertNothingLeft(run.prefix());
    }

    @Test
    void ipv6RunsTheOverlayOverAnIpv6Underlay()
    {
        final DemoRun run = runDemo("--ipv6");

        assertEquals(0, run.exitCode(), run::toString);
        assertContains(run, "local-ip: \"2001:db8::1\"");
        assertContains(run, "hosts' MTU 1430");
        assertContains(run, "5 packets transmitted, 5 received, 0% packet loss");
        assertMatches(run, "Mbits/sec .*receiver");
        assertMatches(run, "(?m)^ +" + H2_MAC + " vni 100 dst 2001:db8::2 remote");
        assertMatches(run, "(?m)^ +" + H1_MAC + " dst 2001:db8::1 ");
        assertVtepFdbHolds(run, Set.of(H1_MAC + " vni 100", H2_MAC + " vni 100"));
        assertCountersTable(run, 100);
        assertNothingLeft(run.prefix());
    }

    @Test
    void multicastFloodsThroughAGroupInsteadOfFloodLists()
    {
        final DemoRun run = runDemo("--multicast");

        assertEquals(0, run.exitCode(), run::toString);
        assertContains(run, "multicast-group: \"239.1.1.100\"");
        assertFalse(run.output().contains("flood: ["), "no flood list in vtep's config");
        assertContains(run, "5 packets transmitted, 5 received, 0% packet loss");
        assertMatches(run, "(?m)^ +00:00:00:00:00:00 dst 239\\.1\\.1\\.100 ");
        assertFalse(Pattern.compile("(?m)^ +00:00:00:00:00:00 dst 192\\.0\\.2\\.1").matcher(run.output()).find(),
            "the kernel VTEP has no flood list either");
        assertMatches(run, "(?m)^ +" + H2_MAC + " vni 100 dst 192\\.0\\.2\\.2 remote");
        assertMatches(run, "(?m)^ +" + H1_MAC + " dst 192\\.0\\.2\\.1 ");
        assertVtepFdbHolds(run, Set.of(H1_MAC + " vni 100", H2_MAC + " vni 100"));
        assertCountersTable(run, 100);
        assertNothingLeft(run.prefix());
    }

    @Test
    void keepLeavesTheTopologyRunningAndDownRemovesIt()
    {
        final DemoRun kept = runDemo("--keep");

        assertEquals(0, kept.exitCode(), kept::toString);
        assertContains(kept, "The topology stays up (--keep)");
        assertContains(kept, "ip netns exec " + kept.prefix() + "-h1 ping 10.0.0.2");
        assertContains(kept, "ip netns exec " + kept.prefix() + "-vtep tcpdump -ni ul0 udp port 4789");
        assertContains(kept, "ip netns exec " + kept.prefix() + "-vtep curl -s http://127.0.0.1:9100/metrics");
        assertContains(kept, "bin/vtep fdb show");
        assertContains(kept, "bin/vtep demo --down");
        assertFalse(kept.output().contains("Cleaning up"), kept::toString);

        // It really is still up: vtep forwards and answers the CLI.
        assertEquals(Set.of("h1", "h2", "vtep", "kvtep"), roles(demoNamespaces(kept.prefix())));
        assertFalse(demoProcesses(kept.prefix()).isEmpty(), "the kept vtep runs");
        final ExecResult ping = Commands.run(Duration.ofSeconds(20),
            List.of("ip", "netns", "exec", kept.prefix() + "-h1", "ping", "-n", "-c", "2", "-i", "0.2", "10.0.0.2"));
        assertTrue(ping.stdout().contains(" 0% packet loss"), ping::stdout);
        final ExecResult fdb = Commands.run(Duration.ofSeconds(60),
            List.of("ip", "netns", "exec", kept.prefix() + "-vtep", VtepProcess.launcher().toString(), "fdb", "show"));
        assertTrue(fdb.stdout().contains(H1_MAC + " vni 100 dev acc1 local"), () -> fdb.stdout() + fdb.stderr());

        // A later demo leaves a kept topology alone.
        final DemoRun another = runDemo();
        assertEquals(0, another.exitCode(), another::toString);
        assertContains(another, "a topology kept by an earlier demo, " + kept.prefix() + "-*, is still up");
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

    @Test
    void evpnLearnsEverythingThroughBgpWithFrrThenLeavesNothingBehind()
    {
        FrrRouter.requireFrr();
        final DemoRun run = runDemo("--evpn");

        assertEquals(0, run.exitCode(), run::toString);
        // vtep's config: EVPN learning, a bgp: section, no flood list; FRR's: advertise-all-vni.
        assertContains(run, "learning: evpn");
        assertMatches(run, "(?m)^ +bgp: ");
        assertMatches(run, "(?m)^ +hold-time: 9 ");
        assertFalse(run.output().contains("flood: ["), "no flood list in vtep's config");
        assertMatches(run, "(?m)^ +neighbor 192\\.0\\.2\\.1 timers 3 9$");
        assertContains(run, "advertise-all-vni");

        // The session, on both sides: vtep says Established; FRR's State/PfxRcd column is a count once Established.
        assertMatches(run, "(?m)^ +192\\.0\\.2\\.2 +65000 +ibgp +Established +\\d\\d:\\d\\d:\\d\\d +[1-9]");
        assertMatches(run, "(?m)^ +192\\.0\\.2\\.1 +4 +65000 +\\d+ +\\d+ +\\d+ +\\d+ +\\d+ +\\d\\d:\\d\\d:\\d\\d +[1-9]\\d* ");

        assertContains(run, "10.0.0.2 lladdr " + H2_MAC);
        assertContains(run, "5 packets transmitted, 5 received, 0% packet loss");

        // vtep's routes (bin/vtep bgp routes): its own type 2 and 3, and FRR's.
        assertMatches(run, "(?m)^ +\\* vni 100 type 2 \\[" + H1_MAC + "\\] rd 192\\.0\\.2\\.1:\\d+ via 192\\.0\\.2\\.1 from local ");
        assertMatches(run, "(?m)^ +\\* vni 100 type 3 rd 192\\.0\\.2\\.1:\\d+ via 192\\.0\\.2\\.1 from local$");
        assertMatches(run, "(?m)^ +\\* vni 100 type 2 \\[" + H2_MAC + "\\] rd 192\\.0\\.2\\.2:\\d+ via 192\\.0\\.2\\.2 from 192\\.0\\.2\\.2 ");
        assertMatches(run, "(?m)^ +\\* vni 100 type 3 rd 192\\.0\\.2\\.2:\\d+ via 192\\.0\\.2\\.2 from 192\\.0\\.2\\.2$");
        // FRR's routes (show bgp l2vpn evpn route): vtep's over iBGP ("*>i"), and its own ("*> ").
        assertMatches(run, "(?m)^ +\\*>i\\[2\\]:\\[0\\]:\\[48\\]:\\[" + H1_MAC + "\\]\\s*$");
        assertMatches(run, "(?m)^ +\\*>i\\[3\\]:\\[0\\]:\\[32\\]:\\[192\\.0\\.2\\.1\\]\\s*$");
        assertMatches(run, "(?m)^ +\\*> \\[2\\]:\\[0\\]:\\[48\\]:\\[" + H2_MAC + "\\]\\s*$");
        assertMatches(run, "(?m)^ +\\*> \\[3\\]:\\[0\\]:\\[32\\]:\\[192\\.0\\.2\\.2\\]\\s*$");

        assertMatches(run, "0\\.00-3\\.\\d+ +sec .* [\\d.]+ Mbits/sec .*receiver");
        // vtep's FDB: h2 installed from FRR's route (origin evpn), not learned from packets.
        assertMatches(run, "(?m)^ +" + H1_MAC + " vni 100 dev acc1 local");
        assertMatches(run, "(?m)^ +" + H2_MAC + " vni 100 dst 192\\.0\\.2\\.2 evpn\\s*$");
        assertVtepFdbHolds(run, Set.of(H1_MAC + " vni 100", H2_MAC + " vni 100"));
        // The kernel's FDB: zebra installed h1 behind vtep and vtep in the flood list.
        assertMatches(run, "(?m)^ +" + H1_MAC + " dst 192\\.0\\.2\\.1 self extern_learn");
        assertMatches(run, "(?m)^ +00:00:00:00:00:00 dst 192\\.0\\.2\\.1 ");
        assertCountersTable(run, 100);
        assertMatches(run, "(?m)^ +100 +evpn +acc1 +192\\.0\\.2\\.2 ");

        assertContains(run, "vtep stopped (exit 0)");
        assertContains(run, "FRR stopped (bgpd, zebra)");
        assertNothingLeft(run.prefix());
    }

    @Test
    void evpnKeepLeavesFrrRunningAndDownStopsIt()
    {
        FrrRouter.requireFrr();
        final DemoRun kept = runDemo("--evpn", "--keep");

        assertEquals(0, kept.exitCode(), kept::toString);
        assertContains(kept, "The topology stays up (--keep)");
        assertContains(kept, "ip netns exec " + kept.prefix() + "-vtep bin/vtep bgp summary");
        assertContains(kept, "ip netns exec " + kept.prefix() + "-kvtep vtysh -N " + kept.prefix() + "-kvtep ");
        assertContains(kept, "Remove it (and stop its vtep and FRR)");
        assertFalse(kept.output().contains("Cleaning up"), kept::toString);

        // zebra and bgpd still run, and the session is still up on both sides.
        assertEquals(2, frrProcesses(kept.prefix()).size(), () -> "zebra and bgpd: " + frrProcesses(kept.prefix()));
        final String frrDir = workdirOf(kept.prefix()) + "/frr";
        final ExecResult frrSummary = Commands.run(Duration.ofSeconds(20), List.of("ip", "netns", "exec", kept.prefix() + "-kvtep",
            "vtysh", "-N", kept.prefix() + "-kvtep", "--vty_socket", frrDir, "--config_dir", frrDir,
            "-c", "show bgp l2vpn evpn summary json"));
        assertTrue(frrSummary.stdout().contains("\"state\":\"Established\""), () -> frrSummary.stdout() + frrSummary.stderr());
        final ExecResult vtepSummary = Commands.run(Duration.ofSeconds(60),
            List.of("ip", "netns", "exec", kept.prefix() + "-vtep", VtepProcess.launcher().toString(), "bgp", "summary"));
        assertTrue(vtepSummary.stdout().contains("Established"), () -> vtepSummary.stdout() + vtepSummary.stderr());
        final ExecResult ping = Commands.run(Duration.ofSeconds(20),
            List.of("ip", "netns", "exec", kept.prefix() + "-h1", "ping", "-n", "-c", "2", "-i", "0.2", "10.0.0.2"));
        assertTrue(ping.stdout().contains(" 0% packet loss"), ping::stdout);

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
        final ManagedProcess demo = startDemo("--evpn");
        demo.awaitOutput("=== \\d+\\. EVPN routes", DEMO_TIMEOUT);
        demo.signal("INT");
        final int exit = demo.waitFor(Duration.ofSeconds(60));

        assertEquals(130, exit, demo::output);
        assertTrue(demo.output().contains("interrupted (INT), cleaning up"), demo::output);
        assertTrue(demo.output().contains("vtep stopped"), demo::output);
        assertTrue(demo.output().contains("FRR stopped (bgpd, zebra)"), demo::output);
        assertNothingLeft(prefixOf(demo));
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
        final ManagedProcess killed = startDemo("--evpn");
        final String stale = prefixOf(killed);
        killed.awaitOutput("=== \\d+\\. ARP", DEMO_TIMEOUT);
        killed.signal("KILL");
        assertEquals(137, killed.waitFor(Duration.ofSeconds(30)));
        assertEquals(2, frrProcesses(stale).size(), () -> "a killed demo leaves zebra and bgpd: " + frrProcesses(stale));
        Commands.runOk("ip", "netns", "del", stale + "-kvtep");
        assertEquals(2, frrProcesses(stale).size(), "they outlive their namespace's name");

        final DemoRun second = runDemo("--evpn");

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
        final List<String> command = new ArrayList<>(List.of(VtepProcess.launcher().toString(), "demo"));
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

    /** The temp dir of a running (or kept) demo, from its bookkeeping. */
    private static String workdirOf(final String prefix)
    {
        try
        {
            return Files.readString(STATE_ROOT.resolve(prefix).resolve("workdir")).strip();
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("no bookkeeping for " + prefix, e);
        }
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

    /** The MACs, per "vni N", that {@code bin/vtep fdb show} printed: exactly the demo's hosts, nothing stray (IPv6 chatter, bridges). */
    private static void assertVtepFdbHolds(final DemoRun run, final Set<String> expected)
    {
        final String output = run.output();
        final int at = output.indexOf("[vtep]$ bin/vtep fdb show");
        assertTrue(at >= 0, () -> "the FDB step ran: " + run);
        final Set<String> entries = new HashSet<>();
        for (final String line : output.substring(at).lines().skip(1).toList())
        {
            final var entry = Pattern.compile("^ {4}([0-9a-f:]{17}) vni (\\d+) ").matcher(line);
            if (!entry.find())
            {
                break;
            }
            entries.add(entry.group(1) + " vni " + entry.group(2));
        }
        assertEquals(expected, entries, () -> "bin/vtep fdb show in " + run);
    }

    /** {@code bin/vtep vni list}: a header naming the counters, and a row for {@code vni} with numbers in it. */
    private static void assertCountersTable(final DemoRun run, final int vni)
    {
        final String output = run.output();
        final int at = output.indexOf("[vtep]$ bin/vtep vni list");
        assertTrue(at >= 0, () -> "the counters step ran: " + run);
        final String table = output.substring(at);
        assertMatches(new DemoRun(run.prefix(), run.exitCode(), table), "(?mi)^ +VNI\\b.*\\bRX\\b.*\\bTX\\b");
        assertMatches(new DemoRun(run.prefix(), run.exitCode(), table), "(?m)^ +" + vni + "\\b.*[1-9]\\d*");
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
        final Path tmp = Path.of(System.getenv().getOrDefault("TMPDIR", "/tmp"));
        try (Stream<Path> entries = Files.list(tmp))
        {
            return entries.filter(p -> p.getFileName().toString().startsWith("vtep-demo." + prefix + ".")).toList();
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
