package io.vtep.core.config;

/**
 * The {@code dataplane:} section: how the forwarding threads run.
 *
 * @param pipelines    forwarding threads; each serves every af-packet access port (its own member
 *                     of a {@code PACKET_FANOUT} group per port) and its own underlay socket
 *                     ({@code SO_REUSEPORT}), so flows spread over cores by the kernel's flow hash
 * @param busyPoll     never block: each pipeline spins on its sockets (a dedicated core each, lowest
 *                     latency); off by default
 * @param spinMicros   in the default blocking mode, how long a pipeline keeps polling its sockets
 *                     after its last frame before it blocks: a reply that comes back within it is
 *                     forwarded without a thread wake-up
 * @param underlayGso  the segments of a TCP/UDP super-frame from an access host leave as one UDP GSO
 *                     datagram per VTEP ({@code UDP_SEGMENT}) instead of one packet each; on by
 *                     default, used when the kernel supports it (Linux 4.18 and later)
 */
public record DataplaneConfig(int pipelines, boolean busyPoll, int spinMicros, boolean underlayGso)
{
    public static final int DEFAULT_SPIN_MICROS = 200;
    public static final int MAX_PIPELINES = 64;

    /** The defaults: one pipeline per two available processors, at least one; blocking with a short spin. */
    public static DataplaneConfig defaults()
    {
        return new DataplaneConfig(defaultPipelines(), false, DEFAULT_SPIN_MICROS, true);
    }

    /**
     * Half the processors: the kernel's own work for each frame (packet socket receive, UDP send,
     * the peer's softirq) needs about as much CPU as the pipeline does.
     */
    public static int defaultPipelines()
    {
        return Math.max(1, Math.min(MAX_PIPELINES, Runtime.getRuntime().availableProcessors() / 2));
    }
}
