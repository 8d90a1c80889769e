package io.vtep.core.underlay;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.List;

import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vtep.core.nativeio.ErrnoException;
import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.LinuxConstants;
import io.vtep.core.pipeline.OverlayPipeline;
import io.vtep.encap.VtepAddress;

/**
 * Receives VXLAN packets from the underlay on a Netty epoll UDP socket bound to the VXLAN port.
 *
 * <p>The kernel UDP socket does the IP and UDP work (reassembly never happens: VXLAN is sent with
 * DF; checksum validation; demultiplexing by port), and hands over the UDP payload, which is the
 * VXLAN header and the inner frame. With multicast VNIs the socket binds the wildcard address so
 * that datagrams to the groups arrive too, and joins each group on the interface that holds the
 * local address.
 *
 * <p>The port is bound exclusively: an appliance started twice on one host (or next to a kernel VXLAN
 * device on 4789) refuses to start instead of sharing the port with the other.
 *
 * <p>Allocation: Netty wraps each datagram in a {@link DatagramPacket} and an {@link InetSocketAddress}
 * (pooled buffers, but the envelope objects are new); the VXLAN processing itself allocates nothing.
 */
public final class UnderlayReceiver implements AutoCloseable
{
    /** The largest VXLAN payload accepted: a jumbo inner frame (9216) and the VXLAN header, rounded up. */
    private static final int MAX_DATAGRAM = 65_600;
    private static final int RECEIVE_BUFFER_BYTES = 8 << 20;

    private final EventLoopGroup group;
    private final Channel channel;

    private UnderlayReceiver(final EventLoopGroup group, final Channel channel)
    {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds the underlay socket in the calling thread's network namespace and starts receiving.
     *
     * @param multicastGroups groups to join (empty when no VNI floods by multicast)
     */
    public static UnderlayReceiver open(final VtepAddress localAddress, final int udpPort,
        final List<VtepAddress> multicastGroups, final OverlayPipeline pipeline) throws IOException
    {
        final boolean ipv6 = localAddress.isIpv6();
        final InetAddress local = localAddress.toInetAddress();
        final NetworkInterface underlayInterface = multicastGroups.isEmpty() ? null : NetworkInterface.getByInetAddress(local);
        if (!multicastGroups.isEmpty() && underlayInterface == null)
        {
            throw new IOException("cannot find the interface of vtep.local-ip " + localAddress + " to join multicast groups on");
        }
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("vtep-underlay-rx", true), EpollIoHandler.newFactory());
        try
        {
            final Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channelFactory(() -> new EpollDatagramChannel(ipv6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET))
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
                // No SO_REUSEADDR (nor SO_REUSEPORT): a second instance bound to the same port must fail
                // to start, not silently share the port and receive about half of the VXLAN packets.
                // With a payload size set and room for several datagrams, Netty reads with recvmmsg.
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * 8))
                .handler(new DatagramHandler(pipeline, ipv6));
            final InetSocketAddress bindAddress = multicastGroups.isEmpty() ?
                new InetSocketAddress(local, udpPort) :
                new InetSocketAddress(ipv6 ? InetAddress.getByName("::") : InetAddress.getByName("0.0.0.0"), udpPort);
            final Channel channel = bootstrap.bind(bindAddress).syncUninterruptibly().channel();
            forceReceiveBuffer((EpollDatagramChannel)channel);
            for (final VtepAddress groupAddress : multicastGroups)
            {
                ((EpollDatagramChannel)channel).joinGroup(
                    new InetSocketAddress(groupAddress.toInetAddress(), udpPort), underlayInterface).syncUninterruptibly();
            }
            return new UnderlayReceiver(group, channel);
        }
        catch (final RuntimeException | IOException ex)
        {
            // Netty reports a failed bind (EADDRINUSE) as a native IOException thrown from sync
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            throw new IOException("cannot bind the underlay UDP socket to " + localAddress + " port " + udpPort + ": " +
                ex.getMessage() + (String.valueOf(ex.getMessage()).contains("in use") ?
                " (another vtep instance or a kernel VXLAN device holds the port)" : ""), ex);
        }
    }

    /**
     * SO_RCVBUF is capped by {@code net.core.rmem_max} (about 200 KiB by default), which a burst of
     * small VXLAN packets fills while the receive thread is busy; SO_RCVBUFFORCE lifts the cap when
     * the process has CAP_NET_ADMIN. Without it, the capped buffer is used.
     */
    private static void forceReceiveBuffer(final EpollDatagramChannel channel)
    {
        try
        {
            Libc.setsockoptInt(channel.fd().intValue(), LinuxConstants.SOL_SOCKET, LinuxConstants.SO_RCVBUFFORCE,
                RECEIVE_BUFFER_BYTES, "SO_RCVBUFFORCE on the underlay socket");
        }
        catch (final ErrnoException ex)
        {
            System.getLogger(UnderlayReceiver.class.getName()).log(System.Logger.Level.INFO,
                "underlay receive buffer left at the net.core.rmem_max cap (no CAP_NET_ADMIN): {0}", ex.getMessage());
        }
    }

    @Override
    public void close()
    {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Hands each datagram's payload to the overlay pipeline on the event-loop thread (run to completion). */
    private static final class DatagramHandler extends ChannelInboundHandlerAdapter
    {
        private final OverlayPipeline pipeline;
        private final NanoClock clock;
        private final boolean ipv6;
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        private final UnsafeBuffer heapCopy = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(MAX_DATAGRAM + 64));

        DatagramHandler(final OverlayPipeline pipeline, final boolean ipv6)
        {
            this.pipeline = pipeline;
            this.clock = pipeline.clock();
            this.ipv6 = ipv6;
        }

        @Override
        public boolean isSharable()
        {
            return false;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final DatagramPacket packet = (DatagramPacket)msg;
            try
            {
                final ByteBuf content = packet.content();
                final int length = content.readableBytes();
                final UnsafeBuffer buffer;
                if (content.hasMemoryAddress())
                {
                    view.wrap(content.memoryAddress() + content.readerIndex(), length);
                    buffer = view;
                }
                else
                {
                    // Not expected with epoll (direct buffers), but never fail: copy to native memory.
                    content.getBytes(content.readerIndex(), heapCopy.byteBuffer().clear().limit(Math.min(length, heapCopy.capacity())));
                    buffer = heapCopy;
                }
                final InetAddress sender = packet.sender().getAddress();
                final long now = clock.nanoTime(); // the FDB's clock: learned entries age by it
                if (!ipv6 && sender instanceof Inet4Address)
                {
                    // Inet4Address.hashCode() is the address itself, read without copying it into an array.
                    pipeline.onIpv4Datagram(buffer, 0, Math.min(length, buffer.capacity()), sender.hashCode(), now);
                }
                else if (ipv6 && sender instanceof Inet6Address)
                {
                    final byte[] bytes = sender.getAddress();
                    pipeline.onIpv6Datagram(buffer, 0, Math.min(length, buffer.capacity()), bigEndianLong(bytes, 0),
                        bigEndianLong(bytes, 8), now);
                }
            }
            finally
            {
                packet.release();
            }
        }

        private static long bigEndianLong(final byte[] bytes, final int offset)
        {
            long value = 0;
            for (int i = 0; i < 8; i++)
            {
                value = (value << 8) | (bytes[offset + i] & 0xFF);
            }
            return value;
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            System.getLogger(UnderlayReceiver.class.getName()).log(System.Logger.Level.WARNING, "underlay receive error", cause);
        }
    }
}
