package io.vtep.topology;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tshark capture on one interface of a namespace into a pcap file, and its decoding.
 *
 * <p>Starting returns only once dumpcap really captures: tshark prints "Capturing on 'IF'"
 * <em>before</em> its dumpcap child has opened the interface, so that line alone is not proof;
 * the "Capture started" message (sent when dumpcap reports its output file) is, and so is a
 * pcap file that already has its header. Stopping waits for the file to stop growing, then sends
 * SIGINT and waits for tshark to exit, so that the file is complete when it is decoded.
 *
 * <pre>{@code
 * Tshark cap = topo.capture(vtep1, "under0", "udp port 4789");
 * h1.ping(h2.ip(), 3);
 * List<VxlanRecord> packets = cap.vxlan();   // stops the capture first
 * }</pre>
 */
public final class Tshark implements AutoCloseable
{

    /** How long starting may take before the test fails. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private static final int PCAP_HEADER_BYTES = 24;
    private static final List<String> VXLAN_FIELDS = List.of(
        "frame.number", "frame.len", "frame.protocols",
        "eth.src", "eth.dst", "eth.type",
        "ip.src", "ip.dst", "ip.ttl", "ipv6.src", "ipv6.dst", "ipv6.hlim",
        "udp.srcport", "udp.dstport", "vxlan.flags", "vxlan.vni", "vlan.id");

    private final Netns netns;
    private final String iface;
    private final Path file;
    private final ManagedProcess process;
    private boolean stopped;

    private Tshark(Netns netns, String iface, Path file, ManagedProcess process)
    {
        this.netns = netns;
        this.iface = iface;
        this.file = file;
        this.process = process;
    }

    /** Starts a capture; prefer {@link Topology#capture}, which picks the file. */
    static Tshark start(Netns netns, String iface, String captureFilter, Path file)
    {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-i", iface, "-F", "pcap", "-w", file.toString()));
        if (captureFilter != null && !captureFilter.isBlank())
        {
            cmd.addAll(List.of("-f", captureFilter));
        }
        ManagedProcess p = netns.spawn("tshark on " + netns.name() + "/" + iface, cmd);
        Tshark tshark = new Tshark(netns, iface, file, p);
        tshark.awaitCapturing();
        return tshark;
    }

    private void awaitCapturing()
    {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline)
        {
            String out = process.output();
            if (out.contains("Capture started") || (out.contains("Capturing on") && fileSize() >= PCAP_HEADER_BYTES))
            {
                return;
            }
            if (!process.isAlive())
            {
                fail("tshark on " + netns.name() + "/" + iface + " exited before capturing (exit " + process.exitCode().orElse(-1) + ")\n" + process
                    .outputForMessage());
            }
            sleep(20);
        }
        fail("tshark on " + netns.name() + "/" + iface + " did not start capturing within " + START_TIMEOUT.toSeconds() + " s\n" + process
            .outputForMessage());
    }

    /** The pcap file (kept after teardown only with {@link Topology#KEEP_FILES_PROPERTY}). */
    public Path pcapFile()
    {
        return file;
    }

    public ManagedProcess process()
    {
        return process;
    }

    /**
     * Stops the capture: waits until the file has not grown for 300 ms (at most 3 s: dumpcap
     * writes in batches), then SIGINT, and waits for tshark to exit. Idempotent.
     */
    public synchronized Tshark stop()
    {
        if (stopped)
        {
            return this;
        }
        stopped = true;
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        long size = fileSize();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline && process.isAlive())
        {
            sleep(50);
            long now = fileSize();
            if (now != size)
            {
                size = now;
                stableSince = System.nanoTime();
            }
            else if (System.nanoTime() - stableSince >= Duration.ofMillis(300).toNanos())
            {
                break;
            }
        }
        process.signal("INT");
        long waitUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (process.isAlive() && System.nanoTime() < waitUntil)
        {
            sleep(20);
        }
        process.stop();
        return this;
    }

    @Override
    public void close()
    {
        stop();
    }

    /** The VXLAN packets of the capture on UDP 4789 (stops the capture first). */
    public List<VxlanRecord> vxlan()
    {
        return vxlan(4789);
    }

    /** The VXLAN packets of the capture, decoding UDP {@code udpPort} as VXLAN (stops the capture first). */
    public List<VxlanRecord> vxlan(int udpPort)
    {
        List<VxlanRecord> records = new ArrayList<>();
        for (Map<String, String> row : fields(udpPort, "vxlan", VXLAN_FIELDS.toArray(String[]::new)))
        {
            records.add(toRecord(row));
        }
        return records;
    }

    /**
     * Decodes the capture with {@code tshark -r FILE -Y displayFilter -T fields -e ...}, one map per
     * packet from field name to value. A field that occurs more than once in a packet (outer and
     * inner {@code eth.src}) has its values joined with ',' in the order of the layers. Stops the
     * capture first. {@code displayFilter} may be null.
     */
    public List<Map<String, String>> fields(String displayFilter, String... fields)
    {
        return fields(4789, displayFilter, fields);
    }

    /** {@link #fields(String, String...)} decoding UDP {@code vxlanPort} as VXLAN. */
    public List<Map<String, String>> fields(int vxlanPort, String displayFilter, String... fields)
    {
        stop();
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(),
            "-d", "udp.port==" + vxlanPort + ",vxlan", "-T", "fields",
            "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"));
        if (displayFilter != null && !displayFilter.isBlank())
        {
            cmd.addAll(List.of("-Y", displayFilter));
        }
        for (String f : fields)
        {
            cmd.addAll(List.of("-e", f));
        }
        String out = Commands.run(Duration.ofSeconds(60), cmd).orThrow().stdout();
        return parseFields(out, List.of(fields));
    }

    /** Number of packets in the capture (stops the capture first). */
    public int packetCount()
    {
        return fields(null, "frame.number").size();
    }

    static List<Map<String, String>> parseFields(String out, List<String> fields)
    {
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : out.split("\n"))
        {
            if (line.isEmpty())
            {
                continue;
            }
            String[] values = line.split("\t", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++)
            {
                row.put(fields.get(i), i < values.length ? values[i] : "");
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * Builds a record from one row of {@link #VXLAN_FIELDS}. Which occurrence of a repeated field
     * is the outer or inner one follows from frame.protocols: e.g.
     * "eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:icmp" has the outer eth and ip first.
     */
    static VxlanRecord toRecord(Map<String, String> row)
    {
        List<String> protocols = Arrays.asList(row.get("frame.protocols").split(":"));
        int vx = protocols.indexOf("vxlan");
        List<String> outer = vx < 0 ? protocols : protocols.subList(0, vx);
        String inner = vx < 0 ? "" : String.join(":", protocols.subList(vx + 1, protocols.size()));
        int outerEth = outer.contains("eth") ? 1 : 0;
        boolean outerV6 = outer.contains("ipv6") && (!outer.contains("ip") || outer.indexOf("ipv6") < outer.indexOf("ip"));
        String srcIp = outerV6 ? occurrence(row, "ipv6.src", 0) : occurrence(row, "ip.src", 0);
        String dstIp = outerV6 ? occurrence(row, "ipv6.dst", 0) : occurrence(row, "ip.dst", 0);
        String ttl = outerV6 ? occurrence(row, "ipv6.hlim", 0) : occurrence(row, "ip.ttl", 0);
        // vlan.id can only be the inner frame's: no 802.1Q on the underlay here.
        String vlan = occurrence(row, "vlan.id", 0);
        return new VxlanRecord(
            toInt(occurrence(row, "frame.number", 0)),
            toInt(occurrence(row, "frame.len", 0)),
            outerEth == 1 ? occurrence(row, "eth.src", 0) : null,
            outerEth == 1 ? occurrence(row, "eth.dst", 0) : null,
            srcIp, dstIp, toInt(ttl),
            toInt(occurrence(row, "udp.srcport", 0)),
            toInt(occurrence(row, "udp.dstport", 0)),
            toInt(occurrence(row, "vxlan.flags", 0)),
            toInt(occurrence(row, "vxlan.vni", 0)),
            occurrence(row, "eth.src", outerEth),
            occurrence(row, "eth.dst", outerEth),
            toInt(occurrence(row, "eth.type", outerEth)),
            vlan == null ? -1 : toInt(vlan),
            inner);
    }

    private static String occurrence(Map<String, String> row, String field, int index)
    {
        String v = row.get(field);
        if (v == null || v.isEmpty())
        {
            return null;
        }
        String[] parts = v.split(",");
        return index < parts.length ? parts[index] : null;
    }

    private static int toInt(String s)
    {
        if (s == null || s.isEmpty())
        {
            return -1;
        }
        return Integer.decode(s);
    }

    private long fileSize()
    {
        try
        {
            return Files.exists(file) ? Files.size(file) : -1;
        }
        catch (IOException e)
        {
            return -1;
        }
    }

    private static void sleep(long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString()
    {
        return "capture on " + netns.name() + "/" + iface + " -> " + file;
    }
}
