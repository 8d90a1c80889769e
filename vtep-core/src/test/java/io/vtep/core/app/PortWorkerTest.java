package io.vtep.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.junit.jupiter.api.Test;

import io.vtep.core.health.Heartbeat;
import io.vtep.core.health.ThreadHealth;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.DataPlane;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.port.AccessPort;
import io.vtep.core.port.FrameBatch;
import io.vtep.core.testing.RecordingTransmitter;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;

/** A bug that throws on the data path must not end the port's receive thread. */
class PortWorkerTest
{
    /** Throws on its first {@code failures} receives, then times out like an idle port. */
    private static final class FailingPort implements AccessPort
    {
        private final int failures;
        private final Error error;
        final AtomicInteger receives = new AtomicInteger();

        FailingPort(final int failures)
        {
            this(failures, null);
        }

        /** Throws {@code error} (when not null) on the receive after the {@code failures} exceptions. */
        FailingPort(final int failures, final Error error)
        {
            this.failures = failures;
            this.error = error;
        }

        @Override
        public String name()
        {
            return "eth9";
        }

        @Override
        public int receive(final FrameBatch batch, final int timeoutMillis)
        {
            batch.clear();
            if (receives.incrementAndGet() <= failures)
            {
                throw new IllegalStateException("injected data-path bug");
            }
            if (error != null && receives.get() == failures + 1)
            {
                throw error;
            }
            Thread.onSpinWait();
            return 0;
        }

        @Override
        public boolean send(final DirectBuffer buffer, final int offset, final int length)
        {
            return true;
        }

        @Override
        public void close()
        {
        }
    }

    @Test
    void aRuntimeExceptionIsCountedAndTheWorkerGoesOn() throws Exception
    {
        final FailingPort port = new FailingPort(3);
        final PortWorker worker = new PortWorker(port, pipelineFor(port));
        final AgentRunner runner = new AgentRunner(PortWorker.idleStrategy(), Throwable::printStackTrace, null, worker);

        final Thread thread = new Thread(runner, "port-worker-test");
        thread.setDaemon(true);
        thread.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (port.receives.get() < 10 && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }

        assertTrue(thread.isAlive(), "still receiving after the exceptions");
        assertTrue(port.receives.get() >= 10, "receives went on: " + port.receives.get());
        assertEquals(3, worker.failures());
        runner.close();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertTrue(!thread.isAlive());
    }

    /**
     * An Error (OutOfMemoryError here) is not a bug to survive: the thread ends, and the death is
     * logged, counted and fails readiness, naming the thread (issue 15: "never swallowed").
     */
    @Test
    void anErrorEndsTheWorkerAndFailsReadinessNamingIt() throws Exception
    {
        final ThreadHealth health = ThreadHealth.system();
        final FailingPort port = new FailingPort(1, new OutOfMemoryError("injected"));
        final Heartbeat heartbeat = health.register("vtep-port-eth9");
        final PortWorker worker = new PortWorker(port, pipelineFor(port), null, heartbeat);
        assertNull(health.notReadyReason());

        final Thread thread = new Thread(health.watch(heartbeat, health.runner(heartbeat, worker, PortWorker.idleStrategy())),
            "vtep-port-eth9");
        thread.setDaemon(true);
        thread.start();
        thread.join(TimeUnit.SECONDS.toMillis(10));

        assertFalse(thread.isAlive(), "an Error is not survived");
        assertEquals(1, worker.failures(), "the RuntimeException before it was");
        assertEquals(1, health.deaths("vtep-port-eth9"));
        assertEquals("thread vtep-port-eth9 died: java.lang.OutOfMemoryError: injected", health.notReadyReason());
    }

    private static io.vtep.core.pipeline.AccessPipeline pipelineFor(final AccessPort port)
    {
        final Fdb fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final ForwardingTables tables = new ForwardingTables(fdb);
        final PortContext context = tables.addPort(port);
        tables.attach(context, Attachment.UNTAGGED, tables.addVni(100));
        final DataPlane plane = new DataPlane(tables, new CounterSnapshotSource(new CounterLayout(1, 4)),
            VtepAddress.parse("192.0.2.1"), 4789, 64, SourcePortRange.DEFAULT, 1500, new RecordingTransmitter());
        return plane.accessPipeline(context);
    }
}
