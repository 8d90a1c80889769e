package io.vtep.evpn.session;

import io.vtep.evpn.codec.UpdateMessage;

/**
 * What the session layer tells the RIB. Calls for one peer come in order, on one thread at a time;
 * they never block on the network.
 */
public interface PeerEvents
{
    /** The session reached Established (OPENs exchanged, RFC 4271 §8.2.2). */
    void established(BgpPeer peer);

    /**
     * An UPDATE that passed RFC 7606 handling without a session reset: its
     * {@code advertisedEvpnRoutes()} / {@code withdrawnEvpnRoutes()} already apply
     * treat-as-withdraw and attribute-discard.
     */
    void update(BgpPeer peer, UpdateMessage update);

    /** The session left Established (hold timer, NOTIFICATION, TCP close, ...): withdraw everything it sent. */
    void down(BgpPeer peer, String reason);
}
