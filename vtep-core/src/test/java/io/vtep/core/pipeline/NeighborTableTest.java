package io.vtep.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The per-VNI IP → MAC table of ARP/ND suppression: one writer, lock-free readers, bounded. */
class NeighborTableTest
{
    private static final long MAC = 0x0200_0000_0002L;

    @Test
    void bindsLooksUpRebindsAndRemoves()
    {
        final NeighborTable table = new NeighborTable(8);
        final long v4 = NeighborTable.ipv4Low(0x0A00_0002);

        assertEquals(NeighborTable.NONE, table.lookup(0, v4));
        assertTrue(table.put(0, v4, MAC, NeighborTable.OVERRIDE));
        final long value = table.lookup(0, v4);
        assertEquals(MAC, NeighborTable.mac(value));
        assertEquals(NeighborTable.OVERRIDE, NeighborTable.flags(value));

        assertTrue(table.put(0, v4, MAC + 1, NeighborTable.ROUTER));
        assertEquals(MAC + 1, NeighborTable.mac(table.lookup(0, v4)), "a move rebinds");
        assertEquals(NeighborTable.ROUTER, NeighborTable.flags(table.lookup(0, v4)));
        assertEquals(1, table.size());

        assertTrue(table.remove(0, v4));
        assertFalse(table.remove(0, v4));
        assertEquals(NeighborTable.NONE, table.lookup(0, v4));
        assertEquals(0, table.size());
    }

    @Test
    void ipv4AndIpv6AreDistinctKeys()
    {
        final NeighborTable table = new NeighborTable(8);
        table.put(0, NeighborTable.ipv4Low(0x0A00_0002), MAC, 0);

        assertEquals(NeighborTable.NONE, table.lookup(0x2001_0DB8_0000_0000L, 0x0A00_0002), "2001:db8::a00:2 is not 10.0.0.2");
        assertEquals(NeighborTable.NONE, table.lookup(0, 0x0A00_0002), "::10.0.0.2 (not IPv4-mapped) is not 10.0.0.2");
    }

    @Test
    void boundedAndGrowsPastRemovals()
    {
        final NeighborTable table = new NeighborTable(100);
        for (int i = 0; i < 100; i++)
        {
            assertTrue(table.put(0x2001_0DB8L << 32, i, MAC + i, 0));
        }
        assertFalse(table.put(0x2001_0DB8L << 32, 100, MAC, 0), "full: a new address is refused");
        assertTrue(table.put(0x2001_0DB8L << 32, 5, MAC, 0), "an address it holds can still be rebound");
        for (int round = 0; round < 50; round++)
        {
            // churn: tombstones are reclaimed, the table never loses a live entry
            assertTrue(table.remove(0x2001_0DB8L << 32, round));
            assertTrue(table.put(0x2001_0DB8L << 32, 1000 + round, MAC, 0));
        }
        for (int i = 50; i < 100; i++)
        {
            assertEquals(i == 5 ? MAC : MAC + i, NeighborTable.mac(table.lookup(0x2001_0DB8L << 32, i)));
        }
        assertEquals(100, table.size());
    }

    @Test
    void readersNeverSeeAnotherAddressesBinding() throws Exception
    {
        // Every address i is only ever bound to MAC + i: a reader racing the writer's puts, removes
        // and resizes finds either nothing or exactly that.
        final NeighborTable table = new NeighborTable(4096);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong wrong = new AtomicLong();
        final AtomicLong found = new AtomicLong();
        final Thread reader = new Thread(() ->
        {
            while (!stop.get())
            {
                for (int i = 0; i < 4096; i++)
                {
                    final long value = table.lookup(7, i);
                    if (value != NeighborTable.NONE)
                    {
                        found.incrementAndGet();
                        if (NeighborTable.mac(value) != MAC + i)
                        {
                            wrong.incrementAndGet();
                        }
                    }
                }
            }
        });
        reader.start();
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < 4096; i++)
            {
                table.put(7, i, MAC + i, 0);
            }
            for (int i = 0; i < 4096; i += 2)
            {
                table.remove(7, i);
            }
        }
        stop.set(true);
        reader.join();
        assertEquals(0, wrong.get(), "bindings read under concurrent writes");
        assertTrue(found.get() > 0);
    }
}
