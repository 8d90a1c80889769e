package io.vtep.evpn.session;

import java.time.Duration;
import java.util.Objects;

/**
 * How many routes one neighbor may make vtep hold, like FRR's {@code neighbor X maximum-prefix N
 * [THRESHOLD] [restart M] [warning-only]}. Counted are the routes in the neighbor's Adj-RIB-In,
 * accepted or not (each costs memory either way). At {@code warningPercent} of the limit a warning
 * is logged; above the limit the session is closed with Cease / Maximum Number of Prefixes Reached
 * (RFC 4486 §4, subcode 1, with AFI, SAFI and the limit as data) and not restarted before
 * {@code restart} has passed, unless {@code warningOnly}, which only logs.
 *
 * @param limit          routes allowed, at least 1
 * @param warningPercent 1..100: the share of the limit that logs a warning
 * @param restart        how long the session stays down after a tear-down, positive
 * @param warningOnly    log, never tear down (then the limit protects nothing)
 */
public record MaximumPrefix(long limit, int warningPercent, Duration restart, boolean warningOnly)
{
    /**
     * The default for every neighbor: 100,000 routes. A route held costs about 800 bytes with its
     * FDB entry (benchmarks/README.md), so one neighbor stays under 100 MB: far above what an EVPN
     * fabric of this gateway's size advertises (FRR's tests use thousands), far below the heap a
     * million routes took (issue 15, failure 3).
     */
    public static final long DEFAULT_LIMIT = 100_000;
    /** FRR's default threshold. */
    public static final int DEFAULT_WARNING_PERCENT = 75;
    /** How long a neighbor torn down for too many routes stays down unless configured. */
    public static final Duration DEFAULT_RESTART = Duration.ofSeconds(60);
    public static final MaximumPrefix DEFAULT = new MaximumPrefix(DEFAULT_LIMIT, DEFAULT_WARNING_PERCENT, DEFAULT_RESTART, false);

    /** Checks the values. */
    public MaximumPrefix
    {
        if (limit < 1 || limit > 0xFFFF_FFFFL)
        {
            throw new IllegalArgumentException("maximum-prefix limit must be 1..4294967295: " + limit);
        }
        if (warningPercent < 1 || warningPercent > 100)
        {
            throw new IllegalArgumentException("maximum-prefix warning threshold must be 1..100 %: " + warningPercent);
        }
        if (Objects.requireNonNull(restart, "restart").isNegative() || restart.isZero())
        {
            throw new IllegalArgumentException("maximum-prefix restart must be positive: " + restart);
        }
    }

    /** @return the route count at which the warning is logged. */
    public long warningAt()
    {
        return Math.max(1, limit * warningPercent / 100);
    }
}
