package io.vtep.evpn.mobility;

import java.net.InetAddress;

/**
 * Where one MAC of one VNI is attached, as MAC mobility decides it (RFC 7432 §15), as a state
 * machine with explicit states. Events come from the local FDB ({@link #learnedLocally},
 * {@link #localGone}) and from the remote best path ({@link #remoteChanged}); each says whether
 * the MAC moved or was just frozen as a duplicate, and {@link #state()} says where it is now. The
 * caller carries that out: advertise or withdraw our route with {@link #sequence()} and
 * {@link #sticky()}, install the remote entry (pinned while frozen) or remove it.
 *
 * <pre>
 *            learned here (seq = remote + 1)            too many moves
 *   REMOTE ------------------------------------&gt; LOCAL ---------------&gt; FROZEN_LOCAL
 *     ^  &lt;------------------------------------    |                       (remote ignored)
 *     |     remote wins (higher seq, sticky,      | too many moves
 *     |     or equal seq from a lower IP)         v
 *     |                                      FROZEN_REMOTE (local learning ignored, entry pinned)
 *   ABSENT: neither; FROZEN_ABSENT: a duplicate whose location went away: the next one is frozen.
 *   release (freeze time over, or cleared): FROZEN_x -&gt; x, move history forgotten.
 * </pre>
 *
 * Not thread-safe: owned by the EVPN control thread. Allocates once (the move history) when the
 * MAC first moves.
 */
public final class MacMobility
{
    /** Where the MAC is, and whether it is frozen there as a duplicate. */
    public enum State
    {
        /** Not attached here, not advertised by another VTEP. */
        ABSENT,
        /** Attached here: we advertise it with {@link #sequence()}. */
        LOCAL,
        /** Attached behind the VTEP of the remote best path. */
        REMOTE,
        /** A duplicate whose location went away; it stays frozen wherever it shows up next. */
        FROZEN_ABSENT,
        /** A duplicate frozen here: remote advertisements do not move it away (FRR: freeze). */
        FROZEN_LOCAL,
        /** A duplicate frozen behind the remote VTEP: local learning does not move it here. */
        FROZEN_REMOTE;

        /** @return whether we attach (and advertise) the MAC. */
        public boolean local()
        {
            return this == LOCAL || this == FROZEN_LOCAL;
        }

        /** @return whether the MAC is frozen as a duplicate. */
        public boolean frozen()
        {
            return this == FROZEN_ABSENT || this == FROZEN_LOCAL || this == FROZEN_REMOTE;
        }

        State released()
        {
            return switch (this)
            {
                case FROZEN_ABSENT -> ABSENT;
                case FROZEN_LOCAL -> LOCAL;
                case FROZEN_REMOTE -> REMOTE;
                default -> this;
            };
        }

        State withRemote(final boolean remote)
        {
            return frozen() ? (remote ? FROZEN_REMOTE : FROZEN_ABSENT) : (remote ? REMOTE : ABSENT);
        }
    }

    /** What an event did beyond changing the state. */
    public enum Move
    {
        /** No move (the location may still have changed: a route came or went). */
        NONE,
        /** The MAC moved between us and another VTEP (RFC 7432 §15.1); counted. */
        MOVED,
        /** The move made the MAC a duplicate: frozen where it was. */
        FROZE
    }

    private final DuplicateDetection detection;
    private final InetAddress localVtep;
    private State state = State.ABSENT;
    /** The sequence of our advertisement; kept after the MAC leaves, so that a return bumps it. */
    private long sequence;
    private boolean sticky;
    /** Times (nanos) of the recent moves, oldest first; null until the first move. */
    private long[] moveTimes;
    private int moveCount;
    private long frozenAtNanos;

    /**
     * @param detection duplicate detection and the clock.
     * @param localVtep our VTEP: our advertisement's address in the §15.1 tie-break.
     */
    public MacMobility(final DuplicateDetection detection, final InetAddress localVtep)
    {
        this.detection = detection;
        this.localVtep = localVtep;
    }

    /** @return where the MAC is. */
    public State state()
    {
        return state;
    }

    /** @return the sequence number our advertisement carries. */
    public long sequence()
    {
        return sequence;
    }

    /** @return whether our advertisement is sticky (a static local entry, RFC 7432 §15.2). */
    public boolean sticky()
    {
        return sticky;
    }

    /** @return moves within the detection window as of the last one. */
    public int recentMoves()
    {
        return moveCount;
    }

    /** @return nothing here is worth keeping: not attached anywhere, no sequence to remember, not frozen. */
    public boolean forgettable()
    {
        return state == State.ABSENT && sequence == 0;
    }

    /**
     * The FDB holds a local entry for the MAC (learned on an access port, or static).
     *
     * @param localSticky the entry is static: advertised sticky (RFC 7432 §15.2).
     * @param remote      the remote best advertisement, or null.
     * @return whether the MAC moved here or froze.
     */
    public Move learnedLocally(final boolean localSticky, final Advertisement remote)
    {
        if (state.local())
        {
            sticky = localSticky;
            return settle(remote);
        }
        if (remote == null)
        {
            sticky = localSticky;
            state = state.frozen() ? State.FROZEN_LOCAL : State.LOCAL;
            return Move.NONE;
        }
        if (state.frozen())
        {
            state = State.FROZEN_REMOTE; // frozen behind the remote VTEP: the host here does not move it
            return Move.NONE;
        }
        // §15.1: learned here while another VTEP advertises it: the host moved here, and we
        // advertise it with that VTEP's sequence + 1 so that every VTEP prefers us.
        final long moved = Math.max(sequence, nextSequence(remote.sequence()));
        if (MobilityOrder.compare(remote.sequence(), remote.sticky(), remote.vtep(), moved, localSticky, localVtep) < 0)
        {
            // §15.2: a sticky remote MAC heard here is not a move (an impostor, or a loop); nor is
            // a MAC at the top sequence whose tie-break we lose: it stays where it is.
            state = State.REMOTE;
            return Move.NONE;
        }
        if (countMove())
        {
            state = State.FROZEN_REMOTE; // frozen where it was, behind the remote VTEP
            return Move.FROZE;
        }
        sequence = moved;
        sticky = localSticky;
        state = State.LOCAL;
        return Move.MOVED;
    }

    /**
     * The local entry is gone (aged, flushed, or replaced by a remote one).
     *
     * @param remote the remote best advertisement, or null.
     * @return {@link Move#NONE}: leaving is not a move; the remote route, if any, takes over.
     */
    public Move localGone(final Advertisement remote)
    {
        if (state.local())
        {
            state = state.withRemote(remote != null);
        }
        return Move.NONE;
    }

    /**
     * The remote best advertisement changed (a route came, went or was replaced).
     *
     * @param remote the remote best advertisement now, or null.
     * @return whether the MAC moved away from here or froze here.
     */
    public Move remoteChanged(final Advertisement remote)
    {
        if (state.local())
        {
            return settle(remote);
        }
        state = state.withRemote(remote != null);
        return Move.NONE;
    }

    /** @return whether the MAC is frozen and its freeze time is over (never for a permanent freeze). */
    public boolean freezeExpired()
    {
        return state.frozen() && detection.freeze() != null &&
            detection.clock().nanoTime() - frozenAtNanos >= detection.freeze().toNanos();
    }

    /** @return when the MAC was frozen (the clock's nanos); meaningful while frozen. */
    public long frozenAtNanos()
    {
        return frozenAtNanos;
    }

    /**
     * Unfreezes a duplicate (its freeze time is over, or the operator cleared it): it stays where
     * it is, unpinned, with its move history forgotten, and follows the next move again.
     *
     * @return whether it was frozen.
     */
    public boolean release()
    {
        if (!state.frozen())
        {
            return false;
        }
        state = state.released();
        moveCount = 0;
        return true;
    }

    /**
     * §15.1: we advertise a MAC that moved here with the sequence of the route it replaces plus
     * one. The community has 4 octets and RFC 7432 gives no wrap-around rule; wrapping to 0 would
     * make every VTEP keep the old location, so the sequence stops at 2^32-1, where equal
     * sequences fall to the lowest-VTEP-address tie-break.
     */
    static long nextSequence(final long remoteSequence)
    {
        return Math.min(remoteSequence + 1, Advertisement.MAX_SEQUENCE);
    }

    /** While local: does the remote advertisement take the MAC away from us? */
    private Move settle(final Advertisement remote)
    {
        if (remote == null || MobilityOrder.compare(remote.sequence(), remote.sticky(), remote.vtep(), sequence, sticky, localVtep) >= 0)
        {
            return Move.NONE;
        }
        if (state == State.FROZEN_LOCAL)
        {
            return Move.NONE; // a duplicate stays where it was frozen
        }
        // §15.1: a newer advertisement from another VTEP: the host moved away.
        if (countMove())
        {
            state = State.FROZEN_LOCAL;
            return Move.FROZE;
        }
        state = State.REMOTE;
        return Move.MOVED;
    }

    /**
     * Records a move now and says whether the MAC just became a duplicate: more than
     * {@code maxMoves} moves within the window, the window's edge included.
     */
    private boolean countMove()
    {
        final long now = detection.clock().nanoTime();
        final long window = detection.window().toNanos();
        if (moveTimes == null)
        {
            moveTimes = new long[detection.maxMoves() + 1];
        }
        int kept = 0;
        for (int i = 0; i < moveCount; i++)
        {
            if (now - moveTimes[i] <= window)
            {
                moveTimes[kept++] = moveTimes[i];
            }
        }
        moveCount = kept;
        if (moveCount == moveTimes.length)
        {
            System.arraycopy(moveTimes, 1, moveTimes, 0, moveCount - 1);
            moveCount--;
        }
        moveTimes[moveCount++] = now;
        if (moveCount > detection.maxMoves())
        {
            frozenAtNanos = now;
            return true;
        }
        return false;
    }

    @Override
    public String toString()
    {
        return state + " seq " + sequence + (sticky ? " sticky" : "") + ", " + moveCount + " recent moves";
    }
}
