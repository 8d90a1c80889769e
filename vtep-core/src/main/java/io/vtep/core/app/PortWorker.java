package io.vtep.core.app;

import java.lang.System.Logger;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.NoOpIdleStrategy;

import io.vtep.core.health.Heartbeat;
import io.vtep.core.pipeline.AccessPipeline;
import io.vtep.core.pipeline.FailureLog;
import io.vtep.core.port.AccessPort;
import io.vtep.core.port.FrameBatch;
import io.vtep.core.port.PortLink;

/**
 * The receive thread of one access port whose driver a pipeline cannot poll (pcap, which has no
 * descriptor): receive a batch, forward it to completion, repeat (docs/architecture.md §3, no
 * hand-off queue). An Agrona {@link Agent} run by an {@code AgentRunner} with a
 * {@link NoOpIdleStrategy}: the wait is the driver's own, in {@link AccessPort#receive} (at most
 * {@link #POLL_MILLIS}, so that the thread beats and notices a stop), because a pcap handle offers
 * nothing else to wait on.
 *
 * <p>A RuntimeException from the port or the pipeline (a bug: bad input is dropped and counted,
 * never thrown) must not end the thread silently, which would leave the port dead while the
 * appliance reports healthy. It is counted ({@link #failures()}), logged at most once per
 * {@link FailureLog#INTERVAL_NANOS} with the number suppressed in between, and the loop goes on with
 * the next batch (the failing batch is lost). An {@code Error} ends the thread: {@code ThreadHealth}
 * logs and counts it and {@code /readyz} names the thread. Each turn beats the thread's heartbeat
 * and, when the port's interface came back up, re-opens the port here (docs/architecture.md §3.4, §3.5).
 */
final class PortWorker implements Agent
{
    static final int BATCH_SIZE = 32;
    private static final int POLL_MILLIS = 100;
    private static final Logger LOGGER = System.getLogger(PortWorker.class.getName());

    private final AccessPort port;
    private final AccessPipeline pipeline;
    private final NanoClock clock;
    private final FrameBatch batch;
    private final FailureLog failures = new FailureLog(LOGGER);
    private long truncatedReported;
    private long socketDropsReported;
    private long nextSocketDropsRead;
    private final PortFollower follower;
    private final Heartbeat heartbeat;

    PortWorker(final AccessPort port, final AccessPipeline pipeline)
    {
        this(port, pipeline, null, null);
    }

    /**
     * @param link      the port's interface, followed (re-opened when it comes back); null: not followed
     * @param heartbeat beaten once per loop turn; null: none
     */
    PortWorker(final AccessPort port, final AccessPipeline pipeline, final PortLink link, final Heartbeat heartbeat)
    {
        this.port = port;
        this.pipeline = pipeline;
        this.clock = pipeline.clock();
        this.batch = new FrameBatch(BATCH_SIZE, port.maxFrameLength());
        this.follower = new PortFollower(port, link, PortFollower.Role.ALONE);
        this.heartbeat = heartbeat;
    }

    @Override
    public String roleName()
    {
        return "vtep-port-" + port.name();
    }

    /** The driver's receive waits; the runner need not. */
    static IdleStrategy idleStrategy()
    {
        return NoOpIdleStrategy.INSTANCE;
    }

    /**
     * One duty cycle: beat, follow the port's interface, receive one batch (waiting in the driver
     * up to {@link #POLL_MILLIS}) and forward it.
     *
     * @return frames forwarded
     */
    @Override
    public int doWork()
    {
        if (heartbeat != null)
        {
            heartbeat.beat();
        }
        if (follower.behind())
        {
            follower.catchUp(System.nanoTime());
        }
        int work = 0;
        try
        {
            work = port.receive(batch, POLL_MILLIS);
            if (work > 0)
            {
                pipeline.process(batch, clock.nanoTime());
            }
            final long truncated = port.truncatedFrames();
            if (truncated != truncatedReported)
            {
                pipeline.truncated(truncated - truncatedReported);
                truncatedReported = truncated;
            }
            reportSocketDropsWhenDue();
        }
        catch (final RuntimeException ex)
        {
            failed(ex);
        }
        return Math.max(work, 0);
    }

    /**
     * The kernel's drops at the port's buffer, as {@code access_socket_queue}, read every
     * {@link PipelineWorker#SOCKET_DROPS_INTERVAL_NANOS} (a system call; for pcap an allocation).
     */
    private void reportSocketDropsWhenDue()
    {
        final long now = System.nanoTime();
        if (now - nextSocketDropsRead < 0)
        {
            return;
        }
        nextSocketDropsRead = now + PipelineWorker.SOCKET_DROPS_INTERVAL_NANOS;
        final long drops = port.socketQueueDrops();
        if (drops > socketDropsReported) // never backwards, even if a driver's count did
        {
            pipeline.socketQueueDrops(drops - socketDropsReported);
            socketDropsReported = drops;
        }
    }

    private void failed(final RuntimeException ex)
    {
        batch.clear();
        failures.failed("port " + port.name() + ": forwarding failed, batch lost, worker continues", ex);
    }

    /** @return RuntimeExceptions caught (and survived) so far. */
    long failures()
    {
        return failures.failures();
    }
}
