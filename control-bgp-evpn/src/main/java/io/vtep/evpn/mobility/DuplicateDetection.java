package io.vtep.evpn.mobility;

import java.time.Duration;
import java.util.Objects;

import org.agrona.concurrent.NanoClock;

/**
 * When a MAC that keeps moving is a duplicate, and for how long it stays frozen (RFC 7432 §15.1:
 * "N MAC moves within M seconds"; FRR's {@code dup-addr-detection max-moves N time M freeze}).
 * Shared by every {@link MacMobility} of a control plane.
 *
 * @param maxMoves moves tolerated within {@code window}; one more makes the MAC a duplicate (FRR: 5).
 * @param window   the detection window (FRR: 180 s). A move exactly {@code window} old still counts.
 * @param freeze   how long a duplicate stays frozen before it is released on its own, or
 *                 {@code null} to keep it frozen until it is cleared (FRR's {@code freeze permanent}).
 * @param clock    the clock moves and freezes are timed with (the FDB's, a manual one in tests).
 */
public record DuplicateDetection(int maxMoves, Duration window, Duration freeze, NanoClock clock)
{
    /** FRR's {@code dup-addr-detection max-moves} default. */
    public static final int DEFAULT_MAX_MOVES = 5;
    /** FRR's {@code dup-addr-detection time} default. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(180);

    /** Checks the fields. */
    public DuplicateDetection
    {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(clock, "clock");
        if (maxMoves < 1)
        {
            throw new IllegalArgumentException("maxMoves " + maxMoves + " must be at least 1");
        }
        if (window.isNegative() || window.isZero())
        {
            throw new IllegalArgumentException("window " + window + " must be positive");
        }
        if (freeze != null && (freeze.isNegative() || freeze.isZero()))
        {
            throw new IllegalArgumentException("freeze " + freeze + " must be positive (null: permanent)");
        }
    }

    /** @return whether a duplicate stays frozen until it is cleared. */
    public boolean permanentFreeze()
    {
        return freeze == null;
    }
}
