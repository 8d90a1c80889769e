package io.vtep.evpn.mobility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.vtep.evpn.mobility.MacMobility.Move;
import io.vtep.evpn.mobility.MacMobility.State;

/**
 * Every transition of {@link MacMobility} on a manual clock (RFC 7432 §15): moves and sequence
 * numbers, sticky MACs, the §15.1 tie-break, duplicate detection at the window's edges, freezing
 * and its release.
 */
class MacMobilityTest
{
    private static final InetAddress LOCAL = address("198.51.100.5");
    private static final InetAddress LOWER = address("198.51.100.2");
    private static final InetAddress HIGHER = address("198.51.100.9");
    private static final Duration WINDOW = Duration.ofSeconds(180);

    private long now = TimeUnit.SECONDS.toNanos(1000);

    private MacMobility mobility(final int maxMoves, final Duration freeze)
    {
        return new MacMobility(new DuplicateDetection(maxMoves, WINDOW, freeze, () -> now), LOCAL);
    }

    private MacMobility mobility()
    {
        return mobility(5, null);
    }

    private static Advertisement remote(final long sequence, final InetAddress vtep)
    {
        return new Advertisement(sequence, false, vtep);
    }

    // ------------------------------------------------------------------ locations

    @Test
    void aNewMacLearnedHereIsLocalWithSequenceZero()
    {
        final MacMobility mac = mobility();
        assertTrue(mac.forgettable());
        assertEquals(Move.NONE, mac.learnedLocally(false, null));
        assertEquals(State.LOCAL, mac.state());
        assertEquals(0, mac.sequence());
        assertFalse(mac.forgettable());
    }

    @Test
    void aRemoteMacIsRemoteAndGoesAbsentWhenWithdrawn()
    {
        final MacMobility mac = mobility();
        assertEquals(Move.NONE, mac.remoteChanged(remote(4, HIGHER)));
        assertEquals(State.REMOTE, mac.state());
        assertEquals(Move.NONE, mac.remoteChanged(null));
        assertEquals(State.ABSENT, mac.state());
        assertTrue(mac.forgettable(), "nothing to remember: never advertised by us");
    }

    @Test
    void learnedHereWhileRemoteIsAMoveWithTheRemoteSequencePlusOne()
    {
        final MacMobility mac = mobility();
        mac.remoteChanged(remote(4, HIGHER));
        assertEquals(Move.MOVED, mac.learnedLocally(false, remote(4, HIGHER)));
        assertEquals(State.LOCAL, mac.state());
        assertEquals(5, mac.sequence(), "RFC 7432 §15.1");
        assertEquals(1, mac.recentMoves());
    }

    @Test
    void aHigherRemoteSequenceMovesItAwayALowerOneDoesNot()
    {
        final MacMobility mac = mobility();
        mac.learnedLocally(false, null);
        mac.remoteChanged(remote(4, HIGHER));
        mac.learnedLocally(false, remote(4, HIGHER)); // sequence 5 now
        assertEquals(Move.NONE, mac.remoteChanged(remote(4, LOWER)), "lower sequence: stale");
        assertEquals(State.LOCAL, mac.state());
        assertEquals(Move.MOVED, mac.remoteChanged(remote(6, HIGHER)));
        assertEquals(State.REMOTE, mac.state());
        assertEquals(5, mac.sequence(), "kept, so that a return bumps past it");
    }

    @Test
    void equalSequencesGoToTheLowestVtepAddress()
    {
        final MacMobility mac = mobility();
        mac.learnedLocally(false, null); // sequence 0
        assertEquals(Move.NONE, mac.remoteChanged(remote(0, HIGHER)), "198.51.100.9 > ours (.5): we keep it");
        assertEquals(State.LOCAL, mac.state());
        assertEquals(Move.MOVED, mac.remoteChanged(remote(0, LOWER)), "198.51.100.2 < ours: it wins the tie");
        assertEquals(State.REMOTE, mac.state());
    }

    @Test
    void theLocalEntryGoingIsNotAMoveAndTheRemoteTakesOver()
    {
        final MacMobility withRemote = mobility();
        withRemote.learnedLocally(true, null);
        assertEquals(Move.NONE, withRemote.localGone(remote(0, HIGHER)));
        assertEquals(State.REMOTE, withRemote.state());

        final MacMobility alone = mobility();
        alone.remoteChanged(remote(2, HIGHER));
        alone.learnedLocally(false, remote(2, HIGHER));
        alone.remoteChanged(null);
        assertEquals(Move.NONE, alone.localGone(null));
        assertEquals(State.ABSENT, alone.state());
        assertEquals(1, alone.recentMoves(), "one move; leaving did not count");
        assertFalse(alone.forgettable(), "its sequence 3 must be remembered");
        assertEquals(Move.NONE, alone.localGone(null), "gone twice: nothing");
    }

    // ------------------------------------------------------------------ sticky (§15.2)

    @Test
    void aStickyLocalMacIsNeverMovedByAHigherSequence()
    {
        final MacMobility mac = mobility();
        mac.learnedLocally(true, null);
        assertTrue(mac.sticky());
        assertEquals(Move.NONE, mac.remoteChanged(remote(1_000, LOWER)));
        assertEquals(State.LOCAL, mac.state());
        assertEquals(0, mac.recentMoves());
    }

    @Test
    void aStickyRemoteMacHeardHereStaysRemoteAndIsNotAMove()
    {
        final MacMobility mac = mobility();
        final Advertisement sticky = new Advertisement(0, true, HIGHER);
        mac.remoteChanged(sticky);
        assertEquals(Move.NONE, mac.learnedLocally(false, sticky));
        assertEquals(State.REMOTE, mac.state());
        assertEquals(0, mac.sequence());
        assertEquals(0, mac.recentMoves());
    }

    @Test
    void aLocalMacBecomingStaticBecomesSticky()
    {
        final MacMobility mac = mobility();
        mac.learnedLocally(false, null);
        assertEquals(Move.NONE, mac.learnedLocally(true, null));
        assertTrue(mac.sticky());
        assertEquals(Move.NONE, mac.remoteChanged(remote(9, LOWER)));
        assertEquals(State.LOCAL, mac.state());
    }

    // ------------------------------------------------------------------ sequence at the top

    @Test
    void theSequenceStopsAtTheTopAndTheTieBreakDecides()
    {
        final MacMobility fromHigher = mobility();
        final Advertisement top = remote(Advertisement.MAX_SEQUENCE, HIGHER);
        fromHigher.remoteChanged(top);
        assertEquals(Move.MOVED, fromHigher.learnedLocally(false, top));
        assertEquals(Advertisement.MAX_SEQUENCE, fromHigher.sequence(), "2^32-1, not 2^32 (4 octets) nor 0");
        assertEquals(State.LOCAL, fromHigher.state(), "equal sequence, our address is lower");

        final MacMobility fromLower = mobility();
        final Advertisement topLower = remote(Advertisement.MAX_SEQUENCE, LOWER);
        fromLower.remoteChanged(topLower);
        assertEquals(Move.NONE, fromLower.learnedLocally(false, topLower));
        assertEquals(State.REMOTE, fromLower.state(), "the tie goes to the lower address: it cannot move here");
        assertEquals(0, fromLower.recentMoves());
        assertEquals(Advertisement.MAX_SEQUENCE, MacMobility.nextSequence(Advertisement.MAX_SEQUENCE));
        assertEquals(Advertisement.MAX_SEQUENCE, MacMobility.nextSequence(Advertisement.MAX_SEQUENCE - 1));
        assertThrows(IllegalArgumentException.class, () -> remote(Advertisement.MAX_SEQUENCE + 1, LOWER));
    }

    // ------------------------------------------------------------------ duplicates (§15.1)

    @Test
    void oneMoveMoreThanMaxMovesWithinTheWindowFreezesItWhereItIs()
    {
        final MacMobility mac = mobility(3, null);
        mac.remoteChanged(remote(0, HIGHER));
        assertEquals(Move.MOVED, mac.learnedLocally(false, remote(0, HIGHER)));   // 1: here
        now += TimeUnit.SECONDS.toNanos(10);
        assertEquals(Move.MOVED, mac.remoteChanged(remote(5, HIGHER)));            // 2: away
        now += TimeUnit.SECONDS.toNanos(10);
        assertEquals(Move.MOVED, mac.learnedLocally(false, remote(5, HIGHER)));   // 3: here, sequence 6
        now += TimeUnit.SECONDS.toNanos(10);
        assertEquals(Move.FROZE, mac.remoteChanged(remote(7, HIGHER)));            // 4 > 3: duplicate
        assertEquals(State.FROZEN_LOCAL, mac.state(), "frozen here, where it was");
        assertEquals(6, mac.sequence(), "our sequence frozen too");
        assertEquals(now, mac.frozenAtNanos());
        assertEquals(Move.NONE, mac.remoteChanged(remote(100, HIGHER)), "a frozen MAC ignores newer routes");
        assertEquals(State.FROZEN_LOCAL, mac.state());
    }

    @Test
    void aDuplicateFrozenRemotelyIgnoresLocalLearningAndKeepsItsFreezeWhenTheRouteGoes()
    {
        final MacMobility mac = mobility(2, null);
        mac.remoteChanged(remote(0, HIGHER));
        mac.learnedLocally(false, remote(0, HIGHER));                               // 1: here (seq 1)
        mac.remoteChanged(remote(2, HIGHER));                                       // 2: away
        assertEquals(Move.FROZE, mac.learnedLocally(false, remote(2, HIGHER)));   // 3 > 2: duplicate
        assertEquals(State.FROZEN_REMOTE, mac.state());
        assertEquals(1, mac.sequence(), "not bumped: it did not move here");
        assertEquals(Move.NONE, mac.learnedLocally(false, remote(2, HIGHER)), "local learning no longer moves it");
        assertEquals(State.FROZEN_REMOTE, mac.state());

        assertEquals(Move.NONE, mac.remoteChanged(null));
        assertEquals(State.FROZEN_ABSENT, mac.state(), "still a duplicate without a location");
        assertFalse(mac.forgettable());
        assertEquals(Move.NONE, mac.learnedLocally(false, null));
        assertEquals(State.FROZEN_LOCAL, mac.state(), "frozen wherever it shows up next");
        assertEquals(Move.NONE, mac.localGone(null));
        assertEquals(State.FROZEN_ABSENT, mac.state());
    }

    @Test
    void aFrozenMacKeepsItsFreezeWhereverItsLocationGoes()
    {
        final MacMobility mac = mobility(1, null);
        mac.remoteChanged(remote(0, HIGHER));
        mac.learnedLocally(false, remote(0, HIGHER));                               // 1: here
        mac.remoteChanged(remote(5, HIGHER));                                       // 2: frozen here
        assertEquals(State.FROZEN_LOCAL, mac.state());
        assertEquals(Move.NONE, mac.localGone(remote(5, HIGHER)), "the host left: the remote route takes over, frozen");
        assertEquals(State.FROZEN_REMOTE, mac.state());
        assertEquals(Move.NONE, mac.remoteChanged(remote(6, LOWER)), "a remote move is followed, frozen");
        assertEquals(State.FROZEN_REMOTE, mac.state());
        assertEquals(Move.NONE, mac.remoteChanged(null));
        assertEquals(State.FROZEN_ABSENT, mac.state());
        assertEquals(Move.NONE, mac.remoteChanged(remote(7, HIGHER)));
        assertEquals(State.FROZEN_REMOTE, mac.state());
        assertEquals(2, mac.recentMoves(), "none of that counted");
    }

    @Test
    void aMoveExactlyOneWindowOldStillCounts()
    {
        final MacMobility mac = mobility(1, null);
        mac.remoteChanged(remote(0, HIGHER));
        mac.learnedLocally(false, remote(0, HIGHER));                               // 1 at t
        now += WINDOW.toNanos();                                                    // t + 180 s: on the edge
        assertEquals(Move.FROZE, mac.remoteChanged(remote(5, HIGHER)));
    }

    @Test
    void aMoveOneNanosecondOlderThanTheWindowNoLongerCounts()
    {
        final MacMobility mac = mobility(1, null);
        mac.remoteChanged(remote(0, HIGHER));
        mac.learnedLocally(false, remote(0, HIGHER));                               // 1 at t
        now += WINDOW.toNanos() + 1;                                                // just past the edge
        assertEquals(Move.MOVED, mac.remoteChanged(remote(5, HIGHER)));
        assertEquals(State.REMOTE, mac.state());
        assertEquals(1, mac.recentMoves(), "the old move left the window");
    }

    @Test
    void movesSpreadOverTimeNeverFreeze()
    {
        final MacMobility mac = mobility(2, null);
        long remoteSequence = 0;
        mac.remoteChanged(remote(remoteSequence, HIGHER));
        for (int i = 0; i < 50; i++)
        {
            now += TimeUnit.SECONDS.toNanos(91); // at most 2 moves in any 180 s
            if (mac.state().local())
            {
                remoteSequence = mac.sequence() + 1;
                assertEquals(Move.MOVED, mac.remoteChanged(remote(remoteSequence, HIGHER)), "move away " + i);
            }
            else
            {
                assertEquals(Move.MOVED, mac.learnedLocally(false, remote(remoteSequence, HIGHER)), "move here " + i);
                assertEquals(remoteSequence + 1, mac.sequence());
            }
        }
        assertFalse(mac.state().frozen());
    }

    // ------------------------------------------------------------------ release

    @Test
    void aTimedFreezeExpiresAtItsEndAndReleasesTheMacWhereItIs()
    {
        final MacMobility mac = mobility(1, Duration.ofSeconds(30));
        mac.remoteChanged(remote(0, HIGHER));
        mac.learnedLocally(false, remote(0, HIGHER));
        mac.remoteChanged(remote(5, HIGHER));
        assertEquals(State.FROZEN_LOCAL, mac.state());
        now += Duration.ofSeconds(30).toNanos() - 1;
        assertFalse(mac.freezeExpired(), "1 ns before the end");
        now += 1;
        assertTrue(mac.freezeExpired());

        assertTrue(mac.release());
        assertEquals(State.LOCAL, mac.state(), "released where it was frozen");
        assertFalse(mac.freezeExpired());
        assertEquals(0, mac.recentMoves(), "history forgotten");
        assertEquals(Move.MOVED, mac.remoteChanged(remote(5, HIGHER)), "it follows the next move again");
        assertEquals(State.REMOTE, mac.state());
        assertFalse(mac.release(), "not frozen");
    }

    @Test
    void aPermanentFreezeNeverExpiresButCanBeCleared()
    {
        final MacMobility mac = mobility(1, null);
        mac.remoteChanged(remote(0, HIGHER));
        mac.learnedLocally(false, remote(0, HIGHER));
        mac.learnedLocally(false, remote(0, HIGHER)); // nothing new
        mac.remoteChanged(remote(5, HIGHER));
        now += TimeUnit.DAYS.toNanos(365);
        assertFalse(mac.freezeExpired());
        assertTrue(mac.release());
        assertEquals(State.LOCAL, mac.state());
    }

    @Test
    void releasingAFrozenRemoteOrAbsentMacUnpinsIt()
    {
        final MacMobility mac = mobility(1, null);
        mac.learnedLocally(false, null);
        mac.remoteChanged(remote(1, HIGHER));                                       // 1: away
        mac.learnedLocally(false, remote(1, HIGHER));                               // 2: froze behind the remote
        assertEquals(State.FROZEN_REMOTE, mac.state());
        assertTrue(mac.release());
        assertEquals(State.REMOTE, mac.state());
        assertEquals(Move.MOVED, mac.learnedLocally(false, remote(1, HIGHER)), "learning moves it here again");
        assertEquals(2, mac.sequence());

        final MacMobility absent = mobility(1, null);
        absent.learnedLocally(false, null);
        absent.remoteChanged(remote(1, HIGHER));
        absent.learnedLocally(false, remote(1, HIGHER));
        absent.remoteChanged(null);
        assertEquals(State.FROZEN_ABSENT, absent.state());
        assertTrue(absent.release());
        assertEquals(State.ABSENT, absent.state());
    }

    // ------------------------------------------------------------------ order

    @Test
    void theOrderIsStickyThenSequenceThenLowestAddressUnsigned()
    {
        final InetAddress high = address("200.0.0.1"); // a negative first octet as a signed byte
        final InetAddress low = address("10.0.0.1");
        final InetAddress v6 = address("2001:db8::1");
        assertTrue(MobilityOrder.compare(new Advertisement(0, true, high), new Advertisement(9, false, low)) < 0, "sticky first");
        assertTrue(MobilityOrder.compare(new Advertisement(9, false, high), new Advertisement(8, false, low)) < 0, "then sequence");
        assertTrue(MobilityOrder.compare(new Advertisement(0xFFFF_FFFFL, false, high), new Advertisement(1, false, low)) < 0,
            "4-octet sequences compare unsigned");
        assertTrue(MobilityOrder.compare(new Advertisement(3, false, low), new Advertisement(3, false, high)) < 0, "10.x before 200.x");
        assertTrue(MobilityOrder.compare(new Advertisement(3, false, high), new Advertisement(3, false, v6)) < 0, "IPv4 before IPv6");
        assertEquals(0, MobilityOrder.compare(new Advertisement(3, false, low), new Advertisement(3, false, low)));
    }

    @Test
    void detectionSettingsAreChecked()
    {
        assertThrows(IllegalArgumentException.class, () -> new DuplicateDetection(0, WINDOW, null, () -> now));
        assertThrows(IllegalArgumentException.class, () -> new DuplicateDetection(5, Duration.ZERO, null, () -> now));
        assertThrows(IllegalArgumentException.class, () -> new DuplicateDetection(5, WINDOW, Duration.ZERO, () -> now));
        assertTrue(new DuplicateDetection(5, WINDOW, null, () -> now).permanentFreeze());
    }

    private static InetAddress address(final String text)
    {
        try
        {
            return InetAddress.getByName(text);
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new IllegalArgumentException(ex);
        }
    }
}
