package io.vtep.fdb;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Learn events from the data-path threads to the FDB writer: an Agrona
 * {@link ManyToOneRingBuffer} (lock-free for producers, allocation-free), written in place
 * with {@code tryClaim}/{@code commit}. Each event is a fixed 32-byte record:
 *
 * <pre>
 *   record header (8)  length, msgTypeId = LEARN_LOCAL | LEARN_REMOTE
 *   +0  int   vni
 *   +4  int   target     attachment id (LEARN_LOCAL) or remote VTEP index (LEARN_REMOTE)
 *   +8  long  mac        low 48 bits
 *   +16 long  nowNanos   when the packet was seen
 * </pre>
 */
final class LearnQueue
{
    static final int LEARN_LOCAL = 1;
    static final int LEARN_REMOTE = 2;

    static final int VNI_OFFSET = 0;
    static final int TARGET_OFFSET = 4;
    static final int MAC_OFFSET = 8;
    static final int TIME_OFFSET = 16;
    static final int LENGTH = 24;
    static final int RECORD_LENGTH = BitUtil.align(LENGTH + RecordDescriptor.HEADER_LENGTH, RecordDescriptor.ALIGNMENT);
    /** The ring refuses records longer than 1/8 of its capacity. */
    static final int MIN_EVENTS = 8;

    private final UnsafeBuffer buffer;
    private final ManyToOneRingBuffer ring;
    private final int capacityEvents;
    /** The thread that drains the queue, woken when an event arrives so that it need not poll often. */
    private volatile Thread consumer;

    LearnQueue(final int requestedEvents)
    {
        capacityEvents = BitUtil.findNextPositivePowerOfTwo(Math.max(MIN_EVENTS, requestedEvents));
        final int length = capacityEvents * RECORD_LENGTH + RingBufferDescriptor.TRAILER_LENGTH;
        final ByteBuffer memory = BufferUtil.allocateDirectAligned(length, BitUtil.CACHE_LINE_LENGTH);
        buffer = new UnsafeBuffer(memory);
        ring = new ManyToOneRingBuffer(buffer);
    }

    /**
     * Data path: lock-free, allocation-free.
     *
     * @return false when the queue is full (the event is dropped; the caller counts it).
     */
    boolean offer(final int type, final int vni, final long mac, final int target, final long nowNanos)
    {
        final int index = ring.tryClaim(type, LENGTH);
        if (index < 0)
        {
            return false;
        }

        buffer.putInt(index + VNI_OFFSET, vni);
        buffer.putInt(index + TARGET_OFFSET, target);
        buffer.putLong(index + MAC_OFFSET, mac);
        buffer.putLong(index + TIME_OFFSET, nowNanos);
        ring.commit(index);
        final Thread thread = consumer;
        if (thread != null)
        {
            // New MACs are rare next to packets: waking the writer costs a futex call per event,
            // and the next unicast to a just-learned MAC is not flooded while the writer sleeps.
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** The calling thread becomes the one woken by {@link #offer}. */
    void consumerIsCurrentThread()
    {
        consumer = Thread.currentThread();
    }

    void noConsumer()
    {
        consumer = null;
    }

    /**
     * Writer only.
     *
     * @return events handed to the handler.
     */
    int drain(final MessageHandler handler, final int limit)
    {
        return ring.read(handler, limit);
    }

    /**
     * @return events the queue holds when full.
     */
    int capacity()
    {
        return capacityEvents;
    }

    /**
     * @return events waiting (approximate while producers are writing).
     */
    int depth()
    {
        return ring.size() / RECORD_LENGTH;
    }
}
