package io.vtep.topology;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The summary of an iputils {@code ping} run.
 *
 * @param transmitted  echo requests sent
 * @param received     echo replies received
 * @param errors       ICMP errors reported ("+N errors", e.g. host unreachable), 0 when none
 * @param lossPercent  packet loss as ping reports it
 * @param rttMinMs     round-trip time minimum in ms, or NaN when nothing came back
 * @param rttAvgMs     average
 * @param rttMaxMs     maximum
 * @param rttMdevMs    mean deviation
 * @param output       ping's whole output, for messages
 */
public record PingResult(int transmitted, int received, int errors, double lossPercent,
    double rttMinMs, double rttAvgMs, double rttMaxMs, double rttMdevMs, String output)
{

    private static final Pattern SUMMARY = Pattern.compile(
        "(\\d+) packets transmitted, (\\d+) (?:packets )?received,(?: \\+(\\d+) errors,)?(?: \\+\\d+ duplicates,)?" + " ([\\d.]+)% packet loss");
    private static final Pattern RTT = Pattern.compile(
        "(?:rtt|round-trip) min/avg/max/(?:mdev|stddev) = ([\\d.]+)/([\\d.]+)/([\\d.]+)/([\\d.]+) ms");

    /** Parses ping's output; throws IllegalArgumentException when it has no summary line. */
    public static PingResult parse(String output)
    {
        Matcher s = SUMMARY.matcher(output);
        if (!s.find())
        {
            throw new IllegalArgumentException("no ping summary in output:\n" + output);
        }
        int errors = s.group(3) == null ? 0 : Integer.parseInt(s.group(3));
        Matcher r = RTT.matcher(output);
        boolean rtt = r.find();
        return new PingResult(Integer.parseInt(s.group(1)), Integer.parseInt(s.group(2)), errors,
            Double.parseDouble(s.group(4)),
            rtt ? Double.parseDouble(r.group(1)) : Double.NaN,
            rtt ? Double.parseDouble(r.group(2)) : Double.NaN,
            rtt ? Double.parseDouble(r.group(3)) : Double.NaN,
            rtt ? Double.parseDouble(r.group(4)) : Double.NaN,
            output);
    }

    /** True when every request got its reply. */
    public boolean allReceived()
    {
        return transmitted > 0 && received == transmitted;
    }

    @Override
    public String toString()
    {
        return transmitted + " transmitted, " + received + " received, " + lossPercent + "% loss" + (errors > 0 ? ", " + errors + " errors" : "") +
            (Double.isNaN(rttAvgMs) ? "" : ", rtt avg " + rttAvgMs + " ms");
    }
}
