package io.vtep.core.port;

import static io.vtep.core.port.TestFrames.frame;
import static io.vtep.core.port.TestFrames.nativeCopy;
import static io.vtep.core.port.TestFrames.overflowAndDrain;
import static io.vtep.core.port.TestFrames.sendAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.core.nativeio.TestNamespaces;
import io.vtep.core.nativeio.ThreadCapabilities;

/**
 * A driver under test at B (ns2, "vb") of a veth pair, with an {@link AfPacketPort} at A (ns1, "va")
 * to check it against; and what every driver must do alike: count the frames the kernel drops
 * before they are read, across a re-open, and say clearly why it cannot open.
 *
 * @param <P> the driver under test
 */
abstract class VethPortTest<P extends AccessPort>
{
    protected final TestNamespaces namespaces = new TestNamespaces();
    protected final FrameBatch batch = new FrameBatch(64);
    private final List<AccessPort> ports = new ArrayList<>();
    protected String ns1;
    protected String ns2;
    protected AfPacketPort a;
    protected P b;
    private final Opener<P> driver;
    private final int framesToOverflow;
    private final String withoutCapNetRawErrorStart;

    /**
     * @param driver opens the driver under test on an interface of the calling thread's namespace
     * @param framesToOverflow how many frames of 1,000 bytes, sent while B does not read, overflow
     *     what the kernel holds for B
     * @param withoutCapNetRawErrorStart how the error of an open without CAP_NET_RAW on "va" starts
     */
    VethPortTest(final Opener<P> driver, final int framesToOverflow, final String withoutCapNetRawErrorStart)
    {
        this.driver = driver;
        this.framesToOverflow = framesToOverflow;
        this.withoutCapNetRawErrorStart = withoutCapNetRawErrorStart;
    }

    @BeforeEach
    void setUp() throws Exception
    {
        ns1 = namespaces.create(false);
        ns2 = namespaces.create(false);
        namespaces.veth(ns1, "va", ns2, "vb");
        a = open(ns1, "va", AfPacketPort::open);
        b = open(ns2, "vb", receiver());
    }

    @AfterEach
    void tearDown() throws IOException
    {
        ports.forEach(AccessPort::close);
        namespaces.close();
    }

    /** How B is opened: the driver under test, as given; a subclass may open it another way. */
    protected Opener<P> receiver()
    {
        return driver;
    }

    /** Opens a port in {@code namespace}, closed after the test. */
    protected <T extends AccessPort> T open(final String namespace, final String interfaceName, final Opener<T> opener)
        throws Exception
    {
        final T port = NetworkNamespace.call(namespace, () -> opener.open(interfaceName));
        ports.add(port);
        return port;
    }

    /**
     * Every frame is received or counted: frames that overflow B's receive queue while nobody reads
     * are {@link AccessPort#socketQueueDrops()}, and received + dropped = sent, exactly. A re-opened
     * port (whose kernel count starts at zero) goes on from the old total.
     */
    @Test
    void framesTheKernelDropsBeforeTheyAreReadAreCountedAcrossReopens() throws Exception
    {
        final long firstDrops = overflowAndDrain(a, b, batch, framesToOverflow, 0);
        assertTrue(firstDrops > 0, "the receive queue should have overflowed");
        NetworkNamespace.call(ns2, () ->
        {
            b.reopen();
            return null;
        });
        final long totalDrops = overflowAndDrain(a, b, batch, framesToOverflow, firstDrops);
        assertTrue(totalDrops > firstDrops, "the new queue overflowed too: " + totalDrops);
    }

    @Test
    void ownSendsAreNotReadBack()
    {
        sendAll(b, IntStream.range(0, 5).mapToObj(i -> frame(i, 80)).toArray(byte[][]::new));
        assertEquals(5, TestFrames.receive(a, batch, 5, 5_000).size());
        assertEquals(0, b.receive(batch, 200));
    }

    /** Frames longer than a batch slot are dropped and counted, those that fit arrive. */
    @Test
    void framesLongerThanASlotAreDroppedAndCounted() throws IOException
    {
        TestNamespaces.ip(ns1, "link", "set", "va", "mtu", "16000");
        TestNamespaces.ip(ns2, "link", "set", "vb", "mtu", "16000");
        final byte[] fits = frame(2, FrameBatch.MAX_FRAME_LENGTH);
        final byte[] small = frame(3, 64);
        sendAll(a, frame(1, FrameBatch.MAX_FRAME_LENGTH + 1), fits, small);
        final List<byte[]> received = TestFrames.receive(b, batch, 2, 5_000);
        assertEquals(2, received.size());
        assertArrayEquals(fits, received.get(0));
        assertArrayEquals(small, received.get(1));
        assertEquals(1, b.truncatedFrames());
    }

    /**
     * A close from another thread ends a receive in progress within its timeout (and does not free
     * the ring under it); later calls fail.
     */
    @Test
    void closeDuringAReceiveEndsItAndLaterCallsFail() throws Exception
    {
        final CompletableFuture<Integer> receiving = CompletableFuture.supplyAsync(() -> b.receive(new FrameBatch(4), 500));
        Thread.sleep(50);
        b.close();
        assertEquals(0, receiving.get(10, TimeUnit.SECONDS));
        final byte[] frame = frame(1, 60);
        assertFalse(b.send(nativeCopy(frame), 0, frame.length));
        assertEquals(0, b.receive(batch, 10));
        assertTrue(b.toString().endsWith("closed]"), b.toString());
    }

    @Test
    void aMissingInterfaceIsAClearError()
    {
        final IOException error = assertThrows(IOException.class, () -> NetworkNamespace.call(ns1, () -> driver.open("vtmissing0")));
        assertEquals("access port vtmissing0: no such network interface (in this network namespace)", error.getMessage());
    }

    @Test
    void withoutCapNetRawTheErrorSaysSo()
    {
        final IOException error = assertThrows(IOException.class, () -> NetworkNamespace.call(ns1, () ->
        {
            ThreadCapabilities.dropEffective(ThreadCapabilities.CAP_NET_RAW);
            return driver.open("va");
        }));
        assertTrue(error.getMessage().startsWith(withoutCapNetRawErrorStart), error.getMessage());
        assertTrue(error.getMessage().contains("; the process needs CAP_NET_RAW"), error.getMessage());
    }

    @FunctionalInterface
    protected interface Opener<T extends AccessPort>
    {
        T open(String interfaceName) throws IOException;
    }
}
