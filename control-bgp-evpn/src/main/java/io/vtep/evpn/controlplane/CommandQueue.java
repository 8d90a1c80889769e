package io.vtep.evpn.controlplane;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The bridge from other threads (the BGP event loop, the API, snooping) to the EVPN control
 * thread: commands to run there, queries answered from there ({@link #call}), and waits for it to
 * run out of work ({@link #awaitIdle}). Every offer wakes the control thread, which sleeps in its
 * idle strategy otherwise.
 */
final class CommandQueue
{
    private static final long CALL_TIMEOUT_SECONDS = 10;

    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> idleWaiters = new ConcurrentLinkedQueue<>();
    /** Waiters taken by the control thread, told once it finds no work. */
    private final List<CompletableFuture<Void>> waitingForIdle = new ArrayList<>();
    private volatile Thread consumer;
    private volatile boolean closed;

    /** @param thread the control thread, woken by every offer (null: none yet, or stopped). */
    void consumer(final Thread thread)
    {
        this.consumer = thread;
    }

    /** @return whether {@code thread} is the control thread. */
    boolean isConsumer(final Thread thread)
    {
        return thread == consumer;
    }

    /** Refuses every later command: nothing would run it (the control thread stopped). */
    void close()
    {
        closed = true;
    }

    /** @return false when the command was dropped because nothing runs commands any more. */
    boolean offer(final Runnable command)
    {
        if (closed)
        {
            return false; // dropped, so the queue cannot grow
        }
        commands.add(command);
        wake();
        return true;
    }

    /** Control thread: the next command, or null. */
    Runnable poll()
    {
        return commands.poll();
    }

    /**
     * Runs {@code query} on the control thread and waits for its answer; runs it here when called
     * on the control thread itself or when it is not running ({@code direct}).
     *
     * @param query  what to answer.
     * @param direct run it on the calling thread.
     * @return the answer.
     */
    <T> T call(final Callable<T> query, final boolean direct)
    {
        if (direct || isConsumer(Thread.currentThread()))
        {
            try
            {
                return query.call();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }
        final CompletableFuture<T> result = new CompletableFuture<>();
        final boolean queued = offer(() ->
        {
            try
            {
                result.complete(query.call());
            }
            catch (final Exception ex)
            {
                result.completeExceptionally(ex);
            }
        });
        if (!queued)
        {
            throw new IllegalStateException("EVPN control thread stopped");
        }
        try
        {
            return result.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Waits until the control thread has nothing left to do: every command and event queued
     * before the call is applied and its UPDATEs are sent.
     *
     * @param timeoutMillis how long to wait.
     */
    void awaitIdle(final long timeoutMillis)
    {
        final CompletableFuture<Void> idle = new CompletableFuture<>();
        idleWaiters.add(idle);
        wake();
        try
        {
            idle.get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException("EVPN control thread not idle after " + timeoutMillis + " ms", ex);
        }
    }

    /**
     * Control thread, before it looks for work: takes the waiters that arrived, so that work
     * queued before a waiter is always done before it is told "idle".
     */
    void takeIdleWaiters()
    {
        for (CompletableFuture<Void> waiter; (waiter = idleWaiters.poll()) != null;)
        {
            waitingForIdle.add(waiter);
        }
    }

    /** Control thread, when a round found no work: tells the waiters taken so far. */
    void idle()
    {
        if (!waitingForIdle.isEmpty())
        {
            waitingForIdle.forEach(waiter -> waiter.complete(null));
            waitingForIdle.clear();
        }
    }

    void wake()
    {
        final Thread thread = consumer;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }
}
