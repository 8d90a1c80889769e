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
 * @param pinCpus      each pipeline is bound to a CPU of its own (the n-th allowed CPU), and
 *                     underlay datagrams go to the socket of the pipeline on the CPU that received
 *                     them; used when there are no more pipelines than allowed CPUs. Off by default:
 *                     it forwarded more (64-byte frames 1.14x, offloads-off TCP 1.18x) but a pinned
 *                     pipeline cannot leave a CPU that other work holds, and the idle ping's p99
 *                     rose from 0.47 to 1.49 ms (benchmarks/README.md, 2026-12-05 07:08); for
 *                     gateway cores nothing else runs on
 * @param accessSteering with pinned pipelines, how an access port's frames are spread over them:
 *                     {@code flow} (by flow hash, the default) or {@code cpu} (to the pipeline on
 *                     the receiving CPU: for receive queues spread over CPUs by the NIC, RSS); without
 *                     pinning always by flow hash. On veth hosts {@code cpu} put a single sender and
 *                     its pipeline on one CPU: less throughput, and no better idle latency
 *                     (benchmarks/README.md, 2026-12-05 07:00)
 * @param accessRing   af-packet access ports receive through a memory-mapped ring ({@code TPACKET_V2})
 *                     instead of {@code recvmmsg}: the kernel copies each frame into it on the
 *                     sender's CPU. On by default: 64-byte frames 1.14x, CPU per frame 0.79x, TCP
 *                     with the hosts' offloads off 1.27x, the rest within the spread
 *                     (benchmarks/README.md, 2026-12-05 09:08)
 * @param coalesceTcp  consecutive TCP segments of one flow that arrive in one batch from the
 *                     underlay for one af-packet access port go to the host as one super-frame
 *                     behind a virtio-net header, as GRO would make it (io.vtep.core.pipeline.TcpSegmentCoalescer).
 *                     On by default: TCP from the underlay to a host 0.27x -> 0.72x the kernel VTEP
 *                     (benchmarks/README.md, 2026-12-05 13:20)
 */
public record DataplaneConfig(int pipelines, boolean busyPoll, int spinMicros, boolean underlayGso, boolean pinCpus,
    AccessSteering accessSteering, boolean accessRing, boolean coalesceTcp)
{
    /** {@code dataplane.access-steering} (io.vtep.core.port.FanoutSteering says what each does). */
    public enum AccessSteering
    {
        CPU,
        FLOW
    }

    public static final int DEFAULT_SPIN_MICROS = 200;
    public static final int MAX_PIPELINES = 64;

    /** The defaults: {@link #defaultPipelines()}; blocking with a short spin; UDP GSO on; pipelines not pinned; access rings; TCP coalescing. */
    public static DataplaneConfig defaults()
    {
        return new DataplaneConfig(defaultPipelines(), false, DEFAULT_SPIN_MICROS, true, false, AccessSteering.FLOW, true, true);
    }

    /**
     * Half the processors, but two when there are two or three: the kernel's own work for each
     * frame (packet socket receive, UDP send, the peer's softirq) needs about as much CPU as the
     * pipeline does, so half leaves it room on a larger machine; on two CPUs, two pipelines
     * forwarded 1.36× the 64-byte frames of one and at least as much in every other throughput
     * figure, because much of that kernel work runs in the sending pipeline's own system calls and
     * two spread it over both CPUs (benchmarks/README.md, 2026-12-05).
     */
    public static int defaultPipelines()
    {
        return defaultPipelines(Runtime.getRuntime().availableProcessors());
    }

    static int defaultPipelines(final int processors)
    {
        return Math.max(Math.min(2, processors), Math.min(MAX_PIPELINES, processors / 2));
    }
}
