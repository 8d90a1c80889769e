package io.vtep.evpn.controlplane;

import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbListener;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The FDB listener of the EVPN control plane. It runs under the FDB write lock on the FDB's
 * writer (the conductor thread for learning and ageing), so it only copies the change into a
 * lock-free, allocation-free ring buffer and wakes the control thread; it never blocks and never
 * allocates. Only changes that involve a local entry matter to EVPN (export, RFC 7432 §9.1);
 * the EVPN entries the control plane installs itself are filtered out here.
 *
 * <p>If the ring is full the change is dropped and {@link #overflowed()} is set: the control
 * thread then re-reads the whole FDB, so nothing is lost, only batched.
 */
final class FdbEventQueue implements FdbListener
{
    static final int EVENT_TYPE = 1;
    static final int VNI_OFFSET = 0;
    static final int MAC_OFFSET = 8;
    static final int OLD_OFFSET = 16;
    static final int NEW_OFFSET = 24;
    static final int EVENT_LENGTH = 32;

    private final RingBuffer ring;
    private volatile Thread consumer;
    private volatile boolean overflowed;

    /** @param capacity ring size in bytes, a power of two (32 bytes + 8 of header per event). */
    FdbEventQueue(final int capacity)
    {
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    void consumer(final Thread thread)
    {
        this.consumer = thread;
    }

    @Override
    public void onEntryAdded(final int vni, final long mac, final long entry)
    {
        offer(vni, mac, FdbEntry.NONE, entry);
    }

    @Override
    public void onEntryChanged(final int vni, final long mac, final long oldEntry, final long newEntry)
    {
        offer(vni, mac, oldEntry, newEntry);
    }

    @Override
    public void onEntryRemoved(final int vni, final long mac, final long oldEntry)
    {
        offer(vni, mac, oldEntry, FdbEntry.NONE);
    }

    /**
     * @param handler receives (type, buffer, index, length) per change.
     * @param limit   most changes to hand over.
     * @return changes handed over.
     */
    int drain(final MessageHandler handler, final int limit)
    {
        return ring.read(handler, limit);
    }

    /** @return whether a change was dropped since the last call; clears the flag. */
    boolean takeOverflow()
    {
        if (overflowed)
        {
            overflowed = false;
            return true;
        }
        return false;
    }

    boolean overflowed()
    {
        return overflowed;
    }

    private void offer(final int vni, final long mac, final long oldEntry, final long newEntry)
    {
        if (!isLocal(oldEntry) && !isLocal(newEntry))
        {
            return;
        }
        final int index = ring.tryClaim(EVENT_TYPE, EVENT_LENGTH);
        if (index <= 0)
        {
            overflowed = true;
        }
        else
        {
            final MutableDirectBuffer buffer = ring.buffer();
            buffer.putInt(index + VNI_OFFSET, vni);
            buffer.putLong(index + MAC_OFFSET, mac);
            buffer.putLong(index + OLD_OFFSET, oldEntry);
            buffer.putLong(index + NEW_OFFSET, newEntry);
            ring.commit(index);
        }
        final Thread thread = consumer;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    private static boolean isLocal(final long entry)
    {
        return entry != FdbEntry.NONE && FdbEntry.isLocal(entry);
    }
}
