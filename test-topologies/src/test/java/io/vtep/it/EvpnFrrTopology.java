package io.vtep.it;

import io.vtep.topology.FrrConfig;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.Host;
import io.vtep.topology.KernelVtep;
import io.vtep.topology.Netns;
import io.vtep.topology.Topology;

/**
 * The topology of the EVPN tests and benchmarks: vtep and a Linux kernel VTEP driven by FRR, on
 * one underlay link, a host behind each; no static flood list anywhere.
 *
 * <pre>
 *  h1 10.0.0.1 ─acc1─ [vtep 192.0.2.1] ─ul0──ul0─ [FRR + kernel VTEP 192.0.2.2] ─acc0─ h2 10.0.0.2
 * </pre>
 *
 * @param vtepNs vtep's namespace (start vtep there, in-process or as a process)
 * @param frrNs  FRR's namespace, with the kernel VTEP (learning off) and its bridge
 * @param h1     the host on vtep's access port acc1
 * @param h2     the host behind the kernel VTEP
 * @param kernel the kernel VTEP, VNI {@value #VNI}
 */
public record EvpnFrrTopology(Netns vtepNs, Netns frrNs, Host h1, Host h2, KernelVtep kernel)
{
    public static final int VNI = 100;
    public static final String VTEP_IP = "192.0.2.1";
    public static final String FRR_IP = "192.0.2.2";
    public static final String VTEP_IP6 = "2001:db8::1";
    public static final String FRR_IP6 = "2001:db8::2";

    /** @param ipv6Too the underlay link also carries {@value #VTEP_IP6} (vtep) and {@value #FRR_IP6} (FRR) */
    public static EvpnFrrTopology create(final Topology topology, final boolean ipv6Too)
    {
        final Netns vtepNs = ipv6Too ? topology.namespaceWithIpv6("vtep") : topology.namespace("vtep");
        final Netns frrNs = ipv6Too ? topology.namespaceWithIpv6("frr") : topology.namespace("frr");
        topology.underlayLink(vtepNs, VTEP_IP + "/24", frrNs, FRR_IP + "/24");
        if (ipv6Too)
        {
            vtepNs.addAddress("ul0", VTEP_IP6 + "/64");
            frrNs.addAddress("ul0", FRR_IP6 + "/64");
        }
        final Host h1 = topology.host("h1", "10.0.0.1/24", vtepNs, "acc1");
        h1.netns().setMtu("eth0", KernelPeerTopology.OVERLAY_MTU);
        final KernelVtep kernel = topology.kernelVtep(frrNs).vni(VNI).localIp(FRR_IP).learning(false).create();
        final Host h2 = topology.host("h2", "10.0.0.2/24", frrNs, "acc0");
        h2.netns().setMtu("eth0", KernelPeerTopology.OVERLAY_MTU);
        kernel.attach("acc0");
        return new EvpnFrrTopology(vtepNs, frrNs, h1, h2, kernel);
    }

    /** FRR in {@link #frrNs}, one neighbor, short timers ({@code timers 3 9}, connect retry 2 s). */
    public FrrRouter startFrr(final Topology topology, final long asn, final String neighbor, final long remoteAs)
    {
        return topology.frr(frrNs).bgp(FrrConfig.asn(asn).routerId(FRR_IP)
            .neighbor(FrrConfig.neighbor(neighbor).remoteAs(remoteAs).timers(3, 9).connectRetry(2))).start();
    }

    /** vtep with acc1 untagged in VNI 100 (EVPN learning, no flood list) and one BGP neighbor (hold time 9 s). */
    public static String vtepConfig(final String localIp, final long asn, final String neighbor, final long remoteAs)
    {
        return vtepConfig(localIp, asn, neighbor, remoteAs, "");
    }

    /** The same with more keys of the neighbor ({@code password: "..."}, {@code ttl-security: 1}...), or none. */
    public static String vtepConfig(final String localIp, final long asn, final String neighbor, final long remoteAs,
        final String neighborKeys)
    {
        final String keys = neighborKeys.isEmpty() ? "" : ", " + neighborKeys;
        return VtepConfigs.oneAccessPort(localIp, VNI, "learning: evpn", """
            bgp:
              asn: %d
              neighbors:
                - { address: "%s", remote-as: %d, hold-time: 9%s }
            """.formatted(asn, neighbor, remoteAs, keys));
    }
}
