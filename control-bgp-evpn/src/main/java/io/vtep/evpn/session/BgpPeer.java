package io.vtep.evpn.session;

import io.vtep.evpn.codec.UpdateMessage;

/**
 * A configured neighbor as the RIB sees it: its configuration, where its session is, and a way to
 * send it UPDATEs. Implemented by the session layer; thread-safe. The defaults are for stand-ins
 * (tests, benchmarks) that have no connection to throttle or close.
 */
public interface BgpPeer
{
    PeerConfig config();

    /** RFC 4271 §8.2.2 state name: Idle, Connect, Active, OpenSent, OpenConfirm, Established. */
    String state();

    boolean isEstablished();

    /** iBGP when the neighbor's AS is ours. */
    boolean isIbgp();

    /** The neighbor's BGP identifier from its OPEN, or null before one arrived. */
    java.net.InetAddress remoteRouterId();

    /** Milliseconds since the epoch when the session last became Established; 0 if never. */
    long establishedSinceMillis();

    /**
     * Queues an UPDATE for the neighbor, in order. Ignored unless Established (the RIB sends the
     * whole Adj-RIB-Out again on {@link PeerEvents#established}).
     */
    void send(UpdateMessage update);

    /**
     * UPDATE messages received since the process started (for `bgp summary`); a stand-in receives
     * none.
     */
    default long updatesReceived()
    {
        return 0;
    }

    /** UPDATE messages sent since the process started (for `bgp summary`). */
    long updatesSent();

    /**
     * The last NOTIFICATION sent or received, with its code and subcode names, or the TCP failure
     * that last ended a connection (for `bgp summary` and the log); null if none happened yet, as
     * always for a stand-in.
     */
    default String lastError()
    {
        return null;
    }

    /**
     * The hold time both OPENs settled on (RFC 4271 §4.2); 0 when not Established, and for a
     * stand-in, which exchanged no OPEN.
     */
    default int negotiatedHoldSeconds()
    {
        return 0;
    }

    /** How many times the session reached Established since the process started (flap count). */
    long establishedTransitions();

    /**
     * The RIB has finished with one UPDATE it got from {@link PeerEvents#update}. The session hands
     * over only a bounded number at a time and stops reading its connection until the RIB catches
     * up (backpressure), so every implementation of {@link PeerEvents} must call this once per UPDATE.
     */
    default void updateConsumed()
    {
    }

    /**
     * The RIB holds more routes from this neighbor than its {@link MaximumPrefix#limit}: the session
     * is closed with Cease / Maximum Number of Prefixes Reached (RFC 4486 §4) and stays down for
     * {@link MaximumPrefix#restart}. Any thread.
     *
     * @param held routes held from it now.
     */
    default void prefixLimitExceeded(final long held)
    {
    }

    /**
     * How many times an Established session with this neighbor ended, counted before
     * {@link PeerEvents#down} is called and without allocating: the RIB compares it with the downs
     * it applied, so a session's routes go even if that call could not queue its work (an
     * OutOfMemoryError on the session's thread), and UPDATEs of a session that ended are not applied.
     */
    default long sessionsEnded()
    {
        return 0;
    }

    /** How many times the session stopped reading because the RIB was behind (backpressure). */
    default long readPauses()
    {
        return 0;
    }

    /** How many times the session was closed for exceeding its maximum-prefix limit. */
    default long prefixLimitResets()
    {
        return 0;
    }
}
