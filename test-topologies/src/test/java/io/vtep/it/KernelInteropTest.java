package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.vtep.metrics.Side;
import io.vtep.topology.Host;
import io.vtep.topology.Iperf3Result;
import io.vtep.topology.Json;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.TcpTransfer;
import io.vtep.topology.Tshark;
import io.vtep.topology.VlanTagging;
import io.vtep.topology.VxlanRecord;
import io.vtep.topology.Wait;

/**
 * vtep against a Linux kernel VTEP with static flood lists (issue proofs 1 and 2): ARP, ping both
 * ways, 10 s of iperf3 TCP, both FDBs, and the packets on the underlay as tshark decodes them.
 */
class KernelInteropTest extends KernelPeerTest
{

    @Override
    protected void requirements()
    {
        Requirements.requireTools("ping", "iperf3", "tshark");
    }

    @Test
    void arpPingAndTcpAcrossWithBothFdbsLearned() throws Exception
    {
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs, net.vtepConfig(""));

        final PingResult ping = net.h1.ping("10.0.0.2", 3);
        assertEquals(3, ping.received(), () -> "h1 -> h2: " + ping + "\n" + topology.diagnostics());
        assertEquals(net.h2.mac(), net.h1.arpEntry("10.0.0.2").orElseThrow(), "ARP resolved across the overlay");
        final PingResult back = net.h2.ping("10.0.0.1", 3);
        assertEquals(3, back.received(), () -> "h2 -> h1: " + back);
        final PingResult large = net.h1.ping("10.0.0.2", 2, List.of("-s", "1400", "-M", "do"));
        assertEquals(2, large.received(), "a 1428-byte IP packet fits the 1450 overlay MTU unfragmented");

        assertEquals("remote " + KernelPeerTopology.KERNEL_IP, vtep.entry(KernelPeerTopology.VNI, net.h2.mac()));
        assertEquals("local acc1", vtep.entry(KernelPeerTopology.VNI, net.h1.mac()));
        assertEquals(KernelPeerTopology.VTEP_IP, net.kernel.remoteVtepOf(net.h1.mac()).orElseThrow(),
            "the kernel learned h1 behind vtep");

        final ManagedProcess server = net.h2.iperf3Server();
        Wait.until(Duration.ofSeconds(10), () -> net.h2.netns().exec("ss", "-ltn").stdout().contains(":5201"), "iperf3 server listening");
        final Iperf3Result tcp = net.h1.iperf3Client("10.0.0.2", 10);
        server.stop();
        assertTrue(tcp.receivedBytes() > 1_000_000, () -> "TCP moved only " + tcp.receivedBytes() + " bytes");
        final List<?> intervals = (List<?>)Json.at(Json.parse(tcp.json()), "intervals");
        assertTrue(intervals.size() >= 9, "iperf3 reported every second");
        for (final Object interval : intervals)
        {
            final double bitsPerSecond = Json.number(interval, "sum", "bits_per_second");
            assertTrue(bitsPerSecond > 0, () -> "a one-second interval moved nothing (a stall): " + tcp.json());
        }
        System.out.printf("vtep <-> kernel VTEP iperf3 TCP 10 s: %.1f Mbit/s, %d retransmits%n",
            tcp.receivedBitsPerSecond() / 1e6, tcp.retransmits());

        assertTrue(vtep.rxPackets(KernelPeerTopology.VNI, Side.ACCESS) > 1000);
        assertTrue(vtep.txPackets(KernelPeerTopology.VNI, Side.OVERLAY) > 1000);
        assertTrue(vtep.rxPackets(KernelPeerTopology.VNI, Side.OVERLAY) > 1000);
        assertTrue(vtep.floods(KernelPeerTopology.VNI) >= 1, "the first ARP request was flooded");
    }

    /**
     * Hosts at Linux's default offloads (checksum offload, TSO/GSO: what every VM, container or
     * server on a veth/tap has) hand vtep partially checksummed frames and 64 KiB super-frames, and
     * the kernel VTEP on its veth underlay sends vtep GSO packets whole. 64 MB of random bytes must
     * arrive intact both ways, and UDP must arrive both ways.
     */
    @Test
    void hostsWithDefaultOffloadsMoveTcpIntactAndUdpBothWays() throws Exception
    {
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs, net.vtepConfig(""));
        assertTrue(net.h1.ping("10.0.0.2", 2).allReceived(), () -> "ping h1 -> h2\n" + topology.diagnostics());

        final java.nio.file.Path file = topology.workDir().resolve("random-64m");
        final TcpTransfer.Result sent = TcpTransfer.randomFile(file, 64L << 20, 7);
        final List<TcpTransfer.Result> received = TcpTransfer.bothWays(net.h1, net.h2, 5001, file);
        assertEquals(sent, received.get(0), "h1 -> h2 through vtep's access side (offloaded frames finished and segmented)");
        assertEquals(sent, received.get(1), "h2 -> h1 (the kernel VTEP's GSO packets delivered to h1)");
        assertTrue(vtep.appliance().underlayGsoSegments() > 10_000,
            () -> "h1's super-frames left as UDP GSO datagrams: " + vtep.appliance().underlayGsoSegments() + " segments");

        udpBothWays(net.h1);
        assertEquals(0, vtep.drops(io.vtep.metrics.DropReason.BAD_OFFLOAD), "no offloaded frame refused");
    }

    /**
     * UDP segmentation offload from a host ({@code UDP_SEGMENT}, udp(7)): h1 hands its veth one
     * 60,000-byte datagram that stands for 50 datagrams of 1,200 bytes, and the veth keeps it whole
     * (GSO type UDP_L4 in the virtio-net header vtep reads). vtep cuts each into its datagrams and
     * encapsulates them; h2 must receive every one of the 5,000, each with the bytes it was sent
     * with, while h1's interface counted far fewer packets than that: the super-frames reached vtep.
     */
    @Test
    void udpSegmentationOffloadFromAHostArrivesAsItsDatagrams() throws Exception
    {
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs, net.vtepConfig(""));
        assertTrue(net.h1.ping("10.0.0.2", 2).allReceived(), () -> "ping h1 -> h2\n" + topology.diagnostics());
        final String receiver = """
            import socket, struct
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)  # SO_RCVBUFFORCE (root): past rmem_max, so no datagram is lost to a full buffer
            s.bind(('10.0.0.2', 6001)); s.settimeout(3); print('listening', flush=True)
            seen, bad = set(), 0
            try:
                while True:
                    d = s.recv(65535); seq = struct.unpack('!I', d[:4])[0]
                    if len(d) != 1200 or d[4:] != bytes([seq & 0xff]) * 1196: bad += 1
                    seen.add(seq)
            except socket.timeout:
                pass
            print('received', len(seen), bad, flush=True)
            """;
        final String sender = """
            import socket, struct, time
            UDP_SEGMENT, SIZE, PER = 103, 1200, 50
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_UDP, UDP_SEGMENT, SIZE)
            s.connect(('10.0.0.2', 6001))
            for n in range(100):
                s.send(b''.join(struct.pack('!I', n * PER + i) + bytes([(n * PER + i) & 0xff]) * (SIZE - 4) for i in range(PER)))
                time.sleep(0.01)
            """;
        final long sentBefore = net.h1.netns().linkCounter(net.h1.iface(), "tx", "packets");
        try (ManagedProcess server = net.h2.netns().spawn("udp receiver in " + net.h2.netns().name(),
            List.of(Requirements.SYSTEM_PYTHON, "-c", receiver)))
        {
            server.awaitOutput("listening", Duration.ofSeconds(10));
            net.h1.netns().execOk(Duration.ofSeconds(30), Requirements.SYSTEM_PYTHON, "-c", sender);
            final java.util.regex.Matcher got = server.awaitOutputMatch("received (\\d+) (\\d+)", Duration.ofSeconds(30));
            assertEquals("5000 0", got.group(1) + " " + got.group(2), "distinct datagrams h2 received, and how many had wrong bytes");
        }
        final long sent = net.h1.netns().linkCounter(net.h1.iface(), "tx", "packets") - sentBefore;
        assertTrue(sent < 500, () -> "h1's interface sent " + sent + " packets for 5,000 datagrams: its UDP GSO super-frames were cut before vtep");
        assertEquals(0, vtep.drops(io.vtep.metrics.DropReason.BAD_OFFLOAD), "no offloaded frame refused");
    }

    /**
     * A tagged host at default offloads: h1 on VLAN 10 of acc1 ({@link VlanTagging}: its own stack,
     * the tag pushed by a tc classifier), vtep mapping VLAN 10 and nothing untagged to the VNI. Its
     * TSO super-frames reach vtep with the tag in the packet socket's auxiliary data and leave as
     * UDP GSO datagrams; what comes back carries the tag in the frame. 16 MB intact both ways and
     * UDP both ways.
     */
    @Test
    void taggedHostWithDefaultOffloadsMovesTcpIntactAndUdpBothWays() throws Exception
    {
        final String untagged = "vlans: { untagged: " + KernelPeerTopology.VNI + " }";
        final String config = net.vtepConfig("");
        assertTrue(config.contains(untagged), config);
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs,
            config.replace(untagged, "vlans: { 10: " + KernelPeerTopology.VNI + " }"));
        final Host h1 = VlanTagging.tag(topology, net.h1, 10);
        assertTrue(h1.ping("10.0.0.2", 2).allReceived(), () -> "ping from the tagged h1\n" + topology.diagnostics());

        final java.nio.file.Path file = topology.workDir().resolve("random-16m");
        final TcpTransfer.Result sent = TcpTransfer.randomFile(file, 16L << 20, 19);
        assertEquals(List.of(sent, sent), TcpTransfer.bothWays(h1, net.h2, 5401, file), "tagged h1 -> h2, then h2 -> h1");
        assertTrue(vtep.appliance().underlayGsoSegments() > 1_000,
            () -> "the tagged h1's super-frames left as UDP GSO datagrams: " + vtep.appliance().underlayGsoSegments() + " segments");

        udpBothWays(h1);
        assertEquals(0, vtep.drops(io.vtep.metrics.DropReason.BAD_OFFLOAD), "no offloaded frame refused");
    }

    /**
     * IPv6 inside the overlay, hosts at default offloads: TCPv6 super-frames (GSO type TCPV6) are
     * segmented by vtep on the way out and the kernel VTEP's come back whole; 32 MB intact both ways.
     */
    @Test
    void ipv6InnerTrafficFromHostsWithDefaultOffloadsArrivesIntact() throws Exception
    {
        final Host h1 = net.h1.withIpv6("fd00:100::1/64");
        final Host h2 = net.h2.withIpv6("fd00:100::2/64");
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs, net.vtepConfig(""));
        final PingResult ping = h1.ping(h2.ip(), 3);
        assertEquals(3, ping.received(), () -> "ping6 h1 -> h2: " + ping + "\n" + topology.diagnostics());

        final java.nio.file.Path file = topology.workDir().resolve("random-32m");
        final TcpTransfer.Result sent = TcpTransfer.randomFile(file, 32L << 20, 13);
        assertEquals(List.of(sent, sent), TcpTransfer.bothWays(h1, h2, 5301, file), "h1 -> h2, then h2 -> h1, over IPv6");
        assertEquals(0, vtep.drops(io.vtep.metrics.DropReason.BAD_OFFLOAD), "no offloaded frame refused");
    }

    /**
     * Two pipelines steered by flow (the default, not pinned): each has its own PACKET_FANOUT
     * member on the access port and its own SO_REUSEPORT underlay socket. Flows spread over both,
     * whatever CPU sends them, and each flow stays intact.
     */
    @Test
    void twoPipelinesByFlowShareTheWorkAndKeepEveryFlowIntact() throws Exception
    {
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs,
            net.vtepConfig("dataplane: { pipelines: 2, access-steering: flow }"));
        assertTrue(net.h1.ping("10.0.0.2", 2).allReceived(), () -> "ping h1 -> h2\n" + topology.diagnostics());
        transferBothWays(4);
        net.h1.scapy(udpFlows(-1));
        final List<Long> packets = vtep.appliance().pipelinePackets();
        assertEquals(2, packets.size());
        assertTrue(packets.get(0) > 100 && packets.get(1) > 100, () -> "both pipelines forward: " + packets);
        assertEquals(0, vtep.drops(io.vtep.metrics.DropReason.BAD_OFFLOAD));
    }

    /**
     * Two pipelines pinned and steered by CPU (pin-cpus: true, access-steering: cpu): each bound to a CPU of its own,
     * and each access frame goes to the pipeline on the CPU that received it (for a veth host, the
     * sender's CPU). 64 flows sent
     * from a process pinned to one CPU all reach that CPU's pipeline (their answers come back to it
     * too), whichever CPU it is; TCP both ways stays intact.
     */
    @Test
    void pinnedPipelinesTakeWhatTheirCpuReceivesAndKeepEveryFlowIntact() throws Exception
    {
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs,
            net.vtepConfig("dataplane: { pipelines: 2, pin-cpus: true, access-steering: cpu }"));
        final List<Integer> cpus = vtep.appliance().pipelineCpus();
        assertEquals(2, cpus.size());
        assertTrue(cpus.get(0) >= 0 && cpus.get(1) > cpus.get(0), () -> "pipelines pinned to two CPUs: " + cpus);
        assertTrue(net.h1.ping("10.0.0.2", 2).allReceived(), () -> "ping h1 -> h2\n" + topology.diagnostics());
        transferBothWays(2);
        for (int p = 0; p < cpus.size(); p++)
        {
            final List<Long> before = vtep.appliance().pipelinePackets();
            net.h1.scapy(udpFlows(cpus.get(p)));
            final List<Long> after = vtep.appliance().pipelinePackets();
            final long own = after.get(p) - before.get(p);
            final long other = after.get(1 - p) - before.get(1 - p);
            final int cpu = cpus.get(p);
            assertTrue(own >= 64 && other < 64, () -> "64 flows sent from CPU " + cpu + ": pipeline on it " + own + ", the other " + other);
        }
        assertEquals(0, vtep.drops(io.vtep.metrics.DropReason.BAD_OFFLOAD));
    }

    /** 2 s of iperf3 UDP at 50 Mbit/s from {@code client} to h2, then back ({@code -R}); more than 5 MB must arrive each way. */
    private void udpBothWays(final Host client)
    {
        final ManagedProcess server = net.h2.iperf3Server();
        for (final List<String> direction : List.of(List.<String>of(), List.of("-R")))
        {
            final List<String> options = new java.util.ArrayList<>(List.of("-u", "-b", "50M", "-l", "1200"));
            options.addAll(direction);
            final Iperf3Result udp = client.iperf3Client("10.0.0.2", 2, options);
            assertTrue(udp.receivedBytes() > 5_000_000, () -> "UDP " + direction + " from " + client + " delivered only " + udp);
        }
        server.stop();
    }

    /** {@code flows} TCP transfers of 16 MB, h1 -> h2 then h2 -> h1, each arriving intact. */
    private void transferBothWays(final int flows) throws Exception
    {
        final java.nio.file.Path file = topology.workDir().resolve("random-16m");
        final TcpTransfer.Result sent = TcpTransfer.randomFile(file, 16L << 20, 11);
        for (int flow = 0; flow < flows; flow++)
        {
            assertEquals(List.of(sent, sent), TcpTransfer.bothWays(net.h1, net.h2, 5100 + 2 * flow, file),
                "h1 -> h2, then h2 -> h1, flow " + flow);
        }
    }

    /** A scapy script: 64 UDP flows from h1 to h2, from a process bound to {@code cpu} (-1: anywhere). */
    private static String udpFlows(final int cpu)
    {
        return (cpu < 0 ? "" : "import os\nos.sched_setaffinity(0, {" + cpu + "})\n") + """
            for sport in range(41000, 41064):
                send(IP(dst="10.0.0.2")/UDP(sport=sport, dport=9)/Raw(b"x"*32), iface="eth0", verbose=False)
            """;
    }

    @Test
    void underlayCarriesVxlanWithVniIFlagPort4789AndPerFlowSourcePorts() throws Exception
    {
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs, net.vtepConfig(""));
        final Tshark capture = topology.capture(net.kernelNs, "ul0", "udp port 4789");

        assertTrue(net.h1.ping("10.0.0.2", 2).allReceived());
        // Several distinct inner flows: UDP datagrams from h1 to h2 with different source ports.
        net.h1.scapy("""
            from scapy.all import *
            for sport in range(40000, 40016):
                send(IP(dst="10.0.0.2")/UDP(sport=sport, dport=9)/Raw(b"x"*32), iface="eth0", verbose=False)
            """);
        Wait.until(Duration.ofSeconds(5), () -> vtep.txPackets(KernelPeerTopology.VNI, Side.OVERLAY) >= 18,
            "vtep sent the pings and the 16 datagrams into the overlay");
        capture.stop();

        final List<VxlanRecord> fromVtep = capture.vxlan().stream()
            .filter(r -> r.outerSrcIp().equals(KernelPeerTopology.VTEP_IP)).toList();
        assertTrue(fromVtep.size() >= 18, () -> "VXLAN packets from vtep: " + fromVtep);
        final Set<Integer> udpFlowSourcePorts = new HashSet<>();
        for (final VxlanRecord packet : fromVtep)
        {
            assertEquals(4789, packet.udpDstPort());
            assertEquals(KernelPeerTopology.VNI, packet.vni());
            assertTrue(packet.vniValid(), "I flag set");
            assertEquals(VxlanRecord.FLAG_VNI_VALID, packet.vxlanFlags(), "only the I flag; reserved bits zero");
            assertTrue(packet.udpSrcPort() >= 49152 && packet.udpSrcPort() <= 65535, "source port in the default range");
            if (packet.innerHas("udp"))
            {
                udpFlowSourcePorts.add(packet.udpSrcPort());
            }
        }
        assertTrue(udpFlowSourcePorts.size() >= 8,
            () -> "16 distinct inner UDP flows should spread over many outer source ports, got " + udpFlowSourcePorts);
    }
}
