package io.vtep.core.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class ThreadHealthTest
{
    private static final long STALE = TimeUnit.SECONDS.toNanos(5);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ThreadHealth health = new ThreadHealth(now::get, STALE);

    @Test
    void aThreadThatBeatsIsReady()
    {
        final Heartbeat pipeline = health.register("vtep-pipeline-0");
        now.addAndGet(STALE);
        pipeline.beat();
        now.addAndGet(STALE);
        assertNull(health.notReadyReason(), "beaten exactly the limit ago");
    }

    @Test
    void aStaleHeartbeatNamesTheThread()
    {
        final Heartbeat pipeline = health.register("vtep-pipeline-0");
        final Heartbeat conductor = health.register("fdb-conductor");
        now.addAndGet(STALE + 1);
        pipeline.beat();
        assertEquals("thread fdb-conductor has not run for 5000 ms (stuck?)", health.notReadyReason());
        conductor.beat();
        assertNull(health.notReadyReason(), "ready again once it beats");
        assertEquals(0, health.deaths("fdb-conductor"), "stale is not dead");
    }

    @Test
    void aThreadThatEndsWithoutBeingAskedIsNotReady()
    {
        final Heartbeat worker = health.register("vtep-port-acc1");
        health.watch(worker, () ->
        {}).run();
        assertEquals("thread vtep-port-acc1 ended", health.notReadyReason());
        assertEquals(0, health.deaths("vtep-port-acc1"));
    }

    @Test
    void aThreadStoppedOnPurposeIsNoFailure()
    {
        final Heartbeat worker = health.register("vtep-port-acc1");
        worker.stopRequested();
        health.watch(worker, () ->
        {}).run();
        now.addAndGet(10 * STALE);
        assertNull(health.notReadyReason());
    }

    @Test
    void anErrorIsCountedAndFailsReadinessForGood() throws Exception
    {
        final Heartbeat pipeline = health.register("vtep-pipeline-0");
        final Thread thread = new Thread(health.watch(pipeline, () ->
        {
            throw new OutOfMemoryError("Java heap space (test)");
        }), "test-dying-thread");
        thread.start();
        thread.join(10_000);

        assertEquals(1, health.deaths("vtep-pipeline-0"));
        final String reason = health.notReadyReason();
        assertNotNull(reason);
        assertTrue(reason.startsWith("thread vtep-pipeline-0 died: java.lang.OutOfMemoryError: Java heap space (test)"), reason);
        pipeline.beat(); // whatever beats later: state may be half-updated, a restart is the recovery
        assertEquals(reason, health.notReadyReason());
    }

    @Test
    void anErrorReportedByARunnerThatSurvivesItIsStillADeath()
    {
        final Heartbeat conductor = health.register("fdb-conductor");
        health.died(conductor, new StackOverflowError());
        assertEquals("thread fdb-conductor died: java.lang.StackOverflowError", health.notReadyReason());
        assertEquals(1, health.deaths("fdb-conductor"));
    }

    /**
     * The FDB conductor runs in an Agrona AgentRunner, whose error handler sees what the agent
     * throws (and which ends its loop on an Error): the Error must fail readiness and count.
     */
    @Test
    void anErrorInAnAgentRunnerIsADeath() throws Exception
    {
        final ThreadHealth real = ThreadHealth.system();
        final Heartbeat conductor = real.register("fdb-conductor");
        final AtomicLong cycles = new AtomicLong();
        final Agent oom = new Agent()
        {
            @Override
            public int doWork()
            {
                if (cycles.incrementAndGet() == 3)
                {
                    throw new OutOfMemoryError("Java heap space (test)");
                }
                return 0;
            }

            @Override
            public String roleName()
            {
                return "fdb-conductor";
            }
        };
        try (AgentRunner runner = new AgentRunner(new SleepingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(1)),
            real.agentErrorHandler(conductor), null, new HeartbeatAgent(oom, conductor)))
        {
            AgentRunner.startOnThread(runner);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (real.deaths("fdb-conductor") == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertEquals(1, real.deaths("fdb-conductor"));
            assertEquals("thread fdb-conductor died: java.lang.OutOfMemoryError: Java heap space (test)", real.notReadyReason());
        }
    }

    @Test
    void metricsCountDeathsAndShowHeartbeatAge()
    {
        final Heartbeat pipeline = health.register("vtep-pipeline-0");
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HealthMeters.bind(registry, health, java.util.List.of());
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1500));
        assertEquals(1.5, registry.get(HealthMeters.THREAD_HEARTBEAT_AGE).tag("thread", "vtep-pipeline-0").gauge().value(), 1e-9);
        health.died(pipeline, new OutOfMemoryError());
        assertEquals(1.0, registry.get(HealthMeters.THREAD_DEATHS).tag("thread", "vtep-pipeline-0").functionCounter().count());
    }
}
