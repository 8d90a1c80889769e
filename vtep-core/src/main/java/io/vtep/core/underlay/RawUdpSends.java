package io.vtep.core.underlay;

import static io.vtep.core.nativeio.LinuxConstants.EACCES;
import static io.vtep.core.nativeio.LinuxConstants.EADDRNOTAVAIL;
import static io.vtep.core.nativeio.LinuxConstants.EPERM;
import static io.vtep.core.nativeio.LinuxConstants.MSG_DONTWAIT;
import static io.vtep.core.nativeio.LinuxConstants.MSG_NOSIGNAL;
import static io.vtep.core.nativeio.NativeScratch.SOCKADDR_OFFSET;

import java.io.IOException;
import java.lang.ref.Reference;

import org.agrona.DirectBuffer;

import io.vtep.core.nativeio.ErrnoException;
import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.NativeScratch;
import io.vtep.core.nativeio.SocketHandle;

/**
 * What {@link RawIpv4Transmitter} and {@link RawIpv6Transmitter} do alike: check a packet, send it or
 * a batch to the address read from its IP header, and say why a raw socket did not open. They differ
 * only in the address family, the {@code sockaddr} they fill in and how many header bytes the kernel
 * writes itself ({@code skip}: none for IPv4 with {@code IP_HDRINCL}, the 40-byte IPv6 header for IPv6).
 *
 * <p>Static and allocation-free: called per packet from the data path.
 */
final class RawUdpSends
{
    /**
     * MSG_DONTWAIT: when the socket's send buffer is full (the underlay interface's queue is stalled),
     * {@code sendto} fails at once (EAGAIN, ENOBUFS) and the pipeline counts tx_error, instead of
     * blocking the data-path thread and every port and VNI it serves. MSG_NOSIGNAL: no SIGPIPE.
     */
    static final int SEND_FLAGS = MSG_DONTWAIT | MSG_NOSIGNAL;
    private static final int UDP_HEADER_LENGTH = 8;

    private RawUdpSends()
    {
    }

    /**
     * @param ipHeaderLength the outer IP header's length: a packet needs it and a UDP header at least
     * @return false when the range is not a native buffer range long enough for the IP and UDP
     *     headers, when closed, or when the kernel refused the packet (EMSGSIZE: longer than the MTU;
     *     EAGAIN or ENOBUFS: the send buffer is full, as the call never blocks; no route)
     */
    static boolean send(final SocketHandle socket, final DirectBuffer buffer, final int offset, final int length,
        final int ipHeaderLength, final int skip, final int sockaddrLength, final TransmitBatch.Destination destination)
    {
        if (socket.isClosed() || buffer.byteArray() != null ||
            length < ipHeaderLength + UDP_HEADER_LENGTH || offset < 0 || length > buffer.capacity() - offset)
        {
            return false;
        }
        final NativeScratch scratch = NativeScratch.current();
        destination.put(scratch.buffer(), SOCKADDR_OFFSET, buffer, offset);

        final int sentLength = length - skip;
        final long sent = Libc.sendto(socket.fd(), buffer.addressOffset() + offset + skip, sentLength, SEND_FLAGS,
            scratch.sockaddrAddress(), sockaddrLength);
        Reference.reachabilityFence(socket);
        return sent == sentLength;
    }

    /** The whole batch in {@code sendmmsg} calls (usually one), each packet as {@link #send(SocketHandle, DirectBuffer, int, int, int, int, int, TransmitBatch.Destination)}. */
    static void send(final SocketHandle socket, final TransmitBatch batch, final int skip, final int sockaddrLength,
        final TransmitBatch.Destination destination)
    {
        if (socket.isClosed())
        {
            batch.failAll();
            return;
        }
        batch.sendAll(socket.fd(), SEND_FLAGS, skip, sockaddrLength, destination);
        Reference.reachabilityFence(socket);
    }

    /**
     * Why opening the socket for {@code local} failed, in words an operator can act on.
     *
     * @param notAssigned what EADDRNOTAVAIL means for this family
     */
    static IOException failure(final String local, final ErrnoException ex, final String notAssigned)
    {
        final String prefix = "underlay transmitter " + local + ": ";
        if (ex.errno() == EPERM || ex.errno() == EACCES)
        {
            return new IOException(prefix + ex.getMessage() + "; raw sockets need CAP_NET_RAW", ex);
        }
        if (ex.errno() == EADDRNOTAVAIL)
        {
            return new IOException(prefix + notAssigned, ex);
        }
        return new IOException(prefix + ex.getMessage(), ex);
    }
}
