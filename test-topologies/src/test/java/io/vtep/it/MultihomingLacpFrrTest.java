package io.vtep.it;

import static io.vtep.it.MultihomingTopology.ESI;
import static io.vtep.it.MultihomingTopology.GW1;
import static io.vtep.it.MultihomingTopology.GW2;
import static io.vtep.it.MultihomingTopology.TIMEOUT;
import static io.vtep.it.MultihomingTopology.VNI;
import static io.vtep.it.MultihomingTopology.dfKnown;
import static io.vtep.it.MultihomingTopology.isDf;
import static io.vtep.it.MultihomingTopology.nextHops;
import static io.vtep.it.MultihomingTopology.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vtep.core.api.ApiClient;
import io.vtep.core.api.CliFormat;
import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.encap.MacAddress;
import io.vtep.fdb.Origin;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.Host;
import io.vtep.topology.Iperf3Result;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.Netns;
import io.vtep.topology.OpenVswitch;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.TcpTransfer;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;

/**
 * The proof of issue 18's multihoming with LACP: a server whose LAG is an Open vSwitch userspace
 * bond ({@code lacp=active}, {@code bond_mode=balance-tcp}) with one link to each of two vtep
 * gateways that share its Ethernet segment ({@code ethernet-segment} and {@code lacp: {}} on both,
 * LACP's system ID and key derived from the ESI); FRR 8.4 (route reflector, kernel VTEP, host h2) is
 * the remote VTEP. See {@link MultihomingTopology} for the picture.
 *
 * <p>Checked: the bond sees one partner on both members; FRR holds both gateways' type-1/4 routes,
 * the server's type-2 route with the ESI, and the server's MAC behind a kernel nexthop group of both
 * gateways (aliasing, RFC 7432 §8.4); iperf3 streams from h2 reach the server. Then two failovers,
 * each under a ping flood and a TCP transfer from h2 to the server, each hitting gw1 (run as
 * {@code bin/vtep}) while the flood's requests go through it: gw1's segment link goes down (mass
 * withdrawal, §8.2; the bond loses the member's carrier), and, once all is back, gw1 is stopped by
 * SIGTERM, or in the second run SIGKILL (BGP session closed; LACP silent, so the bond expires the
 * member after 3 s at the fast rate). The loss and the longest gap between replies are printed; the
 * bound asserted is generous (a correctness check: failover happens at all, within seconds), and
 * the transfer must arrive byte for byte. A broadcast from h2 reaches the server exactly once, from the DF (§8.5), before
 * and after a failover; a broadcast from the server never comes back to it (local bias, RFC 8365
 * §8.3.1).
 */
class MultihomingLacpFrrTest extends TopologyTest
{
    private static final List<String> LINKS = List.of("s1", "s2");
    private static final String SERVER_IP = "10.0.0.10";
    /** h2's addresses a ping flood may come from: each is another inner flow for FRR's nexthop group and the bond to hash. */
    private static final List<String> FLOOD_SOURCES = List.of("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5");
    /** Pings lost at 10 ms intervals that still count as a failover (5 s): generous, not a speed target. */
    private static final int MAX_LOST_PINGS = 500;
    private static final Pattern REPLY = Pattern.compile("^\\[(\\d+\\.\\d+)] \\d+ bytes from .*icmp_seq=(\\d+)");

    @Override
    protected void requirements()
    {
        Requirements.requireTopology("ping", "tshark", "bridge", "iperf3");
        Requirements.requireTools(OpenVswitch.TOOLS.toArray(String[]::new));
        Requirements.requireScapy();
        FrrRouter.requireFrr();
        final String reason = OpenVswitch.unavailableReason();
        if (reason != null)
        {
            throw new IllegalStateException(reason);
        }
    }

    @ParameterizedTest(name = "gateway stopped by SIG{0}")
    @ValueSource(strings = {"TERM", "KILL"})
    void anOvsLacpBondAcrossTwoGatewaysSurvivesALinkAndAGatewayGoingDown(final String signal) throws Exception
    {
        final Netns serverNs = topology.namespace("srv");
        final MultihomingTopology mh = new MultihomingTopology(topology, serverNs, LINKS.get(0), LINKS.get(1));
        for (final String source : FLOOD_SOURCES.subList(1, FLOOD_SOURCES.size()))
        {
            mh.h2.netns().addAddress("eth0", source + "/24");
        }
        // gw1 runs as bin/vtep, so that it can be stopped by a signal; gw2 in this JVM.
        final VtepProcess gw1 = topology.launchVtep(mh.gw1, MultihomingTopology.gatewayConfig(GW1, "lacp: {}"));
        final InProcessVtep gw2 = mh.startGateway(mh.gw2, GW2, "lacp: {}");
        gw1.awaitReady(VtepProcess.DEFAULT_READY_REGEX, VtepProcess.DEFAULT_READY_TIMEOUT);
        // A veth hands its peer TCP super-frames and partial checksums, which no wire carries: Open vSwitch's userspace
        // datapath takes them only with userspace TSO (read with PACKET_VNET_HDR), set before ovs-vswitchd starts; the
        // gateways' ends of the server's links keep Linux's default offloads.
        final OpenVswitch ovs = OpenVswitch.start(serverNs, topology.workDir().resolve("ovs-server"), Map.of("userspace-tso-enable", "true"));
        topology.onClose("Open vSwitch in " + serverNs.name(), ovs::close);
        ovs.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
            "--", "add-bond", "br0", "bond0", LINKS.get(0), LINKS.get(1), "lacp=active", "bond_mode=balance-tcp",
            "other_config:lacp-time=fast",
            "--", "set", "interface", "br0", "mtu_request=" + KernelPeerTopology.OVERLAY_MTU);
        serverNs.addAddress("br0", SERVER_IP + "/24");
        serverNs.up("br0");
        final Host server = new Host(serverNs, "br0", SERVER_IP + "/24");

        // LACP: both members aggregated with one partner, the identity both gateways derive from the ESI.
        final String lacpShow = awaitBondOnBoth(ovs);
        final String partner = LacpViews.field(LacpViews.member(lacpShow, "s1"), "partner sys_id");
        for (final String link : LINKS)
        {
            final String block = LacpViews.member(lacpShow, link);
            assertEquals(partner, LacpViews.field(block, "partner sys_id"), "one partner system on both members: " + lacpShow);
            assertEquals(LacpViews.field(LacpViews.member(lacpShow, "s1"), "partner key"), LacpViews.field(block, "partner key"),
                "one partner key on both members: " + lacpShow);
        }
        for (final Netns gateway : List.of(mh.gw1, mh.gw2))
        {
            final Map<String, Object> lacp = LacpViews.lacp(gateway);
            assertEquals(partner, CliFormat.objects(List.of(lacp.get("actor"))).getFirst().get("system"), lacp::toString);
        }
        System.out.println("MultihomingLacpFrrTest: ovs-appctl lacp/show bond0:\n" + lacpShow);

        // EVPN: both gateways' type-1 and type-4 routes in FRR, FRR's ES with both VTEPs, gw1 (lower address) the DF.
        mh.frr.awaitEstablished(GW1, TIMEOUT);
        mh.frr.awaitEstablished(GW2, TIMEOUT);
        Wait.until(TIMEOUT, () -> nextHops(mh.frr.vtysh("show bgp l2vpn evpn route type es")), Set.of(GW1, GW2)::equals,
            "FRR holds both gateways' type-4 routes");
        Wait.until(TIMEOUT, () -> nextHops(mh.frr.vtysh("show bgp l2vpn evpn route type ead")), Set.of(GW1, GW2)::equals,
            "FRR holds both gateways' type-1 routes");
        Wait.until(TIMEOUT, () -> mh.frr.vtysh("show bgp l2vpn evpn es"), text -> text.contains(ESI) && text.contains(GW1) &&
            text.contains(GW2), "FRR's ES lists both VTEPs");
        Wait.until(TIMEOUT, () -> segment(mh.gw1), s -> isDf(s), "gw1 DF");
        Wait.until(TIMEOUT, () -> segment(mh.gw2), s -> !isDf(s) && dfKnown(s),
            "gw2 not DF");

        // Aliasing: the server's MAC (learned on whichever member the bond hashed its frames to) behind both gateways.
        // The bond sends each new flow on its active member until it rebalances (every 10 s, and only under load), so
        // at first the server's MAC is learned by one gateway only. FRR's aliasing still sends flows to both, and the
        // other gateway delivers them on its own link: it installs the learner's type-2 with our ESI there (MAC sync,
        // RFC 7432 §8.4). Without it, a non-DF takes such a unicast as unknown and drops its flood (§8.5), which is what
        // the test sets up: gw1 (the DF) learns the server's MAC from frames sent straight out of s1 beside the bond
        // (the bond's own choice of member for the server's flows is its hash's), the bond's active member is s1, and
        // gw2 forgets what it learned of the server before; from then on gw2 holds the MAC synced (an EVPN entry on
        // acc1) unless the server's frames come its way again.
        ovs.appctl("bond/set-active-member", "bond0", "s1");
        final String serverMac = server.mac();
        final PingResult first = Wait.until(TIMEOUT, () -> server.ping("10.0.0.2", 3), PingResult::allReceived, "server reaches h2");
        assertTrue(first.allReceived(), first::toString);
        server.sendRawFrame(LINKS.get(0), HexFormat.of().parseHex("ffffffffffff" + serverMac.replace(":", "") + "88b5" + "00".repeat(46)), 3);
        Wait.until(TIMEOUT, () -> localOn(mh.gw1, serverMac), "gw1 learned the server's MAC on its link");
        gw2.fdb().remove(VNI, MacAddress.parse(serverMac), Origin.LOCAL);
        Wait.until(TIMEOUT, () -> localOn(mh.gw2, serverMac) || syncedOn(mh.gw2, serverMac),
            "gw2 holds the server's MAC on its segment port (synced from gw1's route, or learned again)");
        System.out.println("MultihomingLacpFrrTest: gw1 learned the server's MAC; gw2 holds it " + (localOn(mh.gw2, serverMac) ?
            "learned again" : "synced (origin evpn on acc1)"));
        Wait.until(TIMEOUT, () -> mh.fdbNexthopsOf(serverMac), Set.of(GW1, GW2)::equals, "FRR's kernel VTEP reaches " + serverMac +
            " through a nexthop group of both gateways");
        final String macip = Wait.until(TIMEOUT, () -> mh.frr.vtysh("show bgp l2vpn evpn route detail type macip"),
            text -> Arrays.stream(text.split("BGP routing table entry for ")).anyMatch(entry -> entry.contains("[" + serverMac + "]") &&
                entry.contains("ESI " + ESI)), "FRR's type-2 route for " + serverMac + " with the ESI");
        System.out.println("MultihomingLacpFrrTest: FRR show bgp l2vpn evpn es:\n" + mh.frr.vtysh("show bgp l2vpn evpn es") +
            "\nFRR show bgp l2vpn evpn route type ead:\n" + mh.frr.vtysh("show bgp l2vpn evpn route type ead") +
            "\nFRR show bgp l2vpn evpn route detail type macip:\n" + macip);

        // iperf3: parallel streams from h2 to the server; which gateways carried them, by their overlay receive counters.
        server.iperf3Server();
        final long[] before = counters(mh);
        final Iperf3Result iperf = mh.h2.iperf3Client(SERVER_IP, 3, List.of("-P", "8"));
        final long[] after = counters(mh);
        System.out.printf("MultihomingLacpFrrTest: iperf3 -P 8 h2 -> server %.0f Mbit/s; VXLAN packets received from FRR: gw1 %d, gw2 %d;" +
            " frames sent to the server: gw1 %d, gw2 %d%n", iperf.receivedBitsPerSecond() / 1e6, after[0] - before[0], after[1] - before[1],
            after[4] - before[4], after[5] - before[5]);
        assertTrue(iperf.receivedBytes() > 0, iperf::toString);
        // Eight streams, FRR's nexthop group hashing each to a gateway (both carry some but for a 1 in 128 chance): each
        // gateway delivers to the server what it receives, gw2, which did not learn the MAC, included.
        assertTrue(after[0] - before[0] + after[1] - before[1] > 1000, "the gateways carried the streams");
        for (int g = 0; g < 2; g++)
        {
            final long received = after[g] - before[g];
            final long delivered = after[g + 4] - before[g + 4];
            assertTrue(delivered >= received * 9 / 10, "gw" + (g + 1) + " delivered to the server what it received from FRR: received " +
                received + ", delivered " + delivered);
        }

        // DF: h2's broadcast reaches the server once, on gw1's link; the server's own never comes back.
        assertEquals(List.of(10, 0), mh.broadcastsAtServer(serverNs, LINKS, mh.h2, 10), "copies on s1 (gw1, DF) and s2 (gw2)");
        assertNoEcho(mh, serverNs, server);

        // TCP transfers sized to last about 4 s at the measured rate, so that each spans its failover.
        final long bytes = Math.clamp((long)(iperf.receivedBitsPerSecond() / 8 * 4), 8L << 20, 400L << 20);
        final Path file = topology.workDir().resolve("transfer.bin");
        final TcpTransfer.Result expected = TcpTransfer.randomFile(file, bytes, 18);

        // Failover (a): gw1's (the DF's) segment link goes down while h2's pings go through it. The bond
        // loses s1's carrier; gw1 withdraws its type 1/4 (mass withdrawal, RFC 7432 §8.2).
        failover("gw1's segment link down", mh, server, file, expected, () -> mh.gw1.down("acc1"));
        Wait.until(TIMEOUT, () -> mh.fdbNexthopsOf(serverMac), Set.of(GW2)::equals, "FRR's group without gw1");
        mh.gw1.up("acc1");
        awaitBondOnBoth(ovs);
        Wait.until(TIMEOUT, () -> segment(mh.gw1), s -> isDf(s), "gw1 back and DF");
        server.ping("10.0.0.2", 2);
        Wait.until(TIMEOUT, () -> mh.fdbNexthopsOf(serverMac), Set.of(GW1, GW2)::equals, "FRR's group with both gateways again");

        // Failover (b): gw1 is stopped by the signal while h2's pings go through it. Its BGP session closes
        // (SIGTERM: a NOTIFICATION; SIGKILL: the kernel closes the socket); its LACP falls silent and the bond
        // expires s1 (3 s at the fast rate).
        failover("gw1 stopped by SIG" + signal, mh, server, file, expected, () -> gw1.process().signal(signal));
        final int exit = gw1.waitForExit(TIMEOUT);
        assertEquals("TERM".equals(signal) ? 0 : 128 + 9, exit, "gw1's exit code after SIG" + signal);
        Wait.until(TIMEOUT, () -> mh.fdbNexthopsOf(serverMac), Set.of(GW2)::equals, "FRR's group without gw1");
        Wait.until(TIMEOUT, () -> segment(mh.gw2), s -> List.of().equals(s.get("peers")) && isDf(s), "gw2 alone and DF");
        assertEquals(List.of(0, 10), mh.broadcastsAtServer(serverNs, LINKS, mh.h2, 10), "after the failover the one copy comes from gw2");
        assertNoEcho(mh, serverNs, server);
    }

    /**
     * Runs a ping flood (10 ms) and a TCP transfer from h2 to the server and, a second in, does
     * {@code event} to gw1; prints what the flood lost, the longest gap between its replies, and
     * which gateways carried the flood's requests and replies and the transfer's data (by the
     * gateways' counters). A flood whose requests FRR's nexthop group hashes to gw2 is started
     * again (a new ICMP identifier, another hash) until one goes through gw1, so that the flood
     * measures the failover.
     */
    private void failover(final String name, final MultihomingTopology mh, final Host server, final Path file, final TcpTransfer.Result expected,
        final ThrowingRunnable event) throws Exception
    {
        ManagedProcess flood = null;
        long[] quiet = null;
        long[] pinging = null;
        String chosen = null;
        for (final String source : FLOOD_SOURCES)
        {
            if (flood != null)
            {
                flood.stop();
            }
            flood = pingFlood(mh, source);
            quiet = counters(mh);
            Thread.sleep(500);
            pinging = counters(mh);
            if (busier(quiet, pinging, 0) == 0 && (chosen == null || busier(quiet, pinging, 2) == 0))
            {
                chosen = source;
                if (busier(quiet, pinging, 2) == 0)
                {
                    break;
                }
            }
        }
        if (chosen != null && !flood.command().contains(chosen))
        {
            flood.stop();
            flood = pingFlood(mh, chosen);
            quiet = counters(mh);
            Thread.sleep(500);
            pinging = counters(mh);
        }
        final int requests = busier(quiet, pinging, 0);
        final int replies = busier(quiet, pinging, 2);
        final CompletableFuture<TcpTransfer.Result> transfer = CompletableFuture.supplyAsync(
            () -> TcpTransfer.send(mh.h2, server, 5301, file, TIMEOUT.multipliedBy(2)));
        Thread.sleep(700);
        final int data = busier(pinging, counters(mh), 0);
        final boolean transferRunning = !transfer.isDone();
        final long eventAt = System.nanoTime();
        event.run();
        final TcpTransfer.Result received = transfer.get(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        final long transferMillis = (System.nanoTime() - eventAt) / 1_000_000;
        final long left = 4000 - transferMillis;
        if (left > 0)
        {
            Thread.sleep(left);
        }
        flood.signal("INT");
        flood.waitFor(TIMEOUT);
        final PingResult summary = PingResult.parse(flood.output());
        final int lost = summary.transmitted() - summary.received();
        final double gapMillis = longestGapMillis(flood.outputLines());
        System.out.printf("MultihomingLacpFrrTest: %s (pings from %s: h2's requests went through %s, the server's replies through %s," +
            " the transfer's data through %s): %d of %d pings lost (10 ms apart), longest gap between replies %.0f ms;" +
            " TCP transfer of %d bytes ended %d ms after the event%n", name, flood.command().getLast().equals(SERVER_IP) ?
                flood.command().get(flood.command().size() - 2) : "?", gateway(requests), gateway(replies), gateway(data), lost,
            summary.transmitted(), gapMillis, received.bytes(), transferMillis);
        assertTrue(transferRunning, "the TCP transfer was still running at '" + name + "' (else it proves nothing)");
        assertEquals(expected, received, "the TCP transfer across '" + name + "' arrived whole");
        assertTrue(summary.received() > 0, () -> "pings answered across " + name + ": " + summary);
        assertTrue(lost < MAX_LOST_PINGS, () -> name + ": " + lost + " pings lost, more than 5 s: " + summary);
        assertTrue(gapMillis < MAX_LOST_PINGS * 10, () -> name + ": no reply for " + gapMillis + " ms");
    }

    /** Whether the gateway's FDB holds {@code mac} as a local entry (learned on its segment link). */
    private static boolean localOn(final Netns gateway, final String mac)
    {
        return entryOn(gateway, mac, "local");
    }

    /** Whether the gateway's FDB holds {@code mac} as an EVPN entry on its segment port (MAC sync, RFC 7432 §8.4). */
    private static boolean syncedOn(final Netns gateway, final String mac)
    {
        return entryOn(gateway, mac, "evpn");
    }

    private static boolean entryOn(final Netns gateway, final String mac, final String origin)
    {
        final Map<String, Object> fdb;
        try
        {
            fdb = NetworkNamespace.call(gateway.name(), () -> new ApiClient(ApiClient.DEFAULT_API).getJson("/api/v1/fdb"));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("GET /api/v1/fdb in " + gateway.name(), ex);
        }
        return CliFormat.objects(fdb.get("entries")).stream().anyMatch(entry -> mac.equals(entry.get("mac")) && origin.equals(entry.get("origin")) &&
            "acc1".equals(entry.get("port")));
    }

    /** {@code ping -i 0.01} from {@code source} on h2 to the server, running, a moment after it started. */
    private static ManagedProcess pingFlood(final MultihomingTopology mh, final String source) throws InterruptedException
    {
        final ManagedProcess flood = mh.h2.netns().spawn("ping flood to the server from " + source,
            List.of("ping", "-n", "-D", "-i", "0.01", "-W", "1", "-I", source, SERVER_IP));
        Thread.sleep(300);
        return flood;
    }

    private static String gateway(final int index)
    {
        return index == 0 ? "gw1" : "gw2";
    }

    /**
     * Each gateway's frames received in the VNI from the overlay (FRR) and from the access port (the server), from its
     * {@code /metrics} (gw1 is another process): gw1 overlay, gw2 overlay, gw1 access, gw2 access; then the frames each
     * sent to the access side (the server): gw1, gw2.
     */
    private static long[] counters(final MultihomingTopology mh) throws Exception
    {
        final long[] counts = new long[6];
        final List<Netns> gateways = List.of(mh.gw1, mh.gw2);
        for (int g = 0; g < 2; g++)
        {
            final String scrape = NetworkNamespace.call(gateways.get(g).name(), () ->
            {
                try (ApiClient api = new ApiClient(ApiClient.DEFAULT_API);
                     java.io.InputStream body = api.stream("/metrics").body())
                {
                    return new String(body.readAllBytes(), StandardCharsets.UTF_8);
                }
            });
            counts[g] = metric(scrape, "vtep_vni_rx_packets_total{side=\"overlay\",vni=\"" + VNI + "\"}");
            counts[g + 2] = metric(scrape, "vtep_vni_rx_packets_total{side=\"access\",vni=\"" + VNI + "\"}");
            counts[g + 4] = metric(scrape, "vtep_vni_tx_packets_total{side=\"access\",vni=\"" + VNI + "\"}");
        }
        return counts;
    }

    private static long metric(final String scrape, final String series)
    {
        return scrape.lines().filter(line -> line.startsWith(series + " ")).mapToLong(
            line -> (long)Double.parseDouble(line.substring(series.length() + 1).strip())).findFirst().orElseThrow(
                () -> new IllegalStateException("no " + series + " in /metrics"));
    }

    /** Which gateway (0, 1) counted more between two {@link #counters} snapshots, in the pair at {@code offset}. */
    private static int busier(final long[] before, final long[] after, final int offset)
    {
        return after[offset] - before[offset] >= after[offset + 1] - before[offset + 1] ? 0 : 1;
    }

    /** The longest time between two consecutive replies of {@code ping -D}, in ms. */
    private static double longestGapMillis(final List<String> lines)
    {
        final List<Double> times = new ArrayList<>();
        for (final String line : lines)
        {
            final Matcher reply = REPLY.matcher(line);
            if (reply.find())
            {
                times.add(Double.parseDouble(reply.group(1)));
            }
        }
        double gap = 0;
        for (int i = 1; i < times.size(); i++)
        {
            gap = Math.max(gap, (times.get(i) - times.get(i - 1)) * 1000);
        }
        return gap;
    }

    /** The server's broadcast leaves on one member of its bond; nothing comes back on either (local bias, DF). */
    private static void assertNoEcho(final MultihomingTopology mh, final Netns serverNs, final Host server) throws Exception
    {
        final List<Integer> seen = mh.broadcastsAtServer(serverNs, LINKS, server, 10);
        assertEquals(10, seen.get(0) + seen.get(1), "the server's 10 broadcasts on s1, s2 (sent, no echo): " + seen);
    }

    private static String awaitBondOnBoth(final OpenVswitch ovs)
    {
        return Wait.until(TIMEOUT, () -> ovs.appctl("lacp/show", "bond0"),
            show -> LacpViews.enabled(LacpViews.member(show, "s1")) && LacpViews.enabled(LacpViews.member(show, "s2")),
            "both bond members current, attached, and enabled by a partner that collects and distributes");
    }

    @FunctionalInterface
    private interface ThrowingRunnable
    {
        void run() throws Exception;
    }
}
