package io.vtep.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vtep.topology.Host;
import io.vtep.topology.KernelVtep;
import io.vtep.topology.Netns;
import io.vtep.topology.Topology;

/**
 * The benchmark's network: two hosts, VTEP A (whichever implementation is measured, started and
 * stopped by {@link VtepA}) and a Linux kernel VTEP B, every node a namespace of one
 * {@link Topology} (unique prefix, deleted at close), all links veth.
 *
 * <pre>
 *  host A 10.0.0.1 ─eth0──acc1─ [VTEP A 192.0.2.1] ─ul0══ul0─ [kernel VTEP B 192.0.2.2, br0] ─acc0──eth0─ host B 10.0.0.2
 * </pre>
 *
 * <p>The hosts keep Linux's default veth offloads (tx checksum, TSO, GSO on; GRO off): they stand
 * for a VM or container on a veth/tap, which hands its VTEP partially checksummed frames and TSO
 * super-frames. Their MTU is 1450, the overlay's on a 1500-byte underlay.
 *
 * <p>The underlay link stands for a physical wire, so both of its ends are made wire-like
 * ({@code ethtool -K ul0 tx off tso off gso off gro off}): whatever crosses it is MTU-sized and
 * fully checksummed, as on a real link. Left at veth's defaults, a kernel VTEP B would hand VTEP A
 * unfinished inner checksums in skb metadata that no physical underlay carries (a userspace VTEP A
 * reading the underlay then sees broken checksums that are an artefact of veth), and TSO
 * super-frames would cross the "wire" unsegmented (the kernel VTEPs then never segment at all).
 * {@code --underlay veth} keeps veth's offloads on the underlay, for comparison.
 *
 * <p>Kernel VTEPs (B, and A when the kernel is measured) send outer UDP checksum 0
 * ({@code noudpcsum}, RFC 7348 §5's SHOULD for IPv4), as vtep and Open vSwitch do: all three VTEP
 * A's put the same packets on the wire. B learns from the data plane and floods to VTEP A.
 */
final class DataPathTopology
{
    static final int VNI = 100;
    static final String HOST_A_IP = "10.0.0.1";
    static final String HOST_B_IP = "10.0.0.2";
    static final String VTEP_A_IP = "192.0.2.1";
    static final String VTEP_B_IP = "192.0.2.2";
    static final String UNDERLAY_CIDR_SUFFIX = "/24";
    static final int HOST_MTU = 1450;
    static final String VTEP_A_IP6 = "2001:db8::1";
    static final String VTEP_B_IP6 = "2001:db8::2";
    /** IPv6 + UDP + VXLAN + inner Ethernet take 70 bytes of the underlay's 1500. */
    static final int HOST_MTU_IPV6_UNDERLAY = 1430;
    /** VTEP A's access port, towards host A. */
    static final String ACCESS_IF = "acc1";
    /** The underlay interface on both VTEPs. */
    static final String UNDERLAY_IF = "ul0";

    final Topology topology;
    final Netns vtepA;
    final Netns vtepB;
    final Host hostA;
    final Host hostB;
    final KernelVtep kernelB;

    /** @param wireUnderlay make the underlay link wire-like (the default); false keeps veth's offloads on it */
    DataPathTopology(final Topology topology, final boolean wireUnderlay)
    {
        this(topology, wireUnderlay, false);
    }

    /**
     * @param wireUnderlay make the underlay link wire-like (the default); false keeps veth's offloads on it
     * @param ipv6Underlay VTEP A and B at {@value #VTEP_A_IP6} and {@value #VTEP_B_IP6} (outer UDP
     *     checksums on, RFC 8200 §8.1; the hosts' MTU {@value #HOST_MTU_IPV6_UNDERLAY}) instead of IPv4
     */
    DataPathTopology(final Topology topology, final boolean wireUnderlay, final boolean ipv6Underlay)
    {
        this.topology = topology;
        vtepA = ipv6Underlay ? topology.namespaceWithIpv6("vtepa") : topology.namespace("vtepa");
        vtepB = ipv6Underlay ? topology.namespaceWithIpv6("vtepb") : topology.namespace("vtepb");
        final String vtepAIp = ipv6Underlay ? VTEP_A_IP6 : VTEP_A_IP;
        final String vtepBIp = ipv6Underlay ? VTEP_B_IP6 : VTEP_B_IP;
        final String prefixLength = ipv6Underlay ? "/64" : UNDERLAY_CIDR_SUFFIX;
        topology.underlayLink(vtepA, vtepAIp + prefixLength, vtepB, vtepBIp + prefixLength);
        withoutBridgeNetfilter(vtepA);
        withoutBridgeNetfilter(vtepB);
        if (wireUnderlay)
        {
            wireLike(vtepA, UNDERLAY_IF);
            wireLike(vtepB, UNDERLAY_IF);
        }

        final int hostMtu = ipv6Underlay ? HOST_MTU_IPV6_UNDERLAY : HOST_MTU;
        hostA = host(topology, "ha", HOST_A_IP, vtepA, ACCESS_IF, hostMtu);
        final KernelVtep.Builder b = topology.kernelVtep(vtepB).vni(VNI).localIp(vtepBIp).learning(true);
        kernelB = (ipv6Underlay ? b : b.udpChecksum(false)).create();
        hostB = host(topology, "hb", HOST_B_IP, vtepB, "acc0", hostMtu);
        kernelB.attach("acc0");
        kernelB.addFloodEntry(vtepAIp);
    }

    /** {@link Topology#host} (default offloads, no forwarding) with the hosts' MTU, room for the VXLAN headers. */
    private static Host host(final Topology topology, final String role, final String ip, final Netns peer, final String peerIf,
        final int mtu)
    {
        final Host host = topology.host(role, ip + "/24", peer, peerIf);
        host.netns().setMtu(host.iface(), mtu);
        return host;
    }

    /**
     * Bridged frames skip iptables here, as on a gateway without Docker: with the br_netfilter module
     * loaded (Docker loads it), every namespace's bridges start with {@code bridge-nf-call-*} at 1,
     * and each bridged frame then runs the IP hooks too, 17 % of a pipeline's time in a profile
     * of the 64-byte flood (kernel VTEP B's bridge, run by the sending pipeline's softirq), and
     * the same on the kernel VTEP A's bridge. Without the module the keys do not exist.
     */
    private static void withoutBridgeNetfilter(final Netns ns)
    {
        if (!ns.exec("test", "-d", "/proc/sys/net/bridge").ok())
        {
            return; // br_netfilter is not loaded: bridged frames skip iptables already
        }
        for (final String family : List.of("iptables", "ip6tables", "arptables"))
        {
            ns.sysctl("net.bridge.bridge-nf-call-" + family, "0");
        }
    }

    private static void wireLike(final Netns ns, final String ifName)
    {
        ns.execOk("ethtool", "-K", ifName, "tx", "off", "tso", "off", "gso", "off", "gro", "off");
    }

    /**
     * Forgets the underlay neighbours on both VTEPs, so that a new VTEP A (whose underlay MAC may
     * differ: Open vSwitch answers from its own bridge port) is resolved afresh instead of B
     * sending to a stale MAC for a neighbour-probe period.
     */
    void flushUnderlayNeighbours()
    {
        vtepA.exec("ip", "neigh", "flush", "dev", UNDERLAY_IF);
        vtepB.exec("ip", "neigh", "flush", "dev", UNDERLAY_IF);
    }

    /** The features {@code ethtool -K} is given names for, with the names {@code ethtool -k} prints. */
    private static final Map<String, String> OFFLOAD_NAMES = Map.of(
        "tso", "tcp-segmentation-offload",
        "gso", "generic-segmentation-offload",
        "gro", "generic-receive-offload");

    /** The host's TSO, GSO and GRO settings ("on"/"off" by {@code ethtool -K} name), to restore later. */
    static Map<String, String> offloads(final Host host)
    {
        final String out = host.netns().execOk("ethtool", "-k", host.iface()).stdout();
        final Map<String, String> state = new LinkedHashMap<>();
        for (final Map.Entry<String, String> e : OFFLOAD_NAMES.entrySet())
        {
            for (final String line : out.split("\n"))
            {
                if (line.startsWith(e.getValue() + ":"))
                {
                    state.put(e.getKey(), line.substring(e.getValue().length() + 1).strip().startsWith("on") ? "on" : "off");
                }
            }
        }
        return state;
    }

    /**
     * Turns the host's TSO, GSO and GRO off (tx checksum offload stays on), for the benchmark's
     * offloads-off figure only; returns what they were, for {@link #setOffloads} to restore.
     */
    static Map<String, String> segmentationOffloadsOff(final Host host)
    {
        final Map<String, String> saved = offloads(host);
        final Map<String, String> off = new LinkedHashMap<>();
        OFFLOAD_NAMES.keySet().forEach(name -> off.put(name, "off"));
        setOffloads(host, off);
        return saved;
    }

    /** {@code ethtool -K IF name on|off ...} for the given features. */
    static void setOffloads(final Host host, final Map<String, String> features)
    {
        final List<String> cmd = new ArrayList<>(List.of("ethtool", "-K", host.iface()));
        features.forEach((name, value) ->
        {
            cmd.add(name);
            cmd.add(value);
        });
        host.netns().execOk(cmd.toArray(String[]::new));
    }
}
