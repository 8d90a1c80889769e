package io.vtep.demo;

import io.vtep.topology.Host;
import io.vtep.topology.KernelVtep;
import io.vtep.topology.Netns;
import io.vtep.topology.Topology;

/**
 * The demo's namespaces, made with the topology library as the tests make theirs:
 *
 * <pre>
 *   h1 10.0.0.1 -eth0--acc1- vtep 192.0.2.1 -ul0== underlay ==ul0- Linux kernel VTEP 192.0.2.2 -acc2--eth0- h2 10.0.0.2
 * </pre>
 *
 * and with {@code --vlan} h3 10.0.200.2 on acc3 of the kernel VTEP, in VNI 200 (bridge br1). The
 * hosts keep Linux's default offloads, like any VM or container.
 */
final class DemoNetwork
{
    static final int VNI = 100;
    static final int VLAN = 10;
    static final int VLAN_VNI = 200;
    static final String H1_MAC = "02:00:00:00:00:01";
    static final String H2_MAC = "02:00:00:00:00:02";
    static final String H3_MAC = "02:00:00:00:00:03";
    /** h1's second identity, on VLAN 10 (frames built by scapy). */
    static final String TAGGED_MAC = "02:10:00:00:00:01";
    static final String ASN = "65000";

    final Topology topology;
    final Underlay underlay;
    final Netns vtep;
    final Netns kvtep;
    final Host h1;
    final Host h2;
    final Host h3;
    final KernelVtep kernelVni;

    DemoNetwork(final Topology topology, final DemoOptions options)
    {
        this.topology = topology;
        this.underlay = Underlay.of(options);
        this.vtep = vtepNamespace("vtep", options.ipv6());
        this.kvtep = vtepNamespace("kvtep", options.ipv6());
        topology.link(vtep, "ul0", kvtep, "ul0");
        if (options.ipv6())
        {
            vtep.sysctl("net.ipv6.conf.ul0.disable_ipv6", "0");
            kvtep.sysctl("net.ipv6.conf.ul0.disable_ipv6", "0");
        }
        vtep.addAddress("ul0", underlay.vtepIp() + "/" + underlay.prefixLength());
        kvtep.addAddress("ul0", underlay.kernelIp() + "/" + underlay.prefixLength());
        this.h1 = host("h1", H1_MAC, "10.0.0.1/24", vtep, "acc1");
        this.h2 = host("h2", H2_MAC, "10.0.0.2/24", kvtep, "acc2");
        this.kernelVni = kernelVni(options, VNI, "br0", "acc2");
        if (options.vlan())
        {
            this.h3 = host("h3", H3_MAC, "10.0.200.2/24", kvtep, "acc3");
            kernelVni(options, VLAN_VNI, "br1", "acc3");
        }
        else
        {
            this.h3 = null;
        }
    }

    /**
     * A VTEP's namespace. With an IPv6 underlay it keeps IPv6 only on its underlay link: new devices
     * default to IPv6 off, or the bridges' and vxlan devices' DAD and MLD would teach the VTEPs MAC
     * addresses before the demo does (written to "default", not "all": that would reset "default").
     */
    private Netns vtepNamespace(final String role, final boolean ipv6)
    {
        if (!ipv6)
        {
            return topology.namespace(role);
        }
        final Netns ns = topology.namespaceWithIpv6(role);
        ns.sysctl("net.ipv6.conf.default.disable_ipv6", "1");
        return ns;
    }

    /** A bare-metal server cabled to {@code peerIf}, with a MAC a reader recognises and the overlay's MTU. */
    private Host host(final String role, final String mac, final String cidr, final Netns peer, final String peerIf)
    {
        final Host host = topology.host(role, cidr, peer, peerIf);
        host.netns().down(Host.DEFAULT_IFACE);
        host.setMac(mac);
        host.netns().setMtu(Host.DEFAULT_IFACE, underlay.hostMtu());
        host.netns().up(Host.DEFAULT_IFACE);
        return host;
    }

    /**
     * The Linux kernel VTEP's side of one VNI: a vxlan device on UDP 4789 in a bridge with the port
     * facing that VNI's host. BUM goes to vtep by a flood-list entry, or to the multicast group. With
     * --evpn it learns nothing from the data plane and has no flood entry: zebra installs both from BGP.
     */
    private KernelVtep kernelVni(final DemoOptions options, final int vni, final String bridge, final String port)
    {
        final KernelVtep.Builder builder = topology.kernelVtep(kvtep).vni(vni).localIp(underlay.kernelIp()).bridge(bridge)
            .learning(!options.evpn());
        if (options.multicast())
        {
            builder.multicastGroup(underlay.group(), "ul0");
        }
        final KernelVtep kernel = builder.create();
        if (!options.evpn() && !options.multicast())
        {
            kernel.addFloodEntry(underlay.vtepIp());
        }
        kernel.attach(port);
        return kernel;
    }
}
