package io.vtep.core.nativeio;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A socket file descriptor that may be closed while other threads are still sending or receiving
 * on it.
 *
 * <p>Why not just {@code close(fd)}: data-path threads read the descriptor number and call into
 * the kernel without a lock. If {@link #close()} released the number, a sender that had already
 * read it could, a moment later, write a frame into whatever file the process opened next under
 * the same number (a Netty socket, a log file). So closing is done in two steps, as
 * {@code java.nio} does it:
 * <ol>
 * <li>{@link #close()} atomically points the descriptor number at a dead socket with
 * {@code dup3} (a Unix stream socket whose peer is closed: sends fail with EPIPE, receives
 * return 0, poll reports HUP). The real socket is released at once (interface promiscuity
 * dropped, queued frames freed); a thread racing with close fails harmlessly.</li>
 * <li>The number itself is released by a {@link Cleaner} once this handle is unreachable, i.e.
 * once no thread can be in a call that still uses it. Data-path methods therefore end with
 * {@code Reference.reachabilityFence(handle)}.</li>
 * </ol>
 */
public final class SocketHandle implements AutoCloseable
{
    private static final Cleaner CLEANER = Cleaner.create(
        runnable -> Thread.ofPlatform().daemon().name("vtep-socket-cleaner").unstarted(runnable));

    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Cleaner.Cleanable releaseNumber;

    /** Takes ownership of {@code fd}. */
    public SocketHandle(final int fd)
    {
        this.fd = fd;
        final int number = fd;
        this.releaseNumber = CLEANER.register(this, () -> Libc.closeQuietly(number));
    }

    /** The descriptor number; stays valid (possibly pointing at the dead socket) while this handle is reachable. */
    public int fd()
    {
        return fd;
    }

    public boolean isClosed()
    {
        return closed.get();
    }

    /** Releases the socket now and the descriptor number when this handle is unreachable. Idempotent. */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        try
        {
            Libc.dup3(DeadSocket.FD, fd, LinuxConstants.O_CLOEXEC);
        }
        catch (final ErrnoException | RuntimeException | LinkageError ex)
        {
            // Could not park the number on the dead socket: close for real. Only a thread racing
            // with close could then touch a reused number; better than leaking the socket.
            releaseNumber.clean();
        }
    }

    /** Closes the socket and its number at once: for sockets no other thread has seen yet (failed setup). */
    public void closeNow()
    {
        closed.set(true);
        releaseNumber.clean();
    }

    @Override
    public String toString()
    {
        return "SocketHandle[fd=" + fd + (isClosed() ? ", closed]" : "]");
    }

    /** The process-wide dead socket that closed descriptor numbers point at until released. */
    private static final class DeadSocket
    {
        static final int FD = create();

        private static int create()
        {
            try
            {
                final int[] pair = Libc.socketpair(
                    LinuxConstants.AF_UNIX, LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_CLOEXEC, 0);
                Libc.close(pair[1]);
                Libc.shutdown(pair[0], LinuxConstants.SHUT_RDWR);
                return pair[0];
            }
            catch (final ErrnoException ex)
            {
                throw new IllegalStateException("cannot create the closed-socket marker", ex);
            }
        }
    }
}
