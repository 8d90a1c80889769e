package io.vtep.evpn.session;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The timers of RFC 4271 §10 that are the speaker's choice (Hold and Keepalive come from the
 * OPENs: hold = the smaller of both proposals, keepalive = hold / 3, none when hold is 0).
 *
 * <p>ConnectRetry: the first retry after a connection attempt failed, or after a session went
 * down, comes after {@code firstConnectRetry} (1 s: a peer that is just starting, or that
 * restarted, is reached at once); every further consecutive one after {@code connectRetry} (5 s,
 * far below RFC 4271's suggested 120 s, because an appliance wants its overlay back quickly and a
 * refused connect costs nothing). The counter resets when a session reaches Established. Each
 * delay is jittered to 75–100 % (RFC 4271 §10), so that two speakers that both connect do not
 * stay in step. The same delay is the Idle hold before the automatic restart after an error
 * (RFC 4271 §8.1.1, IdleHoldTime).
 *
 * @param firstConnectRetry the first ConnectRetry / Idle hold delay after a failure (default 1 s).
 * @param connectRetry      the following ones (default 5 s).
 * @param openSentHold      the hold timer while waiting for the peer's OPEN (RFC 4271 §8.2.2
 *                          suggests 4 minutes).
 * @param sendHoldWithoutHoldTime how long a session whose OPENs settled on hold time 0 may stay
 *                          unwritable without progress before Cease/Out of Resources (default 90 s,
 *                          RFC 4271 §10's hold time): the peer's OPEN cannot switch that check off.
 */
public record SessionTimers(Duration firstConnectRetry, Duration connectRetry, Duration openSentHold, Duration sendHoldWithoutHoldTime)
{
    /** 1 s, then 5 s; 4 minutes in OpenSent; 90 s of send hold without a hold time. */
    public static final SessionTimers DEFAULT = new SessionTimers(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(4));

    /** With the default send hold for sessions without a hold time (90 s). */
    public SessionTimers(final Duration firstConnectRetry, final Duration connectRetry, final Duration openSentHold)
    {
        this(firstConnectRetry, connectRetry, openSentHold, Duration.ofSeconds(90));
    }

    /** Checks the durations. */
    public SessionTimers
    {
        for (final Duration d : new Duration[] {firstConnectRetry, connectRetry, openSentHold, sendHoldWithoutHoldTime})
        {
            if (Objects.requireNonNull(d, "timer").isNegative() || d.isZero())
            {
                throw new IllegalArgumentException("timers must be positive: " + d);
            }
        }
    }

    /**
     * @param consecutiveFailures failures since the last Established (1 for the first).
     * @return the delay before the next attempt, before jitter.
     */
    public Duration retryDelay(final int consecutiveFailures)
    {
        return consecutiveFailures <= 1 ? firstConnectRetry : connectRetry;
    }

    /**
     * RFC 4271 §10: ConnectRetry (and the Idle hold) are jittered to 75–100 % of their value, so
     * that speakers which failed together do not retry in step forever.
     *
     * @param delay the configured delay.
     * @return a random delay in [0.75 × delay, delay], in milliseconds (at least 1).
     */
    public static long jitteredMillis(final Duration delay)
    {
        final long millis = delay.toMillis();
        final long low = millis * 3 / 4;
        return Math.max(1, low + ThreadLocalRandom.current().nextLong(millis - low + 1));
    }
}
