package io.vtep.core.app;

/**
 * Whether a pipeline's thread is blocked in its idle {@code poll} ({@link PollIdleStrategy}): set
 * by that thread around the call, read by its peers, which then may forward what arrives on its
 * underlay socket instead of leaving it to the kernel's wake-up of the blocked thread
 * ({@code PipelineWorker}, docs/architecture.md §3.1). A hint, not a lock: the socket's own reading
 * lock keeps the order of its datagrams, so a stale value costs at most a wasted system call.
 */
final class ParkedFlag
{
    private volatile boolean parked;

    /** The pipeline is about to block. */
    void park()
    {
        parked = true;
    }

    /** The pipeline's {@code poll} returned. */
    void unpark()
    {
        parked = false;
    }

    boolean isParked()
    {
        return parked;
    }
}
