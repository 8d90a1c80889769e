package io.vtep.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ManagedProcess}, {@link Commands} and {@link Wait}: no root needed. */
@Timeout(30)
class ProcessAndWaitTest
{

    @Test
    void awaitOutputReturnsTheMatchingLine()
    {
        try (ManagedProcess p = ManagedProcess.start("echoer", List.of("sh", "-c", "echo starting; sleep 0.2; echo 'listening on 4242'; sleep 60")))
        {
            assertEquals("listening on 4242", p.awaitOutput("listening on \\d+", Duration.ofSeconds(5)));
            assertTrue(p.isAlive());
        }
    }

    @Test
    void awaitOutputFailsFastWithTheOutputWhenTheProcessExits()
    {
        ManagedProcess p = ManagedProcess.start("quitter", List.of("sh", "-c", "echo 'bad config: vnis[0].vni'; exit 3"));
        long start = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> p.awaitOutput("vtep started", Duration.ofSeconds(20)));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "did not wait for the timeout");
        assertTrue(e.getMessage().contains("exited with 3"), e.getMessage());
        assertTrue(e.getMessage().contains("bad config: vnis[0].vni"), e.getMessage());
        assertEquals(3, p.waitFor(Duration.ofSeconds(5)));
    }

    @Test
    void stopTerminatesTheProcessAndItsChildren()
    {
        ManagedProcess p = ManagedProcess.start("parent", List.of("sh", "-c", "sleep 600 & sleep 600 & echo ready; wait"));
        p.awaitOutput("ready", Duration.ofSeconds(5));
        List<ProcessHandle> children = ProcessHandle.of(p.pid()).orElseThrow().descendants().toList();
        assertEquals(2, children.size(), children.toString());
        int exit = p.stop();
        assertFalse(p.isAlive());
        assertEquals(128 + 15, exit, "killed by SIGTERM");
        for (ProcessHandle c : children)
        {
            assertFalse(c.isAlive(), "child " + c.pid() + " stopped");
        }
    }

    @Test
    void stopEscalatesToSigkill()
    {
        ManagedProcess p = ManagedProcess.start("stubborn", List.of("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"));
        p.awaitOutput("ready", Duration.ofSeconds(5));
        long start = System.nanoTime();
        p.stop(Duration.ofMillis(300));
        assertFalse(p.isAlive());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void outputBufferIsBounded()
    {
        ManagedProcess p = ManagedProcess.start("chatty", List.of("sh", "-c", "i=0; while [ $i -lt 6000 ]; do echo line$i; i=$((i+1)); done"));
        p.waitFor(Duration.ofSeconds(20));
        List<String> lines = p.outputLines();
        assertEquals(ManagedProcess.MAX_LINES, lines.size());
        assertEquals("line5999", lines.getLast());
        assertTrue(p.outputForMessage().contains("1000 older lines dropped"), p.outputForMessage());
    }

    @Test
    void commandsCaptureBothStreamsAndTimeOut()
    {
        ExecResult r = Commands.run(Duration.ofSeconds(5), List.of("sh", "-c", "echo out; echo err >&2; exit 7"));
        assertEquals(7, r.exitCode());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        CommandFailedException failed = assertThrows(CommandFailedException.class, r::orThrow);
        assertTrue(failed.getMessage().contains("exit 7") && failed.getMessage().contains("err"), failed.getMessage());

        CommandFailedException timedOut = assertThrows(CommandFailedException.class,
            () -> Commands.run(Duration.ofMillis(300), List.of("sleep", "30")));
        assertTrue(timedOut.getMessage().contains("timed out"), timedOut.getMessage());

        CommandFailedException missing = assertThrows(CommandFailedException.class, () -> Commands.run("no-such-tool-vtep"));
        assertTrue(missing.getMessage().contains("no-such-tool-vtep"), missing.getMessage());
    }

    @Test
    void sbinToolsAreFoundWhateverThePath()
    {
        assertTrue(Commands.searchPath().contains("/usr/sbin"));
    }

    @Test
    void waitReturnsTheValueOnceTheConditionHolds()
    {
        AtomicInteger n = new AtomicInteger();
        int value = Wait.until(Duration.ofSeconds(5), n::incrementAndGet, v -> v >= 3, "three polls");
        assertEquals(3, value);
        Wait.until(Duration.ofSeconds(1), () -> true, "true");
    }

    @Test
    void waitFailsNamingWhatItWaitedForAndTheLastValue()
    {
        AssertionError e = assertThrows(AssertionError.class,
            () -> Wait.until(Duration.ofMillis(200), () -> "02:00:00:00:00:01 dst 192.0.2.9", v -> v.contains("192.0.2.2"),
                "h2's MAC behind 192.0.2.2"));
        assertTrue(e.getMessage().contains("waiting for: h2's MAC behind 192.0.2.2"), e.getMessage());
        assertTrue(e.getMessage().contains("last value: 02:00:00:00:00:01 dst 192.0.2.9"), e.getMessage());

        AssertionError thrown = assertThrows(AssertionError.class,
            () -> Wait.until(Duration.ofMillis(100), () ->
            {
                throw new IllegalStateException("no such device");
            }, "device"));
        assertTrue(thrown.getMessage().contains("no such device"), thrown.getMessage());
    }

    @Test
    void missingToolsFailWithThePackageAndTheInstallScript()
    {
        AssertionError e = assertThrows(AssertionError.class, () -> Requirements.requireTools("ip", "no-such-tool-vtep", "iperf3"));
        assertTrue(e.getMessage().contains("no-such-tool-vtep"), e.getMessage());
        assertTrue(e.getMessage().contains("scripts/install-test-deps.sh"), e.getMessage());
        assertFalse(e.getMessage().contains("iperf3 ("), "present tools are not listed: " + e.getMessage());
    }
}
