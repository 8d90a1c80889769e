package io.vtep.bench;

import static io.vtep.bench.DataPathTopology.ACCESS_IF;
import static io.vtep.bench.DataPathTopology.HOST_B_IP;
import static io.vtep.bench.DataPathTopology.UNDERLAY_IF;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vtep.topology.Commands;
import io.vtep.topology.ExecResult;
import io.vtep.topology.Host;
import io.vtep.topology.Iperf3Result;
import io.vtep.topology.Json;
import io.vtep.topology.ManagedProcess;
import io.vtep.topology.Netns;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Topology;
import io.vtep.topology.VtepProcess;

/**
 * The end-to-end data-path benchmark (issue 14): one topology ({@link DataPathTopology}: host A –
 * VTEP A == underlay == Linux kernel VTEP B – host B, namespaces and veth) and, alternating in one
 * invocation, the Linux kernel VTEP, vtep and Open vSwitch's userspace datapath as VTEP A, each
 * measured with the same code:
 *
 * <ol>
 *   <li>warm-up (not measured): pings until one comes back (at most 20 s), then 1 s of the 64-byte load,
 *       then 2 s of ping flood ({@code ping -f}: echo requests and replies through both directions of VTEP A);</li>
 *   <li>ping RTT, idle: {@code --pings} echo requests 0.2 s apart, average and p99 (nearest rank) of the
 *       per-reply times;</li>
 *   <li>64-byte frames: {@code trafgen} on host A (one process, UDP source port incremented per frame:
 *       many flows) at full speed; after 0.5 s, a window of {@code --seconds} in which host B's eth0
 *       rx packets (delivered), VTEP A's ul0 tx packets (what VTEP A forwarded) and acc1 rx packets
 *       (what reached VTEP A) are counted; VTEP A's CPU time per frame sent;</li>
 *   <li>iperf3 TCP, one stream, {@code --seconds}, hosts at default offloads (receiver's rate);</li>
 *   <li>the same from host B to host A ({@code iperf3 -R}): through VTEP A from the underlay to the access port;</li>
 *   <li>iperf3 UDP, 64-byte payload, unlimited rate: datagrams that arrived per second;</li>
 *   <li>iperf3 TCP again with the hosts' TSO, GSO and GRO off ({@link DataPathTopology#setOffloads};
 *       tx checksum offload stays on), restored afterwards;</li>
 *   <li>VTEP A's CPU seconds over 2–6 ({@code /proc/PID/stat} utime + stime of vtep's JVM or of
 *       ovs-vswitchd; none for the kernel).</li>
 * </ol>
 *
 * Every step has a bounded timeout; a step that fails or moves nothing is reported as failed with
 * its reason and the run goes on. Medians of {@code --rounds}; the VTEP A order rotates each round.
 * Prints a table and writes a JSON report ({@code --json}). Run it through
 * {@code benchmarks/run-e2e.sh} (builds, installs missing Debian packages); see benchmarks/README.md.
 */
public final class DataPathBench
{
    static final int IPERF3_PORT = 5201;
    static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(20);
    /** The warm-up's ping flood: some 50,000 requests and replies through VTEP A on this machine. */
    static final Duration WARM_UP_PING_FLOOD = Duration.ofSeconds(2);
    /** trafgen runs this long before the measured window opens. */
    static final long RAMP_MS = 500;
    static final int UDP_PAYLOAD = 64;
    private static final Pattern REPLY_TIME = Pattern.compile("icmp_seq=\\d+ .*time=([\\d.]+) ms");
    private static final DateTimeFormatter FILE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** The command-line options. */
    record Options(int rounds, int seconds, int pings, List<String> only, boolean wireUnderlay, Path json,
        String vtepDataplane)
    {
        static final List<String> NAMES = List.of("kernel", "vtep", "ovs");
        static final String USAGE = """
            usage: DataPathBench [--rounds N] [--seconds S] [--pings N] [--only kernel,vtep,ovs] [--underlay wire|veth] [--json FILE]
                                 [--vtep-dataplane 'pipelines: 2, busy-poll: true']
              --rounds N    rounds, each running every selected VTEP A once (default 3; the medians are over these)
              --seconds S   seconds per throughput figure (default 5)
              --pings N     pings per RTT figure, 0.2 s apart (default 100: p99 is the second slowest)
              --only LIST   which VTEP A's, comma separated, of kernel, vtep, ovs (default all three)
              --underlay U  wire (default): the underlay veth pair has its offloads off, like a physical link;
                            veth: it keeps veth's checksum and segmentation offloads
              --json FILE   where the JSON report goes (default benchmarks/target/e2e/e2e-<UTC time>.json)
              --vtep-dataplane MAP  the body of vtep's `dataplane:` section (default: none, vtep's defaults)
            Needs root. Open vSwitch is skipped, with a message, when it is not installed.""";

        static Options parse(final String... args)
        {
            int rounds = 3;
            int seconds = 5;
            int pings = 100;
            List<String> only = NAMES;
            Path json = null;
            boolean wireUnderlay = true;
            String vtepDataplane = null;
            for (int i = 0; i < args.length; i++)
            {
                final String a = args[i];
                if (a.equals("-h") || a.equals("--help"))
                {
                    throw new IllegalArgumentException("");
                }
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                final String v = args[++i];
                switch (a)
                {
                    case "--rounds" -> rounds = positive(a, v);
                    case "--seconds" -> seconds = positive(a, v);
                    case "--pings" -> pings = positive(a, v);
                    case "--only" ->
                    {
                        final List<String> picked = List.of(v.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
                        for (final String p : picked)
                        {
                            if (!NAMES.contains(p))
                            {
                                throw new IllegalArgumentException("--only: unknown VTEP '" + p + "' (kernel, vtep, ovs)");
                            }
                        }
                        if (picked.isEmpty())
                        {
                            throw new IllegalArgumentException("--only: name at least one of kernel, vtep, ovs");
                        }
                        only = NAMES.stream().filter(picked::contains).toList();
                    }
                    case "--json" -> json = Path.of(v);
                    case "--vtep-dataplane" -> vtepDataplane = v;
                    case "--underlay" ->
                    {
                        if (!v.equals("wire") && !v.equals("veth"))
                        {
                            throw new IllegalArgumentException("--underlay: wire or veth, not '" + v + "'");
                        }
                        wireUnderlay = v.equals("wire");
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return new Options(rounds, seconds, pings, only, wireUnderlay, json, vtepDataplane);
        }

        private static int positive(final String option, final String value)
        {
            try
            {
                final int n = Integer.parseInt(value);
                if (n > 0)
                {
                    return n;
                }
            }
            catch (final NumberFormatException ex)
            {
                // below
            }
            throw new IllegalArgumentException(option + " needs a positive integer, not '" + value + "'");
        }
    }

    private final Options options;
    private final PrintStream log;

    DataPathBench(final Options options, final PrintStream log)
    {
        this.options = options;
        this.log = log;
    }

    public static void main(final String[] args)
    {
        final Options options;
        try
        {
            options = Options.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            if (!ex.getMessage().isEmpty())
            {
                System.err.println("DataPathBench: " + ex.getMessage());
            }
            System.err.println(Options.USAGE);
            System.exit(ex.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        try
        {
            requireTools();
        }
        catch (final AssertionError ex)
        {
            // Requirements fails like a test would; here it is the program's answer.
            System.err.println("DataPathBench: " + ex.getMessage());
            System.exit(1);
            return;
        }
        final Path json = options.json() != null ? options.json() : VtepProcess.repositoryRoot().resolve("benchmarks/target/e2e/e2e-" + FILE_STAMP
            .format(Instant.now()) + ".json");
        final DataPathReport report = new DataPathBench(options, System.err).run();
        System.out.print(report.table());
        try
        {
            write(json, report.json());
            System.out.println("\nJSON report: " + json.toAbsolutePath());
        }
        catch (final IOException ex)
        {
            System.err.println("DataPathBench: cannot write " + json + ": " + ex);
            System.exit(1);
        }
        System.exit(0);
    }

    /** Root and the tools every VTEP A needs (Open vSwitch's are checked separately: it may be skipped). */
    static void requireTools()
    {
        Requirements.requireTopology("ping", "iperf3", "ethtool", "trafgen");
    }

    static void write(final Path file, final String text) throws IOException
    {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text + "\n");
    }

    // ------------------------------------------------------------------------------------
    // The run
    // ------------------------------------------------------------------------------------

    DataPathReport run()
    {
        final long t0 = System.nanoTime();
        final DataPathReport report = new DataPathReport(machine(), new DataPathReport.Settings(
            options.rounds(), options.seconds(), options.pings(), options.only(), options.wireUnderlay() ? "wire" : "veth"));
        final List<VtepA> vteps = new ArrayList<>();
        for (final VtepA v : VtepA.all(options.vtepDataplane()))
        {
            if (!options.only().contains(v.name()))
            {
                continue;
            }
            report.vtep(v.name(), v.description());
            final String unavailable = v.unavailableReason();
            if (unavailable != null)
            {
                log.println("DataPathBench: SKIPPING " + v.name() + ": " + unavailable);
                report.skip(v.name(), unavailable);
            }
            else
            {
                vteps.add(v);
            }
        }
        try (Topology topology = Topology.create())
        {
            log.println("DataPathBench: topology " + topology.prefix() + " (namespaces " + topology.prefix() + "-*)");
            final DataPathTopology net = new DataPathTopology(topology, options.wireUnderlay());
            for (int round = 1; round <= options.rounds(); round++)
            {
                for (int k = 0; k < vteps.size(); k++)
                {
                    // Rotate the order each round, so no VTEP A always runs first or last.
                    final VtepA v = vteps.get((k + round - 1) % vteps.size());
                    log.printf("DataPathBench: round %d/%d, VTEP A = %s%n", round, options.rounds(), v.name());
                    final Map<Figure, Sample> samples = measure(net, v);
                    report.add(v.name(), samples);
                    samples.forEach((f, s) -> log.printf("  %-42s %s%n", f.label.strip(), describe(f, s)));
                }
            }
        }
        report.finish(loadAverage(), (System.nanoTime() - t0) / 1e9);
        return report;
    }

    private static String describe(final Figure f, final Sample s)
    {
        if (s.notApplicable() != null)
        {
            return "n/a (" + s.notApplicable() + ")";
        }
        if (s.failure() != null)
        {
            return "FAILED: " + s.failure();
        }
        return f.format(s.value()) + " " + f.unit + (s.detail().isEmpty() ? "" : "  (" + s.detail() + ")");
    }

    /** One VTEP A, one round: start it, measure every figure, stop it. Never throws. */
    Map<Figure, Sample> measure(final DataPathTopology net, final VtepA vtep)
    {
        final Map<Figure, Sample> out = new EnumMap<>(Figure.class);
        net.flushUnderlayNeighbours();
        try
        {
            vtep.start(net);
        }
        catch (final Throwable ex)
        {
            vtep.stop(net);
            failAll(out, vtep.name() + " did not start: " + reason(ex));
            return out;
        }
        try
        {
            final String noPath = warmUp(net, vtep);
            if (noPath != null)
            {
                failAll(out, noPath);
                return out;
            }
            final CpuClock cpu = new CpuClock(vtep);
            final double cpu0 = cpu.seconds();

            final Sample[] ping = step(vtep, () -> ping(net), 2);
            out.put(Figure.PING_AVG, ping[0]);
            out.put(Figure.PING_P99, ping[1]);

            final Sample[] frames = step(vtep, () -> frames64(net, cpu, Duration.ofSeconds(options.seconds()), true), 4);
            out.put(Figure.FRAMES64_DELIVERED, frames[0]);
            out.put(Figure.FRAMES64_FORWARDED, frames[1]);
            out.put(Figure.FRAMES64_OFFERED, frames[2]);
            out.put(Figure.CPU_PER_FRAME, frames[3]);

            out.put(Figure.TCP_DEFAULT, step(vtep, () -> new Sample[] {tcp(net)}, 1)[0]);
            out.put(Figure.TCP_REVERSE, step(vtep, () -> new Sample[] {tcpReverse(net)}, 1)[0]);
            out.put(Figure.UDP64_DELIVERED, step(vtep, () -> new Sample[] {udp64(net)}, 1)[0]);
            out.put(Figure.TCP_OFFLOADS_OFF, step(vtep, () -> new Sample[] {tcpOffloadsOff(net)}, 1)[0]);

            final double cpu1 = cpu.seconds();
            out.put(Figure.CPU_SECONDS, cpu.applicable() == null ? Double.isNaN(cpu0) || Double.isNaN(cpu1) ? Sample.failed(
                "cannot read /proc/PID/stat") : Sample.of(cpu1 - cpu0, "") : Sample.notApplicable(cpu.applicable()));
            if (cpu.applicable() != null)
            {
                out.put(Figure.CPU_PER_FRAME, Sample.notApplicable(cpu.applicable()));
            }
        }
        catch (final Throwable ex)
        {
            // A bug in the driver itself: keep what was measured, mark the rest.
            for (final Figure f : Figure.values())
            {
                out.putIfAbsent(f, Sample.failed("driver error: " + reason(ex)));
            }
        }
        finally
        {
            vtep.stop(net);
        }
        return out;
    }

    private static void failAll(final Map<Figure, Sample> out, final String reason)
    {
        for (final Figure f : Figure.values())
        {
            out.put(f, Sample.failed(reason));
        }
    }

    /**
     * Runs one measurement that yields {@code n} samples; any exception or assertion failure (a
     * timeout, a tool that failed, an unparsable output) becomes a failed sample with its reason,
     * as does a VTEP A that died meanwhile.
     */
    private static Sample[] step(final VtepA vtep, final Callable<Sample[]> measurement, final int n)
    {
        Sample[] result;
        try
        {
            result = measurement.call();
        }
        catch (final Throwable ex)
        {
            result = new Sample[n];
            java.util.Arrays.fill(result, Sample.failed(reason(ex)));
        }
        final String died = vtep.failure();
        if (died != null)
        {
            for (int i = 0; i < result.length; i++)
            {
                if (result[i].failure() != null)
                {
                    result[i] = Sample.failed(died + " (" + result[i].failure() + ")", result[i].detail());
                }
            }
        }
        return result;
    }

    /** The first line of an exception's message, shortened: what a table note can hold. */
    static String reason(final Throwable ex)
    {
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank())
        {
            msg = ex.getClass().getSimpleName();
        }
        msg = msg.strip();
        final int nl = msg.indexOf('\n');
        if (nl > 0)
        {
            msg = msg.substring(0, nl);
        }
        return msg.length() > 300 ? msg.substring(0, 300) + "..." : msg;
    }

    // ------------------------------------------------------------------------------------
    // Warm-up and the figures
    // ------------------------------------------------------------------------------------

    /**
     * Pings until one reply (null), or says why there is no path; then 1 s of 64-byte load and 2 s of
     * ping flood.
     *
     * <p>Why the flood: the idle-ping figure is meant to show what an idle gateway's wait costs (a
     * wake-up, a poll), not a JIT's first minutes. vtep's forwarding code runs in the JVM's
     * interpreter until it has been invoked some thousands of times, and the 64-byte load only
     * exercises one direction (host A to host B, UDP): at the idle ping's 5 frames a second, the
     * echo reply's path (underlay to access port) would stay interpreted for the whole figure. A
     * perf profile of vtep's pipelines under idle pings put their time in the {@code Interpreter}
     * then. Every VTEP A gets the same warm-up, and the kernel has nothing to warm.
     */
    private String warmUp(final DataPathTopology net, final VtepA vtep)
    {
        final long deadline = System.nanoTime() + WARM_UP_TIMEOUT.toNanos();
        String last = "no reply";
        boolean reached = false;
        while (System.nanoTime() < deadline)
        {
            if (vtep.failure() != null)
            {
                return vtep.failure();
            }
            try
            {
                final PingResult r = net.hostA.ping(HOST_B_IP, 1);
                if (r.received() > 0)
                {
                    reached = true;
                    break;
                }
                last = r.toString();
            }
            catch (final RuntimeException ex)
            {
                last = reason(ex);
            }
        }
        if (!reached)
        {
            return "no connectivity: host A got no ping reply from host B within " + WARM_UP_TIMEOUT.toSeconds() + " s (" + last + ")";
        }
        try
        {
            // JIT, caches, learning: the same for every VTEP A, and not measured.
            frames64(net, null, Duration.ofSeconds(1), false);
            pingFlood(net, WARM_UP_PING_FLOOD);
            Thread.sleep(1000);
        }
        catch (final Throwable ex)
        {
            log.println("  warm-up load failed (measuring anyway): " + reason(ex));
        }
        return null;
    }

    /** Host A floods echo requests to host B for {@code length} (one reply in flight at a time). */
    private static void pingFlood(final DataPathTopology net, final Duration length)
    {
        final ExecResult r = net.hostA.netns().exec(length.plusSeconds(10),
            "ping", "-n", "-q", "-f", "-w", Long.toString(length.toSeconds()), HOST_B_IP);
        if (!r.stdout().contains(" received"))
        {
            throw new IllegalStateException("ping flood printed no summary: " + r.stderr().strip());
        }
    }

    /** Idle ping: average and p99 (nearest rank) of the per-reply times. */
    private Sample[] ping(final DataPathTopology net)
    {
        final int count = options.pings();
        final ExecResult r = net.hostA.netns().exec(Duration.ofMillis(count * 200L + 15_000),
            "ping", "-n", "-c", Integer.toString(count), "-i", "0.2", "-W", "1", HOST_B_IP);
        final List<Double> times = new ArrayList<>();
        final Matcher m = REPLY_TIME.matcher(r.stdout());
        while (m.find())
        {
            times.add(Double.parseDouble(m.group(1)));
        }
        if (times.isEmpty())
        {
            final String why = "no ping replies of " + count + " (" + r.stdout().lines().filter(l -> l.contains("transmitted")).findFirst()
                .orElse(r.stderr().strip()) + ")";
            return new Sample[] {Sample.failed(why), Sample.failed(why)};
        }
        final double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        final double avg = times.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        final double p99 = sorted[(int)Math.ceil(0.99 * sorted.length) - 1];
        final String detail = String.format("%d of %d replies, min %.3f ms, max %.3f ms", times.size(), count, sorted[0],
            sorted[sorted.length - 1]);
        return new Sample[] {Sample.of(avg, detail), Sample.of(p99, detail)};
    }

    /**
     * trafgen on host A at full speed; after {@link #RAMP_MS}, a window of {@code window}: host B's
     * eth0 rx (delivered), VTEP A's ul0 tx (forwarded), acc1 rx (offered to VTEP A), per second, and
     * VTEP A's CPU time per forwarded frame. Returns delivered, forwarded, offered, CPU per frame.
     */
    private Sample[] frames64(final DataPathTopology net, final CpuClock cpu, final Duration window, final boolean measured)
        throws Exception
    {
        final Host a = net.hostA;
        final Host b = net.hostB;
        final Path config = net.topology.workDir().resolve("trafgen-64.cfg");
        // 60 bytes + the 4-byte FCS the wire would add: a 64-byte frame. The UDP source port
        // changes with every frame (many flows); trafgen fills in lengths and checksums.
        Files.writeString(config, """
            {
              eth(da=%s, sa=%s, type=0x0800),
              ipv4(sa=%s, da=%s, ttl=64, df),
              udp(sp=dinc(1024, 65535), dp=9),
              fill(0x00, 18)
            }
            """.formatted(b.mac(), a.mac(), a.ip(), b.ip()));
        // One process (--cpus 1); leave the machine's socket memory defaults and IRQ affinity alone.
        final ManagedProcess trafgen = a.netns().spawn("trafgen in " + a.netns().name(), List.of("trafgen",
            "--in", config.toString(), "--out", a.iface(), "--cpus", "1", "--num", "0", "--no-sock-mem", "--notouch-irq"));
        try
        {
            Thread.sleep(RAMP_MS);
            if (!trafgen.isAlive())
            {
                throw new IllegalStateException("trafgen exited with " + trafgen.exitCode().orElse(-1) + ": " + String.join(" | ", trafgen
                    .outputLines()));
            }
            final Counters c0 = Counters.read(net);
            final double cpu0 = cpu == null ? Double.NaN : cpu.seconds();
            Thread.sleep(window.toMillis());
            final Counters c1 = Counters.read(net);
            final double cpu1 = cpu == null ? Double.NaN : cpu.seconds();
            if (!measured)
            {
                return new Sample[0];
            }
            final double seconds = (c1.nanos - c0.nanos) / 1e9;
            final long delivered = c1.hostBRx - c0.hostBRx;
            final long forwarded = c1.underlayTx - c0.underlayTx;
            final long offered = c1.accessRx - c0.accessRx;
            final long generatorDrops = c1.hostATxDropped - c0.hostATxDropped;
            final String detail = String.format("window %.2f s: %d frames offered to VTEP A (%d more dropped before it), " +
                "%d sent on the underlay, %d delivered to host B", seconds, offered, generatorDrops, forwarded, delivered);
            final Sample deliveredSample = delivered > 0 ? Sample.of(delivered / seconds, detail) : Sample.failed(
                "no 64-byte frame reached host B (" + offered + " offered to VTEP A, " + forwarded + " sent on the underlay)", detail);
            final Sample forwardedSample = forwarded > 0 ? Sample.of(forwarded / seconds, detail) : Sample.failed(
                "VTEP A sent nothing on the underlay (" + offered + " frames offered)", detail);
            final Sample offeredSample = offered > 0 ? Sample.of(offered / seconds, detail) : Sample.failed(
                "no frame from trafgen reached VTEP A's access port", detail);
            final Sample perFrame;
            if (cpu.applicable() != null)
            {
                perFrame = Sample.notApplicable(cpu.applicable());
            }
            else if (Double.isNaN(cpu0) || Double.isNaN(cpu1))
            {
                perFrame = Sample.failed("cannot read VTEP A's /proc/PID/stat");
            }
            else if (forwarded <= 0)
            {
                perFrame = Sample.failed("no frame forwarded");
            }
            else
            {
                perFrame = Sample.of((cpu1 - cpu0) * 1e6 / forwarded, String.format("%.3f CPU s for %d frames", cpu1 - cpu0, forwarded));
            }
            return new Sample[] {deliveredSample, forwardedSample, offeredSample, perFrame};
        }
        finally
        {
            trafgen.signal("INT");
            trafgen.stop(Duration.ofSeconds(5));
            // Let the queues drain before the next figure.
            Thread.sleep(300);
        }
    }

    /** The packet counters the 64-byte figure reads, with the time they were read. */
    private record Counters(long nanos, long hostATxDropped, long accessRx, long underlayTx, long hostBRx)
    {
        static Counters read(final DataPathTopology net)
        {
            final long before = System.nanoTime();
            final long accessRx = net.vtepA.linkCounter(ACCESS_IF, "rx", "packets");
            final long underlayTx = net.vtepA.linkCounter(UNDERLAY_IF, "tx", "packets");
            final long hostBRx = net.hostB.netns().linkCounter(net.hostB.iface(), "rx", "packets");
            final long hostATxDropped = net.hostA.netns().linkCounter(net.hostA.iface(), "tx", "dropped");
            final long after = System.nanoTime();
            return new Counters(before + (after - before) / 2, hostATxDropped, accessRx, underlayTx, hostBRx);
        }
    }

    /** iperf3 TCP, one stream, host A to host B: the receiver's rate. */
    private Sample tcp(final DataPathTopology net)
    {
        return tcp(iperf3(net, List.of()));
    }

    /**
     * iperf3 TCP, one stream, host B to host A ({@code -R}: the server on host B sends), hosts at
     * default offloads: the other half of a host's traffic, which reaches VTEP A as VXLAN from the
     * underlay and leaves on its access port. The receiver's rate.
     */
    private Sample tcpReverse(final DataPathTopology net)
    {
        return tcp(iperf3(net, List.of("-R")));
    }

    private static Sample tcp(final Iperf3Result r)
    {
        final String detail = String.format("%d bytes sent, %d received, %d retransmits", r.sentBytes(), r.receivedBytes(), r.retransmits());
        if (r.receivedBytes() <= 0)
        {
            return Sample.failed("iperf3 TCP: nothing arrived (" + r.sentBytes() + " bytes sent)", detail);
        }
        return Sample.of(r.receivedBitsPerSecond(), detail);
    }

    /** iperf3 TCP with the hosts' TSO, GSO and GRO off (tx checksum offload stays on), restored after. */
    private Sample tcpOffloadsOff(final DataPathTopology net)
    {
        final Map<String, String> savedA = DataPathTopology.segmentationOffloadsOff(net.hostA);
        final Map<String, String> savedB = DataPathTopology.segmentationOffloadsOff(net.hostB);
        try
        {
            return tcp(net);
        }
        finally
        {
            DataPathTopology.setOffloads(net.hostA, savedA);
            DataPathTopology.setOffloads(net.hostB, savedB);
        }
    }

    /** iperf3 UDP, 64-byte payload, no rate limit: datagrams that arrived per second. */
    private Sample udp64(final DataPathTopology net)
    {
        final Iperf3Result r = iperf3(net, List.of("-u", "-l", Integer.toString(UDP_PAYLOAD), "-b", "0"));
        final Object doc = Json.parse(r.json());
        final double bytes = Json.number(doc, "end", "sum_received", "bytes");
        final double seconds = Json.number(doc, "end", "sum_received", "seconds");
        final double sent = Json.number(doc, "end", "sum_sent", "packets");
        if (Double.isNaN(bytes) || Double.isNaN(seconds) || seconds <= 0)
        {
            return Sample.failed("iperf3 UDP: no end.sum_received in its JSON");
        }
        final double received = bytes / UDP_PAYLOAD;
        final String detail = String.format("%.0f datagrams sent, %.0f received", sent, received);
        if (received <= 0)
        {
            return Sample.failed("iperf3 UDP: nothing arrived (" + (long)sent + " datagrams sent)", detail);
        }
        return Sample.of(received / seconds, detail);
    }

    /**
     * One iperf3 run from host A to a fresh one-off server on host B. The client gives up
     * connecting after 3 s and is killed {@code seconds + 20} s after its start; either becomes
     * an exception with iperf3's own reason.
     */
    private Iperf3Result iperf3(final DataPathTopology net, final List<String> extra)
    {
        final Netns b = net.hostB.netns();
        final ManagedProcess server = b.spawn("iperf3 server in " + b.name(),
            List.of("iperf3", "-s", "-1", "-p", Integer.toString(IPERF3_PORT), "--forceflush"));
        try
        {
            server.awaitOutput("Server listening on " + IPERF3_PORT, Duration.ofSeconds(10));
            final List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", HOST_B_IP, "-p", Integer.toString(IPERF3_PORT),
                "-t", Integer.toString(options.seconds()), "-J", "--connect-timeout", "3000"));
            cmd.addAll(extra);
            final ExecResult r = net.hostA.netns().exec(Duration.ofSeconds(options.seconds() + 20L), cmd.toArray(String[]::new));
            if (r.stdout().isBlank())
            {
                throw new IllegalStateException("iperf3 exited with " + r.exitCode() + " and no JSON: " + r.stderr().strip());
            }
            return Iperf3Result.parse(r.stdout());
        }
        finally
        {
            server.stop(Duration.ofSeconds(2));
        }
    }

    // ------------------------------------------------------------------------------------
    // CPU time and the machine
    // ------------------------------------------------------------------------------------

    /** VTEP A's process CPU time (utime + stime of all its threads) from /proc/PID/stat. */
    static final class CpuClock
    {
        private static final double TICKS_PER_SECOND = clockTicks();
        private final VtepA vtep;

        CpuClock(final VtepA vtep)
        {
            this.vtep = vtep;
        }

        /** Null when there is a process to read, else why not. */
        String applicable()
        {
            return vtep.cpuPid().isPresent() ? null : vtep.cpuNotApplicable();
        }

        /** CPU seconds so far, or NaN when unreadable. */
        double seconds()
        {
            final OptionalLong pid = vtep.cpuPid();
            if (pid.isEmpty())
            {
                return Double.NaN;
            }
            try
            {
                return cpuSeconds(Files.readString(Path.of("/proc/" + pid.getAsLong() + "/stat")), TICKS_PER_SECOND);
            }
            catch (final IOException | RuntimeException ex)
            {
                return Double.NaN;
            }
        }

        /** utime + stime (fields 14 and 15 of proc(5)'s stat, after the parenthesised name) in seconds. */
        static double cpuSeconds(final String stat, final double ticksPerSecond)
        {
            final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): utime is field 14, stime field 15.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / ticksPerSecond;
        }

        private static double clockTicks()
        {
            try
            {
                return Double.parseDouble(Commands.run(Duration.ofSeconds(5), List.of("getconf", "CLK_TCK")).stdout().strip());
            }
            catch (final RuntimeException ex)
            {
                return 100;
            }
        }
    }

    static DataPathReport.Machine machine()
    {
        final Map<String, String> tools = new LinkedHashMap<>();
        tools.put("iperf3", firstLine("iperf3", "--version"));
        tools.put("trafgen", firstLine("trafgen", "--version"));
        tools.put("ovs-vswitchd", firstLine("ovs-vswitchd", "--version"));
        tools.put("ping", firstLine("ping", "-V"));
        return new DataPathReport.Machine(
            DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)),
            Integer.parseInt(firstLine("nproc").strip()),
            firstLine("uname", "-r"),
            cpuModel(),
            osName(),
            System.getProperty("java.runtime.version", "?"),
            tools,
            loadAverage());
    }

    private static String firstLine(final String... cmd)
    {
        if (Commands.resolveExecutable(cmd[0]).isEmpty())
        {
            return "not installed";
        }
        try
        {
            final ExecResult r = Commands.run(Duration.ofSeconds(10), List.of(cmd));
            final String text = r.stdout().isBlank() ? r.stderr() : r.stdout();
            return text.lines().findFirst().orElse("?").strip();
        }
        catch (final RuntimeException ex)
        {
            return "?";
        }
    }

    private static String cpuModel()
    {
        try
        {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("?");
        }
        catch (final IOException ex)
        {
            return "?";
        }
    }

    private static String osName()
    {
        try
        {
            return Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", "")).findFirst().orElse("?");
        }
        catch (final IOException ex)
        {
            return "?";
        }
    }

    static String loadAverage()
    {
        try
        {
            final String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        }
        catch (final IOException | RuntimeException ex)
        {
            return "?";
        }
    }
}
