package io.vtep.core.app;

import io.vtep.core.pipeline.AccessPipeline;
import io.vtep.core.port.AccessPort;
import io.vtep.core.port.FrameBatch;

/**
 * The receive thread of one access port: receive a batch, forward it to completion, repeat
 * (DESIGN.md §3, no hand-off queue). Wakes at least every {@link #POLL_MILLIS} to notice a stop.
 */
final class PortWorker implements Runnable
{
    static final int BATCH_SIZE = 32;
    private static final int POLL_MILLIS = 100;

    private final AccessPort port;
    private final AccessPipeline pipeline;
    private final FrameBatch batch = new FrameBatch(BATCH_SIZE);
    private volatile boolean running = true;
    private long truncatedReported;

    PortWorker(final AccessPort port, final AccessPipeline pipeline)
    {
        this.port = port;
        this.pipeline = pipeline;
    }

    @Override
    public void run()
    {
        while (running)
        {
            if (port.receive(batch, POLL_MILLIS) > 0)
            {
                pipeline.process(batch, System.nanoTime());
            }
            final long truncated = port.truncatedFrames();
            if (truncated != truncatedReported)
            {
                pipeline.truncated(truncated - truncatedReported);
                truncatedReported = truncated;
            }
        }
    }

    void stop()
    {
        running = false;
    }
}
