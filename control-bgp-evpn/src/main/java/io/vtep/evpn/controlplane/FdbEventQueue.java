package io.vtep.evpn.controlplane;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbListener;
import io.vtep.fdb.RecordQueue;

/**
 * The FDB listener of the EVPN control plane, a {@link RecordQueue}. It runs under the FDB write
 * lock on the FDB's writer (the conductor thread for learning and ageing), so it only copies the
 * change into the ring and wakes the control thread if it is idle; it never blocks and never
 * allocates. Only changes that involve a local entry matter to EVPN (export, RFC 7432 §9.1);
 * the EVPN entries the control plane installs itself are filtered out here. Each change is a
 * 32-byte record:
 *
 * <pre>
 *   record header (8)  length, msgTypeId = CHANGE
 *   +0  int   vni
 *   +8  long  mac        low 48 bits
 *   +16 long  old entry  (FdbEntry.NONE when added)
 *   +24 long  new entry  (FdbEntry.NONE when removed)
 * </pre>
 *
 * <p>If the ring is full the change is dropped and the overflow flag set: the control thread then
 * re-reads the whole FDB, so nothing is lost, only batched.
 */
final class FdbEventQueue extends RecordQueue<FdbEventQueue.LocalEntryHandler> implements FdbListener
{
    private static final int CHANGE = 1;
    private static final int VNI_OFFSET = 0;
    private static final int MAC_OFFSET = 8;
    private static final int OLD_OFFSET = 16;
    private static final int NEW_OFFSET = 24;
    private static final int LENGTH = 32;

    private volatile boolean overflowed;

    /** The control thread's side: one call per change, fields decoded. */
    interface LocalEntryHandler
    {
        /**
         * @param oldEntry the entry before ({@link FdbEntry#NONE} when added)
         * @param newEntry the entry now ({@link FdbEntry#NONE} when removed)
         */
        void changed(int vni, long mac, long oldEntry, long newEntry);
    }

    /** @param capacity changes the queue holds before it overflows (rounded up, see {@link RecordQueue}). */
    FdbEventQueue(final int capacity)
    {
        super(capacity, LENGTH);
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
        final int index = claim(CHANGE);
        if (index < 0)
        {
            // A full ring holds changes, so the control thread is awake or being woken: it sees
            // the flag in its next duty cycle, after the drain that holds it busy.
            overflowed = true;
            return;
        }
        final MutableDirectBuffer buffer = buffer();
        buffer.putInt(index + VNI_OFFSET, vni);
        buffer.putLong(index + MAC_OFFSET, mac);
        buffer.putLong(index + OLD_OFFSET, oldEntry);
        buffer.putLong(index + NEW_OFFSET, newEntry);
        commit(index);
    }

    @Override
    protected void decode(final int type, final DirectBuffer records, final int index, final LocalEntryHandler handler)
    {
        handler.changed(records.getInt(index + VNI_OFFSET), records.getLong(index + MAC_OFFSET),
            records.getLong(index + OLD_OFFSET), records.getLong(index + NEW_OFFSET));
    }

    /** A MAC learned here or configured here; a synced entry on our attachment is the control plane's own (MAC sync). */
    private static boolean isLocal(final long entry)
    {
        return entry != FdbEntry.NONE && FdbEntry.isLocal(entry) && !FdbEntry.isSynced(entry);
    }
}
