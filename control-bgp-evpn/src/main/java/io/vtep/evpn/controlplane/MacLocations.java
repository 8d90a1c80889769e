package io.vtep.evpn.controlplane;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.evpn.RateLimitedLog;
import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.mobility.DuplicateDetection;
import io.vtep.evpn.mobility.MacMobility;
import io.vtep.evpn.mobility.MobilityOrder;
import io.vtep.evpn.rib.EvpnPath;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;

/**
 * Where each MAC of the local VNIs is (RFC 7432 §9–§10, §15), and carrying it out: the local FDB
 * events and the remote best paths go into each MAC's {@link MacMobility}; what its state says
 * becomes our type-2 routes ({@link LocalRoutes}) and the EVPN entries of the FDB. Also keeps the
 * duplicates: counted, listed, released when their freeze time is over or when cleared. Owned by
 * the control thread, except the counters and the duplicate list, which any thread reads.
 */
final class MacLocations
{
    private static final System.Logger LOG = System.getLogger(MacLocations.class.getName());
    /** IPs advertised per local MAC (MAC+IP routes); a host with more gets its first ones. */
    static final int MAX_IPS_PER_MAC = 8;

    /**
     * A MAC frozen at a time; the freeze time is one for all, so the queue is in expiry order.
     * An entry whose MAC was cleared (or frozen again since) is skipped when it comes up.
     */
    private record Frozen(LocalVni vni, MacState state, long atNanos)
    {
    }

    private final Fdb fdb;
    private final LocalRoutes exports;
    private final DuplicateDetection detection;
    private final InetAddress localVtep;
    private final Inet4Address routerId;
    /** Where a MAC advertised with an ESI is installed (aliasing); set once the segments exist. */
    Aliasing aliasing = new Aliasing()
    {
        @Override
        public InetAddress target(final EthernetSegmentId esi, final int vni, final InetAddress nextHop, final long mac)
        {
            return nextHop;
        }

        @Override
        public int group(final EthernetSegmentId esi, final int vni)
        {
            return 0;
        }

        @Override
        public OptionalInt syncAttachment(final EthernetSegmentId esi, final int vni)
        {
            return OptionalInt.empty();
        }
    };

    /** {@link LocalSegments#target}, {@link LocalSegments#group}, {@link LocalSegments#syncAttachment}. */
    interface Aliasing
    {
        InetAddress target(EthernetSegmentId esi, int vni, InetAddress nextHop, long mac);

        int group(EthernetSegmentId esi, int vni);

        OptionalInt syncAttachment(EthernetSegmentId esi, int vni);
    }

    /** The ESI of a local attachment's segment, {@link EthernetSegmentId#ZERO} when single-homed. */
    private final IntFunction<EthernetSegmentId> segmentOfAttachment;
    private final RateLimitedLog vtepTableFull = new RateLimitedLog(LOG);
    private final ArrayDeque<Frozen> frozen = new ArrayDeque<>();
    private final CopyOnWriteArrayList<String> duplicateList = new CopyOnWriteArrayList<>();
    private final PendingNeighbors pending;
    private volatile long moves;
    private volatile long duplicates;

    MacLocations(final Fdb fdb, final LocalRoutes exports, final DuplicateDetection detection, final InetAddress localVtep,
        final Inet4Address routerId, final IntFunction<EthernetSegmentId> segmentOfAttachment)
    {
        this.segmentOfAttachment = segmentOfAttachment;
        this.fdb = fdb;
        this.exports = exports;
        this.detection = detection;
        this.pending = new PendingNeighbors(detection.clock());
        this.localVtep = localVtep;
        this.routerId = routerId;
    }

    long moves()
    {
        return moves;
    }

    long duplicates()
    {
        return duplicates;
    }

    List<String> duplicateList()
    {
        return List.copyOf(duplicateList);
    }

    // ------------------------------------------------------------------------------------
    // Events.
    // ------------------------------------------------------------------------------------

    /** A type-2 best path naming the MAC became best ({@code add}) or stopped being best. */
    void remotePath(final LocalVni vni, final MacIpAdvertisementRoute route, final EvpnPath path, final boolean add)
    {
        final MacState state = track(vni, route, false, path, add);
        if (state == null)
        {
            return;
        }
        final MacMobility.State before = state.mobility.state();
        apply(vni, state, before, state.mobility.remoteChanged(MacState.advertisement(state.remoteBest())));
    }

    /**
     * A type-2 best path naming the MAC with one of our own ESIs, from another gateway of that segment,
     * became best ({@code add}) or stopped being best: "MAC sync" (RFC 7432 §8.4, what FRR does). The MAC
     * is on our own link to the segment, so unless we learned it ourselves it is installed on our
     * attachment (while the segment is up; through that gateway while it is down). It is no move away
     * from us: MAC mobility (§15) sees only the paths of other segments and VTEPs.
     */
    void syncPath(final LocalVni vni, final MacIpAdvertisementRoute route, final EvpnPath path, final boolean add)
    {
        final MacState state = track(vni, route, true, path, add);
        if (state != null && !state.mobility.state().local())
        {
            apply(vni, state, state.mobility.state(), MacMobility.Move.NONE);
        }
    }

    /**
     * Adds {@code path} to the MAC's sync or remote paths, or removes it.
     *
     * @return the MAC's state, or null when it has none and the path went (nothing to do).
     */
    private MacState track(final LocalVni vni, final MacIpAdvertisementRoute route, final boolean sync, final EvpnPath path,
        final boolean add)
    {
        final long mac = route.mac().value();
        MacState state = vni.macs.get(mac);
        if (state == null)
        {
            if (!add)
            {
                return null;
            }
            state = create(vni, mac);
        }
        final List<EvpnPath> paths = sync ? state.syncPaths : state.remotePaths;
        if (add)
        {
            paths.add(path);
        }
        else
        {
            paths.remove(path);
        }
        return state;
    }

    /**
     * One of our segments went up or down: its synced MACs of the VNI go onto our link, or behind the
     * gateway that advertises them while our link is down (RFC 7432 §8.4; no dead link in the FDB).
     */
    void syncedSegmentChanged(final LocalVni vni, final EthernetSegmentId esi)
    {
        for (final MacState state : List.copyOf(vni.macs.values()))
        {
            final EvpnPath best = state.mobility.state().local() ? null : state.syncBest();
            if (best != null && best.route() instanceof MacIpAdvertisementRoute macIp && esi.equals(macIp.esi()))
            {
                apply(vni, state, state.mobility.state(), MacMobility.Move.NONE);
            }
        }
    }

    /** The FDB changed a local entry of the VNI ({@code entry} is the new one, or NONE). */
    void localEntry(final LocalVni vni, final long mac, final long entry)
    {
        // A synced entry is ours (MAC sync), not the MAC heard here: no route of ours for it.
        if (entry != FdbEntry.NONE && FdbEntry.isLocal(entry) && !FdbEntry.isSynced(entry))
        {
            localPresent(vni, mac, FdbEntry.origin(entry) == Origin.STATIC);
        }
        else
        {
            localGone(vni, mac);
            reinstallIfGone(vni, mac, entry);
        }
    }

    /** An IP seen in ARP/ND from a local MAC: a MAC+IP route too (RFC 7432 §7.2, §10). */
    void neighbor(final LocalVni vni, final long mac, final InetAddress ip)
    {
        final MacState state = vni.macs.get(mac);
        if (state == null || !state.mobility.state().local())
        {
            pending.hold(vni.vni, mac, ip); // its MAC may still be on its way (PendingNeighbors)
            return;
        }
        // A bounded number of IPs per MAC: spoofed ARP or rotating IPv6 addresses cannot grow our routes.
        if (state.ips().size() < MAX_IPS_PER_MAC && state.ips().add(ip))
        {
            advertise(vni, state);
        }
    }

    /** IPs that arrived before their MAC was local go into its routes now. */
    private void addPendingIps(final LocalVni vni, final MacState state, final long mac)
    {
        boolean added = false;
        for (final InetAddress ip : pending.take(vni.vni, mac))
        {
            added |= state.ips().size() < MAX_IPS_PER_MAC && state.ips().add(ip);
        }
        if (added && state.mobility.state().local())
        {
            advertise(vni, state);
        }
    }

    /** Re-reads the local entries of the FDB: at start, and after the FDB event ring overflowed. */
    void resync(final Iterable<LocalVni> vnis)
    {
        final Map<Integer, Map<Long, Boolean>> local = new HashMap<>();
        final Map<Integer, LocalVni> byNumber = new HashMap<>();
        vnis.forEach(vni -> byNumber.put(vni.vni, vni));
        fdb.forEach((vni, mac, entry, age) ->
        {
            if (byNumber.containsKey(vni) && FdbEntry.isLocal(entry) && !FdbEntry.isSynced(entry))
            {
                local.computeIfAbsent(vni, ignored -> new HashMap<>()).put(mac, FdbEntry.origin(entry) == Origin.STATIC);
            }
        });
        for (final LocalVni vni : vnis)
        {
            final Map<Long, Boolean> present = local.getOrDefault(vni.vni, Map.of());
            final List<Long> gone = new ArrayList<>();
            vni.macs.forEach((mac, state) ->
            {
                if (state.mobility.state().local() && !present.containsKey(mac))
                {
                    gone.add(mac);
                }
            });
            gone.forEach(mac -> localGone(vni, mac));
            present.forEach((mac, sticky) -> localPresent(vni, mac, sticky));
        }
    }

    /**
     * Releases the duplicates whose freeze time is over (FRR's {@code dup-addr-detection freeze N}).
     *
     * @return how many were released.
     */
    int releaseExpired()
    {
        int released = 0;
        for (Frozen head; (head = frozen.peek()) != null;)
        {
            final MacMobility mobility = head.state.mobility;
            if (mobility.state().frozen() && mobility.frozenAtNanos() == head.atNanos && !mobility.freezeExpired())
            {
                break; // the oldest freeze still runs, and so do the younger ones
            }
            frozen.poll();
            if (mobility.state().frozen() && mobility.frozenAtNanos() == head.atNanos && head.vni.macs.get(head.state.mac) == head.state)
            {
                release(head.vni, head.state, "freeze time over");
                released++;
            }
        }
        return released;
    }

    /**
     * Unfreezes one duplicate MAC at the operator's request.
     *
     * @return whether the MAC was frozen as a duplicate in that VNI.
     */
    boolean clearDuplicate(final LocalVni vni, final long mac)
    {
        final MacState state = vni.macs.get(mac);
        if (state == null || !state.mobility.state().frozen())
        {
            return false;
        }
        release(vni, state, "cleared");
        return true;
    }

    /** The control thread is giving up: forget every MAC. */
    void abandon(final LocalVni vni)
    {
        vni.macs.clear();
        frozen.clear();
        duplicateList.removeIf(name -> name.startsWith(vni.vni + " "));
        duplicates = duplicateList.size();
    }

    /**
     * The VNI leaves EVPN (a reload removed it): forget its MACs and its duplicates. Its routes
     * were withdrawn and its imports taken back by the caller; other VNIs' freezes run on (an
     * entry of this VNI left in the freeze queue no longer matches and is skipped).
     */
    void forget(final LocalVni vni)
    {
        vni.macs.forEach((mac, state) ->
        {
            if (state.mobility.state().frozen() && duplicateList.remove(name(vni, state)))
            {
                duplicates = duplicates - 1;
            }
        });
        vni.macs.clear();
    }

    // ------------------------------------------------------------------------------------
    // Carrying out what mobility says.
    // ------------------------------------------------------------------------------------

    private MacState create(final LocalVni vni, final long mac)
    {
        final MacState state = new MacState(mac, new MacMobility(detection, localVtep));
        vni.macs.put(mac, state);
        return state;
    }

    private void localPresent(final LocalVni vni, final long mac, final boolean sticky)
    {
        MacState state = vni.macs.get(mac);
        if (state == null)
        {
            state = create(vni, mac);
        }
        // The FDB holds the local entry now: whatever EVPN entry we installed is gone.
        state.installed = null;
        state.installedPinned = false;
        state.synced = false;
        final MacMobility.State before = state.mobility.state();
        final boolean stickyBefore = state.mobility.sticky();
        final MacMobility.Move move = state.mobility.learnedLocally(sticky, MacState.advertisement(state.remoteBest()));
        if (before.local() && state.mobility.state() == before && stickyBefore == sticky && move == MacMobility.Move.NONE)
        {
            addPendingIps(vni, state, mac);
            // Moved between local ports: only the ESI of its routes may change (onto or off a segment, RFC 7432 §8.4);
            // an unchanged route is not sent again (LocalRoutes.export).
            advertise(vni, state);
            return;
        }
        apply(vni, state, before, move);
        addPendingIps(vni, state, mac);
    }

    private void localGone(final LocalVni vni, final long mac)
    {
        final MacState state = vni.macs.get(mac);
        if (state == null || !state.mobility.state().local())
        {
            return;
        }
        final MacMobility.State before = state.mobility.state();
        apply(vni, state, before, state.mobility.localGone(MacState.advertisement(state.remoteBest())));
    }

    /**
     * The FDB no longer holds the EVPN entry we installed (removed by someone else, or an event
     * older than our last install): forget it and decide again, which puts it back if it is still
     * the best place. Re-installing what is there already changes nothing, so stale events settle.
     */
    private void reinstallIfGone(final LocalVni vni, final long mac, final long entry)
    {
        final MacState state = vni.macs.get(mac);
        if (state == null || state.mobility.state().local())
        {
            return;
        }
        if (state.synced && !(FdbEntry.isSynced(entry) && FdbEntry.attachment(entry) == state.syncedAttachment))
        {
            state.synced = false; // the learned entry that replaced it went: put it back while the other gateway's route exists
            apply(vni, state, state.mobility.state(), MacMobility.Move.NONE);
            return;
        }
        if (state.installed == null)
        {
            return;
        }
        if (entry == FdbEntry.NONE || !FdbEntry.isRemote(entry) || FdbEntry.vtepIndex(entry) != state.installed.index())
        {
            state.installed = null;
            state.installedPinned = false;
            apply(vni, state, state.mobility.state(), MacMobility.Move.NONE);
        }
    }

    private void release(final LocalVni vni, final MacState state, final String why)
    {
        final MacMobility.State before = state.mobility.state();
        state.mobility.release();
        duplicates = duplicates - 1;
        duplicateList.remove(name(vni, state));
        LOG.log(System.Logger.Level.INFO, "VNI " + vni.vni + ": MAC " + MacAddress.format(state.mac) + " no longer frozen as a duplicate (" +
            why + ")");
        // Where it was, unpinned; a remote route that won meanwhile takes it at once (a move).
        apply(vni, state, before, state.mobility.remoteChanged(MacState.advertisement(state.remoteBest())));
    }

    /** Makes our routes and the FDB match the MAC's mobility state after an event. */
    private void apply(final LocalVni vni, final MacState state, final MacMobility.State before, final MacMobility.Move move)
    {
        if (move != MacMobility.Move.NONE)
        {
            moves = moves + 1;
        }
        if (move == MacMobility.Move.FROZE)
        {
            froze(vni, state);
        }
        final MacMobility.State after = state.mobility.state();
        if (before.local() && !after.local())
        {
            withdraw(vni, state);
        }
        final EvpnPath remoteBest = state.remoteBest();
        final EvpnPath syncBest = state.syncBest();
        if (after.local())
        {
            state.installed = null; // the FDB holds the local entry
            state.synced = false;
            advertise(vni, state);
        }
        else if (syncBest != null && (remoteBest == null || !movedAway(state, remoteBest, syncBest)))
        {
            sync(vni, state, syncBest);
        }
        else if (remoteBest != null)
        {
            install(vni, state, remoteBest);
        }
        else
        {
            if (state.installed != null || state.synced)
            {
                fdb.remove(vni.vni, state.mac, Origin.EVPN);
                state.installed = null;
                state.installedPinned = false;
                state.synced = false;
            }
            if (state.isUnused())
            {
                vni.macs.remove(state.mac);
            }
        }
    }

    private void froze(final LocalVni vni, final MacState state)
    {
        duplicates = duplicates + 1;
        duplicateList.add(name(vni, state));
        if (!detection.permanentFreeze())
        {
            frozen.add(new Frozen(vni, state, state.mobility.frozenAtNanos())); // a permanent one waits for clearDuplicate only
        }
        LOG.log(System.Logger.Level.WARNING, "VNI " + vni.vni + ": MAC " + MacAddress.format(state.mac) + " moved more than " +
            detection.maxMoves() + " times in " + detection.window().toSeconds() + " s: duplicate, frozen " +
            (state.mobility.state().local() ? "here" : "behind the remote VTEP") + " with sequence " + state.mobility.sequence() +
            (detection.permanentFreeze() ? " until cleared" : " for " + detection.freeze().toSeconds() + " s"));
    }

    /**
     * The VTEPs of a remote Ethernet segment changed (A-D per ES or per EVI came or went): every MAC of
     * the VNI whose best route names that ESI is installed again, at once (mass withdrawal, RFC 7432
     * §8.2; no per-MAC withdraw needed).
     */
    void segmentChanged(final LocalVni vni, final EthernetSegmentId esi)
    {
        for (final MacState state : vni.macs.values())
        {
            final EvpnPath best = state.installed == null ? null : state.remoteBest();
            if (best != null && best.route() instanceof MacIpAdvertisementRoute macIp && esi.equals(macIp.esi()))
            {
                install(vni, state, best);
            }
        }
    }

    /**
     * RFC 7432 §15.1 between the MAC on our segment (the other gateway's route) and a path of another
     * VTEP: the one every VTEP takes (sticky, then the higher sequence, then the lower address); a MAC
     * frozen behind the remote VTEP as a duplicate stays there.
     */
    private static boolean movedAway(final MacState state, final EvpnPath remote, final EvpnPath sync)
    {
        return state.mobility.state().frozen() ||
            MobilityOrder.compare(MacState.advertisement(remote), MacState.advertisement(sync)) < 0;
    }

    /**
     * MAC sync (RFC 7432 §8.4): the MAC is on our link to the segment; an EVPN entry on our attachment,
     * which never ages and which learning on the port replaces. While the segment is down, behind the
     * gateway that advertises it (its next hop), like any remote EVPN MAC.
     */
    private void sync(final LocalVni vni, final MacState state, final EvpnPath best)
    {
        final EthernetSegmentId esi = ((MacIpAdvertisementRoute)best.route()).esi();
        final OptionalInt attachment = aliasing.syncAttachment(esi, vni.vni);
        if (attachment.isEmpty())
        {
            install(vni, state, best);
            return;
        }
        if (state.synced && state.syncedAttachment == attachment.getAsInt())
        {
            return;
        }
        if (fdb.putEvpnLocal(vni.vni, state.mac, attachment.getAsInt()))
        {
            state.synced = true;
            state.syncedAttachment = attachment.getAsInt();
            state.installed = null;
            state.installedPinned = false;
            state.installedGroup = 0;
        }
    }

    private void install(final LocalVni vni, final MacState state, final EvpnPath best)
    {
        // Aliasing (RFC 7432 §8.4): a MAC on a remote segment is reached through every gateway of it that advertises
        // A-D (its alias group, per flow in the data path); backup (§14.1): the next hop itself if it still does.
        final EthernetSegmentId esi = best.route() instanceof MacIpAdvertisementRoute macIp ? macIp.esi() : EthernetSegmentId.ZERO;
        final InetAddress target = aliasing.target(esi, vni.vni, best.nextHop(), state.mac);
        final int group = aliasing.group(esi, vni.vni);
        final RemoteVtep vtep = fdb.remoteVteps().intern(VtepAddress.of(target));
        if (vtep == null)
        {
            vtepTableFull.log(System.Logger.Level.WARNING, "remote VTEP table full: " + best.nextHop() + " not installed");
            return;
        }
        // Sticky (RFC 7432 §15.2) or frozen as duplicate (§15.1): the MAC must not move here.
        final boolean pinned = best.sticky() || state.mobility.state().frozen();
        if (vtep != state.installed || pinned != state.installedPinned || group != state.installedGroup || state.synced)
        {
            state.installed = fdb.putEvpn(vni.vni, state.mac, vtep, pinned, group) ? vtep : null;
            state.synced = state.synced && state.installed == null;
            state.installedPinned = pinned && state.installed != null;
            state.installedGroup = state.installed == null ? 0 : group;
        }
    }

    private EvpnPath localPath(final LocalVni vni, final MacState state, final InetAddress ip)
    {
        // RFC 7432 §7.2, §8.4: a MAC learned on a segment port carries the segment's ESI, so remote VTEPs
        // reach it through every gateway on the segment (aliasing) and move it on mass withdrawal.
        final long entry = fdb.vni(vni.vni).lookup(state.mac);
        final EthernetSegmentId esi = FdbEntry.isLocal(entry) ? segmentOfAttachment.apply(FdbEntry.attachment(entry)) :
            EthernetSegmentId.ZERO;
        final MacIpAdvertisementRoute route = new MacIpAdvertisementRoute(vni.rd, esi, 0, new EvpnMac(state.mac), ip, vni.vni,
            OptionalInt.empty());
        return EvpnPath.local(route, localVtep, routerId, vni.exportRouteTargets, vni.vni, state.mobility.sequence(),
            state.mobility.sticky());
    }

    private void advertise(final LocalVni vni, final MacState state)
    {
        exports.export(localPath(vni, state, null));
        if (state.ips != null)
        {
            for (final InetAddress ip : state.ips)
            {
                exports.export(localPath(vni, state, ip));
            }
        }
    }

    private void withdraw(final LocalVni vni, final MacState state)
    {
        exports.withdraw(localPath(vni, state, null).route());
        if (state.ips != null)
        {
            for (final InetAddress ip : state.ips)
            {
                exports.withdraw(localPath(vni, state, ip).route());
            }
            state.ips = null; // the IPs were the host's; a new host behind the MAC re-announces them
        }
    }

    private static String name(final LocalVni vni, final MacState state)
    {
        return vni.vni + " " + MacAddress.format(state.mac);
    }
}
