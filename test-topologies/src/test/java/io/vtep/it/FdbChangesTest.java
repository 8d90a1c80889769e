package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.topology.ExecResult;
import io.vtep.topology.Netns;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Topology;
import io.vtep.topology.Tshark;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.VxlanRecord;

/**
 * Issue 16: {@code bin/vtep fdb add|del|append|flush} change a running vtep's forwarding as
 * {@code bridge fdb} changes a Linux VXLAN device's, checked on the wire (tshark on vtep's underlay
 * port), and only with the token of {@code api.token-file}:
 *
 * <pre>
 *  h1 10.0.0.1 ─acc1─ [vtep 192.0.2.1] ─ul0── [kernel VTEP 192.0.2.2] ─ h2 10.0.0.2
 *                                        └──▶ 192.0.2.99: no VTEP there (a static neighbour entry in
 *                                             vtep's namespace lets packets to it leave on ul0)
 * </pre>
 *
 * A static entry sends h1 → h2 unicast to 192.0.2.99 (pings fail); deleting it floods, relearns h2
 * behind 192.0.2.2 and pings pass; with 192.0.2.99 appended to the flood list, a flush of the
 * remote-learned entries makes the next frame to h2 unknown again, so it is flooded to 192.0.2.99 too.
 */
class FdbChangesTest
{
    private static final String NOWHERE = "192.0.2.99";
    private static final Duration CLI_TIMEOUT = Duration.ofMinutes(2);

    private Topology topology;
    private KernelPeerTopology net;
    private Path tokenFile;

    @BeforeEach
    void build() throws Exception
    {
        Requirements.requireTools("ping", "tshark");
        topology = Topology.create();
        net = new KernelPeerTopology(topology, true);
        net.vtepNs.ip("neigh", "replace", NOWHERE, "lladdr", "02:00:00:00:99:99", "dev", "ul0", "nud", "permanent");
        tokenFile = topology.workDir().resolve("api-token");
        Files.writeString(tokenFile, "fdb-changes-test-token-0123456789\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void tearDown()
    {
        topology.close();
    }

    private static ExecResult vtep(final Netns ns, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(VtepProcess.launcher().toString()));
        command.addAll(Arrays.asList(args));
        final ExecResult result = ns.exec(CLI_TIMEOUT, command.toArray(String[]::new));
        System.out.print("$ vtep " + String.join(" ", args) + "\n" + result.stdout() + result.stderr());
        return result;
    }

    private ExecResult change(final String... args)
    {
        final List<String> withToken = new ArrayList<>(Arrays.asList(args));
        withToken.addAll(List.of("--token-file", tokenFile.toString()));
        final ExecResult result = vtep(net.vtepNs, withToken.toArray(String[]::new));
        assertEquals(0, result.exitCode(), () -> result.stdout() + result.stderr());
        return result;
    }

    /** The VXLAN packets of {@code capture} carrying a frame to {@code mac}, by outer destination. */
    private static List<String> destinationsOfFramesTo(final Tshark capture, final String mac)
    {
        return capture.vxlan().stream().filter(r -> r.innerDstMac().equalsIgnoreCase(mac)).map(VxlanRecord::outerDstIp).toList();
    }

    @Test
    void addDelAppendAndFlushMoveTrafficOnTheWireAndNeedTheToken() throws Exception
    {
        // A token file that others can read: vtep does not start (exit 2, the key named).
        final Path readable = topology.workDir().resolve("readable-token");
        Files.writeString(readable, "fdb-changes-test-token-0123456789\n");
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
        final VtepProcess refused = topology.launchVtep(net.vtepNs, net.vtepConfig("api: { token-file: " + readable + " }"));
        assertEquals(2, refused.waitForExit(CLI_TIMEOUT), refused::output);
        assertTrue(refused.output().contains("api.token-file: " + readable + " is readable or writable by others"), refused::output);

        final VtepProcess vtepProcess = topology.startVtep(net.vtepNs, net.vtepConfig("api: { token-file: " + tokenFile + " }"));
        final String h2 = net.h2.mac();
        // Permanent neighbour entries: the hosts send nothing but the pings and their answers (no
        // ARP probes), so h2 is learned again only when the test makes it answer.
        net.h1.netns().ip("neigh", "replace", "10.0.0.2", "lladdr", h2, "dev", net.h1.iface(), "nud", "permanent");
        net.h2.netns().ip("neigh", "replace", "10.0.0.1", "lladdr", net.h1.mac(), "dev", net.h2.iface(), "nud", "permanent");
        final PingResult learn = net.h1.ping("10.0.0.2", 3);
        assertEquals(3, learn.received(), () -> learn + topology.diagnostics());
        final String h2Learned = Pattern.quote(h2) + " vni 100 dst 192\\.0\\.2\\.2 remote age \\d+s";
        assertTrue(vtep(net.vtepNs, "fdb", "show").stdout().lines().anyMatch(l -> l.matches(h2Learned)));

        // Without the token, or with a wrong one: refused (401, 403), nothing changed.
        final ExecResult none = vtep(net.vtepNs, "fdb", "add", h2, "vni", "100", "dst", NOWHERE);
        assertEquals(1, none.exitCode(), none::stdout);
        assertTrue(none.stderr().startsWith("vtep: this endpoint changes vtep: send Authorization: Bearer TOKEN"), none::stderr);
        final Path wrong = topology.workDir().resolve("wrong-token");
        Files.writeString(wrong, "not-the-token-of-this-vtep\n");
        final ExecResult bad = vtep(net.vtepNs, "fdb", "add", h2, "vni", "100", "dst", NOWHERE, "--token-file", wrong.toString());
        assertEquals(1, bad.exitCode(), bad::stdout);
        assertEquals("vtep: wrong token: it is not the one in api.token-file\n", bad.stderr());
        assertTrue(vtep(net.vtepNs, "fdb", "show").stdout().lines().anyMatch(l -> l.matches(h2Learned)), "unchanged");

        // fdb add: h1 -> h2 unicast now goes to 192.0.2.99, where no VTEP answers.
        change("fdb", "add", h2, "vni", "100", "dst", NOWHERE);
        assertTrue(vtep(net.vtepNs, "fdb", "show").stdout().contains(h2 + " vni 100 dst " + NOWHERE + " static runtime\n"));
        final Tshark toStatic = topology.capture(net.vtepNs, "ul0", "udp port 4789");
        final PingResult lost = net.h1.ping("10.0.0.2", 3);
        final List<String> staticDsts = destinationsOfFramesTo(toStatic, h2);
        assertEquals(0, lost.received(), lost::toString);
        assertTrue(staticDsts.size() >= 3 && staticDsts.stream().allMatch(NOWHERE::equals), staticDsts::toString);

        // fdb del: unknown again, flooded to the kernel VTEP, h2 answers and is learned behind it.
        change("fdb", "del", h2, "vni", "100");
        final Tshark afterDel = topology.capture(net.vtepNs, "ul0", "udp port 4789");
        final PingResult back = net.h1.ping("10.0.0.2", 3);
        final List<String> delDsts = destinationsOfFramesTo(afterDel, h2);
        assertEquals(3, back.received(), () -> back + topology.diagnostics());
        assertTrue(delDsts.size() >= 3 && delDsts.stream().allMatch(KernelPeerTopology.KERNEL_IP::equals), delDsts::toString);
        assertTrue(vtep(net.vtepNs, "fdb", "show").stdout().lines().anyMatch(l -> l.matches(h2Learned)), "learned again");

        // fdb append: 192.0.2.99 joins the flood list. h2 is known: its frames still go to 192.0.2.2 only.
        change("fdb", "append", "00:00:00:00:00:00", "vni", "100", "dst", NOWHERE);
        assertTrue(vtep(net.vtepNs, "vni", "list").stdout().contains("192.0.2.2," + NOWHERE), "flood list of two");
        final Tshark known = topology.capture(net.vtepNs, "ul0", "udp port 4789");
        assertEquals(2, net.h1.ping("10.0.0.2", 2).received());
        final List<String> knownDsts = destinationsOfFramesTo(known, h2);
        assertFalse(knownDsts.contains(NOWHERE), knownDsts::toString);

        // fdb flush --origin remote: h2's learned entry goes (h1's local one stays); the next frame
        // to h2 is unknown unicast, flooded to both VTEPs of the list, until h2's answer relearns it.
        final ExecResult flush = change("fdb", "flush", "--vni", "100", "--origin", "remote");
        assertEquals("flushed 1 learned entries (remote) in VNI 100\n", flush.stdout());
        final String shown = vtep(net.vtepNs, "fdb", "show").stdout();
        assertFalse(shown.contains(h2), shown);
        assertTrue(shown.contains(net.h1.mac() + " vni 100 dev acc1 local"), shown);
        final Tshark flushed = topology.capture(net.vtepNs, "ul0", "udp port 4789");
        assertEquals(2, net.h1.ping("10.0.0.2", 2).received());
        final List<String> flushedDsts = destinationsOfFramesTo(flushed, h2);
        assertTrue(flushedDsts.contains(NOWHERE) && flushedDsts.contains(KernelPeerTopology.KERNEL_IP), flushedDsts::toString);

        change("fdb", "del", "00:00:00:00:00:00", "vni", "100", "dst", NOWHERE);
        assertFalse(vtep(net.vtepNs, "vni", "list").stdout().contains(NOWHERE));
        assertEquals(0, vtepProcess.stop(), vtepProcess::output);
    }
}
