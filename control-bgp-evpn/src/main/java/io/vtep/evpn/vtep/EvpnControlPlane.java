package io.vtep.evpn.vtep;

import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.evpn.RateLimitedLog;
import io.vtep.evpn.codec.EvpnUpdates;
import io.vtep.evpn.codec.RouteRefreshMessage;
import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.codec.attr.AsPath;
import io.vtep.evpn.codec.attr.OriginatorId;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.EvpnRouteKey;
import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.rib.AdjRibIn;
import io.vtep.evpn.rib.AdjRibOut;
import io.vtep.evpn.rib.BestPath;
import io.vtep.evpn.rib.EvpnPath;
import io.vtep.evpn.rib.LocRib;
import io.vtep.evpn.rib.UpdatePacker;
import io.vtep.evpn.session.BgpPeer;
import io.vtep.evpn.session.MaximumPrefix;
import io.vtep.evpn.session.PeerEvents;
import io.vtep.evpn.session.RouteRefreshListener;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.agrona.MutableDirectBuffer;

/**
 * The EVPN control plane of the VTEP: the RIB (Adj-RIB-In, Loc-RIB, Adj-RIB-Out per neighbor,
 * RFC 4271 §3.2), import of type-2 and type-3 routes into the FDB and flood lists (RFC 7432 §9–§11,
 * RFC 8365 §5), export of local MACs and flood membership, and MAC mobility with duplicate
 * detection (RFC 7432 §15).
 *
 * <h2>Threading</h2>
 * Everything here is owned by one control thread of its own. {@link PeerEvents} and
 * {@link RouteRefreshListener} calls (the session layer's event loop) and
 * {@link #neighborLearned} only enqueue a command; the FDB listener ({@link FdbEventQueue}) copies
 * each change into a ring buffer without allocating or blocking, since it runs under the FDB write
 * lock. The control thread drains both, and when it runs out of work it sends what changed to the
 * neighbors, packed into as few UPDATEs as fit ({@link UpdatePacker}). The read-only views are
 * volatile counters or a snapshot taken on the control thread.
 *
 * <h2>A VTEP is an edge</h2>
 * Received routes are never advertised again; the Adj-RIB-Out of every neighbor holds only our own
 * routes.
 */
public final class EvpnControlPlane implements PeerEvents, RouteRefreshListener, AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(EvpnControlPlane.class.getName());
    private static final int FDB_QUEUE_BYTES = 1 << 21;
    private static final int DRAIN_LIMIT = 4096;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * ARP/ND offers queued for the control thread at most: the snooping hand-off stops growing here
     * (the caller leaves the rest in its own bounded queue, see {@link #acceptsNeighbors}).
     */
    public static final int MAX_NEIGHBOR_BACKLOG = 4096;
    /** IPs advertised per local MAC (MAC+IP routes); a host with more gets its first ones. */
    static final int MAX_IPS_PER_MAC = 8;

    private final EvpnSettings settings;
    private final Fdb fdb;
    private final InetAddress localVtep;
    private final long routerIdValue;
    private final Map<Integer, LocalVni> vnis = new LinkedHashMap<>();
    private final LocRib locRib = new LocRib();
    private final Map<BgpPeer, PeerRib> peers = new ConcurrentHashMap<>();
    private final UpdatePacker packer = new UpdatePacker();
    /** Once per route while the table is full would be a line per route a peer sends (issue 15, failure 2). */
    private final RateLimitedLog vtepTableFull = new RateLimitedLog(LOG);
    private final FdbEventQueue fdbEvents = new FdbEventQueue(FDB_QUEUE_BYTES);
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> idleWaiters = new ConcurrentLinkedQueue<>();
    private final List<CompletableFuture<Void>> waitingForIdle = new ArrayList<>();
    private final CopyOnWriteArrayList<String> duplicateMacList = new CopyOnWriteArrayList<>();

    /** Our routes now (what every Established neighbor's Adj-RIB-Out converges to). */
    private final Map<EvpnRouteKey, EvpnPath> localRoutes = new LinkedHashMap<>();
    /** Changes to {@link #localRoutes} not yet sent: a path to advertise, or null to withdraw. */
    private final Map<EvpnRouteKey, EvpnPath> pendingExports = new LinkedHashMap<>();
    private final Map<EvpnRouteKey, EvpnRoute> pendingWithdrawnRoutes = new HashMap<>();

    private static final org.agrona.concurrent.MessageHandler DISCARD = (type, buffer, index, length) -> { };

    private final java.util.concurrent.atomic.AtomicInteger neighborBacklog = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong neighborsDropped = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean running;
    private volatile String failure;
    /** {@link #localRoutes}' size as of the last time the control thread ran out of work. */
    private volatile int localRouteCount;
    private volatile long macMoves;
    private volatile long duplicateMacs;
    private Thread controlThread;

    /** A neighbor's two RIBs. */
    private static final class PeerRib
    {
        final AdjRibIn in = new AdjRibIn();
        final AdjRibOut out = new AdjRibOut();
        boolean synced;
        /** The maximum-prefix warning was logged for this session. */
        boolean prefixWarningLogged;
        /** Over the maximum-prefix limit: the session is being closed, its further UPDATEs are ignored. */
        boolean overLimit;
        /** Warning-only and over the limit: said once per session. */
        boolean limitWarningLogged;
        /** {@link BgpPeer#sessionsEnded} as of the last time this RIB was emptied for a session going down. */
        long downsApplied;

        void sessionReset()
        {
            prefixWarningLogged = false;
            limitWarningLogged = false;
            overLimit = false;
        }
    }

    /**
     * @param settings AS, router id, local VTEP, VNIs, duplicate detection.
     * @param fdb      the FDB to import into and export from; every VNI of the settings must exist in it.
     */
    public EvpnControlPlane(final EvpnSettings settings, final Fdb fdb)
    {
        this.settings = settings;
        this.fdb = fdb;
        this.localVtep = settings.localVtep().toInetAddress();
        this.routerIdValue = WireFormat.toInt(settings.routerId()) & 0xFFFF_FFFFL;
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
    }

    /** Registers the FDB listener, originates one type-3 route per VNI and starts the control thread. */
    public void start()
    {
        if (running)
        {
            return;
        }
        running = true;
        controlThread = Thread.ofPlatform().name("evpn-control").daemon(true).unstarted(this::run);
        fdbEvents.consumer(controlThread);
        fdb.addListener(fdbEvents);
        enqueue(() ->
        {
            for (final LocalVni vni : vnis.values())
            {
                // RFC 8365 §5.1.3 / RFC 7432 §11: ingress replication, label = VNI, tunnel = our VTEP.
                vni.inclusiveMulticast = EvpnPath.local(new InclusiveMulticastRoute(vni.rd, 0, localVtep), localVtep,
                    settings.routerId(), vni.exportRouteTargets, vni.vni, 0, false);
                exportLocal(vni.inclusiveMulticast);
            }
            resyncLocalMacs();
        });
        controlThread.start();
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
        enqueue(() ->
        {
            neighborBacklog.decrementAndGet();
            final LocalVni localVni = vnis.get(vni);
            final MacState state = localVni == null ? null : localVni.macs.get(mac);
            // A bounded number of IPs per MAC: spoofed ARP or rotating IPv6 addresses cannot grow our routes.
            if (state != null && state.local && state.ips().size() < MAX_IPS_PER_MAC && state.ips().add(ip))
            {
                advertiseLocal(localVni, state);
            }
        });
    }

    @Override
    public void established(final BgpPeer peer)
    {
        enqueue(() ->
        {
            final PeerRib rib = rib(peer);
            syncDown(peer, rib);
            rib.out.clear();
            rib.sessionReset();
            rib.synced = true;
            sendAll(peer, rib, new ArrayList<>(localRoutes.values()));
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
        if (failure != null)
        {
            peer.updateConsumed(); // the control thread stopped: nothing is imported any more
            return;
        }
        if (!enqueue(new UpdateCommand(peer, update)))
        {
            peer.updateConsumed();
        }
    }

    @Override
    public void down(final BgpPeer peer, final String reason)
    {
        enqueue(() ->
        {
            final PeerRib rib = rib(peer);
            sessionGone(rib);
            rib.downsApplied = peer.sessionsEnded();
        });
    }

    /** RFC 4271 §8.2.2: the routes of a session that ended are deleted; nothing more goes out until it is back. */
    private void sessionGone(final PeerRib rib)
    {
        rib.synced = false;
        rib.sessionReset();
        rib.out.clear();
        for (final EvpnPath path : rib.in.clear())
        {
            onBestChange(locRib.remove(path.route().key(), path));
        }
    }

    /**
     * Applies a session end that {@link #down} did not bring (its command could not be queued):
     * the session layer counts ends in {@link BgpPeer#sessionsEnded} without allocating, and this
     * thread compares on every round, before an UPDATE and before Established. Issue 15 saw
     * 681,574 EVPN entries outlive their session under memory pressure; this is one of the two
     * ways that could happen (the other, this thread dying, is {@link #abandonImports}).
     */
    private void syncDown(final BgpPeer peer, final PeerRib rib)
    {
        final long ended = peer.sessionsEnded();
        if (ended != rib.downsApplied)
        {
            sessionGone(rib);
            rib.downsApplied = ended;
        }
    }

    @Override
    public void routeRefresh(final BgpPeer peer, final RouteRefreshMessage request)
    {
        // RFC 2918 §4: send the Adj-RIB-Out again; RFC 7313 End-of-RIB after it.
        enqueue(() ->
        {
            final PeerRib rib = rib(peer);
            if (rib.synced)
            {
                sendAll(peer, rib, rib.out.all());
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
        LockSupport.unpark(controlThread);
        try
        {
            controlThread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
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
        final PeerRib rib = peers.get(peer);
        return rib == null ? 0 : rib.in.received();
    }

    /**
     * @param peer a neighbor.
     * @return routes of its Adj-RIB-In that were imported (route target matched, no loop).
     */
    public long prefixesAccepted(final BgpPeer peer)
    {
        final PeerRib rib = peers.get(peer);
        return rib == null ? 0 : rib.in.accepted();
    }

    /**
     * @param peer a neighbor.
     * @return routes in its Adj-RIB-Out.
     */
    public long prefixesSent(final BgpPeer peer)
    {
        final PeerRib rib = peers.get(peer);
        return rib == null ? 0 : rib.out.size();
    }

    /** @return every type-2 and type-3 path, received and local (a snapshot taken on the control thread). */
    public List<EvpnRouteView> routes()
    {
        return call(() ->
        {
            final List<EvpnRouteView> views = new ArrayList<>();
            for (final EvpnPath path : localRoutes.values())
            {
                views.add(view(path, true));
            }
            for (final LocRib.Route route : locRib.routes())
            {
                for (final EvpnPath path : route.paths())
                {
                    views.add(view(path, path == route.best()));
                }
            }
            return views;
        });
    }

    /**
     * @return routes held: our own plus every neighbor's Adj-RIB-In; cheap, for summaries (unlike
     * {@link #routes()}, which takes a snapshot on the control thread).
     */
    public long routeCount()
    {
        long count = localRouteCount;
        for (final PeerRib rib : peers.values())
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

    /** @return MAC moves seen (RFC 7432 §15). */
    public long macMoves()
    {
        return macMoves;
    }

    /** @return MACs flagged duplicate. */
    public long duplicateMacs()
    {
        return duplicateMacs;
    }

    /** @return the duplicate MACs as {@code "VNI MAC"}. */
    public List<String> duplicateMacList()
    {
        return List.copyOf(duplicateMacList);
    }

    /**
     * Runs {@code probe} on the control thread with its other work: a liveness probe (it stops
     * being run when the thread is stuck or has stopped). Must be short and must not throw.
     */
    public void probe(final Runnable probe)
    {
        enqueue(probe);
    }

    /**
     * Waits until the control thread has nothing left to do (every event queued before the call is
     * applied and its UPDATEs sent). For tests and benchmarks.
     *
     * @param timeoutMillis how long to wait.
     */
    public void awaitIdle(final long timeoutMillis)
    {
        final CompletableFuture<Void> idle = new CompletableFuture<>();
        idleWaiters.add(idle);
        LockSupport.unpark(controlThread);
        try
        {
            idle.get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException("EVPN control thread not idle after " + timeoutMillis + " ms", ex);
        }
    }

    // ------------------------------------------------------------------------------------
    // The control thread.
    // ------------------------------------------------------------------------------------

    private void run()
    {
        final org.agrona.concurrent.MessageHandler fdbHandler = this::onFdbEvent;
        while (running)
        {
            // Waiters are taken before looking for work, so that work queued before a waiter
            // arrived is always done before it is told "idle".
            for (CompletableFuture<Void> waiter; (waiter = idleWaiters.poll()) != null; )
            {
                waitingForIdle.add(waiter);
            }
            int work = 0;
            try
            {
                peers.forEach(this::syncDown);
                if (fdbEvents.takeOverflow())
                {
                    // Events were lost: the ones still queued are older than the FDB now is, and
                    // replaying them after the resync could re-advertise a MAC that is gone.
                    while (fdbEvents.drain(DISCARD, DRAIN_LIMIT) > 0)
                    {
                        // discard
                    }
                    resyncLocalMacs();
                    work++;
                }
                work += fdbEvents.drain(fdbHandler, DRAIN_LIMIT);
                for (Runnable command; work < DRAIN_LIMIT && (command = commands.poll()) != null; )
                {
                    command.run();
                    work++;
                }
                if (work == 0)
                {
                    flushExports();
                }
            }
            catch (final RuntimeException ex)
            {
                LOG.log(System.Logger.Level.ERROR, "EVPN control thread", ex);
            }
            catch (final Error ex)
            {
                // The RIB may be half-updated: say so where operators look (/readyz, the log) and stop.
                failure = "EVPN control thread stopped: " + ex;
                running = false;
                abandonImports();
                LOG.log(System.Logger.Level.ERROR, failure, ex);
                throw ex;
            }
            if (work == 0)
            {
                waitingForIdle.forEach(waiter -> waiter.complete(null));
                waitingForIdle.clear();
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
        }
    }

    /**
     * After an {@link Error} (an OutOfMemoryError under a flood of routes, issue 15 failure 3) this
     * thread can no longer follow withdrawals or sessions going down, and what it installed would
     * stay for good: 681,574 EVPN entries outlived their session there. So it gives up all of it:
     * first the RIBs and the queued work (which frees the memory), then every EVPN entry and
     * EVPN-added flood list member in the FDB. The VNIs fall back to flooding to their configured
     * lists until vtep is restarted; /readyz reports {@link #failure()} meanwhile. Queued UPDATEs
     * are released to their sessions, and later ones are dropped on arrival, so nothing grows.
     */
    private void abandonImports()
    {
        try
        {
            fdb.removeListener(fdbEvents);
            for (Runnable command; (command = commands.poll()) != null; )
            {
                if (command instanceof UpdateCommand update)
                {
                    update.peer.updateConsumed();
                }
            }
            peers.clear();
            locRib.clear();
            for (final LocalVni vni : vnis.values())
            {
                vni.macs.clear();
                vni.floodReferences.clear();
                for (final RemoteVtep vtep : vni.evpnFloodList)
                {
                    fdb.removeFromFloodList(vni.vni, vtep);
                }
                vni.evpnFloodList.clear();
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
                final PeerRib rib = rib(peer);
                syncDown(peer, rib);
                if (session == peer.sessionsEnded())
                {
                    onUpdate(peer, update);
                }
                // else: its session has ended since; its routes would only be deleted again
            }
            finally
            {
                peer.updateConsumed();
            }
        }
    }

    /** @return false when the command was dropped because the control thread stopped. */
    private boolean enqueue(final Runnable command)
    {
        if (failure != null)
        {
            return false; // nothing runs them any more: dropped, so the queue cannot grow
        }
        commands.add(command);
        if (controlThread != null)
        {
            LockSupport.unpark(controlThread);
        }
        return true;
    }

    private <T> T call(final Callable<T> query)
    {
        if (!running || Thread.currentThread() == controlThread)
        {
            try
            {
                return query.call();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }
        final CompletableFuture<T> result = new CompletableFuture<>();
        enqueue(() ->
        {
            try
            {
                result.complete(query.call());
            }
            catch (final Exception ex)
            {
                result.completeExceptionally(ex);
            }
        });
        try
        {
            return result.get(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private PeerRib rib(final BgpPeer peer)
    {
        return peers.computeIfAbsent(peer, ignored -> new PeerRib());
    }

    // ------------------------------------------------------------------------------------
    // Import (RFC 7432 §9.2, §10, §11; RFC 8365 §5.1).
    // ------------------------------------------------------------------------------------

    private void onUpdate(final BgpPeer peer, final UpdateMessage update)
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
                onBestChange(locRib.remove(route.key(), removed));
            }
        }
        final List<EvpnRoute> advertised = update.advertisedEvpnRoutes();
        if (advertised.isEmpty())
        {
            return;
        }
        final boolean loop = isLoop(peer, update);
        for (final EvpnRoute route : advertised)
        {
            final EvpnRouteKey key = route.key();
            final EvpnPath path = EvpnPath.received(route, peer, update);
            final boolean accepted = !loop && isAccepted(path);
            final EvpnPath replaced = rib.in.put(key, path, accepted);
            if (accepted)
            {
                onBestChange(locRib.add(key, path));
            }
            else if (replaced != null)
            {
                onBestChange(locRib.remove(key, replaced));
            }
            if (rib.in.received() > peer.config().maximumPrefix().limit() && !peer.config().maximumPrefix().warningOnly())
            {
                // Stop here: the rest of this UPDATE, and every later one, waits for nothing but the tear-down.
                break;
            }
        }
        checkMaximumPrefix(peer, rib);
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

    /**
     * Loop prevention for the whole UPDATE: RFC 4456 §8 (our ORIGINATOR_ID: our own route
     * reflected back), RFC 4271 §9.1.2 (our AS in the AS_PATH of an eBGP route), and our own VTEP
     * as next hop (our route coming back some other way).
     */
    private boolean isLoop(final BgpPeer peer, final UpdateMessage update)
    {
        final boolean ourOriginator = update.attribute(OriginatorId.class)
            .map(id -> (WireFormat.toInt(id.originatorId()) & 0xFFFF_FFFFL) == routerIdValue)
            .orElse(false);
        final boolean ourAs = !peer.isIbgp() && update.attribute(AsPath.class)
            .map(path -> EvpnPath.contains(path, settings.localAs()))
            .orElse(false);
        return ourOriginator || ourAs;
    }

    private boolean isAccepted(final EvpnPath path)
    {
        if (!(path.route() instanceof MacIpAdvertisementRoute) && !(path.route() instanceof InclusiveMulticastRoute))
        {
            return false; // types 1, 4, 5: no multihoming or IP prefixes on this VTEP
        }
        if (path.nextHop() == null || localVtep.equals(path.nextHop()) || localVtep.equals(path.tunnelEndpoint()))
        {
            return false;
        }
        if (path.nextHop().getClass() != localVtep.getClass())
        {
            return false; // an IPv6 VTEP on an IPv4 underlay (or the reverse) is unreachable for the data path
        }
        for (final LocalVni vni : vnis.values())
        {
            if (vni.rd.equals(rdOf(path.route())))
            {
                return false; // our own RD: one of our routes
            }
        }
        return !importingVnis(path).isEmpty();
    }

    private List<LocalVni> importingVnis(final EvpnPath path)
    {
        final List<LocalVni> importing = new ArrayList<>(1);
        for (final LocalVni vni : vnis.values())
        {
            if (vni.imports(path.routeTargets()))
            {
                importing.add(vni);
            }
        }
        if (importing.size() > 1)
        {
            // One route target on several VNIs: the label names the VNI (RFC 8365 §5.1.3).
            final List<LocalVni> byLabel = importing.stream().filter(vni -> vni.vni == path.vni()).toList();
            return byLabel.isEmpty() ? importing : byLabel;
        }
        return importing;
    }

    private void onBestChange(final LocRib.Change change)
    {
        if (!change.changed())
        {
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

    private void importBest(final EvpnPath path, final boolean add)
    {
        for (final LocalVni vni : importingVnis(path))
        {
            if (path.route() instanceof MacIpAdvertisementRoute macIp)
            {
                final long mac = macIp.mac().value();
                MacState state = vni.macs.get(mac);
                if (state == null)
                {
                    if (!add)
                    {
                        continue;
                    }
                    state = new MacState(mac);
                    vni.macs.put(mac, state);
                }
                if (add)
                {
                    state.remotePaths.add(path);
                }
                else
                {
                    state.remotePaths.remove(path);
                }
                evaluate(vni, state);
            }
            else if (path.tunnelEndpoint() != null)
            {
                floodReference(vni, path.tunnelEndpoint(), add);
            }
        }
    }

    /**
     * RFC 7432 §11: a type-3 best path puts its tunnel endpoint in the VNI's flood list, while any
     * such path names it. A VTEP already in the list (configured) is never EVPN's to remove.
     */
    private void floodReference(final LocalVni vni, final InetAddress endpoint, final boolean add)
    {
        final int before = vni.floodReferences.getOrDefault(endpoint, 0);
        final int after = add ? before + 1 : Math.max(0, before - 1);
        if (after == 0)
        {
            vni.floodReferences.remove(endpoint);
        }
        else
        {
            vni.floodReferences.put(endpoint, after);
        }
        final RemoteVtep vtep = fdb.remoteVteps().intern(VtepAddress.of(endpoint));
        if (vtep == null)
        {
            vtepTableFull.log(System.Logger.Level.WARNING, "remote VTEP table full: " + endpoint + " not added to VNI " + vni.vni);
            return;
        }
        if (before == 0 && after > 0)
        {
            boolean present = false;
            for (final RemoteVtep member : fdb.vni(vni.vni).floodList())
            {
                present |= member == vtep;
            }
            if (!present)
            {
                fdb.addToFloodList(vni.vni, vtep);
                vni.evpnFloodList.add(vtep);
            }
        }
        else if (before > 0 && after == 0 && vni.evpnFloodList.remove(vtep))
        {
            fdb.removeFromFloodList(vni.vni, vtep);
        }
    }

    /**
     * Decides where a MAC is: our local attachment or the best remote path, by MAC mobility
     * (RFC 7432 §15) and then the BGP order ({@link BestPath}); installs or removes the FDB entry
     * and advertises or withdraws our routes to match.
     */
    private void evaluate(final LocalVni vni, final MacState state)
    {
        final EvpnPath remoteBest = state.remotePaths.isEmpty() ? null : BestPath.select(state.remotePaths);
        if (state.local)
        {
            if (remoteBest != null && BestPath.compare(remoteBest, localMacPath(vni, state)) < 0)
            {
                if (state.duplicate)
                {
                    return; // a duplicate is frozen where it is
                }
                // RFC 7432 §15.1: a higher sequence from another VTEP: the host moved away.
                if (countMove(vni, state))
                {
                    return;
                }
                state.local = false;
                withdrawLocal(vni, state);
                install(vni, state, remoteBest);
            }
            else
            {
                state.installed = null; // the FDB holds the local entry
                advertiseLocal(vni, state);
            }
        }
        else if (remoteBest != null)
        {
            install(vni, state, remoteBest);
        }
        else
        {
            if (state.installed != null)
            {
                fdb.remove(vni.vni, state.mac, Origin.EVPN);
                state.installed = null;
            }
            if (state.isUnused())
            {
                vni.macs.remove(state.mac);
            }
        }
    }

    private void install(final LocalVni vni, final MacState state, final EvpnPath best)
    {
        final RemoteVtep vtep = fdb.remoteVteps().intern(VtepAddress.of(best.nextHop()));
        if (vtep == null)
        {
            vtepTableFull.log(System.Logger.Level.WARNING, "remote VTEP table full: " + best.nextHop() + " not installed");
            return;
        }
        // Sticky (RFC 7432 §15.2) or frozen as duplicate (§15.1): the MAC must not move here.
        final boolean pinned = best.sticky() || state.duplicate;
        if (vtep != state.installed || pinned != state.installedPinned)
        {
            state.installed = fdb.putEvpn(vni.vni, state.mac, vtep, pinned) ? vtep : null;
            state.installedPinned = pinned && state.installed != null;
        }
    }

    // ------------------------------------------------------------------------------------
    // Local MACs (RFC 7432 §9.1, §15).
    // ------------------------------------------------------------------------------------

    private void onFdbEvent(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final LocalVni vni = vnis.get(buffer.getInt(index + FdbEventQueue.VNI_OFFSET));
        if (vni == null)
        {
            return;
        }
        final long mac = buffer.getLong(index + FdbEventQueue.MAC_OFFSET);
        final long newEntry = buffer.getLong(index + FdbEventQueue.NEW_OFFSET);
        onLocalEntry(vni, mac, newEntry);
    }

    private void onLocalEntry(final LocalVni vni, final long mac, final long entry)
    {
        if (entry != FdbEntry.NONE && FdbEntry.isLocal(entry))
        {
            localMacPresent(vni, mac, FdbEntry.origin(entry) == Origin.STATIC);
        }
        else
        {
            localMacGone(vni, mac);
            reinstallIfGone(vni, mac, entry);
        }
    }

    /**
     * The FDB no longer holds the EVPN entry we installed (removed by someone else, or an event
     * older than our last install): forget it and decide again, which puts it back if it is still
     * the best place. Re-installing what is there already changes nothing, so stale events settle.
     */
    private void reinstallIfGone(final LocalVni vni, final long mac, final long entry)
    {
        final MacState state = vni.macs.get(mac);
        if (state == null || state.local || state.installed == null)
        {
            return;
        }
        if (entry == FdbEntry.NONE || !FdbEntry.isRemote(entry) || FdbEntry.vtepIndex(entry) != state.installed.index())
        {
            state.installed = null;
            state.installedPinned = false;
            evaluate(vni, state);
        }
    }

    private void localMacPresent(final LocalVni vni, final long mac, final boolean sticky)
    {
        MacState state = vni.macs.get(mac);
        if (state == null)
        {
            state = new MacState(mac);
            vni.macs.put(mac, state);
        }
        // The FDB holds the local entry now: whatever EVPN entry we installed is gone.
        state.installed = null;
        state.installedPinned = false;
        if (state.local && state.localSticky == sticky)
        {
            return; // moved between local ports, or nothing new: nothing to tell BGP
        }
        final EvpnPath remoteBest = state.remotePaths.isEmpty() ? null : BestPath.select(state.remotePaths);
        if (!state.local && remoteBest != null)
        {
            // RFC 7432 §15.1: learned here while another VTEP advertises it: the host moved here;
            // advertise with that VTEP's sequence + 1 so every VTEP prefers us.
            if (state.duplicate || countMove(vni, state))
            {
                // Duplicate: frozen where it was, behind the remote VTEP; the entry goes back
                // pinned, so the host here no longer moves it (FRR's dup-addr-detection freeze).
                evaluate(vni, state);
                return;
            }
            state.localSequence = Math.max(state.localSequence, remoteBest.sequence() + 1);
        }
        state.local = true;
        state.localSticky = sticky;
        evaluate(vni, state);
    }

    private void localMacGone(final LocalVni vni, final long mac)
    {
        final MacState state = vni.macs.get(mac);
        if (state == null || !state.local)
        {
            return;
        }
        state.local = false;
        withdrawLocal(vni, state);
        evaluate(vni, state);
    }

    /** @return whether this move made the MAC a duplicate (FRR's dup-addr-detection). */
    private boolean countMove(final LocalVni vni, final MacState state)
    {
        macMoves = macMoves + 1;
        if (state.recordMove(fdb.clock().nanoTime(), settings.duplicateMaxMoves(), settings.duplicateWindow().toNanos()))
        {
            duplicateMacs = duplicateMacs + 1;
            final String name = vni.vni + " " + MacAddress.format(state.mac);
            duplicateMacList.add(name);
            LOG.log(System.Logger.Level.WARNING, "VNI " + vni.vni + ": MAC " + MacAddress.format(state.mac) + " moved more than " +
                settings.duplicateMaxMoves() + " times in " + settings.duplicateWindow().toSeconds() +
                " s: duplicate, sequence frozen at " + state.localSequence);
            return true;
        }
        return false;
    }

    /** Re-reads the local entries of the FDB: at start, and after the FDB event ring overflowed. */
    private void resyncLocalMacs()
    {
        final Map<Integer, Map<Long, Boolean>> local = new HashMap<>();
        fdb.forEach((vni, mac, entry, age) ->
        {
            if (vnis.containsKey(vni) && FdbEntry.isLocal(entry))
            {
                local.computeIfAbsent(vni, ignored -> new HashMap<>()).put(mac, FdbEntry.origin(entry) == Origin.STATIC);
            }
        });
        for (final LocalVni vni : vnis.values())
        {
            final Map<Long, Boolean> present = local.getOrDefault(vni.vni, Map.of());
            final List<Long> gone = new ArrayList<>();
            vni.macs.forEach((mac, state) ->
            {
                if (state.local && !present.containsKey(mac))
                {
                    gone.add(mac);
                }
            });
            gone.forEach(mac -> localMacGone(vni, mac));
            present.forEach((mac, sticky) -> localMacPresent(vni, mac, sticky));
        }
    }

    private EvpnPath localMacPath(final LocalVni vni, final MacState state)
    {
        return localPath(vni, state, null);
    }

    private EvpnPath localPath(final LocalVni vni, final MacState state, final InetAddress ip)
    {
        final MacIpAdvertisementRoute route = MacIpAdvertisementRoute.of(vni.rd, new io.vtep.evpn.codec.nlri.MacAddress(state.mac), ip, vni.vni);
        return EvpnPath.local(route, localVtep, settings.routerId(), vni.exportRouteTargets, vni.vni, state.localSequence,
            state.localSticky);
    }

    private void advertiseLocal(final LocalVni vni, final MacState state)
    {
        exportLocal(localMacPath(vni, state));
        if (state.ips != null)
        {
            for (final InetAddress ip : state.ips)
            {
                exportLocal(localPath(vni, state, ip));
            }
        }
    }

    private void withdrawLocal(final LocalVni vni, final MacState state)
    {
        unexportLocal(localMacPath(vni, state).route());
        if (state.ips != null)
        {
            for (final InetAddress ip : state.ips)
            {
                unexportLocal(localPath(vni, state, ip).route());
            }
            state.ips = null; // the IPs were the host's; a new host behind the MAC re-announces them
        }
    }

    // ------------------------------------------------------------------------------------
    // Export.
    // ------------------------------------------------------------------------------------

    private void exportLocal(final EvpnPath path)
    {
        final EvpnRouteKey key = path.route().key();
        if (!path.equals(localRoutes.put(key, path)))
        {
            pendingExports.put(key, path);
            pendingWithdrawnRoutes.remove(key);
        }
    }

    private void unexportLocal(final EvpnRoute route)
    {
        final EvpnRouteKey key = route.key();
        if (localRoutes.remove(key) != null)
        {
            pendingExports.put(key, null);
            pendingWithdrawnRoutes.put(key, route);
        }
    }

    /** Sends what changed since the last flush to every synced neighbor, packed. */
    private void flushExports()
    {
        localRouteCount = localRoutes.size();
        if (pendingExports.isEmpty())
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
            pendingExports.forEach((key, path) ->
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
                    withdraw.add(pendingWithdrawnRoutes.get(key));
                }
            });
            packer.withdraw(withdraw).forEach(peer::send);
            packer.advertise(advertise, options(peer)).forEach(peer::send);
        }
        pendingExports.clear();
        pendingWithdrawnRoutes.clear();
    }

    /** The whole Adj-RIB-Out, then End-of-RIB (RFC 4724 §2). */
    private void sendAll(final BgpPeer peer, final PeerRib rib, final List<EvpnPath> paths)
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
        return peer.isIbgp() ? EvpnUpdates.PathOptions.ibgp() : EvpnUpdates.PathOptions.ebgp(settings.localAs());
    }

    private EvpnRouteView view(final EvpnPath path, final boolean best)
    {
        final EvpnRoute route = path.route();
        int vni = path.vni();
        if (!path.isLocal())
        {
            final List<LocalVni> importing = importingVnis(path);
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

    private static Object rdOf(final EvpnRoute route)
    {
        return switch (route)
        {
            case MacIpAdvertisementRoute macIp -> macIp.rd();
            case InclusiveMulticastRoute multicast -> multicast.rd();
            default -> null;
        };
    }
}
