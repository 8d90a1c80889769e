package io.vtep.core.health;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

/**
 * Heartbeats of the threads that forward, learn or speak BGP, and what became of them
 * (docs/architecture.md §3.4). Answers the thread part of {@code GET /readyz}: a thread that died,
 * ended without being asked to, or has not beaten for {@link #staleAfterNanos()} makes vtep not
 * ready, named. Counts deaths per thread ({@code vtep_thread_deaths_total}).
 *
 * <p>Why a death is sticky: an {@code Error} such as {@code OutOfMemoryError} can leave the
 * thread's tables half-updated; a supervisor (Kubernetes, systemd, Docker's restart policy) that
 * sees {@code /readyz} fail restarts the process, which is the only clean recovery.
 */
public final class ThreadHealth
{
    /** Threads beat at least every ~100 ms; a stall of this long is no GC pause or scheduling hiccup. */
    public static final long DEFAULT_STALE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Logger LOG = System.getLogger(ThreadHealth.class.getName());

    private final LongSupplier clock;
    private final long staleAfterNanos;
    private final List<Heartbeat> heartbeats = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> deaths = new ConcurrentHashMap<>();

    /**
     * @param clock           nanosecond clock ({@code System::nanoTime}; tests pass a manual one)
     * @param staleAfterNanos a heartbeat older than this makes its thread "stuck"
     */
    public ThreadHealth(final LongSupplier clock, final long staleAfterNanos)
    {
        this.clock = clock;
        this.staleAfterNanos = staleAfterNanos;
    }

    public static ThreadHealth system()
    {
        return new ThreadHealth(System::nanoTime, DEFAULT_STALE_AFTER_NANOS);
    }

    public long staleAfterNanos()
    {
        return staleAfterNanos;
    }

    /** A heartbeat for {@code thread}, counted as beaten now. */
    public Heartbeat register(final String thread)
    {
        final Heartbeat heartbeat = new Heartbeat(thread, clock);
        heartbeats.add(heartbeat);
        deaths.computeIfAbsent(thread, name -> new AtomicLong());
        return heartbeat;
    }

    /** Forgets a heartbeat (a component that was closed on purpose). */
    public void unregister(final Heartbeat heartbeat)
    {
        heartbeats.remove(heartbeat);
    }

    public List<Heartbeat> heartbeats()
    {
        return List.copyOf(heartbeats);
    }

    /**
     * Runs {@code body} as the thread of {@code heartbeat}: whatever it throws, an {@code Error}
     * above all, is logged, counted and makes readiness fail, never swallowed; a normal return
     * that was not asked for fails readiness too.
     */
    public Runnable watch(final Heartbeat heartbeat, final Runnable body)
    {
        return () ->
        {
            try
            {
                body.run();
                heartbeat.ended();
            }
            catch (final Throwable t)
            {
                died(heartbeat, t);
            }
        };
    }

    /**
     * Records that the thread of {@code heartbeat} failed with {@code cause} (its loop is over, or
     * its state can no longer be trusted): one log line, the counter, readiness fails.
     */
    public void died(final Heartbeat heartbeat, final Throwable cause)
    {
        heartbeat.died(cause);
        deaths.computeIfAbsent(heartbeat.thread(), name -> new AtomicLong()).incrementAndGet();
        try
        {
            LOG.log(Level.ERROR, "thread " + heartbeat.thread() + " died: " + cause, cause);
        }
        catch (final Throwable ignored)
        {
            // logging may itself fail under OutOfMemoryError; the counter and readiness still say it
        }
    }

    /**
     * Runs {@code agent} on an Agrona {@link AgentRunner} as the thread of {@code heartbeat}, as
     * {@link #watch} runs a loop: the runner survives a RuntimeException (logged; the agent's own
     * catch counts the ones it expects), while an {@code Error}, which Agrona's runner logs here
     * and then rethrows, ends the thread and is counted as its death once, by {@link #watch}.
     * Close the runner to stop the thread.
     */
    public AgentRunner runner(final Heartbeat heartbeat, final Agent agent, final IdleStrategy idle)
    {
        return new AgentRunner(idle, error ->
        {
            if (!(error instanceof Error))
            {
                LOG.log(Level.ERROR, heartbeat.thread() + " error", error);
            }
        }, null, agent);
    }

    /**
     * The error handler for an Agrona {@code AgentRunner} (the FDB conductor): the runner survives
     * whatever its agent throws and carries on, which for an {@code Error} hides that the agent's
     * tables may be half-written (issue 15: an {@code OutOfMemoryError} in the conductor left
     * {@code /readyz} ready while nothing was learned any more). So an {@code Error} is a death,
     * and a RuntimeException is logged, as before.
     */
    public org.agrona.ErrorHandler agentErrorHandler(final Heartbeat heartbeat)
    {
        return error ->
        {
            if (error instanceof Error)
            {
                died(heartbeat, error);
            }
            else
            {
                LOG.log(Level.ERROR, heartbeat.thread() + " error", error);
            }
        };
    }

    /** Deaths counted for {@code thread} (0 for one never registered). */
    public long deaths(final String thread)
    {
        final AtomicLong count = deaths.get(thread);
        return count == null ? 0 : count.get();
    }

    /** Every thread name that has a death counter. */
    public List<String> threads()
    {
        return deaths.keySet().stream().sorted().toList();
    }

    /** @return null when every thread runs and beats, else which one does not and why. */
    public String notReadyReason()
    {
        for (final Heartbeat heartbeat : heartbeats)
        {
            if (heartbeat.isStopRequested())
            {
                continue;
            }
            final Throwable death = heartbeat.death();
            if (death != null)
            {
                return "thread " + heartbeat.thread() + " died: " + death;
            }
            if (heartbeat.hasEnded())
            {
                return "thread " + heartbeat.thread() + " ended";
            }
            final long age = heartbeat.ageNanos();
            if (age > staleAfterNanos)
            {
                return "thread " + heartbeat.thread() + " has not run for " +
                    TimeUnit.NANOSECONDS.toMillis(age) + " ms (stuck?)";
            }
        }
        return null;
    }
}
