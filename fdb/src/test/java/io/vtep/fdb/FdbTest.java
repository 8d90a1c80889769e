package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;

/**
 * The FDB through its public API, single-threaded: the test plays data path, control plane
 * and (through {@link FdbConductor#doWork()}) the writer, and moves a manual clock.
 */
class FdbTest
{
    private static final int VNI = 100;
    private static final long MAC1 = MacAddress.parse("02:00:00:00:00:01");
    private static final long MAC2 = MacAddress.parse("02:00:00:00:00:02");
    private static final long MAC3 = MacAddress.parse("02:00:00:00:00:03");
    private static final long AGEING_SECONDS = 10;

    private final ManualClock clock = new ManualClock(TimeUnit.HOURS.toNanos(1));
    private final List<Throwable> errors = new ArrayList<>();
    private final RecordingListener listener = new RecordingListener();
    private Fdb fdb;
    private VniFdb vni;
    private RemoteVtep vtepA;
    private RemoteVtep vtepB;

    @BeforeEach
    void setUp()
    {
        fdb = newFdb(FdbSettings.defaults());
        vni = fdb.addVni(VNI, LearningMode.DATA_PLANE, 0, null);
        vtepA = fdb.remoteVteps().intern(VtepAddress.parse("198.51.100.2"));
        vtepB = fdb.remoteVteps().intern(VtepAddress.parse("198.51.100.3"));
    }

    private Fdb newFdb(final FdbSettings settings)
    {
        final Fdb created = new Fdb(settings.withClock(clock).withAgeingSeconds(AGEING_SECONDS).withErrorHandler(errors::add));
        created.addListener(listener);
        return created;
    }

    private long now()
    {
        return clock.nanoTime();
    }

    /** Runs the writer until it has nothing left to do. */
    private void drain()
    {
        while (fdb.conductor().doWork() > 0)
        {
        }
    }

    private static long local(final int attachment)
    {
        return FdbEntry.local(attachment, Origin.LOCAL);
    }

    private long remote(final RemoteVtep vtep)
    {
        return FdbEntry.remote(vtep.index(), Origin.REMOTE);
    }

    // ------------------------------------------------------------------------------------
    // Learning.
    // ------------------------------------------------------------------------------------

    @Test
    void learnsALocalMacThroughTheQueue()
    {
        vni.learnLocal(MAC1, 7, now());

        assertEquals(FdbEntry.NONE, vni.lookup(MAC1), "the data path never writes the table");
        assertEquals(1, fdb.learnQueueDepth());

        drain();

        assertEquals(local(7), vni.lookup(MAC1));
        assertEquals(0, fdb.learnQueueDepth());
        assertEquals(1, vni.size());
        assertEquals(1, vni.entries(Origin.LOCAL));
        assertEquals(List.of("added 100 02:00:00:00:00:01 local attachment 7 (local)"), listener.take());
    }

    @Test
    void learnsARemoteMacThroughTheQueue()
    {
        vni.learnRemote(MAC1, vtepB, now());
        drain();

        assertEquals(remote(vtepB), vni.lookup(MAC1));
        assertEquals(1, vni.entries(Origin.REMOTE));
        assertEquals(List.of("added 100 02:00:00:00:00:01 remote vtep 1 (remote)"), listener.take());
    }

    @Test
    void aMacSeenAgainWhereItIsRefreshesInPlaceWithoutQueueing()
    {
        vni.learnLocal(MAC1, 7, now());
        vni.learnRemote(MAC2, vtepA, now());
        drain();
        listener.take();
        clock.advanceSeconds(5);

        vni.learnLocal(MAC1, 7, now());
        vni.learnRemote(MAC2, vtepA, now());

        assertEquals(0, fdb.learnQueueDepth(), "nothing queued");
        assertEquals(0, vni.ageNanos(MAC1), "last seen refreshed by the data path itself");
        assertEquals(0, vni.ageNanos(MAC2));
        drain();
        assertEquals(List.of(), listener.take(), "a refresh is not a change");
        assertEquals(0, vni.macMoves());
    }

    @Test
    void duplicateEventsQueuedBeforeTheWriterRunsAddOnce()
    {
        vni.learnLocal(MAC1, 7, now());
        vni.learnLocal(MAC1, 7, now());
        clock.advanceSeconds(1);
        vni.learnLocal(MAC1, 7, now());
        assertEquals(3, fdb.learnQueueDepth());

        drain();

        assertEquals(1, vni.size());
        assertEquals(0, vni.ageNanos(MAC1), "the latest event's time wins");
        assertEquals(1, listener.take().size());
    }

    @Test
    void macMovesUpdateTheEntryAtOnceAndAreCounted()
    {
        vni.learnLocal(MAC1, 7, now());
        drain();

        vni.learnLocal(MAC1, 8, now()); // to another attachment
        drain();
        assertEquals(local(8), vni.lookup(MAC1));

        clock.advanceSeconds(5); // the host went quiet for the local-move hold (default 5 s)
        vni.learnRemote(MAC1, vtepA, now()); // local -> remote
        drain();
        assertEquals(remote(vtepA), vni.lookup(MAC1));
        assertEquals(0, vni.entries(Origin.LOCAL));
        assertEquals(1, vni.entries(Origin.REMOTE));

        vni.learnRemote(MAC1, vtepB, now()); // remote -> remote
        drain();
        assertEquals(remote(vtepB), vni.lookup(MAC1));

        vni.learnLocal(MAC1, 7, now()); // remote -> local
        drain();
        assertEquals(local(7), vni.lookup(MAC1));
        assertEquals(1, vni.entries(Origin.LOCAL));
        assertEquals(0, vni.entries(Origin.REMOTE));

        assertEquals(4, vni.macMoves());
        assertEquals(1, vni.size());
        assertEquals(List.of(
            "added 100 02:00:00:00:00:01 local attachment 7 (local)",
            "changed 100 02:00:00:00:00:01 local attachment 7 (local) -> local attachment 8 (local)",
            "changed 100 02:00:00:00:00:01 local attachment 8 (local) -> remote vtep 0 (remote)",
            "changed 100 02:00:00:00:00:01 remote vtep 0 (remote) -> remote vtep 1 (remote)",
            "changed 100 02:00:00:00:00:01 remote vtep 1 (remote) -> local attachment 7 (local)"), listener.take());
    }

    @Test
    void groupAndAllZeroSourceMacsAreNeverLearned()
    {
        vni.learnLocal(MacAddress.BROADCAST, 7, now());
        vni.learnLocal(MacAddress.parse("01:00:5e:00:00:01"), 7, now());
        vni.learnRemote(MacAddress.parse("33:33:00:00:00:01"), vtepA, now());
        vni.learnLocal(0L, 7, now());
        vni.learnLocal(1L << 48 | MAC1, 7, now());

        assertEquals(0, fdb.learnQueueDepth());
        drain();
        assertEquals(0, vni.size());
    }

    // ------------------------------------------------------------------------------------
    // Learning modes.
    // ------------------------------------------------------------------------------------

    @Test
    void dataPlaneModeLearnsBothSides()
    {
        vni.learnLocal(MAC1, 7, now());
        vni.learnRemote(MAC2, vtepA, now());
        drain();

        assertEquals(2, vni.size());
    }

    @Test
    void evpnModeLearnsLocallyButNotFromTheOverlay()
    {
        final VniFdb evpn = fdb.addVni(200, LearningMode.EVPN, 0, null);

        evpn.learnLocal(MAC1, 7, now());
        evpn.learnRemote(MAC2, vtepA, now());
        drain();

        assertEquals(local(7), evpn.lookup(MAC1));
        assertEquals(FdbEntry.NONE, evpn.lookup(MAC2));
        assertTrue(fdb.putEvpn(200, MAC2, vtepA), "remote MACs come from the control plane");
        assertEquals(FdbEntry.remote(vtepA.index(), Origin.EVPN), evpn.lookup(MAC2));
        assertEquals(List.of(
            "added 200 02:00:00:00:00:01 local attachment 7 (local)",
            "added 200 02:00:00:00:00:02 remote vtep 0 (evpn)"), listener.take());
    }

    @Test
    void noneModeLearnsNothingButTakesStaticAndEvpnEntries()
    {
        final VniFdb none = fdb.addVni(300, LearningMode.NONE, 0, null);

        none.learnLocal(MAC1, 7, now());
        none.learnRemote(MAC2, vtepA, now());
        assertEquals(0, fdb.learnQueueDepth());
        drain();
        assertEquals(0, none.size());

        fdb.addStatic(300, MAC1, vtepA);
        assertTrue(fdb.putEvpn(300, MAC2, vtepB));
        assertEquals(2, none.size());
    }

    // ------------------------------------------------------------------------------------
    // MAC limit.
    // ------------------------------------------------------------------------------------

    @Test
    void atTheLimitNothingNewIsLearnedAndTheEventIsCounted()
    {
        final VniFdb limited = fdb.addVni(200, LearningMode.DATA_PLANE, 2, null);
        limited.learnLocal(MAC1, 7, now());
        limited.learnRemote(MAC2, vtepA, now());
        drain();
        assertEquals(2, limited.size());

        limited.learnLocal(MAC3, 7, now());
        limited.learnRemote(MAC3, vtepA, now());

        assertEquals(0, fdb.learnQueueDepth(), "refused on the data path, not queued");
        assertEquals(2, limited.macLimitHits());
        drain();
        assertEquals(FdbEntry.NONE, limited.lookup(MAC3));
        assertEquals(2, limited.size());
    }

    @Test
    void atTheLimitExistingEntriesStillRefreshAndMove()
    {
        final VniFdb limited = fdb.addVni(200, LearningMode.DATA_PLANE, 2, null);
        limited.learnLocal(MAC1, 7, now());
        limited.learnLocal(MAC2, 7, now());
        drain();
        clock.advanceSeconds(6);

        limited.learnLocal(MAC1, 7, now());
        assertEquals(0, limited.ageNanos(MAC1), "refreshed at the limit");

        limited.learnRemote(MAC2, vtepA, now());
        drain();
        assertEquals(remote(vtepA), limited.lookup(MAC2), "moved at the limit");
        assertEquals(0, limited.macLimitHits());

        clock.advanceSeconds(6);
        drain(); // MAC1 and MAC2 seen 6 s ago: kept
        assertEquals(2, limited.size());
    }

    @Test
    void theWriterEnforcesTheLimitForEventsQueuedTogether()
    {
        final VniFdb limited = fdb.addVni(200, LearningMode.DATA_PLANE, 1, null);
        limited.learnLocal(MAC1, 7, now());
        limited.learnLocal(MAC2, 7, now()); // the data path cannot know MAC1 will take the last place
        assertEquals(2, fdb.learnQueueDepth());

        drain();

        assertEquals(1, limited.size());
        assertEquals(local(7), limited.lookup(MAC1));
        assertEquals(1, limited.macLimitHits());
    }

    @Test
    void staticAndEvpnEntriesNeitherCountTowardsNorAreRefusedByTheLimit()
    {
        final VniFdb limited = fdb.addVni(200, LearningMode.DATA_PLANE, 1, null);
        fdb.addStatic(200, MAC2, vtepA);
        assertTrue(fdb.putEvpn(200, MAC3, vtepB));

        limited.learnLocal(MAC1, 7, now());
        drain();

        assertEquals(3, limited.size());
        assertEquals(1, limited.learnedEntries());
        assertEquals(0, limited.macLimitHits());
    }

    @Test
    void anEvpnMacMovingToALocalPortCountsAgainstTheLimit()
    {
        final VniFdb limited = fdb.addVni(200, LearningMode.DATA_PLANE, 1, null);
        assertTrue(fdb.putEvpn(200, MAC2, vtepB));
        limited.learnLocal(MAC1, 7, now());
        drain();

        limited.learnLocal(MAC2, 7, now()); // the move would make a second learned entry
        drain();

        assertEquals(FdbEntry.remote(vtepB.index(), Origin.EVPN), limited.lookup(MAC2), "stays where EVPN says");
        assertEquals(1, limited.learnedEntries());
        assertEquals(1, limited.macLimitHits());
    }

    // ------------------------------------------------------------------------------------
    // Ageing.
    // ------------------------------------------------------------------------------------

    @Test
    void learnedEntriesAgeOutStaticAndEvpnNever()
    {
        vni.learnLocal(MAC1, 7, now());
        vni.learnRemote(MAC2, vtepA, now());
        drain();
        fdb.addStatic(VNI, MAC3, vtepB);
        final long evpnMac = MacAddress.parse("02:00:00:00:00:04");
        assertTrue(fdb.putEvpn(VNI, evpnMac, vtepA));
        listener.take();

        clock.advanceSeconds(5);
        vni.learnLocal(MAC1, 7, now()); // MAC1 seen again at +5 s
        drain();
        assertEquals(4, vni.size());

        clock.advanceSeconds(6); // +11 s: MAC2 unseen for 11 s > 10 s
        drain();
        assertEquals(local(7), vni.lookup(MAC1));
        assertEquals(FdbEntry.NONE, vni.lookup(MAC2));
        assertEquals(List.of("removed 100 02:00:00:00:00:02 remote vtep 0 (remote)"), listener.take());

        clock.advanceSeconds(5); // +16 s: MAC1 unseen for 11 s
        drain();
        assertEquals(FdbEntry.NONE, vni.lookup(MAC1));
        assertEquals(List.of("removed 100 02:00:00:00:00:01 local attachment 7 (local)"), listener.take());

        clock.advanceSeconds(TimeUnit.DAYS.toSeconds(30));
        drain();
        assertEquals(FdbEntry.remote(vtepB.index(), Origin.STATIC), vni.lookup(MAC3));
        assertEquals(FdbEntry.remote(vtepA.index(), Origin.EVPN), vni.lookup(evpnMac));
        assertEquals(2, vni.size());
        assertEquals(0, vni.entries(Origin.LOCAL));
        assertEquals(0, vni.entries(Origin.REMOTE));
        assertEquals(1, vni.entries(Origin.STATIC));
        assertEquals(1, vni.entries(Origin.EVPN));
        assertEquals(List.of(), listener.take());
    }

    @Test
    void anEntryExactlyAsOldAsTheAgeingTimeStays()
    {
        vni.learnLocal(MAC1, 7, now());
        drain();

        clock.advanceSeconds(AGEING_SECONDS);
        drain();
        assertEquals(local(7), vni.lookup(MAC1));

        clock.advanceMillis(1);
        drain();
        assertEquals(local(7), vni.lookup(MAC1), "the next sweep is not due for another second");

        clock.advanceMillis(999);
        drain();
        assertEquals(FdbEntry.NONE, vni.lookup(MAC1));
    }

    @Test
    void theSweepRunsAtMostOncePerInterval()
    {
        final long before = fdb.conductor().sweeps();
        fdb.conductor().doWork();
        assertEquals(before, fdb.conductor().sweeps(), "no time has passed");

        clock.advanceMillis(999);
        fdb.conductor().doWork();
        assertEquals(before, fdb.conductor().sweeps());

        clock.advanceMillis(1);
        fdb.conductor().doWork();
        fdb.conductor().doWork();
        assertEquals(before + 1, fdb.conductor().sweeps());
    }

    @Test
    void ageingZeroMeansLearnedEntriesStay()
    {
        fdb = new Fdb(FdbSettings.defaults().withClock(clock).withAgeingNanos(0));
        final VniFdb v = fdb.addVni(VNI, LearningMode.DATA_PLANE, 0, null);
        v.learnLocal(MAC1, 7, now());
        drain();

        clock.advanceSeconds(TimeUnit.DAYS.toSeconds(365));
        drain();

        assertEquals(local(7), v.lookup(MAC1));
    }

    // ------------------------------------------------------------------------------------
    // Static and EVPN entries.
    // ------------------------------------------------------------------------------------

    @Test
    void dataPlaneLearningNeverOverwritesStaticOrEvpnEntries()
    {
        fdb.addStatic(VNI, MAC1, vtepA);
        assertTrue(fdb.putEvpn(VNI, MAC2, vtepA));

        vni.learnLocal(MAC1, 7, now());
        vni.learnRemote(MAC1, vtepB, now());
        vni.learnRemote(MAC2, vtepB, now());
        vni.learnRemote(MAC2, vtepA, now()); // same place, other origin: still not touched

        assertEquals(0, fdb.learnQueueDepth(), "refused on the data path");
        drain();
        assertEquals(FdbEntry.remote(vtepA.index(), Origin.STATIC), vni.lookup(MAC1));
        assertEquals(FdbEntry.remote(vtepA.index(), Origin.EVPN), vni.lookup(MAC2));
        assertEquals(0, vni.macMoves());
    }

    @Test
    void anEvpnMacHeardOnALocalPortHasMovedHere()
    {
        assertTrue(fdb.putEvpn(VNI, MAC2, vtepA));
        listener.take();

        vni.learnLocal(MAC2, 7, now());
        drain();

        assertEquals(local(7), vni.lookup(MAC2), "RFC 7432 §15: the host moved behind this VTEP");
        assertEquals(1, vni.macMoves());
        assertEquals(List.of("changed 100 02:00:00:00:00:02 remote vtep 0 (evpn) -> local attachment 7 (local)"), listener.take(),
            "the control plane is told, to advertise the MAC with a higher sequence number");
    }

    @Test
    void aSyncedMacPointsAtTheLocalAttachmentNeverAgesAndLearningTakesItOver()
    {
        // MAC sync (RFC 7432 §8.4): another gateway of our segment advertises the MAC; it is on our attachment 7.
        assertTrue(fdb.putEvpnLocal(VNI, MAC1, 7));
        final long synced = FdbEntry.local(7, Origin.EVPN);
        assertEquals(synced, vni.lookup(MAC1));
        assertTrue(FdbEntry.isSynced(synced));
        assertEquals(1, fdb.entries(), "it counts against the global cap");
        assertEquals(1, vni.entries(Origin.EVPN));
        clock.advanceSeconds(AGEING_SECONDS * 3);
        drain();
        assertEquals(synced, vni.lookup(MAC1), "an EVPN entry never ages");
        listener.take();

        // The server's frames come to us too: the MAC is learned here (no move: same attachment).
        vni.learnLocal(MAC1, 7, now());
        drain();
        assertEquals(local(7), vni.lookup(MAC1));
        assertFalse(FdbEntry.isSynced(vni.lookup(MAC1)));
        assertEquals(0, vni.macMoves());
        assertEquals(List.of("changed 100 02:00:00:00:00:01 local attachment 7 (evpn) -> local attachment 7 (local)"), listener.take());

        // Learned locally, the sync does not replace it (our own route says where it is).
        assertFalse(fdb.putEvpnLocal(VNI, MAC1, 7));
        assertEquals(local(7), vni.lookup(MAC1));
    }

    @Test
    void aStaticEntryWinsOverASyncedOneAndTheCapHoldsIt()
    {
        fdb.addStaticLocal(VNI, MAC1, 3);
        assertFalse(fdb.putEvpnLocal(VNI, MAC1, 7));
        assertEquals(FdbEntry.local(3, Origin.STATIC), vni.lookup(MAC1));

        fdb = newFdb(FdbSettings.defaults().withMaxEntries(1));
        fdb.addVni(VNI, LearningMode.EVPN, 0, null);
        assertTrue(fdb.putEvpnLocal(VNI, MAC1, 7));
        assertFalse(fdb.putEvpnLocal(VNI, MAC2, 7), "at the global cap");
        assertEquals(1, fdb.maxEntriesHits());

        // A remote EVPN entry and a synced one replace each other (the control plane moves the MAC between them).
        final RemoteVtep gateway = fdb.remoteVteps().intern(VtepAddress.parse("198.51.100.2"));
        assertTrue(fdb.putEvpn(VNI, MAC1, gateway));
        assertEquals(FdbEntry.remote(gateway.index(), Origin.EVPN), fdb.vni(VNI).lookup(MAC1));
        assertTrue(fdb.putEvpnLocal(VNI, MAC1, 7));
        assertEquals(FdbEntry.local(7, Origin.EVPN), fdb.vni(VNI).lookup(MAC1));
        assertTrue(fdb.remove(VNI, MAC1, Origin.EVPN));
    }

    @Test
    void aPinnedEvpnMacHeardOnALocalPortStaysWhereEvpnSays()
    {
        assertTrue(fdb.putEvpn(VNI, MAC2, vtepA, true));
        final long pinned = FdbEntry.pinned(FdbEntry.remote(vtepA.index(), Origin.EVPN));
        assertEquals(pinned, vni.lookup(MAC2));
        listener.take();

        vni.learnLocal(MAC2, 7, now());
        assertEquals(0, fdb.learnQueueDepth(), "refused on the data path");
        drain();

        assertEquals(pinned, vni.lookup(MAC2), "sticky (RFC 7432 §15.2) or frozen duplicate: no move");
        assertEquals(0, vni.macMoves());
        assertEquals(List.of(), listener.take());
        assertEquals("remote vtep 0 (evpn, pinned)", FdbEntry.toString(pinned));
    }

    @Test
    void aLearnEventQueuedBeforeAStaticEntryIsRefusedByTheWriter()
    {
        vni.learnLocal(MAC1, 7, now());
        vni.learnRemote(MAC2, vtepB, now());
        fdb.addStatic(VNI, MAC1, vtepA); // arrives while the events wait in the queue
        assertTrue(fdb.putEvpn(VNI, MAC2, vtepA));

        drain();

        assertEquals(FdbEntry.remote(vtepA.index(), Origin.STATIC), vni.lookup(MAC1));
        assertEquals(FdbEntry.remote(vtepA.index(), Origin.EVPN), vni.lookup(MAC2));
    }

    @Test
    void staticAndEvpnReplaceLearnedEntries()
    {
        vni.learnLocal(MAC1, 7, now());
        vni.learnRemote(MAC2, vtepB, now());
        drain();
        listener.take();

        fdb.addStatic(VNI, MAC1, vtepA);
        assertTrue(fdb.putEvpn(VNI, MAC2, vtepB)); // same VTEP: not a move

        assertEquals(1, vni.entries(Origin.STATIC));
        assertEquals(1, vni.entries(Origin.EVPN));
        assertEquals(0, vni.learnedEntries());
        assertEquals(1, vni.macMoves());
        assertEquals(List.of(
            "changed 100 02:00:00:00:00:01 local attachment 7 (local) -> remote vtep 0 (static)",
            "changed 100 02:00:00:00:00:02 remote vtep 1 (remote) -> remote vtep 1 (evpn)"), listener.take());
    }

    @Test
    void staticWinsOverEvpn()
    {
        fdb.addStatic(VNI, MAC1, vtepA);

        assertFalse(fdb.putEvpn(VNI, MAC1, vtepB));
        assertEquals(FdbEntry.remote(vtepA.index(), Origin.STATIC), vni.lookup(MAC1));

        assertTrue(fdb.putEvpn(VNI, MAC2, vtepB));
        fdb.addStatic(VNI, MAC2, vtepA); // configuration overrides the control plane
        assertEquals(FdbEntry.remote(vtepA.index(), Origin.STATIC), vni.lookup(MAC2));
    }

    @Test
    void evpnRouteUpdatesMoveTheEntry()
    {
        assertTrue(fdb.putEvpn(VNI, MAC1, vtepA));
        assertTrue(fdb.putEvpn(VNI, MAC1, vtepA)); // the same route again: nothing happens
        assertTrue(fdb.putEvpn(VNI, MAC1, vtepB));

        assertEquals(FdbEntry.remote(vtepB.index(), Origin.EVPN), vni.lookup(MAC1));
        assertEquals(1, vni.macMoves());
        assertEquals(List.of(
            "added 100 02:00:00:00:00:01 remote vtep 0 (evpn)",
            "changed 100 02:00:00:00:00:01 remote vtep 0 (evpn) -> remote vtep 1 (evpn)"), listener.take());
    }

    @Test
    void staticLocalEntries()
    {
        fdb.addStaticLocal(VNI, MAC1, 9);
        vni.learnLocal(MAC1, 7, now());
        drain();

        assertEquals(FdbEntry.local(9, Origin.STATIC), vni.lookup(MAC1));
        assertTrue(fdb.remove(VNI, MAC1, Origin.STATIC));
    }

    @Test
    void removeNeedsTheRightOrigin()
    {
        assertTrue(fdb.putEvpn(VNI, MAC1, vtepA));
        vni.learnLocal(MAC2, 7, now());
        drain();
        listener.take();

        assertFalse(fdb.remove(VNI, MAC1, Origin.STATIC));
        assertFalse(fdb.remove(VNI, MAC2, Origin.EVPN));
        assertFalse(fdb.remove(VNI, MAC3, Origin.LOCAL));
        assertFalse(fdb.remove(999, MAC1, Origin.EVPN), "unknown VNI");
        assertEquals(2, vni.size());

        assertTrue(fdb.remove(VNI, MAC1, Origin.EVPN));
        assertTrue(fdb.remove(VNI, MAC2, Origin.LOCAL));
        assertEquals(0, vni.size());
        assertEquals(0, vni.entries(Origin.EVPN));
        assertEquals(0, vni.entries(Origin.LOCAL));
        assertEquals(List.of(
            "removed 100 02:00:00:00:00:01 remote vtep 0 (evpn)",
            "removed 100 02:00:00:00:00:02 local attachment 7 (local)"), listener.take());
    }

    @Test
    void controlWritesCheckTheirArguments()
    {
        final RemoteVtep foreign = new RemoteVtepTable(1).intern(VtepAddress.parse("198.51.100.2"));

        assertThrows(IllegalArgumentException.class, () -> fdb.addStatic(999, MAC1, vtepA), "unknown VNI");
        assertThrows(IllegalArgumentException.class, () -> fdb.addStatic(VNI, MAC1, foreign));
        assertThrows(IllegalArgumentException.class, () -> fdb.putEvpn(VNI, MAC1, foreign));
        assertThrows(IllegalArgumentException.class, () -> fdb.addStatic(VNI, 1L << 48, vtepA));
        assertThrows(NullPointerException.class, () -> fdb.addStatic(VNI, MAC1, null));
        assertFalse(fdb.putEvpn(999, MAC1, vtepA), "unknown VNI: route ignored");
    }

    // ------------------------------------------------------------------------------------
    // VNIs, flood lists, multicast groups.
    // ------------------------------------------------------------------------------------

    @Test
    void vnisAreFoundLockFreeAndListedInOrder()
    {
        fdb.addVni(5, LearningMode.NONE, 0, null);
        fdb.addVni(0xFF_FFFF, LearningMode.EVPN, 16384, null);
        fdb.addVni(0, LearningMode.DATA_PLANE, 0, null);

        assertArrayEquals(new int[] {0, 5, VNI, 0xFF_FFFF}, fdb.vnis());
        assertSame(vni, fdb.vni(VNI));
        assertEquals(16384, fdb.vni(0xFF_FFFF).macLimit());
        assertEquals(LearningMode.EVPN, fdb.vni(0xFF_FFFF).learningMode());
        assertNull(fdb.vni(6));
        assertNull(fdb.vni(-1));
    }

    @Test
    void addVniChecksItsArguments()
    {
        assertThrows(IllegalArgumentException.class, () -> fdb.addVni(VNI, LearningMode.NONE, 0, null), "duplicate");
        assertThrows(IllegalArgumentException.class, () -> fdb.addVni(-1, LearningMode.NONE, 0, null));
        assertThrows(IllegalArgumentException.class, () -> fdb.addVni(1 << 24, LearningMode.NONE, 0, null));
        assertThrows(IllegalArgumentException.class, () -> fdb.addVni(1, LearningMode.NONE, -1, null));
        assertThrows(IllegalArgumentException.class,
            () -> fdb.addVni(1, LearningMode.NONE, 0, VtepAddress.parse("198.51.100.9")), "not multicast");
        assertThrows(NullPointerException.class, () -> fdb.addVni(1, null, 0, null));
    }

    @Test
    void floodListsAreCopyOnWrite()
    {
        final RemoteVtep vtepC = fdb.remoteVteps().intern(VtepAddress.parse("2001:db8::3"));
        final RemoteVtep[] empty = vni.floodList();
        assertEquals(0, empty.length);

        final RemoteVtep[] input = {vtepA, vtepB, vtepA};
        fdb.setFloodList(VNI, input);
        final RemoteVtep[] first = vni.floodList();
        assertArrayEquals(new RemoteVtep[] {vtepA, vtepB}, first, "duplicates dropped, order kept");
        input[0] = vtepC;
        assertSame(vtepA, vni.floodList()[0], "the caller's array was copied");

        fdb.addToFloodList(VNI, vtepC);
        final RemoteVtep[] second = vni.floodList();
        assertNotSame(first, second);
        assertArrayEquals(new RemoteVtep[] {vtepA, vtepB}, first, "a published list never changes");
        assertArrayEquals(new RemoteVtep[] {vtepA, vtepB, vtepC}, second);

        fdb.addToFloodList(VNI, vtepB);
        assertSame(second, vni.floodList(), "already there: no new array");

        fdb.removeFromFloodList(VNI, vtepA);
        final RemoteVtep[] third = vni.floodList();
        assertArrayEquals(new RemoteVtep[] {vtepB, vtepC}, third);
        assertArrayEquals(new RemoteVtep[] {vtepA, vtepB, vtepC}, second);

        fdb.removeFromFloodList(VNI, vtepA);
        assertSame(third, vni.floodList(), "not there: no new array");

        fdb.setFloodList(VNI, new RemoteVtep[0]);
        assertEquals(0, vni.floodList().length);
    }

    @Test
    void floodListWritesCheckTheirArguments()
    {
        final RemoteVtep foreign = new RemoteVtepTable(1).intern(VtepAddress.parse("198.51.100.2"));

        assertThrows(IllegalArgumentException.class, () -> fdb.setFloodList(999, new RemoteVtep[] {vtepA}));
        assertThrows(IllegalArgumentException.class, () -> fdb.addToFloodList(VNI, foreign));
        assertThrows(IllegalArgumentException.class, () -> fdb.setFloodList(VNI, new RemoteVtep[] {vtepA, foreign}));
        assertThrows(NullPointerException.class, () -> fdb.setFloodList(VNI, new RemoteVtep[] {null}));
        assertEquals(0, vni.floodList().length, "nothing published by a refused write");
    }

    @Test
    void multicastGroups()
    {
        final VtepAddress group = VtepAddress.parse("239.1.1.100");
        final VniFdb withGroup = fdb.addVni(200, LearningMode.DATA_PLANE, 0, group);
        assertEquals(group, withGroup.multicastGroup());
        assertNull(vni.multicastGroup());

        fdb.setMulticastGroup(VNI, VtepAddress.parse("ff05::100"));
        assertEquals(VtepAddress.parse("ff05::100"), vni.multicastGroup());
        fdb.setMulticastGroup(VNI, null);
        assertNull(vni.multicastGroup());
        assertThrows(IllegalArgumentException.class, () -> fdb.setMulticastGroup(VNI, VtepAddress.parse("2001:db8::1")));
    }

    // ------------------------------------------------------------------------------------
    // Listeners, queue, walking.
    // ------------------------------------------------------------------------------------

    @Test
    void aListenerThatThrowsDoesNotStopTheWriterOrOtherListeners()
    {
        final RuntimeException boom = new IllegalStateException("boom");
        final RecordingListener second = new RecordingListener();
        fdb.addListener(new FdbListener()
        {
            @Override
            public void onEntryAdded(final int vni, final long mac, final long entry)
            {
                throw boom;
            }
        });
        fdb.addListener(second);

        vni.learnLocal(MAC1, 7, now());
        vni.learnLocal(MAC2, 7, now());
        drain();

        assertEquals(2, vni.size());
        assertEquals(List.of(boom, boom), errors);
        assertEquals(2, second.take().size());
        assertEquals(2, listener.take().size());
    }

    @Test
    void removedListenersHearNothing()
    {
        assertTrue(fdb.removeListener(listener));
        assertFalse(fdb.removeListener(listener));

        fdb.addStatic(VNI, MAC1, vtepA);

        assertEquals(List.of(), listener.take());
    }

    @Test
    void aListenerMayWriteBackIntoTheFdb()
    {
        // e.g. a control plane that pins every locally learned MAC as static
        fdb.addListener(new FdbListener()
        {
            @Override
            public void onEntryAdded(final int vni, final long mac, final long entry)
            {
                if (FdbEntry.origin(entry) == Origin.LOCAL)
                {
                    fdb.addStaticLocal(vni, mac, FdbEntry.attachment(entry));
                }
            }
        });

        vni.learnLocal(MAC1, 7, now());
        drain();

        assertEquals(FdbEntry.local(7, Origin.STATIC), vni.lookup(MAC1));
        assertEquals(0, vni.macMoves(), "same place: not a move");
    }

    @Test
    void aFullLearnQueueDropsAndCountsAndTheNextPacketRetries()
    {
        fdb = newFdb(FdbSettings.defaults().withLearnQueueCapacity(8));
        final VniFdb v = fdb.addVni(VNI, LearningMode.DATA_PLANE, 0, null);
        assertEquals(8, fdb.learnQueueCapacity());

        for (int i = 1; i <= 10; i++)
        {
            v.learnLocal(MAC1 + i, 7, now());
        }

        assertEquals(2, v.learnQueueDrops());
        assertEquals(8, fdb.learnQueueDepth());
        drain();
        assertEquals(8, v.size());
        assertEquals(FdbEntry.NONE, v.lookup(MAC1 + 9));

        v.learnLocal(MAC1 + 9, 7, now()); // the next packet from the dropped MAC
        v.learnLocal(MAC1 + 10, 7, now());
        drain();
        assertEquals(10, v.size());
        assertEquals(2, v.learnQueueDrops());
    }

    @Test
    void learnQueueCapacityIsRoundedUpToAPowerOfTwo()
    {
        assertEquals(16384, new Fdb(FdbSettings.defaults()).learnQueueCapacity());
        assertEquals(8, new Fdb(FdbSettings.defaults().withLearnQueueCapacity(1)).learnQueueCapacity());
        assertEquals(1024, new Fdb(FdbSettings.defaults().withLearnQueueCapacity(1000)).learnQueueCapacity());
    }

    @Test
    void forEachVisitsEveryEntryWithItsAge()
    {
        final VniFdb other = fdb.addVni(50, LearningMode.DATA_PLANE, 0, null);
        vni.learnLocal(MAC1, 7, now());
        other.learnRemote(MAC2, vtepA, now());
        drain();
        clock.advanceSeconds(3);
        fdb.addStatic(VNI, MAC3, vtepB);

        final List<String> seen = new ArrayList<>();
        fdb.forEach((vniId, mac, entry, age) -> seen.add(vniId + " " + MacAddress.format(mac) + " " + FdbEntry.toString(entry) + " " +
            TimeUnit.NANOSECONDS.toSeconds(age) + "s"));
        seen.sort(null);

        assertEquals(List.of(
            "100 02:00:00:00:00:01 local attachment 7 (local) 3s",
            "100 02:00:00:00:00:03 remote vtep 1 (static) 0s",
            "50 02:00:00:00:00:02 remote vtep 0 (remote) 3s"), seen);
        assertEquals(-1, vni.ageNanos(MAC2));
    }

    @Test
    void settingsCheckTheirValues()
    {
        final FdbSettings defaults = FdbSettings.defaults();
        assertEquals(TimeUnit.SECONDS.toNanos(300), defaults.ageingNanos());
        assertEquals(TimeUnit.SECONDS.toNanos(1), defaults.refreshGranularityNanos());
        assertEquals(TimeUnit.SECONDS.toNanos(10) / 16,
            defaults.withAgeingSeconds(10).refreshGranularityNanos());
        assertThrows(IllegalArgumentException.class, () -> defaults.withAgeingNanos(-1));
        assertThrows(IllegalArgumentException.class, () -> defaults.withLearnQueueCapacity(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withRemoteVtepCapacity(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withSweepIntervalNanos(0));
        assertThrows(NullPointerException.class, () -> defaults.withClock(null));
    }
}
