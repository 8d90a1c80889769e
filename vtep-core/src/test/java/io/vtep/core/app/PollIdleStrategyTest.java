package io.vtep.core.app;

import static io.vtep.core.nativeio.LinuxConstants.O_CLOEXEC;
import static io.vtep.core.nativeio.LinuxConstants.POLLIN;
import static io.vtep.core.nativeio.LinuxStructs.POLLFD;
import static io.vtep.core.nativeio.LinuxStructs.POLL_EVENTS;
import static io.vtep.core.nativeio.LinuxStructs.POLL_FD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vtep.core.nativeio.Libc;

/**
 * A pipeline's idle strategy: the only place a forwarding thread waits (its {@code doWork} never
 * blocks). Spins first, then blocks in {@code poll} over the pipeline's descriptors until one is
 * readable. A FIFO stands in for a socket: any descriptor {@code poll} accepts will do.
 */
class PollIdleStrategyTest
{
    /** {@code O_RDWR}: a FIFO opened so has a writer (itself), so {@code poll} never sees a hang-up. */
    private static final int O_RDWR = 2;
    private static final int NEVER_MILLIS = 60_000;

    @TempDir
    Path dir;

    @Test
    void afterTheSpinItWaitsInPollUntilADescriptorIsReadable() throws Exception
    {
        final Path fifo = dir.resolve("socket-stand-in");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor(), "mkfifo (coreutils) is missing");
        final int fd = Libc.open(fifo.toString(), O_RDWR | O_CLOEXEC);
        try
        {
            final MemorySegment pollfds = Arena.ofAuto().allocate(POLLFD.byteSize(), 8);
            pollfds.set(ValueLayout.JAVA_INT, POLL_FD, fd);
            pollfds.set(ValueLayout.JAVA_SHORT, POLL_EVENTS, POLLIN);
            final ParkedFlag parked = new ParkedFlag();
            final PollIdleStrategy idle = new PollIdleStrategy(pollfds, 1, 0, NEVER_MILLIS, parked);

            final Thread pipeline = new Thread(() -> idle.idle(0), "poll-idle-test");
            pipeline.setDaemon(true);
            pipeline.start();
            pipeline.join(300);
            assertTrue(pipeline.isAlive(), "no work, nothing readable: the strategy waits in poll");
            assertTrue(parked.isParked(), "peers see the pipeline blocked");

            Files.write(fifo, new byte[] {1});
            pipeline.join(10_000);
            assertFalse(pipeline.isAlive(), "a readable descriptor ends the wait (the poll's own bound is 60 s)");
            assertFalse(parked.isParked(), "and the pipeline is no longer blocked");
        }
        finally
        {
            Libc.close(fd);
        }
    }

    @Test
    void withinTheSpinAndAfterWorkItNeverBlocks() throws Exception
    {
        final MemorySegment pollfds = Arena.ofAuto().allocate(POLLFD.byteSize(), 8);
        pollfds.set(ValueLayout.JAVA_INT, POLL_FD, -1); // poll would ignore it and wait the whole bound
        final PollIdleStrategy idle = new PollIdleStrategy(pollfds, 1, 3_600_000_000_000L, NEVER_MILLIS, new ParkedFlag());
        final Thread pipeline = new Thread(() ->
        {
            for (int i = 0; i < 1_000; i++)
            {
                idle.idle(i % 2); // work, no work, ...: an hour's spin is never used up
            }
        }, "poll-idle-spin-test");
        pipeline.setDaemon(true);
        pipeline.start();
        pipeline.join(10_000);
        assertFalse(pipeline.isAlive(), "spinning, not blocked in a 60 s poll");
    }
}
