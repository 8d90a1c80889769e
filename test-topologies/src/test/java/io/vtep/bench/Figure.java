package io.vtep.bench;

/**
 * What {@link DataPathBench} measures for each VTEP A, in the table's order. Values are kept in
 * base units (packets/s, bit/s, ms, s, µs) and shown scaled by {@link #scale} in {@link #unit}.
 */
enum Figure
{
    FRAMES64_DELIVERED("frames64_delivered_pps", "64-byte frames delivered (host B rx)", "kpps", 1e-3, 1, true),
    FRAMES64_FORWARDED("frames64_forwarded_pps", "  VTEP A sent on the underlay (ul0 tx)", "kpps", 1e-3, 1, true),
    FRAMES64_OFFERED("frames64_offered_pps", "  offered to VTEP A (acc1 rx)", "kpps", 1e-3, 1, true),
    TCP_DEFAULT("tcp_default_offloads_bps", "TCP 1 stream, hosts at default offloads", "Gbit/s", 1e-9, 2, true),
    TCP_REVERSE("tcp_reverse_bps", "TCP 1 stream, host B to host A (reverse)", "Gbit/s", 1e-9, 2, true),
    TCP_OFFLOADS_OFF("tcp_offloads_off_bps", "TCP 1 stream, hosts' TSO/GSO/GRO off", "Gbit/s", 1e-9, 2, true),
    UDP64_DELIVERED("udp64_delivered_pps", "UDP 64-byte payload (iperf3), delivered", "kpps", 1e-3, 1, true),
    PING_AVG("ping_avg_ms", "ping RTT average (idle, 0.2 s interval)", "ms", 1, 3, false),
    PING_P99("ping_p99_ms", "ping RTT p99", "ms", 1, 3, false),
    CPU_SECONDS("vtep_a_cpu_seconds", "VTEP A CPU seconds, all figures", "s", 1, 2, false),
    CPU_PER_FRAME("vtep_a_cpu_us_per_frame", "VTEP A CPU per 64-byte frame sent", "us", 1, 2, false);

    /** The JSON key. */
    final String key;
    final String label;
    final String unit;
    final double scale;
    final int decimals;
    /**
     * Throughput figures: a failed round counts as 0 in the median, and a failure is shown as 0.
     * The others (latency, CPU) have no meaningful 0: failed rounds are left out of the median.
     */
    final boolean higherIsBetter;

    Figure(final String key, final String label, final String unit, final double scale, final int decimals, final boolean higherIsBetter)
    {
        this.key = key;
        this.label = label;
        this.unit = unit;
        this.scale = scale;
        this.decimals = decimals;
        this.higherIsBetter = higherIsBetter;
    }

    /** The value in the table's unit and precision. */
    String format(final double value)
    {
        return String.format("%." + decimals + "f", value * scale);
    }
}
