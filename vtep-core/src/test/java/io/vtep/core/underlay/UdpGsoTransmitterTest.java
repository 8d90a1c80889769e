package io.vtep.core.underlay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.core.nativeio.TestNamespaces;
import io.vtep.encap.VtepAddress;

/**
 * UdpGsoTransmitter from namespace ns1 (va) to ns2 (vb) over veth, where a plain UDP socket on 4789
 * receives the datagrams the kernel cut the GSO datagram into: one per segment, each from the
 * flow's source port.
 */
class UdpGsoTransmitterTest
{
    private static final int VXLAN_PORT = 4789;
    private static final int SOURCE_PORT = 50_321;

    private final TestNamespaces namespaces = new TestNamespaces();
    private UdpGsoTransmitter transmitter;
    private String senderNs;

    @AfterEach
    void tearDown() throws IOException
    {
        if (transmitter != null)
        {
            transmitter.close();
        }
        namespaces.close();
    }

    /** @return the namespace the receiver lives in */
    private String twoNamespaces(final boolean ipv6, final String local, final String peer) throws Exception
    {
        final String ns1 = namespaces.create(ipv6);
        final String ns2 = namespaces.create(ipv6);
        namespaces.veth(ns1, "va", ns2, "vb");
        if (ipv6)
        {
            TestNamespaces.ip(ns1, "addr", "add", local + "/64", "dev", "va", "nodad");
            TestNamespaces.ip(ns2, "addr", "add", peer + "/64", "dev", "vb", "nodad");
        }
        else
        {
            TestNamespaces.ip(ns1, "addr", "add", local + "/24", "dev", "va");
            TestNamespaces.ip(ns2, "addr", "add", peer + "/24", "dev", "vb");
        }
        senderNs = ns1;
        transmitter = NetworkNamespace.call(ns1, () -> UdpGsoTransmitter.open(VtepAddress.parse(local), VXLAN_PORT, 64));
        return ns2;
    }

    /** Waits until the opener thread has bound the port (it is asked by the first {@code ready}). */
    private void awaitReady(final int port) throws InterruptedException
    {
        for (int i = 0; i < 500 && !transmitter.ready(port); i++)
        {
            Thread.sleep(10);
        }
        assertTrue(transmitter.ready(port), "the opener bound source port " + port);
    }

    /** Three segments of 1,000 bytes and a last one of 300, back to back, each with a distinct fill. */
    private static byte[] segments()
    {
        final byte[] payload = new byte[3 * 1_000 + 300];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(i / 1_000 + 1);
        }
        return payload;
    }

    private void sendsOneDatagramPerSegment(final boolean ipv6, final String local, final String peer) throws Exception
    {
        final String receiverNs = twoNamespaces(ipv6, local, peer);
        try (DatagramSocket receiver = NetworkNamespace.call(receiverNs,
            () -> new DatagramSocket(new InetSocketAddress(InetAddress.getByName(peer), VXLAN_PORT))))
        {
            receiver.setSoTimeout(5_000);
            assertFalse(transmitter.ready(SOURCE_PORT), "no socket before the first request");
            awaitReady(SOURCE_PORT);

            final byte[] payload = segments();
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(payload.length));
            buffer.putBytes(0, payload);
            assertTrue(transmitter.send(transmitter.newScratch(), VtepAddress.parse(peer), SOURCE_PORT, buffer.addressOffset(),
                payload.length, 1_000));

            for (int i = 0; i < 4; i++)
            {
                final DatagramPacket datagram = new DatagramPacket(new byte[2048], 2048);
                receiver.receive(datagram);
                assertEquals(SOURCE_PORT, datagram.getPort(), "segment " + i + " from the flow's port (RFC 7348 §5)");
                assertEquals(InetAddress.getByName(local), datagram.getAddress());
                final int start = i * 1_000;
                assertArrayEquals(Arrays.copyOfRange(payload, start, Math.min(payload.length, start + 1_000)),
                    Arrays.copyOfRange(datagram.getData(), 0, datagram.getLength()), "segment " + i);
            }
            assertEquals(1, transmitter.datagrams());
            assertEquals(4, transmitter.segments());
            assertEquals(1, transmitter.openSockets());
        }
    }

    @Test
    void aGsoDatagramArrivesAsOneUdpDatagramPerSegmentOverIpv4() throws Exception
    {
        sendsOneDatagramPerSegment(false, "10.98.0.1", "10.98.0.2");
    }

    @Test
    void aGsoDatagramArrivesAsOneUdpDatagramPerSegmentOverIpv6() throws Exception
    {
        sendsOneDatagramPerSegment(true, "fd00:98::1", "fd00:98::2");
    }

    @Test
    void segmentsLongerThanTheMtuAreRefusedNotFragmented() throws Exception
    {
        twoNamespaces(false, "10.98.0.1", "10.98.0.2");
        awaitReady(SOURCE_PORT);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * 1_500));
        final SegmentTransmitter.Scratch scratch = transmitter.newScratch();
        assertFalse(transmitter.send(scratch, VtepAddress.parse("10.98.0.2"), SOURCE_PORT, buffer.addressOffset(), 2 * 1_480,
            1_480),
            "1,480 + 28 bytes of headers over a 1,500-byte MTU: EMSGSIZE");
        assertTrue(transmitter.send(scratch, VtepAddress.parse("10.98.0.2"), SOURCE_PORT, buffer.addressOffset(), 2 * 1_472,
            1_472));
    }

    /** A port another program holds stays unavailable (its flows keep the one-by-one path); others still open. */
    @Test
    void aPortInUseElsewhereStaysOnTheOneByOnePath() throws Exception
    {
        twoNamespaces(false, "10.98.0.1", "10.98.0.2");
        try (DatagramSocket other = NetworkNamespace.call(senderNs,
            () -> new DatagramSocket(new InetSocketAddress(InetAddress.getByName("10.98.0.1"), SOURCE_PORT + 1))))
        {
            assertFalse(transmitter.ready(SOURCE_PORT + 1));
            awaitReady(SOURCE_PORT);
            // The opener handles requests in one pass, so by now it has tried SOURCE_PORT + 1 as well...
            // unless that request came in after its pass began: give it one more pass.
            Thread.sleep(1_500);
            assertFalse(transmitter.ready(SOURCE_PORT + 1), "port held by another socket: " + other.getLocalPort());
            assertEquals(1, transmitter.openSockets());
        }
    }
}
