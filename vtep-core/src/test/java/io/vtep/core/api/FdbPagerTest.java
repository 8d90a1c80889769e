package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.RemoteVtep;

/** Pages of the FDB in (VNI, MAC) order from bounded walks: every entry once, in order, whatever the page size. */
class FdbPagerTest
{
    @Test
    void pagesOfAnyLengthReadEveryEntryOnceInOrder()
    {
        final Fdb fdb = new Fdb();
        fdb.addVni(7, LearningMode.DATA_PLANE, 0, null);
        fdb.addVni(300, LearningMode.DATA_PLANE, 0, null);
        fdb.addVni(5000, LearningMode.DATA_PLANE, 0, null);
        final RemoteVtep vtep = fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.9"));
        final Random random = new Random(15);
        final TreeSet<String> expected = new TreeSet<>();
        for (int i = 0; i < 20_000; i++)
        {
            final int vni = i % 3 == 0 ? 7 : i % 3 == 1 ? 300 : 5000;
            final long mac = random.nextLong() & 0x0000_FEFF_FFFF_FFFFL; // unicast
            fdb.addStatic(vni, mac, vtep);
            expected.add(String.format("%08d/%012x", vni, mac));
        }
        for (final int capacity : new int[] {1, 7, 1000, 6_666, 50_000})
        {
            final FdbPager pager = new FdbPager(fdb, 0, capacity);
            final List<String> seen = new ArrayList<>();
            int afterVni = 0;
            long afterMac = -1;
            int pages = 0;
            while (true)
            {
                final int rows = pager.fill(afterVni, afterMac);
                pages++;
                for (int row = 0; row < rows; row++)
                {
                    seen.add(String.format("%08d/%012x", pager.vni(row), pager.mac(row)));
                    afterVni = pager.vni(row);
                    afterMac = pager.mac(row);
                }
                assertTrue(rows <= capacity);
                if (!pager.more())
                {
                    break;
                }
                assertEquals(capacity, rows, "a page that leaves entries out is full");
            }
            assertEquals(new ArrayList<>(expected), seen, "capacity " + capacity);
            assertEquals((expected.size() + capacity - 1) / capacity, pages, "capacity " + capacity);
        }
    }

    @Test
    void oneVniOnly()
    {
        final Fdb fdb = new Fdb();
        fdb.addVni(1, LearningMode.DATA_PLANE, 0, null);
        fdb.addVni(2, LearningMode.DATA_PLANE, 0, null);
        final RemoteVtep vtep = fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.9"));
        fdb.addStatic(1, 0x0200_0000_0001L, vtep);
        fdb.addStatic(2, 0x0200_0000_0002L, vtep);
        fdb.addStatic(2, 0x0200_0000_0001L, vtep);
        final FdbPager pager = new FdbPager(fdb, 2, 10);
        assertEquals(2, pager.fill(0, -1));
        assertFalse(pager.more());
        assertEquals(0x0200_0000_0001L, pager.mac(0));
        assertEquals(2, pager.vni(1));
    }
}
