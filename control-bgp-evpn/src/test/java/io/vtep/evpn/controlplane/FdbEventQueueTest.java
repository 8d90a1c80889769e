package io.vtep.evpn.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.Origin;

/** The EVPN side's FDB listener: it keeps local changes only and decodes them for its handler. */
class FdbEventQueueTest
{
    private static final long MAC = 0x0000_0200_0000_0001L;

    @Test
    void aLocalChangeIsHandedOverDecodedAndARemoteOneIsNotQueued()
    {
        final FdbEventQueue queue = new FdbEventQueue(16);
        final long local = FdbEntry.local(3, Origin.LOCAL);
        final long remote = FdbEntry.remote(1, Origin.REMOTE);
        queue.onEntryAdded(100, MAC, local);
        queue.onEntryAdded(100, MAC + 1, remote); // neither old nor new is local: not EVPN's business
        queue.onEntryChanged(100, MAC, local, remote); // a local MAC moved away
        queue.onEntryRemoved(200, MAC + 2, local);

        final List<String> seen = new ArrayList<>();
        assertEquals(3, queue.drain((vni, mac, oldEntry, newEntry) -> seen.add(vni + " " + Long.toHexString(mac) + " " +
            (oldEntry == FdbEntry.NONE ? "none" : oldEntry == local ? "local" : "remote") + " -> " +
            (newEntry == FdbEntry.NONE ? "none" : newEntry == local ? "local" : "remote")), 10));
        assertEquals(List.of("100 20000000001 none -> local", "100 20000000001 local -> remote", "200 20000000003 local -> none"), seen);
    }

    @Test
    void aFullQueueSetsTheOverflowFlagOnceForAResync()
    {
        final FdbEventQueue queue = new FdbEventQueue(8);
        final long local = FdbEntry.local(3, Origin.LOCAL);
        for (int i = 0; i < queue.capacity(); i++)
        {
            queue.onEntryAdded(100, MAC + i, local);
        }
        assertFalse(queue.takeOverflow(), "full, nothing dropped yet");
        queue.onEntryAdded(100, MAC + 99, local);
        assertTrue(queue.takeOverflow(), "a dropped change asks for a resync");
        assertFalse(queue.takeOverflow(), "the flag clears once taken");
        assertEquals(queue.capacity(), queue.drain((vni, mac, oldEntry, newEntry) ->
        {}, 100));
    }
}
