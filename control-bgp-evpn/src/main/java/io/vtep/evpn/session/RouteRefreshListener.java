package io.vtep.evpn.session;

import io.vtep.evpn.codec.RouteRefreshMessage;

/**
 * Optional second interface of the {@link PeerEvents} given to {@link BgpSpeaker#start}: when the
 * events object also implements it, a ROUTE-REFRESH for L2VPN/EVPN (RFC 2918 §4) from an
 * Established peer is passed on, and the RIB should send its Adj-RIB-Out for that peer again
 * (followed by an End-of-RIB). Without it the request is logged and ignored: {@link PeerEvents}
 * stays as the RIB codes against it, and calling {@link PeerEvents#established} a second time
 * would tell the RIB about a session that did not restart.
 *
 * <p>Called on the same thread and under the same ordering rules as {@link PeerEvents}.
 */
public interface RouteRefreshListener
{
    /**
     * @param peer    the Established peer that asked.
     * @param request the message (normal request, subtype 0; the family is L2VPN/EVPN).
     */
    void routeRefresh(BgpPeer peer, RouteRefreshMessage request);
}
