package io.vtep.core.nativeio;

import static io.vtep.core.nativeio.LinuxStructs.IOV_BASE;
import static io.vtep.core.nativeio.LinuxStructs.IOV_LEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_CONTROL;
import static io.vtep.core.nativeio.LinuxStructs.MSG_CONTROLLEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_FLAGS;
import static io.vtep.core.nativeio.LinuxStructs.MSG_IOV;
import static io.vtep.core.nativeio.LinuxStructs.MSG_IOVLEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_NAME;
import static io.vtep.core.nativeio.LinuxStructs.MSG_NAMELEN;
import static io.vtep.core.nativeio.LinuxStructs.POLL_EVENTS;
import static io.vtep.core.nativeio.LinuxStructs.POLL_FD;
import static io.vtep.core.nativeio.LinuxStructs.POLL_REVENTS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Per-thread native memory for the structures a data-path call points to: a {@code msghdr} wired to
 * one {@code iovec}, a socket address and a control-message buffer, and a {@code pollfd}.
 *
 * <p>Why per thread: several threads send on the same socket (the access pipeline floods and
 * hairpins, the overlay pipeline delivers), and a {@code sendto} destination or a {@code recvmsg}
 * header being filled by two threads at once would be corrupted. {@link #current()} is a
 * {@link ThreadLocal} lookup, which allocates only on a thread's first call; after that the data
 * path allocates nothing. The memory is freed by the GC when the thread has ended (automatic arena).
 *
 * <p>The pointers inside the {@code msghdr} (name, iov, control) are set once here; a caller sets
 * only what changes per call ({@link #prepareReceive}). Fields are read and written through
 * {@link #buffer()} at the offsets below, which is plain memory access for the JIT.
 *
 * <p>Calls must not nest: a scratch is used from the start of one native call to the reading of
 * its results, then reused.
 */
public final class NativeScratch
{
    /** {@code struct msghdr} (56 bytes). */
    public static final int MSGHDR_OFFSET = 0;
    /** One {@code struct iovec} (16 bytes), referenced by the msghdr. */
    public static final int IOVEC_OFFSET = 64;
    /** A socket address of up to {@link #SOCKADDR_CAPACITY} bytes: sockaddr_ll, sockaddr_in or sockaddr_in6. */
    public static final int SOCKADDR_OFFSET = 80;
    public static final int SOCKADDR_CAPACITY = 32;
    /** One {@code struct pollfd} (8 bytes). */
    public static final int POLLFD_OFFSET = 112;
    /** Control messages; 64 bytes hold CMSG_SPACE(sizeof(struct tpacket_auxdata)) = 40. */
    public static final int CONTROL_OFFSET = 128;
    public static final int CONTROL_CAPACITY = 64;
    private static final int SIZE = 256;

    private static final ThreadLocal<NativeScratch> PER_THREAD = ThreadLocal.withInitial(NativeScratch::new);

    private final MemorySegment memory;
    private final UnsafeBuffer buffer;
    private final long address;

    private NativeScratch()
    {
        memory = Arena.ofAuto().allocate(SIZE, 64);
        address = memory.address();
        buffer = new UnsafeBuffer(address, SIZE);
        buffer.putLong(MSGHDR_OFFSET + (int)MSG_NAME, address + SOCKADDR_OFFSET);
        buffer.putLong(MSGHDR_OFFSET + (int)MSG_IOV, address + IOVEC_OFFSET);
        buffer.putLong(MSGHDR_OFFSET + (int)MSG_IOVLEN, 1L);
        buffer.putLong(MSGHDR_OFFSET + (int)MSG_CONTROL, address + CONTROL_OFFSET);
    }

    /** The calling thread's scratch. */
    public static NativeScratch current()
    {
        return PER_THREAD.get();
    }

    /** The whole scratch block; indexes are the {@code *_OFFSET} constants plus field offsets. */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    public long msghdrAddress()
    {
        return address + MSGHDR_OFFSET;
    }

    public long sockaddrAddress()
    {
        return address + SOCKADDR_OFFSET;
    }

    public long controlAddress()
    {
        return address + CONTROL_OFFSET;
    }

    /**
     * Readies the msghdr for one {@code recvmsg} into {@code capacity} bytes at {@code frameAddress}.
     * The kernel overwrites {@code msg_namelen}, {@code msg_controllen} and {@code msg_flags} on
     * every call, so they are reset here each time.
     *
     * @return the msghdr address to pass to {@link Libc#recvmsg}
     */
    public long prepareReceive(final long frameAddress, final int capacity)
    {
        buffer.putLong(IOVEC_OFFSET + (int)IOV_BASE, frameAddress);
        buffer.putLong(IOVEC_OFFSET + (int)IOV_LEN, capacity);
        buffer.putInt(MSGHDR_OFFSET + (int)MSG_NAMELEN, SOCKADDR_CAPACITY);
        buffer.putLong(MSGHDR_OFFSET + (int)MSG_CONTROLLEN, CONTROL_CAPACITY);
        buffer.putInt(MSGHDR_OFFSET + (int)MSG_FLAGS, 0);
        return address + MSGHDR_OFFSET;
    }

    /** {@code msg_controllen} of the last {@code recvmsg}: how many control bytes the kernel wrote. */
    public int receivedControlLength()
    {
        return (int)buffer.getLong(MSGHDR_OFFSET + (int)MSG_CONTROLLEN);
    }

    /**
     * Waits until {@code fd} is readable, for at most {@code timeoutMillis} (negative: no limit).
     *
     * @return the {@code revents} (POLLIN, ...), 0 on timeout, -1 on error or signal
     */
    public int pollReadable(final int fd, final int timeoutMillis)
    {
        buffer.putInt(POLLFD_OFFSET + (int)POLL_FD, fd);
        buffer.putShort(POLLFD_OFFSET + (int)POLL_EVENTS, LinuxConstants.POLLIN);
        buffer.putShort(POLLFD_OFFSET + (int)POLL_REVENTS, (short)0);
        final int ready = Libc.poll(address + POLLFD_OFFSET, 1, timeoutMillis);
        return ready > 0 ? buffer.getShort(POLLFD_OFFSET + (int)POLL_REVENTS) & 0xFFFF : ready;
    }
}
