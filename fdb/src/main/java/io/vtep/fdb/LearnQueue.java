package io.vtep.fdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
    /**
     * True while the consumer may be about to park (it found nothing to do): only then does a
     * producer pay for an unpark. Set by the consumer before it looks at the ring for the last
     * time, cleared by the one producer that wins the CAS (or by the consumer once busy again).
     */
    private volatile boolean consumerIdle;
    /** Times a producer woke the consumer (tests, diagnostics). */
    private volatile long wakeUps;

    private static final VarHandle CONSUMER_IDLE;
    private static final VarHandle WAKE_UPS;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CONSUMER_IDLE = lookup.findVarHandle(LearnQueue.class, "consumerIdle", boolean.class);
            WAKE_UPS = lookup.findVarHandle(LearnQueue.class, "wakeUps", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

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
        // Wake the writer only when it is idle (it may be parked): a busy writer reads the event in
        // its next duty cycle anyway, and an unpark per event from every worker is a shared write
        // and, when the writer really sleeps, a futex call. Dekker-style, no lost wake-up: the
        // producer commits, fences, reads the flag; the consumer sets the flag (volatile), then reads
        // the ring once more (consumerIdle()). Either the consumer sees this event or this producer
        // sees the flag, so the next unicast to a just-learned MAC is not flooded for a whole park
        // period. The full fence orders the release store of the commit before the flag load
        // (a release store may otherwise pass a later load); it costs a few ns per new MAC only.
        VarHandle.fullFence();
        if (consumerIdle && CONSUMER_IDLE.compareAndSet(this, true, false))
        {
            final Thread thread = consumer;
            if (thread != null)
            {
                WAKE_UPS.getAndAdd(this, 1L);
                LockSupport.unpark(thread);
            }
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
        consumerIdle = false;
    }

    /**
     * Consumer: it found no work and may park after this duty cycle. Call, then {@link #drain} once
     * more before parking, so that an event committed after that drain sees the flag and unparks
     * the consumer.
     */
    void consumerIdle()
    {
        consumerIdle = true;
    }

    /** Consumer: it has work again; producers need not wake it. */
    void consumerBusy()
    {
        if (consumerIdle)
        {
            consumerIdle = false;
        }
    }

    /** @return times a producer unparked the consumer. */
    long wakeUps()
    {
        return wakeUps;
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
