package io.vtep.evpn.session;

import java.net.InetAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.EventLoop;
import io.vtep.evpn.codec.UpdateMessage;

/**
 * The {@link BgpPeer} the RIB and the API see: a thread-safe snapshot of one neighbor's session,
 * written by its {@link BgpFsm} on the event loop and read from any thread. {@link #send} hands the
 * UPDATE to the event loop, so UPDATEs queued by one thread leave in the order they were queued.
 */
final class PeerSession implements BgpPeer
{
    private final PeerConfig config;
    private final long localAs;
    private final EventLoop eventLoop;
    private final AtomicLong updatesReceived = new AtomicLong();
    private final AtomicLong updatesSent = new AtomicLong();
    private final AtomicLong establishedTransitions = new AtomicLong();
    private final AtomicLong readPauses = new AtomicLong();
    private final AtomicLong sessionsEnded = new AtomicLong();
    private final AtomicLong prefixLimitResets = new AtomicLong();
    private final InboundBackpressure backpressure = new InboundBackpressure();
    private BgpFsm fsm;
    private volatile BgpState state = BgpState.IDLE;
    private volatile InetAddress remoteRouterId;
    private volatile long establishedSinceMillis;
    private volatile String lastError;
    private volatile int negotiatedHoldSeconds;

    /**
     * @param config    the neighbor.
     * @param localAs   ours, to tell iBGP from eBGP.
     * @param eventLoop the speaker's event loop, where the FSM runs.
     */
    PeerSession(final PeerConfig config, final long localAs, final EventLoop eventLoop)
    {
        this.config = config;
        this.localAs = localAs;
        this.eventLoop = eventLoop;
    }

    void fsm(final BgpFsm fsm)
    {
        this.fsm = fsm;
    }

    BgpFsm fsm()
    {
        return fsm;
    }

    EventLoop eventLoop()
    {
        return eventLoop;
    }

    @Override
    public PeerConfig config()
    {
        return config;
    }

    @Override
    public String state()
    {
        return state.displayName();
    }

    /** @return the state as an enum (the metrics export {@link BgpState#mibValue()}). */
    public BgpState bgpState()
    {
        return state;
    }

    @Override
    public boolean isEstablished()
    {
        return state == BgpState.ESTABLISHED;
    }

    @Override
    public boolean isIbgp()
    {
        return config.remoteAs() == localAs;
    }

    @Override
    public InetAddress remoteRouterId()
    {
        return remoteRouterId;
    }

    @Override
    public long establishedSinceMillis()
    {
        return establishedSinceMillis;
    }

    @Override
    public void send(final UpdateMessage update)
    {
        try
        {
            eventLoop.execute(() -> fsm.sendUpdate(update));
        }
        catch (final RejectedExecutionException ex)
        {
            // The speaker is closed: there is no session to send on, as when not Established.
        }
    }

    @Override
    public long updatesReceived()
    {
        return updatesReceived.get();
    }

    @Override
    public long updatesSent()
    {
        return updatesSent.get();
    }

    @Override
    public String lastError()
    {
        return lastError;
    }

    @Override
    public int negotiatedHoldSeconds()
    {
        return negotiatedHoldSeconds;
    }

    @Override
    public long establishedTransitions()
    {
        return establishedTransitions.get();
    }

    @Override
    public void updateConsumed()
    {
        if (backpressure.consumed())
        {
            execute(() -> fsm.resumeReadingIfDrained());
        }
    }

    @Override
    public void prefixLimitExceeded(final long held)
    {
        execute(() -> fsm.handle(new FsmEvent.PrefixLimitExceeded(held)));
    }

    @Override
    public long readPauses()
    {
        return readPauses.get();
    }

    @Override
    public long prefixLimitResets()
    {
        return prefixLimitResets.get();
    }

    InboundBackpressure backpressure()
    {
        return backpressure;
    }

    void countReadPause()
    {
        readPauses.incrementAndGet();
    }

    void countPrefixLimitReset()
    {
        prefixLimitResets.incrementAndGet();
    }

    private void execute(final Runnable task)
    {
        try
        {
            eventLoop.execute(task);
        }
        catch (final RejectedExecutionException ex)
        {
            // The speaker is closed: no session left to act on.
        }
    }

    void state(final BgpState state)
    {
        this.state = state;
    }

    void established(final NegotiatedSession negotiated)
    {
        remoteRouterId = negotiated.remoteRouterId();
        negotiatedHoldSeconds = negotiated.holdTimeSeconds();
        establishedSinceMillis = System.currentTimeMillis();
        establishedTransitions.incrementAndGet();
    }

    void down()
    {
        negotiatedHoldSeconds = 0;
        sessionsEnded.incrementAndGet();
    }

    @Override
    public long sessionsEnded()
    {
        return sessionsEnded.get();
    }

    void remoteRouterId(final InetAddress id)
    {
        remoteRouterId = id;
    }

    void lastError(final String error)
    {
        lastError = error;
    }

    void countReceived()
    {
        updatesReceived.incrementAndGet();
    }

    void countSent()
    {
        updatesSent.incrementAndGet();
    }

    @Override
    public String toString()
    {
        return "peer " + config.address().getHostAddress() + " (" + state + ")";
    }
}
