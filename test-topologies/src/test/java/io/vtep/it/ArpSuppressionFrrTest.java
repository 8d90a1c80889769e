package io.vtep.it;

import static io.vtep.it.EvpnFrrTopology.vtepConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.sun.management.ThreadMXBean;

import io.vtep.core.pipeline.NeighborTable;
import io.vtep.encap.MacAddress;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.Host;
import io.vtep.topology.Netns;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Tshark;
import io.vtep.topology.Wait;

/**
 * ARP/ND suppression (RFC 7432 §10) against real FRR: zebra advertises h2's MAC+IP (IPv4 and IPv6)
 * as type-2 routes, learned from the neighbour entries of its bridge's SVI; h1 behind vtep resolves
 * h2 and vtep answers, so no ARP request or neighbour solicitation of h1 crosses the underlay
 * (counted in a tshark capture of ul0, VXLAN decoded). An unknown target is flooded; with
 * {@code arp-suppression: false} h1's request crosses as before.
 *
 * <pre>
 *  h1 10.0.0.1 fd00::1 ─acc1─ [vtep] ─ul0── [FRR + kernel VTEP, bridge 10.0.0.254 fd00::fe] ─acc0─ h2 10.0.0.2 fd00::2
 * </pre>
 */
class ArpSuppressionFrrTest extends TopologyTest
{
    private static final int VNI = EvpnFrrTopology.VNI;
    private static final String VTEP_IP = EvpnFrrTopology.VTEP_IP;
    private static final String FRR_IP = EvpnFrrTopology.FRR_IP;
    private static final String H1_IP6 = "fd00::1";
    private static final String H2_IP6 = "fd00::2";
    private static final String UNKNOWN_IP = "10.0.0.99";
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(20);
    private static final int BURST = 10_000;

    @Override
    protected void requirements()
    {
        Requirements.requireTopology("ping", "tshark", Requirements.SCAPY);
        FrrRouter.requireFrr();
    }

    private record Setup(EvpnFrrTopology net, FrrRouter frr, InProcessVtep vtep)
    {
    }

    /**
     * FRR and vtep in AS 65000, converged, with h2's MAC+IP routes (v4 and v6) at vtep. zebra
     * advertises a MAC+IP for the neighbour entries of the VNI's SVI: the kernel VTEP's bridge gets
     * addresses in the hosts' subnets and pings h2, which makes those entries.
     */
    private Setup converged(final boolean suppression) throws Exception
    {
        final EvpnFrrTopology net = EvpnFrrTopology.create(topology, false);
        enableIpv6(net.h1().netns(), Host.DEFAULT_IFACE, H1_IP6);
        enableIpv6(net.h2().netns(), Host.DEFAULT_IFACE, H2_IP6);
        final Netns frrNs = net.frrNs();
        final String bridge = net.kernel().bridge();
        frrNs.sysctl("net.ipv6.conf." + bridge + ".disable_ipv6", "0");
        frrNs.addAddress(bridge, "10.0.0.254/24");
        frrNs.execOk("ip", "-6", "address", "add", "fd00::fe/64", "dev", bridge, "nodad");

        final FrrRouter frr = net.startFrr(topology, 65000, VTEP_IP, 65000);
        final String config = vtepConfig(VTEP_IP, 65000, FRR_IP, 65000).replace("learning: evpn",
            "learning: evpn\n    arp-suppression: " + suppression);
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs(), config);
        frr.awaitEstablished(VTEP_IP, SESSION_TIMEOUT);
        Wait.until(ROUTE_TIMEOUT, () -> vtep.floodList(VNI), List.of(FRR_IP)::equals, "vtep's flood list from FRR's type-3");
        Wait.until(ROUTE_TIMEOUT, net.kernel()::floodList, List.of(VTEP_IP)::equals, "zebra puts vtep in the kernel's flood list");

        final String h2Mac = net.h2().mac();
        Wait.until(ROUTE_TIMEOUT, () ->
        {
            // The SVI resolves h2 (again, until zebra has advertised it): its neighbour entries are zebra's source.
            frrNs.exec("ping", "-n", "-c", "1", "-W", "1", net.h2().ip());
            frrNs.exec("ping", "-n", "-c", "1", "-W", "1", H2_IP6);
            if (!suppression)
            {
                return !frr.evpnRoutes(r -> r.isType2() && h2Mac.equals(r.mac()) && net.h2().ip().equals(r.ip())).isEmpty();
            }
            return boundMac(vtep, net.h2().ip()).equals(Optional.of(h2Mac)) &&
                boundMac(vtep, H2_IP6).equals(Optional.of(h2Mac));
        }, Boolean.TRUE::equals, "h2's MAC+IP routes from zebra (in vtep's neighbour table, v4 and v6, when suppression is on)");
        return new Setup(net, frr, vtep);
    }

    private static void enableIpv6(final Netns ns, final String iface, final String address)
    {
        ns.sysctl("net.ipv6.conf.all.disable_ipv6", "0");
        ns.sysctl("net.ipv6.conf." + iface + ".disable_ipv6", "0");
        ns.execOk("ip", "-6", "address", "add", address + "/64", "dev", iface, "nodad");
    }

    /** What vtep's neighbour table of the VNI binds {@code ip} to, read in-process. */
    private static Optional<String> boundMac(final InProcessVtep vtep, final String ip)
    {
        final NeighborTable table = vtep.appliance().tables().vni(VNI).neighbors();
        if (table == null)
        {
            return Optional.empty();
        }
        final byte[] bytes;
        try
        {
            bytes = InetAddress.getByName(ip).getAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(ex);
        }
        final long value = bytes.length == 4 ? table.lookup(0, NeighborTable.ipv4Low(ByteBuffer.wrap(bytes).getInt())) :
            table.lookup(ByteBuffer.wrap(bytes).getLong(), ByteBuffer.wrap(bytes, 8, 8).getLong());
        return value == NeighborTable.NONE ? Optional.empty() : Optional.of(MacAddress.format(NeighborTable.mac(value)));
    }

    /** ARP requests in VXLAN on the underlay, asked by {@code senderIp} for {@code targetIp}. */
    private static long arpRequests(final Tshark capture, final String senderIp, final String targetIp)
    {
        return capture.fields("vxlan && arp.opcode == 1 && arp.src.proto_ipv4 == " + senderIp + " && arp.dst.proto_ipv4 == " +
            targetIp, "frame.number").size();
    }

    /** Neighbour solicitations in VXLAN on the underlay, from {@code source} for {@code target}. */
    private static long solicitations(final Tshark capture, final String source, final String target)
    {
        return capture.fields("vxlan && icmpv6.type == 135 && ipv6.src == " + source + " && icmpv6.nd.ns.target_address == " +
            target, "frame.number").size();
    }

    @Test
    void arpAndNeighborSolicitationForAHostKnownFromAMacIpRouteAreAnsweredByVtep() throws Exception
    {
        final Setup setup = converged(true);
        final Host h1 = setup.net.h1();
        final Host h2 = setup.net.h2();
        final Tshark capture = topology.capture(setup.net.vtepNs(), "ul0", "udp port 4789");

        h1.flushArp();
        final PingResult ping = h1.ping(h2.ip(), 3);
        final PingResult ping6 = h1.ping(H2_IP6, 3);
        final PingResult unknown = h1.ping(UNKNOWN_IP, 1);
        Thread.sleep(500); // the last frames reach the capture
        capture.stop();

        assertEquals(3, ping.received(), () -> ping + "\n" + topology.diagnostics() + setup.frr.diagnostics());
        assertEquals(3, ping6.received(), () -> ping6 + "\n" + topology.diagnostics());
        assertEquals(0, unknown.received());
        assertEquals(Optional.of(h2.mac()), h1.arpEntry(h2.ip()), "h1 resolved h2 from vtep's answer");
        assertEquals(Optional.of(h2.mac()), h1.arpEntry(H2_IP6), "h1 resolved h2's IPv6 address from vtep's NA");

        assertEquals(0, arpRequests(capture, h1.ip(), h2.ip()), "no ARP request of h1 for h2 crossed: " + capture.pcapFile());
        assertEquals(0, solicitations(capture, H1_IP6, H2_IP6), "no NS of h1 for h2 crossed: " + capture.pcapFile());
        assertTrue(arpRequests(capture, h1.ip(), UNKNOWN_IP) >= 1, "an unknown target is flooded: " + capture.pcapFile());
        final String metrics = setup.vtep.appliance().metrics().scrape(null).body();
        assertTrue(metrics.matches("(?s).*vtep_vni_suppression_answered_packets_total\\{vni=\"100\"} [2-9].*"), metrics);
        assertTrue(metrics.matches("(?s).*vtep_vni_suppression_flooded_packets_total\\{vni=\"100\"} [1-9].*"), metrics);

        assertAnsweringAllocatesNothing(setup.vtep, h1);
    }

    /**
     * A burst of ARP requests, each answered by vtep: the pipeline threads' allocation counters grow
     * by less than one small object per thousand answers (the bound of ForwardingAllocationTest).
     */
    private static void assertAnsweringAllocatesNothing(final InProcessVtep vtep, final Host h1)
    {
        final byte[] request = HexFormat.of().parseHex("ffffffffffff" + h1.mac().replace(":", "") + "0806" +
            "0001080006040001" + h1.mac().replace(":", "") + "0a000001" + "000000000000" + "0a000002");
        h1.sendRawFrame(Host.DEFAULT_IFACE, request, 200); // warm-up: JIT
        final int slot = vtep.appliance().vni(VNI).slot();
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        final List<Thread> pipelines = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("vtep-pipeline-")).toList();
        assertTrue(!pipelines.isEmpty(), "pipeline threads");
        final long[] before = pipelines.stream().mapToLong(t -> threads.getThreadAllocatedBytes(t.threadId())).toArray();
        final long answeredBefore = vtep.counters().vniSuppressAnswered(slot);

        h1.sendRawFrame(Host.DEFAULT_IFACE, request, BURST);
        Wait.until(Duration.ofSeconds(10), () -> vtep.counters().vniSuppressAnswered(slot) - answeredBefore,
            answered -> answered >= BURST * 9 / 10, "vtep answers the burst");

        final long answered = vtep.counters().vniSuppressAnswered(slot) - answeredBefore;
        for (int i = 0; i < pipelines.size(); i++)
        {
            final long allocated = threads.getThreadAllocatedBytes(pipelines.get(i).threadId()) - before[i];
            System.out.printf("ARP suppression: %s allocated %d bytes while answering %d requests%n", pipelines.get(i).getName(),
                allocated, answered);
            final String name = pipelines.get(i).getName();
            assertTrue(allocated < answered / 1000 * 16 + 64 * 1024, () -> name + " allocated " + allocated + " bytes for " +
                answered + " answers");
        }
    }

    @Test
    void withSuppressionOffTheRequestCrossesTheUnderlay() throws Exception
    {
        final Setup setup = converged(false);
        final Host h1 = setup.net.h1();
        final Host h2 = setup.net.h2();
        final Tshark capture = topology.capture(setup.net.vtepNs(), "ul0", "udp port 4789");

        h1.flushArp();
        final PingResult ping = h1.ping(h2.ip(), 2);
        Thread.sleep(500);
        capture.stop();

        assertEquals(2, ping.received(), () -> ping + "\n" + topology.diagnostics());
        assertTrue(arpRequests(capture, h1.ip(), h2.ip()) >= 1, "h1's ARP request crossed: " + capture.pcapFile());
    }
}
