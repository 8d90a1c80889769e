package io.vtep.evpn.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

import io.vtep.evpn.codec.attr.AsPath;
import io.vtep.evpn.codec.attr.AttributeFlags;
import io.vtep.evpn.codec.attr.ExtendedCommunities;
import io.vtep.evpn.codec.attr.ExtendedCommunity;
import io.vtep.evpn.codec.attr.LocalPref;
import io.vtep.evpn.codec.attr.MpReachNlri;
import io.vtep.evpn.codec.attr.MpUnreachNlri;
import io.vtep.evpn.codec.attr.OriginAttribute;
import io.vtep.evpn.codec.attr.PathAttribute;
import io.vtep.evpn.codec.attr.PmsiTunnel;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;

/**
 * Builds the EVPN UPDATEs a VTEP advertises, the way FRR 8.4 writes them (checked against
 * {@code frr-evpn-ibgp.pcap} octet for octet): MP_REACH_NLRI first (flags 0x90), then ORIGIN IGP,
 * AS_PATH (flags 0x50), LOCAL_PREF on iBGP, EXTENDED_COMMUNITIES (VXLAN encapsulation, route
 * targets, then MAC mobility), and for type 3 the PMSI tunnel. One route per UPDATE, as FRR sends
 * them; the speaker may pack more routes sharing attributes into one MP_REACH_NLRI.
 */
public final class EvpnUpdates
{
    /** AS_PATH flags FRR uses: well-known with Extended Length, even when empty. */
    public static final int FRR_AS_PATH_FLAGS = AttributeFlags.WELL_KNOWN | AttributeFlags.EXTENDED_LENGTH;

    private EvpnUpdates()
    {
    }

    /**
     * The attributes that depend on the kind of peer.
     *
     * @param asPath    AS_PATH to send (empty on iBGP; the local AS prepended on eBGP).
     * @param localPref LOCAL_PREF to send (iBGP only, RFC 4271 §5.1.5).
     */
    public record PathOptions(AsPath asPath, OptionalLong localPref)
    {
        /** Checks the fields. */
        public PathOptions
        {
            Objects.requireNonNull(asPath, "asPath");
            Objects.requireNonNull(localPref, "localPref");
        }

        /** @return iBGP: empty AS_PATH, LOCAL_PREF 100, like FRR. */
        public static PathOptions ibgp()
        {
            return new PathOptions(AsPath.EMPTY.withFlags(FRR_AS_PATH_FLAGS), OptionalLong.of(LocalPref.DEFAULT_VALUE));
        }

        /**
         * @param localAsn the local AS.
         * @return eBGP: AS_PATH of the local AS, no LOCAL_PREF.
         */
        public static PathOptions ebgp(final long localAsn)
        {
            return new PathOptions(AsPath.sequence(localAsn).withFlags(FRR_AS_PATH_FLAGS), OptionalLong.empty());
        }
    }

    /**
     * FRR's automatic route distinguisher of a VNI: {@code router-id:index} (type 1), where FRR's
     * index is a small per-VNI number it allocates.
     *
     * @param routerId the BGP router ID.
     * @param index    0..65535.
     * @return the RD.
     */
    public static RouteDistinguisher autoRouteDistinguisher(final Inet4Address routerId, final int index)
    {
        return RouteDistinguisher.ofIpv4(routerId, index);
    }

    /**
     * FRR's automatic route target of a VNI: {@code ASN:VNI} as a two-octet-AS route target, with
     * the AS truncated to its low 16 bits when it needs 4 octets (FRR's
     * {@code bgp_evpn_l2vni_form_auto_rt_eval}).
     *
     * @param asn the local AS.
     * @param vni the VNI.
     * @return the route target.
     */
    public static ExtendedCommunity.RouteTarget autoRouteTarget(final long asn, final int vni)
    {
        return ExtendedCommunity.RouteTarget.ofAs2((int)(asn & 0xFFFF), vni);
    }

    /**
     * The type-3 route announcing that {@code vtep} wants the VNI's BUM traffic by ingress
     * replication (RFC 8365 §5.1.3, RFC 7432 §11).
     *
     * @param rd           the VNI's route distinguisher.
     * @param vni          the VNI.
     * @param vtep         the local VTEP address: originating router, next hop and tunnel endpoint.
     * @param routeTargets the VNI's export route targets.
     * @param options      iBGP or eBGP attributes.
     * @return the UPDATE.
     */
    public static UpdateMessage inclusiveMulticast(
        final RouteDistinguisher rd,
        final int vni,
        final InetAddress vtep,
        final List<ExtendedCommunity.RouteTarget> routeTargets,
        final PathOptions options)
    {
        final InclusiveMulticastRoute route = new InclusiveMulticastRoute(rd, 0, vtep);
        final List<PathAttribute> attributes = common(MpReachNlri.evpn(vtep, List.of(route)), options);
        attributes.add(extendedCommunities(routeTargets, null));
        attributes.add(PmsiTunnel.ingressReplication(vni, vtep));
        return UpdateMessage.of(attributes);
    }

    /**
     * The type-2 route announcing that {@code mac} (and {@code ip}) is behind {@code vtep} in the
     * VNI, with a MAC mobility community when the MAC has moved (sequence above 0, RFC 7432 §15) or
     * is sticky.
     *
     * @param rd           the VNI's route distinguisher.
     * @param vni          the VNI.
     * @param mac          the MAC address.
     * @param ip           its IP address, or {@code null}.
     * @param vtep         the local VTEP address (next hop).
     * @param routeTargets the VNI's export route targets.
     * @param sequence     the MAC mobility sequence number, 0 for a MAC that never moved.
     * @param sticky       whether the MAC is static (RFC 7432 §15.2).
     * @param options      iBGP or eBGP attributes.
     * @return the UPDATE.
     */
    public static UpdateMessage macIpAdvertisement(
        final RouteDistinguisher rd,
        final int vni,
        final EvpnMac mac,
        final InetAddress ip,
        final InetAddress vtep,
        final List<ExtendedCommunity.RouteTarget> routeTargets,
        final long sequence,
        final boolean sticky,
        final PathOptions options)
    {
        final MacIpAdvertisementRoute route = MacIpAdvertisementRoute.of(rd, mac, ip, vni);
        final List<PathAttribute> attributes = common(MpReachNlri.evpn(vtep, List.of(route)), options);
        attributes.add(extendedCommunities(routeTargets,
            sequence > 0 || sticky ? ExtendedCommunity.MacMobility.of(sequence, sticky) : null));
        return UpdateMessage.of(attributes);
    }

    /**
     * A multihoming route (RFC 7432 §8): type 4 with the ES-Import RT (and RFC 8584's DF Election
     * community), or type 1 with the EVI route targets (and, per ES, the ESI label community).
     * Extended communities in FRR's order: encapsulation, route targets, then the multihoming ones.
     *
     * @param route        a type-1 or type-4 route.
     * @param vtep         the local VTEP address (next hop).
     * @param routeTargets EVI route targets (empty for type 4).
     * @param multihoming  ESI label, ES-Import RT, DF Election.
     * @param options      iBGP or eBGP attributes.
     * @return the UPDATE.
     */
    public static UpdateMessage segmentRoute(
        final EvpnRoute route,
        final InetAddress vtep,
        final List<ExtendedCommunity.RouteTarget> routeTargets,
        final List<ExtendedCommunity> multihoming,
        final PathOptions options)
    {
        final List<PathAttribute> attributes = common(MpReachNlri.evpn(vtep, List.of(route)), options);
        final List<ExtendedCommunity> communities = new ArrayList<>();
        communities.add(ExtendedCommunity.Encapsulation.VXLAN);
        communities.addAll(routeTargets);
        communities.addAll(multihoming);
        attributes.add(ExtendedCommunities.of(communities));
        return UpdateMessage.of(attributes);
    }

    /**
     * @param routes the routes to withdraw (their keys matter; labels are ignored by the receiver).
     * @return an UPDATE holding only MP_UNREACH_NLRI.
     */
    public static UpdateMessage withdraw(final List<? extends EvpnRoute> routes)
    {
        return UpdateMessage.of(List.of(MpUnreachNlri.evpn(routes)));
    }

    /** @return the L2VPN EVPN End-of-RIB marker (RFC 4724 §2), as FRR sends it. */
    public static UpdateMessage endOfRib()
    {
        return UpdateMessage.of(List.of(MpUnreachNlri.endOfRib(AddressFamily.L2VPN_EVPN)));
    }

    private static List<PathAttribute> common(final MpReachNlri reach, final PathOptions options)
    {
        final List<PathAttribute> attributes = new ArrayList<>();
        attributes.add(reach);
        attributes.add(OriginAttribute.IGP);
        attributes.add(options.asPath());
        options.localPref().ifPresent(value -> attributes.add(LocalPref.of(value)));
        return attributes;
    }

    private static ExtendedCommunities extendedCommunities(
        final List<ExtendedCommunity.RouteTarget> routeTargets,
        final ExtendedCommunity.MacMobility macMobility)
    {
        final List<ExtendedCommunity> communities = new ArrayList<>();
        communities.add(ExtendedCommunity.Encapsulation.VXLAN);
        communities.addAll(routeTargets);
        if (macMobility != null)
        {
            communities.add(macMobility);
        }
        return ExtendedCommunities.of(communities);
    }
}
