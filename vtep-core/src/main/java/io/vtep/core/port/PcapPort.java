package io.vtep.core.port;

import static io.vtep.core.nativeio.LinuxConstants.ENODEV;
import static io.vtep.core.nativeio.LinuxConstants.ENXIO;
import static io.vtep.core.nativeio.LinuxConstants.IFNAMSIZ;

import java.io.IOException;
import java.lang.reflect.Field;

import org.agrona.DirectBuffer;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.BlockingMode;
import org.pcap4j.core.PcapHandle.PcapDirection;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;

import com.sun.jna.Pointer;

import io.vtep.core.nativeio.ErrnoException;
import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.Libpcap;
import io.vtep.core.nativeio.NativeScratch;
import io.vtep.encap.ChecksumOffload;

/**
 * An access port on libpcap through Pcap4J 1.8.2: the portable, simple driver ({@code driver: pcap}).
 *
 * <p>The handle is promiscuous, snaplen {@link #SNAPLEN}, in immediate mode (libpcap then uses a
 * TPACKET_V2 ring that wakes the reader per packet rather than per filled block), and captures
 * direction IN only ({@code pcap_setdirection(PCAP_D_IN)}), so the frames this port sends are not read back.
 * libpcap already puts the 802.1Q tag the kernel moved into metadata back into the frame
 * (docs/architecture.md §8), so frames arrive as they were on the wire.
 *
 * <h2>Waiting</h2>
 * Pcap4J fixes the read timeout when the handle opens, while {@link #receive} takes one per call
 * and must return as soon as it has drained what is queued. So the handle runs non-blocking and the
 * port waits with {@code poll} on the handle's selectable descriptor ({@link Libpcap}), which it
 * reaches through Pcap4J's private {@code pcap_t} pointer (checked at open; Pcap4J is pinned).
 *
 * <h2>Allocation</h2>
 * Pcap4J allocates per packet (a {@code byte[]} and header objects on receive, a JNA copy on send);
 * that is known and is why {@code af-packet} is the default driver. It stays behind the
 * {@link AccessPort} interface: received packets are copied into the batch slot, and sends copy the
 * frame into a reusable per-thread {@code byte[]} first (Pcap4J only sends from a heap array).
 * Frames longer than {@link FrameBatch#MAX_FRAME_LENGTH}, or cut by the snaplen, are dropped and
 * counted in {@link #truncatedFrames()}.
 *
 * <h2>Offloads</h2>
 * libpcap passes on no offload metadata. A partial TCP/UDP checksum of an untagged frame (a host
 * with checksum offload on, as every veth host has) is recognised and finished
 * ({@link ChecksumOffload#completeIfPartial}); a TSO/GSO super-frame is longer than the snaplen and
 * is dropped as truncated, so a host that sends TCP through a pcap port needs TSO and GSO off. The
 * af-packet driver takes both.
 */
public final class PcapPort implements AccessPort
{
    /**
     * Bytes captured per packet: a whole slot, so a longer frame shows as cut (captured length
     * below its length) and is dropped. Not the customary 65535: libpcap sizes every slot of its
     * kernel ring by the snaplen (on an interface with offloads on, as veth has), so at 65535 a
     * 4 MiB ring held about 64 frames and a burst of 200 lost most of them.
     */
    public static final int SNAPLEN = FrameBatch.MAX_FRAME_LENGTH;
    /** Kernel ring size libpcap allocates: about a thousand slots of {@link #SNAPLEN}. */
    public static final int BUFFER_BYTES = 16 * 1024 * 1024;

    private static final ThreadLocal<byte[]> SEND_COPY =
        ThreadLocal.withInitial(() -> new byte[FrameBatch.MAX_FRAME_LENGTH]);

    private final String name;
    // Swapped by reopen() on the receiving thread; senders read the handle once per send.
    private volatile PcapHandle handle;
    private volatile boolean immediateMode;
    private volatile int selectableFd;
    private volatile boolean closed;
    private volatile long truncatedFrames;

    private PcapPort(final String name, final PcapHandle handle, final boolean immediateMode, final int selectableFd)
    {
        this.name = name;
        this.handle = handle;
        this.immediateMode = immediateMode;
        this.selectableFd = selectableFd;
    }

    /**
     * A new libpcap handle on the interface that now has this name, then the old one closed
     * (docs/architecture.md §3.5): a handle whose interface went away or down reports errors for
     * good. Called only by the port's receive thread.
     */
    @Override
    public void reopen() throws IOException
    {
        if (closed)
        {
            return;
        }
        final PcapPort fresh = open(name);
        final PcapHandle old = handle;
        handle = fresh.handle;
        immediateMode = fresh.immediateMode;
        selectableFd = fresh.selectableFd;
        old.close();
        if (closed)
        {
            close();
        }
    }

    /**
     * Opens interface {@code interfaceName} of the calling thread's network namespace.
     *
     * @throws IOException when the interface does not exist, when the process lacks CAP_NET_RAW,
     *     or when libpcap refuses the handle; the message names the interface and the reason
     */
    public static PcapPort open(final String interfaceName) throws IOException
    {
        if (interfaceName == null || interfaceName.isEmpty() || interfaceName.length() >= IFNAMSIZ)
        {
            throw new IOException("access port '" + interfaceName + "': not a Linux interface name (1 to 15 characters)");
        }
        try
        {
            // libpcap's own message for a missing device is vague; ask the kernel first
            Libc.ifNameToIndex(interfaceName);
        }
        catch (final ErrnoException ex)
        {
            if (ex.errno() == ENODEV || ex.errno() == ENXIO)
            {
                throw new IOException("access port " + interfaceName +
                    ": no such network interface (in this network namespace)", ex);
            }
            throw new IOException("access port " + interfaceName + ": " + ex.getMessage(), ex);
        }

        boolean immediateMode = true;
        PcapHandle handle;
        try
        {
            handle = build(interfaceName, true);
        }
        catch (final PcapNativeException ex)
        {
            // libpcap older than 1.5 has no pcap_set_immediate_mode; Pcap4J then fails the build
            immediateMode = false;
            try
            {
                handle = build(interfaceName, false);
            }
            catch (final PcapNativeException again)
            {
                again.addSuppressed(ex);
                throw openFailure(interfaceName, again);
            }
        }
        try
        {
            handle.setDirection(PcapDirection.IN);
            handle.setBlockingMode(BlockingMode.NONBLOCKING);
            final int fd = Libpcap.selectableFd(pcapTAddress(handle));
            return new PcapPort(interfaceName, handle, immediateMode, fd);
        }
        catch (final PcapNativeException | NotOpenException | IOException | RuntimeException ex)
        {
            handle.close();
            throw new IOException("access port " + interfaceName + " (pcap): " + ex.getMessage(), ex);
        }
    }

    private static PcapHandle build(final String interfaceName, final boolean immediateMode)
        throws PcapNativeException, IOException
    {
        try
        {
            return new PcapHandle.Builder(interfaceName)
                .snaplen(SNAPLEN)
                .promiscuousMode(PromiscuousMode.PROMISCUOUS)
                .bufferSize(BUFFER_BYTES)
                // only matters without immediate mode: bounds the TPACKET_V3 block latency
                .timeoutMillis(1)
                .immediateMode(immediateMode)
                .build();
        }
        catch (final PcapNativeException ex)
        {
            final String message = String.valueOf(ex.getMessage());
            if (message.contains("ermission") || message.contains("not permitted"))
            {
                throw openFailure(interfaceName, ex);
            }
            throw ex;
        }
    }

    private static IOException openFailure(final String interfaceName, final PcapNativeException ex)
    {
        final String message = String.valueOf(ex.getMessage());
        if (message.contains("ermission") || message.contains("not permitted"))
        {
            return new IOException("access port " + interfaceName + " (pcap): " + message +
                "; the process needs CAP_NET_RAW (run as root or grant the capability)", ex);
        }
        return new IOException("access port " + interfaceName + " (pcap): " + message, ex);
    }

    /** Pcap4J keeps the {@code pcap_t *} in a private field; its value is needed for the descriptor. */
    private static long pcapTAddress(final PcapHandle handle) throws IOException
    {
        try
        {
            final Field field = PcapHandle.class.getDeclaredField("handle");
            field.setAccessible(true);
            return Pointer.nativeValue((Pointer)field.get(handle));
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            throw new IOException("cannot reach the pcap_t of this Pcap4J version (expected 1.8.2)", ex);
        }
    }

    @Override
    public String name()
    {
        return name;
    }

    /** Whether libpcap delivers each packet at once (false only with a libpcap older than 1.5). */
    public boolean immediateMode()
    {
        return immediateMode;
    }

    /** Frames dropped because they were longer than {@link FrameBatch#MAX_FRAME_LENGTH} or cut by the snaplen. */
    @Override
    public long truncatedFrames()
    {
        return truncatedFrames;
    }

    @Override
    public int receive(final FrameBatch batch, final int timeoutMillis)
    {
        batch.clear();
        final PcapHandle handle = this.handle;
        if (!handle.isOpen())
        {
            return 0;
        }
        int count = drain(batch, handle);
        if (count == 0 && timeoutMillis != 0)
        {
            final NativeScratch scratch = NativeScratch.current();
            final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            int waitMillis = timeoutMillis;
            while (true)
            {
                // the descriptor is libpcap's packet socket; it stays ours until handle.close()
                final int events = scratch.pollReadable(selectableFd, waitMillis);
                if (events == 0 || !handle.isOpen())
                {
                    break;
                }
                count = drain(batch, handle);
                if (count > 0)
                {
                    break;
                }
                // woken by a frame libpcap then skipped (one we sent: direction IN), or a signal
                if (timeoutMillis > 0)
                {
                    final long remainingNanos = deadline - System.nanoTime();
                    if (remainingNanos <= 0)
                    {
                        break;
                    }
                    waitMillis = (int)((remainingNanos + 999_999) / 1_000_000);
                }
            }
        }
        return count;
    }

    private int drain(final FrameBatch batch, final PcapHandle handle)
    {
        final int capacity = batch.capacity();
        int reads = 2 * capacity;
        int count = 0;
        while (count < capacity && reads-- > 0)
        {
            final byte[] packet;
            final Integer originalLength;
            try
            {
                packet = handle.getNextRawPacket();
                if (packet == null)
                {
                    break;
                }
                originalLength = handle.getOriginalLength();
            }
            catch (final NotOpenException | RuntimeException ex)
            {
                break; // closed under us
            }
            if (packet.length > FrameBatch.MAX_FRAME_LENGTH || (originalLength != null && originalLength > packet.length))
            {
                truncatedFrames++;
                continue;
            }
            final int frameOffset = batch.slotFrameOffset(count);
            batch.buffer().putBytes(frameOffset, packet);
            // libpcap reports no checksum state: a host's checksum offload is recognised by its
            // partial checksum and finished here, as a NIC would have.
            ChecksumOffload.completeIfPartial(batch.buffer(), frameOffset, packet.length);
            batch.add(frameOffset, packet.length);
            count++;
        }
        return count;
    }

    /** Copies the frame into this thread's send array and injects it with {@code pcap_sendpacket}. */
    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        final PcapHandle handle = this.handle;
        if (!handle.isOpen() || length <= 0 || length > FrameBatch.MAX_FRAME_LENGTH ||
            offset < 0 || length > buffer.capacity() - offset)
        {
            return false;
        }
        final byte[] copy = SEND_COPY.get();
        buffer.getBytes(offset, copy, 0, length);
        try
        {
            handle.sendPacket(copy, length);
            return true;
        }
        catch (final PcapNativeException | NotOpenException | RuntimeException ex)
        {
            return false;
        }
    }

    /** Closes the handle; Pcap4J waits for a read in progress, which never blocks here. */
    @Override
    public void close()
    {
        closed = true;
        handle.close();
    }

    @Override
    public String toString()
    {
        return "PcapPort[" + name + (handle.isOpen() ? "]" : ", closed]");
    }
}
