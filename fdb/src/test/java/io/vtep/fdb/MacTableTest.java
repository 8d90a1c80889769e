package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MacTableTest
{
    private static final long MAC_A = 0x0200_0000_0001L;

    @Test
    void putGetRemove()
    {
        final MacTable table = new MacTable();

        assertEquals(FdbEntry.NONE, table.get(MAC_A));
        assertEquals(FdbEntry.NONE, table.put(MAC_A, 11, 100));
        assertEquals(11, table.get(MAC_A));
        assertEquals(100, table.lastSeen(MAC_A));
        assertEquals(1, table.size());

        assertEquals(11, table.put(MAC_A, 12, 200));
        assertEquals(12, table.get(MAC_A));
        assertEquals(200, table.lastSeen(MAC_A));
        assertEquals(1, table.size());

        assertEquals(12, table.remove(MAC_A));
        assertEquals(FdbEntry.NONE, table.get(MAC_A));
        assertEquals(Long.MIN_VALUE, table.lastSeen(MAC_A));
        assertEquals(FdbEntry.NONE, table.remove(MAC_A));
        assertEquals(0, table.size());
        assertEquals(1, table.tombstones());
    }

    @Test
    void allZeroAndAllOnesMacsAreKeysLikeAnyOther()
    {
        final MacTable table = new MacTable();
        table.put(0L, 1, 0);
        table.put(MacTable.MAC_MASK, 2, 0);

        assertEquals(1, table.get(0L));
        assertEquals(2, table.get(MacTable.MAC_MASK));
        assertEquals(2, table.size());
    }

    @Test
    void keysWiderThan48BitsAreNeverFoundAndRefused()
    {
        final MacTable table = new MacTable();
        table.put(MAC_A, 1, 0);

        assertEquals(FdbEntry.NONE, table.get(MAC_A | (1L << 48)));
        assertEquals(FdbEntry.NONE, table.get(-1L));
        assertThrows(IllegalArgumentException.class, () -> table.put(1L << 48, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> table.put(MAC_A, FdbEntry.NONE, 0));
        assertEquals(FdbEntry.NONE, table.remove(-1L));
    }

    @Test
    void removedKeyLeavesATombstoneThatKeepsTheProbeChain()
    {
        final MacTable table = new MacTable(8);
        final long[] keys = collidingKeys(table.capacity(), 3);
        table.put(keys[0], 10, 0);
        table.put(keys[1], 11, 0);
        table.put(keys[2], 12, 0);

        table.remove(keys[0]);

        assertEquals(1, table.tombstones());
        assertEquals(FdbEntry.NONE, table.get(keys[0]));
        assertEquals(11, table.get(keys[1]), "found past the tombstone");
        assertEquals(12, table.get(keys[2]), "found past the tombstone");
    }

    @Test
    void insertReusesTheFirstTombstoneOnItsChain()
    {
        final MacTable table = new MacTable(8);
        final long[] keys = collidingKeys(table.capacity(), 4);
        table.put(keys[0], 10, 0);
        table.put(keys[1], 11, 0);
        table.remove(keys[0]);

        table.put(keys[2], 12, 0); // a different key takes the tombstone in the home slot

        assertEquals(1, table.tombstoneReuses());
        assertEquals(0, table.tombstones());
        assertEquals(2, table.size());
        assertEquals(11, table.get(keys[1]));
        assertEquals(12, table.get(keys[2]));
        assertEquals(FdbEntry.NONE, table.get(keys[0]));
        assertEquals(FdbEntry.NONE, table.get(keys[3]));

        table.remove(keys[1]);
        table.put(keys[1], 21, 0); // the same key back: takes its own tombstone again
        assertEquals(2, table.tombstoneReuses());
        assertEquals(21, table.get(keys[1]));
        assertEquals(0L, table.resizes(), "no rebuild was needed");
    }

    @Test
    void insertingAnExistingKeyAfterATombstoneUpdatesItInPlace()
    {
        final MacTable table = new MacTable(8);
        final long[] keys = collidingKeys(table.capacity(), 2);
        table.put(keys[0], 10, 0);
        table.put(keys[1], 11, 0);
        table.remove(keys[0]);

        assertEquals(11, table.put(keys[1], 12, 0), "must find the live key, not take the tombstone");
        assertEquals(1, table.size());
        assertEquals(1, table.tombstones());
        assertEquals(12, table.get(keys[1]));
    }

    @Test
    void growsKeepingEveryEntryAndItsLastSeen()
    {
        final MacTable table = new MacTable(8);
        final int count = 5000;
        for (int i = 0; i < count; i++)
        {
            table.put(mac(i), value(i), 1000L + i);
        }

        assertEquals(count, table.size());
        assertTrue(table.resizes() >= 9, "resizes: " + table.resizes());
        assertTrue(table.capacity() - table.capacity() / 4 >= count, "at most 3/4 full: " + table.capacity());
        for (int i = 0; i < count; i++)
        {
            assertEquals(value(i), table.get(mac(i)));
            assertEquals(1000L + i, table.lastSeen(mac(i)));
        }
        assertEquals(FdbEntry.NONE, table.get(mac(count)));
    }

    @Test
    void churnRebuildsAtTheSameSizeToDropTombstones()
    {
        final MacTable table = new MacTable(16);
        for (int i = 0; i < 1000; i++)
        {
            table.put(mac(i), value(i), 0);
            if (i >= 3)
            {
                table.remove(mac(i - 3)); // never more than 4 live: the table need not grow
            }
        }

        assertEquals(16, table.capacity());
        assertTrue(table.resizes() > 0, "tombstones must have been purged by rebuilds");
        assertTrue(table.size() + table.tombstones() <= 12, "at most 3/4 of the slots used");
        assertEquals(3, table.size());
        for (int i = 997; i < 1000; i++)
        {
            assertEquals(value(i), table.get(mac(i)));
        }
    }

    @Test
    void refreshOnlyWhenTheEntryIsTheExpectedOneAndOldEnough()
    {
        final MacTable table = new MacTable();
        table.put(MAC_A, 7, 1000);

        assertEquals(7, table.getAndRefresh(MAC_A, 8, 5000, 100));
        assertEquals(1000, table.lastSeen(MAC_A), "another entry is not refreshed");

        assertEquals(7, table.getAndRefresh(MAC_A, 7, 1050, 100));
        assertEquals(1000, table.lastSeen(MAC_A), "younger than the granularity: no store");

        assertEquals(7, table.getAndRefresh(MAC_A, 7, 1100, 100));
        assertEquals(1100, table.lastSeen(MAC_A));

        assertEquals(FdbEntry.NONE, table.getAndRefresh(MAC_A + 1, 7, 9000, 0));
        assertEquals(7, table.get(MAC_A));
        assertEquals(1100, table.lastSeen(MAC_A), "get never refreshes");
    }

    @Test
    void removeIfReportsEachRemoval()
    {
        final MacTable table = new MacTable();
        for (int i = 0; i < 100; i++)
        {
            table.put(mac(i), value(i), i);
        }

        final List<Long> removed = new ArrayList<>();
        final int count = table.removeIf((mac, entry, lastSeen) -> lastSeen % 2 == 0, (mac, entry, lastSeen) ->
        {
            assertEquals(value((int)lastSeen), entry);
            assertEquals(FdbEntry.NONE, table.get(mac), "removed before the callback");
            removed.add(mac);
        });

        assertEquals(50, count);
        assertEquals(50, removed.size());
        assertEquals(50, table.size());
        for (int i = 0; i < 100; i++)
        {
            assertEquals(i % 2 == 0 ? FdbEntry.NONE : value(i), table.get(mac(i)));
        }
    }

    @Test
    void removeIfCarriesOnWhenTheCallbackMakesTheTableGrow()
    {
        final MacTable table = new MacTable(8);
        for (int i = 0; i < 4; i++)
        {
            table.put(mac(i), value(i), 0);
        }
        final int[] next = {1000};

        final int count = table.removeIf(
            (mac, entry, lastSeen) -> lastSeen == 0,
            (mac, entry, lastSeen) ->
            {
                for (int i = 0; i < 20; i++)
                {
                    table.put(mac(next[0]), value(next[0]), 1); // lastSeen 1: never selected
                    next[0]++;
                }
            });

        assertEquals(4, count);
        assertTrue(table.resizes() > 0);
        assertEquals(80, table.size());
        for (int i = 0; i < 4; i++)
        {
            assertEquals(FdbEntry.NONE, table.get(mac(i)));
        }
    }

    @Test
    void forEachVisitsEveryLiveEntryOnce()
    {
        final MacTable table = new MacTable();
        for (int i = 0; i < 300; i++)
        {
            table.put(mac(i), value(i), i);
        }
        for (int i = 0; i < 300; i += 3)
        {
            table.remove(mac(i));
        }

        final Map<Long, Long> seen = new HashMap<>();
        table.forEach((mac, entry, lastSeen) -> assertEquals(null, seen.put(mac, entry)));

        assertEquals(200, seen.size());
        for (int i = 0; i < 300; i++)
        {
            assertEquals(i % 3 == 0 ? null : value(i), seen.get(mac(i)));
        }
    }

    @Test
    void aReaderWhoseSlotChangesHandsAndComesBackRetriesInsteadOfReturningAnotherKeysValue()
    {
        // The ABA case: the reader matches key A, A is removed and B takes the slot, the reader
        // reads B's value, B is removed and A takes the slot again. Re-checking the key would
        // find A and accept B's value; the slot version makes the reader read the slot again.
        final MacTable table = new MacTable(8);
        final long[] keys = collidingKeys(table.capacity(), 2);
        final long a = keys[0];
        final long b = keys[1];
        table.put(a, 101, 0);
        final int[] stage2Calls = {0};

        final long result = table.getPausing(a, stage ->
        {
            if (stage == 1 && stage2Calls[0] == 0)
            {
                table.remove(a);
                table.put(b, 202, 0);
            }
            else if (stage == 2 && stage2Calls[0]++ == 0)
            {
                table.remove(b);
                table.put(a, 103, 0);
            }
        });

        assertEquals(2, table.tombstoneReuses(), "B took A's slot, then A took it back");
        assertEquals(2, stage2Calls[0], "read the slot twice");
        assertEquals(103, result);
    }

    @Test
    void aReaderRacingAMoveGetsTheOldOrTheNewValueOfTheSameKey()
    {
        final MacTable table = new MacTable(8);
        table.put(MAC_A, 101, 0);
        final int[] calls = {0};

        final long result = table.getPausing(MAC_A, stage ->
        {
            if (stage == 1 && calls[0]++ == 0)
            {
                table.put(MAC_A, 102, 0);
            }
        });

        assertEquals(102, result);
        assertEquals(1, calls[0], "a value change of the same key needs no retry");
    }

    @Test
    void aReaderRacingARemovalFindsNothing()
    {
        final MacTable table = new MacTable(8);
        table.put(MAC_A, 101, 0);

        final long result = table.getPausing(MAC_A, stage ->
        {
            if (stage == 1)
            {
                table.remove(MAC_A);
            }
        });

        assertEquals(FdbEntry.NONE, result);
    }

    @Test
    void aReaderHoldingAReplacedArrayStillSeesAConsistentTable()
    {
        final MacTable table = new MacTable(8);
        table.put(MAC_A, 101, 0);
        final int[] calls = {0};

        final long result = table.getPausing(MAC_A, stage ->
        {
            if (stage == 1 && calls[0]++ == 0)
            {
                for (int i = 100; i < 200; i++)
                {
                    table.put(mac(i), value(i), 0); // grows: the reader's array is replaced
                }
            }
        });

        assertTrue(table.resizes() > 0);
        assertEquals(101, result);
    }

    @Test
    void touchIsForTheWriter()
    {
        final MacTable table = new MacTable();
        assertFalse(table.touch(MAC_A, 5));
        table.put(MAC_A, 1, 0);
        assertTrue(table.touch(MAC_A, 5));
        assertEquals(5, table.lastSeen(MAC_A));
    }

    /**
     * MACs from one vendor prefix whose hashes all land in the same home slot of a table of
     * this capacity.
     */
    static long[] collidingKeys(final int capacity, final int count)
    {
        final long[] keys = new long[count];
        final int home = MacTable.hash(mac(0)) & (capacity - 1);
        int found = 0;
        for (int i = 0; found < count; i++)
        {
            if ((MacTable.hash(mac(i)) & (capacity - 1)) == home)
            {
                keys[found++] = mac(i);
            }
        }
        return keys;
    }

    static long mac(final int i)
    {
        return 0x0200_0000_0000L | i;
    }

    static long value(final int i)
    {
        return 1_000_000L + i;
    }
}
