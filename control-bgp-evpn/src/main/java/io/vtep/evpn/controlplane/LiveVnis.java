package io.vtep.evpn.controlplane;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.rib.EvpnPath;
import io.vtep.evpn.rib.LocRib;
import io.vtep.fdb.Fdb;

/**
 * The local VNIs changed while the control plane runs (a reload): a VNI added, removed, or given
 * other route targets or another RD. Runs on the control thread only, like everything that
 * touches the RIB.
 *
 * <ul>
 *   <li>Added: originates its inclusive multicast route (RFC 7432 §11) and a type-2 route per MAC
 *       already local in it (§9), imports the best paths its route targets select, and runs import
 *       again over every Adj-RIB-In for the routes nothing imported before (the RIB keeps them,
 *       so no ROUTE-REFRESH, RFC 2918, is needed).</li>
 *   <li>Removed: takes back what it imported (EVPN FDB entries, flood list members), withdraws
 *       every route it originated, forgets its MACs, and runs import again (routes only it
 *       imported leave the Loc-RIB).</li>
 *   <li>Route targets changed: the best paths the old import RTs selected and the new do not are
 *       taken back, the new ones imported, the rest untouched (no entry flaps); our routes are
 *       advertised again with the new export RTs (an UPDATE replaces a route with the same key,
 *       RFC 4271 §3.1, so nothing is withdrawn).</li>
 *   <li>RD changed: the RD is part of every route key (RFC 7432 §7), so it is a removal and an
 *       addition.</li>
 * </ul>
 *
 * <p>Not re-decided: a best path that an unchanged VNI imported while its route target was that
 * VNI's alone, and that a VNI added with the same route target now shares, stays in the first
 * (the label tie-break of RFC 8365 §5.1.3 applies to routes that arrive afterwards).
 */
final class LiveVnis
{
    private final EvpnSettings settings;
    private final Fdb fdb;
    private final Map<Integer, LocalVni> vnis;
    private final ImportPolicy policy;
    private final RouteImport imports;
    private final MacLocations macs;
    private final FloodMembership flooding;
    private final LocalRoutes exports;
    private final InetAddress localVtep;
    private int nextIndex;

    LiveVnis(final EvpnSettings settings, final Fdb fdb, final Map<Integer, LocalVni> vnis, final ImportPolicy policy,
        final RouteImport imports, final MacLocations macs, final FloodMembership flooding, final LocalRoutes exports)
    {
        this.settings = settings;
        this.fdb = fdb;
        this.vnis = vnis;
        this.policy = policy;
        this.imports = imports;
        this.macs = macs;
        this.flooding = flooding;
        this.exports = exports;
        this.localVtep = settings.localVtep().toInetAddress();
        this.nextIndex = vnis.values().stream().mapToInt(vni -> vni.index).max().orElse(0) + 1;
    }

    /** Originates the VNI's inclusive multicast route: ingress replication, label = VNI, tunnel = our VTEP (RFC 8365 §5.1.3). */
    void originate(final LocalVni vni)
    {
        vni.inclusiveMulticast = EvpnPath.local(new InclusiveMulticastRoute(vni.rd, 0, localVtep), localVtep,
            settings.routerId(), vni.exportRouteTargets, vni.vni, 0, false);
        exports.export(vni.inclusiveMulticast);
    }

    /**
     * @return false when the VNI takes part already
     * @throws IllegalArgumentException when it is not in the FDB or its RD is another VNI's
     */
    boolean add(final EvpnVniSettings added)
    {
        if (vnis.containsKey(added.vni()))
        {
            return false;
        }
        if (fdb.vni(added.vni()) == null)
        {
            throw new IllegalArgumentException("VNI " + added.vni() + " is not in the FDB");
        }
        final LocalVni vni = new LocalVni(added, nextIndex, settings.localAs(), settings.routerId());
        checkUniqueRd(vni);
        nextIndex++;
        enter(vni);
        return true;
    }

    /** @return false when the VNI did not take part */
    boolean remove(final int number)
    {
        final LocalVni vni = vnis.get(number);
        if (vni == null)
        {
            return false;
        }
        leave(vni);
        return true;
    }

    /**
     * @return false when the VNI does not take part
     * @throws IllegalArgumentException when the new RD is another VNI's
     */
    boolean change(final EvpnVniSettings changed)
    {
        final LocalVni vni = vnis.get(changed.vni());
        if (vni == null)
        {
            return false;
        }
        final LocalVni next = new LocalVni(changed, vni.index, settings.localAs(), settings.routerId());
        if (!next.rd.equals(vni.rd))
        {
            checkUniqueRd(next);
            leave(vni);
            enter(next);
            return true;
        }
        final Set<EvpnPath> before = importedInto(vni);
        vni.importRouteTargets = next.importRouteTargets;
        final Set<EvpnPath> after = importedInto(vni);
        for (final EvpnPath path : before)
        {
            if (!after.contains(path))
            {
                imports.importInto(vni, path, false);
            }
        }
        for (final EvpnPath path : after)
        {
            if (!before.contains(path))
            {
                imports.importInto(vni, path, true);
            }
        }
        imports.reimport();
        if (!vni.exportRouteTargets.equals(next.exportRouteTargets))
        {
            vni.exportRouteTargets = next.exportRouteTargets;
            for (final EvpnPath path : ours(vni))
            {
                final EvpnPath renewed = withRouteTargets(path, vni);
                if (path == vni.inclusiveMulticast)
                {
                    vni.inclusiveMulticast = renewed;
                }
                exports.export(renewed);
            }
        }
        return true;
    }

    private void enter(final LocalVni vni)
    {
        vnis.put(vni.vni, vni);
        for (final EvpnPath path : importedInto(vni))
        {
            imports.importInto(vni, path, true);
        }
        imports.reimport();
        originate(vni);
        macs.resync(List.of(vni));
    }

    private void leave(final LocalVni vni)
    {
        for (final EvpnPath path : importedInto(vni))
        {
            imports.importInto(vni, path, false);
        }
        flooding.abandon(vni);
        for (final EvpnPath path : ours(vni))
        {
            exports.withdraw(path.route());
        }
        macs.forget(vni);
        vnis.remove(vni.vni);
        imports.reimport();
    }

    /** The Loc-RIB's best paths that {@code vni} imports as the VNIs are now. */
    private Set<EvpnPath> importedInto(final LocalVni vni)
    {
        final Set<EvpnPath> imported = new HashSet<>();
        for (final LocRib.Route route : imports.locRib().routes())
        {
            final EvpnPath best = route.best();
            if (best != null && policy.importingVnis(best).contains(vni))
            {
                imported.add(best);
            }
        }
        return imported;
    }

    /** The routes we originate in {@code vni} (its type 3 and its MACs' type 2). */
    private List<EvpnPath> ours(final LocalVni vni)
    {
        final List<EvpnPath> paths = new ArrayList<>();
        for (final EvpnPath path : exports.all())
        {
            if (path.vni() == vni.vni)
            {
                paths.add(path);
            }
        }
        return paths;
    }

    private void checkUniqueRd(final LocalVni vni)
    {
        for (final LocalVni other : vnis.values())
        {
            if (other.vni != vni.vni && other.rd.equals(vni.rd))
            {
                // Same RD, same type-3 key (RFC 7432 §7.3): one VNI's route would replace the other's.
                throw new IllegalArgumentException("VNIs " + other.vni + " and " + vni.vni + " would have the same route distinguisher " +
                    vni.rd + "; each VNI needs its own");
            }
        }
    }

    private static EvpnPath withRouteTargets(final EvpnPath path, final LocalVni vni)
    {
        return new EvpnPath(path.route(), path.peer(), path.nextHop(), path.localPref(), path.asPathLength(), path.origin(), path.med(),
            path.neighborAs(), path.ebgp(), path.originatorId(), path.clusterListLength(), List.copyOf(vni.exportRouteTargets),
            path.sequence(), path.sticky(), path.tunnelEndpoint(), path.vni(), path.proxyFlags(), path.multihoming());
    }
}
