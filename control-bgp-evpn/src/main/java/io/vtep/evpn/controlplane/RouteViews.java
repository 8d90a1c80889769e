package io.vtep.evpn.controlplane;

import java.util.ArrayList;
import java.util.List;

import io.vtep.encap.MacAddress;
import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.codec.nlri.EthernetAutoDiscoveryRoute;
import io.vtep.evpn.codec.nlri.EthernetSegmentRoute;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.rib.EvpnPath;
import io.vtep.evpn.rib.LocRib;

/** The RIB as the API and CLI show it ({@link EvpnRouteView}); built on the control thread. */
final class RouteViews
{
    private final LocalRoutes exports;
    private final RouteImport imports;
    private final ImportPolicy policy;

    RouteViews(final LocalRoutes exports, final RouteImport imports, final ImportPolicy policy)
    {
        this.exports = exports;
        this.imports = imports;
        this.policy = policy;
    }

    /** @return our routes, then every received path with whether it is best. Control thread only. */
    List<EvpnRouteView> snapshot()
    {
        final List<EvpnRouteView> views = new ArrayList<>();
        for (final EvpnPath path : exports.all())
        {
            views.add(view(path, true));
        }
        for (final LocRib.Route route : imports.locRib().routes())
        {
            for (final EvpnPath path : route.paths())
            {
                views.add(view(path, path == route.best()));
            }
        }
        return views;
    }

    private EvpnRouteView view(final EvpnPath path, final boolean best)
    {
        final EvpnRoute route = path.route();
        int vni = path.vni();
        if (!path.isLocal())
        {
            final List<LocalVni> importing = policy.importingVnis(path);
            vni = importing.isEmpty() ? path.vni() : importing.getFirst().vni;
        }
        final String source = path.isLocal() ? "local" : WireFormat.toText(path.peer().config().address());
        return switch (route)
        {
            case MacIpAdvertisementRoute macIp -> new EvpnRouteView(2, macIp.rd().toString(), vni, MacAddress.format(macIp.mac().value()),
                macIp.ip(), path.nextHop(), path.sequence(), path.sticky(), best, source, macIp.esi().isZero() ? null : macIp.esi().toString());
            case InclusiveMulticastRoute multicast -> new EvpnRouteView(3, multicast.rd().toString(), vni, null, null, path.nextHop(), 0, false,
                best, source, null);
            // Multihoming (RFC 7432 §8): A-D per EVI belongs to its VNI; A-D per ES and type 4 to no single one.
            case EthernetAutoDiscoveryRoute autoDiscovery -> new EvpnRouteView(1, autoDiscovery.rd().toString(),
                autoDiscovery.ethernetTag() == EvpnPath.MAX_ET ? 0 : Math.max(vni, 0), null, null, path.nextHop(), 0, false, best, source,
                autoDiscovery.esi().toString());
            case EthernetSegmentRoute segment -> new EvpnRouteView(4, segment.rd().toString(), 0, null, null, path.nextHop(), 0, false, best,
                source, segment.esi().toString());
            default -> new EvpnRouteView(route.routeType(), null, 0, null, null, path.nextHop(), 0, false, best, source, null);
        };
    }
}
