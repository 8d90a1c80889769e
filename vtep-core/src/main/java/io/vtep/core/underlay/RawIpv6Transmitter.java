package io.vtep.core.underlay;

import static io.vtep.core.nativeio.LinuxConstants.AF_INET6;
import static io.vtep.core.nativeio.LinuxConstants.IPPROTO_UDP;
import static io.vtep.core.nativeio.LinuxConstants.IPV6_DONTFRAG;
import static io.vtep.core.nativeio.LinuxConstants.IPV6_MULTICAST_HOPS;
import static io.vtep.core.nativeio.LinuxConstants.IPV6_MULTICAST_IF;
import static io.vtep.core.nativeio.LinuxConstants.IPV6_MULTICAST_LOOP;
import static io.vtep.core.nativeio.LinuxConstants.IPV6_UNICAST_HOPS;
import static io.vtep.core.nativeio.LinuxConstants.SOCK_CLOEXEC;
import static io.vtep.core.nativeio.LinuxConstants.SOCK_RAW;
import static io.vtep.core.nativeio.LinuxConstants.SOL_IPV6;
import static io.vtep.core.nativeio.LinuxStructs.SIN6_ADDR;
import static io.vtep.core.nativeio.LinuxStructs.SIN6_FAMILY;
import static io.vtep.core.nativeio.LinuxStructs.SIN6_FLOWINFO;
import static io.vtep.core.nativeio.LinuxStructs.SIN6_PORT;
import static io.vtep.core.nativeio.LinuxStructs.SIN6_SCOPE_ID;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.nativeio.ErrnoException;
import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.LinuxStructs;
import io.vtep.core.nativeio.NativeScratch;
import io.vtep.core.nativeio.SocketFilters;
import io.vtep.core.nativeio.SocketHandle;
import io.vtep.encap.VtepAddress;

/**
 * Sends finished IPv6 VXLAN packets through a raw IPv6 socket of protocol UDP
 * ({@code socket(AF_INET6, SOCK_RAW, IPPROTO_UDP)}, raw(7), ipv6(7)).
 *
 * <h2>What the kernel does with the bytes</h2>
 * An IPv6 raw socket has no {@code IP_HDRINCL} in the IPv4 sense, so the caller's packet is handed
 * over from its UDP header on (the 40-byte outer IPv6 header is skipped). The kernel
 * ({@code rawv6_sendmsg} → {@code ip6_append_data} → {@code rawv6_push_pending_frames}) builds
 * an IPv6 header with next header = the socket's protocol (UDP), source = the bound local address,
 * destination = the {@code sendto} address, hop limit = {@code IPV6_UNICAST_HOPS} or
 * {@code IPV6_MULTICAST_HOPS} (see below), and appends our bytes unchanged: it computes a checksum only when
 * {@code IPV6_CHECKSUM} is set (or for ICMPv6), which is deliberately never done here. So the UDP
 * header, its per-flow source port (RFC 7348 §5, see {@link RawIpv4Transmitter} for why that
 * needs a raw socket) and its checksum are the caller's. The checksum is mandatory for UDP over
 * IPv6 (RFC 8200 §8.1) and covers a pseudo-header with the source address: the caller must have
 * computed it with this transmitter's {@link #localAddress()} as source.
 *
 * <p>Not carried over from the caller's IPv6 header: traffic class (0) and flow label (the kernel's
 * automatic one when {@code net.ipv6.auto_flowlabels} is on; a chosen label would need the
 * {@code IPV6_FLOWLABEL_MGR} lease machinery per flow). Underlay ECMP hashing on the UDP ports
 * still sees the per-flow source port.
 *
 * <h2>No fragmentation</h2>
 * {@code IPV6_DONTFRAG} = 1: a packet longer than the path MTU fails with EMSGSIZE ({@link #send}
 * returns false, the caller counts it) instead of being fragmented by this host.
 *
 * <h2>Multicast hop limit</h2>
 * Multicast packets get their own hop limit, 1 unless configured: like the socket default
 * (RFC 3493 §5.2, "IPV6_MULTICAST_HOPS ... default is 1") and the Linux VXLAN driver, a VNI's
 * BUM traffic stays on the local underlay link unless the operator widens its scope on purpose.
 * The unicast hop limit (the VXLAN TTL, often 64) is not a sensible multicast scope.
 *
 * <h2>Receive side, multicast, threads</h2>
 * This socket is of protocol UDP (an {@code IPPROTO_RAW} IPv6 socket would send our header as
 * written, and hop limit, traffic class and flow label would become the caller's), and the kernel
 * hands every raw socket of a protocol a clone of each received packet of it
 * ({@code ipv6_raw_deliver}) unless the socket is connected to another source
 * ({@code raw_v6_match}). So the socket is connected to its own address: no VXLAN packet comes
 * from there, and none is cloned for it (the same clone cost 5 % of the machine's CPU under TCP
 * from the underlay over IPv4, see {@link RawIpv4Transmitter}). A drop-all BPF filter stays for
 * what this host sends to itself. Multicast leaves through the interface holding the local address
 * ({@code IPV6_MULTICAST_IF}) and is not looped back; {@link #send} is thread-safe and
 * allocation-free, the {@code sockaddr_in6} being the calling thread's {@link NativeScratch}.
 */
public final class RawIpv6Transmitter implements UnderlayTransmitter
{
    private static final int IPV6_HEADER_LENGTH = 40;
    /** See {@link RawUdpSends#SEND_FLAGS}. */
    static final int SEND_FLAGS = RawUdpSends.SEND_FLAGS;
    private static final int DESTINATION_OFFSET = 24;
    private static final int SOCKADDR_IN6_LENGTH = (int)LinuxStructs.SOCKADDR_IN6.byteSize();

    private final Inet6Address localAddress;
    /** Multicast hop limit when none is configured (RFC 3493 §5.2 socket default). */
    public static final int DEFAULT_MULTICAST_HOP_LIMIT = 1;

    private final int hopLimit;
    private final int multicastHopLimit;
    private final SocketHandle socket;

    /**
     * Opens the socket in the calling thread's network namespace.
     *
     * @param localAddress the VTEP's underlay address (global scope): must be assigned to an interface here
     * @param hopLimit hop limit of unicast packets, 1..255; multicast packets get
     *     {@value #DEFAULT_MULTICAST_HOP_LIMIT}
     * @throws IOException when not permitted (needs CAP_NET_RAW) or the address is not local
     */
    public RawIpv6Transmitter(final Inet6Address localAddress, final int hopLimit) throws IOException
    {
        this(localAddress, hopLimit, DEFAULT_MULTICAST_HOP_LIMIT);
    }

    /**
     * Opens the socket in the calling thread's network namespace.
     *
     * @param localAddress the VTEP's underlay address (global scope): must be assigned to an interface here
     * @param hopLimit hop limit of unicast packets, 1..255
     * @param multicastHopLimit hop limit of packets to a multicast group, 1..255
     * @throws IOException when not permitted (needs CAP_NET_RAW) or the address is not local
     */
    public RawIpv6Transmitter(final Inet6Address localAddress, final int hopLimit, final int multicastHopLimit)
        throws IOException
    {
        if (hopLimit < 1 || hopLimit > 255)
        {
            throw new IllegalArgumentException("hop limit must be 1..255: " + hopLimit);
        }
        if (multicastHopLimit < 1 || multicastHopLimit > 255)
        {
            throw new IllegalArgumentException("multicast hop limit must be 1..255: " + multicastHopLimit);
        }
        this.localAddress = localAddress;
        this.hopLimit = hopLimit;
        this.multicastHopLimit = multicastHopLimit;
        final int fd;
        try
        {
            fd = Libc.socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_UDP, "socket(AF_INET6, SOCK_RAW, IPPROTO_UDP)");
        }
        catch (final ErrnoException ex)
        {
            throw failure(ex);
        }
        socket = new SocketHandle(fd);
        try
        {
            SocketFilters.attachDropAll(fd, "raw IPv6 transmitter");
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment local = arena.allocate(LinuxStructs.SOCKADDR_IN6);
                local.set(ValueLayout.JAVA_SHORT, SIN6_FAMILY, (short)AF_INET6);
                local.asSlice(SIN6_ADDR, 16).copyFrom(MemorySegment.ofArray(localAddress.getAddress()));
                // the bound address is the source of every packet (the caller's checksum covers it)
                Libc.bind(fd, local, "bind(" + localAddress.getHostAddress() + ")");
                // Connected to itself, the socket matches only packets from its own address
                // (raw_v6_match): the kernel stops cloning every received UDP packet for it. A
                // send names its destination, which a connected raw socket still obeys.
                Libc.connect(fd, local, "connect(" + localAddress.getHostAddress() + ")");
            }
            Libc.setsockoptInt(fd, SOL_IPV6, IPV6_UNICAST_HOPS, hopLimit, "setsockopt(IPV6_UNICAST_HOPS)");
            Libc.setsockoptInt(fd, SOL_IPV6, IPV6_MULTICAST_HOPS, multicastHopLimit, "setsockopt(IPV6_MULTICAST_HOPS)");
            Libc.setsockoptInt(fd, SOL_IPV6, IPV6_MULTICAST_LOOP, 0, "setsockopt(IPV6_MULTICAST_LOOP, 0)");
            Libc.setsockoptInt(fd, SOL_IPV6, IPV6_DONTFRAG, 1, "setsockopt(IPV6_DONTFRAG, 1)");
            Libc.setsockoptInt(fd, SOL_IPV6, IPV6_MULTICAST_IF, interfaceIndexOf(localAddress), "setsockopt(IPV6_MULTICAST_IF)");
        }
        catch (final ErrnoException ex)
        {
            socket.closeNow();
            throw failure(ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.closeNow();
            throw ex;
        }
    }

    /** Opens a transmitter for an IPv6 {@link VtepAddress}, multicast hop limit {@value #DEFAULT_MULTICAST_HOP_LIMIT}. */
    public static RawIpv6Transmitter open(final VtepAddress localAddress, final int hopLimit) throws IOException
    {
        return open(localAddress, hopLimit, DEFAULT_MULTICAST_HOP_LIMIT);
    }

    /** Opens a transmitter for an IPv6 {@link VtepAddress}. */
    public static RawIpv6Transmitter open(final VtepAddress localAddress, final int hopLimit, final int multicastHopLimit)
        throws IOException
    {
        if (!localAddress.isIpv6())
        {
            throw new IllegalArgumentException("not an IPv6 address: " + localAddress);
        }
        return new RawIpv6Transmitter((Inet6Address)localAddress.toInetAddress(), hopLimit, multicastHopLimit);
    }

    public Inet6Address localAddress()
    {
        return localAddress;
    }

    /**
     * @param buffer native memory holding the packet
     * @param offset offset of the outer IPv6 header (only its destination is read)
     * @param length IPv6 header to the end of the inner frame
     * @return false when the range is not a native buffer range long enough for IPv6 and UDP
     *     headers, when closed, or when the kernel refused the packet (EMSGSIZE: longer than the
     *     MTU; EAGAIN or ENOBUFS: the send buffer is full, as the call never blocks; no route)
     */
    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        return RawUdpSends.send(socket, buffer, offset, length, IPV6_HEADER_LENGTH, IPV6_HEADER_LENGTH,
            SOCKADDR_IN6_LENGTH, RawIpv6Transmitter::putDestination);
    }

    /** The whole batch in {@code sendmmsg} calls (usually one), each packet from its UDP header, as {@link #send(DirectBuffer, int, int)}. */
    @Override
    public void send(final TransmitBatch batch)
    {
        RawUdpSends.send(socket, batch, IPV6_HEADER_LENGTH, SOCKADDR_IN6_LENGTH, RawIpv6Transmitter::putDestination);
    }

    /** The {@code sockaddr_in6} to send to: the packet's destination, copied byte for byte (network order). */
    private static void putDestination(final UnsafeBuffer target, final int offset, final DirectBuffer packet,
        final int packetOffset)
    {
        target.putShort(offset + (int)SIN6_FAMILY, (short)AF_INET6);
        target.putShort(offset + (int)SIN6_PORT, (short)0); // 0: the socket's protocol
        target.putInt(offset + (int)SIN6_FLOWINFO, 0);
        target.putLong(offset + (int)SIN6_ADDR, packet.getLong(packetOffset + DESTINATION_OFFSET));
        target.putLong(offset + (int)SIN6_ADDR + 8, packet.getLong(packetOffset + DESTINATION_OFFSET + 8));
        target.putInt(offset + (int)SIN6_SCOPE_ID, 0);
    }

    @Override
    public void close()
    {
        socket.close();
    }

    @Override
    public String toString()
    {
        return "RawIpv6Transmitter[" + localAddress.getHostAddress() + ", hop limit " + hopLimit +
            ", multicast hop limit " + multicastHopLimit +
            (socket.isClosed() ? ", closed]" : "]");
    }

    /**
     * Finds the interface holding {@code address} in the calling thread's namespace, from
     * {@code /proc/thread-self/net/if_inet6} ({@code java.net.NetworkInterface} reads
     * {@code /proc/net}, which is the main thread's namespace, wrong on a thread that entered
     * another one).
     */
    static int interfaceIndexOf(final Inet6Address address) throws IOException
    {
        final String wanted = HexFormat.of().formatHex(address.getAddress());
        final List<String> lines = Files.readAllLines(Path.of("/proc/thread-self/net/if_inet6"));
        for (final String line : lines)
        {
            // "fd000000000000000000000000000001 04 40 00 80     eth0": address, ifindex (hex), ...
            final String[] fields = line.trim().split("\\s+");
            if (fields.length >= 6 && fields[0].equalsIgnoreCase(wanted))
            {
                return Integer.parseInt(fields[1], 16);
            }
        }
        throw new IOException("underlay transmitter " + address.getHostAddress() +
            ": the address is not assigned to any interface (in this network namespace)");
    }

    private IOException failure(final ErrnoException ex)
    {
        return RawUdpSends.failure(localAddress.getHostAddress(), ex, "the address is not assigned to any interface " +
            "(in this network namespace), or is still tentative (duplicate address detection)");
    }
}
