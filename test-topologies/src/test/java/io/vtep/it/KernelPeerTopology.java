package io.vtep.it;

import io.vtep.topology.Host;
import io.vtep.topology.KernelVtep;
import io.vtep.topology.Netns;
import io.vtep.topology.Requirements;
import io.vtep.topology.Topology;

/**
 * The topology most tests share: a bare-metal host on vtep's access port, vtep and a Linux kernel
 * VTEP on one underlay link, and a second host behind the kernel VTEP's bridge.
 *
 * <pre>
 *  h1 10.0.0.1 ─eth0──acc1─ [vtep 192.0.2.1] ─ul0──ul0─ [kernel VTEP 192.0.2.2, br0] ─acc0──eth0─ h2 10.0.0.2
 * </pre>
 *
 * Hosts use MTU 1450: the overlay carries 50 bytes of headers inside the underlay's 1500.
 */
final class KernelPeerTopology
{
    static final int VNI = 100;
    static final String VTEP_IP = "192.0.2.1";
    static final String KERNEL_IP = "192.0.2.2";
    static final int OVERLAY_MTU = 1450;

    final Topology topology;
    final Netns vtepNs;
    final Netns kernelNs;
    final Host h1;
    final Host h2;
    final KernelVtep kernel;

    KernelPeerTopology(final Topology topology, final boolean kernelLearning)
    {
        this(topology, kernelLearning, null);
    }

    /** @param multicastGroup BUM through this group on both VTEPs instead of flood lists; null for flood lists */
    KernelPeerTopology(final Topology topology, final boolean kernelLearning, final String multicastGroup)
    {
        this.topology = topology;
        vtepNs = topology.namespace("vtep");
        kernelNs = topology.namespace("kvtep");
        topology.underlayLink(vtepNs, VTEP_IP + "/24", kernelNs, KERNEL_IP + "/24");

        h1 = topology.host("h1", "10.0.0.1/24", vtepNs, "acc1");
        h1.netns().setMtu("eth0", OVERLAY_MTU);
        final KernelVtep.Builder builder = topology.kernelVtep(kernelNs).vni(VNI).localIp(KERNEL_IP).learning(kernelLearning);
        if (multicastGroup != null)
        {
            builder.multicastGroup(multicastGroup, "ul0");
        }
        kernel = builder.create();
        h2 = topology.host("h2", "10.0.0.2/24", kernelNs, "acc0");
        h2.netns().setMtu("eth0", OVERLAY_MTU);
        kernelNs.enslave("acc0", kernel.bridge());
        if (multicastGroup == null)
        {
            kernel.addFloodEntry(VTEP_IP);
        }
    }

    /** vtep's configuration: acc1 untagged into VNI 100, the kernel VTEP in the flood list. */
    String vtepConfig(final String extra)
    {
        return vtepConfig("flood: [" + KERNEL_IP + "]", extra);
    }

    /** vtep's configuration without a flood list: the kernel VTEP is one it must learn from the data plane. */
    String vtepConfigWithoutFloodList(final String extra)
    {
        return vtepConfig("", extra);
    }

    /**
     * {@code GET /metrics} from vtep's API, for a configuration with {@code api: { listen:
     * "127.0.0.1:9100" }} (the API listens in vtep's namespace).
     */
    String scrapeMetrics()
    {
        return vtepNs.execOk(Requirements.SYSTEM_PYTHON, "-c",
            "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:9100/metrics').read().decode())").stdout();
    }

    private static String vtepConfig(final String vniKeys, final String extra)
    {
        return VtepConfigs.oneAccessPort(VTEP_IP, VNI, vniKeys, extra);
    }
}
