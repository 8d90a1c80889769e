package io.vtep.core.underlay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.vtep.encap.VtepAddress;

/**
 * UdpGsoTransmitter from the VTEP's namespace to the peer's over an {@link UnderlayLink}, where a
 * plain UDP socket on 4789 receives the datagrams the kernel cut the GSO datagram into: one per segment, each from the
 * flow's source port.
 */
class UdpGsoTransmitterTest
{
    private static final int VXLAN_PORT = 4789;
    private static final int SOURCE_PORT = 50_321;

    private UnderlayLink link;
    private UdpGsoTransmitter transmitter;

    @AfterEach
    void tearDown() throws Exception
    {
        if (link != null)
        {
            link.close(transmitter);
        }
    }

    /** Builds the link and opens the transmitter on the VTEP's side of it. */
    private void openOver(final UnderlayLink underlay) throws Exception
    {
        link = underlay;
        transmitter = NetworkNamespace.call(link.vtepNamespace,
            () -> UdpGsoTransmitter.open(VtepAddress.parse(link.vtepAddress), VXLAN_PORT, 64));
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

    private void sendsOneDatagramPerSegment(final UnderlayLink underlay) throws Exception
    {
        openOver(underlay);
        final String local = link.vtepAddress;
        final String peer = link.peerAddress;
        try (DatagramSocket receiver = NetworkNamespace.call(link.peerNamespace,
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
        sendsOneDatagramPerSegment(UnderlayLink.ipv4());
    }

    @Test
    void aGsoDatagramArrivesAsOneUdpDatagramPerSegmentOverIpv6() throws Exception
    {
        sendsOneDatagramPerSegment(UnderlayLink.ipv6());
    }

    @Test
    void segmentsLongerThanTheMtuAreRefusedNotFragmented() throws Exception
    {
        openOver(UnderlayLink.ipv4());
        awaitReady(SOURCE_PORT);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * 1_500));
        final SegmentTransmitter.Scratch scratch = transmitter.newScratch();
        assertFalse(transmitter.send(scratch, VtepAddress.parse(link.peerAddress), SOURCE_PORT, buffer.addressOffset(), 2 * 1_480,
            1_480),
            "1,480 + 28 bytes of headers over a 1,500-byte MTU: EMSGSIZE");
        assertTrue(transmitter.send(scratch, VtepAddress.parse(link.peerAddress), SOURCE_PORT, buffer.addressOffset(), 2 * 1_472,
            1_472));
    }

    /** A port another program holds stays unavailable (its flows keep the one-by-one path); others still open. */
    @Test
    void aPortInUseElsewhereStaysOnTheOneByOnePath() throws Exception
    {
        openOver(UnderlayLink.ipv4());
        try (DatagramSocket other = NetworkNamespace.call(link.vtepNamespace,
            () -> new DatagramSocket(new InetSocketAddress(InetAddress.getByName(link.vtepAddress), SOURCE_PORT + 1))))
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
