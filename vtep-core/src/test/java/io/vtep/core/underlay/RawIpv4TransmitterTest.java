package io.vtep.core.underlay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.management.ThreadMXBean;

import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.LinuxConstants;
import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.core.nativeio.TestNamespaces;
import io.vtep.core.nativeio.ThreadCapabilities;
import io.vtep.core.port.AfPacketPort;

/**
 * RawIpv4Transmitter from the VTEP's namespace (va, 10.99.0.1) to the peer's (vb, 10.99.0.2) over an
 * {@link UnderlayLink}, where a plain UDP socket on 4789 (or a packet socket) receives what it sent.
 */
class RawIpv4TransmitterTest
{
    static final int VXLAN_PORT = 4789;
    static final int SOURCE_PORT = 50123;

    private static final byte[] LOCAL = {10, 99, 0, 1};
    private static final byte[] PEER = {10, 99, 0, 2};

    private UnderlayLink link;
    private RawIpv4Transmitter transmitter;

    @BeforeEach
    void setUp() throws Exception
    {
        link = UnderlayLink.ipv4();
        transmitter = NetworkNamespace.call(link.vtepNamespace, () -> new RawIpv4Transmitter((Inet4Address)InetAddress.getByAddress(LOCAL)));
    }

    @AfterEach
    void tearDown() throws Exception
    {
        link.close(transmitter);
    }

    @Test
    void aVxlanPacketArrivesAtAUdpSocketWithItsOwnSourcePort() throws Exception
    {
        try (DatagramSocket receiver = NetworkNamespace.call(link.peerNamespace, () -> new DatagramSocket(VXLAN_PORT)))
        {
            receiver.setSoTimeout(5_000);
            final byte[] packet = vxlanIpv4Packet(LOCAL, PEER, SOURCE_PORT, 100, innerFrame(1), 64, true);
            assertTrue(transmitter.send(nativeCopy(packet), 0, packet.length));

            final DatagramPacket datagram = new DatagramPacket(new byte[2048], 2048);
            receiver.receive(datagram);
            assertEquals(SOURCE_PORT, datagram.getPort());
            assertEquals(InetAddress.getByAddress(LOCAL), datagram.getAddress());
            assertArrayEquals(Arrays.copyOfRange(packet, 28, packet.length),
                Arrays.copyOfRange(datagram.getData(), 0, datagram.getLength()), "VXLAN header and inner frame");
        }
    }

    @Test
    void thePacketLeavesAsWritten() throws Exception
    {
        try (AfPacketPort capture = link.capture())
        {
            final byte[] packet = vxlanIpv4Packet(LOCAL, PEER, SOURCE_PORT, 100, innerFrame(2), 17, true);
            // at an offset in a bigger buffer, as the pipeline writes it into a batch slot's headroom
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(packet.length + 200));
            buffer.putBytes(100, packet);
            assertTrue(transmitter.send(buffer, 100, packet.length));

            assertArrayEquals(packet, link.capturedUdp(capture), "IPv4 + UDP + VXLAN + inner frame, byte for byte");
        }
    }

    @Test
    void aFullSendBufferFailsTheSendInsteadOfBlockingTheWorker() throws Exception
    {
        link.stallVtepQueue();
        final byte[] packet = vxlanIpv4Packet(LOCAL, PEER, SOURCE_PORT, 100, new byte[1350], 64, true);
        final int refused = UnderlayLink.refusedSends(transmitter, nativeCopy(packet), packet.length, 1000);
        assertTrue(refused > 0, "EAGAIN/ENOBUFS reported as a failed send, for the pipeline to count as tx_error");
        assertTrue(refused < 1000, "the packets that fit were taken");
    }

    @Test
    void packetsLongerThanTheMtuAreRefusedNotFragmented() throws Exception
    {
        final byte[] big = vxlanIpv4Packet(LOCAL, PEER, SOURCE_PORT, 100, new byte[1500], 64, true);
        assertFalse(transmitter.send(nativeCopy(big), 0, big.length), "1536 bytes over a 1500-byte MTU: EMSGSIZE");
        final byte[] fits = vxlanIpv4Packet(LOCAL, PEER, SOURCE_PORT, 100, new byte[1500 - 50], 64, true);
        assertTrue(transmitter.send(nativeCopy(fits), 0, fits.length));
    }

    /**
     * A batch goes out in sendmmsg calls: every packet arrives with its own source port, and a packet
     * the kernel refuses (longer than the MTU) is marked unsent while the ones after it still go.
     */
    @Test
    void aBatchIsSentInOneGoAndARefusedPacketDoesNotStopTheRest() throws Exception
    {
        try (DatagramSocket receiver = NetworkNamespace.call(link.peerNamespace, () -> new DatagramSocket(VXLAN_PORT)))
        {
            receiver.setSoTimeout(5_000);
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 2048));
            final TransmitBatch batch = new TransmitBatch();
            for (int i = 0; i < 5; i++)
            {
                final byte[] packet = i == 2 ?
                    vxlanIpv4Packet(LOCAL, PEER, SOURCE_PORT + i, 100, new byte[1500], 64, true) :
                    vxlanIpv4Packet(LOCAL, PEER, SOURCE_PORT + i, 100, innerFrame(10 + i), 64, true);
                buffer.putBytes(i * 2048, packet);
                batch.add(buffer.addressOffset() + i * 2048, packet.length);
            }
            transmitter.send(batch);

            for (int i = 0; i < 5; i++)
            {
                assertEquals(i != 2, batch.sent(i), "packet " + i + (i == 2 ? ", over the MTU," : "") + " sent");
            }
            assertEquals(java.util.Set.of(SOURCE_PORT, SOURCE_PORT + 1, SOURCE_PORT + 3, SOURCE_PORT + 4),
                UnderlayLink.sourcePorts(receiver, 4));
        }
    }

    @Test
    void multicastLeavesThroughTheLocalAddressInterface() throws Exception
    {
        final InetAddress group = InetAddress.getByName("239.1.1.100");
        try (DatagramChannel receiver = NetworkNamespace.call(link.peerNamespace, () ->
        {
            final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(VXLAN_PORT));
            channel.join(group, NetworkInterface.getByName("vb"));
            return channel;
        }))
        {
            final byte[] packet = vxlanIpv4Packet(LOCAL, group.getAddress(), SOURCE_PORT, 100, innerFrame(3), 1, true);
            assertTrue(transmitter.send(nativeCopy(packet), 0, packet.length));

            final ByteBuffer datagram = ByteBuffer.allocate(2048);
            final InetSocketAddress sender = receiveWithin(receiver, datagram, 5_000);
            assertEquals(new InetSocketAddress(InetAddress.getByAddress(LOCAL), SOURCE_PORT), sender);
            assertEquals(packet.length - 28, datagram.flip().remaining());
        }
    }

    @Test
    void aLocalAddressThatIsNotLocalIsAClearError()
    {
        final IOException error = assertThrows(IOException.class, () -> NetworkNamespace.call(link.vtepNamespace,
            () -> new RawIpv4Transmitter((Inet4Address)InetAddress.getByName("10.99.0.77"))));
        assertTrue(error.getMessage().contains("not assigned to any interface"), error.getMessage());
    }

    @Test
    void withoutCapNetRawTheErrorSaysSo()
    {
        final IOException error = assertThrows(IOException.class, () -> NetworkNamespace.call(link.vtepNamespace, () ->
        {
            ThreadCapabilities.dropEffective(ThreadCapabilities.CAP_NET_RAW);
            return new RawIpv4Transmitter((Inet4Address)InetAddress.getByAddress(LOCAL));
        }));
        assertEquals("underlay transmitter 10.99.0.1: socket(AF_INET, SOCK_RAW, IPPROTO_RAW): " +
            "Operation not permitted (EPERM); raw sockets need CAP_NET_RAW", error.getMessage());
    }

    @Test
    void badArgumentsAndAClosedTransmitterReturnFalse() throws Exception
    {
        final byte[] packet = vxlanIpv4Packet(LOCAL, PEER, SOURCE_PORT, 100, innerFrame(4), 64, true);
        assertFalse(transmitter.send(new UnsafeBuffer(packet), 0, packet.length), "heap buffers are refused");
        assertFalse(transmitter.send(nativeCopy(packet), 0, 27), "shorter than IPv4 + UDP headers");
        assertFalse(transmitter.send(nativeCopy(packet), 1, packet.length), "beyond the buffer");
        transmitter.close();
        assertFalse(transmitter.send(nativeCopy(packet), 0, packet.length));
    }

    /**
     * The transmitter's socket is of protocol IPPROTO_RAW, which the kernel hands no received
     * packet: a raw UDP socket, the control, is handed (cloned) a copy of every UDP packet that
     * arrives, and a filterless IPPROTO_RAW socket, the second control, none.
     */
    @Test
    void udpPacketsTheHostReceivesAreNotHandedToTheTransmittersSocket() throws Exception
    {
        final int udpControl = NetworkNamespace.call(link.vtepNamespace, () -> Libc.socket(
            LinuxConstants.AF_INET, LinuxConstants.SOCK_RAW | LinuxConstants.SOCK_CLOEXEC, LinuxConstants.IPPROTO_UDP, "control"));
        final int rawControl = NetworkNamespace.call(link.vtepNamespace, () -> Libc.socket(
            LinuxConstants.AF_INET, LinuxConstants.SOCK_RAW | LinuxConstants.SOCK_CLOEXEC, LinuxConstants.IPPROTO_RAW, "raw control"));
        try
        {
            try (DatagramSocket sender = NetworkNamespace.call(link.peerNamespace, () -> new DatagramSocket()))
            {
                for (int i = 0; i < 20; i++)
                {
                    sender.send(new DatagramPacket(new byte[100], 100, new InetSocketAddress(InetAddress.getByAddress(LOCAL), VXLAN_PORT)));
                }
            }
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (rawReceiveQueue(link.vtepNamespace, "00000000:0011") == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertTrue(rawReceiveQueue(link.vtepNamespace, "00000000:0011") > 0, "the raw UDP control socket queued the packets");
            assertEquals(0, rawReceiveQueue(link.vtepNamespace, "00000000:00FF"), "the IPPROTO_RAW control socket was handed none");
            assertEquals(0, rawReceiveQueue(link.vtepNamespace, "0100630A:00FF"),
                "the transmitter's socket (IPPROTO_RAW, bound to 10.99.0.1) queued nothing");
        }
        finally
        {
            Libc.close(udpControl);
            Libc.close(rawControl);
        }
    }

    /** rx_queue of the raw socket whose local_address column is {@code localColumn}, from /proc/net/raw. */
    private static long rawReceiveQueue(final String namespace, final String localColumn) throws IOException
    {
        for (final String line : TestNamespaces.exec(namespace, "cat", "/proc/net/raw").split("\n"))
        {
            final String[] fields = line.trim().split("\\s+");
            // local_address is the __be32 printed as a host-order %08X (little-endian here), ":" protocol
            if (fields.length > 4 && fields[1].equals(localColumn))
            {
                return Long.parseLong(fields[4].split(":")[1], 16);
            }
        }
        throw new AssertionError("no raw socket " + localColumn + " in /proc/net/raw");
    }

    /**
     * Sending allocates nothing once warm (the per-thread sockaddr is reused). Tolerance as in
     * AfPacketPortAllocationTest: a few KiB for the whole run, against 160 KB for one object per packet.
     */
    @Test
    void steadyStateSendsAllocateNothing()
    {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        final byte[] packet = vxlanIpv4Packet(LOCAL, PEER, SOURCE_PORT, 100, innerFrame(5), 64, true);
        final UnsafeBuffer buffer = nativeCopy(packet);
        int failures = 0;
        for (int i = 0; i < 50_000; i++)
        {
            failures += transmitter.send(buffer, 0, packet.length) ? 0 : 1;
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++)
        {
            failures += transmitter.send(buffer, 0, packet.length) ? 0 : 1;
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("RawIpv4Transmitter: %d bytes allocated for 10000 packets sent (%d refused)%n", allocated, failures);
        assertTrue(allocated <= 4_096, allocated + " bytes allocated for 10,000 sends");
    }

    // ---- packets built by hand ---------------------------------------------------------------------

    /** A 60-byte inner Ethernet frame. */
    static byte[] innerFrame(final int sequence)
    {
        final byte[] frame = new byte[60];
        final ByteBuffer b = ByteBuffer.wrap(frame);
        b.put(new byte[] {0x02, 0, 0, 0, 0, 0x02}).put(new byte[] {0x02, 0, 0, 0, 0, 0x01});
        b.putShort((short)0x88B5).putInt(sequence);
        return frame;
    }

    /**
     * Outer IPv4 (20) + UDP (8) + VXLAN (8) + inner frame, every checksum computed: what the
     * pipeline hands the transmitter.
     */
    static byte[] vxlanIpv4Packet(
        final byte[] source, final byte[] destination, final int sourcePort, final int vni,
        final byte[] inner, final int ttl, final boolean dontFragment)
    {
        final int udpLength = 8 + 8 + inner.length;
        final byte[] packet = new byte[20 + udpLength];
        final ByteBuffer b = ByteBuffer.wrap(packet);
        b.put((byte)0x45)                          // version 4, IHL 5
            .put((byte)0)                          // DSCP/ECN
            .putShort((short)packet.length)        // total length
            .putShort((short)0x1234)               // identification
            .putShort((short)(dontFragment ? 0x4000 : 0)) // flags: DF, fragment offset 0
            .put((byte)ttl)
            .put((byte)17)                         // protocol UDP
            .putShort((short)0)                    // header checksum, below
            .put(source)
            .put(destination);
        b.putShort(10, (short)checksum(packet, 0, 20, 0));
        b.putShort((short)sourcePort)              // UDP source port: the flow's entropy
            .putShort((short)VXLAN_PORT)
            .putShort((short)udpLength)
            .putShort((short)0);                   // UDP checksum, below
        b.put((byte)0x08).put(new byte[3])          // VXLAN flags: I (VNI valid), reserved
            .putInt(vni << 8);                      // VNI, reserved byte
        b.put(inner);
        final long pseudoHeader = sum(source) + sum(destination) + 17 + udpLength;
        final int udpChecksum = checksum(packet, 20, udpLength, pseudoHeader);
        b.putShort(26, (short)(udpChecksum == 0 ? 0xFFFF : udpChecksum));
        return packet;
    }

    /** RFC 1071 Internet checksum of {@code length} bytes plus an already summed pseudo-header. */
    static int checksum(final byte[] bytes, final int offset, final int length, final long initialSum)
    {
        long sum = initialSum;
        for (int i = 0; i < length; i += 2)
        {
            final int high = bytes[offset + i] & 0xFF;
            final int low = i + 1 < length ? bytes[offset + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
        }
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int)(~sum & 0xFFFF);
    }

    static long sum(final byte[] bytes)
    {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2)
        {
            sum += ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF);
        }
        return sum;
    }

    static UnsafeBuffer nativeCopy(final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
        buffer.putBytes(0, bytes);
        return buffer;
    }

    private static InetSocketAddress receiveWithin(final DatagramChannel channel, final ByteBuffer into, final long millis)
        throws IOException, InterruptedException
    {
        channel.configureBlocking(false);
        final long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline)
        {
            final InetSocketAddress sender = (InetSocketAddress)channel.receive(into);
            if (sender != null)
            {
                return sender;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("nothing received within " + millis + " ms");
    }
}
