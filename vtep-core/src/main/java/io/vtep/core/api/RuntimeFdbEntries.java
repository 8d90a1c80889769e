package io.vtep.core.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vtep.core.config.FdbConfig;
import io.vtep.core.config.VniConfig;
import io.vtep.core.config.VtepConfig;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;
import io.vtep.fdb.VniFdb;

/**
 * The static entries and flood-list entries added at run time through the API ({@code bin/vtep fdb
 * add|append}), as opposed to those of the configuration file: {@code GET /api/v1/fdb} and
 * {@code fdb show} mark them, and a reload keeps them only when the file has them
 * ({@link #keepOnlyConfigured}), like {@code bridge fdb} entries that are not in
 * {@code /etc/network/interfaces} do not survive {@code ifreload}.
 *
 * <p>Written by the API thread, read by it and by the reload; all methods are synchronized
 * (control path only, never the data path).
 */
public final class RuntimeFdbEntries
{
    /** VNI → MAC → the VTEP it was added to. */
    private final Map<Integer, Map<Long, VtepAddress>> statics = new HashMap<>();
    /** VNI → VTEPs appended to its flood list. */
    private final Map<Integer, Set<VtepAddress>> flood = new HashMap<>();

    synchronized void addStatic(final int vni, final long mac, final VtepAddress dst)
    {
        statics.computeIfAbsent(vni, v -> new HashMap<>()).put(mac, dst);
    }

    synchronized void forgetStatic(final int vni, final long mac)
    {
        final Map<Long, VtepAddress> macs = statics.get(vni);
        if (macs != null && macs.remove(mac) != null && macs.isEmpty())
        {
            statics.remove(vni);
        }
    }

    /** Whether this static entry was added at run time (and not since replaced by the file's). */
    public synchronized boolean isStatic(final int vni, final long mac)
    {
        final Map<Long, VtepAddress> macs = statics.get(vni);
        return macs != null && macs.containsKey(mac);
    }

    synchronized void addFlood(final int vni, final VtepAddress dst)
    {
        flood.computeIfAbsent(vni, v -> new LinkedHashSet<>()).add(dst);
    }

    synchronized void forgetFlood(final int vni, final VtepAddress dst)
    {
        final Set<VtepAddress> vteps = flood.get(vni);
        if (vteps != null && vteps.remove(dst) && vteps.isEmpty())
        {
            flood.remove(vni);
        }
    }

    /** Whether this flood-list entry was appended at run time. */
    public synchronized boolean isFlood(final int vni, final VtepAddress dst)
    {
        final Set<VtepAddress> vteps = flood.get(vni);
        return vteps != null && vteps.contains(dst);
    }

    /** Entries added at run time, static and flood together. */
    public synchronized int size()
    {
        return statics.values().stream().mapToInt(Map::size).sum() + flood.values().stream().mapToInt(Set::size).sum();
    }

    /**
     * After a reload has applied {@code config}: a runtime entry the file also has (same VNI, MAC
     * and VTEP; or the same VTEP in the VNI's flood list) becomes a configured one and is no longer
     * marked; every other one is taken out of the FDB (when it is still what was added: a static
     * entry to the same VTEP, or the VTEP in the flood list) and forgotten. For the reload engine to
     * call once the file's differences are applied.
     *
     * @return one line per entry removed, for the reload's log and answer
     */
    public synchronized List<String> keepOnlyConfigured(final VtepConfig config, final Fdb fdb)
    {
        final Set<String> configuredStatics = new HashSet<>();
        for (final FdbConfig.StaticEntry entry : config.fdb().staticEntries())
        {
            configuredStatics.add(entry.vni() + "/" + entry.mac() + "/" + entry.remote());
        }
        final Map<Integer, List<VtepAddress>> configuredFlood = new HashMap<>();
        for (final VniConfig vni : config.vnis())
        {
            configuredFlood.put(vni.vni(), vni.flood());
        }
        final List<String> removed = new ArrayList<>();
        for (final Map.Entry<Integer, Map<Long, VtepAddress>> vni : statics.entrySet())
        {
            for (final Map.Entry<Long, VtepAddress> mac : vni.getValue().entrySet())
            {
                if (!configuredStatics.contains(vni.getKey() + "/" + mac.getKey() + "/" + mac.getValue()) &&
                    removeStatic(fdb, vni.getKey(), mac.getKey(), mac.getValue()))
                {
                    removed.add("fdb " + MacAddress.format(mac.getKey()) + " vni " + vni.getKey() + " dst " + mac.getValue() +
                        " removed (added at run time, not in the file)");
                }
            }
        }
        for (final Map.Entry<Integer, Set<VtepAddress>> vni : flood.entrySet())
        {
            final List<VtepAddress> configured = configuredFlood.getOrDefault(vni.getKey(), List.of());
            for (final VtepAddress dst : vni.getValue())
            {
                final RemoteVtep vtep = fdb.remoteVteps().find(dst);
                if (!configured.contains(dst) && fdb.vni(vni.getKey()) != null && vtep != null)
                {
                    fdb.removeFromFloodList(vni.getKey(), vtep);
                    removed.add("flood " + dst + " vni " + vni.getKey() + " removed (appended at run time, not in the file)");
                }
            }
        }
        statics.clear();
        flood.clear();
        return removed;
    }

    private static boolean removeStatic(final Fdb fdb, final int vni, final long mac, final VtepAddress dst)
    {
        final VniFdb table = fdb.vni(vni);
        final RemoteVtep vtep = fdb.remoteVteps().find(dst);
        if (table == null || vtep == null)
        {
            return false;
        }
        final long entry = table.lookup(mac);
        return FdbEntry.origin(entry) == Origin.STATIC && FdbEntry.isRemote(entry) && FdbEntry.vtepIndex(entry) == vtep.index() &&
            fdb.remove(vni, mac, Origin.STATIC);
    }
}
