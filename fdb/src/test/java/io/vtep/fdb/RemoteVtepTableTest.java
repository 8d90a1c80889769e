package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vtep.encap.VtepAddress;

class RemoteVtepTableTest
{
    @Test
    void internsOneInstancePerAddressWithDenseIndices()
    {
        final RemoteVtepTable table = new RemoteVtepTable(16);

        final RemoteVtep a = table.intern(VtepAddress.parse("198.51.100.2"));
        final RemoteVtep b = table.intern(VtepAddress.parse("2001:db8::2"));
        final RemoteVtep c = table.intern(VtepAddress.parse("198.51.100.3"));

        assertSame(a, table.intern(VtepAddress.parse("198.51.100.2")), "same address, same instance");
        assertSame(b, table.intern(VtepAddress.parse("2001:db8::2")));
        assertEquals(0, a.index());
        assertEquals(1, b.index());
        assertEquals(2, c.index());
        assertEquals(3, table.size());
        assertEquals(16, table.capacity());
        assertEquals(VtepAddress.parse("2001:db8::2"), b.address());
    }

    @Test
    void findsByAddressPrimitivesAndIndex()
    {
        final RemoteVtepTable table = new RemoteVtepTable(16);
        final VtepAddress v4 = VtepAddress.parse("198.51.100.2");
        final VtepAddress v6 = VtepAddress.parse("2001:db8::2");
        final RemoteVtep a = table.intern(v4);
        final RemoteVtep b = table.intern(v6);

        assertSame(a, table.findIpv4(v4.ipv4()));
        assertSame(b, table.findIpv6(v6.ipv6High(), v6.ipv6Low()));
        assertSame(a, table.find(v4));
        assertSame(b, table.find(v6));
        assertSame(a, table.byIndex(0));
        assertSame(b, table.byIndex(1));
        assertNull(table.byIndex(2));
        assertNull(table.byIndex(-1));
        assertNull(table.byIndex(16));
        assertNull(table.findIpv4(v4.ipv4() + 1));
        assertNull(table.findIpv6(v6.ipv6High(), v6.ipv6Low() + 1));
        assertNull(table.find(VtepAddress.parse("192.0.2.1")));
    }

    @Test
    void ipv4AndIpv6AddressesWithTheSameBitsAreDifferentVteps()
    {
        final RemoteVtepTable table = new RemoteVtepTable(4);
        final RemoteVtep v4 = table.intern(VtepAddress.ofIpv4(1));
        final RemoteVtep v6 = table.intern(VtepAddress.ofIpv6(0, 1));

        assertNotSame(v4, v6);
        assertSame(v4, table.findIpv4(1));
        assertSame(v6, table.findIpv6(0, 1));
    }

    @Test
    void fullTableReturnsNullForNewAddressesButStillFindsKnownOnes()
    {
        final RemoteVtepTable table = new RemoteVtepTable(3);
        for (int i = 1; i <= 3; i++)
        {
            table.intern(VtepAddress.ofIpv4(0xC633_6400 | i));
        }

        assertNull(table.intern(VtepAddress.ofIpv4(0xC633_6404)), "full");
        assertEquals(3, table.size());
        assertEquals(1, table.intern(VtepAddress.ofIpv4(0xC633_6402)).index(), "known addresses still intern");
        for (int i = 1; i <= 3; i++)
        {
            assertEquals(i - 1, table.findIpv4(0xC633_6400 | i).index());
        }
        assertNull(table.findIpv4(0xC633_6404));
    }

    @Test
    void manyAddressesAllFindable()
    {
        final RemoteVtepTable table = new RemoteVtepTable(4096);
        for (int i = 0; i < 4096; i++)
        {
            assertEquals(i, table.intern(VtepAddress.ofIpv4(0x0A00_0000 + i)).index());
        }
        for (int i = 0; i < 4096; i++)
        {
            assertEquals(i, table.findIpv4(0x0A00_0000 + i).index());
        }
        assertNull(table.intern(VtepAddress.ofIpv4(0x0B00_0000)));
    }

    @Test
    void containsOnlyItsOwnVteps()
    {
        final RemoteVtepTable one = new RemoteVtepTable(4);
        final RemoteVtepTable other = new RemoteVtepTable(4);
        final RemoteVtep mine = one.intern(VtepAddress.parse("198.51.100.2"));
        final RemoteVtep theirs = other.intern(VtepAddress.parse("198.51.100.2"));

        assertTrue(one.contains(mine));
        assertFalse(one.contains(theirs));
        assertFalse(one.contains(null));
    }

    @Test
    void refusesBadCapacity()
    {
        assertThrows(IllegalArgumentException.class, () -> new RemoteVtepTable(0));
        assertThrows(IllegalArgumentException.class, () -> new RemoteVtepTable((1 << 24) + 1));
    }

    /**
     * Lock-free lookups while learned VTEPs are interned, aged out and their indices and hash slots
     * reused (tombstones, rebuilds): a lookup returns null or a VTEP with exactly the address asked
     * for, and byIndex never returns null for an index once used. Bounded to about a second.
     */
    @Test
    void lookupsStayCorrectWhileLearnedVtepsAgeAndIndicesAreReused() throws Exception
    {
        final java.util.concurrent.atomic.AtomicLong time = new java.util.concurrent.atomic.AtomicLong();
        final RemoteVtepTable table = new RemoteVtepTable(64, time::get);
        final int[] noEntries = new int[64];
        final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicReference<String> wrong = new java.util.concurrent.atomic.AtomicReference<>();
        final Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++)
        {
            final int seed = r;
            readers[r] = new Thread(() ->
            {
                final java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
                while (!stop.get())
                {
                    final int address = 0x0A00_0000 + random.nextInt(256);
                    final RemoteVtep found = table.findIpv4(address);
                    if (found != null && !found.isIpv4(address))
                    {
                        wrong.set("asked " + Integer.toHexString(address) + ", got " + found);
                    }
                    final int high = table.highWater();
                    if (high > 0 && table.byIndex(random.nextInt(high)) == null)
                    {
                        wrong.set("byIndex returned null below the high water mark " + high);
                    }
                }
            });
            readers[r].start();
        }
        final java.util.SplittableRandom random = new java.util.SplittableRandom(15);
        final long deadline = System.nanoTime() + 1_000_000_000L;
        int removed = 0;
        while (System.nanoTime() < deadline && wrong.get() == null)
        {
            for (int i = 0; i < 32; i++)
            {
                table.internLearned(io.vtep.encap.VtepAddress.ofIpv4(0x0A00_0000 + random.nextInt(256)));
            }
            time.addAndGet(2 * RemoteVtepTable.REUSE_QUARANTINE_NANOS);
            removed += table.sweep(time.get(), 1, noEntries);
        }
        stop.set(true);
        for (final Thread reader : readers)
        {
            reader.join();
        }
        assertNull(wrong.get(), wrong.get());
        assertTrue(removed > 1000, "indices were reused many times: " + removed);
    }
}
