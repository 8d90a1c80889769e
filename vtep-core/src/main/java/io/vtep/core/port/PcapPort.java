package io.vtep.core.port;

import static io.vtep.core.nativeio.LinuxConstants.ENODEV;
import static io.vtep.core.nativeio.LinuxConstants.ENXIO;
import static io.vtep.core.nativeio.LinuxConstants.IFNAMSIZ;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.nativeio.ErrnoException;
import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.Libpcap;
import io.vtep.core.nativeio.NativeScratch;
import io.vtep.encap.ChecksumOffload;

/**
 * An access port on libpcap: the portable, simple driver ({@code driver: pcap}), bound with the
 * Foreign Function and Memory API ({@link Libpcap}) like the rest of the native calls.
 *
 * <p>The handle is promiscuous, snaplen {@link #SNAPLEN}, in immediate mode (libpcap then uses a
 * TPACKET_V2 ring that wakes the reader per packet rather than per filled block), and captures
 * direction IN only ({@code pcap_setdirection(PCAP_D_IN)}), so the frames this port sends are not read back.
 * libpcap already puts the 802.1Q tag the kernel moved into metadata back into the frame
 * (docs/architecture.md §8), so frames arrive as they were on the wire.
 *
 * <h2>Waiting</h2>
 * {@link #receive} takes a timeout per call and must return as soon as it has drained what is
 * queued, while libpcap fixes its read timeout when the handle is activated. So the handle runs
 * non-blocking and the port waits with {@code poll} on the handle's selectable descriptor.
 *
 * <h2>Allocation</h2>
 * None per packet: {@code pcap_next_ex} hands out pointers into libpcap's ring, which the port
 * reads through a reusable view and copies into the batch slot; a frame in native memory (every
 * batch is) is sent from where it is, a heap frame from a per-thread native copy. Frames longer
 * than {@link FrameBatch#MAX_FRAME_LENGTH}, or cut by the snaplen, are dropped and counted in
 * {@link #truncatedFrames()}.
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

    /** Native copies of heap frames to send (tests send from heap buffers; the data path never does). */
    private static final ThreadLocal<UnsafeBuffer> SEND_COPY = ThreadLocal.withInitial(
        () -> new UnsafeBuffer(ByteBuffer.allocateDirect(FrameBatch.MAX_FRAME_LENGTH)));

    private final String name;
    // Swapped by reopen() on the receiving thread; senders read the session once per send.
    private volatile PcapSession session;
    private volatile boolean closed;
    private volatile long truncatedFrames;

    // The receiving thread's: the kernel's drops at the ring, carried across re-openings.
    private final UnsafeBuffer stats = new UnsafeBuffer(ByteBuffer.allocateDirect(Libpcap.STAT_LENGTH));
    private long socketQueueDrops;
    private long sessionDrops;

    // The receiving thread's: where pcap_next_ex writes its two pointers, and views over them.
    private final UnsafeBuffer pointers = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * Long.BYTES));
    private final UnsafeBuffer headerView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer packetView = new UnsafeBuffer(0, 0);

    private PcapPort(final String name, final PcapSession session)
    {
        this.name = name;
        this.session = session;
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
        final PcapSession fresh = PcapSession.open(name, SNAPLEN, BUFFER_BYTES);
        socketQueueDrops(); // the old ring's last count
        final PcapSession old = session;
        session = fresh;
        sessionDrops = 0;
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
        try
        {
            return new PcapPort(interfaceName, PcapSession.open(interfaceName, SNAPLEN, BUFFER_BYTES));
        }
        catch (final IOException ex)
        {
            final String message = String.valueOf(ex.getMessage());
            final String hint = message.contains("ermission") || message.contains("not permitted") ?
                "; the process needs CAP_NET_RAW (run as root or grant the capability)" : "";
            throw new IOException("access port " + interfaceName + " (pcap): " + message + hint, ex);
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
        return session.handle.immediateMode();
    }

    /** Frames dropped because they were longer than {@link FrameBatch#MAX_FRAME_LENGTH} or cut by the snaplen. */
    @Override
    public long truncatedFrames()
    {
        return truncatedFrames;
    }

    /**
     * Frames the kernel dropped at libpcap's ring because it was full ({@code pcap_stats}'s
     * {@code ps_drop}), since the port opened. Called by the receiving thread at an interval.
     */
    @Override
    public long socketQueueDrops()
    {
        final PcapSession session = this.session;
        if (!session.enter())
        {
            return socketQueueDrops;
        }
        try
        {
            if (Libpcap.stats(session.pcap, stats.addressOffset()) == 0)
            {
                final long drops = stats.getInt(Libpcap.STAT_DROP_OFFSET) & 0xFFFF_FFFFL;
                socketQueueDrops += (drops - sessionDrops) & 0xFFFF_FFFFL; // 32 bits wide: it wraps
                sessionDrops = drops;
            }
            return socketQueueDrops;
        }
        finally
        {
            session.exit();
        }
    }

    @Override
    public int receive(final FrameBatch batch, final int timeoutMillis)
    {
        batch.clear();
        final PcapSession session = this.session;
        if (!session.enter())
        {
            return 0;
        }
        try
        {
            return receive(batch, timeoutMillis, session);
        }
        finally
        {
            session.exit();
        }
    }

    private int receive(final FrameBatch batch, final int timeoutMillis, final PcapSession session)
    {
        int count = drain(batch, session);
        if (count == 0 && timeoutMillis != 0)
        {
            final NativeScratch scratch = NativeScratch.current();
            final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            int waitMillis = timeoutMillis;
            while (true)
            {
                // the descriptor is libpcap's packet socket; the session keeps it open while we are inside
                final int events = scratch.pollReadable(session.selectableFd, waitMillis);
                if (events == 0 || !session.isOpen())
                {
                    break;
                }
                count = drain(batch, session);
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

    private int drain(final FrameBatch batch, final PcapSession session)
    {
        final int capacity = batch.capacity();
        final long headerPointer = pointers.addressOffset();
        final long dataPointer = headerPointer + Long.BYTES;
        int reads = 2 * capacity;
        int count = 0;
        while (count < capacity && reads-- > 0)
        {
            if (Libpcap.nextPacket(session.pcap, headerPointer, dataPointer) != Libpcap.NEXT_PACKET)
            {
                break; // nothing queued (non-blocking), or the handle failed: the port follower reopens it
            }
            headerView.wrap(pointers.getLong(0), Libpcap.PKTHDR_LEN_OFFSET + Integer.BYTES);
            final int capturedLength = headerView.getInt(Libpcap.PKTHDR_CAPLEN_OFFSET);
            final int length = headerView.getInt(Libpcap.PKTHDR_LEN_OFFSET);
            if (capturedLength > FrameBatch.MAX_FRAME_LENGTH || length > capturedLength || capturedLength <= 0)
            {
                truncatedFrames++;
                continue;
            }
            packetView.wrap(pointers.getLong(Long.BYTES), capturedLength);
            final int frameOffset = batch.slotFrameOffset(count);
            batch.buffer().putBytes(frameOffset, packetView, 0, capturedLength);
            // libpcap reports no checksum state: a host's checksum offload is recognised by its
            // partial checksum and finished here, as a NIC would have.
            ChecksumOffload.completeIfPartial(batch.buffer(), frameOffset, capturedLength);
            batch.add(frameOffset, capturedLength);
            count++;
        }
        return count;
    }

    /** Injects the frame with {@code pcap_sendpacket}, from where it is when it is in native memory. */
    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0 || length > FrameBatch.MAX_FRAME_LENGTH || offset < 0 || length > buffer.capacity() - offset)
        {
            return false;
        }
        final PcapSession session = this.session;
        if (!session.enter())
        {
            return false;
        }
        try
        {
            final long address;
            if (null == buffer.byteArray())
            {
                address = buffer.addressOffset() + offset;
            }
            else
            {
                final UnsafeBuffer copy = SEND_COPY.get();
                copy.putBytes(0, buffer, offset, length);
                address = copy.addressOffset();
            }
            return Libpcap.sendPacket(session.pcap, address, length) == 0;
        }
        finally
        {
            session.exit();
        }
    }

    /** Closes the handle after the calls in progress on it have returned. */
    @Override
    public void close()
    {
        closed = true;
        session.close();
    }

    @Override
    public String toString()
    {
        return "PcapPort[" + name + (session.isOpen() ? "]" : ", closed]");
    }
}
