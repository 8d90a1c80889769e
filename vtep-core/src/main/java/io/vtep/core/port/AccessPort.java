package io.vtep.core.port;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

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
     * The longest frame {@link #receive} may return: the size of the batch slots to receive into.
     * A driver that takes offloaded super-frames ({@link FrameOffload}) needs more than a wire frame.
     */
    default int maxFrameLength()
    {
        return FrameBatch.MAX_FRAME_LENGTH;
    }

    /**
     * The descriptor a pipeline polls for readability before it calls {@link #receive} with a
     * timeout of 0; -1 when the driver has none (it then gets a receive thread of its own).
     */
    default int receiveFd()
    {
        return -1;
    }

    /** The interface's MTU (the largest IP packet a frame sent on it may carry), as read when the port opened. */
    default int mtu()
    {
        return 1500;
    }

    /**
     * Sends a TCP frame longer than the MTU allows (a super-frame that a peer's offloads made) as
     * one unit for the kernel to cut into segments of IP packets of at most {@code mtu} bytes on the
     * way out (GSO), or hand whole to a host on a veth or tap. Its transport checksum is rewritten.
     *
     * @return false when the driver cannot (then the caller drops the frame as too large), or the
     *     frame is not a TCP frame over IPv4/IPv6, or the kernel refused it
     */
    default boolean sendSegmented(MutableDirectBuffer buffer, int offset, int length, int mtu)
    {
        return false;
    }

    /** Whether {@link #sendSegmented} can send at all (af-packet can; pcap cannot). */
    default boolean sendsSegmented()
    {
        return false;
    }

    /**
     * Frames the driver read but had to drop because they did not fit its receive buffer
     * (counted by the driver; the forwarding thread reports them as {@code truncated} drops).
     */
    default long truncatedFrames()
    {
        return 0;
    }

    /**
     * Frames the kernel dropped at the port's receive socket because its queue was full, since the
     * port was opened (re-openings included): read from the kernel, a system call, so the
     * receiving thread asks at an interval, never per batch; it reports them as
     * {@code access_socket_queue} drops. 0 for a driver that cannot tell.
     */
    default long socketQueueDrops()
    {
        return 0;
    }

    /**
     * Opens the port again on the interface that now has its name (after it was deleted and made
     * again, or went down and up; docs/architecture.md §3.5), closing what it had open. Called only
     * by the thread that calls {@link #receive}, between two receives.
     *
     * @throws IOException when it cannot (no such interface now); the port stays as it was
     */
    default void reopen() throws java.io.IOException
    {
        throw new java.io.IOException("access port " + name() + ": this driver cannot re-open");
    }

    /** Stops the port; a blocked {@link #receive} returns within its timeout. */
    @Override
    void close();
}
