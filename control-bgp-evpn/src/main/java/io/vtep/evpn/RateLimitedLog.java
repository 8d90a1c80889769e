package io.vtep.evpn;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Log lines that a peer (or anyone who can open a TCP connection) can cause, at most
 * {@link #BURST} per {@link #INTERVAL_NANOS}; the first line after a quiet spell says how many were
 * left out. A flapping or hostile neighbor then costs the log a few lines a minute, not one per
 * message or connection (issue 15: "log lines rate-limited"). Modelled on vtep-core's FailureLog,
 * which this module cannot depend on.
 *
 * <p>Used by one thread at a time (the speaker's event loop, or the EVPN control thread).
 */
public final class RateLimitedLog
{
    public static final long INTERVAL_NANOS = 10_000_000_000L;
    public static final int BURST = 5;

    private final Logger logger;
    private long windowStartNanos;
    private int inWindow;
    private long suppressed;

    public RateLimitedLog(final Logger logger)
    {
        this.logger = logger;
    }

    /**
     * Logs the line unless {@link #BURST} lines were logged in the current interval.
     *
     * @param level  the level.
     * @param format a {@link java.text.MessageFormat} pattern.
     * @param params its parameters.
     */
    public void log(final Level level, final String format, final Object... params)
    {
        if (!logger.isLoggable(level))
        {
            return;
        }
        final long now = System.nanoTime();
        if (inWindow == 0 || now - windowStartNanos >= INTERVAL_NANOS)
        {
            windowStartNanos = now;
            inWindow = 0;
        }
        if (inWindow >= BURST)
        {
            suppressed++;
            return;
        }
        inWindow++;
        if (suppressed > 0)
        {
            final String note = " (" + suppressed + " similar lines left out before this one)";
            suppressed = 0;
            logger.log(level, (params.length == 0 ? format : java.text.MessageFormat.format(format, params)) + note);
        }
        else
        {
            logger.log(level, format, params);
        }
    }

    /** @return lines left out since the last one logged. */
    public long suppressed()
    {
        return suppressed;
    }
}
