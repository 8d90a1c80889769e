package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.topology.ExecResult;
import io.vtep.topology.Host;
import io.vtep.topology.Iperf3Result;
import io.vtep.topology.KernelVtep;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.Netns;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Topology;
import io.vtep.topology.VtepProcess;
import io.vtep.topology.Wait;

/**
 * {@code vtep capture} (issue 16), the VTEP's SPAN port, against a kernel VTEP with two VNIs:
 *
 * <pre>
 *  h1 10.0.100.1 ─acc1 (VNI 100)─┐                      ┌─ br100 ─ h2 10.0.100.2
 *                                 [vtep 192.0.2.1] ─ul0─ [kernel VTEP 192.0.2.2]
 *  h3 10.0.200.3 ─acc2 (VNI 200)─┘                      └─ br200 ─ h4 10.0.200.4
 * </pre>
 *
 * A capture of VNI 100 while both VNIs carry pings holds exactly the pings of VNI 100, both
 * directions, as tshark decodes them, with the direction and the remote VTEP of each frame; and a
 * capture whose client never reads leaves a fixed-rate UDP stream its delivery while its drops are
 * counted (its loss is compared with the same stream's without a capture, run first: the machine
 * running the tests may lose a little of either to the kernel's socket queues).
 */
class CaptureTopologyTest
{
    private static final int PINGS = 5;
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);

    private Topology topology;
    private Netns vtepNs;
    private Host h1;
    private Host h2;
    private Host h3;
    private Host h4;

    @BeforeEach
    void build() throws Exception
    {
        Requirements.requireTopology("ping", "tshark", "iperf3");
        topology = Topology.create();
        vtepNs = topology.namespace("vtep");
        final Netns kernelNs = topology.namespace("kvtep");
        topology.underlayLink(vtepNs, "192.0.2.1/24", kernelNs, "192.0.2.2/24");
        h1 = topology.host("h1", "10.0.100.1/24", vtepNs, "acc1");
        h3 = topology.host("h3", "10.0.200.3/24", vtepNs, "acc2");
        for (final int vni : List.of(100, 200))
        {
            final KernelVtep kernel = topology.kernelVtep(kernelNs).vni(vni).localIp("192.0.2.2").learning(true)
                .bridge("br" + vni).create();
            kernel.addFloodEntry("192.0.2.1");
        }
        h2 = topology.host("h2", "10.0.100.2/24", kernelNs, "acc100");
        kernelNs.enslave("acc100", "br100");
        h4 = topology.host("h4", "10.0.200.4/24", kernelNs, "acc200");
        kernelNs.enslave("acc200", "br200");
        TopologyTest.vxlanMtu(h1, h2, h3, h4);
        InProcessVtep.start(topology, vtepNs, """
            vtep: { local-ip: 192.0.2.1 }
            ports:
              - { name: acc1, vlans: { untagged: 100 } }
              - { name: acc2, vlans: { untagged: 200 } }
            vnis:
              - { vni: 100, flood: [192.0.2.2] }
              - { vni: 200, flood: [192.0.2.2] }
            """);
        // ARP resolved and MACs learned before any capture, in both VNIs.
        assertEquals(2, h1.ping("10.0.100.2", 2).received(), topology::diagnostics);
        assertEquals(2, h3.ping("10.0.200.4", 2).received(), topology::diagnostics);
    }

    @AfterEach
    void tearDown()
    {
        topology.close();
    }

    private ManagedProcess vtepCli(final String description, final String... args)
    {
        final List<String> command = new java.util.ArrayList<>(List.of(VtepProcess.launcher().toString()));
        command.addAll(List.of(args));
        return vtepNs.spawn(description, command);
    }

    /** A series of vtep's /metrics, read inside its namespace. */
    private double metric(final String series) throws Exception
    {
        final String body = NetworkNamespace.call(vtepNs.name(), () ->
        {
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build())
            {
                return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:9100/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            }
        });
        final Matcher value = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
        assertTrue(value.find(), () -> series + " not in /metrics:\n" + body);
        return Double.parseDouble(value.group(1));
    }

    private void awaitCaptures(final int running)
    {
        Wait.until(Duration.ofSeconds(30), () ->
        {
            try
            {
                return metric("vtep_captures_active") == running;
            }
            catch (final Exception ex)
            {
                return false;
            }
        }, running + " capture(s) running");
    }

    @Test
    void aCaptureHoldsExactlyItsVnisFramesBothWaysWithDirectionAndRemoteVtep(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("vni100.pcapng");
        final ManagedProcess capture = vtepCli("vtep capture of VNI 100",
            "capture", "--vni", "100", "--seconds", "6", "-w", file.toString());
        awaitCaptures(1);
        final PingResult vni100 = h1.ping("10.0.100.2", PINGS);
        final PingResult vni200 = h3.ping("10.0.200.4", PINGS);
        assertEquals(PINGS, vni100.received(), vni100::toString);
        assertEquals(PINGS, vni200.received(), () -> "VNI 200 carries traffic during the capture too: " + vni200);

        assertEquals(0, capture.waitFor(CLI_TIMEOUT), capture::output);
        final Matcher summary = Pattern.compile("vtep capture: (\\d+) frames captured, 0 dropped").matcher(capture.output());
        assertTrue(summary.find(), capture::output);
        System.out.println(capture.output());

        final ExecResult decoded = vtepNs.execOk("tshark", "-r", file.toString(), "-T", "fields", "-E", "separator=|",
            "-e", "frame.interface_name", "-e", "frame.packet_flags_direction", "-e", "frame.comment",
            "-e", "eth.src", "-e", "eth.dst", "-e", "ip.src", "-e", "ip.dst", "-e", "icmp.type", "-e", "arp.opcode");
        System.out.print("$ tshark -r vni100.pcapng\n" + decoded.stdout());
        final List<String[]> frames = decoded.stdout().lines().map(line -> line.split("\\|", -1)).toList();
        assertEquals(Integer.parseInt(summary.group(1)), frames.size(), "the summary counts what the file holds");
        final Set<String> vni100Macs = Set.of(h1.mac(), h2.mac(), "ff:ff:ff:ff:ff:ff");
        int requests = 0;
        int replies = 0;
        for (final String[] frame : frames)
        {
            assertEquals("vni100", frame[0]);
            assertTrue(vni100Macs.contains(frame[3]) && vni100Macs.contains(frame[4]),
                () -> "only VNI 100's hosts: " + String.join("|", frame));
            assertTrue(frame[8].isEmpty() ? frame[5].startsWith("10.0.100.") : true, () -> String.join("|", frame));
            if (frame[7].equals("8"))
            {
                requests++;
                assertEquals("10.0.100.1", frame[5]);
                assertEquals("0x00000002", frame[1], "access -> overlay is outbound");
                assertEquals("access acc1 -> vtep 192.0.2.2", frame[2]);
            }
            else if (frame[7].equals("0"))
            {
                replies++;
                assertEquals("10.0.100.2", frame[5]);
                assertEquals("0x00000001", frame[1], "overlay -> access is inbound");
                assertEquals("vtep 192.0.2.2 -> access acc1", frame[2]);
            }
            else
            {
                assertTrue(!frame[8].isEmpty(), () -> "nothing but the pings and ARP between h1 and h2: " + String.join("|", frame));
            }
        }
        assertEquals(PINGS, requests, "every echo request of VNI 100, once");
        assertEquals(PINGS, replies, "every echo reply of VNI 100, once");

        // -w - into tshark -r -: a pipe, ended by --count.
        final ManagedProcess pipe = vtepNs.spawn("vtep capture | tshark", List.of("sh", "-c",
            VtepProcess.launcher() + " capture --vni 100 --count 4 -w - | tshark -r - -T fields -e frame.comment -e icmp.type"));
        awaitCaptures(1);
        assertEquals(2, h1.ping("10.0.100.2", 2).received());
        assertEquals(0, pipe.waitFor(CLI_TIMEOUT), pipe::output);
        final List<String> piped = pipe.outputLines().stream().filter(l -> l.contains(" -> ")).toList();
        assertEquals(List.of("access acc1 -> vtep 192.0.2.2\t8", "vtep 192.0.2.2 -> access acc1\t0",
            "access acc1 -> vtep 192.0.2.2\t8", "vtep 192.0.2.2 -> access acc1\t0"), piped, pipe::output);
        assertTrue(pipe.output().contains("4 frames captured, 0 dropped"), pipe::output);
    }

    @Test
    void aReaderThatNeverReadsDoesNotSlowForwardingAndItsDropsAreCounted() throws Exception
    {
        h2.iperf3Server();
        Wait.until(Duration.ofSeconds(10), () -> h2.netns().exec("ss", "-ltn").stdout().contains(":" + Host.IPERF3_PORT),
            "iperf3 server listening");
        // The same stream without a capture first: what this machine delivers anyway.
        final Iperf3Result baseline = h1.iperf3Client("10.0.100.2", 5, List.of("-u", "-b", "30M", "-l", "1200"));
        System.out.println("UDP at 30 Mbit/s without a capture: " + baseline);
        // A client that asks for a capture and never reads a byte of it.
        final Socket stalled = NetworkNamespace.call(vtepNs.name(), () ->
        {
            final Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", 9100));
            final OutputStream out = socket.getOutputStream();
            out.write("GET /api/v1/capture?vni=100 HTTP/1.1\r\nHost: vtep\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return socket;
        });
        try (stalled)
        {
            awaitCaptures(1);
            // 30 Mbit/s of 1,200-byte datagrams for 5 s: ~15,000 frames, 18 MB, several times what
            // the capture's ring (4 MiB) and the sockets' buffers hold.
            final Iperf3Result udp = h1.iperf3Client("10.0.100.2", 5, List.of("-u", "-b", "30M", "-l", "1200"));
            System.out.println("UDP at 30 Mbit/s with a stalled capture reader: " + udp);
            final double drops = metric("vtep_capture_drops_total");
            System.out.println("vtep_capture_drops_total " + drops);
            // A reader that held forwarding back would stop the stream once the ring is full (most of
            // it lost); on a loaded machine both runs lose a little to the kernel's socket queues.
            assertTrue(udp.lostPercent() <= baseline.lostPercent() + 5,
                () -> "forwarding keeps its delivery: " + udp + "; without a capture: " + baseline);
            assertTrue(drops > 1_000, "the frames the stalled capture could not take are counted: " + drops);
            assertEquals(1, metric("vtep_captures_active"), "the capture is still open, waiting for its reader");
        }
        awaitCaptures(0);
    }
}
