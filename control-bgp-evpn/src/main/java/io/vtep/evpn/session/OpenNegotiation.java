package io.vtep.evpn.session;

import java.net.Inet4Address;
import java.util.List;

import io.vtep.evpn.codec.AddressFamily;
import io.vtep.evpn.codec.BgpDecodeException;
import io.vtep.evpn.codec.Capability;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.Octets;
import io.vtep.evpn.codec.OpenMessage;

/**
 * The OPEN a vtep speaker sends, and the checks of a received OPEN that depend on configuration
 * (RFC 4271 §6.2; the codec already refused what no configuration could accept: version, hold
 * time 1–2, identifier 0, parameter types).
 *
 * <p>Capabilities sent, in this order: Multiprotocol L2VPN/EVPN (RFC 4760), Route Refresh
 * (RFC 2918), 4-octet AS (RFC 6793). Deliberately not: ADD-PATH (FRR would then send path
 * identifiers in every NLRI), Extended Messages (RFC 8654), Graceful Restart (a restarted vtep
 * must make its peers drop its routes at once, and a peer's routes go when its session does).
 *
 * <p>A peer that does not announce Multiprotocol L2VPN/EVPN gets OPEN Message Error / Unsupported
 * Capability (2/7) with our Multiprotocol capability as data (RFC 5492 §5): a vtep session
 * exists only to carry EVPN, and an IPv4-only session that comes up and carries nothing would look
 * healthy while the overlay has no control plane.
 */
final class OpenNegotiation
{
    /** Code 1, length 4, AFI 25, reserved, SAFI 70: what RFC 5492 §5 puts in the 2/7 data. */
    static final Octets EVPN_CAPABILITY_DATA = Octets.of(Capability.CODE_MULTIPROTOCOL, 4,
        0, AddressFamily.AFI_L2VPN, 0, AddressFamily.SAFI_EVPN);

    private OpenNegotiation()
    {
    }

    /**
     * @param localAs   our AS.
     * @param holdTime  the hold time we propose.
     * @param routerId  our BGP identifier.
     * @return our OPEN.
     */
    static OpenMessage localOpen(final long localAs, final int holdTime, final Inet4Address routerId)
    {
        return OpenMessage.of(localAs, holdTime, routerId, List.of(
            Capability.Multiprotocol.L2VPN_EVPN,
            Capability.RouteRefresh.INSTANCE,
            new Capability.FourOctetAs(localAs)));
    }

    /**
     * @param open        the peer's OPEN.
     * @param localAs     our AS.
     * @param localId     our BGP identifier.
     * @param peer        the neighbor's configuration.
     * @return what the session runs with.
     * @throws BgpDecodeException carrying the NOTIFICATION to send when the OPEN is not acceptable.
     */
    static NegotiatedSession negotiate(final OpenMessage open, final long localAs, final Inet4Address localId, final PeerConfig peer)
    {
        final Capability.FourOctetAs as4 = open.capability(Capability.FourOctetAs.class).orElse(null);
        final long remoteAs = open.asn();
        // RFC 6793 §4.1: with the capability, a 2-octet AS must also be in My Autonomous System.
        final boolean inconsistent = as4 != null && as4.asn() <= 0xFFFF && as4.asn() != open.myAs();
        if (remoteAs != peer.remoteAs() || inconsistent)
        {
            // FRR's data: the AS as the peer sent it, 2 or 4 octets.
            final Octets data = as4 != null ?
                Octets.of((int)(as4.asn() >>> 24), (int)(as4.asn() >>> 16), (int)(as4.asn() >>> 8), (int)as4.asn()) :
                Octets.of(open.myAs() >>> 8, open.myAs());
            throw new BgpDecodeException(ErrorSubcode.BAD_PEER_AS, data,
                "peer AS " + remoteAs + (inconsistent ? " (My AS field " + open.myAs() + " disagrees)" : "") +
                    ", configured remote-as " + peer.remoteAs());
        }
        if (remoteAs == localAs && open.bgpIdentifier().equals(localId))
        {
            // RFC 6286 §2.2: unique within the AS; eBGP peers may share ours.
            throw new BgpDecodeException(ErrorSubcode.BAD_BGP_IDENTIFIER, Octets.EMPTY,
                "iBGP peer has our own BGP identifier " + localId.getHostAddress());
        }
        if (!open.supports(AddressFamily.L2VPN_EVPN))
        {
            throw new BgpDecodeException(ErrorSubcode.UNSUPPORTED_CAPABILITY, EVPN_CAPABILITY_DATA,
                "peer does not announce Multiprotocol L2VPN/EVPN (AFI 25 / SAFI 70); is it activated in address-family l2vpn evpn?");
        }
        if (peer.holdSeconds() != 0 && peer.minimumHoldSeconds() > 0 && open.holdTime() < peer.minimumHoldSeconds())
        {
            // RFC 4271 §6.2: the hold time is ours to refuse (2/6). A peer must not be able to make
            // us send KEEPALIVEs at its pace, or switch liveness checks off with 0. When we offer 0
            // ourselves, the operator chose no liveness checks for this neighbor.
            throw new BgpDecodeException(ErrorSubcode.UNACCEPTABLE_HOLD_TIME, Octets.EMPTY,
                "peer offers hold time " + open.holdTime() + " s, below the minimum of " + peer.minimumHoldSeconds() + " s");
        }
        final int hold = Math.min(peer.holdSeconds(), open.holdTime());
        final int keepalive = hold == 0 ? 0 : Math.max(1, hold / 3);
        final boolean fourOctetAs = as4 != null;
        final boolean routeRefresh = open.hasCapability(Capability.CODE_ROUTE_REFRESH) ||
            open.hasCapability(Capability.CODE_ROUTE_REFRESH_CISCO);
        return new NegotiatedSession(remoteAs, open.bgpIdentifier(), hold, keepalive,
            fourOctetAs ? CodecContext.FOUR_OCTET_AS : CodecContext.TWO_OCTET_AS, routeRefresh, open);
    }
}
