package io.vtep.core.pipeline;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * What a data-path thread does with a RuntimeException from forwarding (a bug: bad input is dropped
 * and counted, never thrown): count it, and log it at most once per {@link #INTERVAL_NANOS} with
 * the number suppressed since the last report, so that the thread goes on and the log stays
 * readable while it would otherwise fail per packet.
 *
 * <p>Written by one thread; {@link #failures()} may be read by any.
 */
public final class FailureLog
{
    public static final long INTERVAL_NANOS = 10_000_000_000L;

    private final Logger logger;
    private volatile long failures;
    private long reported;
    private long lastReportNanos;

    public FailureLog(final Logger logger)
    {
        this.logger = logger;
    }

    /** Counts the failure and logs {@code what} with it unless a report was made within the interval. */
    public void failed(final String what, final RuntimeException ex)
    {
        final long count = failures + 1;
        failures = count; // single writer
        final long now = System.nanoTime();
        if (reported == 0 || now - lastReportNanos >= INTERVAL_NANOS)
        {
            final long suppressed = count - 1 - reported;
            lastReportNanos = now;
            reported = count;
            logger.log(Level.ERROR, what + (suppressed > 0 ? " (" + suppressed + " more failures since the last report)" : ""), ex);
        }
    }

    /** Failures counted so far. */
    public long failures()
    {
        return failures;
    }
}
