package io.vtep.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;

import com.github.dockerjava.api.model.Network.Ipam;

import io.vtep.topology.Commands;
import io.vtep.topology.Host;
import io.vtep.topology.KernelVtep;
import io.vtep.topology.Netns;
import io.vtep.topology.Topology;

/**
 * Two vtep containers and a Linux kernel VTEP on one underlay, each with a bare-metal host, all in
 * VNI 100 with head-end replication to the other two:
 *
 * <pre>
 *                       Docker network "ul" 198.51.100.0/24 (bridge PREFIX-ul in the root namespace)
 *          ┌─────────────────────────────┼───────────────────────────────┐
 *        eth0                          eth0                      veth PREFIX-k ─ ul0
 *  [vtep1 container .11]        [vtep2 container .12]        [kernel VTEP .13, namespace PREFIX-kv]
 *        eth1 (af-packet)             eth1 (pcap)                   br0 ─ acc0
 *          │ Docker network "a1"        │ Docker network "a2"          │ veth
 *    [h1 container 10.100.0.1]   [h2 container 10.100.0.2]     [h3 namespace 10.100.0.3]
 * </pre>
 *
 * The kernel VTEP lives outside Docker, in a network namespace of a {@link Topology}, joined to the
 * underlay's bridge by a veth pair: the only thing made in the root namespace is that veth end,
 * named with the topology's unique prefix, and it goes when the namespace does. The underlay keeps
 * MTU 1500 and the access networks get 1450, so hosts' frames fit after the 50 bytes of VXLAN.
 * Every address is in a documentation range (RFC 5737) or 10.100.0.0/24 inside the overlay.
 */
final class ContainerTopology implements AutoCloseable
{
    static final int VNI = 100;
    static final String UNDERLAY_SUBNET = "198.51.100.0/24";
    static final String VTEP1_IP = "198.51.100.11";
    static final String VTEP2_IP = "198.51.100.12";
    static final String KERNEL_IP = "198.51.100.13";
    static final int OVERLAY_MTU = 1450;

    final Topology topology;
    final String prefix;
    final Network underlay;
    final Network access1;
    final Network access2;
    final ContainerVtep vtep1;
    final ContainerVtep vtep2;
    final ContainerHost h1;
    final ContainerHost h2;
    final Netns kernelNs;
    final KernelVtep kernel;
    final Host h3;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    private ContainerTopology(final String vtepImage, final String hostImage, final List<String> entrypoint)
    {
        topology = Topology.create();
        prefix = topology.prefix();
        boolean ok = false;
        try
        {
            underlay = network("ul", UNDERLAY_SUBNET, "198.51.100.1", "198.51.100.128/25", null);
            access1 = network("a1", "203.0.113.0/26", "203.0.113.1", null, OVERLAY_MTU);
            access2 = network("a2", "203.0.113.64/26", "203.0.113.65", null, OVERLAY_MTU);

            // The kernel VTEP: a namespace on the underlay bridge through a veth pair.
            kernelNs = topology.namespace("kv");
            final String rootEnd = prefix + "-k";
            Commands.runOk("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", "ul0", "netns", kernelNs.name());
            topology.onClose("veth " + rootEnd, () -> Commands.run("ip", "link", "del", rootEnd));
            Commands.runOk("ip", "link", "set", "dev", rootEnd, "master", prefix + "-ul", "up");
            kernelNs.up("ul0");
            kernelNs.addAddress("ul0", KERNEL_IP + "/24");
            kernel = topology.kernelVtep(kernelNs).vni(VNI).localIp(KERNEL_IP).learning(true).create();
            kernel.addFloodEntry(VTEP1_IP);
            kernel.addFloodEntry(VTEP2_IP);
            h3 = topology.host("h3", "10.100.0.3/24", kernelNs, "acc0");
            h3.netns().setMtu("eth0", OVERLAY_MTU);
            kernelNs.enslave("acc0", kernel.bridge());

            vtep1 = track(new ContainerVtep(vtepImage, prefix + "-vtep1", underlay, VTEP1_IP, access1, entrypoint,
                config(VTEP1_IP, "af-packet", VTEP2_IP, KERNEL_IP)));
            vtep2 = track(new ContainerVtep(vtepImage, prefix + "-vtep2", underlay, VTEP2_IP, access2, entrypoint,
                config(VTEP2_IP, "pcap", VTEP1_IP, KERNEL_IP)));
            h1 = track(new ContainerHost(hostImage, prefix + "-h1", access1, "10.100.0.1/24"));
            h2 = track(new ContainerHost(hostImage, prefix + "-h2", access2, "10.100.0.2/24"));
            Startables.deepStart(vtep1, vtep2, h1, h2).join();
            h1.configureOverlay();
            h2.configureOverlay();
            ok = true;
        }
        finally
        {
            if (!ok)
            {
                close();
            }
        }
    }

    /** Builds and starts it all; throws (after tearing down what was made) if anything fails. */
    static ContainerTopology start(final String vtepImage, final String hostImage, final List<String> entrypoint)
    {
        return new ContainerTopology(vtepImage, hostImage, entrypoint);
    }

    /** vtep's configuration: eth1 untagged into VNI 100, the other two VTEPs in its flood list. */
    static String config(final String localIp, final String driver, final String... flood)
    {
        return """
            vtep:
              local-ip: %s
            ports:
              - name: %s
                driver: %s
                vlans: { untagged: %d }
            vnis:
              - vni: %d
                flood: [%s]
            """.formatted(localIp, ContainerVtep.ACCESS_IF, driver, VNI, VNI, String.join(", ", flood));
    }

    /**
     * A bridge network named {@code PREFIX-role} whose bridge in the root namespace has the same
     * name; no NAT (nothing here talks to the outside).
     */
    private Network network(final String role, final String subnet, final String gateway, final String ipRange, final Integer mtu)
    {
        final String name = prefix + "-" + role;
        final Map<String, String> options = new HashMap<>(Map.of(
            "com.docker.network.bridge.name", name,
            "com.docker.network.bridge.enable_ip_masquerade", "false"));
        if (mtu != null)
        {
            options.put("com.docker.network.driver.mtu", mtu.toString());
        }
        final Ipam.Config ipamConfig = new Ipam.Config().withSubnet(subnet).withGateway(gateway);
        if (ipRange != null)
        {
            ipamConfig.withIpRange(ipRange);
        }
        final Network network = Network.builder()
            .driver("bridge")
            .createNetworkCmdModifier(cmd -> cmd
                .withName(name)
                .withLabels(ContainerImages.labels())
                .withOptions(options)
                .withIpam(new Ipam().withConfig(ipamConfig)))
            .build();
        toClose.add(network);
        network.getId(); // creates it now
        return network;
    }

    private <T extends GenericContainer<?>> T track(final T container)
    {
        toClose.add(container::stop);
        return container;
    }

    /** The containers' logs and FDBs and the namespaces' state, for failure messages. */
    String diagnostics()
    {
        final StringBuilder sb = new StringBuilder();
        for (final ContainerVtep vtep : List.of(vtep1, vtep2))
        {
            try
            {
                sb.append(vtep.diagnostics()).append('\n');
            }
            catch (final RuntimeException ex)
            {
                sb.append(vtep.name()).append(": ").append(ex).append('\n');
            }
        }
        return sb.append(topology.diagnostics()).toString();
    }

    @Override
    public void close()
    {
        // Containers first (reverse order), then the kernel side (its veth leaves the underlay
        // bridge), then the networks.
        final List<AutoCloseable> containers = new ArrayList<>(toClose.stream().filter(c -> !(c instanceof Network)).toList());
        Collections.reverse(containers);
        for (final AutoCloseable c : containers)
        {
            ContainerImages.quietly(() ->
            {
                try
                {
                    c.close();
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
        }
        ContainerImages.quietly(topology::close);
        for (final AutoCloseable c : toClose)
        {
            if (c instanceof Network network)
            {
                ContainerImages.quietly(network::close);
            }
        }
    }

    static Duration since(final long startNanos)
    {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
