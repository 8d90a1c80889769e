package io.vtep.fdb;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import org.agrona.concurrent.NanoClock;

import io.vtep.encap.VtepAddress;

/**
 * The forwarding database of the appliance: one {@link VniFdb} per VNI, the
 * {@link RemoteVtepTable}, the learn queue from the data path, and the single writer.
 *
 * <h2>Who writes, and in what order</h2>
 * Every change to a MAC table, a flood list, a multicast group or the set of VNIs is made
 * while holding this FDB's write lock, by exactly one thread at a time:
 * <ul>
 *   <li>the {@link FdbConductor} ({@link #conductor()}), an Agrona agent, applies learn events
 *   queued by the data path and runs the ageing sweep; it takes the lock with
 *   {@code tryLock} and skips a duty cycle rather than wait;</li>
 *   <li>control threads (configuration, HTTP API, BGP EVPN) call the write methods here,
 *   which take the lock themselves.</li>
 * </ul>
 * Data-path threads never take the lock and never write a table: they read with
 * lock-free lookups, refresh last-seen times in place, and offer learn events to the
 * lock-free learn queue. See {@code fdb/README.md}.
 *
 * <p>Methods that return a boolean report an unknown VNI as {@code false}; the others throw
 * {@link IllegalArgumentException} for it. A {@link RemoteVtep} passed in must come from this
 * FDB's {@link #remoteVteps()} table.
 */
public final class Fdb
{
    /** Learn events applied per conductor duty cycle, so the write lock is not held for long. */
    static final int LEARN_DRAIN_LIMIT = 4096;
    private static final FdbListener[] NO_LISTENERS = new FdbListener[0];

    private final FdbSettings settings;
    private final RemoteVtepTable remoteVteps;
    private final AliasGroups aliasGroups = new AliasGroups();
    private final LearnQueue learnQueue;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final LearnQueue.LearnHandler learnHandler = new LearnQueue.LearnHandler()
    {
        @Override
        public void learnedLocal(final int vni, final long mac, final int attachment, final long nowNanos)
        {
            onLearnedLocal(vni, mac, attachment, nowNanos);
        }

        @Override
        public void learnedRemote(final int vni, final long mac, final int vtepReference, final long nowNanos)
        {
            onLearnedRemote(vni, mac, vtepReference, nowNanos);
        }

        @Override
        public void learnedGroupMember(final int vni, final int vtepReference, final long nowNanos)
        {
            onLearnedGroupMember(vni, vtepReference, nowNanos);
        }
    };
    private final AgeingSweep ageingSweep = new AgeingSweep();
    private final FdbConductor conductor;
    private final GlobalEntryCap cap;
    /**
     * FDB entries (any origin) pointing at each remote VTEP index, plus the VNIs it is a learned
     * group member of: a VTEP with any is never aged out, so its index is not reused while an entry
     * or a membership names it. Writer only (write lock).
     */
    private final int[] vtepEntryRefs;

    private volatile VniMap vnis = VniMap.EMPTY;
    private volatile FdbListener[] listeners = NO_LISTENERS;

    /**
     * @param settings sizes and timing.
     */
    public Fdb(final FdbSettings settings)
    {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.remoteVteps = new RemoteVtepTable(settings.remoteVtepCapacity(), settings.clock());
        this.cap = new GlobalEntryCap(settings.maxEntries());
        this.vtepEntryRefs = new int[settings.remoteVtepCapacity()];
        this.learnQueue = new LearnQueue(settings.learnQueueCapacity());
        this.conductor = new FdbConductor(this, settings);
    }

    /**
     * An FDB with {@link FdbSettings#defaults()}.
     */
    public Fdb()
    {
        this(FdbSettings.defaults());
    }

    /**
     * @return the clock learning times and ageing are measured with.
     */
    public NanoClock clock()
    {
        return settings.clock();
    }

    /**
     * @return the remote VTEPs, interned.
     */
    public RemoteVtepTable remoteVteps()
    {
        return remoteVteps;
    }

    /** @return the EVPN aliasing groups entries of this FDB refer to ({@link FdbEntry#aliasGroup}). */
    public AliasGroups aliasGroups()
    {
        return aliasGroups;
    }

    /**
     * @return the writer agent; run it on an Agrona {@code AgentRunner} (or an
     * {@code AgentInvoker}) on a control thread, never on a data-path thread.
     */
    public FdbConductor conductor()
    {
        return conductor;
    }

    // ------------------------------------------------------------------------------------
    // VNIs.
    // ------------------------------------------------------------------------------------

    /**
     * Adds a VNI. Meant for start-up, but safe at any time.
     *
     * @param vni                  0..16777215 (24 bits, RFC 7348 §5).
     * @param mode                 how the VNI learns.
     * @param macLimit             most learned entries, 0 for unlimited.
     * @param multicastGroupOrNull group for BUM traffic, or null.
     * @return the new VNI's FDB.
     * @throws IllegalArgumentException for a VNI out of range or already present, a negative
     *                                  limit, or a group that is not a multicast address.
     */
    public VniFdb addVni(final int vni, final LearningMode mode, final int macLimit, final VtepAddress multicastGroupOrNull)
    {
        Objects.requireNonNull(mode, "mode");
        if (vni < 0 || vni > 0xFF_FFFF)
        {
            throw new IllegalArgumentException("VNI " + vni + " out of range 0..16777215");
        }
        if (macLimit < 0)
        {
            throw new IllegalArgumentException("negative MAC limit " + macLimit + " for VNI " + vni);
        }
        requireMulticast(vni, multicastGroupOrNull);

        writeLock.lock();
        try
        {
            if (null != vnis.get(vni))
            {
                throw new IllegalArgumentException("VNI " + vni + " already exists");
            }
            final VniFdb fdb = new VniFdb(vni, mode, macLimit, multicastGroupOrNull, learnQueue, settings, cap);
            vnis = vnis.with(fdb);
            return fdb;
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * Lock-free, allocation-free.
     *
     * @param vni the VNI.
     * @return its FDB, or null for an unknown VNI.
     */
    public VniFdb vni(final int vni)
    {
        return vnis.get(vni);
    }

    /**
     * @return the VNIs, ascending; a new array.
     */
    public int[] vnis()
    {
        return vnis.vnis();
    }

    // ------------------------------------------------------------------------------------
    // Control-side writes: any thread, serialised by the write lock.
    // ------------------------------------------------------------------------------------

    /**
     * Installs a configured entry pointing at a remote VTEP. It replaces whatever the MAC had
     * (learned or EVPN), never ages, and is never overwritten by learning or EVPN.
     *
     * @param vni  the VNI.
     * @param mac  address in the low 48 bits.
     * @param vtep where the MAC is.
     */
    public void addStatic(final int vni, final long mac, final RemoteVtep vtep)
    {
        requireOwn(vtep);
        putStatic(vni, mac, FdbEntry.remote(vtep.index(), Origin.STATIC), vtep);
    }

    /**
     * Installs a configured entry pointing at a local attachment; as
     * {@link #addStatic(int, long, RemoteVtep)} otherwise.
     *
     * @param vni        the VNI.
     * @param mac        address in the low 48 bits.
     * @param attachment id of the access port + VLAN.
     */
    public void addStaticLocal(final int vni, final long mac, final int attachment)
    {
        putStatic(vni, mac, FdbEntry.local(attachment, Origin.STATIC), null);
    }

    /**
     * Installs an entry from a BGP EVPN MAC/IP advertisement route (RFC 7432 §7.2). It
     * replaces a learned or older EVPN entry, never ages and is never overwritten by
     * data-plane learning from the overlay (a MAC heard on a local port replaces it: it moved
     * here, RFC 7432 §15, unless {@code pinned}); a static entry for the MAC wins and the route is
     * not installed.
     *
     * @param vni  the VNI.
     * @param mac  address in the low 48 bits.
     * @param vtep the advertising VTEP (the route's next hop).
     * @return true when installed (or already so); false for an unknown VNI, when a static
     * entry holds the MAC, or when the FDB is at its global cap ({@link #maxEntriesHits()}).
     */
    public boolean putEvpn(final int vni, final long mac, final RemoteVtep vtep)
    {
        return putEvpn(vni, mac, vtep, false);
    }

    /**
     * {@link #putEvpn(int, long, RemoteVtep)}, optionally {@link FdbEntry#pinned pinned}: then a
     * MAC heard on a local port does not replace it (a sticky route, or a MAC frozen as duplicate).
     *
     * @param vni    the VNI.
     * @param mac    address in the low 48 bits.
     * @param vtep   the advertising VTEP.
     * @param pinned local learning must not replace the entry.
     * @return as {@link #putEvpn(int, long, RemoteVtep)}.
     */
    public boolean putEvpn(final int vni, final long mac, final RemoteVtep vtep, final boolean pinned)
    {
        return putEvpn(vni, mac, vtep, pinned, 0);
    }

    /**
     * {@link #putEvpn(int, long, RemoteVtep, boolean)} for a MAC on a remote Ethernet segment: the
     * data path may send its flows to any member of {@code aliasGroup} ({@link AliasGroups}).
     *
     * @param aliasGroup 0 (none) or a group of {@link #aliasGroups()}.
     * @return as {@link #putEvpn(int, long, RemoteVtep)}.
     */
    public boolean putEvpn(final int vni, final long mac, final RemoteVtep vtep, final boolean pinned, final int aliasGroup)
    {
        requireOwn(vtep);
        requireMac(mac);
        writeLock.lock();
        try
        {
            requireLiveAndPin(vtep);
            final long entry = FdbEntry.withAliasGroup(FdbEntry.remote(vtep.index(), Origin.EVPN), aliasGroup);
            return installEvpn(vni, mac, pinned ? FdbEntry.pinned(entry) : entry, false);
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * Installs a MAC that another gateway of one of our Ethernet segments advertises with the
     * segment's ESI ("MAC sync", RFC 7432 §8.4 aliasing, §14.1): the MAC is on our own link to the
     * segment, so the entry points at our {@code attachment}, with origin {@link Origin#EVPN}. As
     * {@link #putEvpn(int, long, RemoteVtep)} it never ages and counts against the global cap; a
     * static entry wins. A learned local entry wins too: we heard the MAC ourselves, and our own
     * route says so. A MAC heard on a local port replaces this entry with a learned one (the
     * control plane is told, as for any local entry); when that ages out the control plane
     * installs this one again while the other gateway's route exists.
     *
     * @param vni        the VNI.
     * @param mac        address in the low 48 bits.
     * @param attachment our attachment to the segment in {@code vni}.
     * @return true when installed (or already so); false for an unknown VNI, when a static or a
     * learned local entry holds the MAC, or when the FDB is at its global cap.
     */
    public boolean putEvpnLocal(final int vni, final long mac, final int attachment)
    {
        requireMac(mac);
        writeLock.lock();
        try
        {
            return installEvpn(vni, mac, FdbEntry.local(attachment, Origin.EVPN), true);
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * The write lock held: installs an EVPN {@code entry} unless the VNI is unknown, a static entry
     * holds the MAC (or a learned local one, when {@code learnedLocalWins}), or a new MAC would pass
     * the global cap.
     */
    private boolean installEvpn(final int vni, final long mac, final long entry, final boolean learnedLocalWins)
    {
        final VniFdb fdb = vnis.get(vni);
        if (null == fdb)
        {
            return false;
        }
        final long current = fdb.table().get(mac);
        final Origin origin = FdbEntry.origin(current);
        if (origin == Origin.STATIC || (learnedLocalWins && origin == Origin.LOCAL))
        {
            return false;
        }
        if (current == FdbEntry.NONE && cap.isFull())
        {
            cap.countHit();
            return false;
        }
        install(fdb, mac, entry, settings.clock().nanoTime());
        return true;
    }

    /**
     * Removes an entry if it has the given origin, e.g. a withdrawn EVPN route, a static entry
     * dropped from the configuration, or a learned entry flushed by an operator.
     *
     * @param vni    the VNI.
     * @param mac    address in the low 48 bits.
     * @param origin the origin the entry must have.
     * @return true when an entry was removed.
     */
    public boolean remove(final int vni, final long mac, final Origin origin)
    {
        Objects.requireNonNull(origin, "origin");
        writeLock.lock();
        try
        {
            final VniFdb fdb = vnis.get(vni);
            if (null == fdb || FdbEntry.origin(fdb.table().get(mac)) != origin)
            {
                return false;
            }
            removeEntry(fdb, mac);
            return true;
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * Replaces the head-end replication list of a VNI (duplicates are dropped, order kept).
     * Data-path threads see either the old or the new list, never a mix.
     *
     * @param vni   the VNI.
     * @param vteps the new list; copied.
     */
    public void setFloodList(final int vni, final RemoteVtep[] vteps)
    {
        final RemoteVtep[] list = new RemoteVtep[vteps.length];
        int length = 0;
        for (final RemoteVtep vtep : vteps)
        {
            requireOwn(vtep);
            if (indexOf(list, length, vtep) < 0)
            {
                list[length++] = vtep;
            }
        }
        final RemoteVtep[] published = Arrays.copyOf(list, length);

        writeLock.lock();
        try
        {
            final VniFdb fdb = requireVni(vni);
            for (final RemoteVtep vtep : published)
            {
                requireLiveAndPin(vtep);
            }
            fdb.floodList(published);
            notifyFloodList(fdb);
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * Appends a VTEP to a VNI's flood list (an EVPN inclusive multicast route, RFC 7432
     * §7.3, or configuration); nothing changes if it is already there.
     *
     * @param vni  the VNI.
     * @param vtep the VTEP.
     */
    public void addToFloodList(final int vni, final RemoteVtep vtep)
    {
        requireOwn(vtep);
        writeLock.lock();
        try
        {
            requireLiveAndPin(vtep);
            final VniFdb fdb = requireVni(vni);
            final RemoteVtep[] current = fdb.floodList();
            if (indexOf(current, current.length, vtep) < 0)
            {
                final RemoteVtep[] next = Arrays.copyOf(current, current.length + 1);
                next[current.length] = vtep;
                fdb.floodList(next);
                notifyFloodList(fdb);
            }
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * Takes a VTEP off a VNI's flood list; nothing changes if it is not there.
     *
     * @param vni  the VNI.
     * @param vtep the VTEP.
     */
    public void removeFromFloodList(final int vni, final RemoteVtep vtep)
    {
        requireOwn(vtep);
        writeLock.lock();
        try
        {
            final VniFdb fdb = requireVni(vni);
            final RemoteVtep[] current = fdb.floodList();
            final int at = indexOf(current, current.length, vtep);
            if (at >= 0)
            {
                final RemoteVtep[] next = new RemoteVtep[current.length - 1];
                System.arraycopy(current, 0, next, 0, at);
                System.arraycopy(current, at + 1, next, at, current.length - at - 1);
                fdb.floodList(next);
                notifyFloodList(fdb);
            }
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * @param vni   the VNI.
     * @param group multicast group for BUM traffic, or null for none.
     */
    public void setMulticastGroup(final int vni, final VtepAddress group)
    {
        requireMulticast(vni, group);
        writeLock.lock();
        try
        {
            final VniFdb fdb = requireVni(vni);
            if (!Objects.equals(fdb.multicastGroup(), group))
            {
                // Members of the old group say nothing about who sends to the new one.
                final GroupMembers members = fdb.groupMembers();
                for (int index = 0; index < members.capacity() && members.count() > 0; index++)
                {
                    if (members.remove(index))
                    {
                        groupMemberRemoved(fdb, index);
                    }
                }
            }
            fdb.multicastGroup(group);
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * @param listener told of every entry change from now on, on the writing thread.
     */
    public void addListener(final FdbListener listener)
    {
        Objects.requireNonNull(listener, "listener");
        writeLock.lock();
        try
        {
            final FdbListener[] current = listeners;
            final FdbListener[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = listener;
            listeners = next;
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * @param listener to stop telling.
     * @return true if it was registered.
     */
    public boolean removeListener(final FdbListener listener)
    {
        writeLock.lock();
        try
        {
            final FdbListener[] current = listeners;
            for (int i = 0; i < current.length; i++)
            {
                if (current[i] == listener)
                {
                    final FdbListener[] next = new FdbListener[current.length - 1];
                    System.arraycopy(current, 0, next, 0, i);
                    System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                    listeners = next;
                    return true;
                }
            }
            return false;
        }
        finally
        {
            writeLock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------
    // Reads for control threads.
    // ------------------------------------------------------------------------------------

    /**
     * Visits every entry of every VNI, VNIs in ascending order, without blocking the writer.
     *
     * @param visitor receives (vni, mac, entry, ageNanos).
     */
    public void forEach(final FdbEntryVisitor visitor)
    {
        for (final VniFdb fdb : vnis.values())
        {
            fdb.forEach(visitor);
        }
    }

    /**
     * @return most entries in all VNIs together ({@link FdbSettings#maxEntries()}).
     */
    public int maxEntries()
    {
        return cap.maxEntries();
    }

    /**
     * @return entries of every origin in all VNIs now.
     */
    public int entries()
    {
        return cap.entries();
    }

    /**
     * @return new MACs (learned or EVPN) refused because the FDB was at its global cap (a lower
     * bound: data-path threads count without atomics).
     */
    public long maxEntriesHits()
    {
        return cap.hits();
    }

    /** The conductor's thread registers itself to be woken by learn events. */
    LearnQueue learnQueue()
    {
        return learnQueue;
    }

    /**
     * @return learn events the queue holds before it drops.
     */
    public int learnQueueCapacity()
    {
        return learnQueue.capacity();
    }

    /**
     * @return learn events waiting for the conductor (approximate).
     */
    public int learnQueueDepth()
    {
        return learnQueue.depth();
    }

    // ------------------------------------------------------------------------------------
    // The writer: called by FdbConductor with the write lock held.
    // ------------------------------------------------------------------------------------

    ReentrantLock writeLock()
    {
        return writeLock;
    }

    int drainLearnQueue(final int limit)
    {
        return learnQueue.drain(learnHandler, limit);
    }

    /**
     * Removes learned entries not seen for longer than the ageing time.
     *
     * @return entries removed.
     */
    int sweep(final long nowNanos)
    {
        if (settings.ageingNanos() == 0)
        {
            return 0;
        }

        int removed = 0;
        for (final VniFdb fdb : vnis.values())
        {
            ageingSweep.fdb = fdb;
            ageingSweep.nowNanos = nowNanos;
            removed += fdb.table().removeIf(ageingSweep, ageingSweep);
            fdb.table().shrinkIfSparse();
        }
        ageingSweep.fdb = null;
        removed += sweepGroupMembers(nowNanos);
        // After the MACs and the group members: a learned VTEP whose last entries just aged is free to go. It must also
        // have been silent for the ageing time, so one that sends only from group MACs stays.
        return removed + remoteVteps.sweep(nowNanos, settings.ageingNanos(), vtepEntryRefs);
    }

    /**
     * Learned group members silent in their VNI for the ageing time (the same time as MACs: a
     * member keeps sending BUM to the group, and every datagram it sends in the VNI refreshes it).
     */
    private int sweepGroupMembers(final long nowNanos)
    {
        int removed = 0;
        final int limit = remoteVteps.highWater();
        for (final VniFdb fdb : vnis.values())
        {
            final GroupMembers members = fdb.groupMembers();
            for (int index = 0; index < limit && members.count() > 0; index++)
            {
                if (members.removeIfIdle(index, nowNanos, settings.ageingNanos()))
                {
                    groupMemberRemoved(fdb, index);
                    removed++;
                }
            }
        }
        return removed;
    }

    private void onLearnedGroupMember(final int vni, final int vtepReference, final long nowNanos)
    {
        final VniFdb fdb = vnis.get(vni);
        if (fdb != null && fdb.multicastGroup() != null)
        {
            final RemoteVtep vtep = remoteVteps.byIndex(vtepReference & RemoteVtepTable.INDEX_MASK);
            if (isCurrentVtep(vtep, vtepReference) && fdb.groupMembers().add(vtep.index(), nowNanos))
            {
                vtepEntryRefs[vtep.index()]++;
                for (final FdbListener listener : listeners)
                {
                    try
                    {
                        listener.onGroupMemberAdded(vni, vtep);
                    }
                    catch (final RuntimeException ex)
                    {
                        settings.errorHandler().onError(ex);
                    }
                }
            }
        }
    }

    private void groupMemberRemoved(final VniFdb fdb, final int index)
    {
        vtepEntryRefs[index]--;
        final RemoteVtep vtep = remoteVteps.byIndex(index);
        for (final FdbListener listener : listeners)
        {
            try
            {
                listener.onGroupMemberRemoved(fdb.vni(), vtep);
            }
            catch (final RuntimeException ex)
            {
                settings.errorHandler().onError(ex);
            }
        }
    }

    private void onLearnedLocal(final int vni, final long mac, final int attachment, final long nowNanos)
    {
        final VniFdb fdb = vnis.get(vni);
        if (fdb != null && fdb.learningMode().learnsLocal())
        {
            applyLearn(fdb, mac, FdbEntry.local(attachment, Origin.LOCAL), nowNanos);
        }
    }

    private void onLearnedRemote(final int vni, final long mac, final int vtepReference, final long nowNanos)
    {
        final VniFdb fdb = vnis.get(vni);
        if (fdb != null && fdb.learningMode().learnsRemote())
        {
            final RemoteVtep vtep = remoteVteps.byIndex(vtepReference & RemoteVtepTable.INDEX_MASK);
            if (isCurrentVtep(vtep, vtepReference))
            {
                applyLearn(fdb, mac, FdbEntry.remote(vtep.index(), Origin.REMOTE), nowNanos);
            }
        }
    }

    /**
     * A remote learn event names its VTEP by index; the index may have been freed by ageing, or even
     * reused, since the packet was seen (RemoteVtepTable, "Why an index may be reused"). Learn only
     * behind the VTEP the packet came from, if it is still in the table.
     */
    private static boolean isCurrentVtep(final RemoteVtep vtep, final int target)
    {
        return null != vtep && !vtep.isRemoved() && vtep.isLearnTarget(target);
    }

    /**
     * The writer's half of data-plane learning: re-checks what the data path decided, since
     * the table may have changed since the event was queued.
     */
    private void applyLearn(final VniFdb fdb, final long mac, final long learned, final long nowNanos)
    {
        final MacTable table = fdb.table();
        final long current = table.get(mac);
        if (current == learned)
        {
            if (nowNanos - table.lastSeen(mac) > 0)
            {
                table.touch(mac, nowNanos); // a duplicate event: only time moves on
            }
            return;
        }
        if (current != FdbEntry.NONE && !FdbEntry.isLearned(current) && !isMoveToLocalPort(current, learned))
        {
            return; // static and EVPN entries win over data-plane learning
        }
        if (FdbEntry.origin(learned) == Origin.REMOTE && fdb.isHeldLocal(mac, current, nowNanos))
        {
            fdb.countMoveRefused(); // the local host spoke within the hold: not moved by one packet
            return;
        }
        // A new MAC, or an EVPN MAC moving to a local port, adds a learned entry: both count
        // against the VNI's MAC limit, which bounds learned entries whatever they replace.
        final boolean addsLearned = current == FdbEntry.NONE || !FdbEntry.isLearned(current);
        if (addsLearned && fdb.macLimit() != 0 && fdb.learnedEntries() >= fdb.macLimit())
        {
            fdb.countLimitHit();
            return;
        }
        if (current == FdbEntry.NONE && cap.isFull())
        {
            cap.countHit();
            return;
        }

        install(fdb, mac, learned, nowNanos);
    }

    /**
     * A MAC that EVPN placed behind a remote VTEP and that now sends from a local port has moved
     * here (RFC 7432 §15): the local entry replaces the EVPN one, and the control plane, told by
     * its listener, advertises the MAC with a higher sequence number. A synced entry ({@link #putEvpnLocal}) is replaced
     * the same way, on its own attachment too: the MAC becomes locally learned, and we advertise it as well. Data-plane
     * learning from the
     * overlay never replaces an EVPN entry: in EVPN the control plane says where remote MACs are.
     */
    private static boolean isMoveToLocalPort(final long current, final long learned)
    {
        return FdbEntry.origin(current) == Origin.EVPN && !FdbEntry.isPinned(current) && FdbEntry.origin(learned) == Origin.LOCAL;
    }

    private void putStatic(final int vni, final long mac, final long entry, final RemoteVtep vtepOrNull)
    {
        requireMac(mac);
        writeLock.lock();
        try
        {
            final VniFdb fdb = requireVni(vni);
            if (null != vtepOrNull)
            {
                requireLiveAndPin(vtepOrNull);
            }
            if (fdb.table().get(mac) == FdbEntry.NONE && cap.isFull())
            {
                cap.countHit();
                throw new IllegalStateException("FDB full at " + cap.maxEntries() + " entries: static entry " +
                    Long.toHexString(mac) + " in VNI " + vni + " not installed");
            }
            install(fdb, mac, entry, settings.clock().nanoTime());
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * Puts an entry, keeps the per-origin counts, counts moves and tells the listeners.
     */
    private void install(final VniFdb fdb, final long mac, final long entry, final long nowNanos)
    {
        final long previous = fdb.table().put(mac, entry, nowNanos);
        if (previous == entry)
        {
            return;
        }

        final Origin origin = FdbEntry.origin(entry);
        fdb.countEntry(origin, 1);
        countVtepRef(entry, 1);
        if (previous == FdbEntry.NONE)
        {
            cap.add(1);
            notifyAdded(fdb.vni(), mac, entry);
            return;
        }

        fdb.countEntry(FdbEntry.origin(previous), -1);
        countVtepRef(previous, -1);
        if (!FdbEntry.sameDestination(previous, entry))
        {
            fdb.countMove();
        }
        notifyChanged(fdb.vni(), mac, previous, entry);
    }

    private void removeEntry(final VniFdb fdb, final long mac)
    {
        final long previous = fdb.table().remove(mac);
        if (previous != FdbEntry.NONE)
        {
            fdb.countEntry(FdbEntry.origin(previous), -1);
            countVtepRef(previous, -1);
            cap.add(-1);
            notifyRemoved(fdb.vni(), mac, previous);
        }
    }

    /** Keeps {@link #vtepEntryRefs}: a VTEP with entries pointing at it is never aged out. */
    private void countVtepRef(final long entry, final int delta)
    {
        if (FdbEntry.isRemote(entry))
        {
            vtepEntryRefs[FdbEntry.vtepIndex(entry)] += delta;
        }
    }

    private void notifyAdded(final int vni, final long mac, final long entry)
    {
        for (final FdbListener listener : listeners)
        {
            try
            {
                listener.onEntryAdded(vni, mac, entry);
            }
            catch (final RuntimeException ex)
            {
                settings.errorHandler().onError(ex);
            }
        }
    }

    private void notifyChanged(final int vni, final long mac, final long oldEntry, final long newEntry)
    {
        for (final FdbListener listener : listeners)
        {
            try
            {
                listener.onEntryChanged(vni, mac, oldEntry, newEntry);
            }
            catch (final RuntimeException ex)
            {
                settings.errorHandler().onError(ex);
            }
        }
    }

    private void notifyRemoved(final int vni, final long mac, final long oldEntry)
    {
        for (final FdbListener listener : listeners)
        {
            try
            {
                listener.onEntryRemoved(vni, mac, oldEntry);
            }
            catch (final RuntimeException ex)
            {
                settings.errorHandler().onError(ex);
            }
        }
    }

    private void notifyFloodList(final VniFdb fdb)
    {
        for (final FdbListener listener : listeners)
        {
            try
            {
                listener.onFloodListChanged(fdb.vni(), fdb.floodList());
            }
            catch (final RuntimeException ex)
            {
                settings.errorHandler().onError(ex);
            }
        }
    }

    private VniFdb requireVni(final int vni)
    {
        final VniFdb fdb = vnis.get(vni);
        if (null == fdb)
        {
            throw new IllegalArgumentException("unknown VNI " + vni);
        }
        return fdb;
    }

    private void requireOwn(final RemoteVtep vtep)
    {
        Objects.requireNonNull(vtep, "vtep");
        if (!remoteVteps.contains(vtep))
        {
            throw new IllegalArgumentException(vtep + " was not interned by this FDB's remote VTEP table");
        }
    }

    /**
     * Under the write lock, which the ageing sweep also holds: a VTEP that is still in the table here
     * cannot be removed before the entry or flood list that refers to it is in place, and once
     * pinned it never is.
     */
    private void requireLiveAndPin(final RemoteVtep vtep)
    {
        if (vtep.isRemoved())
        {
            throw new IllegalArgumentException(vtep + " has aged out of the remote VTEP table; intern its address again");
        }
        remoteVteps.pin(vtep);
    }

    private static void requireMac(final long mac)
    {
        if ((mac & ~MacTable.MAC_MASK) != 0)
        {
            throw new IllegalArgumentException("MAC wider than 48 bits: 0x" + Long.toHexString(mac));
        }
    }

    private static void requireMulticast(final int vni, final VtepAddress group)
    {
        if (null != group && !group.isMulticast())
        {
            throw new IllegalArgumentException("multicast group " + group + " of VNI " + vni + " is not a multicast address");
        }
    }

    private static int indexOf(final RemoteVtep[] vteps, final int length, final RemoteVtep vtep)
    {
        for (int i = 0; i < length; i++)
        {
            if (vteps[i] == vtep)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Ageing policy and removal callback for one VNI at a time; one instance, reused, so a
     * sweep allocates nothing.
     */
    private final class AgeingSweep implements MacTable.EntryPredicate, MacTable.EntryVisitor
    {
        VniFdb fdb;
        long nowNanos;

        @Override
        public boolean test(final long mac, final long entry, final long lastSeenNanos)
        {
            return FdbEntry.isLearned(entry) && nowNanos - lastSeenNanos > settings.ageingNanos();
        }

        @Override
        public void accept(final long mac, final long entry, final long lastSeenNanos)
        {
            fdb.countEntry(FdbEntry.origin(entry), -1);
            countVtepRef(entry, -1);
            cap.add(-1);
            notifyRemoved(fdb.vni(), mac, entry);
        }
    }
}
