package io.vtep.evpn.session;

/**
 * The states of the BGP finite state machine (RFC 4271 §8.2.2), in the order they are reached on
 * the way to a session; {@link #mibValue()} is the {@code bgpPeerState} number of RFC 4273 that
 * {@code vtep_bgp_peer_state} exports.
 */
public enum BgpState
{
    /** Refuses nothing it could use, initiates nothing; waits to (re)start. */
    IDLE("Idle"),
    /** Waiting for the TCP connection it initiated to complete. */
    CONNECT("Connect"),
    /** Listening for the peer to connect; retries its own connection when ConnectRetry expires. */
    ACTIVE("Active"),
    /** OPEN sent on a TCP connection, waiting for the peer's. */
    OPEN_SENT("OpenSent"),
    /** OPENs exchanged, KEEPALIVE sent, waiting for the peer's KEEPALIVE. */
    OPEN_CONFIRM("OpenConfirm"),
    /** UPDATEs flow. */
    ESTABLISHED("Established");

    private final String displayName;

    BgpState(final String displayName)
    {
        this.displayName = displayName;
    }

    /** @return the RFC's name, e.g. "OpenConfirm" (what {@link BgpPeer#state()} returns). */
    public String displayName()
    {
        return displayName;
    }

    /** @return 1 (idle) .. 6 (established), RFC 4273 {@code bgpPeerState}. */
    public int mibValue()
    {
        return ordinal() + 1;
    }

    @Override
    public String toString()
    {
        return displayName;
    }
}
