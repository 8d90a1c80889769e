package io.vtep.core.underlay;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.core.nativeio.TestNamespaces;
import io.vtep.core.port.AfPacketPort;
import io.vtep.core.port.FrameBatch;

/**
 * The underlay the transmitter tests send over: the VTEP's namespace (veth end "va") and a
 * peer's (end "vb"), one address each, and what the tests do on it (stall the VTEP's queue,
 * capture at the peer). {@link #close} deletes both namespaces, also when the test failed.
 */
final class UnderlayLink implements AutoCloseable
{
    static final String VTEP_DEVICE = "va";
    static final String PEER_DEVICE = "vb";

    /** How long a capture may wait for its packet before the test fails. */
    private static final long WAIT_SECONDS = 5;
    /** How long a send storm may take before the test fails: blocking sends would take minutes. */
    private static final long STORM_SECONDS = 30;

    final String vtepNamespace;
    final String peerNamespace;
    /** The VTEP's address on the link, without prefix length. */
    final String vtepAddress;
    /** The peer's address on the link, without prefix length. */
    final String peerAddress;
    private final TestNamespaces namespaces;
    private final boolean ipv6;

    private UnderlayLink(
        final TestNamespaces namespaces, final boolean ipv6, final String vtepCidr, final String peerCidr,
        final String... addressOptions) throws IOException
    {
        this.namespaces = namespaces;
        this.ipv6 = ipv6;
        this.vtepAddress = vtepCidr.substring(0, vtepCidr.indexOf('/'));
        this.peerAddress = peerCidr.substring(0, peerCidr.indexOf('/'));
        try
        {
            vtepNamespace = namespaces.create(ipv6);
            peerNamespace = namespaces.create(ipv6);
            namespaces.veth(vtepNamespace, VTEP_DEVICE, peerNamespace, PEER_DEVICE);
            addAddress(vtepNamespace, vtepCidr, VTEP_DEVICE, addressOptions);
            addAddress(peerNamespace, peerCidr, PEER_DEVICE, addressOptions);
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            // The test never gets this link to close: delete what was made of it here.
            try
            {
                namespaces.close();
            }
            catch (final IOException closing)
            {
                ex.addSuppressed(closing);
            }
            throw ex;
        }
    }

    /** 10.99.0.1/24 (VTEP) and 10.99.0.2/24 (peer), with IPv6 off so no DAD or MLD frame appears. */
    static UnderlayLink ipv4() throws IOException
    {
        return new UnderlayLink(new TestNamespaces(), false, "10.99.0.1/24", "10.99.0.2/24");
    }

    /** fd00:99::1/64 (VTEP) and fd00:99::2/64 (peer), {@code nodad} so they are usable at once. */
    static UnderlayLink ipv6() throws IOException
    {
        return new UnderlayLink(new TestNamespaces(), true, "fd00:99::1/64", "fd00:99::2/64", "nodad");
    }

    /**
     * Makes the VTEP's queue hold every packet: a token bucket of 8 kbit/s with 10 MB of room, the
     * packets still charged to the sending socket, so its send buffer fills after about 150
     * packets; a blocking sendto() would then wait minutes. The peer's neighbour entry is set so
     * nothing waits for address resolution.
     */
    void stallVtepQueue() throws IOException
    {
        TestNamespaces.exec(vtepNamespace, "tc", "qdisc", "add", "dev", VTEP_DEVICE, "root", "tbf", "rate", "8kbit",
            "burst", "1600", "limit", "10000000");
        TestNamespaces.ip(vtepNamespace, ipv6 ? "-6" : "-4", "neigh", "replace", peerAddress,
            "lladdr", "02:00:00:00:00:99", "dev", VTEP_DEVICE, "nud", "permanent");
    }

    /**
     * Sends one packet {@code attempts} times on a thread of its own, so a send that blocks fails
     * the test after a bound instead of hanging it.
     *
     * @return how many sends were refused.
     */
    static int refusedSends(
        final UnderlayTransmitter transmitter, final UnsafeBuffer packet, final int length, final int attempts)
        throws Exception
    {
        final FutureTask<Integer> sending = new FutureTask<>(() ->
        {
            int refused = 0;
            for (int i = 0; i < attempts; i++)
            {
                refused += transmitter.send(packet, 0, length) ? 0 : 1;
            }
            return refused;
        });
        final Thread sender = new Thread(sending, "underlay-sender");
        sender.setDaemon(true);
        sender.start();
        return sending.get(STORM_SECONDS, TimeUnit.SECONDS);
    }

    /** A packet socket on the peer's end, which sees every frame that crosses the link. */
    AfPacketPort capture() throws Exception
    {
        return NetworkNamespace.call(peerNamespace, () -> AfPacketPort.open(PEER_DEVICE));
    }

    /**
     * @return the IP packet (from the IP header on) of the first UDP frame of this link's IP
     *         version that {@code capture} receives; ARP, neighbour discovery and others are skipped.
     */
    byte[] capturedUdp(final AfPacketPort capture)
    {
        final int etherType = ipv6 ? 0x86DD : 0x0800;
        final int protocolOffset = ipv6 ? 6 : 9; // next header, protocol
        final FrameBatch batch = new FrameBatch(16);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline)
        {
            final int count = capture.receive(batch, 100);
            for (int i = 0; i < count; i++)
            {
                final int offset = batch.frameOffset(i);
                final UnsafeBuffer frames = batch.buffer();
                if ((frames.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF) == etherType &&
                    frames.getByte(offset + 14 + protocolOffset) == 17)
                {
                    final byte[] packet = new byte[batch.frameLength(i) - 14];
                    frames.getBytes(offset + 14, packet);
                    return packet;
                }
            }
        }
        throw new AssertionError("no IPv" + (ipv6 ? 6 : 4) + " UDP packet captured within " + WAIT_SECONDS + " s");
    }

    /**
     * @return the UDP source ports of the next {@code count} datagrams the socket receives.
     */
    static Set<Integer> sourcePorts(final DatagramSocket receiver, final int count) throws IOException
    {
        final Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            final DatagramPacket datagram = new DatagramPacket(new byte[2048], 2048);
            receiver.receive(datagram);
            ports.add(datagram.getPort());
        }
        return ports;
    }

    /**
     * Closes the transmitter first (it holds a socket in the VTEP's namespace), then deletes both
     * namespaces.
     */
    void close(final AutoCloseable transmitter) throws Exception
    {
        try
        {
            if (transmitter != null)
            {
                transmitter.close();
            }
        }
        finally
        {
            close();
        }
    }

    @Override
    public void close() throws IOException
    {
        namespaces.close();
    }

    private static void addAddress(
        final String namespace, final String cidr, final String device, final String... options) throws IOException
    {
        final String[] args = new String[5 + options.length];
        args[0] = "addr";
        args[1] = "add";
        args[2] = cidr;
        args[3] = "dev";
        args[4] = device;
        System.arraycopy(options, 0, args, 5, options.length);
        TestNamespaces.ip(namespace, args);
    }
}
