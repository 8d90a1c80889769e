package io.vtep.core.nativeio;

import java.io.IOException;

/**
 * A failed Linux call, with the {@code errno} it set and strerror-style text:
 * {@code "setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP): Operation not permitted (EPERM)"}.
 *
 * <p>Thrown only by setup calls (opening sockets, setting options, entering namespaces). Data-path
 * calls never throw; they return the kernel's result and the caller counts the failure.
 */
public final class ErrnoException extends IOException
{
    private final String call;
    private final int errno;

    public ErrnoException(final String call, final int errno)
    {
        super(call + ": " + Libc.describeErrno(errno));
        this.call = call;
        this.errno = errno;
    }

    /** The call that failed, with the arguments that identify it, e.g. {@code "bind(AF_PACKET, eth1)"}. */
    public String call()
    {
        return call;
    }

    /** The {@code errno} value (see {@link LinuxConstants} for the ones the callers test). */
    public int errno()
    {
        return errno;
    }
}
