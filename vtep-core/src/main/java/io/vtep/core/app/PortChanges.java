package io.vtep.core.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The hand-over of access ports added or removed by a reload to one forwarding pipeline
 * (docs/architecture.md §3.6). A pipeline's lanes and its {@code pollfd} array are touched only by
 * its own thread, so a reload never edits them: it leaves an edit in this one-slot mailbox and
 * waits; the pipeline takes it at the top of its next duty cycle ({@link PipelineWorker#doWork}),
 * between two batches, applies it to its lanes, rewrites its {@code pollfd} array and says so.
 * The pipeline thread never stops, and the lanes an edit keeps are the same objects, so the other
 * ports go on being read without losing a frame.
 *
 * <p>Costs the data path one volatile read per duty cycle when nothing is pending; nothing is
 * allocated there. One reload at a time ({@code LiveReload} is synchronized), hence one slot.
 */
final class PortChanges
{
    /** A pipeline takes a change within one {@code poll} (at most 100 ms) unless it is stuck. */
    static final long ACK_TIMEOUT_MILLIS = 5_000;

    private record Pending(UnaryOperator<List<PipelineWorker.Lane>> edit, CompletableFuture<Void> done)
    {
    }

    private final AtomicReference<Pending> pending = new AtomicReference<>();

    /**
     * Reload thread: hands {@code edit} to the pipeline and waits until it runs its lanes through it.
     *
     * @throws IllegalStateException when the pipeline did not take it in time (stuck or stopped)
     */
    void apply(final String pipeline, final UnaryOperator<List<PipelineWorker.Lane>> edit)
    {
        final Pending change = new Pending(edit, new CompletableFuture<>());
        if (!pending.compareAndSet(null, change))
        {
            throw new IllegalStateException(pipeline + " has a port change pending already");
        }
        try
        {
            change.done.get(ACK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException ex)
        {
            pending.compareAndSet(change, null);
            throw new IllegalStateException(pipeline + " did not take the port change within " + ACK_TIMEOUT_MILLIS + " ms", ex);
        }
        catch (final InterruptedException ex)
        {
            pending.compareAndSet(change, null);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException(pipeline + ": the port change failed: " + ex.getCause(), ex.getCause());
        }
    }

    /** Pipeline thread, every duty cycle: one volatile read. */
    boolean isPending()
    {
        return pending.get() != null;
    }

    /**
     * Pipeline thread: the pending edit applied to {@code lanes}, handed to {@code install} (which
     * makes them the pipeline's), and only then the reload told: once {@code apply} returns, the
     * pipeline no longer reads a lane the edit removed, so its sockets may be closed.
     *
     * @param lanes    the pipeline's lanes now
     * @param capacity most lanes the pipeline has room for; an edit that would leave more fails
     * @param install  makes the new lanes the pipeline's (not called when nothing is pending or the edit fails)
     */
    void take(final PipelineWorker.Lane[] lanes, final int capacity, final Consumer<PipelineWorker.Lane[]> install)
    {
        final Pending change = pending.getAndSet(null);
        if (change == null)
        {
            return;
        }
        try
        {
            final PipelineWorker.Lane[] next = change.edit.apply(new ArrayList<>(List.of(lanes))).toArray(PipelineWorker.Lane[]::new);
            if (next.length > capacity)
            {
                throw new IllegalStateException(next.length + " access ports, room for " + capacity);
            }
            install.accept(next);
            change.done.complete(null);
        }
        catch (final RuntimeException ex)
        {
            change.done.completeExceptionally(ex);
        }
    }
}
