package io.vtep.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.vtep.core.testing.RecordingPort;

/** {@link PortChanges}: a reload's lane edit is applied by the pipeline's thread, which the reload waits for. */
class PortChangesTest
{
    private final PortChanges changes = new PortChanges();
    private final PipelineWorker.Lane acc1 = new PipelineWorker.Lane(new RecordingPort("acc1"), null);
    private final PipelineWorker.Lane acc2 = new PipelineWorker.Lane(new RecordingPort("acc2"), null);

    /** The pipeline's duty cycle, on its own thread, until it found a change. */
    private CompletableFuture<PipelineWorker.Lane[]> pipeline(final PipelineWorker.Lane[] lanes, final int capacity)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            while (!changes.isPending())
            {
                Thread.onSpinWait();
            }
            return changes.take(lanes, capacity);
        });
    }

    @Test
    void theReloadWaitsUntilThePipelineTookTheEdit() throws Exception
    {
        final PipelineWorker.Lane[] lanes = {acc1};
        assertSame(lanes, changes.take(lanes, 2), "nothing pending: the same lanes");
        final CompletableFuture<PipelineWorker.Lane[]> taken = pipeline(lanes, 2);
        changes.apply("pipeline-0", current ->
        {
            current.add(acc2);
            return current;
        });
        assertTrue(taken.isDone(), "apply returned only once the pipeline had taken it");
        assertEquals(List.of(acc1, acc2), List.of(taken.get()));
        assertFalse(changes.isPending());
    }

    @Test
    void anEditBeyondThePollSlotsFailsTheReloadAndKeepsTheLanes() throws Exception
    {
        final PipelineWorker.Lane[] lanes = {acc1};
        final CompletableFuture<PipelineWorker.Lane[]> taken = pipeline(lanes, 1);
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> changes.apply("pipeline-0", current ->
        {
            current.add(acc2);
            return current;
        }));
        assertTrue(refused.getMessage().contains("2 access ports, room for 1"), refused.getMessage());
        assertSame(lanes, taken.get());
    }
}
