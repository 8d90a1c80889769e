package io.vtep.bench;

import static io.vtep.bench.DataPathTopology.ACCESS_IF;
import static io.vtep.bench.DataPathTopology.UNDERLAY_CIDR_SUFFIX;
import static io.vtep.bench.DataPathTopology.UNDERLAY_IF;
import static io.vtep.bench.DataPathTopology.VNI;
import static io.vtep.bench.DataPathTopology.VTEP_A_IP;
import static io.vtep.bench.DataPathTopology.VTEP_B_IP;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

import io.vtep.topology.Commands;
import io.vtep.topology.KernelVtep;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.Netns;
import io.vtep.topology.OpenVswitch;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;

/**
 * One implementation measured as VTEP A of {@link DataPathTopology}: started in VTEP A's namespace
 * on the access port {@code acc1} and the underlay {@code ul0} (192.0.2.1), VNI 100, flooding to
 * kernel VTEP B, and stopped again so that the next one finds the namespace as it was.
 */
sealed interface VtepA permits VtepA.Kernel, VtepA.Vtep, VtepA.Ovs
{
    /** "kernel", "vtep" or "ovs": the name in {@code --only}, the table and the JSON. */
    String name();

    /** What exactly runs, for the report. */
    String description();

    /** Why it cannot run on this machine (a missing package), or null. */
    default String unavailableReason()
    {
        return null;
    }

    void start(DataPathTopology net) throws Exception;

    /** The process whose CPU time is VTEP A's, while started; empty when there is none. */
    OptionalLong cpuPid();

    /** Why there is no CPU figure, when {@link #cpuPid()} is empty. */
    default String cpuNotApplicable()
    {
        return null;
    }

    /** Null while it runs, else what happened to it (a process that exited, with its last output). */
    String failure();

    /** Stops it and undoes what {@link #start} changed; never throws. */
    void stop(DataPathTopology net);

    /**
     * The three, in the table's order.
     *
     * @param vtepDataplane the body of vtep's {@code dataplane:} section, or null for its defaults
     */
    static List<VtepA> all(final String vtepDataplane)
    {
        return List.of(new Kernel(), new Vtep(vtepDataplane), new Ovs());
    }

    /** The last {@code n} lines of a process's output on one line each, for a failure reason. */
    private static String tail(final ManagedProcess p, final int n)
    {
        final List<String> lines = p.outputLines();
        return lines.subList(Math.max(0, lines.size() - n), lines.size()).stream().collect(Collectors.joining(" | "));
    }

    /** The Linux kernel: a vxlan device (learning, outer UDP checksum 0) and a bridge with acc1. */
    final class Kernel implements VtepA
    {
        private KernelVtep kernel;

        @Override
        public String name()
        {
            return "kernel";
        }

        @Override
        public String description()
        {
            return "Linux kernel VTEP: vxlan100 (dstport 4789, learning, noudpcsum) + bridge br0 with acc1, flood entry to 192.0.2.2";
        }

        @Override
        public void start(final DataPathTopology net)
        {
            kernel = net.topology.kernelVtep(net.vtepA).vni(VNI).localIp(VTEP_A_IP).learning(true).udpChecksum(false).create();
            kernel.attach(ACCESS_IF);
            kernel.addFloodEntry(VTEP_B_IP);
        }

        @Override
        public OptionalLong cpuPid()
        {
            return OptionalLong.empty();
        }

        @Override
        public String cpuNotApplicable()
        {
            return "the kernel forwards in softirq context, not in a process";
        }

        @Override
        public String failure()
        {
            return null;
        }

        @Override
        public void stop(final DataPathTopology net)
        {
            if (kernel != null)
            {
                net.vtepA.exec("ip", "link", "del", kernel.device());
                net.vtepA.exec("ip", "link", "del", kernel.bridge());
                kernel = null;
            }
        }
    }

    /** The appliance: {@code bin/vtep run --config FILE}, af-packet driver, static flood list. */
    final class Vtep implements VtepA
    {
        static final String CONFIG = """
            vtep:
              local-ip: %s
            ports:
              - name: %s
                driver: af-packet
                vlans: { untagged: %d }
            vnis:
              - vni: %d
                flood: [%s]
            """.formatted(VTEP_A_IP, ACCESS_IF, VNI, VNI, VTEP_B_IP);

        private final String config;
        private final String dataplane;
        private VtepProcess process;

        /** @param dataplane the body of the {@code dataplane:} section, or null for vtep's defaults */
        Vtep(final String dataplane)
        {
            this.dataplane = dataplane;
            this.config = dataplane == null ? CONFIG : CONFIG + "dataplane: { " + dataplane + " }\n";
        }

        @Override
        public String name()
        {
            return "vtep";
        }

        @Override
        public String description()
        {
            return "vtep: bin/vtep run --config FILE (af-packet driver on acc1, untagged -> VNI 100, flood list [192.0.2.2]" + (dataplane == null ?
                ", dataplane defaults)" : ", dataplane: { " + dataplane + " })");
        }

        @Override
        public void start(final DataPathTopology net)
        {
            process = net.topology.startVtep(net.vtepA, config);
        }

        @Override
        public OptionalLong cpuPid()
        {
            // bin/vtep execs the JVM and `ip netns exec` execs bin/vtep: the pid is the JVM's.
            return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
        }

        @Override
        public String failure()
        {
            if (process == null || process.isAlive())
            {
                return null;
            }
            return "vtep exited with " + process.exitCode().orElse(-1) + ": " + tail(process.process(), 5);
        }

        @Override
        public void stop(final DataPathTopology net)
        {
            if (process != null)
            {
                process.stop();
                process = null;
            }
        }
    }

    /**
     * Open vSwitch's userspace datapath: ovsdb-server and ovs-vswitchd started by hand inside VTEP
     * A's namespace with their database, sockets, pid and log files in a fresh directory of the
     * topology's work directory (nothing under /var/run/openvswitch, no system service). Two
     * {@code datapath_type=netdev} bridges, as in Open vSwitch's userspace tunnelling guide:
     * br-int with acc1 (a "system" port, read and written through AF_PACKET) and a vxlan port to
     * 192.0.2.2, key 100; br-phy with ul0, whose internal port takes over 192.0.2.1 (and ul0's MAC)
     * because the userspace datapath routes and resolves tunnel destinations through its own bridge
     * port. Defaults otherwise: no userspace TSO, no PMD tuning.
     */
    final class Ovs implements VtepA
    {
        private static int instances;

        private OpenVswitch ovs;

        @Override
        public String name()
        {
            return "ovs";
        }

        @Override
        public String description()
        {
            return "Open vSwitch " + OpenVswitch.version() + " userspace datapath (datapath_type=netdev): br-int with acc1 " +
                "(AF_PACKET) and vxlan port (remote_ip 192.0.2.2, key 100), br-phy with ul0 holding 192.0.2.1";
        }

        @Override
        public String unavailableReason()
        {
            return OpenVswitch.unavailableReason();
        }

        @Override
        public void start(final DataPathTopology net) throws Exception
        {
            final Netns ns = net.vtepA;
            final Path dir;
            synchronized (Ovs.class)
            {
                dir = net.topology.workDir().resolve("ovs-" + (++instances));
            }
            ovs = OpenVswitch.start(ns, dir);
            final String ul0Mac = ns.mac(UNDERLAY_IF);
            ovs.vsctl("add-br", "br-phy", "--", "set", "bridge", "br-phy", "datapath_type=netdev",
                "other-config:hwaddr=" + ul0Mac, "--", "add-port", "br-phy", UNDERLAY_IF);
            ns.ip("addr", "del", VTEP_A_IP + UNDERLAY_CIDR_SUFFIX, "dev", UNDERLAY_IF);
            ns.ip("addr", "add", VTEP_A_IP + UNDERLAY_CIDR_SUFFIX, "dev", "br-phy");
            ns.up("br-phy");
            ovs.vsctl("add-br", "br-int", "--", "set", "bridge", "br-int", "datapath_type=netdev",
                "--", "add-port", "br-int", ACCESS_IF,
                "--", "add-port", "br-int", "vx0", "--", "set", "interface", "vx0", "type=vxlan",
                "options:remote_ip=" + VTEP_B_IP, "options:key=" + VNI, "options:dst_port=4789");
        }

        @Override
        public OptionalLong cpuPid()
        {
            return ovs == null ? OptionalLong.empty() : OptionalLong.of(ovs.pid());
        }

        @Override
        public String cpuNotApplicable()
        {
            return "ovs-vswitchd is not running";
        }

        @Override
        public String failure()
        {
            return ovs == null ? null : ovs.failure();
        }

        @Override
        public void stop(final DataPathTopology net)
        {
            // The userspace datapath's internal ports are tap devices that go with the process.
            if (ovs != null)
            {
                ovs.close();
                ovs = null;
            }
            final Netns ns = net.vtepA;
            for (final String tap : List.of("br-int", "br-phy", "ovs-netdev"))
            {
                if (ns.interfaces().contains(tap))
                {
                    ns.exec("ip", "link", "del", tap);
                }
            }
            ns.exec("ip", "link", "set", "dev", UNDERLAY_IF, "promisc", "off");
            ns.exec("ip", "link", "set", "dev", ACCESS_IF, "promisc", "off");
            ns.exec("ip", "addr", "replace", VTEP_A_IP + UNDERLAY_CIDR_SUFFIX, "dev", UNDERLAY_IF);
        }
    }
}
