package io.vtep.evpn.rib;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.codec.attr.AsPath;
import io.vtep.evpn.codec.attr.AsPathSegment;
import io.vtep.evpn.codec.attr.ClusterList;
import io.vtep.evpn.codec.attr.ExtendedCommunities;
import io.vtep.evpn.codec.attr.ExtendedCommunity;
import io.vtep.evpn.codec.attr.LocalPref;
import io.vtep.evpn.codec.attr.MpReachNlri;
import io.vtep.evpn.codec.attr.MultiExitDisc;
import io.vtep.evpn.codec.attr.OriginAttribute;
import io.vtep.evpn.codec.attr.OriginatorId;
import io.vtep.evpn.codec.attr.PmsiTunnel;
import io.vtep.evpn.codec.nlri.EthernetAutoDiscoveryRoute;
import io.vtep.evpn.codec.nlri.EthernetSegmentRoute;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.session.BgpPeer;

/**
 * One path to an EVPN route: the route as one neighbor (or this VTEP) advertised it, with the
 * attributes best-path selection and import need, extracted once when the UPDATE arrives so the
 * RIB never walks attribute lists again.
 *
 * @param route             the NLRI.
 * @param peer              the neighbor it came from, or {@code null} for a locally originated route.
 * @param nextHop           MP_REACH_NLRI next hop: the advertising VTEP (a route reflector keeps it, RFC 4456 §8 / RFC 7432 §9.2.1).
 * @param localPref         LOCAL_PREF, or 100 when absent (eBGP, RFC 4271 §5.1.5).
 * @param asPathLength      RFC 4271 §9.1.2.2 a) path length (an AS_SET counts 1).
 * @param origin            ORIGIN value (IGP 0 &lt; EGP 1 &lt; INCOMPLETE 2).
 * @param med               MULTI_EXIT_DISC, 0 when absent.
 * @param neighborAs        the first AS of the AS_PATH (the neighbor AS of RFC 4271 §9.1.2.2 c), -1 for an empty path.
 * @param ebgp              whether it was learned over eBGP.
 * @param originatorId      ORIGINATOR_ID, else the neighbor's BGP identifier (RFC 4456 §9), unsigned.
 * @param clusterListLength CLUSTER_LIST length (RFC 4456 §9).
 * @param routeTargets      the route targets (RFC 4360 §4).
 * @param sequence          MAC mobility sequence number (RFC 7432 §7.7), 0 when absent.
 * @param sticky            MAC mobility sticky/static flag (RFC 7432 §15.2).
 * @param tunnelEndpoint    type 3: the PMSI ingress replication endpoint, else the originating router; null for others.
 * @param vni               the VNI in the route: type 2 label1, type 3 PMSI label (RFC 8365 §5.1.3); -1 when none.
 * @param proxyFlags        type 2 with an IP: the flags a proxy ARP/ND answer for it carries, as the RFC 9161 §3.1
 *                          ARP/ND extended community encodes them ({@link #PROXY_ROUTER}, {@link #PROXY_OVERRIDE}).
 * @param multihoming       the multihoming communities of a type-1 or type-4 route (ESI label, ES-Import RT, DF
 *                          Election; RFC 7432 §7.5, §7.6, RFC 8584 §2.2), empty for the others.
 */
public record EvpnPath(
    EvpnRoute route,
    BgpPeer peer,
    InetAddress nextHop,
    long localPref,
    int asPathLength,
    int origin,
    long med,
    long neighborAs,
    boolean ebgp,
    long originatorId,
    int clusterListLength,
    List<ExtendedCommunity.RouteTarget> routeTargets,
    long sequence,
    boolean sticky,
    InetAddress tunnelEndpoint,
    int vni,
    int proxyFlags,
    List<ExtendedCommunity> multihoming)
{
    /** RFC 7432 §8.2: the Ethernet tag of an A-D per ES route, MAX-ET. */
    public static final long MAX_ET = 0xFFFF_FFFFL;
    /** RFC 9161 §3.1 ARP/ND extended community flag R: the IP is a router's (NA Router flag). */
    public static final int PROXY_ROUTER = 0x01;
    /** RFC 9161 §3.1 ARP/ND extended community flag O: answer with the NA Override flag. */
    public static final int PROXY_OVERRIDE = 0x02;
    /** RFC 9161 §3.1: ARP/ND extended community, EVPN type 0x06, sub-type 0x08. */
    private static final int SUBTYPE_ARP_ND = 0x08;
    /** RFC 7432 §7.8: Default Gateway extended community, Opaque type 0x03, sub-type 0x0d. */
    private static final int SUBTYPE_DEFAULT_GATEWAY = 0x0D;

    /** @return whether this VTEP originated the path. */
    public boolean isLocal()
    {
        return peer == null;
    }

    /**
     * A locally originated path (never compared on BGP attributes against a remote one with the
     * same key: our own RD is unique to us).
     *
     * @param route        the route.
     * @param localVtep    our VTEP address (next hop, tunnel endpoint).
     * @param routerId     our BGP identifier.
     * @param routeTargets the export route targets.
     * @param vni          the VNI.
     * @param sequence     MAC mobility sequence.
     * @param sticky       static MAC.
     * @return the path.
     */
    public static EvpnPath local(
        final EvpnRoute route,
        final InetAddress localVtep,
        final Inet4Address routerId,
        final List<ExtendedCommunity.RouteTarget> routeTargets,
        final int vni,
        final long sequence,
        final boolean sticky)
    {
        return new EvpnPath(route, null, localVtep, LocalPref.DEFAULT_VALUE, 0, OriginAttribute.VALUE_IGP, 0, -1, false,
            WireFormat.toInt(routerId) & 0xFFFF_FFFFL, 0, List.copyOf(routeTargets), sequence, sticky,
            route instanceof InclusiveMulticastRoute ? localVtep : null, vni, PROXY_OVERRIDE, List.of());
    }

    /**
     * A locally originated type-1 or type-4 route of an Ethernet segment (RFC 7432 §8).
     *
     * @param route        the route.
     * @param localVtep    our VTEP address (next hop).
     * @param routerId     our BGP identifier.
     * @param routeTargets the EVI route targets (type 1); empty for type 4, which has the ES-Import RT instead.
     * @param vni          the VNI of a per-EVI route, else -1.
     * @param multihoming  ESI label, ES-Import RT, DF Election communities.
     * @return the path.
     */
    public static EvpnPath localSegment(
        final EvpnRoute route,
        final InetAddress localVtep,
        final Inet4Address routerId,
        final List<ExtendedCommunity.RouteTarget> routeTargets,
        final int vni,
        final List<ExtendedCommunity> multihoming)
    {
        return new EvpnPath(route, null, localVtep, LocalPref.DEFAULT_VALUE, 0, OriginAttribute.VALUE_IGP, 0, -1, false,
            WireFormat.toInt(routerId) & 0xFFFF_FFFFL, 0, List.copyOf(routeTargets), 0, false, null, vni, PROXY_OVERRIDE,
            List.copyOf(multihoming));
    }

    /** @return the ES-Import route target's 6 octets (RFC 7432 §7.6), or -1 when the path has none. */
    public long esImport()
    {
        for (final ExtendedCommunity community : multihoming)
        {
            if (community instanceof ExtendedCommunity.EsImportRouteTarget esImport)
            {
                return esImport.value48();
            }
        }
        return -1;
    }

    /** @return the DF Election community (RFC 8584 §2.2), or null. */
    public ExtendedCommunity.DfElection dfElection()
    {
        for (final ExtendedCommunity community : multihoming)
        {
            if (community instanceof ExtendedCommunity.DfElection election)
            {
                return election;
            }
        }
        return null;
    }

    /**
     * Extracts a received path.
     *
     * @param route  one of the UPDATE's advertised routes.
     * @param peer   the neighbor.
     * @param update the UPDATE it came in.
     * @return the path.
     */
    public static EvpnPath received(final EvpnRoute route, final BgpPeer peer, final UpdateMessage update)
    {
        final InetAddress nextHop = update.mpReachNlri().flatMap(MpReachNlri::nextHopAddress).orElse(null);
        // RFC 4271 §5.1.5: LOCAL_PREF from an external peer is ignored.
        final long localPref = peer.isIbgp() ?
            update.attribute(LocalPref.class).map(LocalPref::value).orElse(LocalPref.DEFAULT_VALUE) : LocalPref.DEFAULT_VALUE;
        final AsPath asPath = update.attribute(AsPath.class).orElse(AsPath.EMPTY);
        final int origin = update.attribute(OriginAttribute.class).map(OriginAttribute::value).orElse(OriginAttribute.VALUE_INCOMPLETE);
        final long med = update.attribute(MultiExitDisc.class).map(MultiExitDisc::value).orElse(0L);
        final long originatorId = update.attribute(OriginatorId.class)
            .map(id -> WireFormat.toInt(id.originatorId()) & 0xFFFF_FFFFL)
            .orElseGet(() -> peer.remoteRouterId() instanceof Inet4Address id ? WireFormat.toInt(id) & 0xFFFF_FFFFL : 0L);
        final int clusterListLength = update.attribute(ClusterList.class).map(list -> list.clusterIds().size()).orElse(0);
        final ExtendedCommunities communities = update.attribute(ExtendedCommunities.class).orElse(null);
        final List<ExtendedCommunity.RouteTarget> routeTargets = communities == null ? List.of() : communities.routeTargets();
        final ExtendedCommunity.MacMobility mobility = communities == null ? null : communities.macMobility().orElse(null);
        final PmsiTunnel pmsi = update.attribute(PmsiTunnel.class).orElse(null);

        InetAddress tunnelEndpoint = null;
        int vni = -1;
        if (route instanceof MacIpAdvertisementRoute macIp)
        {
            vni = macIp.vni();
        }
        else if (route instanceof InclusiveMulticastRoute multicast)
        {
            tunnelEndpoint = pmsi == null ? multicast.originatingRouter() :
                pmsi.tunnelEndpoint().orElse(multicast.originatingRouter());
            vni = pmsi == null ? -1 : pmsi.vni();
        }
        else if (route instanceof EthernetAutoDiscoveryRoute autoDiscovery && autoDiscovery.ethernetTag() != MAX_ET)
        {
            vni = autoDiscovery.label(); // per EVI: the VNI (RFC 8365 §5.1.3)
        }
        final List<ExtendedCommunity> multihoming = route instanceof EthernetAutoDiscoveryRoute || route instanceof EthernetSegmentRoute ?
            multihomingCommunities(communities) : List.of();
        return new EvpnPath(route, peer, nextHop, localPref, asPath.pathLength(), origin, med, firstAs(asPath),
            !peer.isIbgp(), originatorId, clusterListLength, routeTargets,
            mobility == null ? 0 : mobility.sequence(), mobility != null && mobility.sticky(), tunnelEndpoint, vni,
            proxyFlags(communities), multihoming);
    }

    private static List<ExtendedCommunity> multihomingCommunities(final ExtendedCommunities communities)
    {
        if (communities == null)
        {
            return List.of();
        }
        return communities.communities().stream()
            .filter(community -> community instanceof ExtendedCommunity.EsiLabel || community instanceof ExtendedCommunity.EsImportRouteTarget ||
                community instanceof ExtendedCommunity.DfElection)
            .toList();
    }

    /**
     * The ARP/ND community's R and O flags when the route has one (RFC 9161 §3.1, as FRR sends for
     * routers' IPv6 neighbours); else Override (the binding is the host's own, as the Linux bridge
     * answers) and Router when the route is a default gateway's (RFC 7432 §7.8, §10.1).
     */
    private static int proxyFlags(final ExtendedCommunities communities)
    {
        if (communities == null)
        {
            return PROXY_OVERRIDE;
        }
        int flags = PROXY_OVERRIDE;
        for (final ExtendedCommunity community : communities.communities())
        {
            final long value = community.value();
            final int type = (int)(value >>> 56) & 0xFF;
            final int subtype = (int)(value >>> 48) & 0xFF;
            if (type == ExtendedCommunity.TYPE_EVPN && subtype == SUBTYPE_ARP_ND)
            {
                return (int)(value >>> 40) & (PROXY_ROUTER | PROXY_OVERRIDE);
            }
            if (type == ExtendedCommunity.TYPE_OPAQUE && subtype == SUBTYPE_DEFAULT_GATEWAY)
            {
                flags |= PROXY_ROUTER;
            }
        }
        return flags;
    }

    /**
     * @param asPath an AS_PATH.
     * @param asn    an AS.
     * @return whether the AS occurs anywhere in the path (RFC 4271 §9.1.2 loop detection).
     */
    public static boolean contains(final AsPath asPath, final long asn)
    {
        for (final AsPathSegment segment : asPath.segments())
        {
            if (segment.asns().contains(asn))
            {
                return true;
            }
        }
        return false;
    }

    private static long firstAs(final AsPath asPath)
    {
        for (final AsPathSegment segment : asPath.segments())
        {
            if (segment.type() == AsPathSegment.AS_SEQUENCE && !segment.asns().isEmpty())
            {
                return segment.asns().getFirst();
            }
        }
        return -1;
    }
}
