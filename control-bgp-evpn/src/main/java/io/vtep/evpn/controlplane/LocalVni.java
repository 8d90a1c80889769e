package io.vtep.evpn.controlplane;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.agrona.collections.Long2ObjectHashMap;

import io.vtep.evpn.codec.EvpnUpdates;
import io.vtep.evpn.codec.attr.ExtendedCommunity;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;
import io.vtep.evpn.rib.EvpnPath;
import io.vtep.fdb.RemoteVtep;

/**
 * One local VNI's EVPN state, owned by the control thread: its resolved RD and route targets, the
 * MACs the RIB knows in it, and the flood list entries EVPN put there.
 */
final class LocalVni
{
    final int vni;
    /** FRR's per-VNI index of the automatic RD. */
    final int index;
    /** The RD and the route targets change only on the control thread, by a reload ({@link LiveVnis}). */
    RouteDistinguisher rd;
    List<ExtendedCommunity.RouteTarget> exportRouteTargets;
    /** Empty means automatic import: any route target whose local administrator is the VNI. */
    List<ExtendedCommunity.RouteTarget> importRouteTargets;
    final Long2ObjectHashMap<MacState> macs = new Long2ObjectHashMap<>();
    /** Type-3 best paths naming each remote VTEP (RFC 7432 §11): the VTEP stays in the flood list while any does. */
    final Map<InetAddress, Integer> floodReferences = new HashMap<>();
    /** Flood list members EVPN added, so that it never removes one the configuration put there. */
    final Set<RemoteVtep> evpnFloodList = new HashSet<>();
    EvpnPath inclusiveMulticast;

    /**
     * @param settings the VNI's settings.
     * @param index    FRR's per-VNI index of the automatic RD.
     * @param localAs  our AS.
     * @param routerId our BGP identifier.
     */
    LocalVni(final EvpnVniSettings settings, final int index, final long localAs, final Inet4Address routerId)
    {
        this.vni = settings.vni();
        this.index = index;
        settings(settings, localAs, routerId);
    }

    /** Resolves the RD and route targets of {@code settings} (automatic where absent) and takes them. */
    void settings(final EvpnVniSettings settings, final long localAs, final Inet4Address routerId)
    {
        this.rd = settings.routeDistinguisher() != null ? settings.routeDistinguisher() :
            EvpnUpdates.autoRouteDistinguisher(routerId, index);
        final List<ExtendedCommunity.RouteTarget> export = routeTargets(settings.exportRouteTargets());
        this.exportRouteTargets = export.isEmpty() ? List.of(EvpnUpdates.autoRouteTarget(localAs, vni)) : export;
        this.importRouteTargets = routeTargets(settings.importRouteTargets());
    }

    /**
     * RFC 7432 §9–§10 import: a route belongs to this VNI when one of its route targets is one of
     * the VNI's import route targets.
     *
     * <p>Automatic import (no import RT configured) matches a route target on its local
     * administrator alone, whatever the AS (or IPv4) administrator: that is what FRR does
     * ({@code bgpd/bgp_evpn.c} {@code map_vni_to_rt()} masks the global administrator with
     * {@code mask_ecom_global_admin()} unless import RTs are configured, "to facilitate using VNI
     * as the RT for EBGP peering too"). Under eBGP every leaf has its own AS, so its automatic
     * {@code AS:VNI} carries an AS other than ours; matching the AS would import nothing. RFC 8365
     * §5.1.2.1 solves the same problem by making the automatic RT's global administrator an AS
     * that operators then ignore on import. A configured import RT matches exactly.
     *
     * @param routeTargets a route's route targets.
     * @return whether the route is imported into this VNI.
     */
    boolean imports(final List<ExtendedCommunity.RouteTarget> routeTargets)
    {
        for (final ExtendedCommunity.RouteTarget routeTarget : routeTargets)
        {
            if (importRouteTargets.isEmpty() ? routeTarget.assigned() == vni : importRouteTargets.contains(routeTarget))
            {
                return true;
            }
        }
        return false;
    }

    private static List<ExtendedCommunity.RouteTarget> routeTargets(final List<ExtendedCommunity> communities)
    {
        return communities.stream()
            .filter(ExtendedCommunity.RouteTarget.class::isInstance)
            .map(ExtendedCommunity.RouteTarget.class::cast)
            .toList();
    }
}
