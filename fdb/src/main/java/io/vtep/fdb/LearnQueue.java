package io.vtep.fdb;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Learn events from the data-path threads to the FDB writer, a {@link RecordQueue}: the data path
 * offers a MAC it saw behind a local attachment or a remote VTEP, the conductor drains them into a
 * {@link LearnHandler}. Each event is a fixed 32-byte record:
 *
 * <pre>
 *   record header (8)  length, msgTypeId = LEARN_LOCAL | LEARN_REMOTE | GROUP_MEMBER
 *   +0  int   vni
 *   +4  int   target     attachment id (LEARN_LOCAL) or remote VTEP reference (the others)
 *   +8  long  mac        low 48 bits (unused by GROUP_MEMBER)
 *   +16 long  nowNanos   when the packet was seen
 * </pre>
 */
final class LearnQueue extends RecordQueue<LearnQueue.LearnHandler>
{
    static final int LEARN_LOCAL = 1;
    static final int LEARN_REMOTE = 2;
    /** A VTEP sent to the VNI's multicast group: it becomes a learned member of the VNI. */
    static final int GROUP_MEMBER = 3;

    private static final int VNI_OFFSET = 0;
    private static final int TARGET_OFFSET = 4;
    private static final int MAC_OFFSET = 8;
    private static final int TIME_OFFSET = 16;
    private static final int LENGTH = 24;

    /** The FDB writer's side: one call per event, fields decoded. */
    interface LearnHandler
    {
        /** {@code mac} was seen in {@code vni} behind local attachment {@code attachment}. */
        void learnedLocal(int vni, long mac, int attachment, long nowNanos);

        /** {@code mac} was seen in {@code vni} behind the remote VTEP {@code vtepReference} names. */
        void learnedRemote(int vni, long mac, int vtepReference, long nowNanos);

        /** The remote VTEP {@code vtepReference} names sent a datagram to {@code vni}'s multicast group. */
        default void learnedGroupMember(final int vni, final int vtepReference, final long nowNanos)
        {
        }
    }

    LearnQueue(final int requestedEvents)
    {
        super(requestedEvents, LENGTH);
    }

    /**
     * Data path: lock-free, allocation-free.
     *
     * @return false when the queue is full (the event is dropped; the caller counts it).
     */
    boolean offer(final int type, final int vni, final long mac, final int target, final long nowNanos)
    {
        final int index = claim(type);
        if (index < 0)
        {
            return false;
        }
        final MutableDirectBuffer buffer = buffer();
        buffer.putInt(index + VNI_OFFSET, vni);
        buffer.putInt(index + TARGET_OFFSET, target);
        buffer.putLong(index + MAC_OFFSET, mac);
        buffer.putLong(index + TIME_OFFSET, nowNanos);
        // Wakes the writer only if it is idle, so that the next unicast to a just-learned MAC is not
        // flooded for a whole park period (RecordQueue, "The wake-up").
        commit(index);
        return true;
    }

    @Override
    protected void decode(final int type, final DirectBuffer records, final int index, final LearnHandler handler)
    {
        final int vni = records.getInt(index + VNI_OFFSET);
        final int target = records.getInt(index + TARGET_OFFSET);
        final long mac = records.getLong(index + MAC_OFFSET);
        final long nowNanos = records.getLong(index + TIME_OFFSET);
        if (type == LEARN_LOCAL)
        {
            handler.learnedLocal(vni, mac, target, nowNanos);
        }
        else if (type == LEARN_REMOTE)
        {
            handler.learnedRemote(vni, mac, target, nowNanos);
        }
        else if (type == GROUP_MEMBER)
        {
            handler.learnedGroupMember(vni, target, nowNanos);
        }
    }
}
