package io.vtep.core.api;

/** Answers {@code GET /readyz}: called on the API thread, so it must only read state, never block. */
@FunctionalInterface
public interface ReadinessCheck
{
    /** @return null when ready to forward, else why not (for example "starting: opening access ports"). */
    String notReadyReason();
}
