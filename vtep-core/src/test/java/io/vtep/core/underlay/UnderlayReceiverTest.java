package io.vtep.core.underlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.management.ThreadMXBean;

import io.vtep.core.nativeio.LinuxStructs;
import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.core.nativeio.TestNamespaces;
import io.vtep.core.pipeline.DataPlane;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.pipeline.VniContext;
import io.vtep.core.testing.RecordingTransmitter;
import io.vtep.core.testing.SendOnlyPort;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DropReason;

/**
 * The underlay receiver against a real kernel: namespace {@code ns} (veth ua) holds the receiver,
 * namespace {@code peer} (veth ub) sends VXLAN datagrams to it from plain UDP sockets. VNI 100 is
 * carried on VLAN 10 of one access port, so every delivered frame gets its 802.1Q tag written into
 * the receiver's buffer in front of the inner frame.
 */
class UnderlayReceiverTest
{
    private static final int VNI = 100;
    private static final int VLAN = 10;
    private static final int PORT = 4789;
    private static final long REMOTE_MAC = 0x02_00_00_00_00_0BL;
    private static final VtepAddress LOCAL4 = VtepAddress.parse("10.98.0.1");
    private static final VtepAddress PEER4 = VtepAddress.parse("10.98.0.2");
    private static final VtepAddress LOCAL6 = VtepAddress.parse("2001:db8:98::1");
    private static final VtepAddress PEER6 = VtepAddress.parse("2001:db8:98::2");
    private static final VtepAddress GROUP4 = VtepAddress.parse("239.1.1.100");
    private static final VtepAddress GROUP6 = VtepAddress.parse("ff05::100");

    private final TestNamespaces namespaces = new TestNamespaces();
    private final TestPort port = new TestPort();
    private String ns;
    private String peer;
    private Fdb fdb;
    private DataPlane plane;
    private CounterSnapshotSource counters;
    private VniContext vni;

    private void topology(final boolean ipv6) throws Exception
    {
        ns = namespaces.create(ipv6);
        peer = namespaces.create(ipv6);
        namespaces.veth(ns, "ua", peer, "ub");
        if (ipv6)
        {
            TestNamespaces.ip(ns, "addr", "add", LOCAL6 + "/64", "dev", "ua", "nodad");
            TestNamespaces.ip(peer, "addr", "add", PEER6 + "/64", "dev", "ub", "nodad");
        }
        else
        {
            TestNamespaces.ip(ns, "addr", "add", LOCAL4 + "/24", "dev", "ua");
            TestNamespaces.ip(peer, "addr", "add", PEER4 + "/24", "dev", "ub");
        }
        fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(VNI, LearningMode.DATA_PLANE, 0, null);
        final ForwardingTables tables = new ForwardingTables(fdb);
        final PortContext access = tables.addPort(port);
        vni = tables.addVni(VNI);
        tables.attach(access, VLAN, vni);
        counters = new CounterSnapshotSource(new CounterLayout(1, 4));
        plane = new DataPlane(tables, counters, ipv6 ? LOCAL6 : LOCAL4,
            PORT, 64, SourcePortRange.DEFAULT, 1500, new RecordingTransmitter());
    }

    @AfterEach
    void tearDown() throws IOException
    {
        namespaces.close();
    }

    private UnderlayReceiver open(final VtepAddress local, final List<VtepAddress> groups) throws Exception
    {
        return NetworkNamespace.call(ns, () -> UnderlayReceiver.open(local, PORT, groups, plane.overlayPipeline()));
    }

    /** A UDP socket in the peer namespace, bound to the peer's address. */
    private DatagramChannel sender(final VtepAddress from) throws Exception
    {
        return NetworkNamespace.call(peer, () ->
        {
            final DatagramChannel channel = DatagramChannel.open(from.isIpv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.bind(new InetSocketAddress(from.toInetAddress(), 0));
            return channel;
        });
    }

    /** Holds the pipeline up at the first datagram while {@code count} are sent to LOCAL4, then lets it go on. */
    private void sendWhileThePipelineIsHeldUp(final DatagramChannel sender, final int count) throws IOException
    {
        final CountDownLatch release = new CountDownLatch(1);
        port.gate = release;
        for (int i = 0; i < count; i++)
        {
            send(sender, LOCAL4, i);
        }
        release.countDown();
    }

    private static void send(final DatagramChannel channel, final VtepAddress to, final int sequence) throws IOException
    {
        channel.send(ByteBuffer.wrap(vxlan(VNI, sequence)), new InetSocketAddress(to.toInetAddress(), PORT));
    }

    /** The addresses of a test over one address family. */
    private record Family(boolean ipv6, VtepAddress local, VtepAddress peer, VtepAddress group)
    {
    }

    /** Builds the topology of the family and says its addresses. */
    private Family family(final boolean ipv6) throws Exception
    {
        topology(ipv6);
        return ipv6 ? new Family(true, LOCAL6, PEER6, GROUP6) : new Family(false, LOCAL4, PEER4, GROUP4);
    }

    /**
     * The peer sends to a group out of ub. IPv6 needs no IPV6_MULTICAST_IF: ub is the peer's only
     * interface with an ff00::/8 route (and Java cannot name it from a thread in another namespace,
     * it reads /proc/net/if_inet6).
     */
    private void multicastOutOfUb(final DatagramChannel sender, final Family family) throws Exception
    {
        if (!family.ipv6())
        {
            sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkNamespace.call(peer, () -> NetworkInterface.getByName("ub")));
        }
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aDatagramIsDeliveredWithItsSourceAddressAndATagInTheHeadroom(final boolean ipv6) throws Exception
    {
        final Family family = family(ipv6);
        try (UnderlayReceiver receiver = open(family.local(), List.of()); DatagramChannel sender = sender(family.peer()))
        {
            send(sender, family.local(), 7);
            assertDelivered(7, port.next());
            assertNotNull(fdb.remoteVteps().find(family.peer()), "the pipeline saw the datagram as coming from " + family.peer());
            assertEquals(1, fdb.remoteVteps().size());
            assertEquals(0, receiver.failures());
        }
    }

    /**
     * While the pipeline is held up by the first datagram, 2,000 more queue in the socket; they are
     * then read in batches (recvmmsg), all of them, in order.
     */
    @Test
    void queuedDatagramsAreReadInBatchesAllOfThemInOrder() throws Exception
    {
        topology(false);
        final int count = 2_000;
        try (UnderlayReceiver receiver = open(LOCAL4, List.of()); DatagramChannel sender = sender(PEER4))
        {
            sendWhileThePipelineIsHeldUp(sender, count);
            for (int i = 0; i < count; i++)
            {
                assertDelivered(i, port.next());
            }
            receiver.close();
            System.out.printf("UnderlayReceiver: %d datagrams in %d recvmmsg calls%n", receiver.receivedDatagrams(), receiver.receiveBatches());
            assertEquals(count, receiver.receivedDatagrams());
            assertTrue(receiver.receiveBatches() <= 3 + count / 16,
                receiver.receiveBatches() + " recvmmsg calls for " + count + " queued datagrams: not batched");
        }
    }

    /** A socket served by the test's own thread (as a pipeline serves one), with a pipeline of its own, on {@code udpPort}. */
    private UnderlayReceiver openServed(final int udpPort) throws Exception
    {
        return NetworkNamespace.call(ns, () -> UnderlayReceiver.openServed(LOCAL4, udpPort, List.of(), plane.overlayPipeline()));
    }

    /**
     * An idle pipeline takes what waits on a blocked peer's socket, with its own buffers and
     * pipeline: the datagrams are forwarded, in order, and counted as the idle receiver's.
     */
    @Test
    void anIdleReceiverForwardsWhatWaitsOnAPeersSocket() throws Exception
    {
        topology(false);
        try (UnderlayReceiver idle = openServed(PORT + 1); UnderlayReceiver peer = openServed(PORT); DatagramChannel sender = sender(PEER4))
        {
            for (int i = 0; i < 3; i++)
            {
                send(sender, LOCAL4, i); // to PORT: the peer's socket
            }
            int taken = 0;
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (taken < 3 && System.nanoTime() < deadline)
            {
                taken += idle.receiveFor(peer);
            }
            assertEquals(3, taken, "datagrams taken from the peer's socket");
            for (int i = 0; i < 3; i++)
            {
                assertDelivered(i, port.next());
            }
            assertEquals(3, idle.receivedDatagrams(), "counted where they were forwarded");
            assertEquals(0, peer.receivedDatagrams());
            assertEquals(0, peer.receive(), "nothing left on the peer's socket");
            assertEquals(0, idle.receiveFor(idle), "a receiver is not its own peer");
        }
    }

    /**
     * The socket's owner and an idle peer read it at the same time, each in a loop of its own,
     * while datagrams keep coming: every datagram arrives once, in the order sent (each batch is
     * read and forwarded under the socket's reading lock).
     */
    @Test
    void anOwnerAndAPeerReadingOneSocketAtOnceKeepItsOrder() throws Exception
    {
        topology(false);
        try (UnderlayReceiver idle = openServed(PORT + 1); UnderlayReceiver owner = openServed(PORT); DatagramChannel sender = sender(PEER4))
        {
            final AtomicBoolean stop = new AtomicBoolean();
            final Thread ownerThread = Thread.ofPlatform().start(() ->
            {
                while (!stop.get())
                {
                    owner.receive();
                }
            });
            final Thread peerThread = Thread.ofPlatform().start(() ->
            {
                while (!stop.get())
                {
                    idle.receiveFor(owner);
                }
            });
            int sent = 0;
            try
            {
                // Until both have forwarded some (at most 20,000 datagrams), 500 at a time.
                while (sent < 20_000 && (sent == 0 || idle.receivedDatagrams() == 0 || owner.receivedDatagrams() == 0))
                {
                    sendAndAwait(sender, 500, sent, port.delivered::get);
                    sent += 500;
                }
            }
            finally
            {
                stop.set(true);
                ownerThread.join(5_000);
                peerThread.join(5_000);
            }
            System.out.printf("UnderlayReceiver: %d datagrams, %d read by the owner, %d by the idle peer%n", sent,
                owner.receivedDatagrams(), idle.receivedDatagrams());
            assertTrue(idle.receivedDatagrams() > 0 && owner.receivedDatagrams() > 0, "both threads read the socket");
            assertEquals(sent, owner.receivedDatagrams() + idle.receivedDatagrams(), "every datagram read once");
            for (int i = 0; i < sent; i++)
            {
                assertDelivered(i, port.next());
            }
        }
    }

    @Test
    void aClosedPeerIsNotRead() throws Exception
    {
        topology(false);
        try (UnderlayReceiver idle = openServed(PORT + 1); DatagramChannel sender = sender(PEER4))
        {
            final UnderlayReceiver peer = openServed(PORT);
            send(sender, LOCAL4, 1);
            peer.close();
            assertEquals(0, idle.receiveFor(peer), "nothing read from the dead socket the closed one's number now points at");
            assertEquals(0, idle.receivedDatagrams());
        }
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void multicastGroupsAreJoinedOnTheLocalAddressInterface(final boolean ipv6) throws Exception
    {
        final Family family = family(ipv6);
        try (UnderlayReceiver receiver = open(family.local(), List.of(family.group()));
             DatagramChannel sender = sender(family.peer()))
        {
            assertTrue(TestNamespaces.ip(ns, "maddr", "show", "dev", "ua").contains(family.group().toString()),
                "IP_ADD_MEMBERSHIP / IPV6_ADD_MEMBERSHIP on ua");
            multicastOutOfUb(sender, family);
            send(sender, family.group(), 1);
            assertDelivered(1, port.next());
            // A datagram to the group carries its sender's address like any other: learned from it.
            assertNotNull(fdb.remoteVteps().find(family.peer()), "the group's sender is known from its datagram to the group");
            send(sender, family.local(), 2); // bound to the wildcard address: unicast still arrives
            assertDelivered(2, port.next());
        }
    }

    /**
     * The receiver hands the pipeline each datagram's destination (IP_PKTINFO): on a VNI with a
     * multicast group that accepts only its members, a unicast datagram from a VTEP that never sent
     * to the group is dropped as not_vni_member; one to the group is delivered and makes the sender
     * a learned member (once the FDB writer has run), and its unicast is then delivered.
     */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aDatagramToTheGroupMakesItsSenderAMemberOfTheVni(final boolean ipv6) throws Exception
    {
        final Family family = family(ipv6);
        fdb.setMulticastGroup(VNI, family.group());
        vni.membersOnly(true);
        try (UnderlayReceiver receiver = open(family.local(), List.of(family.group()));
             DatagramChannel sender = sender(family.peer()))
        {
            multicastOutOfUb(sender, family);
            assertGroupMakesMember(sender, family.local(), family.group(), family.peer());
        }
    }

    private void assertGroupMakesMember(final DatagramChannel sender, final VtepAddress local, final VtepAddress group,
        final VtepAddress from) throws Exception
    {
        send(sender, local, 10); // unicast from a VTEP that never sent to the group
        send(sender, group, 11);
        assertDelivered(11, port.next()); // in order: 10 was not delivered
        assertEquals(1, awaitDrops(DropReason.NOT_VNI_MEMBER, 1), "the unicast before the group datagram");
        fdb.conductor().doWork(); // the writer applies the member-seen event the group datagram queued
        assertTrue(fdb.vni(VNI).isGroupMember(fdb.remoteVteps().find(from)), from + " learned as a member of the group");
        assertTrue(vni.memberVteps().contains(fdb.remoteVteps().find(from).index()));
        send(sender, local, 12);
        assertDelivered(12, port.next());
        assertEquals(1, counters.vniDrops(vni.slot(), DropReason.NOT_VNI_MEMBER), "a member's unicast is not dropped");
    }

    private long awaitDrops(final DropReason reason, final long expected) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 2_000_000_000L;
        while (counters.vniDrops(vni.slot(), reason) < expected && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        return counters.vniDrops(vni.slot(), reason);
    }

    @Test
    void aSecondInstanceCannotBindThePortTheFirstHolds() throws Exception
    {
        topology(false);
        try (UnderlayReceiver first = open(LOCAL4, List.of()))
        {
            final IOException refused = assertThrows(IOException.class, () -> open(LOCAL4, List.of()));
            assertEquals("cannot bind the underlay UDP socket to 10.98.0.1 port 4789: Address already in use (EADDRINUSE) " +
                "(another vtep instance or a kernel VXLAN device holds the port)", refused.getMessage());
        }
        // once the first is closed, the port is free again
        open(LOCAL4, List.of()).close();
    }

    @Test
    void aKernelVxlanDeviceOnThePortIsNamedAsAPossibleHolder() throws Exception
    {
        topology(false);
        TestNamespaces.ip(ns, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "10.98.0.1",
            "dev", "ua");
        TestNamespaces.ip(ns, "link", "set", "vx0", "up");
        final IOException refused = assertThrows(IOException.class, () -> open(LOCAL4, List.of()));
        assertTrue(refused.getMessage().endsWith("(another vtep instance or a kernel VXLAN device holds the port)"),
            refused.getMessage());
    }

    @Test
    void closeWhileIdleStopsTheThreadAtOnceAndFreesThePort() throws Exception
    {
        topology(false);
        final UnderlayReceiver receiver = open(LOCAL4, List.of());
        final Thread thread = receiver.thread();
        assertEquals(UnderlayReceiver.THREAD_NAME, thread.getName());
        Thread.sleep(300); // blocked in poll
        assertEquals(Thread.State.RUNNABLE, thread.getState(), "in native code (poll)");
        final long start = System.nanoTime();
        receiver.close();
        final long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("UnderlayReceiver: closed while idle in %d ms%n", millis);
        assertFalse(thread.isAlive());
        assertTrue(millis < UnderlayReceiver.POLL_MILLIS, millis + " ms: shutdown() should wake the poll, not its timeout");
        receiver.close(); // idempotent
        open(LOCAL4, List.of()).close();
    }

    /**
     * Every datagram is delivered or counted: while the pipeline is held up, 40,000 datagrams
     * overflow the socket's 8 MiB receive buffer; the ones the kernel dropped there (its
     * {@code sk_drops}) are counted as {@code underlay_socket_queue}, so delivered + counted = sent,
     * exactly. Before, those drops showed nowhere in vtep.
     */
    @Test
    void datagramsTheKernelDropsAtTheFullSocketAreCounted() throws Exception
    {
        topology(false);
        final int count = 40_000;
        port.record = false;
        try (UnderlayReceiver receiver = open(LOCAL4, List.of()); DatagramChannel sender = sender(PEER4))
        {
            sendWhileThePipelineIsHeldUp(sender, count);
            // Read the drops at least one interval after the queue has run dry.
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (port.delivered.get() + counters.drops(DropReason.UNDERLAY_SOCKET_QUEUE) < count &&
                System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            final long drops = counters.drops(DropReason.UNDERLAY_SOCKET_QUEUE);
            System.out.printf("UnderlayReceiver: %d datagrams sent, %d delivered, %d dropped by the kernel at the socket%n",
                count, port.delivered.get(), drops);
            assertTrue(drops > 0, "the 8 MiB buffer should have overflowed: " + port.delivered.get() + " delivered");
            assertEquals(count, port.delivered.get() + drops, "delivered + underlay_socket_queue drops = sent");
            assertEquals(drops, receiver.socketQueueDrops());
        }
    }

    @Test
    void aPipelineFailureCostsOneDatagramNotTheThread() throws Exception
    {
        topology(false);
        port.failOn = 1;
        try (UnderlayReceiver receiver = open(LOCAL4, List.of()); DatagramChannel sender = sender(PEER4))
        {
            send(sender, LOCAL4, 1);
            send(sender, LOCAL4, 2);
            assertDelivered(2, port.next());
            assertEquals(1, receiver.failures());
            assertTrue(receiver.thread().isAlive());
            send(sender, LOCAL4, 3);
            assertDelivered(3, port.next());
        }
    }

    /**
     * The largest UDP datagram IPv4 can carry (65,507 bytes) fits a slot whole: a Linux peer on a
     * veth underlay hands over GSO packets that large, and none may be cut or dropped as too long.
     */
    @Test
    void theLargestDatagramFitsASlot() throws Exception
    {
        topology(false);
        try (UnderlayReceiver receiver = open(LOCAL4, List.of()); DatagramChannel sender = sender(PEER4))
        {
            // fragmented by the sender (1500-byte MTU), reassembled by the receiving kernel
            sender.send(ByteBuffer.allocate(65_507), new InetSocketAddress(LOCAL4.toInetAddress(), PORT));
            send(sender, LOCAL4, 4);
            assertDelivered(4, port.next());
            // the counters are written after the batch is forwarded
            final long deadline = System.nanoTime() + 2_000_000_000L;
            while (receiver.receivedDatagrams() < 2 && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            assertEquals(2, receiver.receivedDatagrams());
            assertEquals(0, receiver.truncatedDatagrams());
        }
    }

    /**
     * Nothing is allocated per datagram on the receive thread: its allocation counter grows by less
     * over 20,000 datagrams than one small object per datagram would cost (20,000 x 16 bytes).
     */
    @Test
    void receivingAllocatesNothingPerDatagram() throws Exception
    {
        topology(false);
        assertReceivingAllocatesNothing(List.of());
    }

    /** The same with a multicast VNI: control messages parsed, the member's time refreshed in place. */
    @Test
    void readingDestinationsAllocatesNothingPerDatagram() throws Exception
    {
        topology(false);
        fdb.setMulticastGroup(VNI, GROUP4);
        vni.membersOnly(true);
        assertReceivingAllocatesNothing(List.of(GROUP4));
    }

    private void assertReceivingAllocatesNothing(final List<VtepAddress> groups) throws Exception
    {
        port.record = false;
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        try (UnderlayReceiver receiver = open(LOCAL4, groups); DatagramChannel sender = sender(PEER4))
        {
            if (!groups.isEmpty())
            {
                sender.setOption(StandardSocketOptions.IP_MULTICAST_IF,
                    NetworkNamespace.call(peer, () -> NetworkInterface.getByName("ub")));
                send(sender, groups.get(0), 0); // makes PEER4 a member, so its unicast below is accepted
                final long deadline = System.nanoTime() + 2_000_000_000L;
                while (port.delivered.get() < 1 && System.nanoTime() < deadline)
                {
                    Thread.sleep(1);
                }
                fdb.conductor().doWork();
            }
            final long thread = receiver.thread().threadId();
            sendAndAwait(sender, 30_000, receiver::receivedDatagrams); // warm-up: JIT, first learning
            fdb.conductor().doWork();
            sendAndAwait(sender, 2_000, receiver::receivedDatagrams);

            final long datagramsBefore = receiver.receivedDatagrams();
            final long before = threads.getThreadAllocatedBytes(thread);
            sendAndAwait(sender, 20_000, receiver::receivedDatagrams);
            final long allocated = threads.getThreadAllocatedBytes(thread) - before;
            final long datagrams = receiver.receivedDatagrams() - datagramsBefore;
            System.out.printf("UnderlayReceiver: %d bytes allocated by %s for %d datagrams (%d delivered in total, %d batches)%n",
                allocated, UnderlayReceiver.THREAD_NAME, datagrams, port.delivered.get(), receiver.receiveBatches());
            assertTrue(datagrams >= 19_000, datagrams + " datagrams received of 20,000");
            // Nothing per datagram: the smallest object is 16 bytes, so allocating for even one
            // datagram in 32 would pass half a byte per datagram (160 kB for 20,000). What stays
            // under it is one-off: a few kB seen now and then here (448 to 5,744 bytes in runs on
            // the shared machine), which an absolute 4 kB bound turned into a flaky failure.
            assertTrue(allocated < datagrams / 2, allocated + " bytes allocated for " + datagrams + " datagrams");
            assertEquals(0, receiver.failures());
            assertEquals(0, counters.vniDrops(vni.slot(), DropReason.NOT_VNI_MEMBER), "every datagram accepted");
        }
    }

    @Test
    void theMmsghdrLayoutIsTheKernels()
    {
        assertEquals(64, LinuxStructs.MMSGHDR.byteSize());
        assertEquals(56, LinuxStructs.MMSG_LEN);
        assertEquals(12, LinuxStructs.IP_MREQN.byteSize());
        assertEquals(20, LinuxStructs.IPV6_MREQ.byteSize());
    }

    /** Sends in chunks small enough for the socket buffer, waiting for each to be read. */
    private static void sendAndAwait(final DatagramChannel sender, final int count, final LongSupplier received)
        throws IOException, InterruptedException
    {
        sendAndAwait(sender, count, 0, received);
    }

    /** {@link #sendAndAwait(DatagramChannel, int, LongSupplier)} numbering the datagrams from {@code first}. */
    private static void sendAndAwait(final DatagramChannel sender, final int count, final int first, final LongSupplier received)
        throws IOException, InterruptedException
    {
        for (int sent = 0; sent < count; sent += 500)
        {
            final long target = received.getAsLong() + 500;
            for (int i = 0; i < 500; i++)
            {
                send(sender, LOCAL4, first + sent + i);
            }
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (received.getAsLong() < target && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
        }
    }

    // ---- datagrams and what arrives ------------------------------------------------------------

    /** The UDP payload of a VXLAN packet: header (I flag, VNI) and a 60-byte inner frame numbered {@code sequence}. */
    static byte[] vxlan(final int vni, final int sequence)
    {
        final ByteBuffer b = ByteBuffer.allocate(8 + 60);
        b.put((byte)0x08).put(new byte[3]).putInt(vni << 8);
        b.put(new byte[] {0x02, 0, 0, 0, 0, 0x01});           // destination: unknown unicast, flooded
        b.putShort((short)(REMOTE_MAC >>> 32)).putInt((int)REMOTE_MAC);
        b.putShort((short)0x88B5).putInt(sequence);
        return b.array();
    }

    /** The frame at the access port: VLAN 10 tag put in front of the EtherType, MACs intact. */
    private static void assertDelivered(final int sequence, final byte[] frame)
    {
        final ByteBuffer b = ByteBuffer.wrap(frame);
        assertEquals(64, frame.length, "60-byte inner frame plus the tag");
        assertEquals(0x02_00_00_00_00_01L, ((long)b.getShort(0) & 0xFFFF) << 32 | (b.getInt(2) & 0xFFFFFFFFL));
        assertEquals(REMOTE_MAC, ((long)b.getShort(6) & 0xFFFF) << 32 | (b.getInt(8) & 0xFFFFFFFFL));
        assertEquals(0x8100, b.getShort(12) & 0xFFFF);
        assertEquals(VLAN, b.getShort(14) & 0x0FFF);
        assertEquals(0x88B5, b.getShort(16) & 0xFFFF);
        assertEquals(sequence, b.getInt(18), "sequence number");
    }

    /** An access port that queues (or only counts) what the overlay delivers to it. */
    private static final class TestPort extends SendOnlyPort
    {
        final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        final AtomicLong delivered = new AtomicLong();
        volatile boolean record = true;
        /** The first send waits for it. */
        volatile CountDownLatch gate;
        /** A send of the frame with this sequence number throws. */
        volatile int failOn = -1;

        TestPort()
        {
            super("acc");
        }

        @Override
        public boolean send(final DirectBuffer buffer, final int offset, final int length)
        {
            final CountDownLatch waitFor = gate;
            if (waitFor != null)
            {
                gate = null;
                try
                {
                    waitFor.await(10, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            if (length >= 22 && buffer.getInt(offset + 18, java.nio.ByteOrder.BIG_ENDIAN) == failOn)
            {
                throw new IllegalStateException("test: port failure on frame " + failOn);
            }
            delivered.incrementAndGet();
            if (record)
            {
                final byte[] frame = new byte[length];
                buffer.getBytes(offset, frame);
                frames.add(frame);
            }
            return true;
        }

        byte[] next() throws InterruptedException
        {
            final byte[] frame = frames.poll(5, TimeUnit.SECONDS);
            assertNotNull(frame, "no frame delivered within 5 s");
            return frame;
        }
    }
}
