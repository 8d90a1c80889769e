package io.vtep.core.underlay;

import static io.vtep.core.nativeio.LinuxStructs.IOV_BASE;
import static io.vtep.core.nativeio.LinuxStructs.IOV_LEN;
import static io.vtep.core.nativeio.LinuxStructs.MMSG_HDR;
import static io.vtep.core.nativeio.LinuxStructs.MMSG_LEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_IOV;
import static io.vtep.core.nativeio.LinuxStructs.MSG_IOVLEN;
import static io.vtep.core.nativeio.LinuxStructs.MSG_NAME;
import static io.vtep.core.nativeio.LinuxStructs.MSG_NAMELEN;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.LinuxStructs;

/**
 * Finished VXLAN packets waiting to be sent together: one {@code sendmmsg} for a whole batch of
 * received frames instead of one {@code sendto} each. Each entry is a packet in native memory
 * (its outer IP header's address and length), which must stay untouched until
 * {@link UnderlayTransmitter#send(TransmitBatch)} has run.
 *
 * <p>Owns the {@code mmsghdr} vector, iovecs and socket addresses ({@link #sendAll} fills them in), so one
 * batch belongs to one data-path thread and the transmitter itself stays shareable. Nothing is
 * allocated after construction.
 */
public final class TransmitBatch
{
    public static final int CAPACITY = 32;
    static final int MMSGHDR_SIZE = (int)LinuxStructs.MMSGHDR.byteSize();
    static final int IOVEC_SIZE = (int)LinuxStructs.IOVEC.byteSize();
    static final int SOCKADDR_SIZE = 32;
    private static final int IOVECS_OFFSET = CAPACITY * MMSGHDR_SIZE;
    private static final int SOCKADDRS_OFFSET = IOVECS_OFFSET + CAPACITY * IOVEC_SIZE;
    private static final int SIZE = SOCKADDRS_OFFSET + CAPACITY * SOCKADDR_SIZE;

    private final MemorySegment memory = Arena.ofAuto().allocate(SIZE, 64);
    private final long address = memory.address();
    private final UnsafeBuffer vector = new UnsafeBuffer(address, SIZE);
    private final long[] packetAddresses = new long[CAPACITY];
    private final int[] packetLengths = new int[CAPACITY];
    private final boolean[] sent = new boolean[CAPACITY];
    private final UnsafeBuffer packetView = new UnsafeBuffer(0, 0);
    private int count;

    public TransmitBatch()
    {
        for (int i = 0; i < CAPACITY; i++)
        {
            final int header = i * MMSGHDR_SIZE + (int)MMSG_HDR;
            vector.putLong(header + (int)MSG_NAME, sockaddrAddress(i));
            vector.putLong(header + (int)MSG_IOV, address + IOVECS_OFFSET + (long)i * IOVEC_SIZE);
            vector.putLong(header + (int)MSG_IOVLEN, 1L);
        }
    }

    /** Queues a packet (outer IP header at {@code packetAddress}); the caller checks {@link #isFull()} first. */
    public void add(final long packetAddress, final int packetLength)
    {
        packetAddresses[count] = packetAddress;
        packetLengths[count] = packetLength;
        sent[count] = false;
        count++;
    }

    public boolean isFull()
    {
        return count == CAPACITY;
    }

    public int count()
    {
        return count;
    }

    public void clear()
    {
        count = 0;
    }

    public int packetLength(final int index)
    {
        return packetLengths[index];
    }

    /** Whether the kernel took packet {@code index} (after a send). */
    public boolean sent(final int index)
    {
        return sent[index];
    }

    void sent(final int index, final boolean taken)
    {
        sent[index] = taken;
    }

    /** Marks every packet unsent (the socket is closed). */
    void failAll()
    {
        java.util.Arrays.fill(sent, 0, count, false);
    }

    private long vectorAddress(final int index)
    {
        return address + (long)index * MMSGHDR_SIZE;
    }

    /** Offset in the vector memory of entry {@code index}'s socket address. */
    private int sockaddrOffset(final int index)
    {
        return SOCKADDRS_OFFSET + index * SOCKADDR_SIZE;
    }

    private long sockaddrAddress(final int index)
    {
        return address + sockaddrOffset(index);
    }

    /** Writes the socket address a packet is sent to, read from the packet's own header. */
    @FunctionalInterface
    interface Destination
    {
        void put(UnsafeBuffer target, int offset, DirectBuffer packet, int packetOffset);
    }

    /**
     * Sends every packet on socket {@code fd}: each from {@code skip} bytes into it (the part the
     * socket does not write itself), to the address {@code destination} reads from it.
     */
    void sendAll(final int fd, final int flags, final int skip, final int sockaddrLength, final Destination destination)
    {
        for (int i = 0; i < count; i++)
        {
            destination.put(vector, sockaddrOffset(i), packet(i), 0);
            describe(i, packetAddresses[i] + skip, packetLengths[i] - skip, sockaddrLength);
        }
        sendDescribed(fd, flags);
    }

    /** A view of packet {@code index} (one view, re-pointed by each call). */
    public UnsafeBuffer packet(final int index)
    {
        packetView.wrap(packetAddresses[index], packetLengths[index]);
        return packetView;
    }

    /**
     * Sends the described entries with as few {@code sendmmsg} calls as the kernel allows: a call
     * returns at the first message it could not send, which the next call then reports (-1) and
     * which is skipped, as a single {@code sendto} would have failed it alone.
     */
    private void sendDescribed(final int fd, final int flags)
    {
        int i = 0;
        while (i < count)
        {
            final int taken = Libc.sendmmsg(fd, vectorAddress(i), count - i, flags);
            if (taken > 0)
            {
                for (int k = i; k < i + taken; k++)
                {
                    sent[k] = vector.getInt(k * MMSGHDR_SIZE + (int)MMSG_LEN) ==
                        (int)vector.getLong(IOVECS_OFFSET + k * IOVEC_SIZE + (int)IOV_LEN);
                }
                i += taken;
            }
            else
            {
                sent[i] = false;
                i++;
            }
        }
    }

    /** Points entry {@code index} at {@code length} bytes from {@code dataAddress}, to the socket address of that length. */
    private void describe(final int index, final long dataAddress, final int length, final int sockaddrLength)
    {
        final int iovec = IOVECS_OFFSET + index * IOVEC_SIZE;
        vector.putLong(iovec + (int)IOV_BASE, dataAddress);
        vector.putLong(iovec + (int)IOV_LEN, length);
        vector.putInt(index * MMSGHDR_SIZE + (int)MMSG_HDR + (int)MSG_NAMELEN, sockaddrLength);
    }
}
