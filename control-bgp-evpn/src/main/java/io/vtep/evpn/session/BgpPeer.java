package io.vtep.evpn.session;

import io.vtep.evpn.codec.UpdateMessage;

/**
 * A configured neighbor as the RIB sees it: its configuration, where its session is, and a way to
 * send it UPDATEs. Implemented by the session layer; thread-safe.
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

    /** UPDATE messages received and sent since the process started (for `bgp summary`). */
    long updatesReceived();

    long updatesSent();

    /**
     * The last NOTIFICATION sent or received, with its code and subcode names, or the TCP failure
     * that last ended a connection (for `bgp summary` and the log); null if none happened yet.
     */
    String lastError();

    /** The hold time both OPENs settled on (RFC 4271 §4.2); 0 when not Established. */
    int negotiatedHoldSeconds();

    /** How many times the session reached Established since the process started (flap count). */
    long establishedTransitions();
}
