package io.vtep.evpn.controlplane;

import java.util.ArrayList;
import java.util.List;

import io.vtep.encap.MacAddress;
import io.vtep.evpn.codec.WireFormat;
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
        if (route instanceof MacIpAdvertisementRoute macIp)
        {
            return new EvpnRouteView(2, macIp.rd().toString(), vni, MacAddress.format(macIp.mac().value()), macIp.ip(),
                path.nextHop(), path.sequence(), path.sticky(), best, source);
        }
        final InclusiveMulticastRoute multicast = (InclusiveMulticastRoute)route;
        return new EvpnRouteView(3, multicast.rd().toString(), vni, null, null, path.nextHop(), 0, false, best, source);
    }
}
