package io.vtep.fdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The one queue between threads that never wait for each other (docs/architecture.md §3, "Queues"):
 * an Agrona {@link ManyToOneRingBuffer} in preallocated direct memory, written in place by any
 * number of producers (lock-free, allocation-free: {@code tryClaim}, write, {@code commit}) and
 * drained by one consumer thread, which may sleep when idle and is woken by the producer that
 * finds it so. A subclass owns its record layout: it encodes in its typed {@code offer} methods
 * and decodes in {@link #decode}, handing each record's fields to its consumer's typed handler
 * ({@code H}), so that no consumer reads offsets into the ring.
 *
 * <h2>The wake-up</h2>
 * A consumer that finds no work says so ({@link #consumerIdle()}), drains once more, and only then
 * lets its idle strategy park. A producer wakes it only while that flag is set, and only one
 * producer (the one that wins the CAS) pays for the {@code unpark}: a busy consumer reads the record
 * in its next duty cycle anyway, and an unpark per record from every producer would be a shared
 * write and, when the consumer really sleeps, a futex call each. Dekker-style, no lost wake-up: the
 * producer commits, fences, reads the flag; the consumer sets the flag (volatile), then reads the
 * ring once more. Either the consumer sees the record or the producer sees the flag. The full
 * fence orders the commit's release store before the flag's load (a release store may otherwise
 * pass a later load); it costs a few ns per record, and records are rare events on the data path
 * (a new MAC, an ARP), never one per packet.
 *
 * @param <H> the consumer's handler, to which {@link #decode} hands each record's fields
 */
public abstract class RecordQueue<H>
{
    /** The ring refuses records longer than 1/8 of its capacity. */
    static final int MIN_RECORDS = 8;

    private static final VarHandle CONSUMER_IDLE;
    private static final VarHandle WAKE_UPS;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CONSUMER_IDLE = lookup.findVarHandle(RecordQueue.class, "consumerIdle", boolean.class);
            WAKE_UPS = lookup.findVarHandle(RecordQueue.class, "wakeUps", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final UnsafeBuffer buffer;
    private final ManyToOneRingBuffer ring;
    private final int recordLength;
    private final int length;
    private final int capacity;
    private final MessageHandler decoder = this::onRecord;
    /** The handler of the drain in progress (consumer thread only). */
    private H handler;
    /** The thread that drains the queue, woken when a record arrives while it is idle. */
    private volatile Thread consumer;
    /**
     * True while the consumer may be about to park (it found nothing to do): only then does a
     * producer pay for an unpark. Set by the consumer before it looks at the ring for the last
     * time, cleared by the one producer that wins the CAS (or by the consumer once busy again).
     */
    private volatile boolean consumerIdle;
    /** Times a producer woke the consumer (tests, diagnostics). */
    @SuppressWarnings("unused")
    private volatile long wakeUps;

    /**
     * @param requestedRecords records the queue should hold at least (rounded up so that the ring,
     *                         whose size must be a power of two, is; at least {@value #MIN_RECORDS})
     * @param length           bytes of one record's body (the ring adds its 8-byte header)
     */
    protected RecordQueue(final int requestedRecords, final int length)
    {
        if (requestedRecords < 1)
        {
            throw new IllegalArgumentException("capacity must be positive: " + requestedRecords);
        }
        this.length = length;
        this.recordLength = BitUtil.align(length + RecordDescriptor.HEADER_LENGTH, RecordDescriptor.ALIGNMENT);
        final int ringBytes = BitUtil.findNextPositivePowerOfTwo(Math.max(MIN_RECORDS, requestedRecords) * recordLength);
        this.capacity = ringBytes / recordLength;
        final ByteBuffer memory = BufferUtil.allocateDirectAligned(ringBytes + RingBufferDescriptor.TRAILER_LENGTH,
            BitUtil.CACHE_LINE_LENGTH);
        buffer = new UnsafeBuffer(memory);
        ring = new ManyToOneRingBuffer(buffer);
    }

    /**
     * Producer: claims room for one record of {@code type} (positive). Write the body at the index
     * returned, then {@link #commit}.
     *
     * @return the body's index in {@link #buffer()}, or negative when the queue is full (the record
     * is dropped; the subclass counts it)
     */
    protected final int claim(final int type)
    {
        return ring.tryClaim(type, length);
    }

    /** The memory {@link #claim} indexes into. */
    protected final MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /** Producer: publishes the claimed record and wakes the consumer if it is idle. */
    protected final void commit(final int index)
    {
        ring.commit(index);
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
    }

    /**
     * Consumer: hands up to {@code limit} records, decoded, to {@code handler}.
     *
     * @return records handed over
     */
    public final int drain(final H handler, final int limit)
    {
        this.handler = handler;
        try
        {
            return ring.read(decoder, limit);
        }
        finally
        {
            this.handler = null;
        }
    }

    private void onRecord(final int type, final MutableDirectBuffer records, final int index, final int length)
    {
        decode(type, records, index, handler);
    }

    /**
     * Reads one record (body at {@code index}) and calls {@code handler} with its fields.
     */
    protected abstract void decode(int type, DirectBuffer records, int index, H handler);

    /** {@code thread} becomes the one woken by producers; null for none. */
    public final void consumer(final Thread thread)
    {
        consumer = thread;
        if (thread == null)
        {
            consumerIdle = false;
        }
    }

    /**
     * Consumer: it found no work and may park after this duty cycle. Call, then {@link #drain} once
     * more before parking, so that a record committed after that drain sees the flag and wakes it.
     */
    public final void consumerIdle()
    {
        consumerIdle = true;
    }

    /** Consumer: it has work again; producers need not wake it. */
    public final void consumerBusy()
    {
        if (consumerIdle)
        {
            consumerIdle = false;
        }
    }

    /** @return times a producer woke the consumer. */
    public final long wakeUps()
    {
        return wakeUps;
    }

    /** @return records the queue holds when full. */
    public final int capacity()
    {
        return capacity;
    }

    /** @return records waiting (approximate while producers are writing). */
    public final int depth()
    {
        return ring.size() / recordLength;
    }
}
