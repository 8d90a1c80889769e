package io.vtep.core.port;

import static io.vtep.core.nativeio.LinuxStructs.IOV_BASE;
import static io.vtep.core.nativeio.LinuxStructs.IOV_LEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_IOV;
import static io.vtep.core.nativeio.LinuxStructs.MSG_IOVLEN;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.nativeio.LinuxStructs;

/**
 * A thread's {@code msghdr} for {@code sendmsg} on a {@code PACKET_VNET_HDR} socket: two
 * iovecs, the {@code virtio_net_hdr} (kept here) and the frame (where it lies), so a frame is
 * sent with its offload header without needing room in front of it. Native memory, made once
 * per thread and never freed while the thread lives; nothing allocated per send.
 */
final class VnetSendScratch
{
    private static final int MSGHDR_OFFSET = 0;
    private static final int IOVECS_OFFSET = 64;
    private static final int IOVEC_SIZE = (int)LinuxStructs.IOVEC.byteSize();
    private static final int HEADER_OFFSET = IOVECS_OFFSET + 2 * IOVEC_SIZE;
    private static final int SIZE = HEADER_OFFSET + 16;
    private static final ThreadLocal<VnetSendScratch> PER_THREAD = ThreadLocal.withInitial(VnetSendScratch::new);

    private final MemorySegment memory;
    private final long address;
    private final UnsafeBuffer buffer;

    private VnetSendScratch()
    {
        final MemorySegment memory = Arena.ofAuto().allocate(SIZE, 16);
        memory.fill((byte)0);
        address = memory.address();
        buffer = new UnsafeBuffer(memory.address(), SIZE);
        buffer.putLong(MSGHDR_OFFSET + (int)MSG_IOV, address + IOVECS_OFFSET);
        buffer.putLong(MSGHDR_OFFSET + (int)MSG_IOVLEN, 2);
        buffer.putLong(IOVECS_OFFSET + (int)IOV_BASE, address + HEADER_OFFSET);
        buffer.putLong(IOVECS_OFFSET + (int)IOV_LEN, AfPacketPort.VNET_HEADER_LENGTH);
        // Held so that Arena.ofAuto() frees the memory only when this (thread-local) object goes.
        this.memory = memory;
    }

    static VnetSendScratch current()
    {
        return PER_THREAD.get();
    }

    /** The {@code virtio_net_hdr} to fill in (10 bytes, host byte order). */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    int headerOffset()
    {
        return HEADER_OFFSET;
    }

    /** @return the msghdr address for {@code sendmsg}, with the frame as the second iovec */
    long prepare(final long frameAddress, final int frameLength)
    {
        buffer.putLong(IOVECS_OFFSET + IOVEC_SIZE + (int)IOV_BASE, frameAddress);
        buffer.putLong(IOVECS_OFFSET + IOVEC_SIZE + (int)IOV_LEN, frameLength);
        return address + MSGHDR_OFFSET;
    }
}
