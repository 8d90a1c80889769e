package io.vtep.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Linux kernel VXLAN peer in a namespace: a {@code vxlan} device for one VNI on UDP 4789,
 * enslaved to a bridge ({@code br0}) together with the host-facing interfaces. It is the
 * reference the appliance is compared against, and its peer in interoperability tests.
 *
 * <pre>{@code
 * KernelVtep kv = topo.kernelVtep(ns).vni(100).localIp("192.0.2.1").create();
 * kv.attach("eth1");                       // the host-facing veth end
 * kv.addFloodEntry("192.0.2.2");           // head-end replication to the other VTEP
 * }</pre>
 *
 * <p>Equivalent to {@code ip link add vxlan100 type vxlan id 100 dstport 4789 local IP nolearning}
 * (the kernel's default port is 8472, so dstport is always given) plus
 * {@code bridge fdb append 00:00:00:00:00:00 dev vxlan100 dst REMOTE} per flood-list entry.
 * The bridge is made with multicast snooping off, so it sends no IGMP report of its own into the
 * overlay (see {@link Netns#addBridge}). Everything lives in the namespace and goes with it.
 */
public final class KernelVtep
{

    private final Netns netns;
    private final int vni;
    private final String localIp;
    private final String device;
    private final String bridge;
    private final int udpPort;

    private KernelVtep(Netns netns, int vni, String localIp, String device, String bridge, int udpPort)
    {
        this.netns = netns;
        this.vni = vni;
        this.localIp = localIp;
        this.device = device;
        this.bridge = bridge;
        this.udpPort = udpPort;
    }

    /** Starts describing a kernel VTEP in {@code netns}. */
    public static Builder builder(Netns netns)
    {
        return new Builder(netns);
    }

    public Netns netns()
    {
        return netns;
    }

    public int vni()
    {
        return vni;
    }

    /** The VTEP's source address on the underlay. */
    public String localIp()
    {
        return localIp;
    }

    /** The vxlan device, "vxlan100". */
    public String device()
    {
        return device;
    }

    /** The bridge the vxlan device and access interfaces are enslaved to, "br0". */
    public String bridge()
    {
        return bridge;
    }

    public int udpPort()
    {
        return udpPort;
    }

    /** Enslaves a host-facing interface (an access port) to the VTEP's bridge and brings it up. */
    public void attach(String ifName)
    {
        netns.enslave(ifName, bridge);
    }

    /** Adds {@code remoteIp} to the flood list: {@code bridge fdb append 00:00:00:00:00:00 dev vxlanN dst REMOTE}. */
    public void addFloodEntry(String remoteIp)
    {
        bridge("fdb", "append", BridgeFdbEntry.ALL_ZEROS, "dev", device, "dst", remoteIp);
    }

    /** Removes {@code remoteIp} from the flood list. */
    public void removeFloodEntry(String remoteIp)
    {
        bridge("fdb", "del", BridgeFdbEntry.ALL_ZEROS, "dev", device, "dst", remoteIp);
    }

    /** A static entry: {@code mac} is behind the VTEP at {@code remoteIp} ({@code bridge fdb add ... permanent}). */
    public void addStaticEntry(String mac, String remoteIp)
    {
        bridge("fdb", "add", mac, "dev", device, "dst", remoteIp, "permanent");
    }

    /** Removes a MAC from the vxlan device's table. */
    public void removeEntry(String mac)
    {
        bridge("fdb", "del", mac, "dev", device);
    }

    /**
     * Switches the kernel's data-plane learning on the vxlan device on or off
     * ({@code ip link set vxlanN type vxlan [no]learning}).
     */
    public void learning(boolean on)
    {
        netns.ip("link", "set", "dev", device, "type", "vxlan", on ? "learning" : "nolearning");
    }

    /** {@code bridge fdb show dev vxlanN}, parsed: the vxlan device's entries and the bridge's entries for the port. */
    public List<BridgeFdbEntry> fdb()
    {
        return BridgeFdbEntry.parseJson(netns.execOk("bridge", "-j", "fdb", "show", "dev", device).stdout());
    }

    /** The vxlan device's own entries for unicast MACs (no flood-list entries, no bridge entries). */
    public List<BridgeFdbEntry> remoteEntries()
    {
        return fdb().stream().filter(e -> e.isVxlanEntry() && !e.isFloodEntry()).toList();
    }

    /** The flood list: remote VTEP addresses of the all-zero entries. */
    public List<String> floodList()
    {
        return fdb().stream().filter(BridgeFdbEntry::isFloodEntry).map(BridgeFdbEntry::dst).toList();
    }

    /** Which remote VTEP the vxlan device sends {@code mac} to, if it has an entry for it. */
    public Optional<String> remoteVtepOf(String mac)
    {
        String m = mac.toLowerCase();
        return remoteEntries().stream().filter(e -> e.mac().equals(m)).map(BridgeFdbEntry::dst).findFirst();
    }

    /** The whole bridge's FDB ({@code bridge fdb show br br0}). */
    public List<BridgeFdbEntry> bridgeFdb()
    {
        return BridgeFdbEntry.parseJson(netns.execOk("bridge", "-j", "fdb", "show", "br", bridge).stdout());
    }

    private void bridge(String... args)
    {
        List<String> cmd = new ArrayList<>();
        cmd.add("bridge");
        cmd.addAll(List.of(args));
        netns.execOk(cmd.toArray(String[]::new));
    }

    @Override
    public String toString()
    {
        return netns.name() + "/" + device + " (VNI " + vni + ", local " + localIp + ")";
    }

    /** What a kernel VTEP is made of; {@link #create()} makes it. */
    public static final class Builder
    {
        private final Netns netns;
        private int vni = -1;
        private String localIp;
        private int udpPort = 4789;
        private boolean learning;
        private String group;
        private String groupDevice;
        private String device;
        private String bridge = "br0";
        private Boolean udpChecksum;
        private final List<String> extraArgs = new ArrayList<>();

        private Builder(Netns netns)
        {
            this.netns = netns;
        }

        /** The VNI (1..16777215). Required. */
        public Builder vni(int vni)
        {
            if (vni < 1 || vni > 0xFFFFFF)
            {
                throw new IllegalArgumentException("VNI out of 1..16777215: " + vni);
            }
            this.vni = vni;
            return this;
        }

        /**
         * The source address on the underlay (IPv4, or IPv6 in a namespace made with
         * {@link Topology#namespaceWithIpv6}). Required. The address itself must be configured on
         * an underlay interface by the test.
         */
        public Builder localIp(String localIp)
        {
            this.localIp = localIp;
            return this;
        }

        /** The UDP port; 4789 unless set (the kernel's own default would be 8472). */
        public Builder udpPort(int udpPort)
        {
            this.udpPort = udpPort;
            return this;
        }

        /** The kernel's data-plane learning on the vxlan device; off ({@code nolearning}) unless set. */
        public Builder learning(boolean learning)
        {
            this.learning = learning;
            return this;
        }

        /** Multicast mode: BUM traffic goes to {@code group} through {@code underlayIf} instead of a flood list. */
        public Builder multicastGroup(String group, String underlayIf)
        {
            this.group = group;
            this.groupDevice = underlayIf;
            return this;
        }

        /** The vxlan device's name; "vxlan" + VNI unless set. */
        public Builder device(String device)
        {
            Topology.checkIfName(device);
            this.device = device;
            return this;
        }

        /** The bridge's name; "br0" unless set (use another for a second VNI in one namespace). */
        public Builder bridge(String bridge)
        {
            Topology.checkIfName(bridge);
            this.bridge = bridge;
            return this;
        }

        /** Outer UDP checksums for IPv4 ({@code udpcsum} / {@code noudpcsum}); the kernel's default unless set. */
        public Builder udpChecksum(boolean on)
        {
            this.udpChecksum = on;
            return this;
        }

        /** Further {@code ip link add ... type vxlan} options ("ttl", "64", "tos", "inherit", ...). */
        public Builder extraArgs(String... args)
        {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /** Makes the bridge (if missing) and the vxlan device, enslaves it, brings both up. */
        public KernelVtep create()
        {
            if (vni < 0)
            {
                throw new IllegalStateException("kernel VTEP needs a VNI");
            }
            if (localIp == null)
            {
                throw new IllegalStateException("kernel VTEP needs a local IP");
            }
            String dev = device != null ? device : "vxlan" + vni;
            Topology.checkIfName(dev);
            if (!netns.interfaces().contains(bridge))
            {
                netns.addBridge(bridge);
            }
            List<String> cmd = new ArrayList<>(List.of("link", "add", dev, "type", "vxlan", "id", Integer.toString(vni),
                "dstport", Integer.toString(udpPort), "local", localIp));
            if (group != null)
            {
                cmd.addAll(List.of("group", group, "dev", groupDevice));
            }
            cmd.add(learning ? "learning" : "nolearning");
            if (udpChecksum != null)
            {
                cmd.add(udpChecksum ? "udpcsum" : "noudpcsum");
            }
            cmd.addAll(extraArgs);
            netns.ip(cmd.toArray(String[]::new));
            netns.enslave(dev, bridge);
            return new KernelVtep(netns, vni, localIp, dev, bridge, udpPort);
        }
    }
}
