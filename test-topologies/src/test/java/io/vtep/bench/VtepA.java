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
        static final List<String> TOOLS = List.of("ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-appctl");
        static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
        private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
        private static int instances;

        private Path dir;
        private ManagedProcess ovsdb;
        private ManagedProcess vswitchd;

        @Override
        public String name()
        {
            return "ovs";
        }

        @Override
        public String description()
        {
            return "Open vSwitch " + version() + " userspace datapath (datapath_type=netdev): br-int with acc1 (AF_PACKET) " +
                "and vxlan port (remote_ip 192.0.2.2, key 100), br-phy with ul0 holding 192.0.2.1";
        }

        private static String version()
        {
            try
            {
                final String out = Commands.run(Duration.ofSeconds(10), List.of("ovs-vswitchd", "--version")).stdout();
                final String first = out.lines().findFirst().orElse("");
                return first.replaceAll(".*\\)\\s*", "").strip();
            }
            catch (final RuntimeException ex)
            {
                return "?";
            }
        }

        @Override
        public String unavailableReason()
        {
            final List<String> missing = new ArrayList<>();
            for (final String tool : TOOLS)
            {
                if (Commands.resolveExecutable(tool).isEmpty())
                {
                    missing.add(tool);
                }
            }
            if (!missing.isEmpty())
            {
                return "Open vSwitch is not installed (" + String.join(", ", missing) + " not found; Debian package openvswitch-switch)";
            }
            if (!Files.isRegularFile(SCHEMA))
            {
                return "Open vSwitch's database schema " + SCHEMA + " is missing (Debian package openvswitch-switch)";
            }
            return null;
        }

        @Override
        public void start(final DataPathTopology net) throws Exception
        {
            final Netns ns = net.vtepA;
            synchronized (Ovs.class)
            {
                dir = net.topology.workDir().resolve("ovs-" + (++instances));
            }
            Files.createDirectories(dir);
            final String db = dir.resolve("conf.db").toString();
            final String dbSock = dir.resolve("db.sock").toString();
            final Path vswitchdCtl = dir.resolve("ovs-vswitchd.ctl");
            ns.execOk("ovsdb-tool", "create", db, SCHEMA.toString());
            // OVS_RUNDIR and friends keep the bridges' management sockets and anything else the
            // daemons would put under /var/run/openvswitch in this directory.
            final List<String> env = List.of("env", "OVS_RUNDIR=" + dir, "OVS_LOGDIR=" + dir, "OVS_DBDIR=" + dir,
                "OVS_SYSCONFDIR=" + dir);
            final List<String> server = new ArrayList<>(env);
            server.addAll(List.of("ovsdb-server", db, "--remote=punix:" + dbSock,
                "--unixctl=" + dir.resolve("ovsdb-server.ctl"), "--pidfile=" + dir.resolve("ovsdb-server.pid"),
                "--log-file=" + dir.resolve("ovsdb-server.log")));
            ovsdb = ns.spawn("ovsdb-server in " + ns.name(), server);
            Wait.until(START_TIMEOUT, () -> Files.exists(Path.of(dbSock)) || !ovsdb.isAlive(), "ovsdb-server's socket " + dbSock);
            vsctl(ns, "--no-wait", "init");
            final List<String> daemon = new ArrayList<>(env);
            daemon.addAll(List.of("ovs-vswitchd", "unix:" + dbSock, "--unixctl=" + vswitchdCtl,
                "--pidfile=" + dir.resolve("ovs-vswitchd.pid"), "--log-file=" + dir.resolve("ovs-vswitchd.log")));
            vswitchd = ns.spawn("ovs-vswitchd in " + ns.name(), daemon);
            Wait.until(START_TIMEOUT, () -> Files.exists(vswitchdCtl) || !vswitchd.isAlive(), "ovs-vswitchd's control socket");
            if (failure() != null)
            {
                throw new IllegalStateException(failure());
            }
            final String ul0Mac = ns.mac(UNDERLAY_IF);
            vsctl(ns, "add-br", "br-phy", "--", "set", "bridge", "br-phy", "datapath_type=netdev",
                "other-config:hwaddr=" + ul0Mac, "--", "add-port", "br-phy", UNDERLAY_IF);
            ns.ip("addr", "del", VTEP_A_IP + UNDERLAY_CIDR_SUFFIX, "dev", UNDERLAY_IF);
            ns.ip("addr", "add", VTEP_A_IP + UNDERLAY_CIDR_SUFFIX, "dev", "br-phy");
            ns.up("br-phy");
            vsctl(ns, "add-br", "br-int", "--", "set", "bridge", "br-int", "datapath_type=netdev",
                "--", "add-port", "br-int", ACCESS_IF,
                "--", "add-port", "br-int", "vx0", "--", "set", "interface", "vx0", "type=vxlan",
                "options:remote_ip=" + VTEP_B_IP, "options:key=" + VNI, "options:dst_port=4789");
        }

        private void vsctl(final Netns ns, final String... args)
        {
            final List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + dir.resolve("db.sock"), "--timeout=20"));
            cmd.addAll(List.of(args));
            ns.execOk(Duration.ofSeconds(30), cmd.toArray(String[]::new));
        }

        @Override
        public OptionalLong cpuPid()
        {
            return vswitchd == null ? OptionalLong.empty() : OptionalLong.of(vswitchd.pid());
        }

        @Override
        public String cpuNotApplicable()
        {
            return "ovs-vswitchd is not running";
        }

        @Override
        public String failure()
        {
            if (ovsdb != null && !ovsdb.isAlive())
            {
                return "ovsdb-server exited with " + ovsdb.exitCode().orElse(-1) + ": " + tail(ovsdb, 5);
            }
            if (vswitchd != null && !vswitchd.isAlive())
            {
                return "ovs-vswitchd exited with " + vswitchd.exitCode().orElse(-1) + ": " + tail(vswitchd, 5);
            }
            return null;
        }

        @Override
        public void stop(final DataPathTopology net)
        {
            // The userspace datapath's internal ports are tap devices that go with the process.
            if (vswitchd != null)
            {
                vswitchd.stop(Duration.ofSeconds(5));
                vswitchd = null;
            }
            if (ovsdb != null)
            {
                ovsdb.stop(Duration.ofSeconds(5));
                ovsdb = null;
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
