package io.vtep.fdb;

import java.util.concurrent.atomic.AtomicLongArray;

import org.agrona.concurrent.NanoClock;

import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;

/**
 * The forwarding database of one VNI: its MAC table, flood list and multicast group, learning
 * mode, MAC limit and counters. Made by {@link Fdb#addVni}.
 *
 * <p>Data-path methods ({@link #lookup}, {@link #learnLocal}, {@link #learnRemote},
 * {@link #floodList}, {@link #multicastGroup}) are lock-free and allocation-free and may be
 * called from any number of threads. Learning refreshes an entry in place when it already
 * says the same thing and otherwise queues a learn event for the FDB writer
 * ({@link FdbConductor}); nothing here changes the table directly. All writes happen in
 * {@link Fdb} under its write lock.
 */
public final class VniFdb
{
    private static final RemoteVtep[] NO_VTEPS = new RemoteVtep[0];

    // Counters live 64 bytes apart so that the writer bumping one does not slow data-path
    // threads bumping another.
    private static final int PAD = 8;
    private static final int MAC_MOVES = 4;
    private static final int MAC_LIMIT_HITS = 5;
    private static final int LEARN_QUEUE_DROPS = 6;
    private static final int MOVES_REFUSED = 7;
    private static final int COUNTERS = 8;

    private final int vni;
    private final LearningMode learningMode;
    /** Volatile: a reload may change it; read by the FDB writer when it learns a new MAC. */
    private volatile int macLimit;
    private final MacTable table;
    private final LearnQueue learnQueue;
    private final NanoClock clock;
    private final long refreshGranularityNanos;
    private final long localMoveHoldNanos;
    private final GlobalEntryCap cap;
    private final AtomicLongArray counters = new AtomicLongArray((COUNTERS + 1) * PAD);
    private final GroupMembers groupMembers;

    private volatile RemoteVtep[] floodList = NO_VTEPS;
    private volatile VtepAddress multicastGroup;

    VniFdb(
        final int vni,
        final LearningMode learningMode,
        final int macLimit,
        final VtepAddress multicastGroup,
        final LearnQueue learnQueue,
        final FdbSettings settings,
        final GlobalEntryCap cap)
    {
        this.vni = vni;
        this.learningMode = learningMode;
        this.macLimit = macLimit;
        this.multicastGroup = multicastGroup;
        this.learnQueue = learnQueue;
        this.clock = settings.clock();
        this.refreshGranularityNanos = settings.refreshGranularityNanos();
        this.localMoveHoldNanos = settings.localMoveHoldNanos();
        this.cap = cap;
        this.groupMembers = new GroupMembers(settings.remoteVtepCapacity());
        // Bounded by the global cap, not the MAC limit: static and EVPN entries do not count
        // towards the limit but do take slots. The cap keeps all tables together within it.
        this.table = new MacTable(64, settings.maxEntries());
    }

    public int vni()
    {
        return vni;
    }

    public LearningMode learningMode()
    {
        return learningMode;
    }

    /**
     * @return most learned (local + remote) entries; 0 means unlimited. Static and EVPN
     * entries neither count towards nor are refused by the limit.
     */
    public int macLimit()
    {
        return macLimit;
    }

    /**
     * A new limit (a configuration reload). Lowering it below the learned entries removes none:
     * they age out, and no new MAC is learned until the VNI is below the new limit.
     *
     * @param limit most learned entries, 0 for unlimited.
     */
    public void macLimit(final int limit)
    {
        if (limit < 0)
        {
            throw new IllegalArgumentException("negative MAC limit " + limit + " for VNI " + vni);
        }
        macLimit = limit;
    }

    // ------------------------------------------------------------------------------------
    // Data path: lock-free, allocation-free.
    // ------------------------------------------------------------------------------------

    /**
     * @param mac destination address in the low 48 bits.
     * @return the packed {@link FdbEntry}, or {@link FdbEntry#NONE} (flood).
     */
    public long lookup(final long mac)
    {
        return table.get(mac);
    }

    /**
     * Learns from a frame received on the access side: its source MAC is on this attachment.
     * Ignored when the VNI does not learn ({@link LearningMode#NONE}), for group and all-zero
     * source MACs, and when a static or EVPN entry holds the MAC.
     *
     * @param mac        source address in the low 48 bits.
     * @param attachment id of the access port + VLAN the frame arrived on.
     * @param nowNanos   from the FDB's clock ({@link FdbSettings#clock()}).
     */
    public void learnLocal(final long mac, final int attachment, final long nowNanos)
    {
        if (learningMode.learnsLocal() && isLearnableSource(mac))
        {
            learn(mac, FdbEntry.local(attachment, Origin.LOCAL), LearnQueue.LEARN_LOCAL, attachment, nowNanos);
        }
    }

    /**
     * Learns from a VXLAN packet received from the overlay: its inner source MAC is behind
     * the VTEP that sent it. Ignored unless the VNI learns from the data plane
     * ({@link LearningMode#DATA_PLANE}), and otherwise as {@link #learnLocal}.
     *
     * @param mac      inner source address in the low 48 bits.
     * @param vtep     the sender, interned in the FDB's {@link RemoteVtepTable}.
     * @param nowNanos from the FDB's clock ({@link FdbSettings#clock()}).
     */
    public void learnRemote(final long mac, final RemoteVtep vtep, final long nowNanos)
    {
        if (null != vtep)
        {
            // Keeps a learned VTEP from ageing out while it sends (RemoteVtepTable#sweep).
            vtep.refresh(nowNanos, refreshGranularityNanos);
        }
        if (learningMode.learnsRemote() && null != vtep && isLearnableSource(mac))
        {
            learn(mac, FdbEntry.remote(vtep.index(), Origin.REMOTE), LearnQueue.LEARN_REMOTE, vtep.learnTarget(), nowNanos);
        }
    }

    /**
     * Data path: a datagram of this VNI came from {@code vtep}. When it was addressed to the VNI's
     * multicast group ({@code toGroup}) and the VTEP is not yet a learned member, queues a
     * "member seen" event for the writer (so events flow only until the writer has made it one);
     * when it is a member, moves its last-seen time on (at most once per refresh granularity), so a
     * member ages out only after the ageing time of silence in this VNI, unicast included.
     * Lock-free, allocation-free.
     *
     * @param vtep     the sender, interned in the FDB's {@link RemoteVtepTable}.
     * @param toGroup  the datagram's destination address was {@link #multicastGroup()}.
     * @param nowNanos from the FDB's clock.
     */
    public void groupMemberSeen(final RemoteVtep vtep, final boolean toGroup, final long nowNanos)
    {
        if (!groupMembers.refresh(vtep.index(), nowNanos, refreshGranularityNanos) && toGroup &&
            !learnQueue.offer(LearnQueue.GROUP_MEMBER, vni, 0L, vtep.learnTarget(), nowNanos))
        {
            countRacy(LEARN_QUEUE_DROPS);
        }
    }

    /**
     * @param vtep a remote VTEP.
     * @return true while it is a member learned from the multicast group (lock-free).
     */
    public boolean isGroupMember(final RemoteVtep vtep)
    {
        return groupMembers.contains(vtep.index());
    }

    /**
     * @return remote VTEPs learned as members because they sent to the multicast group (the
     * {@code vtep_vni_members{source="group"}} gauge).
     */
    public int groupMemberCount()
    {
        return groupMembers.count();
    }

    /**
     * @return the head-end replication list; the same array until the list changes, then a
     * new one (copy-on-write). Never null. Do not modify it.
     */
    public RemoteVtep[] floodList()
    {
        return floodList;
    }

    /**
     * @return the multicast group BUM traffic is sent to, or null.
     */
    public VtepAddress multicastGroup()
    {
        return multicastGroup;
    }

    private void learn(final long mac, final long learned, final int type, final int target, final long nowNanos)
    {
        final long current = table.getAndRefresh(mac, learned, nowNanos, refreshGranularityNanos);
        if (current == learned)
        {
            return; // the common case: seen again where it already is, last-seen refreshed
        }

        if (current != FdbEntry.NONE)
        {
            if (!FdbEntry.isLearned(current) &&
                !(type == LearnQueue.LEARN_LOCAL && FdbEntry.origin(current) == Origin.EVPN && !FdbEntry.isPinned(current)))
            {
                // Static and EVPN entries are never overwritten by data-plane learning, except an
                // EVPN MAC heard on a local port: it moved here (RFC 7432 §15), the writer decides.
                return;
            }
            if (type == LearnQueue.LEARN_REMOTE && isHeldLocal(mac, current, nowNanos))
            {
                countRacy(MOVES_REFUSED);
                return;
            }
        }
        else if (macLimit != 0 && learnedEntries() >= macLimit)
        {
            countRacy(MAC_LIMIT_HITS);
            return;
        }
        else if (cap.isFull())
        {
            cap.countHit();
            return;
        }

        if (!learnQueue.offer(type, vni, mac, target, nowNanos))
        {
            countRacy(LEARN_QUEUE_DROPS);
        }
    }

    /**
     * The local-move hold: a MAC learned on a local port whose host refreshed it within
     * {@link FdbSettings#localMoveHoldNanos()} stays local, whatever a VXLAN packet from the
     * overlay says its inner source is. VXLAN has no authentication (RFC 7348 §7): without the
     * hold, one spoofed packet with a local host's MAC moves it to the spoofer and traffic to the
     * host is dropped until it speaks again. A host that really moved (a migrated VM) stops
     * refreshing its local entry, and after the hold its first packet from the overlay moves it, as
     * switch vendors' MAC-move dampening does. EVPN moves (RFC 7432 §15, sequence numbers) do not
     * pass here. Called only for an existing entry on a move: one extra lookup, no allocation.
     */
    boolean isHeldLocal(final long mac, final long current, final long nowNanos)
    {
        return localMoveHoldNanos != 0 && FdbEntry.isLocal(current) && FdbEntry.origin(current) == Origin.LOCAL &&
            nowNanos - table.lastSeen(mac) < localMoveHoldNanos;
    }

    static boolean isLearnableSource(final long mac)
    {
        return (mac & ~MacTable.MAC_MASK) == 0 && !MacAddress.isGroup(mac) && !MacAddress.isZero(mac);
    }

    // ------------------------------------------------------------------------------------
    // Control threads.
    // ------------------------------------------------------------------------------------

    /**
     * @return entries of every origin.
     */
    public int size()
    {
        return table.size();
    }

    /**
     * @param origin which entries.
     * @return how many entries have that origin (the {@code vtep_vni_fdb_entries} gauge).
     */
    public int entries(final Origin origin)
    {
        return (int)counters.getOpaque(index(origin.ordinal()));
    }

    /**
     * @return local + remote entries, the ones {@link #macLimit()} bounds.
     */
    public int learnedEntries()
    {
        return entries(Origin.LOCAL) + entries(Origin.REMOTE);
    }

    /**
     * @return times an existing entry's destination changed (local↔remote, between remote
     * VTEPs, between attachments), whatever the origins involved.
     */
    public long macMoves()
    {
        return counters.getOpaque(index(MAC_MOVES));
    }

    /**
     * @return new MACs not learned because the VNI was at its MAC limit (a lower bound: bumped
     * without atomics from every data-path thread).
     */
    public long macLimitHits()
    {
        return counters.getOpaque(index(MAC_LIMIT_HITS));
    }

    /**
     * @return moves of a local MAC to a remote VTEP refused by the local-move hold
     * ({@link FdbSettings#localMoveHoldNanos()}; a lower bound, bumped without atomics).
     */
    public long localMovesRefused()
    {
        return counters.getOpaque(index(MOVES_REFUSED));
    }

    /**
     * @return learn events dropped because the learn queue was full (the next packet from
     * the MAC tries again; a lower bound, bumped without atomics from every data-path thread).
     */
    public long learnQueueDrops()
    {
        return counters.getOpaque(index(LEARN_QUEUE_DROPS));
    }

    /**
     * @param mac address in the low 48 bits.
     * @return nanoseconds since the entry was last seen (or installed), or -1 when absent.
     */
    public long ageNanos(final long mac)
    {
        final long lastSeen = table.lastSeen(mac);
        return lastSeen == Long.MIN_VALUE ? -1 : clock.nanoTime() - lastSeen;
    }

    /**
     * Visits every entry. Each visit is consistent (MAC and entry belong together); entries
     * changed during the walk may or may not be visited. Does not block the writer.
     *
     * @param visitor receives (vni, mac, entry, ageNanos).
     */
    public void forEach(final FdbEntryVisitor visitor)
    {
        final long now = clock.nanoTime();
        table.forEach((mac, entry, lastSeen) -> visitor.visit(vni, mac, entry, now - lastSeen));
    }

    @Override
    public String toString()
    {
        return "VniFdb{vni=" + vni + ", learning=" + learningMode.label() + ", macLimit=" + macLimit +
            ", entries=" + size() + ", floodList=" + floodList.length + ", multicastGroup=" + multicastGroup + "}";
    }

    // ------------------------------------------------------------------------------------
    // Writer only (Fdb, under its write lock).
    // ------------------------------------------------------------------------------------

    MacTable table()
    {
        return table;
    }

    GroupMembers groupMembers()
    {
        return groupMembers;
    }

    void floodList(final RemoteVtep[] vteps)
    {
        floodList = vteps.length == 0 ? NO_VTEPS : vteps;
    }

    void multicastGroup(final VtepAddress group)
    {
        multicastGroup = group;
    }

    void countEntry(final Origin origin, final int delta)
    {
        final int i = index(origin.ordinal());
        counters.setRelease(i, counters.getPlain(i) + delta);
    }

    void countMove()
    {
        final int i = index(MAC_MOVES);
        counters.setRelease(i, counters.getPlain(i) + 1);
    }

    void countMoveRefused()
    {
        countRacy(MOVES_REFUSED);
    }

    void countLimitHit()
    {
        countRacy(MAC_LIMIT_HITS); // data-path threads count here too
    }

    /**
     * Bumps a counter that every data-path thread may bump: a plain read and an opaque store, no
     * atomic read-modify-write, as the data-path counter model does. At the MAC limit or with the
     * learn queue full, every packet from an unknown source gets here, and a lock-prefixed
     * increment on one shared cache line would serialise all workers exactly when the VTEP is
     * under pressure. The price: increments racing on two threads may count once, so these two
     * counters are a lower bound (they say "it happens, about this often", which is what they are for).
     */
    private void countRacy(final int counter)
    {
        final int i = index(counter);
        counters.setOpaque(i, counters.getOpaque(i) + 1);
    }

    private static int index(final int counter)
    {
        return (counter + 1) * PAD;
    }
}
