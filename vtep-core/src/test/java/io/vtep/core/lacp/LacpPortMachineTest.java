package io.vtep.core.lacp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.vtep.core.lacp.LacpPortMachine.MuxState;
import io.vtep.core.lacp.LacpPortMachine.ReceiveState;
import io.vtep.encap.MacAddress;

/** The receive, periodic and mux machines of IEEE 802.1AX-2014 §6.4.12-6.4.16, driven by hand with a clock. */
class LacpPortMachineTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final LacpActorIdentity VTEP = new LacpActorIdentity(65535, MacAddress.parse("02:00:00:00:00:0a"), 5, 255, 1);
    private static final int SERVER_ACTIVE = LacpState.ACTIVITY | LacpState.TIMEOUT | LacpState.AGGREGATION;

    private final LacpPortMachine machine = new LacpPortMachine(VTEP, true, true);
    private long now = 1_000 * SECOND;

    /** What the server's bond sends: itself, its view of vtep (as vtep last told it), and its own state bits. */
    private LacpPdu fromServer(final int key, final int extraState, final LacpParticipant itsViewOfUs)
    {
        return new LacpPdu(new LacpParticipant(32768, MacAddress.parse("00:11:22:33:44:55"), key, 255, 2,
            SERVER_ACTIVE | extraState), itsViewOfUs, 0);
    }

    private void advance(final long nanos)
    {
        now += nanos;
        machine.tick(now);
    }

    /** Brings the port up and to COLLECTING_DISTRIBUTING with a server that answers in sync. */
    private void distributing()
    {
        machine.enable(now);
        machine.receive(fromServer(17, 0, machine.actorInformation()), now);
        advance(LacpPortMachine.AGGREGATE_WAIT_NANOS);
        assertEquals(MuxState.ATTACHED, machine.muxState());
        machine.receive(fromServer(17, LacpState.SYNCHRONIZATION, machine.actorInformation()), now);
        assertTrue(machine.isDistributing());
    }

    @Test
    void anActivePortSendsAtOnceWhenEnabledAndEverySecondWhileItHasNoPartner()
    {
        assertNull(machine.transmit(now), "nothing is sent on a disabled port");
        machine.enable(now);
        final LacpPdu first = machine.transmit(now);
        assertNotNull(first);
        assertEquals(VTEP.system(), first.actor().system());
        assertTrue(LacpState.has(first.actor().state(), LacpState.ACTIVITY | LacpState.TIMEOUT | LacpState.AGGREGATION));
        assertTrue(LacpState.has(first.actor().state(), LacpState.EXPIRED));
        assertNull(machine.transmit(now));
        advance(SECOND);
        assertNotNull(machine.transmit(now));
        assertEquals(ReceiveState.EXPIRED, machine.receiveState());
        advance(2 * SECOND);
        assertEquals(ReceiveState.DEFAULTED, machine.receiveState(), "3 s (short timeout) without a LACPDU");
        assertTrue(LacpState.has(machine.actorInformation().state(), LacpState.DEFAULTED));
        assertFalse(machine.isDistributing(), "no partner, no forwarding");
    }

    @Test
    void aPartnerInSyncMakesThePortCollectAndDistributeAfterTheAggregateWait()
    {
        machine.enable(now);
        machine.receive(fromServer(17, 0, LacpParticipant.NONE), now);
        assertEquals(ReceiveState.CURRENT, machine.receiveState());
        assertEquals(17, machine.partner().key());
        assertEquals(MuxState.WAITING, machine.muxState());
        advance(LacpPortMachine.AGGREGATE_WAIT_NANOS);
        assertEquals(MuxState.ATTACHED, machine.muxState());
        assertTrue(LacpState.has(machine.actorInformation().state(), LacpState.SYNCHRONIZATION));
        // The server claims sync but has vtep wrong (its partner is nobody): not in sync yet.
        machine.receive(fromServer(17, LacpState.SYNCHRONIZATION, LacpParticipant.NONE), now);
        assertFalse(machine.isDistributing());
        assertNotNull(machine.transmit(now), "a partner with the wrong view of us is told at once (NTT)");
        machine.receive(fromServer(17, LacpState.SYNCHRONIZATION, machine.actorInformation()), now);
        assertTrue(machine.isDistributing());
        assertTrue(LacpState.has(machine.actorInformation().state(), LacpState.COLLECTING | LacpState.DISTRIBUTING));
        final LacpPdu told = machine.transmit(now);
        assertNotNull(told);
        assertEquals(machine.partner(), told.partner());
    }

    @Test
    void aPartnerThatGoesQuietExpiresAfterThreeSecondsThenIsDefaulted()
    {
        distributing();
        advance(2 * SECOND);
        assertTrue(machine.isDistributing(), "within the short timeout");
        advance(SECOND);
        assertEquals(ReceiveState.EXPIRED, machine.receiveState());
        assertFalse(machine.isDistributing(), "EXPIRED takes the partner out of sync");
        assertTrue(LacpState.has(machine.actorInformation().state(), LacpState.EXPIRED));
        advance(3 * SECOND);
        assertEquals(ReceiveState.DEFAULTED, machine.receiveState());
        assertEquals(0L, machine.partner().system());
        assertEquals(MuxState.WAITING, machine.muxState(), "the old partner's aggregation is left: chosen again");
    }

    @Test
    void aPartnerThatChangesItsKeyIsAnotherAggregationAndIsReselected()
    {
        distributing();
        machine.receive(fromServer(18, LacpState.SYNCHRONIZATION, machine.actorInformation()), now);
        assertFalse(machine.isDistributing(), "a new key: unselected, detached");
        assertEquals(MuxState.WAITING, machine.muxState());
        assertEquals(18, machine.partner().key());
        advance(LacpPortMachine.AGGREGATE_WAIT_NANOS);
        machine.receive(fromServer(18, LacpState.SYNCHRONIZATION, machine.actorInformation()), now);
        assertTrue(machine.isDistributing());
    }

    @Test
    void aLinkDownDetachesAtOnce()
    {
        distributing();
        machine.disable(now);
        assertEquals(ReceiveState.PORT_DISABLED, machine.receiveState());
        assertEquals(MuxState.DETACHED, machine.muxState());
        assertNull(machine.transmit(now));
        machine.receive(fromServer(17, LacpState.SYNCHRONIZATION, machine.actorInformation()), now);
        assertFalse(machine.isDistributing(), "a disabled port ignores LACPDUs");
    }

    @Test
    void aStoppedPortSaysOnceThatItLeftTheAggregationThenFallsSilent()
    {
        distributing();
        drain();
        final LacpPdu last = machine.stop(now);
        assertNotNull(last, "a last LACPDU");
        final int state = last.actor().state();
        assertFalse(LacpState.has(state, LacpState.SYNCHRONIZATION), LacpState.describe(state));
        assertFalse(LacpState.has(state, LacpState.COLLECTING), LacpState.describe(state));
        assertFalse(LacpState.has(state, LacpState.DISTRIBUTING), LacpState.describe(state));
        assertTrue(LacpState.has(state, LacpState.ACTIVITY | LacpState.TIMEOUT | LacpState.AGGREGATION),
            "the rest of what vtep says of itself is unchanged: " + LacpState.describe(state));
        assertTrue(VTEP.withState(0).samePort(last.actor()), "the same actor, so the partner applies it to this link");
        assertEquals(machine.partner(), last.partner());
        assertEquals(0x0011_2233_4455L, last.partner().system(), "the server as vtep knows it");
        assertFalse(machine.isDistributing());
        assertEquals(MuxState.DETACHED, machine.muxState());
        assertEquals(ReceiveState.PORT_DISABLED, machine.receiveState());

        assertNull(machine.stop(now), "only once");
        machine.enable(now);
        machine.receive(fromServer(17, LacpState.SYNCHRONIZATION, machine.actorInformation()), now);
        for (int i = 0; i < 5; i++)
        {
            advance(SECOND);
            assertNull(machine.transmit(now), "silent for good");
        }
        assertFalse(machine.isDistributing());
    }

    @Test
    void aStoppedPortWhoseLinkIsDownSendsNothing()
    {
        distributing();
        machine.disable(now);
        assertNull(machine.stop(now));
        assertTrue(machine.isStopped());
    }

    @Test
    void theLastLacpduGoesOutEvenWhenThreeWentOutThisSecond()
    {
        distributing();
        for (int i = 0; i < 4; i++)
        {
            // A server with vtep wrong asks for an answer each time (NTT).
            machine.receive(fromServer(17, LacpState.SYNCHRONIZATION, LacpParticipant.NONE), now);
            machine.transmit(now);
        }
        machine.receive(fromServer(17, LacpState.SYNCHRONIZATION, LacpParticipant.NONE), now);
        assertNull(machine.transmit(now), "three went out this second");
        assertNotNull(machine.stop(now));
    }

    @Test
    void aPartnerAskingForTheLongTimeoutGetsALacpduEvery30Seconds()
    {
        distributing();
        machine.receive(new LacpPdu(machine.partner().withState(LacpState.ACTIVITY | LacpState.AGGREGATION |
            LacpState.SYNCHRONIZATION), machine.actorInformation(), 0), now);
        drain();
        advance(SECOND);
        drain(); // anything the three-a-second limit held back
        advance(SECOND);
        assertNull(machine.transmit(now), "slow rate: not after one second");
        machine.receive(new LacpPdu(machine.partner(), machine.actorInformation(), 0), now);
        advance(29 * SECOND - SECOND / 2);
        machine.receive(new LacpPdu(machine.partner(), machine.actorInformation(), 0), now);
        advance(SECOND);
        assertNotNull(machine.transmit(now), "30 s after the last periodic one");
    }

    private void drain()
    {
        while (machine.transmit(now) != null)
        {
            // what the changes asked for
        }
    }

    @Test
    void atMostThreeLacpdusGoOutPerSecond()
    {
        machine.enable(now);
        int sent = 0;
        for (int i = 0; i < 10; i++)
        {
            // Each PDU with the server's view of us wrong asks for an answer (NTT).
            machine.receive(fromServer(17, 0, LacpParticipant.NONE), now);
            if (machine.transmit(now) != null)
            {
                sent++;
            }
        }
        assertEquals(3, sent);
        advance(SECOND);
        assertNotNull(machine.transmit(now), "the held one goes when the second is over");
    }

    @Test
    void aPassivePortWaitsForAnActivePartner()
    {
        final LacpPortMachine passive = new LacpPortMachine(VTEP, false, true);
        passive.enable(now);
        assertFalse(LacpState.has(passive.actorInformation().state(), LacpState.ACTIVITY));
        // Its default partner is not active either: nothing to say.
        passive.tick(now + SECOND);
        passive.tick(now + 4 * SECOND);
        assertNull(passive.transmit(now + 4 * SECOND));
        passive.receive(fromServer(17, 0, LacpParticipant.NONE), now + 5 * SECOND);
        assertNotNull(passive.transmit(now + 5 * SECOND), "an active partner is answered");
    }
}
