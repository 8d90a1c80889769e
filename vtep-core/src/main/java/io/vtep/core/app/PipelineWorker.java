package io.vtep.core.app;

import static io.vtep.core.nativeio.LinuxConstants.POLLIN;
import static io.vtep.core.nativeio.LinuxStructs.POLL_EVENTS;
import static io.vtep.core.nativeio.LinuxStructs.POLL_FD;

import java.lang.System.Logger;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.health.Heartbeat;
import io.vtep.core.nativeio.CpuAffinity;
import io.vtep.core.nativeio.ErrnoException;
import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.LinuxStructs;
import io.vtep.core.pipeline.AccessPipeline;
import io.vtep.core.pipeline.FailureLog;
import io.vtep.core.port.AccessPort;
import io.vtep.core.port.FrameBatch;
import io.vtep.core.port.PortLink;
import io.vtep.core.underlay.UnderlayReceiver;

/**
 * One forwarding thread (a pipeline, docs/architecture.md §3): it serves its own receive socket on
 * every af-packet access port and its own underlay socket, run to completion, no hand-off.
 *
 * <h2>One thread for both directions: an agent with a poll idle strategy</h2>
 * A request forwarded from an access port is usually answered within tens of microseconds, on
 * the underlay socket; one thread serving both answers it without a hand-off. The pipeline is an
 * Agrona {@link Agent} run by an {@code AgentRunner}: {@link #doWork()} is one pass over every
 * socket and never blocks; the wait is its idle strategy ({@link #idleStrategy()}): a
 * {@link PollIdleStrategy} that spins for {@code spinNanos}, then blocks in one {@code poll} over
 * all of the pipeline's sockets, or with busy-poll Agrona's {@link BusySpinIdleStrategy}.
 *
 * <p>A RuntimeException (a bug: bad input is dropped and counted, never thrown) must not end the
 * thread: it is counted per port or for the underlay, logged at most every 10 s, and the loop goes
 * on (the batch is lost). An {@code Error} does end it, and {@code ThreadHealth} logs, counts and
 * reports it in {@code /readyz} (docs/architecture.md §3.4).
 *
 * <h2>Taking a blocked peer's answers</h2>
 * With several pipelines the kernel hashes each underlay flow to one pipeline's socket, and a
 * request forwarded by one pipeline is often answered on another's. On a veth underlay the answer
 * even arrives inside the first pipeline's own {@code sendmmsg}, and if the other pipeline is
 * blocked in {@code poll} it must be woken, usually on the other CPU: on a VM whose idle vCPUs
 * halt that wake-up cost an idle ping ~0.2 ms, sometimes milliseconds. So a pass that found
 * nothing of its own reads the underlay socket of every peer that is blocked
 * ({@link ParkedFlag}, {@link UnderlayReceiver#receiveFor}) while it spins; the socket's reading
 * lock keeps each socket's datagrams in order. A busy pipeline takes nothing from its peers, and
 * with busy-poll none is ever blocked.
 *
 * <h2>Heartbeat and following the ports' interfaces</h2>
 * Each duty cycle beats the thread's {@link Heartbeat} (the {@code poll} waits at most
 * {@link #POLL_MILLIS}) and checks, with one volatile read per lane, whether a port's interface
 * came back up; if so the lane's port is re-opened here, between two batches, and the new
 * descriptor goes into the {@code pollfd} array (docs/architecture.md §3.5).
 */
final class PipelineWorker implements Agent
{
    static final int BATCH_SIZE = 32;
    /** The CPU of a pipeline that the scheduler places. */
    static final int NOT_PINNED = -1;
    private static final int POLL_MILLIS = 100;
    /**
     * How often the kernel's socket-queue drops are read: often enough for a scrape to see them
     * within a second, rarely enough to cost nothing per packet.
     */
    static final long SOCKET_DROPS_INTERVAL_NANOS = 500_000_000L;
    /** Under load the clock is read for that check every 256th busy turn only (not per batch). */
    private static final int BUSY_TURNS_PER_DROPS_CHECK_MASK = 0xFF;
    private static final Logger LOGGER = System.getLogger(PipelineWorker.class.getName());
    private static final int POLLFD_SIZE = (int)LinuxStructs.POLLFD.byteSize();

    /** One access port's receive socket of this pipeline, with its pipeline and batch. */
    static final class Lane
    {
        private final AccessPort port;
        private final AccessPipeline pipeline;
        private final FrameBatch batch;
        private final PortFollower follower;
        private long truncatedReported;
        private long socketDropsReported;
        private final FailureLog failures = new FailureLog(LOGGER);

        Lane(final AccessPort port, final AccessPipeline pipeline)
        {
            this(port, pipeline, null, PortFollower.Role.ALONE);
        }

        /** A lane that follows its interface ({@code link}) in {@code role}; a null link never re-opens. */
        Lane(final AccessPort port, final AccessPipeline pipeline, final PortLink link, final PortFollower.Role role)
        {
            this.port = port;
            this.pipeline = pipeline;
            this.batch = new FrameBatch(BATCH_SIZE, port.maxFrameLength());
            this.follower = new PortFollower(port, link, role);
        }

        /** RuntimeExceptions caught (and survived) on this lane. */
        long failures()
        {
            return failures.failures();
        }

        String portName()
        {
            return port.name();
        }

        /** The receive socket this lane reads. */
        AccessPort port()
        {
            return port;
        }
    }

    private final String name;
    /** Replaced only by this pipeline's thread, when it takes a reload's {@link PortChanges}. */
    private Lane[] lanes;
    /** Most lanes at once: the {@code pollfd} array has a slot for each, unused ones {@code fd -1} (poll(2) skips them). */
    private final int laneCapacity;
    private final PortChanges portChanges = new PortChanges();
    private final UnderlayReceiver underlay;
    private final NanoClock clock;
    private final boolean busyPoll;
    private final long spinNanos;
    private final MemorySegment pollfds;
    private final int pollCount;
    private final FailureLog underlayFailures = new FailureLog(LOGGER);
    private volatile long packets;
    private long nextSocketDropsRead;
    private int busyTurns;
    private final Heartbeat heartbeat;
    private final UnsafeBuffer pollfdView;
    private final int cpu;
    private final ParkedFlag parked = new ParkedFlag();
    /** The other pipelines that serve an underlay socket; set once before the threads start. */
    private PipelineWorker[] peers = new PipelineWorker[0];

    /**
     * @param laneCapacity most lanes at once, the ones a reload may add included ({@link #portChanges()})
     * @param underlay     the pipeline's underlay socket (opened with {@link UnderlayReceiver#openServed}),
     *                     or null when another thread serves the underlay
     * @param cpu          the CPU the pipeline's thread binds itself to when it starts, or {@link #NOT_PINNED}
     */
    PipelineWorker(final String name, final List<Lane> lanes, final int laneCapacity, final UnderlayReceiver underlay, final NanoClock clock,
        final boolean busyPoll, final long spinNanos, final Heartbeat heartbeat, final int cpu)
    {
        this.name = name;
        this.cpu = cpu;
        this.heartbeat = heartbeat;
        this.lanes = lanes.toArray(Lane[]::new);
        this.laneCapacity = Math.max(laneCapacity, this.lanes.length);
        this.underlay = underlay;
        this.clock = clock;
        this.busyPoll = busyPoll;
        this.spinNanos = spinNanos;
        this.pollCount = this.laneCapacity + (underlay == null ? 0 : 1);
        this.pollfds = Arena.ofAuto().allocate((long)Math.max(1, pollCount) * POLLFD_SIZE, 8);
        final UnsafeBuffer fds = new UnsafeBuffer(pollfds.address(), (int)pollfds.byteSize());
        this.pollfdView = fds;
        writeLaneFds();
        if (underlay != null)
        {
            fds.putInt(this.laneCapacity * POLLFD_SIZE + (int)POLL_FD, underlay.fd());
            fds.putShort(this.laneCapacity * POLLFD_SIZE + (int)POLL_EVENTS, POLLIN);
        }
    }

    /** The lanes' descriptors into the {@code pollfd} array, then -1 in the slots no lane uses. */
    private void writeLaneFds()
    {
        for (int i = 0; i < laneCapacity; i++)
        {
            int fd = -1;
            if (i < lanes.length)
            {
                fd = lanes[i].port.receiveFd();
                if (fd < 0)
                {
                    throw new IllegalArgumentException("port " + lanes[i].port.name() + " cannot be polled by a pipeline");
                }
            }
            pollfdView.putInt(i * POLLFD_SIZE + (int)POLL_FD, fd);
            pollfdView.putShort(i * POLLFD_SIZE + (int)POLL_EVENTS, POLLIN);
        }
    }

    /** Where a reload hands this pipeline its access ports added or removed (docs/architecture.md §3.6). */
    PortChanges portChanges()
    {
        return portChanges;
    }

    /** Most lanes at once. */
    int laneCapacity()
    {
        return laneCapacity;
    }

    /** Here, on this pipeline's thread, between two batches: the lanes a reload left, and their descriptors. */
    private void takePortChanges()
    {
        portChanges.take(lanes, laneCapacity, next ->
        {
            lanes = next;
            writeLaneFds();
        });
    }

    String name()
    {
        return name;
    }

    Heartbeat heartbeat()
    {
        return heartbeat;
    }

    List<Lane> lanes()
    {
        return List.of(lanes);
    }

    @Override
    public String roleName()
    {
        return name;
    }

    /**
     * Binds this thread to its CPU ({@code dataplane.pin-cpus}): the underlay group steers a
     * datagram to the socket of the pipeline on the CPU that received it, which only helps if the
     * pipeline stays there. A refusal (a cpuset changed under us) is logged and forwarding goes on
     * unpinned: slower answers, nothing lost.
     */
    @Override
    public void onStart()
    {
        if (cpu == NOT_PINNED)
        {
            return;
        }
        try
        {
            CpuAffinity.pinCurrentThread(cpu);
        }
        catch (final ErrnoException ex)
        {
            LOGGER.log(Logger.Level.WARNING, "{0}: cannot bind to CPU {1} ({2}); running unpinned", name, String.valueOf(cpu), ex.getMessage());
        }
    }

    /** The CPU this pipeline is bound to, or {@link #NOT_PINNED}. */
    int cpu()
    {
        return cpu;
    }

    /** How this pipeline waits when a pass found nothing: a fresh strategy for its runner. */
    IdleStrategy idleStrategy()
    {
        return busyPoll ? new BusySpinIdleStrategy() : new PollIdleStrategy(pollfds, pollCount, spinNanos, POLL_MILLIS, parked);
    }

    /**
     * The pipelines whose underlay sockets this one reads while they are blocked and it has
     * nothing of its own (the class comment). Before the pipelines' threads start.
     */
    void peers(final List<PipelineWorker> pipelines)
    {
        peers = pipelines.stream().filter(p -> p != this && p.underlay != null).toArray(PipelineWorker[]::new);
    }

    /**
     * One duty cycle: beat, follow the ports' interfaces, one pass over every socket (never
     * waiting), and the kernel's socket drops when due.
     *
     * @return frames and datagrams handled
     */
    @Override
    public int doWork()
    {
        heartbeat.beat();
        if (portChanges.isPending())
        {
            takePortChanges();
        }
        followLinks();
        final int work = forward();
        if (work > 0)
        {
            packets = packets + work; // single writer: this thread
            if ((++busyTurns & BUSY_TURNS_PER_DROPS_CHECK_MASK) == 0)
            {
                reportSocketDropsWhenDue(System.nanoTime());
            }
        }
        else
        {
            reportSocketDropsWhenDue(System.nanoTime());
        }
        return work;
    }

    /**
     * Reads the kernel's drops at every socket of this pipeline (one {@code getsockopt} each) once
     * {@link #SOCKET_DROPS_INTERVAL_NANOS} has passed, and counts the new ones as
     * {@code access_socket_queue} / {@code underlay_socket_queue} drops. Here, on the pipeline
     * thread, because the pipelines' counter blocks have a single writer; at an interval because
     * it is a system call per socket (some 0.5 µs each: a few µs a second, nothing per packet).
     */
    private void reportSocketDropsWhenDue(final long now)
    {
        if (now - nextSocketDropsRead < 0)
        {
            return;
        }
        nextSocketDropsRead = now + SOCKET_DROPS_INTERVAL_NANOS;
        reportSocketDrops();
    }

    /** Counts the kernel's new drops at this pipeline's sockets now. */
    void reportSocketDrops()
    {
        for (final Lane lane : lanes)
        {
            try
            {
                final long drops = lane.port.socketQueueDrops();
                if (drops != lane.socketDropsReported)
                {
                    lane.pipeline.socketQueueDrops(drops - lane.socketDropsReported);
                    lane.socketDropsReported = drops;
                }
            }
            catch (final RuntimeException ex)
            {
                lane.failures.failed(name + ": reading the kernel's drops on port " + lane.port.name() + " failed", ex);
            }
        }
        if (underlay != null)
        {
            try
            {
                underlay.reportSocketDrops();
            }
            catch (final RuntimeException ex)
            {
                underlayFailures.failed(name + ": reading the kernel's drops on the underlay socket failed", ex);
            }
        }
    }

    /**
     * Re-opens a lane's port when its interface came (back) up (docs/architecture.md §3.5): here,
     * between two batches, on the thread that polls the socket, which then polls the new one.
     */
    private void followLinks()
    {
        for (int i = 0; i < lanes.length; i++)
        {
            final Lane lane = lanes[i];
            if (lane.follower.behind() && lane.follower.catchUp(System.nanoTime()))
            {
                pollfdView.putInt(i * POLLFD_SIZE + (int)POLL_FD, lane.port.receiveFd());
            }
        }
    }

    /** One pass over every socket, never waiting. @return frames and datagrams handled */
    private int forward()
    {
        int work = 0;
        for (final Lane lane : lanes)
        {
            try
            {
                final int count = lane.port.receive(lane.batch, 0);
                if (count > 0)
                {
                    lane.pipeline.process(lane.batch, clock.nanoTime());
                    work += count;
                }
                final long truncated = lane.port.truncatedFrames();
                if (truncated != lane.truncatedReported)
                {
                    lane.pipeline.truncated(truncated - lane.truncatedReported);
                    lane.truncatedReported = truncated;
                }
            }
            catch (final RuntimeException ex)
            {
                lane.batch.clear();
                lane.failures.failed(name + ": forwarding failed on port " + lane.port.name() + ", batch lost, pipeline continues", ex);
            }
        }
        if (underlay != null)
        {
            try
            {
                work += underlay.receive();
            }
            catch (final RuntimeException ex)
            {
                underlayFailures.failed(name + ": forwarding failed on the underlay, batch lost, pipeline continues", ex);
            }
            if (work == 0)
            {
                work = forwardForBlockedPeers();
            }
        }
        return work;
    }

    /** Nothing of our own: what waits on the sockets of peers blocked in {@code poll} (the class comment). */
    private int forwardForBlockedPeers()
    {
        int work = 0;
        for (final PipelineWorker peer : peers)
        {
            if (peer.parked.isParked())
            {
                try
                {
                    work += underlay.receiveFor(peer.underlay);
                }
                catch (final RuntimeException ex)
                {
                    underlayFailures.failed(name + ": forwarding for " + peer.name + " failed on the underlay, batch lost, pipeline continues", ex);
                }
            }
        }
        return work;
    }

    /** Frames and datagrams received so far. */
    long packets()
    {
        return packets;
    }

    /**
     * RuntimeExceptions caught while serving the underlay: here (a whole batch) and inside the
     * receiver (one datagram, or the end of a batch), its own socket's or a peer's.
     */
    long underlayFailures()
    {
        return underlayFailures.failures() + (underlay == null ? 0 : underlay.failures());
    }
}
