package io.vtep.evpn.controlplane;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;

import org.agrona.concurrent.NanoClock;

import io.vtep.encap.VtepAddress;
import io.vtep.evpn.codec.attr.ExtendedCommunity;
import io.vtep.evpn.codec.nlri.EthernetAutoDiscoveryRoute;
import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.codec.nlri.EthernetSegmentRoute;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;
import io.vtep.evpn.multihoming.DesignatedForwarder;
import io.vtep.evpn.multihoming.DfAlgorithm;
import io.vtep.evpn.multihoming.EthernetSegmentSettings;
import io.vtep.evpn.multihoming.EthernetSegmentView;
import io.vtep.evpn.multihoming.SegmentAttachments;
import io.vtep.evpn.multihoming.SegmentListener;
import io.vtep.evpn.rib.EvpnPath;
import io.vtep.fdb.AliasGroups;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.RemoteVtep;

/**
 * The local Ethernet segments (EVPN multihoming, RFC 7432 §8, RFC 8365 §8), owned by the control
 * thread: while a segment's port is operationally up, its type-4 route (ES-Import RT, §7.6), its
 * A-D per ES route (ESI label, the route targets of every EVI on it; §8.2, RFC 8365 §8) and an A-D
 * per EVI route per VNI (§8.4) are advertised; when the port goes down they are withdrawn, which is
 * the remote VTEPs' signal to move every MAC of the segment to the other gateways at once (mass
 * withdrawal, §8.2). The other VTEPs on a segment come from their type-4 and type-1 routes; the DF
 * of each VNI is elected among them and us (§8.5, RFC 8584) once the DF election timer has run
 * after the port came up or a new VTEP appeared (so that one does not forward before the others
 * are heard). Each change goes to the {@link SegmentListener} (the data plane).
 *
 * <p>Remote segments (ESIs we do not have) are remembered with the VTEPs that advertise A-D per ES
 * and A-D per EVI for them: a MAC advertised with such an ESI is reachable through each of them
 * (aliasing and backup, RFC 7432 §8.4, §14.1). Each (ESI, VNI) has an alias group in the FDB's
 * {@link AliasGroups}, whose members are those VTEPs: the data path spreads flows over them; its
 * MACs' entries carry the group ({@link #group}) and name the route's next hop, or a survivor once
 * the next hop withdrew its A-D per ES ({@link #target}). A change of the VTEPs updates the group
 * (the data path follows at once) and re-installs the segment's MACs (mass withdrawal, §8.2)
 * through the listener set by {@link #onRemoteChange}.
 */
final class LocalSegments implements MacLocations.Aliasing
{
    private static final System.Logger LOG = System.getLogger(LocalSegments.class.getName());
    /** FRR's default DF preference, for a type-4 route that carries no DF Election community. */
    private static final int DEFAULT_PREFERENCE = 32767;

    private final LocalRoutes exports;
    private final InetAddress localVtep;
    private final Inet4Address routerId;
    private final NanoClock clock;
    private final Fdb fdb;
    /** Alias group numbers per remote ESI and VNI. */
    private final Map<EthernetSegmentId, Map<Integer, Integer>> groups = new HashMap<>();
    private int nextGroup = 1;
    private final IntFunction<LocalVni> vnis;
    /** RFC 7432 §8.2.1 leaves the per-ES routes' RD to the PE: ours is {@code router-id:0}, an index no VNI uses. */
    private final RouteDistinguisher rd;
    private final Map<EthernetSegmentId, Segment> byEsi = new LinkedHashMap<>();
    /** A port's segments: one for the whole port, or one per VLAN that has its own (all follow the port). */
    private final Map<String, List<Segment>> byPort = new HashMap<>();
    private final Map<Integer, EthernetSegmentId> byAttachment = new HashMap<>();
    /** Remote segments: ESI → VTEPs advertising A-D per ES for it. */
    private final Map<EthernetSegmentId, Set<InetAddress>> remote = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    /** Remote segments: ESI → VNI → VTEPs advertising A-D per EVI for it in that VNI. */
    private final Map<EthernetSegmentId, Map<Integer, Set<InetAddress>>> remotePerEvi = new HashMap<>();
    /** Told (control thread) when the VTEPs of a remote segment change: its MACs are installed again. */
    private java.util.function.Consumer<EthernetSegmentId> remoteChanged = ignored ->
    {};
    private volatile SegmentListener listener;
    /** The VNI of each data-plane attachment (MAC sync); null: a segment's only attachment. */
    private volatile SegmentAttachments attachments;
    /** Told (control thread) when a local segment goes up or down: its synced MACs are installed again. */
    private java.util.function.Consumer<EthernetSegmentId> localChanged = ignored ->
    {};
    /** The last views, for readers on other threads. */
    private volatile List<EthernetSegmentView> views = List.of();

    /** One local segment. */
    private static final class Segment
    {
        final EthernetSegmentSettings settings;
        boolean up;
        /** Type-4 originators on the segment but us → their DF preference. */
        final Map<InetAddress, Integer> esPeers = new HashMap<>();
        /** Type-4 originators → the DF algorithm their DF Election community names (modulo without one, RFC 8584 §2.2). */
        final Map<InetAddress, Integer> esPeerAlgorithms = new HashMap<>();
        /** The algorithm of the last election: ours, or modulo when the segment's VTEPs disagree. */
        DfAlgorithm algorithmInUse;
        /** Type-1 originators for our ESI → how many of their A-D routes we hold. */
        final Map<InetAddress, Integer> adPeers = new HashMap<>();
        /** DF per VNI, decided; empty while the election timer runs. */
        final Map<Integer, InetAddress> designated = new TreeMap<>();
        /** When the pending election runs (clock nanos), or 0 when none is pending. */
        long electAt;
        final List<EvpnPath> routes = new ArrayList<>();

        Segment(final EthernetSegmentSettings settings)
        {
            this.settings = settings;
            this.algorithmInUse = settings.algorithm();
        }
    }

    LocalSegments(final Collection<EthernetSegmentSettings> settings, final LocalRoutes exports, final InetAddress localVtep,
        final Inet4Address routerId, final Fdb fdb, final IntFunction<LocalVni> vnis)
    {
        this.fdb = fdb;
        final NanoClock clock = fdb.clock();
        this.exports = exports;
        this.localVtep = localVtep;
        this.routerId = routerId;
        this.clock = clock;
        this.vnis = vnis;
        this.rd = RouteDistinguisher.ofIpv4(routerId, 0);
        for (final EthernetSegmentSettings segment : settings)
        {
            final Segment state = new Segment(segment);
            byEsi.put(segment.esi(), state);
            byPort.computeIfAbsent(segment.port(), ignored -> new ArrayList<>()).add(state);
            segment.attachments().forEach(attachment -> byAttachment.put(attachment, segment.esi()));
        }
        views = snapshot(); // down until the port says otherwise

    }

    void listener(final SegmentListener listener)
    {
        this.listener = listener;
    }

    void onRemoteChange(final java.util.function.Consumer<EthernetSegmentId> changed)
    {
        this.remoteChanged = changed;
    }

    void attachments(final SegmentAttachments attachments)
    {
        this.attachments = attachments;
    }

    void onLocalChange(final java.util.function.Consumer<EthernetSegmentId> changed)
    {
        this.localChanged = changed;
    }

    /**
     * MAC sync (RFC 7432 §8.4): our attachment to the local segment {@code esi} in {@code vni}, where a MAC
     * that another gateway of the segment advertises is installed; empty while the segment is down (the MAC
     * is then reached through that gateway) or when we do not carry the VNI there.
     */
    @Override
    public OptionalInt syncAttachment(final EthernetSegmentId esi, final int vni)
    {
        final Segment segment = byEsi.get(esi);
        if (segment == null || !segment.up || !segment.settings.vnis().contains(vni))
        {
            return OptionalInt.empty();
        }
        final SegmentAttachments resolver = attachments;
        if (resolver == null)
        {
            return segment.settings.attachments().size() == 1 ? OptionalInt.of(segment.settings.attachments().iterator().next()) :
                OptionalInt.empty();
        }
        // The segment's own attachments only: a port's VLANs may be segments of their own, in the same VNI.
        return segment.settings.attachments().stream().sorted().filter(attachment -> resolver.vniOf(attachment).equals(OptionalInt.of(vni)))
            .mapToInt(Integer::intValue).findFirst();
    }

    /**
     * Backup (RFC 7432 §14.1): the VTEP a MAC advertised with {@code esi} is installed at: the
     * route's next hop while it is one of the segment's {@link #candidates}, else one of those by a
     * hash of the MAC (its A-D per ES was withdrawn: §8.2, none of the segment's MACs is reached
     * through it any more), else the next hop (no A-D known: no aliasing).
     */
    @Override
    public InetAddress target(final EthernetSegmentId esi, final int vni, final InetAddress nextHop, final long mac)
    {
        final List<InetAddress> candidates = candidates(esi, vni);
        if (candidates.isEmpty() || candidates.contains(nextHop))
        {
            return nextHop;
        }
        final long mixed = mac * 0x9E37_79B9_7F4A_7C15L; // Fibonacci hashing: neighbouring MACs land apart
        return candidates.get((int)Long.remainderUnsigned(mixed >>> 32, candidates.size()));
    }

    /**
     * Aliasing (RFC 7432 §8.4): the alias group of a remote segment in a VNI, its members set to the
     * segment's candidates; 0 for ESI 0, our own segments, or when the 65,535 groups are used up.
     */
    @Override
    public int group(final EthernetSegmentId esi, final int vni)
    {
        if (esi.isReserved() || isLocal(esi))
        {
            return 0;
        }
        final Map<Integer, Integer> byVni = groups.computeIfAbsent(esi, ignored -> new HashMap<>());
        Integer group = byVni.get(vni);
        if (group == null)
        {
            if (nextGroup > AliasGroups.MAX_GROUPS)
            {
                return 0;
            }
            group = nextGroup++;
            byVni.put(vni, group);
            fdb.aliasGroups().set(group, members(esi, vni));
        }
        return group;
    }

    /** The VTEPs with A-D per ES (§8.2) and A-D per EVI in the VNI for {@code esi}, in address order. */
    private List<InetAddress> candidates(final EthernetSegmentId esi, final int vni)
    {
        if (esi.isReserved() || isLocal(esi))
        {
            return List.of();
        }
        final Set<InetAddress> perEs = remote.get(esi);
        if (perEs == null || perEs.isEmpty())
        {
            return List.of();
        }
        final Set<InetAddress> perEvi = remotePerEvi.getOrDefault(esi, Map.of()).get(vni);
        final List<InetAddress> candidates = new ArrayList<>();
        for (final InetAddress vtep : perEs)
        {
            if (perEvi == null || perEvi.contains(vtep))
            {
                candidates.add(vtep);
            }
        }
        candidates.sort(DesignatedForwarder.ADDRESS_ORDER);
        return candidates;
    }

    private RemoteVtep[] members(final EthernetSegmentId esi, final int vni)
    {
        final List<RemoteVtep> members = new ArrayList<>();
        for (final InetAddress vtep : candidates(esi, vni))
        {
            final RemoteVtep interned = fdb.remoteVteps().intern(VtepAddress.of(vtep));
            if (interned != null)
            {
                members.add(interned);
            }
        }
        return members.toArray(RemoteVtep[]::new);
    }

    /** @return the ESI of an FDB attachment's segment, or {@link EthernetSegmentId#ZERO} (single-homed; any thread: fixed at start). */
    EthernetSegmentId esiOfAttachment(final int attachment)
    {
        return byAttachment.getOrDefault(attachment, EthernetSegmentId.ZERO);
    }

    /** @return whether {@code esi} is one of our segments. */
    boolean isLocal(final EthernetSegmentId esi)
    {
        return !esi.isZero() && byEsi.containsKey(esi);
    }

    /** @return whether the ES-Import route target value belongs to one of our segments (RFC 7432 §7.6 import). */
    boolean importsEsImport(final long esImport)
    {
        for (final EthernetSegmentId esi : byEsi.keySet())
        {
            if (esi.esImportValue() == esImport)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The one entry point for a segment port's operational state: the port follower calls it on link
     * changes (or LACP, with distributing = up). Up advertises the segment's routes and starts
     * the DF election timer; down withdraws them (mass withdrawal, RFC 7432 §8.2) and we are DF of nothing.
     * A port with a segment per VLAN takes all of them up or down: they share its link.
     *
     * @return whether {@code port} is a segment port.
     */
    boolean linkChanged(final String port, final boolean up)
    {
        final List<Segment> segments = byPort.get(port);
        if (segments == null)
        {
            return false;
        }
        boolean changed = false;
        for (final Segment segment : segments)
        {
            changed |= segmentLinkChanged(segment, up);
        }
        if (changed)
        {
            publish();
        }
        return true;
    }

    /** One segment of a port that went up or down (a port's VLAN segments all share its link). @return whether it changed. */
    private boolean segmentLinkChanged(final Segment segment, final boolean up)
    {
        if (segment.up == up)
        {
            return false;
        }
        segment.up = up;
        LOG.log(System.Logger.Level.INFO, "ethernet segment " + segment.settings.esi() + " on " + segment.settings.port() +
            (segment.settings.vlan() == null ? "" : " VLAN " + segment.settings.vlan()) + (up ? " up: advertised" :
                " down: withdrawn (mass withdrawal)"));
        if (up)
        {
            advertise(segment);
            schedule(segment);
        }
        else
        {
            segment.routes.forEach(path -> exports.withdraw(path.route()));
            segment.routes.clear();
            segment.designated.clear();
            segment.electAt = 0;
        }
        localChanged.accept(segment.settings.esi()); // the synced MACs follow: our link, or the other gateway
        return true;
    }

    /** A type-1 or type-4 best path came ({@code add}) or went. */
    void remoteRoute(final EvpnPath path, final boolean add)
    {
        if (path.route() instanceof EthernetSegmentRoute es)
        {
            final Segment segment = byEsi.get(es.esi());
            if (segment == null)
            {
                return;
            }
            final InetAddress vtep = es.originatingRouter();
            if (add)
            {
                final ExtendedCommunity.DfElection election = path.dfElection();
                final int preference = election != null && election.algorithm() == DfAlgorithm.PREFERENCE.code() ? election.preference() :
                    DEFAULT_PREFERENCE;
                segment.esPeerAlgorithms.put(vtep, election == null ? DfAlgorithm.MODULO.code() : election.algorithm());
                final boolean appeared = segment.esPeers.put(vtep, preference) == null;
                if (appeared && segment.up)
                {
                    schedule(segment); // RFC 7432 §8.5: a new PE on the segment: wait the timer, then elect again
                }
                else if (segment.up && segment.electAt == 0)
                {
                    elect(segment);
                }
            }
            else if (segment.esPeers.remove(vtep) != null && segment.esPeerAlgorithms.remove(vtep) != null && segment.up &&
                segment.electAt == 0)
            {
                elect(segment); // a PE left: the survivors take over at once
            }
            publish();
        }
        else if (path.route() instanceof EthernetAutoDiscoveryRoute ad)
        {
            final Segment segment = byEsi.get(ad.esi());
            final InetAddress vtep = path.nextHop();
            if (segment != null)
            {
                final int count = segment.adPeers.getOrDefault(vtep, 0) + (add ? 1 : -1);
                if (count <= 0)
                {
                    segment.adPeers.remove(vtep);
                }
                else
                {
                    segment.adPeers.put(vtep, count);
                }
                publish();
            }
            else if (!ad.esi().isReserved())
            {
                final Set<InetAddress> vteps = ad.ethernetTag() == EvpnPath.MAX_ET ?
                    remote.computeIfAbsent(ad.esi(), ignored -> new LinkedHashSet<>()) :
                    remotePerEvi.computeIfAbsent(ad.esi(), ignored -> new HashMap<>()).computeIfAbsent(path.vni(),
                        ignored -> new LinkedHashSet<>());
                final boolean changed = add ? vteps.add(vtep) : vteps.remove(vtep);
                if (vteps.isEmpty())
                {
                    remote.remove(ad.esi(), vteps);
                    remotePerEvi.getOrDefault(ad.esi(), new HashMap<>()).remove(path.vni(), vteps);
                }
                if (changed)
                {
                    // The data path first (the group's members), then every MAC of the segment (mass withdrawal, §8.2).
                    groups.getOrDefault(ad.esi(), Map.of()).forEach((vni, group) -> fdb.aliasGroups().set(group, members(ad.esi(), vni)));
                    remoteChanged.accept(ad.esi());
                }
            }
        }
    }

    /** A type-4 best path replaced by another of the same key: the VTEP's DF parameters changed; elect again at once. */
    void remoteRouteReplaced(final EvpnPath path)
    {
        final EthernetSegmentRoute es = (EthernetSegmentRoute)path.route();
        final Segment segment = byEsi.get(es.esi());
        if (segment == null)
        {
            return;
        }
        final ExtendedCommunity.DfElection election = path.dfElection();
        segment.esPeerAlgorithms.put(es.originatingRouter(), election == null ? DfAlgorithm.MODULO.code() : election.algorithm());
        segment.esPeers.put(es.originatingRouter(),
            election != null && election.algorithm() == DfAlgorithm.PREFERENCE.code() ? election.preference() : DEFAULT_PREFERENCE);
        if (segment.up && segment.electAt == 0)
        {
            elect(segment);
        }
        publish();
    }

    /** Runs the elections whose timer ran out. @return how many ran. */
    int electExpired()
    {
        int ran = 0;
        final long now = clock.nanoTime();
        for (final Segment segment : byEsi.values())
        {
            if (segment.electAt != 0 && now - segment.electAt >= 0)
            {
                elect(segment);
                ran++;
            }
        }
        if (ran > 0)
        {
            publish();
        }
        return ran;
    }

    /** @return the local segments' state now (any thread). */
    List<EthernetSegmentView> views()
    {
        return views;
    }

    /** @return remote ESIs and the VTEPs advertising A-D per ES for each (control thread). */
    Map<EthernetSegmentId, List<InetAddress>> remoteSegments()
    {
        final Map<EthernetSegmentId, List<InetAddress>> copy = new LinkedHashMap<>();
        remote.forEach((esi, vteps) -> copy.put(esi, List.copyOf(vteps)));
        return copy;
    }

    private void schedule(final Segment segment)
    {
        segment.designated.clear(); // RFC 7432 §8.5: no DF (no BUM onto the segment) until the election
        segment.electAt = clock.nanoTime() + Math.max(1, segment.settings.electionTime().toNanos());
    }

    private void elect(final Segment segment)
    {
        segment.electAt = 0;
        final List<DesignatedForwarder.Candidate> candidates = new ArrayList<>();
        candidates.add(new DesignatedForwarder.Candidate(localVtep, segment.settings.preference()));
        segment.esPeers.forEach((vtep, preference) -> candidates.add(new DesignatedForwarder.Candidate(vtep, preference)));
        // RFC 8584 §2.2: when the VTEPs of a segment do not all advertise the same algorithm, they all fall back to modulo.
        final boolean agreed = segment.esPeerAlgorithms.values().stream().allMatch(code -> code == segment.settings.algorithm().code());
        segment.algorithmInUse = agreed ? segment.settings.algorithm() : DfAlgorithm.MODULO;
        for (final int vni : segment.settings.vnis())
        {
            segment.designated.put(vni, DesignatedForwarder.elect(segment.algorithmInUse, candidates, vni));
        }
    }

    private void advertise(final Segment segment)
    {
        final EthernetSegmentSettings settings = segment.settings;
        final EthernetSegmentId esi = settings.esi();
        final List<ExtendedCommunity> esCommunities = new ArrayList<>();
        esCommunities.add(new ExtendedCommunity.EsImportRouteTarget(esi.esImportValue()));
        esCommunities.add(new ExtendedCommunity.DfElection(settings.algorithm().code(), 0,
            settings.algorithm() == DfAlgorithm.PREFERENCE ? settings.preference() : 0));
        segment.routes.add(EvpnPath.localSegment(new EthernetSegmentRoute(rd, esi, localVtep), localVtep, routerId, List.of(), -1,
            esCommunities));
        final List<ExtendedCommunity.RouteTarget> allTargets = new ArrayList<>();
        for (final int vniNumber : settings.vnis())
        {
            final LocalVni vni = vnis.apply(vniNumber);
            if (vni == null)
            {
                continue; // a VNI outside EVPN has no EVI to advertise
            }
            vni.exportRouteTargets.stream().filter(target -> !allTargets.contains(target)).forEach(allTargets::add);
            // RFC 7432 §8.4 / RFC 8365 §8: A-D per EVI, Ethernet tag 0 (VLAN-based), label = VNI, the EVI's RD and RTs.
            segment.routes.add(EvpnPath.localSegment(new EthernetAutoDiscoveryRoute(vni.rd, esi, 0, vni.vni), localVtep, routerId,
                vni.exportRouteTargets, vni.vni, List.of()));
        }
        // RFC 7432 §8.2: A-D per ES, MAX-ET, label 0; the ESI label community (RFC 8365 §8.3.1: with VXLAN its label is
        // not used, local bias does the split horizon) carries the single-active flag; RTs of every EVI on the segment.
        segment.routes.add(EvpnPath.localSegment(new EthernetAutoDiscoveryRoute(rd, esi, EvpnPath.MAX_ET, 0), localVtep, routerId,
            allTargets, -1, List.of(new ExtendedCommunity.EsiLabel(settings.singleActive() ? ExtendedCommunity.EsiLabel.FLAG_SINGLE_ACTIVE : 0,
                0))));
        segment.routes.forEach(exports::export);
    }

    private void publish()
    {
        final List<EthernetSegmentView> next = snapshot();
        views = next;
        final SegmentListener told = listener;
        if (told != null)
        {
            next.forEach(told::segmentChanged);
        }
    }

    private List<EthernetSegmentView> snapshot()
    {
        final List<EthernetSegmentView> next = new ArrayList<>(byEsi.size());
        for (final Segment segment : byEsi.values())
        {
            final Set<InetAddress> peers = new LinkedHashSet<>(segment.esPeers.keySet());
            peers.addAll(segment.adPeers.keySet());
            peers.remove(localVtep);
            next.add(new EthernetSegmentView(segment.settings.port(), segment.settings.esi(), segment.up, segment.algorithmInUse,
                segment.settings.vnis(), new ArrayList<>(peers), segment.designated, localVtep, segment.settings.vlan()));
        }
        return List.copyOf(next);
    }
}
