package io.vtep.fdb;

/**
 * An FDB entry packed into a {@code long}, so a MAC table is a primitive {@code long → long}
 * map and a lookup never allocates. {@link #NONE} ({@code 0L}) means "no entry"; every real
 * entry has the {@code VALID} bit set and is therefore never zero.
 *
 * <pre>
 *    63      56 55        40 39   37 36 35 34 33 32 31                              0
 *   +----------+------------+-------+--+--+-----+--+---------------------------------+
 *   | res. (0) | alias group|res.(0)|P |V |orig |R |  attachment id  or  VTEP index  |
 *   +----------+------------+-------+--+--+-----+--+---------------------------------+
 *   alias group = EVPN aliasing ({@link AliasGroups}): 0, or the group of VTEPs that also reach the MAC
 *   P    = pinned: an EVPN entry that learning on a local port must not replace
 *   V    = valid, always 1
 *   orig = Origin ordinal (local, remote, static, evpn)
 *   R    = 1: the MAC is behind a remote VTEP (target = RemoteVtep index)
 *          0: the MAC is on a local attachment (target = attachment id, opaque to the FDB)
 * </pre>
 *
 * <p>All methods are pure bit arithmetic: safe and allocation-free on the data path.
 */
public final class FdbEntry
{
    /** No entry. */
    public static final long NONE = 0L;

    private static final long TARGET_MASK = 0xFFFF_FFFFL;
    private static final int REMOTE_SHIFT = 32;
    private static final int ORIGIN_SHIFT = 33;
    private static final long ORIGIN_MASK = 0b11L;
    private static final long REMOTE_BIT = 1L << REMOTE_SHIFT;
    private static final long VALID_BIT = 1L << 35;
    private static final long PINNED_BIT = 1L << 36;
    private static final int ALIAS_SHIFT = 40;
    private static final long ALIAS_MASK = 0xFFFFL;

    private FdbEntry()
    {
    }

    /**
     * An entry for a MAC on a local attachment (an access port and VLAN, numbered by the core).
     *
     * @param attachment opaque id of the attachment; any {@code int}.
     * @param origin     {@link Origin#LOCAL} (learned), {@link Origin#STATIC} (configured) or
     *                   {@link Origin#EVPN} (a MAC of one of our Ethernet segments that another gateway of
     *                   it advertises: MAC sync, {@link Fdb#putEvpnLocal}).
     * @return the packed entry, never {@link #NONE}.
     * @throws IllegalArgumentException for an origin that cannot point at a local attachment.
     */
    public static long local(final int attachment, final Origin origin)
    {
        if (origin == Origin.REMOTE)
        {
            throw new IllegalArgumentException("a local entry has origin local, static or evpn, not remote");
        }

        return VALID_BIT | ((long)origin.ordinal() << ORIGIN_SHIFT) | (attachment & TARGET_MASK);
    }

    /**
     * An entry for a MAC behind a remote VTEP.
     *
     * @param vtepIndex {@link RemoteVtep#index()} of the VTEP, not negative.
     * @param origin    {@link Origin#REMOTE} (learned), {@link Origin#STATIC} or {@link Origin#EVPN}.
     * @return the packed entry, never {@link #NONE}.
     * @throws IllegalArgumentException for a negative index or an origin that cannot point at a
     *                                  remote VTEP.
     */
    public static long remote(final int vtepIndex, final Origin origin)
    {
        if (origin == Origin.LOCAL)
        {
            throw new IllegalArgumentException("a remote entry has origin remote, static or evpn, not local");
        }
        if (vtepIndex < 0)
        {
            throw new IllegalArgumentException("negative VTEP index " + vtepIndex);
        }

        return VALID_BIT | ((long)origin.ordinal() << ORIGIN_SHIFT) | REMOTE_BIT | vtepIndex;
    }

    /**
     * @param entry packed entry.
     * @return true for an entry (not {@link #NONE}) pointing at a local attachment.
     */
    public static boolean isLocal(final long entry)
    {
        return (entry & (VALID_BIT | REMOTE_BIT)) == VALID_BIT;
    }

    /**
     * @param entry packed entry.
     * @return true for an entry (not {@link #NONE}) pointing at a remote VTEP.
     */
    public static boolean isRemote(final long entry)
    {
        return (entry & (VALID_BIT | REMOTE_BIT)) == (VALID_BIT | REMOTE_BIT);
    }

    /**
     * @param entry packed entry.
     * @return true for an entry on a local attachment that the control plane installed (origin
     * {@link Origin#EVPN}: MAC sync, {@link Fdb#putEvpnLocal}), not one learned here or configured.
     */
    public static boolean isSynced(final long entry)
    {
        return isLocal(entry) && origin(entry) == Origin.EVPN;
    }

    /**
     * @param entry packed local entry.
     * @return its attachment id; meaningless unless {@link #isLocal(long)}.
     */
    public static int attachment(final long entry)
    {
        return (int)entry;
    }

    /**
     * @param entry packed remote entry.
     * @return its {@link RemoteVtep#index()}; meaningless unless {@link #isRemote(long)}.
     */
    public static int vtepIndex(final long entry)
    {
        return (int)entry;
    }

    /**
     * @param entry packed entry.
     * @return its origin, or null for {@link #NONE}.
     */
    public static Origin origin(final long entry)
    {
        return entry == NONE ? null : Origin.fromOrdinal((int)((entry >>> ORIGIN_SHIFT) & ORIGIN_MASK));
    }

    /**
     * @param entry packed entry.
     * @return true for a learned entry (local or remote origin): it ages out and data-plane
     * learning may move it; false for static, EVPN and {@link #NONE}.
     */
    public static boolean isLearned(final long entry)
    {
        // LOCAL and REMOTE are ordinals 0 and 1: the high origin bit is clear.
        return entry != NONE && (entry & (2L << ORIGIN_SHIFT)) == 0;
    }

    /**
     * An EVPN entry that a MAC heard on a local port does not replace: the route is sticky (RFC 7432
     * §15.2, the MAC must not move) or the control plane froze the MAC as a duplicate (§15.1).
     *
     * @param entry an entry of origin {@link Origin#EVPN}.
     * @return the same entry, pinned.
     */
    public static long pinned(final long entry)
    {
        if (origin(entry) != Origin.EVPN)
        {
            throw new IllegalArgumentException("only EVPN entries are pinned, not " + toString(entry));
        }
        return entry | PINNED_BIT;
    }

    /**
     * An EVPN entry for a MAC on a remote Ethernet segment: besides its own VTEP, the MAC is
     * reachable through every member of {@code group} (aliasing, RFC 7432 §8.4).
     *
     * @param entry an entry of origin {@link Origin#EVPN}.
     * @param group 0 (none) .. {@link AliasGroups#MAX_GROUPS}.
     * @return the same entry with that group.
     */
    public static long withAliasGroup(final long entry, final int group)
    {
        if (origin(entry) != Origin.EVPN || group < 0 || group > AliasGroups.MAX_GROUPS)
        {
            throw new IllegalArgumentException("alias group " + group + " on " + toString(entry));
        }
        return (entry & ~(ALIAS_MASK << ALIAS_SHIFT)) | ((long)group << ALIAS_SHIFT);
    }

    /**
     * @param entry packed entry.
     * @return its alias group, 0 for none.
     */
    public static int aliasGroup(final long entry)
    {
        return (int)((entry >>> ALIAS_SHIFT) & ALIAS_MASK);
    }

    /**
     * @param entry packed entry.
     * @return true for a {@link #pinned} entry.
     */
    public static boolean isPinned(final long entry)
    {
        return (entry & PINNED_BIT) != 0;
    }

    /**
     * @param a packed entry.
     * @param b packed entry.
     * @return true when both point at the same place (same attachment, or same VTEP), whatever
     * their origins; false if either is {@link #NONE}.
     */
    public static boolean sameDestination(final long a, final long b)
    {
        final long mask = VALID_BIT | REMOTE_BIT | TARGET_MASK;
        return a != NONE && (a & mask) == (b & mask);
    }

    /**
     * For logs, the CLI and tests. Allocates.
     *
     * @param entry packed entry.
     * @return such as {@code local attachment 3 (local)}, {@code remote vtep 2 (evpn)} or {@code none}.
     */
    public static String toString(final long entry)
    {
        if (entry == NONE)
        {
            return "none";
        }

        return (isLocal(entry) ? "local attachment " + attachment(entry) : "remote vtep " + vtepIndex(entry)) +
            " (" + origin(entry).label() + (isPinned(entry) ? ", pinned" : "") + (aliasGroup(entry) != 0 ? ", alias group " +
                aliasGroup(entry) : "") + ")";
    }
}
