package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;

/**
 * The bounds of issue 15 (failures 1, 2 and 7) through the real classes with a manual clock: the
 * global entry cap, the MAC table's bounded growth, ageing of learned remote VTEPs with safe index
 * reuse, and the local-move hold's counter.
 */
class FdbBoundsTest
{
    private static final long AGEING_SECONDS = 10;

    private final ManualClock clock = new ManualClock(TimeUnit.HOURS.toNanos(1));
    private final SplittableRandom random = new SplittableRandom(15);

    private Fdb newFdb(final FdbSettings settings)
    {
        return new Fdb(settings.withClock(clock).withAgeingSeconds(AGEING_SECONDS));
    }

    @Test
    void defaultCapIsAQuarterOfTheHeapAt128BytesAnEntry()
    {
        assertEquals(524_288, FdbSettings.defaultMaxEntries(256L << 20));
        assertEquals(FdbSettings.MIN_MAX_ENTRIES, FdbSettings.defaultMaxEntries(1L << 20));
        assertEquals(FdbSettings.MAX_MAX_ENTRIES, FdbSettings.defaultMaxEntries(1L << 45));
        assertEquals(FdbSettings.defaultMaxEntries(Runtime.getRuntime().maxMemory()), FdbSettings.defaults().maxEntries());
    }

    @Test
    void theGlobalCapRefusesNewMacsInEveryVniCountsThemAndTheWriterCarriesOn()
    {
        final Fdb fdb = newFdb(FdbSettings.defaults().withMaxEntries(10_000));
        final VniFdb a = fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final VniFdb b = fdb.addVni(200, LearningMode.DATA_PLANE, 0, null);
        final RemoteVtep peer = fdb.remoteVteps().intern(VtepAddress.parse("198.51.100.2"));

        for (int i = 0; i < 50_000; i++)
        {
            a.learnLocal(randomMac(), 1, clock.nanoTime());
            b.learnRemote(randomMac(), peer, clock.nanoTime());
            if ((i & 1023) == 0)
            {
                drain(fdb);
            }
        }
        drain(fdb);

        assertEquals(10_000, a.size() + b.size(), "the cap bites, across VNIs");
        assertEquals(10_000, fdb.entries());
        assertTrue(fdb.maxEntriesHits() >= 80_000, "refusals counted: " + fdb.maxEntriesHits());
        assertFalse(fdb.putEvpn(100, MacAddress.parse("02:00:00:00:99:99"), peer), "EVPN is held to the cap too");
        assertThrows(IllegalStateException.class, () -> fdb.addStatic(100, MacAddress.parse("02:00:00:00:99:98"), peer));
        assertTrue(a.table().capacity() <= 2 * Integer.highestOneBit(2 * 10_000), "table " + a.table().capacity());

        // A known MAC still refreshes and the writer still ages: room comes back.
        clock.advanceSeconds(AGEING_SECONDS + 2);
        drain(fdb);
        assertEquals(0, fdb.entries());
        final long host = MacAddress.parse("02:00:00:00:00:01");
        a.learnLocal(host, 3, clock.nanoTime());
        drain(fdb);
        assertEquals(FdbEntry.local(3, Origin.LOCAL), a.lookup(host));
        assertTrue(a.table().capacity() <= 64, "the flooded table gave its memory back: " + a.table().capacity());
    }

    @Test
    void theMacLimitBitesBeforeTheCapAndIsCounted()
    {
        final Fdb fdb = newFdb(FdbSettings.defaults());
        final VniFdb vni = fdb.addVni(100, LearningMode.DATA_PLANE, FdbSettings.DEFAULT_MAC_LIMIT, null);
        for (int i = 0; i < 200_000; i++)
        {
            vni.learnLocal(randomMac(), 1, clock.nanoTime());
            if ((i & 1023) == 0)
            {
                drain(fdb);
            }
        }
        drain(fdb);
        assertEquals(FdbSettings.DEFAULT_MAC_LIMIT, vni.size());
        assertTrue(vni.macLimitHits() >= 200_000 - FdbSettings.DEFAULT_MAC_LIMIT - 16384, "hits " + vni.macLimitHits());
    }

    @Test
    void aMacTableNeverGrowsPastItsCap()
    {
        final MacTable table = new MacTable(8, 1000);
        for (int i = 0; i < 1000; i++)
        {
            table.put(0x0200_0000_0000L + i, FdbEntry.local(1, Origin.LOCAL), 0);
        }
        assertTrue(table.isFull());
        assertEquals(2048, table.maxCapacity());
        assertTrue(table.capacity() <= table.maxCapacity());
        assertThrows(IllegalStateException.class, () -> table.put(0x0200_0000_1000L, FdbEntry.local(1, Origin.LOCAL), 0));
        assertEquals(FdbEntry.local(1, Origin.LOCAL), table.put(0x0200_0000_0001L, FdbEntry.local(2, Origin.LOCAL), 0),
            "a known MAC still moves at the cap");

        // Churn at the cap purges tombstones at the same size instead of growing.
        for (int i = 0; i < 10_000; i++)
        {
            table.remove(0x0200_0000_0000L + i);
            table.put(0x0200_0000_0000L + i + 1000, FdbEntry.local(1, Origin.LOCAL), 0);
        }
        assertEquals(1000, table.size());
        assertTrue(table.capacity() <= table.maxCapacity());
    }

    /**
     * The 128 bytes an entry that the heap-sized default budgets (FdbSettings.BYTES_PER_ENTRY): over
     * a table's growth, slot bytes per live entry, and during a doubling the old and new arrays
     * together, never exceed it (past the first few hundred entries, where the fixed 64-slot start
     * dominates).
     */
    @Test
    void aTableUsesAtMost128BytesAnEntryEvenWhileItDoubles()
    {
        final MacTable table = new MacTable(64, 1 << 20);
        double steady = 0;
        double doubling = 0;
        for (int i = 1; i <= 1 << 20; i++)
        {
            final int before = table.capacity();
            table.put(0x0200_0000_0000L + i, FdbEntry.local(1, Origin.LOCAL), 0);
            if (i < 1024)
            {
                continue;
            }
            steady = Math.max(steady, table.capacity() * 32.0 / i);
            if (table.capacity() != before)
            {
                doubling = Math.max(doubling, (before + table.capacity()) * 32.0 / i);
            }
        }
        System.out.printf("MacTable: at most %.1f bytes an entry steady, %.1f while doubling%n", steady, doubling);
        assertTrue(steady <= FdbSettings.BYTES_PER_ENTRY, "steady " + steady);
        assertTrue(doubling <= FdbSettings.BYTES_PER_ENTRY, "doubling " + doubling);
        assertEquals(2 << 20, table.maxCapacity());
    }

    @Test
    void theLocalMoveHoldCountsWhatItRefuses()
    {
        final Fdb fdb = newFdb(FdbSettings.defaults());
        final VniFdb vni = fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final RemoteVtep spoofer = fdb.remoteVteps().intern(VtepAddress.parse("198.51.100.66"));
        final long h1 = MacAddress.parse("02:00:00:00:00:01");
        vni.learnLocal(h1, 7, clock.nanoTime());
        drain(fdb);

        for (int i = 0; i < 3; i++)
        {
            vni.learnRemote(h1, spoofer, clock.nanoTime());
        }
        drain(fdb);
        assertEquals(3, vni.localMovesRefused());
        assertTrue(FdbEntry.isLocal(vni.lookup(h1)));

        final Fdb noHold = newFdb(FdbSettings.defaults().withLocalMoveHoldNanos(0));
        final VniFdb other = noHold.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final RemoteVtep peer = noHold.remoteVteps().intern(VtepAddress.parse("198.51.100.66"));
        other.learnLocal(h1, 7, clock.nanoTime());
        drain(noHold);
        other.learnRemote(h1, peer, clock.nanoTime());
        drain(noHold);
        assertTrue(FdbEntry.isRemote(other.lookup(h1)), "hold 0: moves at once, as before");
    }

    @Test
    void spoofedVtepsThatFillTheTableAgeOutAndARealVtepIsLearnedAgain()
    {
        final Fdb fdb = newFdb(FdbSettings.defaults());
        final VniFdb vni = fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final RemoteVtepTable vteps = fdb.remoteVteps();
        final RemoteVtep configured = vteps.intern(VtepAddress.parse("198.51.100.2"));
        fdb.setFloodList(100, new RemoteVtep[] {configured});

        // 5,000 spoofed sources, each with one inner MAC, as the data path interns them.
        int refused = 0;
        for (int i = 0; i < 5000; i++)
        {
            final RemoteVtep spoofed = vteps.internLearned(VtepAddress.ofIpv4(0x0A00_0000 + i));
            if (spoofed == null)
            {
                refused++;
                continue;
            }
            vni.learnRemote(randomMac(), spoofed, clock.nanoTime());
            if ((i & 1023) == 0)
            {
                drain(fdb);
            }
        }
        drain(fdb);
        assertEquals(vteps.capacity(), vteps.size(), "full");
        assertEquals(5000 - vteps.capacity() + 1, refused);
        assertEquals(refused, vteps.fullRefusals(), "refusals counted");
        final VtepAddress real = VtepAddress.parse("198.51.100.9");
        assertNull(vteps.internLearned(real), "while full, a real new VTEP is refused");

        // A VTEP still sending keeps its place; the spoofed ones age out with their MACs.
        final RemoteVtep talking = vteps.findIpv4(0x0A00_0000 + 7);
        for (int s = 0; s < AGEING_SECONDS + 2; s++)
        {
            clock.advanceSeconds(1);
            vni.learnRemote(MacAddress.parse("02:00:00:00:07:07"), talking, clock.nanoTime());
            drain(fdb);
        }
        assertEquals(2, vteps.size(), "the configured VTEP and the talking one stay");
        assertSame(configured, vteps.find(VtepAddress.parse("198.51.100.2")), "configured VTEPs never age");
        assertSame(talking, vteps.findIpv4(0x0A00_0000 + 7));
        assertEquals(vteps.capacity() - 2, vteps.aged());

        // After the quarantine the real VTEP is learned and its MAC with it.
        clock.advanceSeconds(2);
        final RemoteVtep learned = vteps.internLearned(real);
        assertNotNull(learned);
        final long mac = MacAddress.parse("02:00:00:00:00:42");
        vni.learnRemote(mac, learned, clock.nanoTime());
        drain(fdb);
        assertEquals(FdbEntry.remote(learned.index(), Origin.REMOTE), vni.lookup(mac));
    }

    @Test
    void aLearnEventForAFreedIndexIsNotAppliedToTheVtepThatReusesIt()
    {
        final Fdb fdb = newFdb(FdbSettings.defaults().withRemoteVtepCapacity(1));
        final VniFdb vni = fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final RemoteVtepTable vteps = fdb.remoteVteps();
        final RemoteVtep old = vteps.internLearned(VtepAddress.parse("192.0.2.10"));
        final long staleTime = clock.nanoTime();

        clock.advanceSeconds(AGEING_SECONDS + 2);
        drain(fdb);
        assertTrue(old.isRemoved());
        assertSame(old, vteps.byIndex(0), "until reuse, the index still names the removed VTEP, never null");
        assertNull(vteps.internLearned(VtepAddress.parse("192.0.2.11")), "quarantine");

        clock.advanceSeconds(2);
        final RemoteVtep successor = vteps.internLearned(VtepAddress.parse("192.0.2.11"));
        assertEquals(old.index(), successor.index(), "the index is reused");

        // A packet of the old VTEP, seen before it was removed, queued late.
        vni.learnRemote(MacAddress.parse("02:00:00:00:00:0a"), old, staleTime);
        drain(fdb);
        assertEquals(FdbEntry.NONE, vni.lookup(MacAddress.parse("02:00:00:00:00:0a")), "not learned behind the successor");
    }

    @Test
    void vtepsWithEntriesOrPinnedByConfigurationOrEvpnDoNotAge()
    {
        final Fdb fdb = newFdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final RemoteVtepTable vteps = fdb.remoteVteps();
        final RemoteVtep withStatic = vteps.internLearned(VtepAddress.parse("192.0.2.1"));
        final RemoteVtep withEvpnRoute = vteps.internLearned(VtepAddress.parse("192.0.2.2"));
        final RemoteVtep nextHop = vteps.internLearned(VtepAddress.parse("192.0.2.3"));
        final RemoteVtep idle = vteps.internLearned(VtepAddress.parse("192.0.2.4"));
        fdb.addStatic(100, MacAddress.parse("02:00:00:00:00:01"), withStatic);
        fdb.putEvpn(100, MacAddress.parse("02:00:00:00:00:02"), withEvpnRoute);
        assertSame(nextHop, vteps.intern(VtepAddress.parse("192.0.2.3")), "the control plane interns it: pinned");
        assertTrue(vteps.isLearnedOnly(idle));

        clock.advanceSeconds(AGEING_SECONDS + 2);
        drain(fdb);

        assertTrue(idle.isRemoved());
        assertThrows(IllegalArgumentException.class, () -> fdb.addStatic(100, MacAddress.parse("02:00:00:00:00:04"), idle),
            "nothing new may point at an aged-out VTEP: its index will be reused");
        assertFalse(withStatic.isRemoved());
        assertFalse(withEvpnRoute.isRemoved());
        assertFalse(nextHop.isRemoved());
        assertEquals(3, vteps.size());
    }

    private long randomMac()
    {
        return (random.nextLong() & 0xFEFF_FFFF_FFFFL) | 0x0200_0000_0000L;
    }

    private static void drain(final Fdb fdb)
    {
        while (fdb.conductor().doWork() > 0)
        {
            // apply queued learn events, sweep
        }
    }
}
