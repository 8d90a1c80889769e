package io.vtep.core.api;

import java.util.ArrayList;
import java.util.List;

import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;
import io.vtep.fdb.VniFdb;

/**
 * The changes an operator makes to the FDB at run time, as iproute2's {@code bridge fdb} does to a
 * Linux VXLAN device: a static entry added or deleted, a VTEP appended to or deleted from a VNI's
 * flood list (head-end replication, RFC 7348 §4.2), learned entries flushed. What is added is
 * recorded in {@link RuntimeFdbEntries}. Control path (the API thread); the FDB's own write lock
 * orders these against learning, ageing and BGP EVPN.
 *
 * <p>Entries owned by BGP EVPN are not the operator's to change here: adding a static entry over
 * an EVPN one, or deleting an EVPN one, is a conflict (409): the route would be re-advertised and
 * the FDB would silently disagree with the control plane (RFC 7432 §9.2). Learned entries may be
 * replaced by a static one (as configured static entries replace them) or deleted (the MAC is
 * learned again from its next frame).
 */
final class FdbChanges
{
    private final Fdb fdb;
    private final RuntimeFdbEntries runtime;
    private final VtepAddress localOrNull;

    /** @param localOrNull this VTEP's underlay address: refused as a destination, and it sets the address family */
    FdbChanges(final Fdb fdb, final RuntimeFdbEntries runtime, final VtepAddress localOrNull)
    {
        this.fdb = fdb;
        this.runtime = runtime;
        this.localOrNull = localOrNull;
    }

    /** What a change did, for the answer: {@code changed} false when it was already so. */
    record Result(boolean changed, String what)
    {
    }

    /** A static entry: {@code mac} in {@code vni} is behind the VTEP {@code dst}. */
    Result addStatic(final int vni, final long mac, final VtepAddress dst)
    {
        final VniFdb table = requireVni(vni);
        requireDestination(dst);
        final long current = table.lookup(mac);
        final Origin origin = FdbEntry.origin(current);
        final RemoteVtep existing = fdb.remoteVteps().find(dst);
        if (origin == Origin.EVPN)
        {
            throw new ApiProblem(409, describe(vni, mac, current) + " comes from BGP EVPN; a static entry would hide the route " +
                "(withdraw it at the VTEP that advertises it)");
        }
        if (origin == Origin.STATIC)
        {
            if (existing != null && FdbEntry.isRemote(current) && FdbEntry.vtepIndex(current) == existing.index())
            {
                return new Result(false, describe(vni, mac, current) + " already");
            }
            throw new ApiProblem(409, describe(vni, mac, current) + " exists; delete it first (vtep fdb del " +
                MacAddress.format(mac) + " vni " + vni + ")");
        }
        final RemoteVtep vtep = intern(dst);
        try
        {
            fdb.addStatic(vni, mac, vtep);
        }
        catch (final IllegalStateException ex)
        {
            throw new ApiProblem(503, ex.getMessage());
        }
        runtime.addStatic(vni, mac, dst);
        return new Result(true, "fdb " + MacAddress.format(mac) + " vni " + vni + " dst " + dst + " static" +
            (origin == null ? "" : " (replaced a " + origin.label() + " entry)"));
    }

    /**
     * Deletes the entry of {@code mac}: a static one (run time or configured, until the next reload
     * puts a configured one back) or a learned one (learned again from the MAC's next frame).
     */
    Result delete(final int vni, final long mac)
    {
        final VniFdb table = requireVni(vni);
        final long current = table.lookup(mac);
        final Origin origin = FdbEntry.origin(current);
        if (origin == null)
        {
            throw new ApiProblem(404, "no entry for " + MacAddress.format(mac) + " in VNI " + vni);
        }
        if (origin == Origin.EVPN)
        {
            throw new ApiProblem(409, describe(vni, mac, current) + " comes from BGP EVPN; it goes when the route is withdrawn");
        }
        final String what = describe(vni, mac, current);
        if (!fdb.remove(vni, mac, origin))
        {
            throw new ApiProblem(409, what + " changed while being deleted; try again");
        }
        runtime.forgetStatic(vni, mac);
        return new Result(true, what + " deleted");
    }

    /** Appends {@code dst} to the flood list of {@code vni} ({@code bridge fdb append 00:00:00:00:00:00}). */
    Result appendFlood(final int vni, final VtepAddress dst)
    {
        final VniFdb table = requireVni(vni);
        requireDestination(dst);
        final RemoteVtep existing = fdb.remoteVteps().find(dst);
        if (existing != null && List.of(table.floodList()).contains(existing))
        {
            return new Result(false, "flood " + dst + " vni " + vni + " already");
        }
        fdb.addToFloodList(vni, intern(dst));
        runtime.addFlood(vni, dst);
        return new Result(true, "flood " + dst + " vni " + vni + " appended");
    }

    /** Takes {@code dst} off the flood list of {@code vni}, whoever put it there. */
    Result deleteFlood(final int vni, final VtepAddress dst)
    {
        final VniFdb table = requireVni(vni);
        final RemoteVtep existing = fdb.remoteVteps().find(dst);
        if (existing == null || !List.of(table.floodList()).contains(existing))
        {
            throw new ApiProblem(404, dst + " is not in the flood list of VNI " + vni);
        }
        fdb.removeFromFloodList(vni, existing);
        runtime.forgetFlood(vni, dst);
        return new Result(true, "flood " + dst + " vni " + vni + " deleted");
    }

    /**
     * Removes the learned entries of {@code vni}: those learned on local ports, from the overlay,
     * or both ({@code originOrNull} null). Static and EVPN entries stay. A MAC learned again while
     * the flush runs keeps its new entry ({@link Fdb#remove} removes only an entry of that origin).
     *
     * @return how many entries were removed
     */
    int flush(final int vni, final Origin originOrNull)
    {
        final VniFdb table = requireVni(vni);
        final List<long[]> learned = new ArrayList<>();
        table.forEach((v, mac, entry, age) ->
        {
            final Origin origin = FdbEntry.origin(entry);
            if (origin != null && origin.isLearned() && (originOrNull == null || origin == originOrNull))
            {
                learned.add(new long[] {mac, origin.ordinal()});
            }
        });
        int removed = 0;
        for (final long[] entry : learned)
        {
            if (fdb.remove(vni, entry[0], Origin.values()[(int)entry[1]]))
            {
                removed++;
            }
        }
        return removed;
    }

    private VniFdb requireVni(final int vni)
    {
        final VniFdb table = fdb.vni(vni);
        if (table == null)
        {
            throw new ApiProblem(404, "VNI " + vni + " is not configured");
        }
        return table;
    }

    private void requireDestination(final VtepAddress dst)
    {
        if (dst.isMulticast())
        {
            throw new ApiProblem(400, "dst: " + dst + " is a multicast address; a VTEP has a unicast one");
        }
        if (localOrNull != null && localOrNull.isIpv6() != dst.isIpv6())
        {
            throw new ApiProblem(400, "dst: " + dst + " is not of the underlay's address family (vtep.local-ip " + localOrNull + ")");
        }
        if (dst.equals(localOrNull))
        {
            throw new ApiProblem(400, "dst: " + dst + " is this VTEP's own address (vtep.local-ip)");
        }
    }

    private RemoteVtep intern(final VtepAddress dst)
    {
        final RemoteVtep vtep = fdb.remoteVteps().intern(dst);
        if (vtep == null)
        {
            throw new ApiProblem(503, "the remote VTEP table is full; " + dst + " cannot be added");
        }
        return vtep;
    }

    private String describe(final int vni, final long mac, final long entry)
    {
        final String where;
        if (FdbEntry.isRemote(entry))
        {
            final RemoteVtep vtep = fdb.remoteVteps().byIndex(FdbEntry.vtepIndex(entry));
            where = " dst " + (vtep == null ? "?" : vtep.address());
        }
        else
        {
            where = " on a local port";
        }
        return "the " + FdbEntry.origin(entry).label() + " entry " + MacAddress.format(mac) + " vni " + vni + where;
    }
}
