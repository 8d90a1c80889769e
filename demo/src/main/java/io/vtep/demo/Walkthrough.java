package io.vtep.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.vtep.topology.Commands;
import io.vtep.topology.ExecResult;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.Requirements;
import io.vtep.topology.Topology;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;

/**
 * The demo's steps, in order: the topology, vtep's (and FRR's) configuration, starting them, then
 * what a newcomer wants to see: ARP and ping across the overlay, a TCP transfer, both FDBs, the per-VNI
 * counters (with --evpn also the BGP session and the EVPN routes on both sides). Every traffic check
 * is real: a step that fails throws, with a message saying what did not work.
 */
final class Walkthrough
{
    private static final Duration VTEP_START = Duration.ofSeconds(90);
    private static final Duration SESSION_UP = Duration.ofSeconds(30);
    private static final Duration ROUTE_ARRIVES = Duration.ofSeconds(15);

    private final DemoOptions options;
    private final Console console;
    private final Topology topology;
    private final Path workDir;
    private final Path launcher;
    private DemoNetwork net;
    private Underlay underlay;
    private volatile ManagedProcess vtep;
    private volatile FrrRouter frr;

    Walkthrough(final DemoOptions options, final Console console, final Topology topology)
    {
        this.options = options;
        this.console = console;
        this.topology = topology;
        this.workDir = topology.workDir();
        this.launcher = console.launcher();
    }

    /** The launcher builds the jars on its first run; done here, visibly, before any namespace exists. */
    static void buildIfNeeded(final Console console)
    {
        final Path launcher = console.launcher();
        if (!Files.isRegularFile(VtepProcess.repositoryRoot().resolve("vtep-core/target/vtep-core.jar")))
        {
            console.say("First run on this clone: building vtep with the Maven wrapper (a few minutes, once)...");
        }
        final ExecResult version = Commands.run(Duration.ofMinutes(15), List.of(launcher.toString(), "version"));
        if (!version.ok())
        {
            throw new IllegalStateException("could not build or start vtep:\n" + version.stdout() + version.stderr());
        }
        console.say("Using " + version.stdout().strip() + " (" + launcher + ").");
    }

    void run() throws IOException
    {
        net = new DemoNetwork(topology, options);
        underlay = net.underlay;
        showTopology();
        writeVtepConfig();
        if (options.evpn())
        {
            startFrr();
        }
        startVtep();
        if (options.evpn())
        {
            showBgpSession();
        }
        showArp();
        showPing();
        if (options.evpn())
        {
            showEvpnRoutes();
        }
        showTcpTransfer();
        if (options.vlan())
        {
            showVlan();
        }
        showFdbs();
        showCounters();
        showNext();
    }

    // ── the topology and the daemons ─────────────────────────────────────────────────────────────

    private void showTopology()
    {
        console.step("Topology: network namespaces " + topology.prefix() + "-*");
        String bum = "flood lists (head-end replication)";
        if (options.multicast())
        {
            bum = "multicast group " + underlay.group();
        }
        if (options.evpn())
        {
            bum = "head-end replication to the VTEPs BGP EVPN announces";
        }
        // ASCII only: the columns line up whatever the terminal's locale.
        columns("h1 10.0.0.1 (" + DemoNetwork.H1_MAC + ")", "h2 10.0.0.2 (" + DemoNetwork.H2_MAC + ")");
        columns("| eth0", "| eth0");
        columns("| acc1: vtep's access port", "| acc2");
        console.note(underlayWire("vtep " + underlay.vtepIp(), "Linux kernel VTEP " + underlay.kernelIp()));
        if (options.evpn())
        {
            columns("this VTEP (Java), BGP AS " + DemoNetwork.ASN, "vxlan" + DemoNetwork.VNI + " (nolearning) in bridge br0,");
            columns("", "FRR (zebra + bgpd) AS " + DemoNetwork.ASN);
            console.say("  vtep and FRR peer over iBGP (l2vpn evpn); neither side has a flood list or learns from VXLAN packets.");
        }
        else
        {
            columns("this VTEP (Java)", "vxlan" + DemoNetwork.VNI + " in bridge br0");
        }
        console.say("  VNI " + DemoNetwork.VNI + ", VXLAN on UDP 4789, BUM through " + bum + "; hosts' MTU " + underlay.hostMtu());
        if (options.vlan())
        {
            console.say("  VLAN " + DemoNetwork.VLAN + " on acc1 -> VNI " + DemoNetwork.VLAN_VNI + ": h1 also speaks as 10.0.200.1 (" +
                DemoNetwork.TAGGED_MAC + ") in 802.1Q-tagged frames");
            console.say("  built by scapy (this kernel has no VLAN devices); behind the kernel VTEP, vxlan" + DemoNetwork.VLAN_VNI +
                " in bridge br1");
            console.say("  -acc3- h3 10.0.200.2 (" + DemoNetwork.H3_MAC + ")");
        }
        console.note("[h1]$ CMD below means: ip netns exec " + topology.prefix() + "-h1 CMD");
    }

    private void columns(final String left, final String right)
    {
        console.note(String.format("%-49s%s", left, right));
    }

    /** "LEFT ul0 ===== underlay ===== ul0 RIGHT", RIGHT starting in the second column (49). */
    private static String underlayWire(final String leftEnd, final String rightEnd)
    {
        final String left = leftEnd + " ul0 ";
        final String label = " underlay ";
        final int width = 49 - left.length() - 4;
        final int half = (width - label.length()) / 2;
        return left + "=".repeat(Math.max(0, half)) + label + "=".repeat(Math.max(0, width - label.length() - half)) + " ul0 " + rightEnd;
    }

    private Path vtepConfig()
    {
        return workDir.resolve("vtep.yaml");
    }

    private Path vtepLog()
    {
        return workDir.resolve("vtep.log");
    }

    private void writeVtepConfig() throws IOException
    {
        final String yaml = VtepConfig.yaml(options, underlay);
        Files.writeString(vtepConfig(), yaml);
        console.step("vtep's configuration (" + vtepConfig() + ")");
        console.indent(yaml);
    }

    /**
     * vtep as {@code bin/vtep run --config FILE} in the vtep namespace, its output in a log file, in
     * its own session (setsid): a Ctrl-C in the terminal reaches only the demo, which then stops vtep
     * in order, and a topology kept with --keep keeps its vtep after the demo's JVM exits.
     */
    private void startVtep() throws IOException
    {
        Files.writeString(vtepLog(), "");
        console.step("Starting vtep in namespace " + net.vtep.name());
        console.note("[vtep]$ bin/vtep run --config " + vtepConfig() + "   (log: " + vtepLog() + ")");
        vtep = net.vtep.spawn("vtep in " + net.vtep.name(), List.of("setsid", "sh", "-c", "log=$1; shift; exec \"$@\" >\"$log\" 2>&1",
            "sh", vtepLog().toString(), launcher.toString(), "run", "--config", vtepConfig().toString()));
        final String started = Wait.until(VTEP_START, () ->
        {
            if (!vtep.isAlive())
            {
                throw new IllegalStateException("vtep exited during startup; its log says:\n" + readLog());
            }
            return readLog().lines().filter(l -> l.contains("vtep started")).findFirst().orElse(null);
        }, l -> l != null, "vtep to log 'vtep started' (log: " + vtepLog() + ")");
        console.indent(started);
    }

    private String readLog()
    {
        try
        {
            return Files.readString(vtepLog());
        }
        catch (final IOException e)
        {
            return "";
        }
    }

    /** FRR's files: {@code <work dir>/frr/<namespace>/} holds the configs, pid files, zserv socket and vty sockets. */
    private Path frrDir()
    {
        return workDir.resolve("frr").resolve(net.kvtep.name());
    }

    private void startFrr()
    {
        final String bgpd = VtepConfig.frrBgpd(underlay);
        final Path dir = frrDir();
        console.step("FRR's configuration (" + dir.resolve("bgpd.conf") + ")");
        console.indent(bgpd);
        console.say("  iBGP to vtep with the l2vpn evpn address family only; advertise-all-vni: announce every VNI");
        console.say("  zebra finds on the kernel's vxlan devices. Timers 3 9 as vtep's hold-time 9; connect retry 1 s.");

        final String ns = net.kvtep.name();
        console.step("Starting FRR in namespace " + ns + ": zebra, then bgpd");
        console.note("[kvtep]$ " + FrrRouter.DAEMON_DIR + "/zebra -N " + ns + " -f " + dir + "/zebra.conf -i " + dir + "/zebra.pid \\");
        console.note("            -z " + dir + "/zserv.api --vty_socket " + dir + " -u root -g " + FrrRouter.VTY_GROUP + " -P 0 \\");
        console.note("            --log file:" + dir + "/zebra.log &");
        console.note("[kvtep]$ " + FrrRouter.DAEMON_DIR + "/bgpd  (the same options, bgpd.conf, bgpd.pid and bgpd.log)");
        frr = topology.frr(net.kvtep).zebraConfig("hostname kvtep\n").bgpdConfig(bgpd).logToFiles().start();
        console.say("  zebra reads the kernel's vxlan100 and bridge br0 and hands VNI " + DemoNetwork.VNI + " to bgpd; it installs what bgpd");
        console.say("  learns as kernel FDB entries. vtysh below means: vtysh -N " + ns + " --vty_socket " + dir.getParent());
        console.say("  --config_dir " + dir.getParent());
    }

    // ── BGP EVPN (--evpn) ───────────────────────────────────────────────────────────────────────

    private void showBgpSession()
    {
        final VtepApi api = new VtepApi(net.vtep);
        final String kernelIp = underlay.kernelIp();
        final String vtepIp = underlay.vtepIp();
        console.step("BGP session vtep <-> FRR");
        console.say("  vtep connects to FRR on TCP 179; after OPEN and KEEPALIVE the session is Established and each");
        console.say("  side sends an inclusive multicast route (type 3) for VNI " + DemoNetwork.VNI + ": \"flood BUM for this VNI to me\".");
        Wait.until(SESSION_UP, () -> api.get("/api/v1/bgp").matches("(?s).*\"address\":\"" + kernelIp + "\",.*\"state\":\"Established\".*"),
            "the BGP session to be Established (vtep's log: " + vtepLog() + ")");
        Wait.until(ROUTE_ARRIVES, () -> api.get("/api/v1/vnis?vni=" + DemoNetwork.VNI).contains("\"flood\":[\"" + kernelIp + "\"]"),
            "vtep's flood list to hold " + kernelIp + " (FRR's type-3 route)");
        Wait.until(ROUTE_ARRIVES, () -> net.kernelVni.floodList().contains(vtepIp),
            "zebra to put " + vtepIp + " in the kernel's flood list (vtep's type-3 route)");
        requireOk(console.runIn(net.vtep, launcher.toString(), "bgp", "summary"), "bin/vtep bgp summary failed");
        showVtysh("show bgp l2vpn evpn summary");
        console.say("  FRR's State/PfxRcd column shows the prefixes received once a session is Established.");
    }

    private void showEvpnRoutes()
    {
        final VtepApi api = new VtepApi(net.vtep);
        console.step("EVPN routes on both sides");
        console.say("  The ping taught each VTEP its local host's MAC (h1 on vtep's acc1, h2 on the kernel's bridge);");
        console.say("  each announced it as a MAC/IP route (type 2), next to the type-3 routes from the start.");
        Wait.until(ROUTE_ARRIVES, () -> frr.vtyshResult("show bgp l2vpn evpn route type macip").stdout()
            .contains("[" + DemoNetwork.H1_MAC + "]"), "FRR to receive vtep's type-2 route for h1 (" + DemoNetwork.H1_MAC + ")");
        Wait.until(ROUTE_ARRIVES, () -> api.get("/api/v1/bgp/routes?vni=" + DemoNetwork.VNI).toLowerCase()
            .matches("(?s).*\"type\":2,[^}]*\"mac\":\"" + DemoNetwork.H2_MAC + "\".*"),
            "vtep to receive FRR's type-2 route for h2 (" + DemoNetwork.H2_MAC + ")");
        requireOk(console.runIn(net.vtep, launcher.toString(), "bgp", "routes"), "bin/vtep bgp routes failed");
        console.say("  * = best path; \"from local\" = vtep's own routes, \"from " + underlay.kernelIp() + "\" = learned from FRR.");
        showVtysh("show bgp l2vpn evpn route");
        console.say("  [2]:[0]:[48]:[MAC] = a MAC route (type 2), [3]:[0]:[32]:[IP] = a VTEP's flood route (type 3);");
        console.say("  \"i\" = learned over iBGP, next hop = the VTEP that has the MAC.");
    }

    private void showVtysh(final String command)
    {
        console.note("[kvtep]$ vtysh -c '" + command + "'");
        final ExecResult result = frr.vtyshResult(command);
        console.indent((result.stdout() + result.stderr()).replaceAll("(?m)^\\s*\n", ""));
    }

    // ── traffic ─────────────────────────────────────────────────────────────────────────────────

    private void showArp()
    {
        console.step("ARP across the overlay: h1 asks who has 10.0.0.2");
        console.say("  h1's neighbour table before:");
        final String before = net.h1.netns().exec("ip", "neigh", "show", "dev", "eth0").stdout();
        console.indent(before.isBlank() ? "(empty)" : before);
        if (options.evpn())
        {
            console.say("  h1 pings once: its ARP broadcast enters vtep on acc1 and is flooded over VXLAN to the VTEPs in");
            console.say("  VNI " + DemoNetwork.VNI + "'s flood list, which BGP filled (FRR's type-3 route); h2's reply comes back the same way.");
        }
        else
        {
            console.say("  h1 pings once: its ARP broadcast enters vtep on acc1, is flooded to the kernel VTEP over VXLAN,");
            console.say("  and h2's reply comes back the same way.");
        }
        requireOk(net.h1.netns().exec(Duration.ofSeconds(10), "ping", "-n", "-c", "1", "-W", "2", "10.0.0.2"),
            "h1 got no answer from 10.0.0.2 across the overlay");
        console.runIn(net.h1.netns(), "ip", "neigh", "show", "dev", "eth0");
        console.say("  (h2's MAC is " + DemoNetwork.H2_MAC + ")");
    }

    private void showPing()
    {
        console.step("Ping h1 → h2 across the overlay");
        requireOk(console.runIn(net.h1.netns(), "ping", "-n", "-c", "5", "-i", "0.2", "10.0.0.2"), "ping h1 → h2 lost packets");
    }

    private void showTcpTransfer()
    {
        console.step("TCP transfer h1 → h2: iperf3 for 3 seconds");
        net.h2.iperf3Server();
        requireOk(console.runIn(net.h1.netns(), "iperf3", "-c", "10.0.0.2", "-t", "3", "-f", "m"), "the TCP transfer h1 → h2 failed");
    }

    private void showVlan()
    {
        final int vlan = DemoNetwork.VLAN;
        final String mac = DemoNetwork.TAGGED_MAC;
        console.step("VLAN " + vlan + " on the same access port → VNI " + DemoNetwork.VLAN_VNI);
        console.say("  h1 sends 802.1Q-tagged frames (VLAN " + vlan + ") as 10.0.200.1 (" + mac + "); vtep maps (acc1, VLAN " + vlan + ")");
        console.say("  to VNI " + DemoNetwork.VLAN_VNI + ", strips the tag, and puts it back on what comes back. h3 behind the kernel VTEP answers.");
        final String script =
            """
                from scapy.all import *
                import sys, time
                conf.verb = 0
                print("  [h1] ARP who-has 10.0.200.2, tagged VLAN %1$d, from %2$s")
                ans, _ = srp(Ether(src='%2$s', dst='ff:ff:ff:ff:ff:ff')/Dot1Q(vlan=%1$d)/ARP(op=1, hwsrc='%2$s', psrc='10.0.200.1', pdst='10.0.200.2'), iface='eth0', timeout=5)
                macs = []
                for _, r in ans:
                    vlan = r[Dot1Q].vlan if Dot1Q in r else 'none (untagged)'
                    print("    reply: 10.0.200.2 is-at %%s, VLAN %%s" %% (r[ARP].hwsrc, vlan))
                    macs.append(r[ARP].hwsrc)
                if not macs:
                    print("    no ARP reply on VLAN %1$d"); sys.exit(1)
                print("  [h1] ICMP echo to 10.0.200.2, tagged VLAN %1$d (3 times)")
                ok = 0
                for seq in range(1, 4):
                    ans, _ = srp(Ether(src='%2$s', dst=macs[0])/Dot1Q(vlan=%1$d)/IP(src='10.0.200.1', dst='10.0.200.2')/ICMP(id=0x7e7, seq=seq), iface='eth0', timeout=3)
                    for s, r in ans:
                        vlan = r[Dot1Q].vlan if Dot1Q in r else 'none (untagged)'
                        print("    echo reply from %%s seq=%%d, VLAN %%s, time=%%.1f ms (scapy's own overhead included)" %% (r[IP].src, seq, vlan, (r.time - s.sent_time) * 1000))
                        ok += 1
                print("    %%d of 3 echo requests answered" %% ok)
                sys.exit(0 if ok == 3 else 1)
                """
                .formatted(vlan, mac);
        final ExecResult result = net.h1.netns().exec(Duration.ofSeconds(60), Requirements.SYSTEM_PYTHON, "-c", script);
        console.show(result);
        requireOk(result, "the VLAN " + vlan + " exchange with h3 failed");
    }

    // ── what the VTEPs know ──────────────────────────────────────────────────────────────────────

    private void showFdbs()
    {
        final String vtepIp = underlay.vtepIp();
        console.step("FDB: vtep's view");
        requireOk(console.runIn(net.vtep, launcher.toString(), "fdb", "show"), "bin/vtep fdb show failed");
        if (options.evpn())
        {
            console.say("  local = learned on an access port (and announced over BGP); evpn = installed from FRR's type-2");
            console.say("  route, with the VTEP to send to: never aged, removed when the route is withdrawn.");
        }
        else
        {
            console.say("  local = learned on an access port; remote = learned from VXLAN packets, with the sending VTEP.");
        }

        console.step("FDB: the Linux kernel VTEP's view");
        console.runIn(net.kvtep, "bridge", "fdb", "show", "dev", "vxlan" + DemoNetwork.VNI);
        if (options.vlan())
        {
            console.runIn(net.kvtep, "bridge", "fdb", "show", "dev", "vxlan" + DemoNetwork.VLAN_VNI);
        }
        if (options.evpn())
        {
            console.say("  Both installed by zebra from vtep's routes: \"dst " + vtepIp + " self extern_learn\": h1's MAC lives behind");
            console.say("  vtep (type 2); 00:00:00:00:00:00 dst " + vtepIp + ": the flood list (type 3). The kernel learned nothing itself.");
        }
        else if (options.multicast())
        {
            console.say("  \"dst " + vtepIp + " self\": h1's MAC lives behind vtep; 00:00:00:00:00:00 dst " + underlay.group() + ": where BUM goes.");
        }
        else
        {
            console.say("  \"dst " + vtepIp + " self\": h1's MAC lives behind vtep; 00:00:00:00:00:00: the flood list (head-end replication).");
        }
        console.say("  \"master br0\": the bridge's own entries for the port (learned, or the vxlan device's own MAC).");
    }

    private void showCounters()
    {
        console.step("Per-VNI counters");
        requireOk(console.runIn(net.vtep, launcher.toString(), "vni", "list"), "bin/vtep vni list failed");
        console.say("  access = frames on the access ports, overlay = VXLAN packets on the underlay; FLOODS = BUM frames");
        console.say("  replicated (the ARP broadcast); DROPS = dropped frames, by reason in /metrics.");
        if (options.evpn())
        {
            console.say("  LEARNING evpn: the overlay side learns nothing from packets; FLOOD came from BGP. FLOODS also counts");
            console.say("  frames for h2 sent before FRR's type-2 route for h2 arrived (unknown unicast, flooded like BUM).");
        }
    }

    private void showNext()
    {
        console.step("Where to look next");
        if (Commands.resolveExecutable("curl").isPresent())
        {
            console.say("  Prometheus metrics on " + VtepConfig.API + "/metrics inside the vtep namespace, for example:");
            console.runPipelineIn(net.vtep, "curl -s " + VtepConfig.API + "/metrics | grep -E '^vtep_vni_(rx|tx)_packets_total'");
        }
        else
        {
            console.say("  Prometheus metrics: GET " + VtepConfig.API + "/metrics inside the vtep namespace (curl is not installed here).");
        }
        console.note("- Every configuration key: README.md, \"Configuration reference\" (" + VtepProcess.repositoryRoot().resolve("README.md") + ")");
        console.note("- Run it on your own interfaces: bin/vtep run --config FILE (needs CAP_NET_RAW)");
        console.note("- Keep this topology to poke at it: bin/vtep demo" + (options.evpn() ? " --evpn" : "") +
            " --keep   (then bin/vtep demo --down)");
    }

    /** After a --keep run: what runs where, and commands to poke at it. */
    void keepInstructions()
    {
        final String prefix = topology.prefix();
        console.say("");
        console.say("=== The topology stays up (--keep) ===");
        console.note("vtep runs as pid " + vtep.pid() + " in namespace " + prefix + "-vtep; its log: " + vtepLog());
        console.note("Poke at it:");
        console.note("  sudo ip netns exec " + prefix + "-h1 ping 10.0.0.2");
        console.note("  sudo ip netns exec " + prefix + "-vtep tcpdump -ni ul0 udp port 4789");
        console.note("  sudo ip netns exec " + prefix + "-vtep curl -s " + VtepConfig.API + "/metrics");
        console.note("  sudo ip netns exec " + prefix + "-vtep bin/vtep fdb show");
        console.note("  sudo ip netns exec " + prefix + "-vtep bin/vtep vni list");
        console.note("  sudo ip netns exec " + prefix + "-kvtep bridge fdb show dev vxlan" + DemoNetwork.VNI);
        if (options.evpn())
        {
            final Path base = frrDir().getParent();
            console.note("  sudo ip netns exec " + prefix + "-vtep bin/vtep bgp summary");
            console.note("  sudo ip netns exec " + prefix + "-vtep bin/vtep bgp routes");
            console.note("  sudo ip netns exec " + prefix + "-kvtep vtysh -N " + prefix + "-kvtep --vty_socket " + base + " --config_dir " + base +
                " -c 'show bgp l2vpn evpn route'");
            console.note("FRR's logs: " + frrDir().resolve("zebra.log") + " and bgpd.log");
        }
        console.note("Remove it (and stop its vtep" + (options.evpn() ? " and FRR" : "") + "):");
        console.note("  sudo bin/vtep demo --down");
    }

    // ── for the cleanup ─────────────────────────────────────────────────────────────────────────

    /** After a failure: the last lines of vtep's log, which usually say why. */
    void showVtepLogTail()
    {
        final List<String> lines = readLog().lines().toList();
        if (!lines.isEmpty())
        {
            console.say("--- last lines of vtep's log (" + vtepLog() + ") ---");
            console.indent(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        }
    }

    /** vtep first (an orderly stop), then FRR; each says so. The topology's teardown does the rest. */
    void stopDaemons()
    {
        final ManagedProcess running = vtep;
        if (running != null)
        {
            console.say("vtep stopped (exit " + running.stop(VtepProcess.STOP_GRACE) + ")");
        }
        final FrrRouter router = frr;
        if (router != null)
        {
            router.close();
            console.say("FRR stopped (bgpd, zebra)");
        }
    }

    private static void requireOk(final ExecResult result, final String failure)
    {
        if (!result.ok())
        {
            throw new IllegalStateException(failure);
        }
    }
}
