package io.vtep.core.underlay;

import static io.vtep.core.underlay.RawIpv4TransmitterTest.SOURCE_PORT;
import static io.vtep.core.underlay.RawIpv4TransmitterTest.VXLAN_PORT;
import static io.vtep.core.underlay.RawIpv4TransmitterTest.checksum;
import static io.vtep.core.underlay.RawIpv4TransmitterTest.innerFrame;
import static io.vtep.core.underlay.RawIpv4TransmitterTest.nativeCopy;
import static io.vtep.core.underlay.RawIpv4TransmitterTest.sum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.LinuxConstants;
import io.vtep.core.nativeio.LinuxStructs;
import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.core.nativeio.TestNamespaces;
import io.vtep.core.port.AfPacketPort;

/**
 * RawIpv6Transmitter from the VTEP's namespace (va, fd00:99::1) to the peer's (vb, fd00:99::2) over an
 * {@link UnderlayLink}. IPv6 stays on in these namespaces (it is what is tested).
 */
class RawIpv6TransmitterTest
{
    private static final int HOP_LIMIT = 9;

    private UnderlayLink link;
    private Inet6Address local;
    private Inet6Address peer;
    private RawIpv6Transmitter transmitter;

    @BeforeEach
    void setUp() throws Exception
    {
        link = UnderlayLink.ipv6();
        local = (Inet6Address)InetAddress.getByName("fd00:99::1");
        peer = (Inet6Address)InetAddress.getByName("fd00:99::2");
        transmitter = NetworkNamespace.call(link.vtepNamespace, () -> new RawIpv6Transmitter(local, HOP_LIMIT));
    }

    @AfterEach
    void tearDown() throws Exception
    {
        link.close(transmitter);
    }

    @Test
    void theCallersChecksumVerifiesAtTheReceiverAndItsSourcePortIsKept() throws Exception
    {
        try (DatagramSocket receiver = NetworkNamespace.call(link.peerNamespace, () -> new DatagramSocket(new InetSocketAddress("::", VXLAN_PORT))))
        {
            // First a packet with a wrong checksum: if the kernel recomputed checksums it would
            // arrive, and the receiver would see port 50124 first.
            final byte[] corrupt = vxlanIpv6Packet(local, peer, SOURCE_PORT + 1, 100, innerFrame(1));
            corrupt[46] ^= 0x5A;
            assertTrue(transmitter.send(nativeCopy(corrupt), 0, corrupt.length));

            final byte[] packet = vxlanIpv6Packet(local, peer, SOURCE_PORT, 100, innerFrame(2));
            assertTrue(transmitter.send(nativeCopy(packet), 0, packet.length));

            receiver.setSoTimeout(5_000);
            final DatagramPacket datagram = new DatagramPacket(new byte[2048], 2048);
            receiver.receive(datagram);
            assertEquals(SOURCE_PORT, datagram.getPort());
            assertEquals(local, datagram.getAddress());
            assertArrayEquals(Arrays.copyOfRange(packet, 48, packet.length),
                Arrays.copyOfRange(datagram.getData(), 0, datagram.getLength()), "VXLAN header and inner frame");

            receiver.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> receiver.receive(datagram),
                "the packet with the wrong checksum must have been dropped by the receiving kernel");
        }
    }

    /** A batch goes out in sendmmsg calls, each packet from its UDP header, to its own destination address. */
    @Test
    void aBatchArrivesWithEachSourcePort() throws Exception
    {
        try (DatagramSocket receiver = NetworkNamespace.call(link.peerNamespace, () -> new DatagramSocket(new InetSocketAddress("::", VXLAN_PORT))))
        {
            receiver.setSoTimeout(5_000);
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 2048));
            final TransmitBatch batch = new TransmitBatch();
            for (int i = 0; i < 4; i++)
            {
                final byte[] packet = vxlanIpv6Packet(local, peer, SOURCE_PORT + i, 100, innerFrame(20 + i));
                buffer.putBytes(i * 2048, packet);
                batch.add(buffer.addressOffset() + i * 2048, packet.length);
            }
            transmitter.send(batch);
            for (int i = 0; i < 4; i++)
            {
                assertTrue(batch.sent(i), "packet " + i + " sent");
            }
            assertEquals(java.util.Set.of(SOURCE_PORT, SOURCE_PORT + 1, SOURCE_PORT + 2, SOURCE_PORT + 3),
                UnderlayLink.sourcePorts(receiver, 4));
        }
    }

    @Test
    void theUdpPartLeavesAsWrittenUnderTheKernelsIpv6Header() throws Exception
    {
        try (AfPacketPort capture = link.capture())
        {
            final byte[] packet = vxlanIpv6Packet(local, peer, SOURCE_PORT, 100, innerFrame(3));
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(packet.length + 200));
            buffer.putBytes(100, packet);
            assertTrue(transmitter.send(buffer, 100, packet.length));

            final byte[] captured = link.capturedUdp(capture);
            assertEquals(packet.length, captured.length);
            assertEquals(6, (captured[0] & 0xFF) >> 4, "version");
            assertArrayEquals(Arrays.copyOfRange(packet, 4, 7), Arrays.copyOfRange(captured, 4, 7), "payload length, next header");
            assertEquals(HOP_LIMIT, captured[7] & 0xFF, "hop limit from the constructor");
            assertArrayEquals(Arrays.copyOfRange(packet, 8, 40), Arrays.copyOfRange(captured, 8, 40), "source, destination");
            assertArrayEquals(Arrays.copyOfRange(packet, 40, packet.length), Arrays.copyOfRange(captured, 40, captured.length),
                "UDP header (source port, checksum), VXLAN header and inner frame, byte for byte");
        }
    }

    @Test
    void multicastLeavesThroughTheLocalAddressInterfaceWithHopLimitOne() throws Exception
    {
        final Inet6Address group = (Inet6Address)InetAddress.getByName("ff15::4789");
        try (AfPacketPort capture = link.capture())
        {
            final byte[] packet = vxlanIpv6Packet(local, group, SOURCE_PORT, 100, innerFrame(4));
            assertTrue(transmitter.send(nativeCopy(packet), 0, packet.length));
            final byte[] captured = link.capturedUdp(capture);
            assertEquals(1, captured[7] & 0xFF, "multicast hop limit: 1 unless configured, not the unicast " + HOP_LIMIT);
            assertArrayEquals(group.getAddress(), Arrays.copyOfRange(captured, 24, 40));
            assertArrayEquals(Arrays.copyOfRange(packet, 40, packet.length), Arrays.copyOfRange(captured, 40, captured.length));
        }
    }

    @Test
    void aConfiguredMulticastHopLimitIsUsed() throws Exception
    {
        final Inet6Address group = (Inet6Address)InetAddress.getByName("ff15::4789");
        try (RawIpv6Transmitter scoped = NetworkNamespace.call(link.vtepNamespace, () -> new RawIpv6Transmitter(local, HOP_LIMIT, 5));
             AfPacketPort capture = link.capture())
        {
            final byte[] packet = vxlanIpv6Packet(local, group, SOURCE_PORT, 100, innerFrame(5));
            assertTrue(scoped.send(nativeCopy(packet), 0, packet.length));
            assertEquals(5, link.capturedUdp(capture)[7] & 0xFF);
        }
        assertThrows(IllegalArgumentException.class, () -> new RawIpv6Transmitter(local, HOP_LIMIT, 0));
    }

    @Test
    void aFullSendBufferFailsTheSendInsteadOfBlockingTheWorker() throws Exception
    {
        link.stallVtepQueue();
        final byte[] packet = vxlanIpv6Packet(local, peer, SOURCE_PORT, 100, new byte[1350]);
        final int refused = UnderlayLink.refusedSends(transmitter, nativeCopy(packet), packet.length, 1000);
        assertTrue(refused > 0, "EAGAIN/ENOBUFS reported as a failed send, for the pipeline to count as tx_error");
        assertTrue(refused < 1000, "the packets that fit were taken");
    }

    @Test
    void packetsLongerThanTheMtuAreRefusedNotFragmented()
    {
        final byte[] big = vxlanIpv6Packet(local, peer, SOURCE_PORT, 100, new byte[1500]);
        assertFalse(transmitter.send(nativeCopy(big), 0, big.length), "1556 bytes over a 1500-byte MTU: EMSGSIZE");
        final byte[] fits = vxlanIpv6Packet(local, peer, SOURCE_PORT, 100, new byte[1500 - 56]);
        assertTrue(transmitter.send(nativeCopy(fits), 0, fits.length));
    }

    @Test
    void badArgumentsAndAClearErrorForAnAddressThatIsNotLocal()
    {
        final byte[] packet = vxlanIpv6Packet(local, peer, SOURCE_PORT, 100, innerFrame(5));
        assertFalse(transmitter.send(new UnsafeBuffer(packet), 0, packet.length), "heap buffers are refused");
        assertFalse(transmitter.send(nativeCopy(packet), 0, 47), "shorter than IPv6 + UDP headers");
        assertThrows(IllegalArgumentException.class, () -> new RawIpv6Transmitter(local, 0));

        final IOException error = assertThrows(IOException.class, () -> NetworkNamespace.call(link.vtepNamespace,
            () -> new RawIpv6Transmitter((Inet6Address)InetAddress.getByName("fd00:99::77"), 64)));
        assertTrue(error.getMessage().contains("not assigned to any interface"), error.getMessage());
    }

    /**
     * The kernel clones every received UDP packet for each raw UDP socket that matches it: the
     * transmitter's socket is connected to its own address so that none does. Its row in
     * /proc/net/raw6 shows that; two filterless control sockets show what it buys: one as opened,
     * which is handed the packets, and one bound and connected as the transmitter's, which is not.
     */
    @Test
    void receivedUdpPacketsAreNotClonedForTheTransmittersSocket() throws Exception
    {
        // local_address:protocol, remote_address:0 (a raw socket has no remote port)
        final String self = procNetAddress(local) + ":0011";
        final String peerOfSelf = procNetAddress(local) + ":0000";
        final List<String[]> sockets = rawSockets();
        assertTrue(sockets.stream().anyMatch(row -> row[1].equals(self) && row[2].equals(peerOfSelf)),
            () -> "the transmitter's socket, bound and connected to its own address: " + String.join(" | ",
                sockets.stream().map(row -> String.join(" ", row)).toList()));

        final int unconnected = NetworkNamespace.call(link.vtepNamespace, () -> Libc.socket(LinuxConstants.AF_INET6,
            LinuxConstants.SOCK_RAW | LinuxConstants.SOCK_CLOEXEC, LinuxConstants.IPPROTO_UDP, "control"));
        final int connected = NetworkNamespace.call(link.vtepNamespace, () -> Libc.socket(LinuxConstants.AF_INET6,
            LinuxConstants.SOCK_RAW | LinuxConstants.SOCK_CLOEXEC, LinuxConstants.IPPROTO_UDP, "connected control"));
        try
        {
            NetworkNamespace.call(link.vtepNamespace, () ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    final MemorySegment address = arena.allocate(LinuxStructs.SOCKADDR_IN6);
                    address.set(ValueLayout.JAVA_SHORT, LinuxStructs.SIN6_FAMILY, (short)LinuxConstants.AF_INET6);
                    address.asSlice(LinuxStructs.SIN6_ADDR, 16).copyFrom(MemorySegment.ofArray(local.getAddress()));
                    Libc.bind(connected, address, "bind");
                    Libc.connect(connected, address, "connect");
                }
                return null;
            });
            try (DatagramSocket sender = NetworkNamespace.call(link.peerNamespace, () -> new DatagramSocket()))
            {
                for (int i = 0; i < 20; i++)
                {
                    sender.send(new DatagramPacket(new byte[100], 100, new InetSocketAddress(local, VXLAN_PORT)));
                }
            }
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (receiveQueue(unconnected) == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertTrue(receiveQueue(unconnected) > 0, "the unconnected control socket was handed the packets");
            assertEquals(0, receiveQueue(connected), "the control connected to its own address was handed none");
        }
        finally
        {
            Libc.close(unconnected);
            Libc.close(connected);
        }
    }

    /** An address as /proc/net/raw6 prints it: four 32-bit words, each in host (little-endian) order. */
    private static String procNetAddress(final Inet6Address address)
    {
        final byte[] b = address.getAddress();
        final StringBuilder text = new StringBuilder();
        for (int word = 0; word < 4; word++)
        {
            for (int i = 3; i >= 0; i--)
            {
                text.append(String.format("%02X", b[word * 4 + i] & 0xFF));
            }
        }
        return text.toString();
    }

    /** The rows of the VTEP namespace's /proc/net/raw6, split into fields (header row left out). */
    private List<String[]> rawSockets() throws IOException
    {
        return Arrays.stream(TestNamespaces.exec(link.vtepNamespace, "cat", "/proc/net/raw6").split("\n"))
            .skip(1).map(line -> line.trim().split("\\s+")).toList();
    }

    /** rx_queue of the socket behind {@code fd}, found by its inode in /proc/net/raw6. */
    private long receiveQueue(final int fd) throws IOException
    {
        final String socket = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString(); // socket:[INODE]
        final String inode = socket.substring(socket.indexOf('[') + 1, socket.indexOf(']'));
        for (final String[] row : rawSockets())
        {
            if (row.length > 9 && row[9].equals(inode))
            {
                return Long.parseLong(row[4].split(":")[1], 16);
            }
        }
        throw new AssertionError("no raw6 socket with inode " + inode);
    }

    /** Outer IPv6 (40) + UDP (8) + VXLAN (8) + inner frame, UDP checksum computed (RFC 8200 §8.1). */
    static byte[] vxlanIpv6Packet(
        final Inet6Address source, final Inet6Address destination, final int sourcePort, final int vni, final byte[] inner)
    {
        final int udpLength = 8 + 8 + inner.length;
        final byte[] packet = new byte[40 + udpLength];
        final ByteBuffer b = ByteBuffer.wrap(packet);
        b.putInt(0x6000_0000)                       // version 6, traffic class 0, flow label 0
            .putShort((short)udpLength)             // payload length
            .put((byte)17)                          // next header UDP
            .put((byte)64)                          // hop limit (the transmitter's own is used)
            .put(source.getAddress())
            .put(destination.getAddress());
        b.putShort((short)sourcePort)
            .putShort((short)VXLAN_PORT)
            .putShort((short)udpLength)
            .putShort((short)0);                    // checksum, below
        b.put((byte)0x08).put(new byte[3]).putInt(vni << 8);
        b.put(inner);
        final long pseudoHeader = sum(source.getAddress()) + sum(destination.getAddress()) + udpLength + 17;
        final int udpChecksum = checksum(packet, 40, udpLength, pseudoHeader);
        b.putShort(46, (short)(udpChecksum == 0 ? 0xFFFF : udpChecksum));
        return packet;
    }
}
