package io.vtep.core.port;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A batch of Ethernet frames in one block of native memory, filled by {@link AccessPort#receive}
 * and processed in place by the forwarding pipeline.
 *
 * <p>Each frame lives in its own fixed-size slot. A slot starts with {@link #HEADROOM} free bytes
 * so that the pipeline can write the outer IP, UDP and VXLAN headers (and a driver can put back an
 * 802.1Q tag) in front of the frame without copying it. The frame's start and length are kept per
 * slot, because stripping or inserting a tag moves the start.
 *
 * <p>Native memory (not a heap array) so that drivers hand the address straight to the kernel.
 * A batch belongs to one thread.
 */
public final class FrameBatch
{
    /** Room in front of each frame: outer IPv6 (40) + UDP (8) + VXLAN (8), an 802.1Q tag, alignment. */
    public static final int HEADROOM = 128;
    /** Largest wire frame: a 9000-byte jumbo payload, Ethernet and two tags. */
    public static final int MAX_FRAME_LENGTH = 9216;
    /**
     * Largest frame a driver that takes offloaded frames may hand over: a 64 KiB TSO/GSO
     * super-frame (an IP packet of at most 65,535 bytes) with its Ethernet header and a tag.
     */
    public static final int MAX_SUPER_FRAME_LENGTH = 65_536 + 128;
    private static final int TAILROOM = 64;

    private final MemorySegment memory;
    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int maxFrameLength;
    private final int slotSize;
    private final int[] offsets;
    private final int[] lengths;
    private final long[] offloads;
    private int count;

    /** A batch of slots for wire frames of up to {@link #MAX_FRAME_LENGTH}. */
    public FrameBatch(final int capacity)
    {
        this(capacity, MAX_FRAME_LENGTH);
    }

    /** A batch of slots for frames of up to {@code maxFrameLength} bytes (a port's {@link AccessPort#maxFrameLength()}). */
    public FrameBatch(final int capacity, final int maxFrameLength)
    {
        this.capacity = capacity;
        this.maxFrameLength = maxFrameLength;
        this.slotSize = HEADROOM + maxFrameLength + TAILROOM;
        this.memory = Arena.ofAuto().allocate((long)capacity * slotSize, 64);
        this.buffer = new UnsafeBuffer(memory.address(), (int)memory.byteSize());
        this.offsets = new int[capacity];
        this.lengths = new int[capacity];
        this.offloads = new long[capacity];
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** Native address of the batch memory; {@code buffer()} offsets are relative to it. */
    public long address()
    {
        return memory.address();
    }

    public int capacity()
    {
        return capacity;
    }

    public int count()
    {
        return count;
    }

    /** The longest frame a slot holds. */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /** Distance between two slots: slot {@code i + 1}'s frame starts this far after slot {@code i}'s. */
    public int slotSize()
    {
        return slotSize;
    }

    /** Offset in {@link #buffer()} where a driver writes the frame received into {@code slot}. */
    public int slotFrameOffset(final int slot)
    {
        return slot * slotSize + HEADROOM;
    }

    /** Records the frame of the next slot; drivers call this once per received frame. */
    public void add(final int frameOffset, final int frameLength)
    {
        add(frameOffset, frameLength, FrameOffload.NONE);
    }

    /** Records the frame of the next slot with the offload work its sender left undone ({@link FrameOffload}). */
    public void add(final int frameOffset, final int frameLength, final long offload)
    {
        offsets[count] = frameOffset;
        lengths[count] = frameLength;
        offloads[count] = offload;
        count++;
    }

    public int frameOffset(final int index)
    {
        return offsets[index];
    }

    public int frameLength(final int index)
    {
        return lengths[index];
    }

    /** The frame's {@link FrameOffload} request, {@link FrameOffload#NONE} for a finished wire frame. */
    public long offload(final int index)
    {
        return offloads[index];
    }

    public void clear()
    {
        count = 0;
    }
}
