package io.vtep.evpn.controlplane;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.SleepingIdleStrategy;

import io.vtep.evpn.codec.RouteRefreshMessage;
import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.mobility.DuplicateDetection;
import io.vtep.evpn.multihoming.EthernetSegmentView;
import io.vtep.evpn.multihoming.SegmentAttachments;
import io.vtep.evpn.multihoming.SegmentListener;
import io.vtep.evpn.rib.EvpnPath;
import io.vtep.evpn.session.BgpPeer;
import io.vtep.evpn.session.PeerEvents;
import io.vtep.evpn.session.RouteRefreshListener;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.Origin;

/**
 * The EVPN control plane of the VTEP, and its entry point: the RIB (Adj-RIB-In, Loc-RIB, Adj-RIB-Out
 * per neighbor, RFC 4271 §3.2), import of type-2 and type-3 routes into the FDB and flood lists (RFC
 * 7432 §9–§11, RFC 8365 §5), export of local MACs and flood membership, and MAC mobility with
 * duplicate detection (RFC 7432 §15). This class wires the parts, one job each, and is the only one
 * other threads call:
 *
 * <ul>
 *   <li>{@link ImportPolicy}: which received routes are imported, into which VNIs;</li>
 *   <li>{@link RouteImport}: UPDATEs into the RIBs, best-path changes handed on by route type;</li>
 *   <li>{@link MacLocations}: where each MAC is ({@link io.vtep.evpn.mobility.MacMobility}), carried out in the
 *       FDB and in our routes; duplicates;</li>
 *   <li>{@link FloodMembership}: type-3 routes into the flood lists;</li>
 *   <li>{@link LocalRoutes}: export, what we originate and its sending, packed;</li>
 *   <li>{@link CommandQueue} and {@link FdbEventQueue}: the way in from other threads;</li>
 *   <li>{@link ControlAgent}: the control thread's duty cycle, on an Agrona {@code AgentRunner};</li>
 *   <li>{@link RouteViews}: the read-only view of the RIB.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Everything is owned by one control thread of its own ({@code evpn-control}). {@link PeerEvents}
 * and {@link RouteRefreshListener} calls (the session layer's event loop), {@link #neighborLearned}
 * and {@link #clearDuplicate} only enqueue a command; the FDB listener ({@link FdbEventQueue})
 * copies each change into a ring buffer without allocating or blocking, since it runs under the
 * FDB write lock. The read-only views are volatile counters or a snapshot taken on the control
 * thread.
 *
 * <h2>A VTEP is an edge</h2>
 * Received routes are never advertised again; the Adj-RIB-Out of every neighbor holds only our own
 * routes.
 */
public final class EvpnControlPlane implements PeerEvents, RouteRefreshListener, AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(EvpnControlPlane.class.getName());
    /** Local-entry changes queued for the control thread at most (a 2 MiB ring: 40 bytes each with the header). */
    private static final int FDB_QUEUE_CHANGES = 50_000;
    private static final long IDLE_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * ARP/ND offers queued for the control thread at most: the snooping hand-off stops growing here
     * (the caller leaves the rest in its own bounded queue, see {@link #acceptsNeighbors}).
     */
    public static final int MAX_NEIGHBOR_BACKLOG = 4096;

    private final EvpnSettings settings;
    private final Fdb fdb;
    private final InetAddress localVtep;
    private final Map<Integer, LocalVni> vnis = new LinkedHashMap<>();
    private final FdbEventQueue fdbEvents = new FdbEventQueue(FDB_QUEUE_CHANGES);
    private final CommandQueue commands = new CommandQueue();
    private final LocalRoutes exports;
    private final FloodMembership flooding;
    private final MacLocations macs;
    private final LocalSegments segments;
    private final ImportPolicy policy;
    private final RouteImport imports;
    private final RouteViews views;
    private final LiveVnis liveVnis;
    private final AtomicInteger neighborBacklog = new AtomicInteger();
    private final AtomicLong neighborsDropped = new AtomicLong();
    private volatile boolean running;
    private volatile String failure;
    private AgentRunner runner;

    /**
     * @param settings AS, router id, local VTEP, VNIs, duplicate detection.
     * @param fdb      the FDB to import into and export from; every VNI of the settings must exist in it.
     */
    public EvpnControlPlane(final EvpnSettings settings, final Fdb fdb)
    {
        this.settings = settings;
        this.fdb = fdb;
        this.localVtep = settings.localVtep().toInetAddress();
        int index = 1;
        for (final EvpnVniSettings vni : settings.vnis())
        {
            if (fdb.vni(vni.vni()) == null)
            {
                throw new IllegalArgumentException("VNI " + vni.vni() + " is not in the FDB");
            }
            final LocalVni local = new LocalVni(vni, index++, settings.localAs(), settings.routerId());
            for (final LocalVni other : vnis.values())
            {
                if (other.rd.equals(local.rd))
                {
                    // Same RD, same type-3 key (RFC 7432 §7.3): one VNI's route would replace the other's.
                    throw new IllegalArgumentException("VNIs " + other.vni + " and " + local.vni + " have the same route distinguisher " +
                        local.rd + "; each VNI needs its own");
                }
            }
            vnis.put(vni.vni(), local);
        }
        final DuplicateDetection detection = new DuplicateDetection(settings.duplicateMaxMoves(), settings.duplicateWindow(),
            settings.duplicateFreeze(), fdb.clock());
        this.exports = new LocalRoutes(settings.localAs());
        this.flooding = new FloodMembership(fdb);
        this.segments = new LocalSegments(settings.segments(), exports, localVtep, settings.routerId(), fdb, vnis::get);
        this.macs = new MacLocations(fdb, exports, detection, localVtep, settings.routerId(), segments::esiOfAttachment);
        this.macs.aliasing = segments;
        segments.onRemoteChange(esi -> vnis.values().forEach(vni -> macs.segmentChanged(vni, esi)));
        segments.onLocalChange(esi -> vnis.values().forEach(vni -> macs.syncedSegmentChanged(vni, esi)));
        this.policy = new ImportPolicy(settings.localAs(), WireFormat.toInt(settings.routerId()) & 0xFFFF_FFFFL, localVtep, vnis.values(),
            segments);
        this.imports = new RouteImport(policy, macs, flooding, segments);
        this.views = new RouteViews(exports, imports, policy);
        this.liveVnis = new LiveVnis(settings, fdb, vnis, policy, imports, macs, flooding, exports);
    }

    /**
     * Hands the received MAC+IP routes (best paths) to {@code listener}, for ARP/ND suppression
     * (RFC 7432 §10). Call before {@link #start}.
     *
     * @param listener told on the control thread; null for none.
     */
    public void macIpListener(final MacIpListener listener)
    {
        imports.macIpListener(listener);
    }

    /**
     * Hands every change of a local Ethernet segment (DF per VNI, VTEPs on the segment) to
     * {@code listener}, for the data plane. Call before {@link #start}.
     *
     * @param listener told on the control thread.
     */
    public void segmentListener(final SegmentListener listener)
    {
        segments.listener(listener);
    }

    /**
     * Tells the control plane the VNI of each data-plane attachment, so that a MAC of a segment that
     * another gateway advertises in a VNI is installed on the segment's attachment in that VNI (MAC
     * sync, RFC 7432 §8.4). Without it a segment's only attachment is used. Call before {@link #start}.
     *
     * @param attachments asked on the control thread.
     */
    public void segmentAttachments(final SegmentAttachments attachments)
    {
        segments.attachments(attachments);
    }

    /**
     * A segment port's operational state changed: THE entry point for it (the port follower calls it
     * on link changes; LACP, distributing or not, will too). Up advertises the segment's type-4 and
     * type-1 routes and runs the DF election after its timer; down withdraws them, which makes remote
     * VTEPs move every MAC of the segment to the other gateways at once (mass withdrawal, RFC 7432
     * §8.2). Ports that are no segment's are ignored. Returns at once; applied on the control thread.
     *
     * @param port the access port's name.
     * @param up   operationally up (link up; with LACP, distributing).
     */
    public void segmentPortState(final String port, final boolean up)
    {
        commands.offer(() -> segments.linkChanged(port, up));
    }

    /** @return the local Ethernet segments' state (any thread; as of the control thread's last change). */
    public List<EthernetSegmentView> segments()
    {
        return segments.views();
    }

    /** @return remote ESIs and the VTEPs that advertise A-D per ES for each (a snapshot taken on the control thread). */
    public Map<EthernetSegmentId, List<InetAddress>> remoteSegments()
    {
        return commands.call(segments::remoteSegments, !running);
    }

    /** Registers the FDB listener, originates one type-3 route per VNI and starts the control thread. */
    public void start()
    {
        if (running)
        {
            return;
        }
        running = true;
        fdb.addListener(fdbEvents);
        commands.offer(() ->
        {
            vnis.values().forEach(liveVnis::originate);
            macs.resync(vnis.values());
        });
        final ControlAgent agent = new ControlAgent(fdbEvents, commands, imports, macs, segments, exports, vnis.values(), vnis::get,
            this::failed);
        runner = new AgentRunner(new SleepingIdleStrategy(IDLE_SLEEP_NANOS), this::agentError, null, agent);
        AgentRunner.startOnThread(runner, work ->
        {
            final Thread thread = Thread.ofPlatform().name("evpn-control").daemon(true).unstarted(work);
            commands.consumer(thread);
            fdbEvents.consumer(thread);
            return thread;
        });
    }

    /**
     * An IP seen in ARP/ND from a local MAC: advertise a MAC+IP route too (RFC 7432 §7.2, §10).
     * Ignored unless the MAC is local in that VNI.
     *
     * @param vni the VNI.
     * @param mac the MAC, low 48 bits.
     * @param ip  its IP.
     */
    public void neighborLearned(final int vni, final long mac, final InetAddress ip)
    {
        if (neighborBacklog.get() >= MAX_NEIGHBOR_BACKLOG)
        {
            neighborsDropped.incrementAndGet(); // the host's next ARP or NA offers it again
            return;
        }
        neighborBacklog.incrementAndGet();
        final boolean queued = commands.offer(() ->
        {
            neighborBacklog.decrementAndGet();
            final LocalVni localVni = vnis.get(vni);
            if (localVni != null)
            {
                macs.neighbor(localVni, mac, ip);
            }
        });
        if (!queued)
        {
            neighborBacklog.decrementAndGet();
        }
    }

    /**
     * Unfreezes one MAC frozen as a duplicate (as FRR's {@code clear evpn dup-addr vni N mac M}):
     * it stays where it is, no longer pinned, its move history forgotten. Runs on the control
     * thread; waits for it.
     *
     * @param vni the VNI.
     * @param mac the MAC, low 48 bits.
     * @return whether that MAC was frozen as a duplicate in that VNI.
     */
    public boolean clearDuplicate(final int vni, final long mac)
    {
        if (failure != null)
        {
            return false;
        }
        // Looked up on the control thread: a reload may add or remove VNIs (addVni, removeVni).
        return commands.call(() -> vnis.containsKey(vni) && macs.clearDuplicate(vnis.get(vni), mac), !running);
    }

    /**
     * A VNI joins EVPN while the control plane runs (a reload added it; {@link LiveVnis}): its
     * type-3 route and its local MACs' type-2 routes are advertised, and what its route targets
     * select is imported. Runs on the control thread; waits for it. The VNI must be in the FDB.
     *
     * @param vni its settings.
     * @return false when it takes part already.
     * @throws IllegalArgumentException when it is not in the FDB or its RD is another VNI's.
     */
    public boolean addVni(final EvpnVniSettings vni)
    {
        return commands.call(() -> liveVnis.add(vni), !running);
    }

    /**
     * A VNI leaves EVPN (a reload removed it): its routes are withdrawn and what it imported is
     * taken out of the FDB. Runs on the control thread; waits for it.
     *
     * @param vni the VNI.
     * @return false when it did not take part.
     */
    public boolean removeVni(final int vni)
    {
        return commands.call(() -> liveVnis.remove(vni), !running);
    }

    /**
     * A VNI's RD or route targets changed (a reload): imports are decided again and our routes
     * advertised with the new export route targets (or, for a new RD, withdrawn and advertised
     * anew). Runs on the control thread; waits for it.
     *
     * @param vni its new settings.
     * @return false when it does not take part.
     * @throws IllegalArgumentException when the new RD is another VNI's.
     */
    public boolean changeVni(final EvpnVniSettings vni)
    {
        return commands.call(() -> liveVnis.change(vni), !running);
    }

    @Override
    public void established(final BgpPeer peer)
    {
        commands.offer(() ->
        {
            final PeerRib rib = imports.rib(peer);
            imports.syncDown(peer, rib);
            rib.out.clear();
            rib.sessionReset();
            rib.synced = true;
            exports.sendAll(peer, rib, new ArrayList<>(exports.all()));
        });
    }

    /**
     * Queues the UPDATE for the control thread. The session hands over a bounded number at a time
     * and reads nothing more from the peer until {@link BgpPeer#updateConsumed} says this thread
     * caught up, so what waits here per neighbor is bounded (docs/architecture.md §3.2).
     */
    @Override
    public void update(final BgpPeer peer, final UpdateMessage update)
    {
        if (failure != null || !commands.offer(new UpdateCommand(peer, update)))
        {
            peer.updateConsumed(); // the control thread stopped: nothing is imported any more
        }
    }

    @Override
    public void down(final BgpPeer peer, final String reason)
    {
        commands.offer(() ->
        {
            final PeerRib rib = imports.rib(peer);
            imports.sessionGone(rib);
            rib.downsApplied = peer.sessionsEnded();
        });
    }

    @Override
    public void routeRefresh(final BgpPeer peer, final RouteRefreshMessage request)
    {
        // RFC 2918 §4: send the Adj-RIB-Out again; RFC 7313 End-of-RIB after it.
        commands.offer(() ->
        {
            final PeerRib rib = imports.rib(peer);
            if (rib.synced)
            {
                exports.sendAll(peer, rib, rib.out.all());
            }
        });
    }

    @Override
    public void close()
    {
        if (!running)
        {
            return;
        }
        running = false;
        fdb.removeListener(fdbEvents);
        commands.wake();
        runner.close();
    }

    // ------------------------------------------------------------------------------------
    // Read-only views, safe from any thread.
    // ------------------------------------------------------------------------------------

    /**
     * @param peer a neighbor.
     * @return routes in its Adj-RIB-In.
     */
    public long prefixesReceived(final BgpPeer peer)
    {
        final PeerRib rib = imports.peers().get(peer);
        return rib == null ? 0 : rib.in.received();
    }

    /**
     * @param peer a neighbor.
     * @return routes of its Adj-RIB-In that were imported (route target matched, no loop).
     */
    public long prefixesAccepted(final BgpPeer peer)
    {
        final PeerRib rib = imports.peers().get(peer);
        return rib == null ? 0 : rib.in.accepted();
    }

    /**
     * @param peer a neighbor.
     * @return routes in its Adj-RIB-Out.
     */
    public long prefixesSent(final BgpPeer peer)
    {
        final PeerRib rib = imports.peers().get(peer);
        return rib == null ? 0 : rib.out.size();
    }

    /** @return every type-2 and type-3 path, received and local (a snapshot taken on the control thread). */
    public List<EvpnRouteView> routes()
    {
        return commands.call(views::snapshot, !running);
    }

    /**
     * @return routes held: our own plus every neighbor's Adj-RIB-In; cheap, for summaries (unlike
     * {@link #routes()}, which takes a snapshot on the control thread).
     */
    public long routeCount()
    {
        long count = exports.count();
        for (final PeerRib rib : imports.peers().values())
        {
            count += rib.in.received();
        }
        return count;
    }

    /** @return whether {@link #neighborLearned} takes more now (its backlog is below {@link #MAX_NEIGHBOR_BACKLOG}). */
    public boolean acceptsNeighbors()
    {
        return neighborBacklog.get() < MAX_NEIGHBOR_BACKLOG && failure == null;
    }

    /** @return ARP/ND offers dropped because the control thread was {@link #MAX_NEIGHBOR_BACKLOG} behind. */
    public long neighborsDropped()
    {
        return neighborsDropped.get();
    }

    /** @return why the control thread stopped, or null while it runs normally. */
    public String failure()
    {
        return failure;
    }

    /** @return MAC moves seen (RFC 7432 §15), the ones that made a MAC a duplicate included. */
    public long macMoves()
    {
        return macs.moves();
    }

    /** @return MACs frozen as duplicates now (released ones no longer count). */
    public long duplicateMacs()
    {
        return macs.duplicates();
    }

    /** @return the MACs frozen as duplicates now, as {@code "VNI MAC"}. */
    public List<String> duplicateMacList()
    {
        return macs.duplicateList();
    }

    /**
     * Runs {@code probe} on the control thread with its other work: a liveness probe (it stops
     * being run when the thread is stuck or has stopped). Must be short and must not throw.
     */
    public void probe(final Runnable probe)
    {
        commands.offer(probe);
    }

    /**
     * Waits until the control thread has nothing left to do (every event queued before the call is
     * applied and its UPDATEs sent). For tests and benchmarks.
     *
     * @param timeoutMillis how long to wait.
     */
    public void awaitIdle(final long timeoutMillis)
    {
        commands.awaitIdle(timeoutMillis);
    }

    // ------------------------------------------------------------------------------------
    // Failure of the control thread.
    // ------------------------------------------------------------------------------------

    /** The control thread hit an {@link Error}: the RIB may be half-updated; say so where operators look and give up. */
    private void failed(final Error error)
    {
        failure = "EVPN control thread stopped: " + error;
        running = false;
        commands.close();
        abandonImports();
        LOG.log(System.Logger.Level.ERROR, failure, error);
    }

    private void agentError(final Throwable error)
    {
        if (!(error instanceof AgentTerminationException))
        {
            LOG.log(System.Logger.Level.ERROR, "EVPN control thread", error); // already logged by failed()
        }
    }

    /**
     * After an {@link Error} (an OutOfMemoryError under a flood of routes, issue 15 failure 3) the
     * control thread can no longer follow withdrawals or sessions going down, and what it installed
     * would stay for good: 681,574 EVPN entries outlived their session there. So it gives up all of
     * it: first the RIBs and the queued work (which frees the memory), then every EVPN entry and
     * EVPN-added flood list member in the FDB. The VNIs fall back to flooding to their configured
     * lists until vtep is restarted; /readyz reports {@link #failure()} meanwhile. Queued UPDATEs
     * are released to their sessions, and later ones are dropped on arrival, so nothing grows.
     */
    private void abandonImports()
    {
        try
        {
            fdb.removeListener(fdbEvents);
            for (Runnable command; (command = commands.poll()) != null;)
            {
                if (command instanceof UpdateCommand update)
                {
                    update.peer.updateConsumed();
                }
            }
            imports.abandon();
            for (final LocalVni vni : vnis.values())
            {
                macs.abandon(vni);
                flooding.abandon(vni);
            }
            removeEvpnEntries();
        }
        catch (final Throwable again)
        {
            LOG.log(System.Logger.Level.ERROR, "EVPN control thread: cannot remove the EVPN entries after " + failure, again);
        }
    }

    /** Removes every FDB entry of origin EVPN in our VNIs; passes again while a pass found some (removal may move entries). */
    private void removeEvpnEntries()
    {
        final long[] removed = new long[1];
        do
        {
            removed[0] = 0;
            fdb.forEach((vni, mac, entry, age) ->
            {
                if (FdbEntry.origin(entry) == Origin.EVPN && vnis.containsKey(vni) && fdb.remove(vni, mac, Origin.EVPN))
                {
                    removed[0]++;
                }
            });
        }
        while (removed[0] > 0);
    }

    /** One UPDATE for the control thread; its own type so that {@link #abandonImports} can release it to its session. */
    private final class UpdateCommand implements Runnable
    {
        private final BgpPeer peer;
        private final UpdateMessage update;
        /** The session it came on: {@link BgpPeer#sessionsEnded} when it was handed over. */
        private final long session;

        UpdateCommand(final BgpPeer peer, final UpdateMessage update)
        {
            this.peer = peer;
            this.update = update;
            this.session = peer.sessionsEnded();
        }

        @Override
        public void run()
        {
            try
            {
                imports.syncDown(peer, imports.rib(peer));
                if (session == peer.sessionsEnded())
                {
                    imports.update(peer, update);
                }
                // else: its session has ended since; its routes would only be deleted again
            }
            finally
            {
                peer.updateConsumed();
            }
        }
    }
}
