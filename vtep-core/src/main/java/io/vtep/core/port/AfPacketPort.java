package io.vtep.core.port;

import static io.vtep.core.nativeio.LinuxConstants.AF_PACKET;
import static io.vtep.core.nativeio.LinuxConstants.EACCES;
import static io.vtep.core.nativeio.LinuxConstants.EINVAL;
import static io.vtep.core.nativeio.LinuxConstants.ENODEV;
import static io.vtep.core.nativeio.LinuxConstants.ENOPROTOOPT;
import static io.vtep.core.nativeio.LinuxConstants.ENXIO;
import static io.vtep.core.nativeio.LinuxConstants.EPERM;
import static io.vtep.core.nativeio.LinuxConstants.ETH_P_8021Q;
import static io.vtep.core.nativeio.LinuxConstants.ETH_P_ALL;
import static io.vtep.core.nativeio.LinuxConstants.IFNAMSIZ;
import static io.vtep.core.nativeio.LinuxConstants.MSG_DONTWAIT;
import static io.vtep.core.nativeio.LinuxConstants.MSG_NOSIGNAL;
import static io.vtep.core.nativeio.LinuxConstants.MSG_TRUNC;
import static io.vtep.core.nativeio.LinuxConstants.PACKET_ADD_MEMBERSHIP;
import static io.vtep.core.nativeio.LinuxConstants.PACKET_AUXDATA;
import static io.vtep.core.nativeio.LinuxConstants.PACKET_FANOUT;
import static io.vtep.core.nativeio.LinuxConstants.PACKET_FANOUT_CBPF;
import static io.vtep.core.nativeio.LinuxConstants.PACKET_FANOUT_FLAG_IGNORE_OUTGOING;
import static io.vtep.core.nativeio.LinuxConstants.PACKET_FANOUT_FLAG_ROLLOVER;
import static io.vtep.core.nativeio.LinuxConstants.PACKET_FANOUT_FLAG_UNIQUEID;
import static io.vtep.core.nativeio.LinuxConstants.PACKET_FANOUT_HASH;
import static io.vtep.core.nativeio.LinuxConstants.PACKET_IGNORE_OUTGOING;
import static io.vtep.core.nativeio.LinuxConstants.PACKET_MR_PROMISC;
import static io.vtep.core.nativeio.LinuxConstants.PACKET_OUTGOING;
import static io.vtep.core.nativeio.LinuxConstants.PACKET_VNET_HDR;
import static io.vtep.core.nativeio.LinuxConstants.SOCK_CLOEXEC;
import static io.vtep.core.nativeio.LinuxConstants.SOCK_RAW;
import static io.vtep.core.nativeio.LinuxConstants.SOL_PACKET;
import static io.vtep.core.nativeio.LinuxConstants.SOL_SOCKET;
import static io.vtep.core.nativeio.LinuxConstants.SO_RCVBUF;
import static io.vtep.core.nativeio.LinuxConstants.SO_RCVBUFFORCE;
import static io.vtep.core.nativeio.LinuxConstants.TP_STATUS_COPY;
import static io.vtep.core.nativeio.LinuxConstants.TP_STATUS_USER;
import static io.vtep.core.nativeio.LinuxConstants.TP_STATUS_VLAN_TPID_VALID;
import static io.vtep.core.nativeio.LinuxConstants.TP_STATUS_VLAN_VALID;
import static io.vtep.core.nativeio.LinuxConstants.htons;
import static io.vtep.core.nativeio.LinuxStructs.CMSG_DATA;
import static io.vtep.core.nativeio.LinuxStructs.CMSG_LEN;
import static io.vtep.core.nativeio.LinuxStructs.CMSG_LEVEL;
import static io.vtep.core.nativeio.LinuxStructs.CMSG_TYPE;
import static io.vtep.core.nativeio.LinuxStructs.SLL_PKTTYPE;
import static io.vtep.core.nativeio.LinuxStructs.TP2_LEN;
import static io.vtep.core.nativeio.LinuxStructs.TP2_MAC;
import static io.vtep.core.nativeio.LinuxStructs.TP2_SNAPLEN;
import static io.vtep.core.nativeio.LinuxStructs.TP2_VLAN_TCI;
import static io.vtep.core.nativeio.LinuxStructs.TP2_VLAN_TPID;
import static io.vtep.core.nativeio.LinuxStructs.TPACKET2_SOCKADDR;
import static io.vtep.core.nativeio.LinuxStructs.TP_STATUS;
import static io.vtep.core.nativeio.LinuxStructs.TP_VLAN_TCI;
import static io.vtep.core.nativeio.LinuxStructs.TP_VLAN_TPID;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.nativeio.ErrnoException;
import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.LinuxStructs;
import io.vtep.core.nativeio.NativeScratch;
import io.vtep.core.nativeio.SocketDropCounter;
import io.vtep.core.nativeio.SocketFilters;
import io.vtep.core.nativeio.SocketHandle;
import io.vtep.encap.Checksum;
import io.vtep.encap.EthernetHeader;
import io.vtep.encap.IpProtocol;
import io.vtep.encap.Ipv4Header;
import io.vtep.encap.Ipv6Header;
import io.vtep.encap.TcpHeader;
import io.vtep.encap.VlanTag;

/**
 * An access port on Linux packet sockets (packet(7)): {@code AF_PACKET}, {@code SOCK_RAW}, bound
 * to one interface, promiscuous, frames read with {@code recvmmsg} (a batch per call), or from a
 * memory-mapped receive ring ({@link PacketReceiveRing}, {@code dataplane.access-ring}), and written with {@code send}.
 *
 * <h2>Offloads: hosts as they are</h2>
 * A host on a veth or tap keeps Linux's default offloads: it hands its NIC TCP and UDP
 * "super-frames" of up to 64 KiB (TSO/GSO) and leaves transport checksums to it (checksum
 * offload). The kernel passes such a frame to a packet socket whole, checksum unfinished. The
 * receive socket therefore has {@code PACKET_VNET_HDR}: each frame comes behind a
 * {@code struct virtio_net_hdr} saying what was left undone, which {@link #receive} turns into the
 * frame's {@link FrameOffload} request for the pipeline to finish (segment, complete the checksum).
 * Slots are {@link FrameBatch#MAX_SUPER_FRAME_LENGTH} long for that. Frames are written by a
 * second socket without the header (bound with protocol 0, so it receives nothing): what vtep
 * sends is always finished.
 *
 * <h2>802.1Q tags</h2>
 * On receive the kernel always moves an 802.1Q/802.1ad tag out of the frame into skb metadata
 * ({@code skb_vlan_untag} in {@code __netif_receive_skb_core}), even on a kernel built without VLAN
 * support (docs/architecture.md §8); a packet socket then reads the frame untagged. With {@code PACKET_AUXDATA}
 * enabled, every frame comes with a {@code struct tpacket_auxdata} control message; when its
 * {@code tp_status} has {@code TP_STATUS_VLAN_VALID} this driver puts the tag back where it was:
 * the frame was received {@link FrameBatch#HEADROOM} bytes into its slot, so the 12 MAC address
 * bytes are moved 4 bytes towards the slot start and TPID ({@code tp_vlan_tpid}, 0x8100 when the
 * kernel does not report one) and TCI ({@code tp_vlan_tci}) are written behind them. Only the
 * outermost tag is moved by the kernel; inner tags of a QinQ frame stay in the frame. On send, a
 * tagged frame leaves as written.
 *
 * <h2>Own frames</h2>
 * A packet socket also sees frames leaving the interface, including the ones it sends itself.
 * They are filtered twice: {@code PACKET_IGNORE_OUTGOING} (Linux 4.20+) tells the kernel not to
 * queue outgoing frames at all, and a frame whose {@code sll_pkttype} is {@code PACKET_OUTGOING}
 * is still dropped here (older kernels ignore the option).
 *
 * <h2>Sizes</h2>
 * A frame is read into at most the batch's {@link FrameBatch#maxFrameLength()} bytes with
 * {@code MSG_TRUNC}, which makes {@code recvmmsg} report the real length: a longer frame is dropped
 * and counted in {@link #truncatedFrames()}, never passed on cut short.
 *
 * <h2>Threads and allocation</h2>
 * {@link #receive} is called by one thread, {@link #send} by any number (the kernel serialises
 * sends on a socket). Neither allocates per frame: buffer addresses go to the kernel as
 * {@code long}s, the receive vector ({@link PacketReceiveVector}: {@code mmsghdr}s, iovecs,
 * {@code sockaddr_ll}s, control buffers) is made once, on the first receive, the {@code pollfd} is
 * the calling thread's {@link NativeScratch}, and a super-frame's {@code msghdr} with its
 * {@code virtio_net_hdr} the sending thread's {@link VnetSendScratch}. {@link #close} may race with
 * both (see {@link SocketHandle}).
 */
public final class AfPacketPort implements AccessPort
{
    /**
     * Receive buffer asked for: about 1,500 full-size frames of burst while the receiving thread is
     * busy with the previous batch. Set with SO_RCVBUFFORCE (root) so that {@code net.core.rmem_max}
     * does not silently cap it, falling back to SO_RCVBUF.
     */
    public static final int RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

    /** Sends never block the data-path thread, nor raise SIGPIPE (see {@link #send}). */
    static final int SEND_FLAGS = MSG_DONTWAIT | MSG_NOSIGNAL;
    private static final int MAC_ADDRESSES_LENGTH = 12;

    /** {@code struct virtio_net_hdr} (include/uapi/linux/virtio_net.h), in host byte order on a packet socket. */
    static final int VNET_HEADER_LENGTH = 10;
    private static final int VNET_FLAGS = 0;
    private static final int VNET_GSO_TYPE = 1;
    private static final int VNET_HDR_LEN = 2;
    private static final int VNET_GSO_SIZE = 4;
    private static final int VNET_CSUM_START = 6;
    private static final int VNET_CSUM_OFFSET = 8;
    private static final int VNET_F_NEEDS_CSUM = 1;
    private static final int VNET_GSO_NONE = 0;
    private static final int VNET_GSO_TCPV4 = 1;
    private static final int VNET_GSO_TCPV6 = 4;
    private static final int VNET_GSO_UDP_L4 = 5;
    private static final int VNET_GSO_ECN = 0x80;

    private final String name;
    // Swapped by reopen() on the thread that owns the receive socket; read once per call by the
    // senders (any pipeline), which then use that handle to the end of the call (SocketHandle).
    private volatile int interfaceIndex;
    private volatile SocketHandle socket;
    private volatile SocketHandle sendSocket;
    private volatile SocketHandle segmentingSocket;
    private volatile int mtu;
    private volatile boolean closed;
    private volatile long truncatedFrames;
    private volatile FanoutSteering steering = FanoutSteering.byFlow();
    /** The receive sockets' kernel drops; read and re-based by the receiving thread only. */
    private final SocketDropCounter receiveDrops = new SocketDropCounter();
    /** The receiving thread's recvmmsg vector, made on the first receive. */
    private PacketReceiveVector receiveVector;
    /** Whether the receive socket gets a ring ({@code dataplane.access-ring}), also when re-opened. */
    private final boolean receiveRing;
    /** The receive socket's ring, or null; read and unmapped by the receiving thread (RingOwner). */
    private final RingOwner ring = new RingOwner();

    /** The three sockets of one opening, bound to one interface index, and the receive socket's ring (or null). */
    private record Sockets(int interfaceIndex, int mtu, SocketHandle receive, SocketHandle send, SocketHandle segmenting,
        PacketReceiveRing ring)
    {
    }

    /**
     * Holds the current ring for the receiving thread, which alone unmaps a replaced or closed one
     * (unmapping memory another thread reads would crash the process); a port dropped without a
     * last receive has its ring unmapped by a {@link Cleaner} once nothing can reach it.
     */
    private static final class RingOwner implements Runnable
    {
        private static final Cleaner CLEANER = Cleaner.create();
        volatile PacketReceiveRing current;

        @Override
        public void run()
        {
            final PacketReceiveRing last = current;
            if (last != null)
            {
                last.unmap();
            }
        }
    }

    private AfPacketPort(final String name, final Sockets sockets, final boolean receiveRing)
    {
        this.name = name;
        this.receiveRing = receiveRing;
        install(sockets);
        RingOwner.CLEANER.register(this, ring);
    }

    private void install(final Sockets sockets)
    {
        this.interfaceIndex = sockets.interfaceIndex();
        this.mtu = sockets.mtu();
        this.socket = sockets.receive();
        this.sendSocket = sockets.send();
        this.segmentingSocket = sockets.segmenting();
        this.ring.current = sockets.ring();
    }

    /**
     * Opens interface {@code interfaceName} of the calling thread's network namespace.
     *
     * @throws IOException when the interface does not exist, when the process lacks CAP_NET_RAW,
     *     or when a socket option is refused; the message names the interface and the reason
     */
    public static AfPacketPort open(final String interfaceName) throws IOException
    {
        return open(interfaceName, false);
    }

    /**
     * {@link #open(String)}, the receive socket with a memory-mapped ring ({@link PacketReceiveRing})
     * when {@code receiveRing}.
     */
    public static AfPacketPort open(final String interfaceName, final boolean receiveRing) throws IOException
    {
        if (interfaceName == null || interfaceName.isEmpty() || interfaceName.length() >= IFNAMSIZ)
        {
            throw new IOException("access port '" + interfaceName + "': not a Linux interface name (1 to 15 characters)");
        }
        return new AfPacketPort(interfaceName, openSockets(interfaceName, receiveRing), receiveRing);
    }

    /**
     * Opens the port's sockets again on the interface that now has its name (deleted and made
     * again: a new index; down and up: the same), then closes the old ones
     * (docs/architecture.md §3.5). Called only by the thread that receives on this port, between
     * two receives; senders on other threads finish with the handle they read (a send racing with
     * the swap fails harmlessly on the closed one, see {@link SocketHandle}). A
     * {@code PACKET_FANOUT} membership goes with the old socket: start or join a group again.
     *
     * @throws IOException when there is no such interface now or a socket cannot be opened; the
     *     old sockets are then kept
     */
    public void reopen() throws IOException
    {
        if (closed)
        {
            return;
        }
        final Sockets fresh = openSockets(name, receiveRing);
        final PacketReceiveRing oldRing = ring.current;
        final SocketHandle oldReceive = socket;
        final SocketHandle oldSend = sendSocket;
        final SocketHandle oldSegmenting = segmentingSocket;
        install(fresh);
        if (oldRing != null)
        {
            receiveDrops.updateFromPacketStatistics(oldReceive); // its last drops
        }
        else
        {
            receiveDrops.update(oldReceive); // its last drops, then the new socket's from zero
        }
        receiveDrops.socketReplaced();
        oldReceive.close();
        oldSend.close();
        oldSegmenting.close();
        if (oldRing != null)
        {
            oldRing.unmap(); // this is the receiving thread: nothing reads it any more
        }
        if (closed)
        {
            // close() ran while the new sockets were being made: it may have closed only the old ones
            close();
        }
    }

    private static Sockets openSockets(final String interfaceName, final boolean receiveRing) throws IOException
    {
        final int interfaceIndex;
        try
        {
            interfaceIndex = Libc.ifNameToIndex(interfaceName);
        }
        catch (final ErrnoException ex)
        {
            if (ex.errno() == ENODEV || ex.errno() == ENXIO)
            {
                throw new IOException("access port " + interfaceName +
                    ": no such network interface (in this network namespace)", ex);
            }
            throw new IOException("access port " + interfaceName + ": " + ex.getMessage(), ex);
        }

        final SocketHandle socket = new SocketHandle(openSocket(interfaceName));
        SocketHandle sendSocket = null;
        SocketHandle segmentingSocket = null;
        PacketReceiveRing ring = null;
        final int mtu;
        try
        {
            mtu = Libc.interfaceMtu(socket.fd(), interfaceName);
            ring = configure(socket.fd(), interfaceName, interfaceIndex, receiveRing ? mtu : 0);
            sendSocket = new SocketHandle(openSocket(interfaceName));
            bind(sendSocket.fd(), interfaceName, interfaceIndex, 0);
            segmentingSocket = new SocketHandle(openSocket(interfaceName));
            Libc.setsockoptInt(segmentingSocket.fd(), SOL_PACKET, PACKET_VNET_HDR, 1, "setsockopt(SOL_PACKET, PACKET_VNET_HDR)");
            bind(segmentingSocket.fd(), interfaceName, interfaceIndex, 0);
        }
        catch (final IOException ex)
        {
            socket.closeNow();
            if (ring != null)
            {
                ring.unmap();
            }
            if (sendSocket != null)
            {
                sendSocket.closeNow();
            }
            if (segmentingSocket != null)
            {
                segmentingSocket.closeNow();
            }
            if (!(ex instanceof ErrnoException errno))
            {
                throw ex;
            }
            if (errno.errno() == EPERM || errno.errno() == EACCES)
            {
                throw new IOException("access port " + interfaceName + ": " + ex.getMessage() +
                    "; the process needs CAP_NET_RAW", ex);
            }
            throw new IOException("access port " + interfaceName + ": " + ex.getMessage(), ex);
        }
        return new Sockets(interfaceIndex, mtu, socket, sendSocket, segmentingSocket, ring);
    }

    private static int openSocket(final String interfaceName) throws IOException
    {
        try
        {
            // Protocol 0 at creation, ETH_P_ALL only at bind: a socket created with ETH_P_ALL would
            // start queueing frames of every interface before it is bound to ours (libpcap does
            // the same).
            return Libc.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0, "socket(AF_PACKET, SOCK_RAW)");
        }
        catch (final ErrnoException ex)
        {
            if (ex.errno() == EPERM || ex.errno() == EACCES)
            {
                throw new IOException("access port " + interfaceName +
                    ": not permitted to open a packet socket; the process needs CAP_NET_RAW " +
                    "(run as root or grant the capability)", ex);
            }
            throw new IOException("access port " + interfaceName + ": " + ex.getMessage(), ex);
        }
    }

    /** @return the socket's receive ring for {@code ringMtu}-byte packets, or null when {@code ringMtu} is 0 */
    private static PacketReceiveRing configure(final int fd, final String interfaceName, final int interfaceIndex, final int ringMtu)
        throws ErrnoException
    {
        Libc.setsockoptInt(fd, SOL_PACKET, PACKET_AUXDATA, 1, "setsockopt(SOL_PACKET, PACKET_AUXDATA)");
        Libc.setsockoptInt(fd, SOL_PACKET, PACKET_VNET_HDR, 1, "setsockopt(SOL_PACKET, PACKET_VNET_HDR)");
        try
        {
            Libc.setsockoptInt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, "setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING)");
        }
        catch (final ErrnoException ex)
        {
            if (ex.errno() != ENOPROTOOPT && ex.errno() != EINVAL)
            {
                throw ex;
            }
            // kernel older than 4.20: receive() drops PACKET_OUTGOING frames by sll_pkttype
        }
        try
        {
            Libc.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUFFORCE, RECEIVE_BUFFER_BYTES, "setsockopt(SO_RCVBUFFORCE)");
        }
        catch (final ErrnoException ex)
        {
            Libc.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUF, RECEIVE_BUFFER_BYTES, "setsockopt(SO_RCVBUF)");
        }

        // The ring before the bind (nothing is queued for an unbound socket) and after PACKET_VNET_HDR.
        final PacketReceiveRing ring = ringMtu > 0 ? PacketReceiveRing.attach(fd, ringMtu) : null;
        try (Arena arena = Arena.ofConfined())
        {
            bind(fd, interfaceName, interfaceIndex, ETH_P_ALL);
            // Promiscuous through a membership rather than IFF_PROMISC: the kernel counts it and
            // drops it when the socket goes away, even if the process is killed.
            final MemorySegment membership = arena.allocate(LinuxStructs.PACKET_MREQ);
            membership.set(ValueLayout.JAVA_INT, LinuxStructs.MR_IFINDEX, interfaceIndex);
            membership.set(ValueLayout.JAVA_SHORT, LinuxStructs.MR_TYPE, (short)PACKET_MR_PROMISC);
            Libc.setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, membership,
                "setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP, PACKET_MR_PROMISC)");
            return ring;
        }
        catch (final ErrnoException ex)
        {
            if (ring != null)
            {
                ring.unmap();
            }
            throw ex;
        }
    }

    /** Binds to the interface; protocol 0 receives nothing (the send socket), ETH_P_ALL everything. */
    private static void bind(final int fd, final String interfaceName, final int interfaceIndex, final int protocol)
        throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment address = arena.allocate(LinuxStructs.SOCKADDR_LL);
            address.set(ValueLayout.JAVA_SHORT, LinuxStructs.SLL_FAMILY, (short)AF_PACKET);
            address.set(ValueLayout.JAVA_SHORT, LinuxStructs.SLL_PROTOCOL, htons(protocol));
            address.set(ValueLayout.JAVA_INT, LinuxStructs.SLL_IFINDEX, interfaceIndex);
            Libc.bind(fd, address, "bind(AF_PACKET, " + (protocol == 0 ? "0" : "ETH_P_ALL") + ", " + interfaceName + ")");
        }
    }

    @Override
    public String name()
    {
        return name;
    }

    /** Offloaded super-frames arrive whole: slots must hold 64 KiB. */
    @Override
    public int maxFrameLength()
    {
        return FrameBatch.MAX_SUPER_FRAME_LENGTH;
    }

    /** The interface index the socket is bound to. */
    public int interfaceIndex()
    {
        return interfaceIndex;
    }

    /** Frames dropped because they were longer than the batch's slots (tag included). */
    @Override
    public long truncatedFrames()
    {
        return truncatedFrames;
    }

    /**
     * The kernel's drops at this port's receive socket ({@code sk_drops}, or with a ring its
     * {@code tp_drops}, which also counts a frame that found the ring full: a frame that did not fit
     * the socket's receive buffer, {@link #RECEIVE_BUFFER_BYTES}); one {@code getsockopt}. Only
     * the receiving thread may call this (as {@link #receive}). With {@code PACKET_FANOUT} each
     * pipeline's socket of the port counts its own.
     */
    @Override
    public long socketQueueDrops()
    {
        return ring.current != null ? receiveDrops.updateFromPacketStatistics(socket) : receiveDrops.update(socket);
    }

    /**
     * Drains what is queued (without waiting) into {@code batch}; only if nothing was, waits with
     * {@code poll} up to {@code timeoutMillis} (negative: no limit) and drains again. Under load this
     * costs one {@code recvmmsg} per batch and no {@code poll}.
     */
    @Override
    public int receive(final FrameBatch batch, final int timeoutMillis)
    {
        batch.clear();
        final SocketHandle socket = this.socket;
        final PacketReceiveRing ring = this.ring.current;
        if (socket.isClosed())
        {
            if (closed && ring != null)
            {
                ring.unmap(); // the port is closed and this is the receiving thread: nothing reads the ring after this
            }
            return 0;
        }
        final NativeScratch scratch = NativeScratch.current();
        final int fd = socket.fd();

        int count = ring == null ? drain(batch, fd) : drainRing(batch, fd, ring);
        if (count == 0 && timeoutMillis != 0)
        {
            final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            int waitMillis = timeoutMillis;
            while (true)
            {
                final int events = scratch.pollReadable(fd, waitMillis);
                if (events == 0 || socket.isClosed())
                {
                    break;
                }
                count = ring == null ? drain(batch, fd) : drainRing(batch, fd, ring);
                if (count > 0)
                {
                    break;
                }
                // woken without a frame for us (signal, socket error reported once, an outgoing
                // frame on an old kernel): wait for what is left of the timeout
                if (timeoutMillis > 0)
                {
                    final long remainingNanos = deadline - System.nanoTime();
                    if (remainingNanos <= 0)
                    {
                        break;
                    }
                    waitMillis = (int)((remainingNanos + 999_999) / 1_000_000);
                }
            }
        }
        Reference.reachabilityFence(socket);
        return count;
    }

    /**
     * One {@code recvmmsg} for up to a batch of frames (one system call instead of one per frame),
     * each into its own slot behind its {@code virtio_net_hdr}; frames this host sent and frames
     * longer than a slot are skipped (their slots stay unused).
     */
    private int drain(final FrameBatch batch, final int fd)
    {
        return drainQueue(batch, fd, 0, batch.capacity(), true);
    }

    /** {@link #drain} of up to {@code max} frames into the slots from {@code firstSlot} on; read and dropped unless {@code keep}. */
    private int drainQueue(final FrameBatch batch, final int fd, final int firstSlot, final int max, final boolean keep)
    {
        final int maxFrameLength = batch.maxFrameLength();
        final PacketReceiveVector vector = receiveVector(batch);
        // The virtio_net_hdr lands in the headroom, right in front of the frame.
        final long vectorAddress = vector.prepare(max, batch.address() + batch.slotFrameOffset(firstSlot) - VNET_HEADER_LENGTH,
            batch.slotSize(), VNET_HEADER_LENGTH + maxFrameLength);
        final int received = Libc.recvmmsg(fd, vectorAddress, max, MSG_DONTWAIT | MSG_TRUNC);
        final UnsafeBuffer control = vector.buffer();
        int count = 0;
        for (int i = 0; i < received; i++)
        {
            final long length = vector.receivedLength(i) - (long)VNET_HEADER_LENGTH;
            if (!keep || length <= 0 || control.getByte(vector.sockaddrOffset(i) + (int)SLL_PKTTYPE) == PACKET_OUTGOING)
            {
                continue;
            }
            if (length > maxFrameLength)
            {
                truncatedFrames++;
                continue;
            }
            final int auxdata = findAuxdata(control, vector.controlOffset(i), vector.controlLength(i));
            final int status = auxdata < 0 ? 0 : control.getInt(auxdata + (int)TP_STATUS);
            final int tpid = auxdata < 0 ? 0 : control.getShort(auxdata + (int)TP_VLAN_TPID) & 0xFFFF;
            final int tci = auxdata < 0 ? 0 : control.getShort(auxdata + (int)TP_VLAN_TCI) & 0xFFFF;
            count += accept(batch, batch.slotFrameOffset(firstSlot + i), (int)length, status, tpid, tci);
        }
        return count;
    }

    /** The receiving thread's recvmmsg vector: made once per port (and batch size), not per frame. */
    private PacketReceiveVector receiveVector(final FrameBatch batch)
    {
        PacketReceiveVector vector = this.receiveVector;
        if (vector == null || vector.capacity() < batch.capacity())
        {
            vector = new PacketReceiveVector(batch.capacity());
            this.receiveVector = vector;
        }
        return vector;
    }

    /**
     * Takes what the receive ring holds, up to a batch: each frame is copied, behind its
     * {@code virtio_net_hdr}, into its slot (the pipeline writes headers in front of it, which it
     * cannot in the ring) and its ring frame given back at once. A frame the kernel marked
     * {@code TP_STATUS_COPY} (longer than a ring frame: a super-frame) is read whole from the socket
     * queue into its slot instead. No system call while frames are there.
     */
    private int drainRing(final FrameBatch batch, final int fd, final PacketReceiveRing ring)
    {
        receiveVector(batch); // made on the first receive, not on the first super-frame under load
        final int capacity = batch.capacity();
        final int maxFrameLength = batch.maxFrameLength();
        int slot = 0;
        int count = 0;
        while (slot < capacity)
        {
            final int status = ring.headStatus();
            if ((status & TP_STATUS_USER) == 0)
            {
                break;
            }
            final UnsafeBuffer memory = ring.memory();
            final int frame = ring.headFrame();
            final int pktType = memory.getByte(frame + (int)TPACKET2_SOCKADDR + (int)SLL_PKTTYPE);
            if ((status & TP_STATUS_COPY) != 0)
            {
                // The whole frame waits in the socket queue, whose address says nothing of its direction: the ring frame does.
                ring.release();
                count += drainQueue(batch, fd, slot, 1, pktType != PACKET_OUTGOING);
                slot++;
                continue;
            }
            final int length = memory.getInt(frame + (int)TP2_LEN);
            final int captured = memory.getInt(frame + (int)TP2_SNAPLEN);
            if (length <= 0 || pktType == PACKET_OUTGOING)
            {
                ring.release();
                continue;
            }
            if (length != captured || length > maxFrameLength)
            {
                truncatedFrames++; // longer than a ring frame and not queued whole (the socket's buffer was full)
                ring.release();
                continue;
            }
            final int slotOffset = batch.slotFrameOffset(slot);
            final int vnetOffset = frame + (memory.getShort(frame + (int)TP2_MAC) & 0xFFFF) - VNET_HEADER_LENGTH;
            batch.buffer().putBytes(slotOffset - VNET_HEADER_LENGTH, memory, vnetOffset, VNET_HEADER_LENGTH + length);
            final int tpid = memory.getShort(frame + (int)TP2_VLAN_TPID) & 0xFFFF;
            final int tci = memory.getShort(frame + (int)TP2_VLAN_TCI) & 0xFFFF;
            ring.release();
            count += accept(batch, slotOffset, length, status, tpid, tci);
            slot++;
        }
        return count;
    }

    /**
     * Adds the frame received into a slot (at {@code slotOffset}, its {@code virtio_net_hdr} in front)
     * to the batch: its offload request read, and the 802.1Q tag the kernel took out put back when
     * {@code status} (a {@code tp_status}) says there was one.
     *
     * @return 1 when added, 0 when dropped (no room for the tag: counted as truncated)
     */
    private int accept(final FrameBatch batch, final int slotOffset, final int length, final int status, final int tpid, final int tci)
    {
        final UnsafeBuffer frames = batch.buffer();
        int frameOffset = slotOffset;
        int frameLength = length;
        long offload = offloadRequest(frames, slotOffset - VNET_HEADER_LENGTH);
        if ((status & TP_STATUS_VLAN_VALID) != 0)
        {
            if (frameLength + VlanTag.LENGTH > batch.maxFrameLength() || frameLength < MAC_ADDRESSES_LENGTH)
            {
                truncatedFrames++;
                return 0;
            }
            final int tagTpid = tpid == 0 || (status & TP_STATUS_VLAN_TPID_VALID) == 0 ? ETH_P_8021Q : tpid;
            frameOffset = insertVlanTag(frames, slotOffset, tagTpid, tci);
            frameLength += VlanTag.LENGTH;
            offload = FrameOffload.shifted(offload, VlanTag.LENGTH);
        }
        batch.add(frameOffset, frameLength, offload);
        return 1;
    }

    /**
     * Reads the frame's {@code virtio_net_hdr} (what {@code virtio_net_hdr_from_skb} wrote): the
     * checksum start and offset when the transport checksum is partial, the segment size and type
     * for a super-frame. The ECN bit of the GSO type only says the host negotiated ECN; each
     * segment keeps the bits it has (CWR handled by the segmenter).
     */
    private static long offloadRequest(final UnsafeBuffer frames, final int vnetOffset)
    {
        final int gsoType = frames.getByte(vnetOffset + VNET_GSO_TYPE) & 0xFF & ~VNET_GSO_ECN;
        final boolean needsChecksum = (frames.getByte(vnetOffset + VNET_FLAGS) & VNET_F_NEEDS_CSUM) != 0;
        if (gsoType == VNET_GSO_NONE && !needsChecksum)
        {
            return FrameOffload.NONE;
        }
        final int kind = switch (gsoType)
        {
            case VNET_GSO_NONE -> FrameOffload.CHECKSUM;
            case VNET_GSO_TCPV4, VNET_GSO_TCPV6 -> FrameOffload.TCP_SEGMENTS;
            case VNET_GSO_UDP_L4 -> FrameOffload.UDP_SEGMENTS;
            default -> FrameOffload.UNSUPPORTED; // VIRTIO_NET_HDR_GSO_UDP (fragmentation offload) and the unknown
        };
        return FrameOffload.of(kind,
            frames.getShort(vnetOffset + VNET_CSUM_START, ByteOrder.LITTLE_ENDIAN) & 0xFFFF,
            frames.getShort(vnetOffset + VNET_CSUM_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF,
            frames.getShort(vnetOffset + VNET_GSO_SIZE, ByteOrder.LITTLE_ENDIAN) & 0xFFFF);
    }

    /**
     * Puts the tag the kernel moved into the metadata back in front of the EtherType, in the
     * headroom ({@link VlanTag#insert}), keeping the TPID the kernel reported (802.1ad service tags
     * are 0x88A8).
     *
     * @return the new frame offset
     */
    private static int insertVlanTag(final UnsafeBuffer frames, final int frameOffset, final int tpid, final int tci)
    {
        final int taggedOffset = VlanTag.insert(frames, frameOffset, tci);
        if (tpid != VlanTag.TPID)
        {
            frames.putShort(taggedOffset + VlanTag.TPID_OFFSET, (short)tpid, ByteOrder.BIG_ENDIAN);
        }
        return taggedOffset;
    }

    /** @return the scratch index of the tpacket_auxdata, or -1 when the control messages hold none */
    private static int findAuxdata(final UnsafeBuffer buffer, final int controlOffset, final int controlLength)
    {
        final int length = Math.min(controlLength, PacketReceiveVector.CONTROL_CAPACITY);
        int offset = 0;
        while (offset + (int)CMSG_DATA <= length)
        {
            final long cmsgLength = buffer.getLong(controlOffset + offset + (int)CMSG_LEN);
            if (cmsgLength < CMSG_DATA || offset + cmsgLength > length)
            {
                return -1;
            }
            if (buffer.getInt(controlOffset + offset + (int)CMSG_LEVEL) == SOL_PACKET &&
                buffer.getInt(controlOffset + offset + (int)CMSG_TYPE) == PACKET_AUXDATA &&
                cmsgLength >= CMSG_DATA + LinuxStructs.TPACKET_AUXDATA.byteSize())
            {
                return controlOffset + offset + (int)CMSG_DATA;
            }
            offset += (int)((cmsgLength + 7) & ~7L); // CMSG_ALIGN
        }
        return -1;
    }

    /**
     * Writes one frame as it is (an 802.1Q tag in it leaves as written).
     *
     * Never blocks (MSG_DONTWAIT): a data-path thread calls it.
     *
     * @return false when the port is closed, the buffer is on the heap or the range is outside it,
     *     or the kernel refused the frame (larger than the MTU, interface down, send buffer full:
     *     EAGAIN, ENOBUFS)
     */
    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        final SocketHandle socket = this.sendSocket;
        if (socket.isClosed() || buffer.byteArray() != null ||
            length <= 0 || offset < 0 || length > buffer.capacity() - offset)
        {
            return false;
        }
        // MSG_DONTWAIT: a full socket send buffer (the interface's queue is stalled) fails at once with
        // EAGAIN, or ENOBUFS, and the caller counts tx_error; a blocking send would stall the worker
        // and with it every other port and VNI it forwards for.
        // MSG_NOSIGNAL: a send racing with close() reaches the closed-socket marker (EPIPE)
        final long sent = Libc.send(socket.fd(), buffer.addressOffset() + offset, length, SEND_FLAGS);
        Reference.reachabilityFence(socket);
        return sent == length;
    }

    @Override
    public int mtu()
    {
        return mtu;
    }

    @Override
    public int receiveFd()
    {
        return socket.fd();
    }

    /**
     * How the fanout groups this port starts or joins pick a member ({@link #startFanout},
     * {@link #joinFanout}, also when re-opened): set before the first of them.
     */
    public void steering(final FanoutSteering steering)
    {
        this.steering = steering;
    }

    /**
     * Makes this port's receive socket the first of a {@code PACKET_FANOUT} group: the kernel then
     * hands each frame of the interface to exactly one socket of the group, so that several
     * pipelines share a port. By flow hash every frame of a flow goes to the same one, without
     * reordering; by CPU ({@link FanoutSteering}) a classic BPF program picks the member pinned to
     * the receiving CPU, with rollover to another member when that one's queue fills.
     *
     * @return the group id (picked by the kernel, unique in the namespace) for {@link #joinFanout(int)}
     */
    public int startFanout() throws IOException
    {
        try
        {
            joinOrStart(0, PACKET_FANOUT_FLAG_UNIQUEID, "unique id");
            if (steering.byCpu())
            {
                SocketFilters.attachFanoutCpuSteering(socket.fd(), steering.map(), "access port " + name);
            }
            return Libc.getsockoptInt(socket.fd(), SOL_PACKET, PACKET_FANOUT, "getsockopt(SOL_PACKET, PACKET_FANOUT)") & 0xFFFF;
        }
        catch (final ErrnoException ex)
        {
            throw new IOException("access port " + name + ": " + ex.getMessage(), ex);
        }
    }

    /** Joins the {@code PACKET_FANOUT} group another port of the same interface started (same steering). */
    public void joinFanout(final int groupId) throws IOException
    {
        try
        {
            joinOrStart(groupId, 0, "group " + groupId);
        }
        catch (final ErrnoException ex)
        {
            throw new IOException("access port " + name + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * {@code PACKET_FANOUT} with the group's flags, asking it not to take this host's own frames
     * ({@code PACKET_FANOUT_FLAG_IGNORE_OUTGOING}): otherwise each frame vtep sends on the port is
     * cloned to a member and dropped by {@link #receive}, and a super-frame vtep sends arrives, with
     * a receive ring, through the socket queue, which does not say it was outgoing. A kernel older
     * than 6.2 refuses the flag (EINVAL): then the group takes them and receive drops them.
     */
    private void joinOrStart(final int groupId, final int extraFlags, final String what) throws ErrnoException
    {
        try
        {
            Libc.setsockoptInt(socket.fd(), SOL_PACKET, PACKET_FANOUT,
                groupId | (fanoutType() | extraFlags | PACKET_FANOUT_FLAG_IGNORE_OUTGOING) << 16,
                "setsockopt(SOL_PACKET, PACKET_FANOUT, " + steering + ", ignore outgoing, " + what + ")");
        }
        catch (final ErrnoException ex)
        {
            if (ex.errno() != EINVAL)
            {
                throw ex;
            }
            Libc.setsockoptInt(socket.fd(), SOL_PACKET, PACKET_FANOUT, groupId | (fanoutType() | extraFlags) << 16,
                "setsockopt(SOL_PACKET, PACKET_FANOUT, " + steering + ", " + what + ")");
        }
    }

    /** The fanout mode and flags (every member must give the same). */
    private int fanoutType()
    {
        return steering.byCpu() ? PACKET_FANOUT_CBPF | PACKET_FANOUT_FLAG_ROLLOVER : PACKET_FANOUT_HASH;
    }

    @Override
    public boolean sendsSegmented()
    {
        return true;
    }

    /**
     * Sends a TCP super-frame through the {@code PACKET_VNET_HDR} socket with a
     * {@code virtio_net_hdr} asking for TCP segmentation to {@code mtu} and a checksum
     * from the TCP header on: the kernel segments it only where the device needs it (a veth hands
     * the super-frame to its peer whole, which is the fast way into a container or VM). The TCP
     * checksum field gets the pseudo-header sum over the whole TCP length, which is what the
     * kernel's segmentation adjusts per segment ({@code tcp_gso_segment}).
     */
    @Override
    public boolean sendSegmented(final MutableDirectBuffer buffer, final int offset, final int length, final int mtu)
    {
        final SocketHandle socket = this.segmentingSocket;
        if (socket.isClosed() || buffer.byteArray() != null || offset < 0 || length > buffer.capacity() - offset ||
            length < EthernetHeader.LENGTH + Ipv4Header.LENGTH)
        {
            return false;
        }
        int network = EthernetHeader.LENGTH;
        int etherType = buffer.getShort(offset + EthernetHeader.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (VlanTag.isTagged(buffer, offset))
        {
            network = VlanTag.TAGGED_HEADER_LENGTH;
            etherType = buffer.getShort(offset + VlanTag.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        final int transport;
        final int gsoType;
        final int pseudoHeader;
        if (etherType == EthernetHeader.ETHER_TYPE_IPV4)
        {
            final int versionIhl = buffer.getByte(offset + network) & 0xFF;
            transport = network + (versionIhl & 0x0F) * 4;
            if (versionIhl >>> 4 != Ipv4Header.VERSION || (versionIhl & 0x0F) < Ipv4Header.MIN_IHL ||
                (buffer.getByte(offset + network + Ipv4Header.PROTOCOL_OFFSET) & 0xFF) != IpProtocol.TCP)
            {
                return false;
            }
            gsoType = VNET_GSO_TCPV4;
            pseudoHeader = Checksum.ipv4PseudoHeaderSum(buffer, offset + network, IpProtocol.TCP, length - transport);
        }
        else if (etherType == EthernetHeader.ETHER_TYPE_IPV6)
        {
            transport = network + Ipv6Header.LENGTH;
            if ((buffer.getByte(offset + network + Ipv6Header.NEXT_HEADER_OFFSET) & 0xFF) != IpProtocol.TCP)
            {
                return false;
            }
            gsoType = VNET_GSO_TCPV6;
            pseudoHeader = Checksum.ipv6PseudoHeaderSum(buffer, offset + network, IpProtocol.TCP, length - transport);
        }
        else
        {
            return false;
        }
        if (transport + TcpHeader.MIN_LENGTH > length)
        {
            return false;
        }
        final int headersLength = transport + ((buffer.getByte(offset + transport + TcpHeader.DATA_OFFSET_OFFSET) & 0xF0) >>> 4) * 4;
        final int segmentSize = mtu - (headersLength - network);
        if (headersLength >= length || segmentSize <= 0)
        {
            return false;
        }
        buffer.putShort(offset + transport + TcpHeader.CHECKSUM_OFFSET, (short)pseudoHeader, ByteOrder.BIG_ENDIAN);

        final VnetSendScratch scratch = VnetSendScratch.current();
        final UnsafeBuffer header = scratch.buffer();
        final int h = scratch.headerOffset();
        header.putByte(h + VNET_FLAGS, (byte)VNET_F_NEEDS_CSUM);
        header.putByte(h + VNET_GSO_TYPE, (byte)gsoType);
        header.putShort(h + VNET_HDR_LEN, (short)headersLength, ByteOrder.LITTLE_ENDIAN);
        header.putShort(h + VNET_GSO_SIZE, (short)segmentSize, ByteOrder.LITTLE_ENDIAN);
        header.putShort(h + VNET_CSUM_START, (short)transport, ByteOrder.LITTLE_ENDIAN);
        header.putShort(h + VNET_CSUM_OFFSET, (short)TcpHeader.CHECKSUM_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final long sent = Libc.sendmsg(socket.fd(), scratch.prepare(buffer.addressOffset() + offset, length), SEND_FLAGS);
        Reference.reachabilityFence(socket);
        return sent == VNET_HEADER_LENGTH + length;
    }

    /** Releases the socket (and the interface's promiscuity); a receive in progress returns within its timeout. */
    @Override
    public void close()
    {
        closed = true;
        final PacketReceiveRing ring = this.ring.current;
        if (ring != null)
        {
            ring.detach(); // the receiving thread may be reading it: it reads zeros from now on, and unmaps it
        }
        socket.close();
        sendSocket.close();
        segmentingSocket.close();
    }

    @Override
    public String toString()
    {
        return "AfPacketPort[" + name + ", ifindex " + interfaceIndex + (socket.isClosed() ? ", closed]" : "]");
    }
}
