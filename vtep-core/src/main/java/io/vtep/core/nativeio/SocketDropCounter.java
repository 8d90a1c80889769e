package io.vtep.core.nativeio;

import static io.vtep.core.nativeio.LinuxConstants.PACKET_STATISTICS;
import static io.vtep.core.nativeio.LinuxConstants.SK_MEMINFO_DROPS;
import static io.vtep.core.nativeio.LinuxConstants.SK_MEMINFO_VARS;
import static io.vtep.core.nativeio.LinuxConstants.SOL_PACKET;
import static io.vtep.core.nativeio.LinuxConstants.SOL_SOCKET;
import static io.vtep.core.nativeio.LinuxConstants.SO_MEMINFO;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * What the kernel dropped at a receive socket before vtep could read it: the socket's
 * {@code sk_drops}, read with {@code getsockopt(SOL_SOCKET, SO_MEMINFO)}, summed over the sockets a
 * port or the underlay has had (a re-opened port starts a new socket at zero).
 *
 * <p>Why this counter: a packet socket whose receive queue is full ({@code packet_rcv}: the
 * frame does not fit {@code SO_RCVBUF}) and a UDP socket whose receive buffer is full
 * ({@code UdpRcvbufErrors}) drop in the kernel, so no vtep counter saw them; {@code sk_drops}
 * counts both (also a UDP datagram with a bad checksum, and a frame the kernel had no memory to
 * clone). SO_MEMINFO rather than {@code PACKET_STATISTICS} because it reads the same way for both
 * kinds of socket and does not reset the count on read, so {@code ss -m} and vtep can both read it.
 *
 * <p>One system call per {@link #update}: callers read at an interval (a pipeline every
 * {@code SOCKET_DROPS_INTERVAL}), never per packet. Nothing is allocated after construction. Used by
 * one thread (the one that receives on the socket).
 */
public final class SocketDropCounter
{
    private static final int VALUE_BYTES = SK_MEMINFO_VARS * Integer.BYTES;
    private static final int LENGTH_OFFSET = 64;

    /** Held: Arena.ofAuto() frees the memory once the segment is unreachable, and getsockopt writes there. */
    private final MemorySegment segment;
    private final UnsafeBuffer memory;
    private final long address;
    /** Drops of the sockets before the current one plus the current one's at the last read. */
    private long total;
    /** The current socket's count at the last read (an unsigned 32-bit value in the kernel). */
    private long lastRaw;

    public SocketDropCounter()
    {
        segment = Arena.ofAuto().allocate(LENGTH_OFFSET + Long.BYTES, 8);
        address = segment.address();
        memory = new UnsafeBuffer(address, (int)segment.byteSize());
    }

    /**
     * Reads the socket's count and adds what is new to the total. A socket that was closed
     * meanwhile (its number then points at a dead socket, see {@link SocketHandle}) or a failing
     * read leaves the total as it was.
     *
     * @return drops so far, over every socket this counter followed
     */
    public long update(final SocketHandle socket)
    {
        if (socket.isClosed())
        {
            return total;
        }
        final long raw = read(socket.fd());
        // The read may have raced with close(): then it read the dead socket's count. close() marks
        // the handle before it parks the number, so a read that saw the dead socket sees the mark.
        if (raw >= 0 && !socket.isClosed())
        {
            total += (raw - lastRaw) & 0xFFFF_FFFFL; // sk_drops is a 32-bit counter that may wrap
            lastRaw = raw;
        }
        Reference.reachabilityFence(socket);
        return total;
    }

    /**
     * The socket is being replaced by a new one, whose count starts at zero: call after a last
     * {@link #update} of the old socket and before the first of the new one.
     */
    public void socketReplaced()
    {
        lastRaw = 0;
    }

    /**
     * {@link #update} for a packet socket with a receive ring: a frame that finds the ring full is
     * counted in the socket's {@code tp_drops} only, not in {@code sk_drops}; read with
     * {@code getsockopt(SOL_PACKET, PACKET_STATISTICS)}, which also resets it, so each read adds
     * what is new (only this counter may read it).
     *
     * @return drops so far, over every socket this counter followed
     */
    public long updateFromPacketStatistics(final SocketHandle socket)
    {
        if (socket.isClosed())
        {
            return total;
        }
        memory.putInt(LENGTH_OFFSET, 2 * Integer.BYTES);
        final int result = Libc.getsockopt(socket.fd(), SOL_PACKET, PACKET_STATISTICS, address, address + LENGTH_OFFSET);
        if (result == 0 && memory.getInt(LENGTH_OFFSET) >= 2 * Integer.BYTES && !socket.isClosed())
        {
            total += memory.getInt(Integer.BYTES) & 0xFFFF_FFFFL; // struct tpacket_stats: tp_packets, tp_drops
        }
        Reference.reachabilityFence(segment);
        Reference.reachabilityFence(socket);
        return total;
    }

    /** Drops so far, as of the last {@link #update}. */
    public long total()
    {
        return total;
    }

    /** {@code sk_drops} of {@code fd} as an unsigned value, or -1 when the kernel refused. */
    private long read(final int fd)
    {
        memory.putInt(LENGTH_OFFSET, VALUE_BYTES);
        final int result = Libc.getsockopt(fd, SOL_SOCKET, SO_MEMINFO, address, address + LENGTH_OFFSET);
        final long drops = result != 0 || memory.getInt(LENGTH_OFFSET) < (SK_MEMINFO_DROPS + 1) * Integer.BYTES ? -1 :
            memory.getInt(SK_MEMINFO_DROPS * Integer.BYTES) & 0xFFFF_FFFFL;
        Reference.reachabilityFence(segment); // the kernel wrote into it: it must not be freed before
        return drops;
    }
}
