package io.vtep.core.port;

import org.agrona.DirectBuffer;

/**
 * An access port facing bare-metal servers: a Linux interface opened for raw Ethernet frames.
 *
 * <p>Batch-shaped so that a fast driver can use mmap rings and a simple one can loop.
 * Frames are read and written exactly as they are on the wire, 802.1Q tag included: a driver whose
 * kernel interface moves the tag into metadata (AF_PACKET does, docs/architecture.md §8) puts it back in the
 * frame. Frames this host itself sent on the interface are never returned by {@link #receive}.
 *
 * <p>{@link #receive} is called by one thread; {@link #send} may be called by several (the access
 * pipeline hairpins and floods, the overlay pipeline delivers), so drivers keep no shared mutable
 * send state. Neither method allocates, throws for a bad frame, or logs per frame.
 */
public interface AccessPort extends AutoCloseable
{
    /** The Linux interface name. */
    String name();

    /**
     * Receives up to {@code batch.capacity()} frames into {@code batch} (after clearing it),
     * waiting up to {@code timeoutMillis} for the first one.
     *
     * @return the number of frames received, 0 on timeout.
     */
    int receive(FrameBatch batch, int timeoutMillis);

    /**
     * Sends one frame as written. {@code buffer} must be backed by native memory
     * ({@code buffer.addressOffset()} is an address) for drivers that hand it to the kernel.
     *
     * @return true when the kernel took the frame.
     */
    boolean send(DirectBuffer buffer, int offset, int length);

    /**
     * Frames the driver read but had to drop because they did not fit its receive buffer
     * (counted by the driver; the forwarding thread reports them as {@code truncated} drops).
     */
    default long truncatedFrames()
    {
        return 0;
    }

    /** Stops the port; a blocked {@link #receive} returns within its timeout. */
    @Override
    void close();
}
