package io.vtep.evpn.controlplane;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vtep.evpn.codec.EvpnUpdates;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.EvpnRouteKey;
import io.vtep.evpn.rib.EvpnPath;
import io.vtep.evpn.rib.UpdatePacker;
import io.vtep.evpn.session.BgpPeer;

/**
 * Export: the routes we originate (type 3 per VNI, type 2 per local MAC and MAC+IP), what changed
 * since they were last sent, and the sending of those changes to every synced neighbor packed into
 * as few UPDATEs as fit ({@link UpdatePacker}). A VTEP is an edge: received routes are never
 * advertised again, so every Adj-RIB-Out holds only these. Owned by the control thread.
 */
final class LocalRoutes
{
    private final long localAs;
    private final UpdatePacker packer = new UpdatePacker();
    /** Our routes now (what every Established neighbor's Adj-RIB-Out converges to). */
    private final Map<EvpnRouteKey, EvpnPath> routes = new LinkedHashMap<>();
    /** Changes to {@link #routes} not yet sent: a path to advertise, or null to withdraw. */
    private final Map<EvpnRouteKey, EvpnPath> pending = new LinkedHashMap<>();
    private final Map<EvpnRouteKey, EvpnRoute> pendingWithdrawn = new HashMap<>();
    /** {@link #routes}' size as of the last flush, for readers on other threads. */
    private volatile int count;

    /** @param localAs our AS, prepended for eBGP neighbors. */
    LocalRoutes(final long localAs)
    {
        this.localAs = localAs;
    }

    /** Originates a route, or replaces ours with the same key; sent at the next {@link #flush}. */
    void export(final EvpnPath path)
    {
        final EvpnRouteKey key = path.route().key();
        if (!path.equals(routes.put(key, path)))
        {
            pending.put(key, path);
            pendingWithdrawn.remove(key);
        }
    }

    /** Withdraws one of our routes, if we originate it; sent at the next {@link #flush}. */
    void withdraw(final EvpnRoute route)
    {
        final EvpnRouteKey key = route.key();
        if (routes.remove(key) != null)
        {
            pending.put(key, null);
            pendingWithdrawn.put(key, route);
        }
    }

    /** @return our routes now. */
    Collection<EvpnPath> all()
    {
        return routes.values();
    }

    /** @return how many routes we originated as of the last flush (any thread). */
    int count()
    {
        return count;
    }

    /** Sends what changed since the last flush to every synced, Established neighbor. */
    void flush(final Map<BgpPeer, PeerRib> peers)
    {
        count = routes.size();
        if (pending.isEmpty())
        {
            return;
        }
        for (final Map.Entry<BgpPeer, PeerRib> entry : peers.entrySet())
        {
            final BgpPeer peer = entry.getKey();
            final PeerRib rib = entry.getValue();
            if (!rib.synced || !peer.isEstablished())
            {
                continue;
            }
            final List<EvpnPath> advertise = new ArrayList<>();
            final List<EvpnRoute> withdraw = new ArrayList<>();
            pending.forEach((key, path) ->
            {
                if (path != null)
                {
                    if (rib.out.advertise(key, path))
                    {
                        advertise.add(path);
                    }
                }
                else if (rib.out.withdraw(key) != null)
                {
                    withdraw.add(pendingWithdrawn.get(key));
                }
            });
            packer.withdraw(withdraw).forEach(peer::send);
            packer.advertise(advertise, options(peer)).forEach(peer::send);
        }
        pending.clear();
        pendingWithdrawn.clear();
    }

    /** The whole Adj-RIB-Out, then End-of-RIB (RFC 4724 §2): on Established and on ROUTE-REFRESH. */
    void sendAll(final BgpPeer peer, final PeerRib rib, final List<EvpnPath> paths)
    {
        for (final EvpnPath path : paths)
        {
            rib.out.advertise(path.route().key(), path);
        }
        packer.advertise(paths, options(peer)).forEach(peer::send);
        peer.send(UpdatePacker.endOfRib());
    }

    private EvpnUpdates.PathOptions options(final BgpPeer peer)
    {
        return peer.isIbgp() ? EvpnUpdates.PathOptions.ibgp() : EvpnUpdates.PathOptions.ebgp(localAs);
    }
}
