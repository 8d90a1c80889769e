package io.vtep.core.config;

import java.util.List;

/**
 * The {@code fdb:} section.
 *
 * @param ageingSeconds  how long a learned MAC lives without traffic
 * @param staticEntries  MACs pinned to remote VTEPs; never aged
 */
public record FdbConfig(int ageingSeconds, List<StaticEntry> staticEntries)
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
