package io.vtep.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vtep.core.api.JsonWriter;

/**
 * What {@link DataPathBench} found: per VTEP A and round, one {@link Sample} per {@link Figure};
 * the medians, the ratios vtep/kernel and vtep/ovs, and the two renderings (a table for people,
 * JSON written with the appliance's {@link JsonWriter} for programs).
 */
final class DataPathReport
{
    /** The machine and the moment, as printed above the table and stored in the JSON. */
    record Machine(String date, int nproc, String kernel, String cpuModel, String os, String java,
        Map<String, String> tools, String loadAverageStart)
    {
    }

    /** How the run was set up. */
    record Settings(int rounds, int seconds, int pings, List<String> only, String underlay)
    {
    }

    /** The median of one figure of one VTEP over the rounds. */
    record Summary(double value, String failure, String notApplicable, int failedRounds, int rounds, double min, double max)
    {
        boolean hasValue()
        {
            return !Double.isNaN(value);
        }
    }

    private final Machine machine;
    private final Settings settings;
    /** VTEP name -> description, in the table's order. */
    private final Map<String, String> descriptions = new LinkedHashMap<>();
    /** VTEP name -> why it was skipped. */
    private final Map<String, String> skipped = new LinkedHashMap<>();
    /** VTEP name -> rounds, each figure -> sample. */
    private final Map<String, List<Map<Figure, Sample>>> rounds = new LinkedHashMap<>();
    private String loadAverageEnd = "";
    private double elapsedSeconds = Double.NaN;

    DataPathReport(final Machine machine, final Settings settings)
    {
        this.machine = machine;
        this.settings = settings;
    }

    synchronized void vtep(final String name, final String description)
    {
        descriptions.put(name, description);
        rounds.putIfAbsent(name, new ArrayList<>());
    }

    synchronized void skip(final String name, final String reason)
    {
        skipped.put(name, reason);
    }

    synchronized void add(final String name, final Map<Figure, Sample> samples)
    {
        rounds.computeIfAbsent(name, n -> new ArrayList<>()).add(new EnumMap<>(samples));
    }

    synchronized void finish(final String loadAverage, final double elapsed)
    {
        this.loadAverageEnd = loadAverage;
        this.elapsedSeconds = elapsed;
    }

    Machine machine()
    {
        return machine;
    }

    Settings settings()
    {
        return settings;
    }

    /** The VTEPs that ran (not skipped), in order. */
    synchronized List<String> ran()
    {
        return descriptions.keySet().stream().filter(n -> !skipped.containsKey(n)).toList();
    }

    /**
     * The median over the rounds. For throughput figures a failed round counts as 0 (and when every
     * round failed, the figure is 0 with the failure); for latency and CPU figures failed rounds are
     * left out (every round failed: no value). A figure not applicable in any round is not applicable.
     */
    synchronized Summary summary(final String vtep, final Figure figure)
    {
        final List<Map<Figure, Sample>> list = rounds.getOrDefault(vtep, List.of());
        final List<Double> values = new ArrayList<>();
        String failure = null;
        String notApplicable = null;
        int failed = 0;
        for (final Map<Figure, Sample> round : list)
        {
            final Sample s = round.get(figure);
            if (s == null)
            {
                continue;
            }
            if (s.notApplicable() != null)
            {
                notApplicable = s.notApplicable();
            }
            else if (s.failure() != null)
            {
                failed++;
                failure = failure == null ? s.failure() : failure;
                if (figure.higherIsBetter)
                {
                    values.add(0.0);
                }
            }
            else
            {
                values.add(s.value());
            }
        }
        if (values.isEmpty() && failure == null && notApplicable != null)
        {
            return new Summary(Double.NaN, null, notApplicable, 0, list.size(), Double.NaN, Double.NaN);
        }
        return new Summary(median(values), failure, null, failed, list.size(),
            values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
            values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    }

    static double median(final List<Double> values)
    {
        if (values.isEmpty())
        {
            return Double.NaN;
        }
        final double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        final int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** vtep's median / the other's, or NaN when either is missing or the other is 0. */
    double ratio(final String other, final Figure figure)
    {
        if (!ran().contains("vtep") || !ran().contains(other))
        {
            return Double.NaN;
        }
        final Summary mine = summary("vtep", figure);
        final Summary theirs = summary(other, figure);
        if (!mine.hasValue() || !theirs.hasValue() || theirs.value() == 0)
        {
            return Double.NaN;
        }
        return mine.value() / theirs.value();
    }

    /** The ratio columns this run can have: vtep/kernel, vtep/ovs, for whichever ran besides vtep. */
    List<String> ratioColumns()
    {
        final List<String> others = new ArrayList<>();
        if (ran().contains("vtep"))
        {
            for (final String other : List.of("kernel", "ovs"))
            {
                if (ran().contains(other))
                {
                    others.add(other);
                }
            }
        }
        return others;
    }

    // ------------------------------------------------------------------------------------
    // Table
    // ------------------------------------------------------------------------------------

    /** The human-readable report: machine, settings, the table of medians and ratios, notes. */
    synchronized String table()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("End-to-end data path benchmark, ").append(machine.date()).append('\n');
        sb.append("machine: ").append(machine.nproc()).append(" CPUs (nproc), ").append(machine.cpuModel())
            .append(", kernel ").append(machine.kernel()).append(", ").append(machine.os()).append(", Java ").append(machine.java()).append('\n');
        sb.append("tools: ");
        sb.append(String.join("; ", machine.tools().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList())).append('\n');
        sb.append("load average at start: ").append(machine.loadAverageStart()).append(", at end: ").append(loadAverageEnd).append('\n');
        sb.append(String.format("medians of %d round(s), %d s per figure, %d pings, %s underlay; VTEP A order rotated each round%s%n",
            settings.rounds(), settings.seconds(), settings.pings(), settings.underlay(),
            Double.isNaN(elapsedSeconds) ? "" : String.format("; whole run %.0f s", elapsedSeconds)));
        for (final Map.Entry<String, String> e : descriptions.entrySet())
        {
            sb.append("  ").append(e.getKey()).append(": ").append(e.getValue());
            if (skipped.containsKey(e.getKey()))
            {
                sb.append("\n    SKIPPED: ").append(skipped.get(e.getKey()));
            }
            sb.append('\n');
        }
        sb.append('\n');

        final List<String> cols = ran();
        final List<String> ratioCols = ratioColumns();
        final List<String> header = new ArrayList<>();
        header.add("figure");
        header.add("unit");
        header.addAll(cols);
        ratioCols.forEach(o -> header.add("vtep/" + o));
        final List<List<String>> rows = new ArrayList<>();
        final Set<String> notes = new LinkedHashSet<>();
        for (final Figure f : Figure.values())
        {
            final List<String> row = new ArrayList<>();
            row.add(f.label);
            row.add(f.unit);
            for (final String vtep : cols)
            {
                row.add(cell(summary(vtep, f), vtep, f, notes));
            }
            for (final String other : ratioCols)
            {
                final double r = ratio(other, f);
                row.add(Double.isNaN(r) ? "n/a" : String.format("%.2f", r));
            }
            rows.add(row);
        }
        final int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++)
        {
            width[i] = header.get(i).length();
            for (final List<String> row : rows)
            {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        appendRow(sb, header, width);
        final List<String> rule = new ArrayList<>();
        for (final int w : width)
        {
            rule.add("-".repeat(w));
        }
        appendRow(sb, rule, width);
        rows.forEach(r -> appendRow(sb, r, width));
        if (!notes.isEmpty())
        {
            sb.append('\n');
            int i = 1;
            for (final String note : notes)
            {
                sb.append('[').append(i++).append("] ").append(note).append('\n');
            }
        }
        skipped.forEach((name, why) -> sb.append('\n').append(name).append(" was NOT measured (skipped): ").append(why).append('\n'));
        sb.append("\nEach cell is the median over the rounds, (lowest..highest) when they differ. Ratios are vtep's median\n" +
            "divided by the other's: above 1 is better for vtep in the throughput rows, below 1 in the RTT and CPU rows;\n" +
            "n/a: a median is missing or zero.\n");
        return sb.toString();
    }

    /** A table cell; failures become a numbered note (numbers follow the order of {@code notes}). */
    private String cell(final Summary s, final String vtep, final Figure f, final Set<String> notes)
    {
        if (s.notApplicable() != null)
        {
            return "n/a";
        }
        String text = s.hasValue() ? f.format(s.value()) : "failed";
        if (s.hasValue() && s.failedRounds() < s.rounds() && s.rounds() > 1 && s.min() != s.max())
        {
            text += " (" + f.format(s.min()) + ".." + f.format(s.max()) + ")";
        }
        if (s.failure() != null)
        {
            final String note = vtep + ", " + f.label.strip() + ": failed in " + s.failedRounds() + " of " + s.rounds() + " round(s): " + s.failure();
            notes.add(note);
            final int index = new ArrayList<>(notes).indexOf(note) + 1;
            text += s.failedRounds() == s.rounds() ? " (failed [" + index + "])" : " ([" + index + "])";
        }
        return text;
    }

    private static void appendRow(final StringBuilder sb, final List<String> cells, final int[] width)
    {
        for (int i = 0; i < cells.size(); i++)
        {
            final String c = cells.get(i);
            final boolean left = i < 2;
            sb.append(i == 0 ? "" : " | ");
            sb.append(left ? String.format("%-" + width[i] + "s", c) : String.format("%" + width[i] + "s", c));
        }
        sb.append('\n');
    }

    // ------------------------------------------------------------------------------------
    // JSON
    // ------------------------------------------------------------------------------------

    /** The machine-readable report (values in base units: pps, bit/s, ms, s, µs). */
    synchronized String json()
    {
        final JsonWriter w = new JsonWriter().beginObject();
        w.field("benchmark", "vtep end-to-end data path (benchmarks/run-e2e.sh)");
        w.field("date", machine.date());
        w.name("machine").beginObject()
            .field("nproc", machine.nproc())
            .field("kernel", machine.kernel())
            .field("cpu_model", machine.cpuModel())
            .field("os", machine.os())
            .field("java", machine.java())
            .field("load_average_start", machine.loadAverageStart())
            .field("load_average_end", loadAverageEnd);
        w.name("tools").beginObject();
        machine.tools().forEach(w::field);
        w.endObject().endObject();
        w.name("settings").beginObject()
            .field("rounds", settings.rounds())
            .field("seconds_per_figure", settings.seconds())
            .field("pings", settings.pings())
            .field("underlay", settings.underlay());
        w.name("only").beginArray();
        settings.only().forEach(w::value);
        w.endArray();
        if (!Double.isNaN(elapsedSeconds))
        {
            w.field("elapsed_seconds", Math.round(elapsedSeconds * 10) / 10.0);
        }
        w.endObject();
        w.name("figures").beginArray();
        for (final Figure f : Figure.values())
        {
            w.beginObject().field("key", f.key).field("label", f.label.strip()).field("table_unit", f.unit)
                .field("higher_is_better", f.higherIsBetter).endObject();
        }
        w.endArray();
        w.name("vteps").beginArray();
        for (final Map.Entry<String, String> e : descriptions.entrySet())
        {
            final String vtep = e.getKey();
            w.beginObject().field("name", vtep).field("description", e.getValue());
            if (skipped.containsKey(vtep))
            {
                w.field("status", "skipped").field("skip_reason", skipped.get(vtep)).endObject();
                continue;
            }
            w.field("status", "ran");
            w.name("medians").beginObject();
            for (final Figure f : Figure.values())
            {
                final Summary s = summary(vtep, f);
                w.name(f.key).beginObject();
                number(w, "value", s.value());
                number(w, "min", s.min());
                number(w, "max", s.max());
                w.field("failure", s.failure());
                w.field("failed_rounds", s.failedRounds());
                w.field("not_applicable", s.notApplicable());
                w.endObject();
            }
            w.endObject();
            w.name("rounds").beginArray();
            for (final Map<Figure, Sample> round : rounds.getOrDefault(vtep, List.of()))
            {
                w.beginObject();
                for (final Figure f : Figure.values())
                {
                    final Sample s = round.get(f);
                    if (s == null)
                    {
                        continue;
                    }
                    w.name(f.key).beginObject();
                    number(w, "value", s.value());
                    w.field("failure", s.failure());
                    w.field("not_applicable", s.notApplicable());
                    w.field("detail", s.detail());
                    w.endObject();
                }
                w.endObject();
            }
            w.endArray();
            w.endObject();
        }
        w.endArray();
        w.name("ratios").beginObject();
        for (final String other : ratioColumns())
        {
            w.name("vtep/" + other).beginObject();
            for (final Figure f : Figure.values())
            {
                number(w, f.key, ratio(other, f));
            }
            w.endObject();
        }
        w.endObject();
        return w.endObject().toString();
    }

    private static void number(final JsonWriter w, final String name, final double value)
    {
        w.name(name);
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            w.nullValue();
        }
        else
        {
            w.value(value);
        }
    }

    @Override
    public String toString()
    {
        return "DataPathReport" + Arrays.asList(descriptions.keySet().toArray());
    }
}
