package io.vtep.core.underlay;

import static io.vtep.core.nativeio.LinuxConstants.AF_INET;
import static io.vtep.core.nativeio.LinuxConstants.AF_INET6;
import static io.vtep.core.nativeio.LinuxConstants.EADDRINUSE;
import static io.vtep.core.nativeio.LinuxConstants.IPPROTO_UDP;
import static io.vtep.core.nativeio.LinuxConstants.IPV6_ADD_MEMBERSHIP;
import static io.vtep.core.nativeio.LinuxConstants.IPV6_RECVPKTINFO;
import static io.vtep.core.nativeio.LinuxConstants.IPV6_V6ONLY;
import static io.vtep.core.nativeio.LinuxConstants.IP_ADD_MEMBERSHIP;
import static io.vtep.core.nativeio.LinuxConstants.IP_PKTINFO;
import static io.vtep.core.nativeio.LinuxConstants.MSG_CTRUNC;
import static io.vtep.core.nativeio.LinuxConstants.MSG_DONTWAIT;
import static io.vtep.core.nativeio.LinuxConstants.MSG_TRUNC;
import static io.vtep.core.nativeio.LinuxConstants.POLLIN;
import static io.vtep.core.nativeio.LinuxConstants.SHUT_RDWR;
import static io.vtep.core.nativeio.LinuxConstants.SOCK_CLOEXEC;
import static io.vtep.core.nativeio.LinuxConstants.SOCK_DGRAM;
import static io.vtep.core.nativeio.LinuxConstants.SOL_IP;
import static io.vtep.core.nativeio.LinuxConstants.SOL_IPV6;
import static io.vtep.core.nativeio.LinuxConstants.SOL_SOCKET;
import static io.vtep.core.nativeio.LinuxConstants.SO_RCVBUF;
import static io.vtep.core.nativeio.LinuxConstants.SO_RCVBUFFORCE;
import static io.vtep.core.nativeio.LinuxConstants.SO_REUSEPORT;
import static io.vtep.core.nativeio.LinuxConstants.htons;
import static io.vtep.core.nativeio.LinuxStructs.IOV_BASE;
import static io.vtep.core.nativeio.LinuxStructs.IOV_LEN;
import static io.vtep.core.nativeio.LinuxStructs.MMSG_HDR;
import static io.vtep.core.nativeio.LinuxStructs.MMSG_LEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_CONTROL;
import static io.vtep.core.nativeio.LinuxStructs.MSG_CONTROLLEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_FLAGS;
import static io.vtep.core.nativeio.LinuxStructs.MSG_IOV;
import static io.vtep.core.nativeio.LinuxStructs.MSG_IOVLEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_NAME;
import static io.vtep.core.nativeio.LinuxStructs.MSG_NAMELEN;
import static io.vtep.core.nativeio.LinuxStructs.POLL_EVENTS;
import static io.vtep.core.nativeio.LinuxStructs.POLL_FD;
import static io.vtep.core.nativeio.LinuxStructs.SIN6_ADDR;
import static io.vtep.core.nativeio.LinuxStructs.SIN6_FAMILY;
import static io.vtep.core.nativeio.LinuxStructs.SIN6_PORT;
import static io.vtep.core.nativeio.LinuxStructs.SIN_ADDR;
import static io.vtep.core.nativeio.LinuxStructs.SIN_FAMILY;
import static io.vtep.core.nativeio.LinuxStructs.SIN_PORT;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.net.NetworkInterface;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.nativeio.ErrnoException;
import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.LinuxStructs;
import io.vtep.core.nativeio.SocketDropCounter;
import io.vtep.core.nativeio.SocketHandle;
import io.vtep.core.pipeline.FailureLog;
import io.vtep.core.pipeline.OverlayPipeline;
import io.vtep.encap.VtepAddress;

/**
 * Receives VXLAN packets from the underlay on a UDP socket bound to the VXLAN port (4789, RFC 7348
 * §5) and runs each one through the {@link OverlayPipeline} on its own thread,
 * {@value #THREAD_NAME}, reading batches with {@code recvmmsg} into preallocated native memory.
 *
 * <h2>What the kernel does, what this does</h2>
 * The kernel UDP socket does the IP and UDP work (checksum validation, demultiplexing by port,
 * reassembly of the rare fragment: a VTEP does not fragment and sends with DF, RFC 7348 §4.3) and
 * hands over the UDP payload, which is the VXLAN header and the inner frame, with the outer source
 * address — the address the inner source MAC is learned behind (RFC 7348 §4.1). An IPv4 datagram
 * with a zero UDP checksum is accepted, as RFC 7348 §5 requires; over IPv6 the checksum is
 * mandatory (RFC 8200 §8.1) and the kernel drops a zero one, as a Linux VXLAN device without
 * {@code udp6zerocsumrx} does. With multicast VNIs (RFC 7348
 * §4.2) the socket binds the wildcard address so that datagrams to the groups arrive too, and
 * joins each group ({@code IP_ADD_MEMBERSHIP} / {@code IPV6_ADD_MEMBERSHIP}) on the interface that
 * holds the local address. An IPv6 socket is {@code IPV6_V6ONLY}: IPv4 VXLAN is not ours to take.
 * Such a socket also asks for each datagram's destination address ({@code IP_PKTINFO} /
 * {@code IPV6_RECVPKTINFO}, one control-message area per slot, parsed in place by
 * {@link PacketDestination}) and hands it to the pipeline: a datagram to a VNI's group makes its
 * sender a member of that VNI ({@code accept-from: members}).
 *
 * <p>The port is bound exclusively (no {@code SO_REUSEADDR}, no {@code SO_REUSEPORT}): an
 * appliance started twice on one host, or next to a kernel VXLAN device on the same port, refuses
 * to start instead of sharing the port and silently receiving part of the packets.
 *
 * <h2>Why not Netty</h2>
 * This receiver replaced a Netty epoll channel, for three reasons:
 * <ul>
 * <li><b>Allocation.</b> Netty wraps every datagram in a {@code DatagramPacket} and an
 * {@code InetSocketAddress} (its buffers are pooled, its envelopes are not): garbage per packet on
 * the one thread that carries all underlay traffic. Here nothing is allocated per datagram: the
 * {@code mmsghdr} vector, the {@code iovec}s, one {@code sockaddr} per slot and the payload slots
 * are set up once; the source address is read out of the slot's {@code sockaddr} as an
 * {@code int} (IPv4) or two {@code long}s (IPv6), which is what the pipeline keys its VTEP table
 * by. (Proved by {@code UnderlayReceiverTest}, which reads the thread's allocated bytes.)</li>
 * <li><b>Batching.</b> One {@code recvmmsg} system call reads up to {@value #BATCH_SIZE}
 * datagrams; the FDB clock is read once per batch.</li>
 * <li><b>Latency.</b> The thread does nothing but this: when nothing is queued it blocks in
 * {@code poll}, and the kernel wakes it when a datagram arrives, which is then forwarded at once
 * — no spinning, no sleep or park granularity, no event-loop task queue in between. The
 * {@value #POLL_MILLIS} ms poll timeout only bounds how long a stop can go unnoticed, and
 * {@link #close()} does not even wait for it (it shuts the socket down, which wakes the poll).</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * Each of the {@value #BATCH_SIZE} slots holds one datagram of up to {@value #MAX_DATAGRAM} bytes
 * (a 9216-byte jumbo inner frame and the VXLAN header, rounded up) after {@value #HEADROOM} bytes
 * of headroom. The pipeline writes in front of the inner frame — an 802.1Q tag when it delivers to
 * a VLAN attachment goes into the 4 bytes before it, i.e. over the VXLAN header — and the headroom
 * leaves room to grow that (longer tag stacks, rewritten headers) without a copy. A longer
 * datagram is truncated by the kernel ({@code MSG_TRUNC} in its {@code msg_flags}): it is dropped,
 * never forwarded cut short, and counted in {@link #truncatedDatagrams()}.
 *
 * <h2>Failures</h2>
 * A RuntimeException from the pipeline (a bug: bad input is dropped and counted, never thrown)
 * must not end the thread, which would leave the underlay deaf while the appliance reports
 * healthy. It is counted ({@link #failures()}), logged at most once per 10 s
 * ({@link FailureLog}) with the number suppressed in between, and the next datagram is
 * processed as usual (only the failing datagram is lost).
 *
 * <h2>Several receivers</h2>
 * Everything is per instance: socket, native memory, thread and pipeline (an
 * {@link OverlayPipeline} is single-threaded, with its own counter block). With several pipelines
 * each serves a receiver of its own, the sockets one {@code SO_REUSEPORT} group
 * ({@link #openServed(VtepAddress, int, List, OverlayPipeline, boolean)}). An idle pipeline may
 * also read a blocked peer's socket ({@link #receiveFor}) with its own buffers and pipeline: the
 * one thing two receivers then share is the peer socket's reading lock, held while a batch is
 * read and forwarded, so that a socket's datagrams leave in the order they came whichever thread
 * takes them.
 */
public final class UnderlayReceiver implements AutoCloseable
{
    /** The name of the receive thread. */
    public static final String THREAD_NAME = "vtep-underlay-rx";
    /** Datagrams read per {@code recvmmsg}. */
    public static final int BATCH_SIZE = 32;
    /**
     * The largest VXLAN payload accepted: 64 KiB, more than any UDP datagram holds. A jumbo inner frame needs
     * 9,224; but a Linux VTEP on a veth underlay passes its GSO packets over whole (a plain UDP
     * socket gets a UDP-tunnel GSO packet unsegmented), so one datagram may carry a TCP super-frame.
     */
    public static final int MAX_DATAGRAM = 65_536;
    /** Bytes in front of each slot's datagram that the pipeline may write into. */
    public static final int HEADROOM = 64;
    /** Asked for with SO_RCVBUFFORCE: a burst of small packets while the thread is busy must not overflow. */
    static final int RECEIVE_BUFFER_BYTES = 8 << 20;
    static final int POLL_MILLIS = 100;
    /** How often the own receive thread reads the socket's kernel drops (a system call). */
    static final long SOCKET_DROPS_INTERVAL_NANOS = 500_000_000L;
    private static final long JOIN_MILLIS = 5_000;
    private static final Logger LOGGER = System.getLogger(UnderlayReceiver.class.getName());

    /** Slot stride: headroom + datagram, rounded up to a cache line. */
    private static final int SLOT_STRIDE = (HEADROOM + MAX_DATAGRAM + 63) & ~63;
    private static final int MMSGHDR_SIZE = (int)LinuxStructs.MMSGHDR.byteSize();
    private static final int IOVEC_SIZE = (int)LinuxStructs.IOVEC.byteSize();
    /** Room for a sockaddr_in6 (28 bytes) per slot. */
    private static final int SOCKADDR_SIZE = 32;
    private static final int MMSGHDRS_OFFSET = 0;
    private static final int IOVECS_OFFSET = MMSGHDRS_OFFSET + BATCH_SIZE * MMSGHDR_SIZE;
    private static final int SOCKADDRS_OFFSET = IOVECS_OFFSET + BATCH_SIZE * IOVEC_SIZE;
    private static final int CMSGS_OFFSET = SOCKADDRS_OFFSET + BATCH_SIZE * SOCKADDR_SIZE;
    private static final int POLLFD_OFFSET = CMSGS_OFFSET + BATCH_SIZE * PacketDestination.CONTROL_SPACE;
    private static final int CONTROL_SIZE = POLLFD_OFFSET + (int)LinuxStructs.POLLFD.byteSize();

    private final VtepAddress localAddress;
    private final SocketHandle socket;
    private final Arena arena;
    private final ReceiveLoop loop;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Held by the thread reading this socket now: its own pipeline in {@link #receive}, or an idle
     * peer in {@link #receiveFor}. A batch is read and forwarded under it, so two threads taking
     * turns at one socket keep its datagrams in order.
     */
    private final AtomicBoolean reading = new AtomicBoolean();

    private UnderlayReceiver(final VtepAddress localAddress, final SocketHandle socket, final OverlayPipeline pipeline,
        final boolean destinations)
    {
        this.localAddress = localAddress;
        this.socket = socket;
        this.arena = Arena.ofShared();
        this.loop = new ReceiveLoop(socket, localAddress.isIpv6(), pipeline, arena, destinations);
        this.thread = Thread.ofPlatform().name(THREAD_NAME).daemon(true).unstarted(loop);
    }

    /**
     * Binds the underlay socket in the calling thread's network namespace and starts the receive
     * thread. Tests and tools only: the appliance's pipelines serve their sockets
     * ({@link #openServed}), so this thread is the one loop of vtep's that is not an Agrona agent
     * by choice of simplicity (docs/architecture.md §3.1).
     *
     * @param localAddress the VTEP's address: bound to (with its port), and the family of the socket
     * @param multicastGroups groups to join (empty when no VNI floods by multicast); when there are
     *     any the socket binds the wildcard address, as datagrams to a group are not addressed to
     *     the local address
     * @throws IOException when the port is taken (the message says by whom it may be), the local
     *     address is not on an interface here, or a group cannot be joined
     */
    public static UnderlayReceiver open(final VtepAddress localAddress, final int udpPort,
        final List<VtepAddress> multicastGroups, final OverlayPipeline pipeline) throws IOException
    {
        final UnderlayReceiver receiver = openServed(localAddress, udpPort, multicastGroups, pipeline);
        receiver.thread.start();
        return receiver;
    }

    /**
     * Binds the underlay socket like {@link #open} but starts no thread: a data-path thread that
     * serves it calls {@link #receive} when {@link #fd()} is readable (one thread that polls the
     * access ports and the underlay together forwards a reply without a wake-up of its own).
     * That thread must have stopped before {@link #close}.
     */
    public static UnderlayReceiver openServed(final VtepAddress localAddress, final int udpPort,
        final List<VtepAddress> multicastGroups, final OverlayPipeline pipeline) throws IOException
    {
        return openServed(localAddress, udpPort, multicastGroups, pipeline, false);
    }

    /**
     * {@link #openServed} for one of several pipelines: with {@code reusePort} the socket joins a
     * {@code SO_REUSEPORT} group on the same address and port, and the kernel spreads datagrams over
     * the group by a hash of their addresses and ports, so a flow (a peer's per-flow source port,
     * RFC 7348 §5) stays on one pipeline. Call {@link #checkPortFree} first: the group is joined by
     * any socket with the option, so that check is what keeps a second instance out.
     */
    public static UnderlayReceiver openServed(final VtepAddress localAddress, final int udpPort,
        final List<VtepAddress> multicastGroups, final OverlayPipeline pipeline, final boolean reusePort) throws IOException
    {
        final boolean ipv6 = localAddress.isIpv6();
        final int interfaceIndex = multicastGroups.isEmpty() ? 0 : interfaceIndexOf(localAddress);
        final String family = ipv6 ? "AF_INET6" : "AF_INET";
        final int fd;
        try
        {
            fd = Libc.socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP, "socket(" + family + ", SOCK_DGRAM)");
        }
        catch (final ErrnoException ex)
        {
            throw new IOException("cannot open the underlay UDP socket: " + ex.getMessage(), ex);
        }
        final SocketHandle socket = new SocketHandle(fd);
        try
        {
            if (ipv6)
            {
                Libc.setsockoptInt(fd, SOL_IPV6, IPV6_V6ONLY, 1, "setsockopt(IPPROTO_IPV6, IPV6_V6ONLY)");
            }
            forceReceiveBuffer(fd);
            if (reusePort)
            {
                Libc.setsockoptInt(fd, SOL_SOCKET, SO_REUSEPORT, 1, "setsockopt(SOL_SOCKET, SO_REUSEPORT)");
            }
            bind(fd, multicastGroups.isEmpty() ? localAddress : null, ipv6, udpPort, localAddress);
            for (final VtepAddress group : multicastGroups)
            {
                join(fd, group, interfaceIndex, localAddress);
            }
            if (!multicastGroups.isEmpty())
            {
                // Bound to the wildcard address: the destination tells group traffic from unicast.
                Libc.setsockoptInt(fd, ipv6 ? SOL_IPV6 : SOL_IP, ipv6 ? IPV6_RECVPKTINFO : IP_PKTINFO, 1,
                    ipv6 ? "setsockopt(IPPROTO_IPV6, IPV6_RECVPKTINFO)" : "setsockopt(IPPROTO_IP, IP_PKTINFO)");
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.closeNow();
            if (ex instanceof ErrnoException errno)
            {
                throw new IOException("underlay UDP socket on " + localAddress + " port " + udpPort + ": " + errno.getMessage(), errno);
            }
            throw ex;
        }

        return new UnderlayReceiver(localAddress, socket, pipeline, !multicastGroups.isEmpty());
    }

    /**
     * Binds and releases a plain socket on the underlay port: fails, with the same message as
     * {@link #open}, when another vtep or a kernel VXLAN device holds it.
     */
    public static void checkPortFree(final VtepAddress localAddress, final int udpPort, final boolean wildcard)
        throws IOException
    {
        final boolean ipv6 = localAddress.isIpv6();
        final int fd;
        try
        {
            fd = Libc.socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP, "socket(SOCK_DGRAM)");
        }
        catch (final ErrnoException ex)
        {
            throw new IOException("cannot open the underlay UDP socket: " + ex.getMessage(), ex);
        }
        final SocketHandle probe = new SocketHandle(fd);
        try
        {
            if (ipv6)
            {
                Libc.setsockoptInt(fd, SOL_IPV6, IPV6_V6ONLY, 1, "setsockopt(IPPROTO_IPV6, IPV6_V6ONLY)");
            }
            bind(fd, wildcard ? null : localAddress, ipv6, udpPort, localAddress);
        }
        catch (final ErrnoException ex)
        {
            throw new IOException("underlay UDP socket on " + localAddress + " port " + udpPort + ": " + ex.getMessage(), ex);
        }
        finally
        {
            probe.closeNow();
        }
    }

    /** The socket's descriptor, to poll for readability. */
    public int fd()
    {
        return socket.fd();
    }

    /**
     * Reads what is queued (one {@code recvmmsg} of up to {@link #BATCH_SIZE}, never waiting) and
     * forwards it; for the one thread that serves a receiver opened with {@link #openServed}.
     *
     * @return datagrams read, 0 when none was queued
     */
    public int receive()
    {
        return receiveUnderLock(this); // 0 also when an idle peer is forwarding this socket's datagrams right now
    }

    /**
     * Reads what is queued on {@code peer}'s socket (another pipeline's, in the same
     * {@code SO_REUSEPORT} group) and forwards it with this receiver's buffers, pipeline and
     * counters, never waiting: for this receiver's serving thread, when it is idle and the peer's
     * thread is blocked in {@code poll}. The kernel hashes a flow's datagrams to one socket of the
     * group, and on a veth underlay the answer to a frame a pipeline just sent arrives inside that
     * pipeline's own {@code sendmmsg}: when it was hashed to a blocked peer, taking it here spares
     * it the peer's wake-up on another CPU (docs/architecture.md §3.1). Nothing is read while the
     * peer's own thread reads its socket, or once the peer is closed.
     *
     * @return datagrams read, 0 when none was queued or the socket was being read
     */
    public int receiveFor(final UnderlayReceiver peer)
    {
        return peer == this ? 0 : receiveUnderLock(peer);
    }

    /**
     * One batch from {@code owner}'s socket into this receiver's slots and pipeline, under the
     * owner's reading lock; 0 when another thread holds it or the owner is closed.
     */
    private int receiveUnderLock(final UnderlayReceiver owner)
    {
        if (!owner.reading.compareAndSet(false, true))
        {
            return 0;
        }
        try
        {
            return owner.closed.get() ? 0 : loop.receiveOnce(owner.socket);
        }
        finally
        {
            owner.reading.setRelease(false);
        }
    }

    /**
     * The index of the interface that holds {@code address} in the calling thread's network namespace.
     * IPv6 addresses are looked up in {@code /proc/thread-self/net/if_inet6}: {@link NetworkInterface}
     * reads {@code /proc/net/if_inet6}, which shows the namespace of the process's main thread, not
     * of a thread that entered another one.
     */
    private static int interfaceIndexOf(final VtepAddress address) throws IOException
    {
        if (address.isIpv6())
        {
            final String hex = String.format("%016x%016x", address.ipv6High(), address.ipv6Low());
            try (BufferedReader lines = Files.newBufferedReader(Path.of("/proc/thread-self/net/if_inet6")))
            {
                String line;
                while ((line = lines.readLine()) != null)
                {
                    // address, ifindex, prefix length, scope, flags, name; all hexadecimal but the name
                    final String[] fields = line.trim().split("\\s+");
                    if (fields.length >= 2 && fields[0].equalsIgnoreCase(hex))
                    {
                        return Integer.parseInt(fields[1], 16);
                    }
                }
            }
            catch (final NoSuchFileException ex)
            {
                // no IPv6 in this namespace: not found
            }
        }
        else
        {
            // IPv4 interfaces are enumerated with ioctl on a socket of the calling thread's namespace
            final NetworkInterface underlayInterface = NetworkInterface.getByInetAddress(address.toInetAddress());
            if (underlayInterface != null)
            {
                return underlayInterface.getIndex();
            }
        }
        throw new IOException("cannot find the interface of vtep.local-ip " + address + " to join multicast groups on");
    }

    /**
     * Binds {@code fd} to {@code address} (null: the wildcard address of the family) and {@code port}.
     * EADDRINUSE gets the message {@code bin/vtep} prints when a second instance is started.
     */
    private static void bind(final int fd, final VtepAddress address, final boolean ipv6, final int port,
        final VtepAddress localAddress) throws IOException
    {
        try (Arena setup = Arena.ofConfined())
        {
            final MemorySegment sockaddr = setup.allocate(ipv6 ? LinuxStructs.SOCKADDR_IN6 : LinuxStructs.SOCKADDR_IN);
            final UnsafeBuffer view = new UnsafeBuffer(sockaddr.address(), (int)sockaddr.byteSize());
            if (ipv6)
            {
                view.putShort((int)SIN6_FAMILY, (short)AF_INET6);
                view.putShort((int)SIN6_PORT, htons(port));
                if (address != null)
                {
                    address.put(view, (int)SIN6_ADDR);
                }
            }
            else
            {
                view.putShort((int)SIN_FAMILY, (short)AF_INET);
                view.putShort((int)SIN_PORT, htons(port));
                if (address != null)
                {
                    address.put(view, (int)SIN_ADDR);
                }
            }
            Libc.bind(fd, sockaddr, "bind(" + (address != null ? address : ipv6 ? "::" : "0.0.0.0") + " port " + port + ")");
        }
        catch (final ErrnoException ex)
        {
            throw new IOException("cannot bind the underlay UDP socket to " + localAddress + " port " + port +
                (address == null ? " (wildcard address, for multicast)" : "") + ": " + Libc.describeErrno(ex.errno()) +
                (ex.errno() == EADDRINUSE ? " (another vtep instance or a kernel VXLAN device holds the port)" : ""), ex);
        }
    }

    /** Joins {@code group} on the interface with index {@code interfaceIndex}. */
    private static void join(final int fd, final VtepAddress group, final int interfaceIndex, final VtepAddress localAddress)
        throws IOException
    {
        try (Arena setup = Arena.ofConfined())
        {
            if (group.isIpv6())
            {
                final MemorySegment request = setup.allocate(LinuxStructs.IPV6_MREQ);
                final UnsafeBuffer view = new UnsafeBuffer(request.address(), (int)request.byteSize());
                group.put(view, (int)LinuxStructs.IPV6MR_MULTIADDR);
                view.putInt((int)LinuxStructs.IPV6MR_INTERFACE, interfaceIndex);
                Libc.setsockopt(fd, SOL_IPV6, IPV6_ADD_MEMBERSHIP, request, "setsockopt(IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP)");
            }
            else
            {
                final MemorySegment request = setup.allocate(LinuxStructs.IP_MREQN);
                final UnsafeBuffer view = new UnsafeBuffer(request.address(), (int)request.byteSize());
                group.put(view, (int)LinuxStructs.IMR_MULTIADDR);
                localAddress.put(view, (int)LinuxStructs.IMR_ADDRESS);
                view.putInt((int)LinuxStructs.IMR_IFINDEX, interfaceIndex);
                Libc.setsockopt(fd, SOL_IP, IP_ADD_MEMBERSHIP, request, "setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP)");
            }
        }
        catch (final ErrnoException ex)
        {
            throw new IOException("cannot join multicast group " + group + " on the interface of vtep.local-ip " +
                localAddress + " (index " + interfaceIndex + "): " + Libc.describeErrno(ex.errno()), ex);
        }
    }

    /**
     * SO_RCVBUF is capped by {@code net.core.rmem_max} (about 200 KiB by default), which a burst of
     * small VXLAN packets fills while the receive thread is busy; SO_RCVBUFFORCE lifts the cap when
     * the process has CAP_NET_ADMIN. Without it, the capped buffer is used.
     */
    private static void forceReceiveBuffer(final int fd)
    {
        try
        {
            Libc.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUFFORCE, RECEIVE_BUFFER_BYTES, "setsockopt(SO_RCVBUFFORCE)");
        }
        catch (final ErrnoException ex)
        {
            try
            {
                Libc.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUF, RECEIVE_BUFFER_BYTES, "setsockopt(SO_RCVBUF)");
            }
            catch (final ErrnoException ignored)
            {
                // the default size then; receiving works either way
            }
            LOGGER.log(Level.INFO,
                "underlay receive buffer left at the net.core.rmem_max cap (no CAP_NET_ADMIN): {0}", ex.getMessage());
        }
    }

    /**
     * Reads the kernel's drops at this socket (one {@code getsockopt}) and reports the new ones to
     * the pipeline as {@code underlay_socket_queue} drops. Only the thread that serves the socket
     * may call this, at an interval (never per batch): the pipeline's counters have one writer.
     */
    public void reportSocketDrops()
    {
        loop.reportSocketDrops();
    }

    /** Datagrams the kernel dropped at this socket (receive buffer full), as of the last report. */
    public long socketQueueDrops()
    {
        return loop.socketDropsReported;
    }

    /** RuntimeExceptions from the pipeline caught (and survived) so far. */
    public long failures()
    {
        return loop.failureLog.failures();
    }

    /** Datagrams dropped because they were longer than {@link #MAX_DATAGRAM}. */
    public long truncatedDatagrams()
    {
        return loop.truncated;
    }

    /** Datagrams read from the socket so far (truncated ones included). */
    public long receivedDatagrams()
    {
        return loop.received;
    }

    /** {@code recvmmsg} calls that returned at least one datagram: {@link #receivedDatagrams()} over this is the mean batch. */
    public long receiveBatches()
    {
        return loop.batches;
    }

    /** The receive thread (for tests and diagnostics: its id, its allocation counter). */
    Thread thread()
    {
        return thread;
    }

    /**
     * Stops the thread and closes the socket. Returns as soon as the thread has ended: shutting the
     * socket down wakes it from {@code poll} at once, so this does not wait for the poll timeout.
     * Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        loop.running = false;
        awaitNoReader();
        try
        {
            // On an unconnected UDP socket shutdown() fails with ENOTCONN, but still marks the socket
            // shut down and wakes every thread polling it (inet_shutdown), which is all it is for here.
            Libc.shutdown(socket.fd(), SHUT_RDWR);
        }
        catch (final ErrnoException | RuntimeException ignored)
        {
            // the thread then notices the stop at its poll timeout
        }
        socket.close();
        if (Thread.currentThread() == thread)
        {
            return; // the loop ends after this datagram; its memory is left to its arena (never the case today)
        }
        if (thread.getState() == Thread.State.NEW)
        {
            // Served by a pipeline thread, which has stopped (see openServed).
            arena.close();
            return;
        }
        boolean interrupted = false;
        final long deadline = System.nanoTime() + JOIN_MILLIS * 1_000_000L;
        while (thread.isAlive() && System.nanoTime() < deadline)
        {
            try
            {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (thread.isAlive())
        {
            // The pipeline is stuck in a datagram: the memory it reads must stay, so it is leaked.
            LOGGER.log(Level.WARNING, "underlay receive thread did not stop within {0} ms; its buffers are not freed",
                String.valueOf(JOIN_MILLIS));
        }
        else
        {
            arena.close();
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes the reading lock for good, so that no peer is inside {@link #receiveFor} when the socket
     * closes. {@link SocketHandle#close} parks the descriptor number on a dead socket, whose reads
     * return at once, empty: a peer still reading would forward those as a batch of empty
     * datagrams, each counted as a drop. Pipelines stop before their receivers close, so the lock
     * is free at once; a reader stuck past a second is not waited for.
     */
    private void awaitNoReader()
    {
        final long deadline = System.nanoTime() + 1_000_000_000L;
        while (!reading.compareAndSet(false, true) && System.nanoTime() - deadline < 0)
        {
            Thread.onSpinWait();
        }
    }

    @Override
    public String toString()
    {
        return "UnderlayReceiver[" + localAddress + (closed.get() ? ", closed]" : "]");
    }

    /** The body of the receive thread: its state is written by that thread only (counters read by others). */
    private static final class ReceiveLoop implements Runnable
    {
        private final SocketHandle socket;
        private final boolean ipv6;
        private final OverlayPipeline pipeline;
        private final NanoClock clock;
        /** mmsghdr vector, iovecs, sockaddrs, control messages, pollfd. */
        private final UnsafeBuffer control;
        private final long controlAddress;
        /** The slots; what the pipeline sees. */
        private final UnsafeBuffer slots;
        private final int sockaddrLength;
        /** Whether the socket delivers each datagram's destination (a control message per slot). */
        private final int controlSpace;

        volatile boolean running = true;
        final FailureLog failureLog = new FailureLog(LOGGER);
        volatile long truncated;
        volatile long received;
        volatile long batches;
        volatile long socketDropsReported;
        private final SocketDropCounter socketDrops = new SocketDropCounter();
        private long nextDropsReadNanos;
        private int fullBatches;

        ReceiveLoop(final SocketHandle socket, final boolean ipv6, final OverlayPipeline pipeline, final Arena arena,
            final boolean destinations)
        {
            this.controlSpace = destinations ? PacketDestination.CONTROL_SPACE : 0;
            this.socket = socket;
            this.ipv6 = ipv6;
            this.pipeline = pipeline;
            this.clock = pipeline.clock();
            this.sockaddrLength = (int)(ipv6 ? LinuxStructs.SOCKADDR_IN6 : LinuxStructs.SOCKADDR_IN).byteSize();

            final MemorySegment controlMemory = arena.allocate(CONTROL_SIZE, 64);
            final MemorySegment slotMemory = arena.allocate((long)BATCH_SIZE * SLOT_STRIDE, 64);
            controlAddress = controlMemory.address();
            control = new UnsafeBuffer(controlAddress, CONTROL_SIZE);
            slots = new UnsafeBuffer(slotMemory.address(), BATCH_SIZE * SLOT_STRIDE);
            for (int i = 0; i < BATCH_SIZE; i++)
            {
                final int header = MMSGHDRS_OFFSET + i * MMSGHDR_SIZE + (int)MMSG_HDR;
                final int iovec = IOVECS_OFFSET + i * IOVEC_SIZE;
                control.putLong(iovec + (int)IOV_BASE, slotMemory.address() + payloadOffset(i));
                control.putLong(iovec + (int)IOV_LEN, MAX_DATAGRAM);
                control.putLong(header + (int)MSG_NAME, controlAddress + SOCKADDRS_OFFSET + (long)i * SOCKADDR_SIZE);
                control.putInt(header + (int)MSG_NAMELEN, sockaddrLength);
                control.putLong(header + (int)MSG_IOV, controlAddress + iovec);
                control.putLong(header + (int)MSG_IOVLEN, 1L);
                if (controlSpace != 0)
                {
                    control.putLong(header + (int)MSG_CONTROL, controlAddress + CMSGS_OFFSET + (long)i * controlSpace);
                    control.putLong(header + (int)MSG_CONTROLLEN, controlSpace);
                }
                // else msg_control stays NULL, msg_controllen 0 (the arena zeroes the memory)
            }
            control.putInt(POLLFD_OFFSET + (int)POLL_FD, socket.fd());
            control.putShort(POLLFD_OFFSET + (int)POLL_EVENTS, POLLIN);
        }

        private static int payloadOffset(final int slot)
        {
            return slot * SLOT_STRIDE + HEADROOM;
        }

        @Override
        public void run()
        {
            final long pollfd = controlAddress + POLLFD_OFFSET;
            try
            {
                while (running)
                {
                    try
                    {
                        final int count = receiveOnce(socket);
                        // The clock only when the queue ran dry or every 256 full batches: not per batch.
                        if ((count < BATCH_SIZE || (++fullBatches & 0xFF) == 0) && System.nanoTime() - nextDropsReadNanos >= 0)
                        {
                            reportSocketDrops();
                            nextDropsReadNanos = System.nanoTime() + SOCKET_DROPS_INTERVAL_NANOS;
                        }
                        if (count < BATCH_SIZE && running)
                        {
                            // The queue was empty (or emptied): wait for the kernel's wake-up. Under load
                            // batches come back full and this is skipped.
                            Libc.poll(pollfd, 1, POLL_MILLIS);
                        }
                    }
                    catch (final RuntimeException ex)
                    {
                        failed(ex);
                    }
                }
            }
            finally
            {
                Reference.reachabilityFence(socket);
            }
        }

        /** One {@code recvmmsg} from {@code from} (this loop's socket, or a peer's) into this loop's slots, then forwarded. */
        int receiveOnce(final SocketHandle from)
        {
            final int count = Libc.recvmmsg(from.fd(), controlAddress + MMSGHDRS_OFFSET, BATCH_SIZE, MSG_DONTWAIT);
            if (count > 0 && running)
            {
                deliver(count);
            }
            return Math.max(count, 0);
        }

        private void deliver(final int count)
        {
            final long now = clock.nanoTime(); // the FDB's clock: learned entries age by it
            final UnsafeBuffer control = this.control;
            for (int i = 0; i < count; i++)
            {
                final int entry = MMSGHDRS_OFFSET + i * MMSGHDR_SIZE;
                final int length = control.getInt(entry + (int)MMSG_LEN);
                final int flags = control.getInt(entry + (int)MMSG_HDR + (int)MSG_FLAGS);
                control.putInt(entry + (int)MMSG_HDR + (int)MSG_NAMELEN, sockaddrLength); // the kernel overwrote it
                final int controlLength = controlSpace == 0 || (flags & MSG_CTRUNC) != 0 ? 0 :
                    (int)control.getLong(entry + (int)MMSG_HDR + (int)MSG_CONTROLLEN);
                if (controlSpace != 0)
                {
                    control.putLong(entry + (int)MMSG_HDR + (int)MSG_CONTROLLEN, controlSpace); // likewise
                }
                if ((flags & MSG_TRUNC) != 0)
                {
                    truncated++; // single writer: this thread; rare, so counted at once
                    continue;
                }
                final int sockaddr = SOCKADDRS_OFFSET + i * SOCKADDR_SIZE;
                // -1: no destination (no groups, so unicast to us; or no control message)
                final int destination = controlLength == 0 ? -1 :
                    PacketDestination.find(control, CMSGS_OFFSET + i * controlSpace, controlLength, ipv6);
                try
                {
                    if (ipv6)
                    {
                        if (control.getShort(sockaddr + (int)SIN6_FAMILY) == AF_INET6)
                        {
                            pipeline.onIpv6Datagram(slots, payloadOffset(i), length,
                                control.getLong(sockaddr + (int)SIN6_ADDR, ByteOrder.BIG_ENDIAN),
                                control.getLong(sockaddr + (int)SIN6_ADDR + 8, ByteOrder.BIG_ENDIAN),
                                destination < 0 ? 0 : control.getLong(destination, ByteOrder.BIG_ENDIAN),
                                destination < 0 ? 0 : control.getLong(destination + 8, ByteOrder.BIG_ENDIAN), now);
                        }
                    }
                    else if (control.getShort(sockaddr + (int)SIN_FAMILY) == AF_INET)
                    {
                        pipeline.onIpv4Datagram(slots, payloadOffset(i), length,
                            control.getInt(sockaddr + (int)SIN_ADDR, ByteOrder.BIG_ENDIAN),
                            destination < 0 ? 0 : control.getInt(destination, ByteOrder.BIG_ENDIAN), now);
                    }
                }
                catch (final RuntimeException ex)
                {
                    failed(ex);
                }
            }
            try
            {
                pipeline.endOfBatch();
            }
            catch (final RuntimeException ex)
            {
                failed(ex);
            }
            received += count; // single writer: this thread
            batches++;
        }

        void reportSocketDrops()
        {
            final long drops = socketDrops.update(socket);
            if (drops != socketDropsReported)
            {
                pipeline.socketQueueDrops(drops - socketDropsReported);
                socketDropsReported = drops; // single writer: the serving thread
            }
        }

        private void failed(final RuntimeException ex)
        {
            failureLog.failed("underlay: forwarding a VXLAN datagram failed, datagram lost, receiver continues", ex);
        }
    }
}
