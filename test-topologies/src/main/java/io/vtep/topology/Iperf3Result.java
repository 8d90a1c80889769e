package io.vtep.topology;

/**
 * The end summary of an {@code iperf3 -J} client run.
 *
 * <p>For TCP, iperf3 reports {@code end.sum_sent} (with retransmits) and {@code end.sum_received};
 * for UDP ({@code -u}) it reports {@code end.sum} with lost packets and jitter (and, depending on
 * the version, the sent/received sums too). Fields that the run did not report are NaN / -1.
 *
 * @param sentBitsPerSecond     sender's average rate
 * @param receivedBitsPerSecond receiver's average rate (what actually made it across)
 * @param sentBytes             bytes sent
 * @param receivedBytes         bytes received
 * @param retransmits           TCP retransmissions (sender side), -1 for UDP
 * @param lostPackets           UDP packets lost, -1 for TCP
 * @param lostPercent           UDP loss in percent, NaN for TCP
 * @param jitterMs              UDP jitter in ms, NaN for TCP
 * @param json                  iperf3's whole JSON output
 */
public record Iperf3Result(double sentBitsPerSecond, double receivedBitsPerSecond, long sentBytes, long receivedBytes,
    long retransmits, long lostPackets, double lostPercent, double jitterMs, String json)
{

    /**
     * Parses {@code iperf3 -J} output. iperf3 reports its own failures (connection refused, ...)
     * as a JSON document with an {@code error} key: that becomes an IllegalStateException.
     */
    public static Iperf3Result parse(String json)
    {
        Object doc = Json.parse(json);
        String error = Json.string(doc, "error");
        if (error != null)
        {
            throw new IllegalStateException("iperf3 failed: " + error);
        }
        if (Json.at(doc, "end") == null)
        {
            throw new IllegalStateException("iperf3 JSON without an 'end' summary:\n" + json);
        }
        boolean udp = Json.at(doc, "end", "sum") != null && Json.at(doc, "end", "sum_sent") == null || "UDP".equals(Json.string(doc, "start",
            "test_start", "protocol"));
        double sentBps = first(Json.number(doc, "end", "sum_sent", "bits_per_second"), Json.number(doc, "end", "sum", "bits_per_second"));
        double recvBps = first(Json.number(doc, "end", "sum_received", "bits_per_second"), Json.number(doc, "end", "sum", "bits_per_second"));
        double sentBytes = first(Json.number(doc, "end", "sum_sent", "bytes"), Json.number(doc, "end", "sum", "bytes"));
        double recvBytes = first(Json.number(doc, "end", "sum_received", "bytes"), Json.number(doc, "end", "sum", "bytes"));
        double retransmits = Json.number(doc, "end", "sum_sent", "retransmits");
        return new Iperf3Result(sentBps, recvBps, (long)sentBytes, (long)recvBytes,
            udp || Double.isNaN(retransmits) ? -1 : (long)retransmits,
            udp ? (long)Json.number(doc, "end", "sum", "lost_packets") : -1,
            udp ? Json.number(doc, "end", "sum", "lost_percent") : Double.NaN,
            udp ? Json.number(doc, "end", "sum", "jitter_ms") : Double.NaN,
            json);
    }

    private static double first(double a, double b)
    {
        return Double.isNaN(a) ? b : a;
    }

    @Override
    public String toString()
    {
        return String.format("sent %.1f Mbit/s (%d bytes), received %.1f Mbit/s (%d bytes)%s%s",
            sentBitsPerSecond / 1e6, sentBytes, receivedBitsPerSecond / 1e6, receivedBytes,
            retransmits >= 0 ? ", " + retransmits + " retransmits" : "",
            lostPackets >= 0 ? ", " + lostPackets + " lost (" + lostPercent + "%), jitter " + jitterMs + " ms" : "");
    }
}
