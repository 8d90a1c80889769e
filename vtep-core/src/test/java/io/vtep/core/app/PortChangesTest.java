package io.vtep.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.vtep.core.testing.RecordingPort;

/** {@link PortChanges}: a reload's lane edit is applied by the pipeline's thread, which the reload waits for. */
class PortChangesTest
{
    private final PortChanges changes = new PortChanges();
    private final PipelineWorker.Lane acc1 = new PipelineWorker.Lane(new RecordingPort("acc1"), null);
    private final PipelineWorker.Lane acc2 = new PipelineWorker.Lane(new RecordingPort("acc2"), null);

    /** The lanes the pipeline installed (still its old ones until a change is taken). */
    private final AtomicReference<PipelineWorker.Lane[]> installed = new AtomicReference<>();

    /** The pipeline's duty cycle, on its own thread, until it found a change. */
    private CompletableFuture<Void> pipeline(final PipelineWorker.Lane[] lanes, final int capacity)
    {
        installed.set(lanes);
        return CompletableFuture.runAsync(() ->
        {
            while (!changes.isPending())
            {
                Thread.onSpinWait();
            }
            changes.take(lanes, capacity, installed::set);
        });
    }

    @Test
    void theReloadWaitsUntilThePipelineTookTheEdit() throws Exception
    {
        final PipelineWorker.Lane[] lanes = {acc1};
        changes.take(lanes, 2, next -> installed.set(next));
        assertEquals(null, installed.get(), "nothing pending: nothing installed");
        final CompletableFuture<Void> taken = pipeline(lanes, 2);
        changes.apply("pipeline-0", current ->
        {
            current.add(acc2);
            return current;
        });
        // Installed before apply returned: the reload may close a removed lane's sockets now.
        assertEquals(List.of(acc1, acc2), List.of(installed.get()), "apply returned only once the pipeline had installed the edit");
        assertFalse(changes.isPending());
        taken.get(5, TimeUnit.SECONDS);
    }

    @Test
    void anEditBeyondThePollSlotsFailsTheReloadAndKeepsTheLanes() throws Exception
    {
        final PipelineWorker.Lane[] lanes = {acc1};
        final CompletableFuture<Void> taken = pipeline(lanes, 1);
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> changes.apply("pipeline-0", current ->
        {
            current.add(acc2);
            return current;
        }));
        assertTrue(refused.getMessage().contains("2 access ports, room for 1"), refused.getMessage());
        taken.get(5, TimeUnit.SECONDS);
        assertSame(lanes, installed.get(), "a failed edit installs nothing");
    }
}
