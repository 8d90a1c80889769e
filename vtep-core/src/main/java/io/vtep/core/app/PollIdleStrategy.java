package io.vtep.core.app;

import java.lang.foreign.MemorySegment;

import org.agrona.concurrent.IdleStrategy;

import io.vtep.core.nativeio.Libc;

/**
 * The idle strategy of a forwarding pipeline (docs/architecture.md §3): after the last frame it
 * keeps spinning for {@code spinNanos} (the agent's duty cycle polls every socket without
 * blocking), then blocks in one {@code poll(2)} over all of the pipeline's sockets until any is
 * readable, or {@code pollMillis} passed, so that the thread beats its heartbeat and notices a
 * stop. The agent's {@code doWork} therefore never blocks: the only wait is here.
 *
 * <h2>Why spin first</h2>
 * A request forwarded from an access port is usually answered within tens of microseconds, and
 * the answer comes back on the underlay socket. A thread that blocked in {@code poll} as soon as
 * its queues were empty would need a scheduler wake-up for every such answer, which on an idle
 * gateway costs more than the forwarding itself (an idle ping through vtep took ~1.4 ms against
 * 0.13 ms through the kernel). So an idle gateway spends at most {@code spinNanos} of CPU per
 * burst, and a busy one never blocks. The spin yields the CPU at every turn ({@code sched_yield}):
 * with pipelines steered by CPU the sender of the request shares this CPU, and a traced idle ping
 * waited ~0.2 ms, runnable, for a spin that did not yield, its answer already in its socket. (With {@code dataplane.busy-poll} a pipeline uses Agrona's
 * {@code BusySpinIdleStrategy} instead and never blocks at all: a dedicated core.)
 *
 * <p>Allocation-free: the {@code pollfd} array is the pipeline's, in native memory; the pipeline
 * rewrites a descriptor there when it re-opens a port.
 */
final class PollIdleStrategy implements IdleStrategy
{
    /** Held, not only its address: an {@code Arena.ofAuto()} segment is freed once unreachable. */
    private final MemorySegment pollfds;
    private final int pollCount;
    private final long spinNanos;
    private final int pollMillis;
    private final ParkedFlag parked;
    private long idleSince = -1;

    /**
     * @param pollfds        the pipeline's {@code struct pollfd} array
     * @param pollCount      entries in it
     * @param spinNanos      how long to spin after the last work before blocking
     * @param pollMillis     the longest a {@code poll} blocks
     * @param parked         raised while this thread is blocked in {@code poll}, for its peers to see
     */
    PollIdleStrategy(final MemorySegment pollfds, final int pollCount, final long spinNanos, final int pollMillis,
        final ParkedFlag parked)
    {
        this.pollfds = pollfds;
        this.pollCount = pollCount;
        this.spinNanos = spinNanos;
        this.pollMillis = pollMillis;
        this.parked = parked;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            idleSince = -1;
            return;
        }
        idle();
    }

    @Override
    public void idle()
    {
        final long now = System.nanoTime();
        if (idleSince < 0)
        {
            idleSince = now;
        }
        if (now - idleSince < spinNanos)
        {
            // Yield, not just spin: the thread that sent the frame we forwarded (a ping, on a veth
            // host, steered to this CPU) is often still runnable here, preempted by our wake-up;
            // spinning would keep the answer we already delivered from it until the spin ends.
            Thread.yield();
            return;
        }
        // Nothing for a while: block until any socket is readable (or the stop check is due).
        parked.park();
        Libc.poll(pollfds.address(), pollCount, pollMillis);
        parked.unpark();
        idleSince = -1;
    }

    @Override
    public void reset()
    {
        idleSince = -1;
    }

    @Override
    public String alias()
    {
        return "poll";
    }
}
