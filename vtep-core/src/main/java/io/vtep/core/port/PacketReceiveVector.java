package io.vtep.core.port;

import static io.vtep.core.nativeio.LinuxStructs.IOV_BASE;
import static io.vtep.core.nativeio.LinuxStructs.IOV_LEN;
import static io.vtep.core.nativeio.LinuxStructs.MMSG_HDR;
import static io.vtep.core.nativeio.LinuxStructs.MMSG_LEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_CONTROL;
import static io.vtep.core.nativeio.LinuxStructs.MSG_CONTROLLEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_FLAGS;
import static io.vtep.core.nativeio.LinuxStructs.MSG_IOV;
import static io.vtep.core.nativeio.LinuxStructs.MSG_IOVLEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_NAME;
import static io.vtep.core.nativeio.LinuxStructs.MSG_NAMELEN;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.nativeio.LinuxStructs;

/**
 * The {@code mmsghdr} vector one {@code recvmmsg} on a packet socket fills: per frame an iovec
 * (pointed at a batch slot), a {@code sockaddr_ll} (the packet type) and a control buffer (the
 * {@code tpacket_auxdata} with the VLAN tag). One per port, used by its receiving thread only;
 * native memory made once.
 */
final class PacketReceiveVector
{
    /** 64 bytes hold CMSG_SPACE(sizeof(struct tpacket_auxdata)) = 40. */
    static final int CONTROL_CAPACITY = 64;
    private static final int SOCKADDR_CAPACITY = 32;
    private static final int MMSGHDR_SIZE = (int)LinuxStructs.MMSGHDR.byteSize();
    private static final int IOVEC_SIZE = (int)LinuxStructs.IOVEC.byteSize();

    private final int capacity;
    private final int iovecsOffset;
    private final int sockaddrsOffset;
    private final int controlsOffset;
    private final MemorySegment memory;
    private final long address;
    private final UnsafeBuffer buffer;

    PacketReceiveVector(final int capacity)
    {
        this.capacity = capacity;
        iovecsOffset = capacity * MMSGHDR_SIZE;
        sockaddrsOffset = iovecsOffset + capacity * IOVEC_SIZE;
        controlsOffset = sockaddrsOffset + capacity * SOCKADDR_CAPACITY;
        final int size = controlsOffset + capacity * CONTROL_CAPACITY;
        memory = Arena.ofAuto().allocate(size, 64);
        address = memory.address();
        buffer = new UnsafeBuffer(address, size);
        for (int i = 0; i < capacity; i++)
        {
            final int header = i * MMSGHDR_SIZE + (int)MMSG_HDR;
            buffer.putLong(header + (int)MSG_NAME, address + sockaddrOffset(i));
            buffer.putLong(header + (int)MSG_IOV, address + iovecsOffset + (long)i * IOVEC_SIZE);
            buffer.putLong(header + (int)MSG_IOVLEN, 1L);
            buffer.putLong(header + (int)MSG_CONTROL, address + controlOffset(i));
        }
    }

    int capacity()
    {
        return capacity;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Readies entries {@code 0..count-1}: entry i receives into {@code length} bytes at
     * {@code firstAddress + i * stride}. The kernel overwrites the name and control lengths and the
     * flags on every call, so they are reset here.
     *
     * @return the vector's address for {@code recvmmsg}
     */
    long prepare(final int count, final long firstAddress, final int stride, final int length)
    {
        for (int i = 0; i < count; i++)
        {
            final int iovec = iovecsOffset + i * IOVEC_SIZE;
            buffer.putLong(iovec + (int)IOV_BASE, firstAddress + (long)i * stride);
            buffer.putLong(iovec + (int)IOV_LEN, length);
            final int header = i * MMSGHDR_SIZE + (int)MMSG_HDR;
            buffer.putInt(header + (int)MSG_NAMELEN, SOCKADDR_CAPACITY);
            buffer.putLong(header + (int)MSG_CONTROLLEN, CONTROL_CAPACITY);
            buffer.putInt(header + (int)MSG_FLAGS, 0);
        }
        return address;
    }

    /** Bytes the kernel reported for entry {@code i} (with MSG_TRUNC: the real length). */
    int receivedLength(final int i)
    {
        return buffer.getInt(i * MMSGHDR_SIZE + (int)MMSG_LEN);
    }

    int controlLength(final int i)
    {
        return (int)buffer.getLong(i * MMSGHDR_SIZE + (int)MMSG_HDR + (int)MSG_CONTROLLEN);
    }

    int sockaddrOffset(final int i)
    {
        return sockaddrsOffset + i * SOCKADDR_CAPACITY;
    }

    int controlOffset(final int i)
    {
        return controlsOffset + i * CONTROL_CAPACITY;
    }
}
