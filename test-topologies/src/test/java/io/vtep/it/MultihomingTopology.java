package io.vtep.it;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vtep.core.api.ApiClient;
import io.vtep.core.api.CliFormat;
import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.topology.FrrConfig;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.Host;
import io.vtep.topology.KernelVtep;
import io.vtep.topology.Netns;
import io.vtep.topology.Topology;
import io.vtep.topology.Tshark;

/**
 * The EVPN multihoming topology the multihoming tests share (RFC 7432 §8, RFC 8365 §8): two vtep
 * gateways gw1 (192.0.2.1) and gw2 (192.0.2.3) and FRR (192.0.2.2, route reflector for both, driving
 * a kernel VTEP with host h2 10.0.0.2 behind it) on one switched underlay; the server's two links
 * end on each gateway's {@code acc1}, and how the server joins them (bridge, LAG) is the test's.
 * Also what the tests read of it: FRR's type-1/4 originators, the kernel VTEP's nexthop group, the
 * gateways' {@code /api/v1/es}, and broadcast copies counted on the server's links.
 *
 * <pre>
 *             ┌─ link ── acc1 [gw1 vtep 192.0.2.1] ─ul0─┐
 *  server ─── ┤                                          sw0 ── [FRR + kernel VTEP 192.0.2.2] ─acc0─ h2 10.0.0.2
 *             └─ link ── acc1 [gw2 vtep 192.0.2.3] ─ul0─┘
 * </pre>
 */
final class MultihomingTopology
{
    static final int VNI = 100;
    static final String GW1 = "192.0.2.1";
    static final String FRR = "192.0.2.2";
    static final String GW2 = "192.0.2.3";
    static final String ESI = "00:11:22:33:44:55:66:77:88:99";
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The ethertype of the tests' broadcast frames (IEEE local experimental), so that nothing else is counted. */
    static final String PROBE_ETHERTYPE = "88b5";

    final Topology topology;
    final Netns gw1;
    final Netns frrNs;
    final Netns gw2;
    final KernelVtep kernel;
    final Host h2;
    final FrrRouter frr;

    /** Builds the underlay, FRR's kernel VTEP with h2, and FRR reflecting for both gateways; the gateways start later. */
    MultihomingTopology(final Topology topology, final Netns serverNs, final String link1, final String link2) throws Exception
    {
        this.topology = topology;
        gw1 = topology.namespace("gw1");
        frrNs = topology.namespace("frr");
        gw2 = topology.namespace("gw2");
        topology.switchedSegment(topology.namespace("ul"), "sw0", "ul0", List.of(gw1, frrNs, gw2),
            List.of(GW1 + "/24", FRR + "/24", GW2 + "/24"));
        kernel = topology.kernelVtep(frrNs).vni(VNI).localIp(FRR).learning(false).create();
        h2 = topology.host("h2", "10.0.0.2/24", frrNs, "acc0");
        h2.netns().setMtu("eth0", KernelPeerTopology.OVERLAY_MTU);
        kernel.attach("acc0");
        topology.link(serverNs, link1, gw1, "acc1");
        topology.link(serverNs, link2, gw2, "acc1");
        frr = topology.frr(frrNs).bgp(FrrConfig.asn(65000).routerId(FRR)
            .neighbor(FrrConfig.neighbor(GW1).remoteAs(65000).timers(3, 9).connectRetry(2).routeReflectorClient())
            .neighbor(FrrConfig.neighbor(GW2).remoteAs(65000).timers(3, 9).connectRetry(2).routeReflectorClient())).start();
    }

    /**
     * Another VNI behind FRR: a kernel VTEP of its own (bridge {@code bridge}) with a host on it
     * (zebra takes the new VXLAN device as it appears, advertise-all-vni).
     */
    Host remoteVni(final int vni, final String bridge, final String hostRole, final String cidr, final String hostIf)
    {
        final KernelVtep vtep = topology.kernelVtep(frrNs).vni(vni).localIp(FRR).learning(false).bridge(bridge).create();
        final Host host = topology.host(hostRole, cidr, frrNs, hostIf);
        host.netns().setMtu("eth0", KernelPeerTopology.OVERLAY_MTU);
        vtep.attach(hostIf);
        return host;
    }

    /**
     * The server without a LAG (this kernel has no bonding module): its links in a kernel bridge
     * whose ports are isolated from each other, so that, as with a LAG, a frame that arrives on one
     * link never leaves on the other, while the server's own frames leave on both. Not VLAN-aware
     * (this kernel has no VLAN filtering either): tagged frames pass as they are.
     */
    static Host bridgedServer(final Netns serverNs, final List<String> links, final String cidr)
    {
        serverNs.addBridge("br0", links.toArray(String[]::new));
        for (final String link : links)
        {
            serverNs.execOk("bridge", "link", "set", "dev", link, "isolated", "on");
            serverNs.setMtu(link, KernelPeerTopology.OVERLAY_MTU);
        }
        serverNs.sysctl("net.ipv4.ip_forward", "0");
        serverNs.addAddress("br0", cidr);
        serverNs.setMtu("br0", KernelPeerTopology.OVERLAY_MTU);
        return new Host(serverNs, "br0", cidr);
    }

    /** A gateway's configuration: {@code acc1} on the segment (plus {@code extraPortYaml}, e.g. {@code "lacp: {}"}), iBGP to FRR. */
    static String gatewayConfig(final String localIp, final String extraPortYaml)
    {
        return gatewayConfig(localIp, """
            vlans: { untagged: %d }
            ethernet-segment: { esi: "%s", df-election-seconds: 1 }
            %s""".formatted(VNI, ESI, extraPortYaml), List.of(VNI));
    }

    /** A gateway's configuration: {@code acc1} with {@code portYaml} (its keys but the name), the VNIs with EVPN learning, iBGP to FRR. */
    static String gatewayConfig(final String localIp, final String portYaml, final List<Integer> vnis)
    {
        final StringBuilder yaml = new StringBuilder("vtep: { local-ip: " + localIp + " }\nports:\n  - name: acc1\n");
        portYaml.lines().forEach(line -> yaml.append("    ").append(line).append('\n'));
        yaml.append("vnis:\n");
        vnis.forEach(vni -> yaml.append("  - { vni: ").append(vni).append(", learning: evpn }\n"));
        return yaml.append("bgp:\n  asn: 65000\n  neighbors:\n    - { address: \"").append(FRR)
            .append("\", remote-as: 65000, hold-time: 9 }\n").toString();
    }

    InProcessVtep startGateway(final Netns gateway, final String localIp, final String extraPortYaml) throws Exception
    {
        return InProcessVtep.start(topology, gateway, gatewayConfig(localIp, extraPortYaml));
    }

    /**
     * Sends {@code count} broadcasts of the probe ethertype from {@code sender} and counts them on the server's links.
     *
     * @return how many of them each of {@code links} (in {@code serverNs}) carried, either way
     */
    List<Integer> broadcastsAtServer(final Netns serverNs, final List<String> links, final Host sender, final int count) throws Exception
    {
        return broadcastsAtServer(serverNs, links, sender, count, 0, 0);
    }

    /**
     * As {@link #broadcastsAtServer(Netns, List, Host, int)}, with 802.1Q tags (0: none): the sender
     * tags its frames with {@code sentVlan}; only frames tagged {@code seenVlan} are counted.
     */
    List<Integer> broadcastsAtServer(final Netns serverNs, final List<String> links, final Host sender, final int count, final int sentVlan,
        final int seenVlan) throws Exception
    {
        final String filter = (seenVlan == 0 ? "" : "vlan " + seenVlan + " and ") + "ether proto 0x" + PROBE_ETHERTYPE;
        final List<Tshark> captures = links.stream().map(link -> topology.capture(serverNs, link, filter)).toList();
        final String tag = sentVlan == 0 ? "" : "8100%04x".formatted(sentVlan);
        final byte[] frame = HexFormat.of().parseHex("ffffffffffff" + sender.mac().replace(":", "") + tag + PROBE_ETHERTYPE + "00".repeat(46));
        sender.sendRawFrame(sender.iface(), frame, count);
        Thread.sleep(1000);
        return captures.stream().map(capture -> capture.stop().fields("eth", "eth.src").size()).toList();
    }

    /** The originators in a {@code show bgp l2vpn evpn route type ...} table: the "[IP]" that ends each type-1/4 prefix. */
    static Set<String> nextHops(final String table)
    {
        final Set<String> found = new TreeSet<>();
        final Matcher matcher = Pattern.compile("\\*>? *\\S*\\s+(192\\.0\\.2\\.\\d+)").matcher(table);
        while (matcher.find())
        {
            found.add(matcher.group(1));
        }
        return found;
    }

    /** The VTEPs of the nexthop group FRR's kernel VTEP entry for {@code mac} points at ({@code nhid}), empty without one. */
    Set<String> fdbNexthopsOf(final String mac)
    {
        final String fdb = frrNs.execOk("bridge", "fdb", "show", "dev", kernel.device()).stdout();
        final Matcher nhid = Pattern.compile("(?m)^" + Pattern.quote(mac) + " .*nhid (\\d+)").matcher(fdb);
        if (!nhid.find())
        {
            return Set.of();
        }
        final String group = frrNs.execOk("ip", "nexthop", "show", "id", nhid.group(1)).stdout();
        final Set<String> vteps = new TreeSet<>();
        final Matcher members = Pattern.compile("(\\d+)(?:,\\d+)?").matcher(group.replaceFirst("^id \\d+ group ", "").split(" ")[0]);
        while (members.find())
        {
            final String member = frrNs.execOk("ip", "nexthop", "show", "id", members.group(1)).stdout();
            final Matcher via = Pattern.compile("via (\\S+)").matcher(member);
            if (via.find())
            {
                vteps.add(via.group(1));
            }
        }
        return vteps;
    }

    /** The gateway's one segment as {@code GET /api/v1/es} shows it. */
    static Map<String, Object> segment(final Netns gateway)
    {
        return segments(gateway).getFirst();
    }

    /** The gateway's segments as {@code GET /api/v1/es} shows them. */
    static List<Map<String, Object>> segments(final Netns gateway)
    {
        try
        {
            final Map<String, Object> document = NetworkNamespace.call(gateway.name(), () -> new ApiClient(ApiClient.DEFAULT_API).getJson(
                "/api/v1/es"));
            return CliFormat.objects(document.get("segments"));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static boolean isDf(final Map<String, Object> segment)
    {
        return Boolean.TRUE.equals(CliFormat.objects(segment.get("designated_forwarders")).getFirst().get("local"));
    }

    static boolean dfKnown(final Map<String, Object> segment)
    {
        return CliFormat.objects(segment.get("designated_forwarders")).getFirst().get("vtep") != null;
    }
}
