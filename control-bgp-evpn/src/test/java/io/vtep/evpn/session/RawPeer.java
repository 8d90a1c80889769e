package io.vtep.evpn.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import io.vtep.evpn.codec.BgpCodec;
import io.vtep.evpn.codec.BgpMessage;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.KeepaliveMessage;
import io.vtep.evpn.codec.NotificationMessage;
import io.vtep.evpn.codec.OpenMessage;

/**
 * A BGP peer made of a plain socket and hand-made octets: it says exactly what a test wants,
 * including what no real speaker would.
 */
final class RawPeer implements AutoCloseable
{
    private final Socket socket;
    private final DataInputStream in;

    RawPeer(final Socket socket) throws IOException
    {
        this.socket = socket;
        socket.setSoTimeout(15_000);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects from {@code from} (a 127/8 address) to the speaker. */
    static RawPeer connect(final String from, final int port) throws IOException
    {
        return connect(from, port, 0);
    }

    /**
     * Connects from {@code from} (a 127/8 address) to the speaker.
     *
     * @param receiveBuffer SO_RCVBUF set before connecting (so the window stays that small), or 0 for the default.
     */
    static RawPeer connect(final String from, final int port, final int receiveBuffer) throws IOException
    {
        final Socket socket = new Socket();
        if (receiveBuffer > 0)
        {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
        return new RawPeer(socket);
    }

    /** @param millis how long {@link #read} waits before it fails with a SocketTimeoutException. */
    void timeout(final int millis) throws IOException
    {
        socket.setSoTimeout(millis);
    }

    static OpenMessage open(final long as, final int hold, final String id)
    {
        return OpenNegotiation.localOpen(as, hold, ip4(id));
    }

    static Inet4Address ip4(final String address)
    {
        try
        {
            return (Inet4Address)InetAddress.getByName(address);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(ex);
        }
    }

    void send(final byte[] bytes) throws IOException
    {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    void send(final BgpMessage message) throws IOException
    {
        send(BgpCodec.encode(message, CodecContext.FOUR_OCTET_AS));
    }

    /** @return the next message, or null at end of stream. */
    BgpMessage read() throws IOException
    {
        final byte[] header = new byte[BgpCodec.HEADER_LENGTH];
        try
        {
            in.readFully(header);
        }
        catch (final EOFException ex)
        {
            return null;
        }
        final int length = ((header[16] & 0xFF) << 8) | (header[17] & 0xFF);
        final byte[] message = new byte[length];
        System.arraycopy(header, 0, message, 0, header.length);
        in.readFully(message, header.length, length - header.length);
        return BgpCodec.decode(message, CodecContext.FOUR_OCTET_AS);
    }

    /** @return the next message that is not a KEEPALIVE, or null at end of stream. */
    BgpMessage readSkippingKeepalives() throws IOException
    {
        BgpMessage message;
        do
        {
            message = read();
        }
        while (message instanceof KeepaliveMessage);
        return message;
    }

    /** After the speaker's OPEN was read: OPEN out, the speaker's KEEPALIVE in (OpenConfirm), KEEPALIVE out. */
    void handshake(final OpenMessage open) throws IOException
    {
        send(open);
        assertInstanceOf(KeepaliveMessage.class, read(), "the speaker's KEEPALIVE");
        send(KeepaliveMessage.INSTANCE);
    }

    /** Expects a NOTIFICATION with this code/subcode, then the connection closed by the speaker. */
    NotificationMessage expectNotification(final ErrorSubcode expected) throws IOException
    {
        final BgpMessage message = readSkippingKeepalives();
        final NotificationMessage notification = assertInstanceOf(NotificationMessage.class, message, "expected " + expected);
        assertEquals(expected.code() + "/" + expected.subcode(), notification.code() + "/" + notification.subcode(),
            "NOTIFICATION " + notification);
        expectClosed();
        return notification;
    }

    void expectClosed() throws IOException
    {
        try
        {
            assertTrue(in.read() < 0, "connection closed by the speaker");
        }
        catch (final SocketTimeoutException ex)
        {
            fail("the speaker did not close the connection");
        }
        catch (final IOException ex)
        {
            // reset: closed as well
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
