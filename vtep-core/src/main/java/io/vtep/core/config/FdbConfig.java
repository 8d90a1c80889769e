package io.vtep.core.config;

import java.util.List;

/**
 * The {@code fdb:} section.
 *
 * @param ageingSeconds           how long a learned MAC lives without traffic; also how long a
 *                                learned remote VTEP with no FDB entry lives without traffic
 * @param staticEntries           MACs pinned to remote VTEPs; never aged
 * @param maxEntries              most FDB entries in all VNIs together; 0 = sized from the heap
 *                                ({@code FdbSettings.defaultMaxEntries})
 * @param localMoveHoldSeconds    a MAC learned on a local port whose host spoke within this many
 *                                seconds is not moved to a remote VTEP by data-plane learning; 0 = off
 */
public record FdbConfig(int ageingSeconds, List<StaticEntry> staticEntries, int maxEntries, int localMoveHoldSeconds)
{
    public FdbConfig
    {
        staticEntries = List.copyOf(staticEntries);
    }

    /** A MAC pinned to a remote VTEP in a VNI. */
    public record StaticEntry(int vni, long mac, io.vtep.encap.VtepAddress remote)
    {
    }
}
