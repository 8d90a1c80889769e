package io.vtep.evpn.controlplane;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.nlri.EthernetAutoDiscoveryRoute;
import io.vtep.evpn.codec.nlri.EthernetSegmentRoute;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.EvpnRouteKey;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.rib.EvpnPath;
import io.vtep.evpn.rib.LocRib;
import io.vtep.evpn.session.BgpPeer;
import io.vtep.evpn.session.MaximumPrefix;

/**
 * Import: each neighbor's UPDATEs into its Adj-RIB-In, the Loc-RIB's best path per route
 * (RFC 4271 §9.1), and every change of best path handed on by route type: type 2 to
 * {@link MacLocations}, type 3 to {@link FloodMembership}, types 1 and 4 to {@link LocalSegments}. Also the session ends (RFC 4271 §8.2.2:
 * a session's routes go with it) and the maximum-prefix limit (RFC 4486 §4). Owned by the control
 * thread; {@link #peers} is read by other threads for counters only.
 */
final class RouteImport
{
    private static final System.Logger LOG = System.getLogger(RouteImport.class.getName());

    private final ImportPolicy policy;
    private final MacLocations macs;
    private final FloodMembership flooding;
    private final LocalSegments segments;
    private final LocRib locRib = new LocRib();
    private final Map<BgpPeer, PeerRib> peers = new ConcurrentHashMap<>();
    /** Set before the control thread starts; null for none. */
    private volatile MacIpListener macIpListener;

    RouteImport(final ImportPolicy policy, final MacLocations macs, final FloodMembership flooding, final LocalSegments segments)
    {
        this.segments = segments;
        this.policy = policy;
        this.macs = macs;
        this.flooding = flooding;
    }

    void macIpListener(final MacIpListener listener)
    {
        this.macIpListener = listener;
    }

    /** @return every neighbor's RIBs (read-only outside the control thread). */
    Map<BgpPeer, PeerRib> peers()
    {
        return peers;
    }

    LocRib locRib()
    {
        return locRib;
    }

    PeerRib rib(final BgpPeer peer)
    {
        return peers.computeIfAbsent(peer, ignored -> new PeerRib());
    }

    /** The control thread is giving up: forget every RIB. */
    void abandon()
    {
        peers.clear();
        locRib.clear();
    }

    void update(final BgpPeer peer, final UpdateMessage update)
    {
        final PeerRib rib = rib(peer);
        if (rib.overLimit)
        {
            return; // the session is being closed for its maximum-prefix; down() empties the Adj-RIB-In
        }
        for (final EvpnRoute route : update.withdrawnEvpnRoutes())
        {
            final EvpnPath removed = rib.in.remove(route.key());
            if (removed != null)
            {
                bestChanged(locRib.remove(route.key(), removed));
            }
        }
        final List<EvpnRoute> advertised = update.advertisedEvpnRoutes();
        if (advertised.isEmpty())
        {
            return;
        }
        final boolean loop = policy.isLoop(peer, update);
        for (final EvpnRoute route : advertised)
        {
            final EvpnRouteKey key = route.key();
            final EvpnPath path = EvpnPath.received(route, peer, update);
            final boolean accepted = !loop && policy.isAccepted(path);
            final EvpnPath replaced = rib.in.put(key, path, accepted, loop);
            if (accepted)
            {
                bestChanged(locRib.add(key, path));
            }
            else if (replaced != null)
            {
                bestChanged(locRib.remove(key, replaced));
            }
            if (rib.in.received() > peer.config().maximumPrefix().limit() && !peer.config().maximumPrefix().warningOnly())
            {
                // Stop here: the rest of this UPDATE, and every later one, waits for nothing but the tear-down.
                break;
            }
        }
        checkMaximumPrefix(peer, rib);
    }

    /** RFC 4271 §8.2.2: the routes of a session that ended are deleted; nothing more goes out until it is back. */
    void sessionGone(final PeerRib rib)
    {
        rib.synced = false;
        rib.sessionReset();
        rib.out.clear();
        for (final EvpnPath path : rib.in.clear())
        {
            bestChanged(locRib.remove(path.route().key(), path));
        }
    }

    /**
     * Applies a session end that {@code down} did not bring (its command could not be queued):
     * the session layer counts ends in {@link BgpPeer#sessionsEnded} without allocating, and the
     * control thread compares on every round, before an UPDATE and before Established. Issue 15
     * saw 681,574 EVPN entries outlive their session under memory pressure; this is one of the two
     * ways that could happen (the other, the control thread dying, is {@code abandonImports}).
     */
    void syncDown(final BgpPeer peer, final PeerRib rib)
    {
        final long ended = peer.sessionsEnded();
        if (ended != rib.downsApplied)
        {
            sessionGone(rib);
            rib.downsApplied = ended;
        }
    }

    /** {@link #syncDown} for every neighbor. */
    void syncDown()
    {
        peers.forEach(this::syncDown);
    }

    /**
     * FRR's {@code maximum-prefix N THRESHOLD restart M} / {@code warning-only}: a warning once
     * the threshold is passed, and above the limit the session is closed with Cease / Maximum
     * Number of Prefixes Reached (RFC 4486 §4). The count is the Adj-RIB-In, accepted or not: a
     * route that is not imported costs memory all the same.
     */
    private void checkMaximumPrefix(final BgpPeer peer, final PeerRib rib)
    {
        final MaximumPrefix maximum = peer.config().maximumPrefix();
        final long held = rib.in.received();
        if (held >= maximum.warningAt() && !rib.prefixWarningLogged)
        {
            rib.prefixWarningLogged = true;
            LOG.log(System.Logger.Level.WARNING, peer + ": " + held + " routes held, " + maximum.warningPercent() +
                " % of its maximum-prefix " + maximum.limit() + (maximum.warningOnly() ? " (warning-only)" : ""));
        }
        if (held <= maximum.limit())
        {
            return;
        }
        if (maximum.warningOnly())
        {
            if (!rib.limitWarningLogged)
            {
                rib.limitWarningLogged = true;
                LOG.log(System.Logger.Level.WARNING, peer + ": " + held + " routes held, above its maximum-prefix " +
                    maximum.limit() + "; warning-only, the session stays up");
            }
        }
        else if (!rib.overLimit)
        {
            rib.overLimit = true;
            peer.prefixLimitExceeded(held);
        }
    }

    private void bestChanged(final LocRib.Change change)
    {
        if (!change.changed())
        {
            return;
        }
        if (change.oldBest() != null && change.newBest() != null && change.newBest().route() instanceof EthernetSegmentRoute)
        {
            // The same VTEP's type 4 again (its DF preference or algorithm changed): no new VTEP on the segment, no timer.
            segments.remoteRouteReplaced(change.newBest());
            return;
        }
        if (change.oldBest() != null)
        {
            importBest(change.oldBest(), false);
        }
        if (change.newBest() != null)
        {
            importBest(change.newBest(), true);
        }
    }

    /**
     * Runs import again over every neighbor's Adj-RIB-In after the local VNIs or their import
     * route targets changed (a reload; RFC 7432 §9.2, the RIB keeps what it received so that no
     * ROUTE-REFRESH is needed): a path no VNI imports any more leaves the Loc-RIB, one some VNI
     * imports now enters it, and each change of best path is handed on as an UPDATE's would be.
     */
    void reimport()
    {
        for (final PeerRib rib : peers.values())
        {
            rib.in.forEach((key, path, accepted, loop) ->
            {
                final boolean now = !loop && policy.isAccepted(path);
                if (now != accepted)
                {
                    rib.in.put(key, path, now, loop);
                    bestChanged(now ? locRib.add(key, path) : locRib.remove(key, path));
                }
            });
        }
    }

    /** A best path came ({@code add}) or went: hands it to what its route type is imported into. */
    private void importBest(final EvpnPath path, final boolean add)
    {
        if (path.route() instanceof EthernetSegmentRoute || path.route() instanceof EthernetAutoDiscoveryRoute)
        {
            segments.remoteRoute(path, add);
            return;
        }
        for (final LocalVni vni : policy.importingVnis(path))
        {
            importInto(vni, path, add);
        }
    }

    /** Hands one best path to one VNI: type 2 to its MACs, type 3 to its flood list. */
    void importInto(final LocalVni vni, final EvpnPath path, final boolean add)
    {
        if (path.route() instanceof MacIpAdvertisementRoute macIp)
        {
            // A MAC on one of our own segments, advertised by another gateway of it (RFC 7432 §8.4): it is
            // reachable through our own link ("MAC sync"), not a move away from us (§15 applies between segments).
            if (segments.isLocal(macIp.esi()))
            {
                macs.syncPath(vni, macIp, path, add);
            }
            else
            {
                macs.remotePath(vni, macIp, path, add);
            }
            final MacIpListener listener = macIpListener;
            if (listener != null && macIp.ip() != null)
            {
                listener.macIpChanged(vni.vni, macIp.key(), macIp.mac().value(), macIp.ip(), path.proxyFlags(), add);
            }
        }
        else if (path.tunnelEndpoint() != null)
        {
            flooding.reference(vni, path.tunnelEndpoint(), add);
        }
    }
}
