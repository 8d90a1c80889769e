package io.vtep.core.lacp;

import java.util.concurrent.TimeUnit;

/**
 * LACP on one port that is the only port of its aggregator on this gateway (IEEE 802.1AX-2014
 * §6.4): the receive machine (§6.4.12), the periodic transmission machine (§6.4.13), selection
 * (§6.4.14, reduced to the one aggregator there is), the mux machine with coupled control
 * (§6.4.15, figure 6-22: collecting and distributing switch together) and the transmit rate limit
 * (§6.4.16). The churn detection machines (§6.4.17) and the Marker protocol are left out: they
 * only report and answer, and the server's side works without them.
 *
 * <p>Pure: no I/O, no threads, no clock of its own. Every input carries the time ({@code nowNanos},
 * monotonic), so the timers are deadlines compared on each input; the owner calls {@link #tick}
 * often enough (a few times a second) and sends what {@link #transmit} returns. Not thread-safe:
 * one control thread owns it.
 */
public final class LacpPortMachine
{
    /** §6.4.4: fast_periodic_time, slow_periodic_time, short_timeout_time, long_timeout_time, aggregate_wait_time. */
    static final long FAST_PERIODIC_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long SLOW_PERIODIC_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final long SHORT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(3);
    static final long LONG_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(90);
    public static final long AGGREGATE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** §6.4.16: at most three LACPDUs in any fast_periodic_time. */
    static final int MAX_TRANSMISSIONS_PER_PERIOD = 3;

    /**
     * The partner assumed while none speaks (Partner_Admin_*, §6.4.7): nobody, not in sync (so the
     * port never distributes without a LACP partner), short timeout (so vtep sends every second
     * while it looks for one).
     */
    static final LacpParticipant DEFAULT_PARTNER = LacpParticipant.NONE.withState(LacpState.TIMEOUT);

    /** §6.4.12, figure 6-18. */
    public enum ReceiveState
    {
        PORT_DISABLED, EXPIRED, DEFAULTED, CURRENT
    }

    /** §6.4.15, figure 6-22 (coupled control). */
    public enum MuxState
    {
        DETACHED, WAITING, ATTACHED, COLLECTING_DISTRIBUTING
    }

    private final LacpActorIdentity actor;
    private final boolean active;
    private final boolean fastRate;

    private ReceiveState receiveState = ReceiveState.PORT_DISABLED;
    private MuxState muxState = MuxState.DETACHED;
    private LacpParticipant partner = DEFAULT_PARTNER;
    /** Actor_Oper_Port_State, without the bits fixed by configuration (activity, timeout, aggregation). */
    private int actorState;
    private boolean portEnabled;
    /** Stopped for good ({@link #stop}): never enabled again. */
    private boolean stopped;
    private boolean selected;
    private boolean needToTransmit;
    private long currentWhileDeadline;
    private long waitWhileDeadline;
    private long nextPeriodic;
    private long periodicInterval;
    private long transmitWindowStart;
    private int transmitsInWindow;

    /**
     * @param actor    who this port is (system, key, port)
     * @param active   LACP_Activity: active sends LACPDUs unasked; passive only answers an active partner
     * @param fastRate LACP_Timeout short: asks the partner for a LACPDU every second, and gives it up after 3 s of silence
     */
    public LacpPortMachine(final LacpActorIdentity actor, final boolean active, final boolean fastRate)
    {
        this.actor = actor;
        this.active = active;
        this.fastRate = fastRate;
    }

    /** The port's link came up (port_enabled, §6.4.7): the receive machine goes to EXPIRED and looks for a partner. */
    public void enable(final long nowNanos)
    {
        if (!portEnabled && !stopped)
        {
            portEnabled = true;
            expire(nowNanos);
            step(nowNanos);
        }
    }

    /** The port's link went down: PORT_DISABLED, the partner out of sync, the port detached. */
    public void disable(final long nowNanos)
    {
        if (portEnabled)
        {
            portEnabled = false;
            receiveState = ReceiveState.PORT_DISABLED;
            partner = partner.withState(partner.state() & ~LacpState.SYNCHRONIZATION);
            // A link that comes back may lead to another system: choose again (§6.4.12, port_moved in spirit).
            selected = false;
            step(nowNanos);
        }
    }

    /**
     * The port stops for good (vtep closes, the port is removed): the mux machine detaches
     * (§6.4.15, DETACHED: Actor.Sync, Collecting and Distributing off) and the port is disabled for
     * good. Returns the last LACPDU, which says so: a partner that reads our Synchronization off
     * detaches the link from its aggregator at once (§6.4.15, ATTACHED or COLLECTING_DISTRIBUTING
     * with Partner.Sync false), rather than sending on it until its current_while timer runs out
     * (3 s at the fast rate, 90 s at the slow). It goes out whatever the transmit limit (§6.4.16):
     * it is the last, and waiting would keep the partner sending into a port that no longer forwards.
     *
     * @return the LACPDU to send before the port's sockets close, or null when none would be sent
     *         (the link is down, both sides passive, or already stopped)
     */
    public LacpPdu stop(final long nowNanos)
    {
        if (stopped)
        {
            return null;
        }
        stopped = true;
        final boolean speaks = portEnabled && (active || LacpState.has(partner.state(), LacpState.ACTIVITY));
        selected = false;
        detach();
        final LacpPdu last = speaks ? new LacpPdu(actorInformation(), partner, 0) : null;
        portEnabled = false;
        receiveState = ReceiveState.PORT_DISABLED;
        needToTransmit = false;
        return last;
    }

    /** Whether {@link #stop} was called. */
    public boolean isStopped()
    {
        return stopped;
    }

    /** A LACPDU received on the port (§6.4.12, CURRENT). Ignored while the port is disabled. */
    public void receive(final LacpPdu pdu, final long nowNanos)
    {
        if (!portEnabled)
        {
            return;
        }
        // update_Selected: another port, system or key at the other end is another aggregation (§6.4.9).
        if (!pdu.actor().samePort(partner) || aggregation(pdu.actor()) != aggregation(partner))
        {
            selected = false;
        }
        // update_NTT: the partner has us wrong, so tell it at once.
        final int compared = LacpState.ACTIVITY | LacpState.TIMEOUT | LacpState.SYNCHRONIZATION | LacpState.AGGREGATION;
        final LacpParticipant us = actorInformation();
        if (!pdu.partner().samePort(us) || (pdu.partner().state() & compared) != (us.state() & compared))
        {
            needToTransmit = true;
        }
        recordPdu(pdu, us);
        receiveState = ReceiveState.CURRENT;
        actorState &= ~(LacpState.EXPIRED | LacpState.DEFAULTED);
        currentWhileDeadline = nowNanos + (fastRate ? SHORT_TIMEOUT_NANOS : LONG_TIMEOUT_NANOS);
        step(nowNanos);
    }

    /** Time passes: the timers that ran out act. */
    public void tick(final long nowNanos)
    {
        step(nowNanos);
    }

    /**
     * The LACPDU to send now, or null: when something changed (NTT) or the periodic timer ran out,
     * the link is up, one side is active, and fewer than three went out in the last second.
     */
    public LacpPdu transmit(final long nowNanos)
    {
        if (!needToTransmit || !portEnabled || !(active || LacpState.has(partner.state(), LacpState.ACTIVITY)))
        {
            return null;
        }
        if (nowNanos - transmitWindowStart >= FAST_PERIODIC_NANOS)
        {
            transmitWindowStart = nowNanos;
            transmitsInWindow = 0;
        }
        if (transmitsInWindow >= MAX_TRANSMISSIONS_PER_PERIOD)
        {
            return null; // NTT stays set: sent once the window moves on (§6.4.16).
        }
        transmitsInWindow++;
        needToTransmit = false;
        return new LacpPdu(actorInformation(), partner, 0);
    }

    /** recordPDU (§6.4.9): the partner is what the PDU's actor says, in sync only when it has us right. */
    private void recordPdu(final LacpPdu pdu, final LacpParticipant us)
    {
        final LacpParticipant sender = pdu.actor();
        final boolean hasUsRight = pdu.partner().samePort(us) &&
            aggregation(pdu.partner()) == aggregation(us);
        final boolean individual = !aggregation(sender);
        final boolean inSync = LacpState.has(sender.state(), LacpState.SYNCHRONIZATION) && (hasUsRight || individual);
        partner = sender.withState(inSync ? sender.state() | LacpState.SYNCHRONIZATION :
            sender.state() & ~LacpState.SYNCHRONIZATION);
    }

    private void expire(final long nowNanos)
    {
        receiveState = ReceiveState.EXPIRED;
        // EXPIRED (§6.4.12): the partner is out of sync and asked to hurry (short timeout).
        partner = partner.withState((partner.state() & ~LacpState.SYNCHRONIZATION) | LacpState.TIMEOUT);
        actorState |= LacpState.EXPIRED;
        currentWhileDeadline = nowNanos + SHORT_TIMEOUT_NANOS;
    }

    private void step(final long nowNanos)
    {
        final boolean timed = receiveState == ReceiveState.CURRENT || receiveState == ReceiveState.EXPIRED;
        if (portEnabled && timed && nowNanos - currentWhileDeadline >= 0)
        {
            if (receiveState == ReceiveState.CURRENT)
            {
                expire(nowNanos);
            }
            else if (receiveState == ReceiveState.EXPIRED)
            {
                // DEFAULTED: update_Default_Selected, recordDefault (§6.4.9).
                if (!DEFAULT_PARTNER.samePort(partner))
                {
                    selected = false;
                }
                partner = DEFAULT_PARTNER;
                receiveState = ReceiveState.DEFAULTED;
                actorState = (actorState & ~LacpState.EXPIRED) | LacpState.DEFAULTED;
            }
        }
        mux(nowNanos);
        periodic(nowNanos);
    }

    private void mux(final long nowNanos)
    {
        if (muxState != MuxState.DETACHED && !selected)
        {
            detach();
        }
        // Selection (§6.4.14) with one aggregator: a port that is up takes it as soon as it is unselected.
        if (portEnabled && !selected && muxState == MuxState.DETACHED)
        {
            selected = true;
        }
        if (muxState == MuxState.DETACHED && selected)
        {
            muxState = MuxState.WAITING;
            waitWhileDeadline = nowNanos + AGGREGATE_WAIT_NANOS;
        }
        if (muxState == MuxState.WAITING && nowNanos - waitWhileDeadline >= 0)
        {
            muxState = MuxState.ATTACHED;
            actorState |= LacpState.SYNCHRONIZATION;
            actorState &= ~(LacpState.COLLECTING | LacpState.DISTRIBUTING);
            needToTransmit = true;
        }
        final boolean partnerInSync = LacpState.has(partner.state(), LacpState.SYNCHRONIZATION);
        if (muxState == MuxState.ATTACHED && partnerInSync)
        {
            muxState = MuxState.COLLECTING_DISTRIBUTING;
            actorState |= LacpState.COLLECTING | LacpState.DISTRIBUTING;
            needToTransmit = true;
        }
        else if (muxState == MuxState.COLLECTING_DISTRIBUTING && !partnerInSync)
        {
            muxState = MuxState.ATTACHED;
            actorState &= ~(LacpState.COLLECTING | LacpState.DISTRIBUTING);
            needToTransmit = true;
        }
    }

    private void detach()
    {
        muxState = MuxState.DETACHED;
        actorState &= ~(LacpState.SYNCHRONIZATION | LacpState.COLLECTING | LacpState.DISTRIBUTING);
        needToTransmit = true;
    }

    /** §6.4.13: every second for a partner that asks for the short timeout, else every 30 s; none when both are passive. */
    private void periodic(final long nowNanos)
    {
        if (!portEnabled || !(active || LacpState.has(partner.state(), LacpState.ACTIVITY)))
        {
            periodicInterval = 0;
            return;
        }
        final long interval = LacpState.has(partner.state(), LacpState.TIMEOUT) ? FAST_PERIODIC_NANOS : SLOW_PERIODIC_NANOS;
        if (interval != periodicInterval)
        {
            // Starting, or the partner changed its timeout: FAST_PERIODIC / SLOW_PERIODIC are entered anew.
            if (periodicInterval == 0 || interval < periodicInterval)
            {
                nextPeriodic = nowNanos;
            }
            periodicInterval = interval;
        }
        if (nowNanos - nextPeriodic >= 0)
        {
            needToTransmit = true;
            nextPeriodic = nowNanos + interval;
        }
    }

    private static boolean aggregation(final LacpParticipant participant)
    {
        return LacpState.has(participant.state(), LacpState.AGGREGATION);
    }

    /** What this port says of itself: Actor_Oper_Port_State with the configured bits. */
    public LacpParticipant actorInformation()
    {
        int state = actorState | LacpState.AGGREGATION;
        if (active)
        {
            state |= LacpState.ACTIVITY;
        }
        if (fastRate)
        {
            state |= LacpState.TIMEOUT;
        }
        return actor.withState(state);
    }

    /** The partner in use: from the last LACPDU, or {@link #DEFAULT_PARTNER}. */
    public LacpParticipant partner()
    {
        return partner;
    }

    public boolean isDistributing()
    {
        return muxState == MuxState.COLLECTING_DISTRIBUTING;
    }

    public ReceiveState receiveState()
    {
        return receiveState;
    }

    public MuxState muxState()
    {
        return muxState;
    }
}
