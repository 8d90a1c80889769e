package io.vtep.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vtep.topology.Json;
import io.vtep.topology.OpenVswitch;
import io.vtep.topology.Requirements;
import io.vtep.topology.Topology;

/**
 * The end-to-end benchmark driver works (issue 14): one short round of {@link DataPathBench} with
 * all three VTEP A's (1 round, 2 s per figure, 10 pings), checked for its shape, not its figures.
 * Every VTEP ran and has every figure as a value, a failure reason or "not applicable"; the kernel
 * VTEP's figures are all above 0 (it is the reference: if it fails, the driver is broken); the JSON
 * parses and says the same as the table. vtep's own values are not checked (its TCP and UDP are 0
 * while hosts keep their default offloads, issue 14). A missing tool, Open vSwitch included, fails
 * the test with its name.
 */
class DataPathBenchTest
{
    @Test
    void oneShortRoundOfAllThreeProducesEveryFigureOrAReason(@TempDir final Path dir) throws Exception
    {
        DataPathBench.requireTools();
        Requirements.requireTools(OpenVswitch.TOOLS.toArray(String[]::new));
        final Path json = dir.resolve("e2e.json");
        final DataPathBench.Options options = DataPathBench.Options.parse("--rounds", "1", "--seconds", "2", "--pings", "10",
            "--json", json.toString());
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();

        final DataPathReport report;
        try (PrintStream log = new PrintStream(progress, true, StandardCharsets.UTF_8))
        {
            report = new DataPathBench(options, log).run();
        }
        DataPathBench.write(json, report.json());
        final String table = report.table();
        System.out.println(progress.toString(StandardCharsets.UTF_8));
        System.out.println(table);

        assertEquals(List.of("kernel", "vtep", "ovs"), report.ran(), () -> "every VTEP ran\n" + table);
        final Object doc = Json.parse(Files.readString(json));
        assertTrue(Json.at(doc, "machine", "nproc") instanceof Long n && n > 0, "the JSON names the machine's CPU count");
        assertNotNull(Json.string(doc, "machine", "kernel"));
        assertNotNull(Json.string(doc, "machine", "cpu_model"));
        assertNotNull(Json.string(doc, "date"));
        final List<?> vteps = (List<?>)Json.at(doc, "vteps");
        assertEquals(3, vteps.size());
        for (final Object v : vteps)
        {
            final String name = Json.string(v, "name");
            assertEquals("ran", Json.string(v, "status"), name);
            final List<?> rounds = (List<?>)Json.at(v, "rounds");
            assertEquals(1, rounds.size(), name + ": one round");
            for (final Figure f : Figure.values())
            {
                final Object median = Json.at(v, "medians", f.key);
                assertNotNull(median, name + " has " + f.key);
                final Object value = Json.at(median, "value");
                final String failure = Json.string(median, "failure");
                final String notApplicable = Json.string(median, "not_applicable");
                assertTrue(value instanceof Number || failure != null || notApplicable != null,
                    () -> name + "/" + f.key + ": neither a value nor a reason: " + median + "\n" + table);
                if (failure != null)
                {
                    assertFalse(failure.isBlank(), name + "/" + f.key + ": a failure says why");
                    assertTrue(table.contains(failure), () -> "the table notes the failure '" + failure + "'\n" + table);
                }
                if (name.equals("kernel"))
                {
                    if (f == Figure.CPU_SECONDS || f == Figure.CPU_PER_FRAME)
                    {
                        assertNotNull(notApplicable, "the kernel has no process to time");
                    }
                    else
                    {
                        assertNull(failure, () -> "kernel VTEP, " + f.key + " failed: " + failure + "\n" + progress + table);
                        assertTrue(((Number)value).doubleValue() > 0, () -> "kernel VTEP, " + f.key + " = " + value + "\n" + table);
                    }
                }
                else if (f == Figure.CPU_SECONDS)
                {
                    assertTrue(value instanceof Number n && n.doubleValue() > 0, () -> name + " CPU seconds measured: " + median);
                }
            }
        }
        final Set<String> ratioFigures = ((Map<?, ?>)Json.at(doc, "ratios", "vtep/kernel")).keySet().stream()
            .map(Object::toString).collect(Collectors.toSet());
        assertEquals(List.of(Figure.values()).stream().map(f -> f.key).collect(Collectors.toSet()), ratioFigures);
        assertNotNull(Json.at(doc, "ratios", "vtep/ovs"));
        for (final Figure f : Figure.values())
        {
            assertTrue(table.contains(f.label), "the table has a row for " + f.label);
        }
        assertTrue(table.contains("vtep/kernel") && table.contains("vtep/ovs"), table);
        // Everything the run made is gone (other namespaces may come and go meanwhile: look at its prefix only).
        final Matcher m = Pattern.compile("topology (vt[a-z0-9]{5})").matcher(progress.toString(StandardCharsets.UTF_8));
        assertTrue(m.find(), "the driver names its topology");
        final String prefix = m.group(1);
        assertEquals(List.of(), Topology.listNamespaces().stream().filter(n -> n.startsWith(prefix + "-")).toList(),
            "the benchmark's namespaces are deleted");
    }

    @Test
    void optionsAreCheckedAndOnlyKeepsTheTableOrder()
    {
        final DataPathBench.Options o = DataPathBench.Options.parse("--only", "ovs,kernel", "--rounds", "5");
        assertEquals(List.of("kernel", "ovs"), o.only());
        assertEquals(5, o.rounds());
        assertEquals(5, o.seconds());
        assertEquals(100, o.pings());
        assertTrue(o.wireUnderlay());
        assertFalse(DataPathBench.Options.parse("--underlay", "veth").wireUnderlay());
        assertThrows(IllegalArgumentException.class, () -> DataPathBench.Options.parse("--underlay", "fiber"));
        assertThrows(IllegalArgumentException.class, () -> DataPathBench.Options.parse("--only", "vpp"));
        assertThrows(IllegalArgumentException.class, () -> DataPathBench.Options.parse("--rounds", "0"));
        assertThrows(IllegalArgumentException.class, () -> DataPathBench.Options.parse("--seconds"));
        assertThrows(IllegalArgumentException.class, () -> DataPathBench.Options.parse("--fast"));
    }

    @Test
    void cpuSecondsComeFromUtimeAndStime()
    {
        // proc(5): pid (comm) state ppid ... utime(14) stime(15); a comm may hold spaces and parentheses.
        final String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 150 0 0 20 0 30 0 1 2 3";
        assertEquals(4.0, DataPathBench.CpuClock.cpuSeconds(stat, 100), 1e-9);
    }

    @Test
    void mediansCountFailedThroughputRoundsAsZeroButLeaveOutFailedLatencies()
    {
        final DataPathReport report = new DataPathReport(new DataPathReport.Machine("d", 2, "k", "c", "o", "j", Map.of(), "0 0 0"),
            new DataPathReport.Settings(3, 1, 10, List.of("kernel", "vtep"), "wire"));
        report.vtep("kernel", "k");
        report.vtep("vtep", "v");
        for (final double tcp : new double[] {10e9, 8e9, 9e9})
        {
            report.add("kernel", Map.of(Figure.TCP_DEFAULT, Sample.of(tcp, ""), Figure.PING_AVG, Sample.of(0.1, "")));
        }
        report.add("vtep", Map.of(Figure.TCP_DEFAULT, Sample.failed("no TCP"), Figure.PING_AVG, Sample.failed("no reply")));
        report.add("vtep", Map.of(Figure.TCP_DEFAULT, Sample.of(3e9, ""), Figure.PING_AVG, Sample.of(0.4, "")));
        report.add("vtep", Map.of(Figure.TCP_DEFAULT, Sample.failed("no TCP"), Figure.PING_AVG, Sample.of(0.2, "")));

        assertEquals(9e9, report.summary("kernel", Figure.TCP_DEFAULT).value());
        final DataPathReport.Summary tcp = report.summary("vtep", Figure.TCP_DEFAULT);
        assertEquals(0.0, tcp.value(), "two of three rounds failed: median 0");
        assertEquals("no TCP", tcp.failure());
        assertEquals(2, tcp.failedRounds());
        assertEquals(0.3, report.summary("vtep", Figure.PING_AVG).value(), 1e-12, "the failed RTT round is left out");
        assertEquals(3.0, report.ratio("kernel", Figure.PING_AVG), 1e-9);
        assertEquals(0.0, report.ratio("kernel", Figure.TCP_DEFAULT));
        assertTrue(Double.isNaN(report.ratio("ovs", Figure.TCP_DEFAULT)), "OVS did not run");
        final String table = report.table();
        assertTrue(table.contains("vtep, TCP 1 stream, hosts at default offloads: failed in 2 of 3 round(s): no TCP"), table);
        assertTrue(table.contains("9.00 (8.00..10.00)"), () -> "median and range of the kernel's TCP rounds\n" + table);
        final Object doc = Json.parse(report.json());
        assertEquals(0.0, Json.number(doc, "ratios", "vtep/kernel", Figure.TCP_DEFAULT.key));
        assertNull(Json.at(doc, "ratios", "vtep/ovs"));
    }
}
