package io.vtep.core.port;

import static io.vtep.core.nativeio.LinuxConstants.PACKET_COPY_THRESH;
import static io.vtep.core.nativeio.LinuxConstants.PACKET_RX_RING;
import static io.vtep.core.nativeio.LinuxConstants.PACKET_VERSION;
import static io.vtep.core.nativeio.LinuxConstants.SOL_PACKET;
import static io.vtep.core.nativeio.LinuxConstants.TPACKET_V2;
import static io.vtep.core.nativeio.LinuxConstants.TP_STATUS_KERNEL;
import static io.vtep.core.nativeio.LinuxStructs.TP2_STATUS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.nativeio.ErrnoException;
import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.LinuxStructs;

/**
 * A packet socket's memory-mapped receive ring ({@code PACKET_RX_RING}, {@code TPACKET_V2};
 * Documentation/networking/packet_mmap.rst): the kernel copies each frame into the next free ring
 * frame while it still runs on the sender's CPU (in the veth's transmit, for a host on a veth), and
 * frees the frame's buffer there; the reader takes frames without a system call. With
 * {@code recvmmsg} both the copy and the frees ran in the pipeline's own system call: 22 % of its
 * time for 64-byte frames (benchmarks/README.md).
 *
 * <p>Why version 2 and not 3: a {@code TPACKET_V3} reader is woken only when a block of frames is
 * closed, full or by its timer (at least a millisecond): an idle ping would wait for the timer.
 * Version 2 wakes the reader (its {@code poll}) per frame, like a plain socket.
 *
 * <p>Frames are sized for the interface's MTU. A longer one (a TSO/GSO super-frame of up to 64 KiB
 * from a host with offloads) does not fit: with {@code PACKET_COPY_THRESH} the kernel marks its
 * ring frame {@code TP_STATUS_COPY} and also queues it whole on the socket, where the port reads it
 * with {@code recvmsg} at that point of the ring, so order is kept.
 *
 * <p>One thread (the port's receiver) reads the ring and {@link #release}s it; {@link #unmap} is
 * for that thread, or for anyone once no thread can read it any more. Nothing allocates per frame.
 */
final class PacketReceiveRing
{
    /** About as much as the socket receive buffer the plain socket gets (AfPacketPort.RECEIVE_BUFFER_BYTES). */
    static final int RING_BYTES = 4 * 1024 * 1024;
    /** Each block is one contiguous kernel allocation: small ones are always found. */
    private static final int BLOCK_BYTES = 64 * 1024;
    /** tp_mac of a frame: the header, the sockaddr_ll, alignment, the virtio_net_hdr (10) and room for the Ethernet header. */
    private static final int FRAME_OVERHEAD = 128;

    private final long address;
    private final long length;
    private final UnsafeBuffer memory;
    private final int frameSize;
    private final int framesPerBlock;
    private final int frameCount;
    /** Guarded by this: the socket's ring is mapped / replaced by zeroed memory ({@link #detach}) / nothing is mapped. */
    private boolean detached;
    private boolean unmapped;
    private int head;

    private PacketReceiveRing(final long address, final long length, final int frameSize, final int framesPerBlock, final int frameCount)
    {
        this.address = address;
        this.length = length;
        this.memory = new UnsafeBuffer(address, (int)length);
        this.frameSize = frameSize;
        this.framesPerBlock = framesPerBlock;
        this.frameCount = frameCount;
    }

    /**
     * Gives {@code fd} (a packet socket, not yet bound, {@code PACKET_VNET_HDR} already set: the
     * kernel refuses it once a ring exists) a receive ring whose frames hold {@code mtu}-byte
     * packets, and maps it.
     */
    static PacketReceiveRing attach(final int fd, final int mtu) throws ErrnoException
    {
        final int frameSize = frameSizeFor(mtu);
        final int framesPerBlock = BLOCK_BYTES / frameSize;
        final int blocks = Math.max(1, RING_BYTES / BLOCK_BYTES);
        Libc.setsockoptInt(fd, SOL_PACKET, PACKET_VERSION, TPACKET_V2, "setsockopt(SOL_PACKET, PACKET_VERSION, TPACKET_V2)");
        Libc.setsockoptInt(fd, SOL_PACKET, PACKET_COPY_THRESH, 1, "setsockopt(SOL_PACKET, PACKET_COPY_THRESH)");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment request = arena.allocate(LinuxStructs.TPACKET_REQ);
            request.set(ValueLayout.JAVA_INT, LinuxStructs.TP_REQ_BLOCK_SIZE, BLOCK_BYTES);
            request.set(ValueLayout.JAVA_INT, LinuxStructs.TP_REQ_BLOCK_NR, blocks);
            request.set(ValueLayout.JAVA_INT, LinuxStructs.TP_REQ_FRAME_SIZE, frameSize);
            request.set(ValueLayout.JAVA_INT, LinuxStructs.TP_REQ_FRAME_NR, framesPerBlock * blocks);
            Libc.setsockopt(fd, SOL_PACKET, PACKET_RX_RING, request, "setsockopt(SOL_PACKET, PACKET_RX_RING)");
        }
        final long length = (long)BLOCK_BYTES * blocks;
        final long address = Libc.mapShared(fd, length, "mmap(packet receive ring)");
        return new PacketReceiveRing(address, length, frameSize, framesPerBlock, framesPerBlock * blocks);
    }

    /** A power of two that holds the frame's head and an MTU-sized packet with its Ethernet header and a tag. */
    static int frameSizeFor(final int mtu)
    {
        final int needed = FRAME_OVERHEAD + Math.max(mtu, 1500) + 18;
        final int size = Integer.highestOneBit(needed - 1) << 1;
        return Math.min(Math.max(size, 2048), BLOCK_BYTES);
    }

    /** The ring's memory: frames at {@link #headFrame()} offsets. */
    UnsafeBuffer memory()
    {
        return memory;
    }

    /** @return the offset in {@link #memory()} of the head frame's {@code tpacket2_hdr} */
    int headFrame()
    {
        final int block = head / framesPerBlock;
        return block * BLOCK_BYTES + (head - block * framesPerBlock) * frameSize;
    }

    /**
     * @return the head frame's status, read (with acquire semantics) before anything else of the
     *     frame: the kernel writes the frame, then the status
     */
    int headStatus()
    {
        return memory.getIntVolatile(headFrame() + (int)TP2_STATUS);
    }

    /** Gives the head frame back to the kernel (after everything of it was read: a release store) and moves on. */
    void release()
    {
        memory.putIntRelease(headFrame() + (int)TP2_STATUS, TP_STATUS_KERNEL);
        head = head + 1 == frameCount ? 0 : head + 1;
    }

    /**
     * Lets the socket go while a thread may still read the ring (any thread may call this): the
     * mapping holds a reference to the socket, so a closed socket would otherwise live on, and go
     * on receiving and holding the interface promiscuous, until the unmap. The range is replaced by
     * zeroed memory (every frame then reads as the kernel's: nothing to take); {@link #unmap} frees it.
     */
    synchronized void detach()
    {
        if (!detached && !unmapped)
        {
            detached = true;
            try
            {
                Libc.replaceWithAnonymous(address, length, "mmap(MAP_FIXED | MAP_ANONYMOUS, packet receive ring)");
            }
            catch (final ErrnoException ex)
            {
                throw new IllegalStateException("packet receive ring at " + Long.toHexString(address) + ": " + ex.getMessage(), ex);
            }
        }
    }

    /** Unmaps the ring, once; only when no thread reads it any more. */
    synchronized void unmap()
    {
        if (!unmapped)
        {
            unmapped = true;
            try
            {
                Libc.unmap(address, length);
            }
            catch (final ErrnoException ex)
            {
                throw new IllegalStateException("packet receive ring at " + Long.toHexString(address) + ": " + ex.getMessage(), ex);
            }
        }
    }
}
