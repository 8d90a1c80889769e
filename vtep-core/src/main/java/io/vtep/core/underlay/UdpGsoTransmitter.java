package io.vtep.core.underlay;

import static io.vtep.core.nativeio.LinuxConstants.AF_INET;
import static io.vtep.core.nativeio.LinuxConstants.AF_INET6;
import static io.vtep.core.nativeio.LinuxConstants.IPPROTO_UDP;
import static io.vtep.core.nativeio.LinuxConstants.IPV6_DONTFRAG;
import static io.vtep.core.nativeio.LinuxConstants.IPV6_UNICAST_HOPS;
import static io.vtep.core.nativeio.LinuxConstants.IPV6_V6ONLY;
import static io.vtep.core.nativeio.LinuxConstants.IP_MTU_DISCOVER;
import static io.vtep.core.nativeio.LinuxConstants.IP_PMTUDISC_DO;
import static io.vtep.core.nativeio.LinuxConstants.IP_TTL;
import static io.vtep.core.nativeio.LinuxConstants.SOCK_CLOEXEC;
import static io.vtep.core.nativeio.LinuxConstants.SOCK_DGRAM;
import static io.vtep.core.nativeio.LinuxConstants.SOL_IP;
import static io.vtep.core.nativeio.LinuxConstants.SOL_IPV6;
import static io.vtep.core.nativeio.LinuxConstants.SOL_UDP;
import static io.vtep.core.nativeio.LinuxConstants.UDP_SEGMENT;
import static io.vtep.core.nativeio.LinuxStructs.CMSG_DATA;
import static io.vtep.core.nativeio.LinuxStructs.CMSG_LEN;
import static io.vtep.core.nativeio.LinuxStructs.CMSG_LEVEL;
import static io.vtep.core.nativeio.LinuxStructs.CMSG_TYPE;
import static io.vtep.core.nativeio.LinuxStructs.IOV_BASE;
import static io.vtep.core.nativeio.LinuxStructs.IOV_LEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_CONTROL;
import static io.vtep.core.nativeio.LinuxStructs.MSG_CONTROLLEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_IOV;
import static io.vtep.core.nativeio.LinuxStructs.MSG_IOVLEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_NAME;
import static io.vtep.core.nativeio.LinuxStructs.MSG_NAMELEN;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.nativeio.ErrnoException;
import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.LinuxStructs;
import io.vtep.core.nativeio.SocketFilters;
import io.vtep.core.nativeio.SocketHandle;
import io.vtep.encap.VtepAddress;

/**
 * {@link SegmentTransmitter} over UDP sockets with {@code UDP_SEGMENT}, one socket per outer
 * source port in use.
 *
 * <h2>One socket per source port</h2>
 * RFC 7348 §5 wants each flow's outer UDP source port to come from a hash of its inner headers,
 * and a UDP socket sends from the one port it is bound to; so a flow's GSO datagrams leave from a
 * socket bound to that flow's port — the same port its other packets carry through the raw
 * socket, so the underlay's ECMP keeps the whole flow on one path. Sockets are opened on first
 * demand, up to {@link #MAX_SOCKETS}; a port that cannot be bound (another program has it, or the
 * limit is reached) stays with the one-by-one path. Nothing these sockets receive is queued
 * (a drop-all filter): they only send.
 *
 * <h2>Opening off the data path</h2>
 * A data-path thread never opens a socket (that allocates and takes several system calls): {@link
 * #ready} asks the opener thread for the port and answers no until the socket exists. The
 * flow's first super-frame goes one packet at a time, the next ones as GSO datagrams.
 *
 * <h2>The outer headers</h2>
 * The kernel writes them, for each segment: DF set and never fragmented (IPv4
 * {@code IP_PMTUDISC_DO}, IPv6 {@code IPV6_DONTFRAG}; RFC 7348 §4.3), the configured TTL, a UDP
 * checksum (non-zero checksums are allowed over IPv4 when correct, RFC 7348 §5, and required over
 * IPv6, RFC 8200 §8.1). A datagram whose segments do not fit the route's MTU fails with EMSGSIZE,
 * which {@link #send} reports as false.
 *
 * <h2>Threads and allocation</h2>
 * {@link #send} may be called from any number of threads and allocates nothing: each thread passes
 * its own {@code msghdr} in native memory ({@link #newScratch}, made when its pipeline is built).
 */
public final class UdpGsoTransmitter implements SegmentTransmitter
{
    /** Most sockets (file descriptors) held: enough for the bulk flows of a busy gateway. */
    public static final int MAX_SOCKETS = 1_024;

    private static final Logger LOGGER = System.getLogger(UdpGsoTransmitter.class.getName());
    private static final int PORTS = 65_536;
    /** A port the opener is asked for. */
    private static final Object REQUESTED = new Object();
    /** A port that cannot be bound: its flows stay on the one-by-one path. */
    private static final Object UNAVAILABLE = new Object();
    private static final int SEND_FLAGS = RawIpv4Transmitter.SEND_FLAGS;

    private final VtepAddress localAddress;
    private final int destinationPort;
    private final int ttl;
    /** Per source port: null (never asked), {@link #REQUESTED}, {@link #UNAVAILABLE} or its {@link SocketHandle}. */
    private final AtomicReferenceArray<Object> sockets = new AtomicReferenceArray<>(PORTS);
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong segments = new AtomicLong();
    /** Runs the {@link SocketOpener}; its thread is {@link #opener}, which {@link #ready} wakes. */
    private final AgentRunner openerRunner;
    private final Thread opener;
    private volatile boolean closed;
    private int opened;

    private UdpGsoTransmitter(final VtepAddress localAddress, final int destinationPort, final int ttl)
    {
        this.localAddress = localAddress;
        this.destinationPort = destinationPort;
        this.ttl = ttl;
        // Parks up to a second when idle; a data-path thread's request unparks it at once.
        this.openerRunner = new AgentRunner(new SleepingIdleStrategy(TimeUnit.SECONDS.toNanos(1)),
            error -> LOGGER.log(Level.WARNING, "UDP GSO socket opener: " + error, error), null, new SocketOpener());
        this.opener = Thread.ofPlatform().daemon().name("vtep-udp-gso-opener").unstarted(openerRunner);
    }

    /**
     * Checks that the kernel does UDP GSO (Linux 4.18 and later) on a socket of the local address's
     * family, then starts the opener thread.
     *
     * @param localAddress    the VTEP's underlay address: the sockets bind to it
     * @param destinationPort the VXLAN port of the remote VTEPs (4789)
     * @param ttl             TTL or hop limit of the packets
     * @throws IOException when the kernel refuses {@code UDP_SEGMENT} or the address is not local
     */
    public static UdpGsoTransmitter open(final VtepAddress localAddress, final int destinationPort, final int ttl)
        throws IOException
    {
        final UdpGsoTransmitter transmitter = new UdpGsoTransmitter(localAddress, destinationPort, ttl);
        try (SocketHandle probe = transmitter.openSocket(0))
        {
            Libc.setsockoptInt(probe.fd(), SOL_UDP, UDP_SEGMENT, 1_400, "setsockopt(SOL_UDP, UDP_SEGMENT)");
        }
        catch (final ErrnoException ex)
        {
            throw new IOException("UDP GSO on " + localAddress + ": " + ex.getMessage(), ex);
        }
        transmitter.opener.start();
        return transmitter;
    }

    @Override
    public boolean ready(final int sourcePort)
    {
        final Object state = sockets.get(sourcePort);
        if (state instanceof SocketHandle)
        {
            return true;
        }
        if (state == null && sockets.compareAndSet(sourcePort, null, REQUESTED))
        {
            LockSupport.unpark(opener);
        }
        return false;
    }

    @Override
    public Scratch newScratch()
    {
        return new SendScratch();
    }

    @Override
    public boolean send(final Scratch scratch, final VtepAddress remote, final int sourcePort, final long address,
        final int length, final int segmentSize)
    {
        if (!(sockets.get(sourcePort) instanceof SocketHandle socket) || socket.isClosed() ||
            remote.isIpv6() != localAddress.isIpv6())
        {
            return false;
        }
        final long msghdr = ((SendScratch)scratch).prepare(remote, destinationPort, address, length, segmentSize);
        final long sent = Libc.sendmsg(socket.fd(), msghdr, SEND_FLAGS);
        Reference.reachabilityFence(socket);
        if (sent != length)
        {
            return false;
        }
        datagrams.incrementAndGet();
        segments.addAndGet((length + segmentSize - 1) / segmentSize);
        return true;
    }

    /** GSO datagrams the kernel took. */
    public long datagrams()
    {
        return datagrams.get();
    }

    /** VXLAN packets those datagrams carried. */
    public long segments()
    {
        return segments.get();
    }

    /** Source ports with a socket now. */
    public synchronized int openSockets()
    {
        return opened;
    }

    @Override
    public void close()
    {
        closed = true;
        openerRunner.close(); // interrupts the opener's park and waits for it to end
        for (int port = 0; port < PORTS; port++)
        {
            if (sockets.getAndSet(port, UNAVAILABLE) instanceof SocketHandle socket)
            {
                socket.close();
            }
        }
    }

    @Override
    public String toString()
    {
        return "UdpGsoTransmitter[" + localAddress + ", " + openSockets() + " sockets" + (closed ? ", closed]" : "]");
    }

    /**
     * The opener thread's duty cycle, an Agrona {@link Agent}: opens the sockets asked for. Off the
     * data path because opening allocates and takes several system calls.
     */
    private final class SocketOpener implements Agent
    {
        @Override
        public int doWork()
        {
            int work = 0;
            for (int port = 0; port < PORTS && !closed; port++)
            {
                if (sockets.get(port) == REQUESTED)
                {
                    sockets.set(port, openFor(port));
                    work++;
                }
            }
            return work;
        }

        @Override
        public String roleName()
        {
            return "vtep-udp-gso-opener";
        }
    }

    private synchronized Object openFor(final int port)
    {
        if (opened >= MAX_SOCKETS)
        {
            return UNAVAILABLE;
        }
        try
        {
            final SocketHandle socket = openSocket(port);
            opened++;
            return socket;
        }
        catch (final ErrnoException ex)
        {
            // Usually EADDRINUSE: another program has the port. The flow keeps working, one packet
            // per system call.
            LOGGER.log(Level.DEBUG, "UDP GSO: source port {0} stays on the one-by-one path: {1}", port, ex.getMessage());
            return UNAVAILABLE;
        }
    }

    private SocketHandle openSocket(final int port) throws ErrnoException
    {
        final boolean ipv6 = localAddress.isIpv6();
        final String what = "UDP GSO socket " + localAddress + " port " + port;
        final SocketHandle socket = new SocketHandle(Libc.socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC,
            IPPROTO_UDP, what));
        try
        {
            SocketFilters.attachDropAll(socket.fd(), what);
            if (ipv6)
            {
                Libc.setsockoptInt(socket.fd(), SOL_IPV6, IPV6_V6ONLY, 1, "setsockopt(IPV6_V6ONLY) of " + what);
                Libc.setsockoptInt(socket.fd(), SOL_IPV6, IPV6_DONTFRAG, 1, "setsockopt(IPV6_DONTFRAG) of " + what);
                Libc.setsockoptInt(socket.fd(), SOL_IPV6, IPV6_UNICAST_HOPS, ttl, "setsockopt(IPV6_UNICAST_HOPS) of " + what);
            }
            else
            {
                Libc.setsockoptInt(socket.fd(), SOL_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO,
                    "setsockopt(IP_MTU_DISCOVER, IP_PMTUDISC_DO) of " + what);
                Libc.setsockoptInt(socket.fd(), SOL_IP, IP_TTL, ttl, "setsockopt(IP_TTL) of " + what);
            }
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment local = arena.allocate(ipv6 ? LinuxStructs.SOCKADDR_IN6 : LinuxStructs.SOCKADDR_IN);
                SendScratch.putSockaddr(new UnsafeBuffer(local.address(), (int)local.byteSize()), 0, localAddress, port);
                Libc.bind(socket.fd(), local, "bind(" + what + ")");
            }
            return socket;
        }
        catch (final ErrnoException | RuntimeException ex)
        {
            socket.closeNow();
            throw ex;
        }
    }

    /**
     * One thread's {@code msghdr}: one iovec (the segments), the destination, and a
     * {@code UDP_SEGMENT} control message with the segment size. Native memory, made once per
     * thread, freed when the pipeline that holds it goes.
     */
    private static final class SendScratch implements Scratch
    {
        private static final int MSGHDR_OFFSET = 0;
        private static final int IOVEC_OFFSET = 64;
        private static final int SOCKADDR_OFFSET = 80;
        private static final int CONTROL_OFFSET = 112;
        /** CMSG_SPACE(sizeof(u16)): the header, the data, padding to 8. */
        private static final int CONTROL_SPACE = (int)CMSG_DATA + 8;
        private static final int SIZE = CONTROL_OFFSET + CONTROL_SPACE;
        private static final int SOCKADDR_IN_LENGTH = (int)LinuxStructs.SOCKADDR_IN.byteSize();
        private static final int SOCKADDR_IN6_LENGTH = (int)LinuxStructs.SOCKADDR_IN6.byteSize();

        private final MemorySegment memory;
        private final long address;
        private final UnsafeBuffer buffer;

        SendScratch()
        {
            final MemorySegment memory = Arena.ofAuto().allocate(SIZE, 16);
            memory.fill((byte)0);
            address = memory.address();
            buffer = new UnsafeBuffer(address, SIZE);
            buffer.putLong(MSGHDR_OFFSET + (int)MSG_NAME, address + SOCKADDR_OFFSET);
            buffer.putLong(MSGHDR_OFFSET + (int)MSG_IOV, address + IOVEC_OFFSET);
            buffer.putLong(MSGHDR_OFFSET + (int)MSG_IOVLEN, 1);
            buffer.putLong(MSGHDR_OFFSET + (int)MSG_CONTROL, address + CONTROL_OFFSET);
            buffer.putLong(MSGHDR_OFFSET + (int)MSG_CONTROLLEN, CONTROL_SPACE);
            buffer.putLong(CONTROL_OFFSET + (int)CMSG_LEN, CMSG_DATA + Short.BYTES);
            buffer.putInt(CONTROL_OFFSET + (int)CMSG_LEVEL, SOL_UDP);
            buffer.putInt(CONTROL_OFFSET + (int)CMSG_TYPE, UDP_SEGMENT);
            // Held so that Arena.ofAuto() frees the memory only when this (thread-local) object goes.
            this.memory = memory;
        }

        long prepare(final VtepAddress remote, final int port, final long payload, final int length, final int segmentSize)
        {
            final int namelen = putSockaddr(buffer, SOCKADDR_OFFSET, remote, port);
            buffer.putInt(MSGHDR_OFFSET + (int)MSG_NAMELEN, namelen);
            buffer.putLong(IOVEC_OFFSET + (int)IOV_BASE, payload);
            buffer.putLong(IOVEC_OFFSET + (int)IOV_LEN, length);
            buffer.putShort(CONTROL_OFFSET + (int)CMSG_DATA, (short)segmentSize);
            return address + MSGHDR_OFFSET;
        }

        /** Writes a {@code sockaddr_in} or {@code sockaddr_in6}; @return its length. */
        static int putSockaddr(final UnsafeBuffer target, final int offset, final VtepAddress address, final int port)
        {
            if (address.isIpv6())
            {
                target.setMemory(offset, SOCKADDR_IN6_LENGTH, (byte)0);
                target.putShort(offset + (int)LinuxStructs.SIN6_FAMILY, (short)AF_INET6);
                target.putShort(offset + (int)LinuxStructs.SIN6_PORT, (short)port, ByteOrder.BIG_ENDIAN);
                address.put(target, offset + (int)LinuxStructs.SIN6_ADDR);
                return SOCKADDR_IN6_LENGTH;
            }
            target.setMemory(offset, SOCKADDR_IN_LENGTH, (byte)0);
            target.putShort(offset + (int)LinuxStructs.SIN_FAMILY, (short)AF_INET);
            target.putShort(offset + (int)LinuxStructs.SIN_PORT, (short)port, ByteOrder.BIG_ENDIAN);
            address.put(target, offset + (int)LinuxStructs.SIN_ADDR);
            return SOCKADDR_IN_LENGTH;
        }
    }
}
