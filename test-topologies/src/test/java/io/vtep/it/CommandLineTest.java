package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.nativeio.CompilerThreads;
import io.vtep.topology.Commands;
import io.vtep.topology.ExecResult;
import io.vtep.topology.Netns;
import io.vtep.topology.Topology;
import io.vtep.topology.VtepProcess;

/** {@code bin/vtep} as an operator meets it: version, and configurations that are refused before anything starts. */
class CommandLineTest
{
    private Topology topology;
    private Netns ns;

    @BeforeEach
    void build()
    {
        topology = Topology.create();
        ns = topology.namespace("vtep");
        topology.link(ns, "ul0", topology.namespace("peer"), "ul0");
        ns.addAddress("ul0", "192.0.2.1/24");
    }

    @AfterEach
    void tearDown()
    {
        topology.close();
    }

    private static ExecResult launcher(final String... args)
    {
        final List<String> command = new java.util.ArrayList<>(List.of(VtepProcess.launcher().toString()));
        command.addAll(List.of(args));
        return Commands.run(Duration.ofMinutes(5), command);
    }

    @Test
    void versionPrintsTheVersion()
    {
        final ExecResult version = launcher("version");
        assertEquals(0, version.exitCode(), version::stderr);
        assertTrue(version.stdout().matches("(?s)vtep \\d+\\.\\d+\\.\\d+.*\\n"), version::stdout);
    }

    @Test
    void wrongConfigurationExitsNonZeroNamingTheKeyPath()
    {
        final VtepProcess badVlan = topology.launchVtep(ns, """
            vtep: { local-ip: 192.0.2.1 }
            ports: [ { name: ul0, vlans: { 4095: 100 } } ]
            """);
        assertEquals(2, badVlan.waitForExit(Duration.ofMinutes(2)), badVlan::output);
        assertTrue(badVlan.output().contains("ports[0].vlans.4095: VLAN 4095 is out of range 1..4094"), badVlan::output);
    }

    @Test
    void missingInterfaceAndForeignLocalAddressAreRefusedBeforeAnythingStarts()
    {
        final VtepProcess noInterface = topology.launchVtep(ns, """
            vtep: { local-ip: 192.0.2.1 }
            ports: [ { name: eth9, vlans: { untagged: 100 } } ]
            """);
        assertEquals(2, noInterface.waitForExit(Duration.ofMinutes(2)), noInterface::output);
        assertTrue(noInterface.output().contains("ports[0].name: no interface named eth9"), noInterface::output);

        final VtepProcess foreignAddress = topology.launchVtep(ns, """
            vtep: { local-ip: 198.51.100.7 }
            ports: [ { name: ul0, vlans: { untagged: 100 } } ]
            """);
        assertEquals(2, foreignAddress.waitForExit(Duration.ofMinutes(2)), foreignAddress::output);
        assertTrue(foreignAddress.output().contains("vtep.local-ip: 198.51.100.7 is not an address of this host"),
            foreignAddress::output);
        assertTrue(!foreignAddress.output().contains("vtep started"), "nothing started");
    }

    /**
     * The launcher's eager JIT (docs/architecture.md §3.8): the JVM it starts for {@code run} gets
     * the data path's {@code CompileThresholdScaling} options, before {@code VTEP_JAVA_OPTS} and the
     * jar, as separate arguments (a quoting slip would hand the JVM one long bad option, or none).
     */
    @Test
    void theLauncherGivesTheJvmTheDataPathsEagerJit() throws Exception
    {
        final VtepProcess vtep = topology.startVtep(ns, """
            vtep: { local-ip: 192.0.2.1 }
            ports: [ { name: ul0, vlans: { untagged: 100 } } ]
            """);
        final List<String> args = List.of(Files.readString(Path.of("/proc", String.valueOf(vtep.pid()), "cmdline")).split("\0"));
        assertTrue(args.contains("-XX:CompileCommand=quiet"), args::toString);
        assertTrue(args.contains("-XX:-UseDynamicNumberOfCompilerThreads"), () -> "every compiler thread from the start: " + args);
        for (final String pattern : List.of("io.vtep.*::*", "org.agrona.*::*", "jdk.internal.foreign.*::*"))
        {
            final int at = args.indexOf("-XX:CompileCommand=CompileThresholdScaling," + pattern + ",0.01");
            assertTrue(at > 0 && at < args.indexOf("-jar"), () -> pattern + " scaled before -jar: " + args);
        }
        assertEquals(0, vtep.stop(), vtep::output);
    }

    /**
     * {@code vtep run} puts HotSpot's JIT compiler threads at nice 10, behind the forwarding
     * threads (nice 0), so that a compilation a frame triggers cannot keep its pipeline waiting.
     */
    @Test
    void theJitCompilerThreadsRunBehindTheForwardingThreads() throws Exception
    {
        final VtepProcess vtep = topology.startVtep(ns, """
            vtep: { local-ip: 192.0.2.1 }
            ports: [ { name: ul0, vlans: { untagged: 100 } } ]
            """);
        final Map<String, Integer> niceByThread = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(vtep.pid()), "task")))
        {
            for (final Path task : tasks)
            {
                final int tid = Integer.parseInt(task.getFileName().toString());
                niceByThread.put(Files.readString(task.resolve("comm")).strip() + " [" + tid + "]", CompilerThreads.niceOf(tid));
            }
        }
        assertEquals(0, vtep.stop(), vtep::output);
        final Map<String, Integer> compilers = new TreeMap<>(niceByThread);
        compilers.keySet().removeIf(name -> !CompilerThreads.isCompilerThread(name));
        final Map<String, Integer> pipelines = new TreeMap<>(niceByThread);
        pipelines.keySet().removeIf(name -> !name.startsWith("vtep-pipeline-"));
        assertTrue(compilers.keySet().stream().anyMatch(n -> n.startsWith("C1")) && compilers.keySet().stream().anyMatch(n -> n.startsWith("C2")),
            () -> "both compilers' threads: " + niceByThread);
        assertTrue(compilers.values().stream().allMatch(nice -> nice == 10), () -> "compiler threads at nice 10: " + compilers);
        assertTrue(!pipelines.isEmpty() && pipelines.values().stream().allMatch(nice -> nice == 0), () -> "pipelines at nice 0: " + pipelines);
    }

    /**
     * "vtep started" is what supervisors wait for, so a SIGTERM may follow it at once: the stop
     * handler must already be in place (exit 0 and a clean close, not the JVM's default 143).
     */
    @Test
    void aSigtermRightAfterVtepStartedStopsCleanly()
    {
        for (int round = 0; round < 8; round++)
        {
            final VtepProcess vtep = topology.startVtep(ns, """
                vtep: { local-ip: 192.0.2.1 }
                ports: [ { name: ul0, vlans: { untagged: 100 } } ]
                """);
            final int exit = vtep.stop();
            final int at = round;
            assertEquals(0, exit, () -> "round " + at + ": " + vtep.output());
            assertTrue(vtep.output().contains("vtep stopped"), vtep::output);
        }
    }

    @Test
    void aBgpPortThatCannotBeBoundIsRefusedNamingBgpListen()
    {
        final String bgp = """
            bgp: { asn: 65000, neighbors: [ { address: 192.0.2.2, remote-as: 65000 } ] }
            """;
        final VtepProcess first = topology.startVtep(ns, """
            vtep: { local-ip: 192.0.2.1 }
            ports: [ { name: ul0, vlans: { untagged: 100 } } ]
            """ + bgp);
        final VtepProcess second = topology.launchVtep(ns, """
            vtep: { local-ip: 192.0.2.1, udp-port: 4790 }
            ports: [ { name: ul0, vlans: { untagged: 100 } } ]
            api: { listen: 127.0.0.1:9101 }
            """ + bgp);
        assertEquals(2, second.waitForExit(Duration.ofMinutes(2)), second::output);
        assertTrue(second.output().contains("bgp.listen: cannot accept BGP sessions on *:179"), second::output);
        assertTrue(second.output().contains("CAP_NET_BIND_SERVICE"), "the hint for a port below 1024: " + second.output());
        assertEquals(0, first.stop(), first::output);
    }
}
