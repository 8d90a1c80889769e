package io.vtep.core.netlink;

import static io.vtep.core.nativeio.LinuxConstants.MSG_DONTWAIT;
import static io.vtep.core.nativeio.LinuxConstants.SOCK_CLOEXEC;
import static io.vtep.core.nativeio.LinuxConstants.SOCK_RAW;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.nativeio.ErrnoException;
import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.NativeScratch;
import io.vtep.core.nativeio.SocketHandle;

/**
 * An rtnetlink socket (rtnetlink(7)) subscribed to the link multicast group
 * ({@code RTNLGRP_LINK}): the kernel sends an {@code RTM_NEWLINK} whenever an interface appears,
 * changes flags (up, down, carrier) or is renamed, and an {@code RTM_DELLINK} when one is deleted.
 * vtep only needs to know that something happened to some link: {@link LinkWatcher} then looks at
 * its ports' interfaces by name, which is also right when messages were lost (the socket's buffer
 * overflowed: {@code ENOBUFS}), so this class reads nothing but the message types.
 *
 * <p>Opened by the thread that starts the appliance, so it watches that thread's network namespace.
 */
public final class LinkEventSocket implements AutoCloseable
{
    static final int AF_NETLINK = 16;
    static final int NETLINK_ROUTE = 0;
    /** {@code RTMGRP_LINK}: the bit of multicast group {@code RTNLGRP_LINK} (1) in {@code nl_groups}. */
    static final int RTMGRP_LINK = 1;
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    /** {@code struct nlmsghdr}: u32 length, u16 type, u16 flags, u32 seq, u32 pid. */
    static final int NLMSG_HDRLEN = 16;
    private static final int NLMSG_TYPE_OFFSET = 4;
    /** {@code struct sockaddr_nl}: u16 family, u16 pad, u32 pid (0: the kernel assigns), u32 groups. */
    private static final int SOCKADDR_NL_LENGTH = 12;
    private static final int RECEIVE_BUFFER_LENGTH = 64 * 1024;

    private final SocketHandle socket;
    /** Kept reachable: the buffer below only holds its address. */
    private final MemorySegment memory;
    private final UnsafeBuffer buffer;

    private LinkEventSocket(final SocketHandle socket)
    {
        this.socket = socket;
        this.memory = Arena.ofAuto().allocate(RECEIVE_BUFFER_LENGTH, 8);
        this.buffer = new UnsafeBuffer(memory.address(), RECEIVE_BUFFER_LENGTH);
    }

    public static LinkEventSocket open() throws IOException
    {
        final SocketHandle socket;
        try
        {
            socket = new SocketHandle(Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE,
                "socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)"));
        }
        catch (final ErrnoException ex)
        {
            throw new IOException("link watcher: " + ex.getMessage(), ex);
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment address = arena.allocate(SOCKADDR_NL_LENGTH, 4);
            address.set(ValueLayout.JAVA_SHORT, 0, (short)AF_NETLINK);
            address.set(ValueLayout.JAVA_INT, 8, RTMGRP_LINK);
            Libc.bind(socket.fd(), address, "bind(AF_NETLINK, RTMGRP_LINK)");
        }
        catch (final ErrnoException ex)
        {
            socket.closeNow();
            throw new IOException("link watcher: " + ex.getMessage(), ex);
        }
        return new LinkEventSocket(socket);
    }

    /** The socket, for interface ioctls in its namespace. */
    public int fd()
    {
        return socket.fd();
    }

    /**
     * Waits up to {@code timeoutMillis} for link messages and reads every one queued.
     *
     * @return true when a link was added, changed or deleted, or messages may have been lost
     *     (a receive error): either way the caller should look at its interfaces again
     */
    public boolean awaitLinkChange(final int timeoutMillis)
    {
        final NativeScratch scratch = NativeScratch.current();
        final int events = scratch.pollReadable(socket.fd(), timeoutMillis);
        if (events == 0)
        {
            return false;
        }
        boolean changed = events < 0; // interrupted: cheap to look again
        boolean readAny = false;
        while (true)
        {
            final long length = Libc.recvfrom(socket.fd(), buffer.addressOffset(), RECEIVE_BUFFER_LENGTH, MSG_DONTWAIT, 0, 0);
            if (length <= 0)
            {
                // EAGAIN once all is read; readable but failing at once is ENOBUFS: the kernel
                // dropped messages, so the caller must look at every link again.
                return changed || !readAny;
            }
            readAny = true;
            changed |= containsLinkMessage(buffer, (int)Math.min(length, RECEIVE_BUFFER_LENGTH));
        }
    }

    /** Whether the netlink datagram of {@code length} bytes holds an RTM_NEWLINK or RTM_DELLINK. */
    static boolean containsLinkMessage(final UnsafeBuffer datagram, final int length)
    {
        int offset = 0;
        while (offset + NLMSG_HDRLEN <= length)
        {
            final int messageLength = datagram.getInt(offset);
            final int type = datagram.getShort(offset + NLMSG_TYPE_OFFSET) & 0xFFFF;
            if (type == RTM_NEWLINK || type == RTM_DELLINK)
            {
                return true;
            }
            if (messageLength < NLMSG_HDRLEN)
            {
                return false;
            }
            offset += (messageLength + 3) & ~3; // NLMSG_ALIGN
        }
        return false;
    }

    @Override
    public void close()
    {
        socket.close();
    }
}
