package io.vtep.core.underlay;

import static io.vtep.core.nativeio.LinuxConstants.AF_INET;
import static io.vtep.core.nativeio.LinuxConstants.IPPROTO_RAW;
import static io.vtep.core.nativeio.LinuxConstants.IP_HDRINCL;
import static io.vtep.core.nativeio.LinuxConstants.IP_MULTICAST_IF;
import static io.vtep.core.nativeio.LinuxConstants.IP_MULTICAST_LOOP;
import static io.vtep.core.nativeio.LinuxConstants.SOCK_CLOEXEC;
import static io.vtep.core.nativeio.LinuxConstants.SOCK_RAW;
import static io.vtep.core.nativeio.LinuxConstants.SOL_IP;
import static io.vtep.core.nativeio.LinuxStructs.SIN_ADDR;
import static io.vtep.core.nativeio.LinuxStructs.SIN_FAMILY;
import static io.vtep.core.nativeio.LinuxStructs.SIN_PORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;

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
 * Sends finished IPv4 VXLAN packets through a raw IPv4 socket with {@code IP_HDRINCL}
 * ({@code socket(AF_INET, SOCK_RAW, IPPROTO_RAW)}, raw(7)): the kernel routes the packet and puts
 * it on the wire with the caller's IPv4, UDP and VXLAN headers as written.
 *
 * <h2>Why a raw socket: the UDP source port</h2>
 * RFC 7348 §5 asks a VTEP to derive the outer UDP source port from a hash of the inner frame, so
 * that underlay routers spread the flows of one VTEP pair over their ECMP paths; the Linux VXLAN
 * driver does the same ({@code udp_flow_src_port} in {@code vxlan_xmit_one}). A UDP socket bound to
 * 4789 would stamp 4789 on every datagram, and a socket for each of 16,384 source ports is no option
 * for every packet (only for the bulk flows that {@link UdpGsoTransmitter} serves), so the pipeline
 * writes the whole packet, per-flow source port included, and this socket carries it as is. The kernel fills in only the IPv4 header checksum and total length (and an ID when it is 0);
 * the UDP checksum is the caller's (0, "none", is allowed for IPv4, RFC 768).
 *
 * <h2>No fragmentation</h2>
 * With {@code IP_HDRINCL} the kernel never fragments: a packet longer than the route's MTU fails
 * with EMSGSIZE, which {@link #send} reports as {@code false} for the caller to count. The
 * caller's header also carries DF, so routers on the way do not fragment either (the VXLAN
 * driver sets DF the same way when asked to).
 *
 * <h2>Receive side of the socket: none</h2>
 * Protocol {@code IPPROTO_RAW}, not {@code IPPROTO_UDP}: the kernel gives a raw socket a copy
 * ({@code skb_clone} in {@code raw_local_deliver}) of every received packet of the socket's IP
 * protocol, so a raw UDP socket would be handed every VXLAN packet this host receives, each
 * cloned and then dropped. A profile of TCP from host B to host A through vtep put 5 % of the
 * machine's CPU there, filter and all. Protocol 255 carries nothing anyone sends; the drop-all
 * classic BPF filter ({@link SocketFilters#attachDropAll}) stays for a stray packet of it, so that
 * nothing is ever queued on a socket nobody reads.
 *
 * <h2>Multicast</h2>
 * Packets to a multicast group (a VNI's {@code multicast-group}) leave through the interface that
 * holds the local address ({@code IP_MULTICAST_IF}), and are not looped back to local listeners
 * ({@code IP_MULTICAST_LOOP} = 0): this host is the sender, not a member. Their TTL is the one in
 * the caller's header.
 *
 * <h2>Threads and allocation</h2>
 * {@link #send} may be called by any number of threads and allocates nothing: the destination
 * {@code sockaddr_in} (read from the packet's destination field, since the kernel routes by the
 * {@code sendto} address, not by the header) is written into the calling thread's {@link NativeScratch}.
 */
public final class RawIpv4Transmitter implements UnderlayTransmitter
{
    private static final int IPV4_HEADER_LENGTH = 20;
    /** See {@link RawUdpSends#SEND_FLAGS}. */
    static final int SEND_FLAGS = RawUdpSends.SEND_FLAGS;
    private static final int DESTINATION_OFFSET = 16;
    private static final int SOCKADDR_IN_LENGTH = (int)LinuxStructs.SOCKADDR_IN.byteSize();

    private final Inet4Address localAddress;
    private final SocketHandle socket;

    /**
     * Opens the socket in the calling thread's network namespace.
     *
     * @param localAddress the VTEP's underlay address: must be assigned to an interface here
     * @throws IOException when not permitted (needs CAP_NET_RAW) or the address is not local
     */
    public RawIpv4Transmitter(final Inet4Address localAddress) throws IOException
    {
        this.localAddress = localAddress;
        final int fd;
        try
        {
            fd = Libc.socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW, "socket(AF_INET, SOCK_RAW, IPPROTO_RAW)");
        }
        catch (final ErrnoException ex)
        {
            throw failure(ex);
        }
        socket = new SocketHandle(fd);
        try
        {
            SocketFilters.attachDropAll(fd, "raw IPv4 transmitter");
            Libc.setsockoptInt(fd, SOL_IP, IP_HDRINCL, 1, "setsockopt(IPPROTO_IP, IP_HDRINCL)");
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment local = arena.allocate(LinuxStructs.SOCKADDR_IN);
                local.set(ValueLayout.JAVA_SHORT, SIN_FAMILY, (short)AF_INET);
                local.asSlice(SIN_ADDR, 4).copyFrom(MemorySegment.ofArray(localAddress.getAddress()));
                // Binding checks early that the address is ours (EADDRNOTAVAIL otherwise); with
                // IP_HDRINCL the header's source is what is sent.
                Libc.bind(fd, local, "bind(" + localAddress.getHostAddress() + ")");

                final MemorySegment interfaceAddress = arena.allocate(ValueLayout.JAVA_INT);
                interfaceAddress.copyFrom(MemorySegment.ofArray(localAddress.getAddress()));
                Libc.setsockopt(fd, SOL_IP, IP_MULTICAST_IF, interfaceAddress,
                    "setsockopt(IPPROTO_IP, IP_MULTICAST_IF, " + localAddress.getHostAddress() + ")");
            }
            Libc.setsockoptInt(fd, SOL_IP, IP_MULTICAST_LOOP, 0, "setsockopt(IPPROTO_IP, IP_MULTICAST_LOOP, 0)");
        }
        catch (final ErrnoException ex)
        {
            socket.closeNow();
            throw failure(ex);
        }
    }

    /** Opens a transmitter for an IPv4 {@link VtepAddress}. */
    public static RawIpv4Transmitter open(final VtepAddress localAddress) throws IOException
    {
        if (localAddress.isIpv6())
        {
            throw new IllegalArgumentException("not an IPv4 address: " + localAddress);
        }
        final InetAddress address = localAddress.toInetAddress();
        return new RawIpv4Transmitter((Inet4Address)address);
    }

    public Inet4Address localAddress()
    {
        return localAddress;
    }

    /**
     * @param buffer native memory holding the packet
     * @param offset offset of the outer IPv4 header
     * @param length IPv4 header to the end of the inner frame
     * @return false when the range is not a native buffer range long enough for IPv4 and UDP
     *     headers, when closed, or when the kernel refused the packet (EMSGSIZE: longer than the
     *     MTU; EAGAIN or ENOBUFS: the send buffer is full, as the call never blocks; no route)
     */
    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        return RawUdpSends.send(socket, buffer, offset, length, IPV4_HEADER_LENGTH, 0, SOCKADDR_IN_LENGTH,
            RawIpv4Transmitter::putDestination);
    }

    /** The whole batch in {@code sendmmsg} calls (usually one), each to its destination as for {@code sendto}. */
    @Override
    public void send(final TransmitBatch batch)
    {
        RawUdpSends.send(socket, batch, 0, SOCKADDR_IN_LENGTH, RawIpv4Transmitter::putDestination);
    }

    /**
     * The {@code sockaddr_in} the kernel routes by: the packet's destination, copied byte for byte
     * (native order in, native order out), so it stays in network order.
     */
    private static void putDestination(final UnsafeBuffer target, final int offset, final DirectBuffer packet,
        final int packetOffset)
    {
        target.putShort(offset + (int)SIN_FAMILY, (short)AF_INET);
        target.putShort(offset + (int)SIN_PORT, (short)0);
        target.putInt(offset + (int)SIN_ADDR, packet.getInt(packetOffset + DESTINATION_OFFSET));
        target.putLong(offset + 8, 0L); // sin_zero
    }

    @Override
    public void close()
    {
        socket.close();
    }

    @Override
    public String toString()
    {
        return "RawIpv4Transmitter[" + localAddress.getHostAddress() + (socket.isClosed() ? ", closed]" : "]");
    }

    private IOException failure(final ErrnoException ex)
    {
        return RawUdpSends.failure(localAddress.getHostAddress(), ex,
            "the address is not assigned to any interface (in this network namespace)");
    }
}
