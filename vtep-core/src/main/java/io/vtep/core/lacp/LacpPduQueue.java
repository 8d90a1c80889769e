package io.vtep.core.lacp;

import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.vtep.fdb.RecordQueue;

/**
 * Slow Protocols frames received by the forwarding pipelines on LACP ports, on their way to the LACP
 * thread ({@link LacpAgent}): a {@link RecordQueue} like the learn and neighbour queues, so the data
 * path hands a LACPDU over without a lock, an allocation or a wait. A partner sends one or a few a
 * second per port; when the ring is full the frame is dropped and counted, and the partner's next
 * one (at most a second later at the fast rate) carries the same information again.
 *
 * <pre>
 *   record header (8)  length, msgTypeId = FRAME
 *   +0  int   port index (the {@link LacpPort}'s place in the agent's list)
 *   +4  int   frame length kept (at most {@link LacpPdu#FRAME_LENGTH}: a later version's extra TLVs are not read)
 *   +8        the frame, Ethernet header first
 * </pre>
 */
public final class LacpPduQueue extends RecordQueue<LacpPduHandler>
{
    static final int FRAME = 1;
    private static final int PORT_OFFSET = 0;
    private static final int LENGTH_OFFSET = 4;
    private static final int FRAME_OFFSET = 8;
    private static final int LENGTH = FRAME_OFFSET + LacpPdu.FRAME_LENGTH;

    /** Any pipeline may drop; one counter object per queue (not per frame), on a path used a few times a second. */
    private final AtomicLong drops = new AtomicLong();

    /** @param capacity frames held before dropping (rounded up, at least 8) */
    public LacpPduQueue(final int capacity)
    {
        super(capacity, LENGTH);
    }

    /**
     * Data path: lock-free, allocation-free.
     *
     * @return false when the queue is full (counted in {@link #drops()})
     */
    boolean offer(final int portIndex, final DirectBuffer buffer, final int offset, final int length)
    {
        final int index = claim(FRAME);
        if (index < 0)
        {
            drops.incrementAndGet();
            return false;
        }
        final int kept = Math.min(length, LacpPdu.FRAME_LENGTH);
        final MutableDirectBuffer records = buffer();
        records.putInt(index + PORT_OFFSET, portIndex);
        records.putInt(index + LENGTH_OFFSET, kept);
        records.putBytes(index + FRAME_OFFSET, buffer, offset, kept);
        commit(index);
        return true;
    }

    @Override
    protected void decode(final int type, final DirectBuffer records, final int index, final LacpPduHandler handler)
    {
        handler.onFrame(records.getInt(index + PORT_OFFSET), records, index + FRAME_OFFSET,
            records.getInt(index + LENGTH_OFFSET));
    }

    /** Frames dropped because the queue was full. */
    public long drops()
    {
        return drops.get();
    }
}
