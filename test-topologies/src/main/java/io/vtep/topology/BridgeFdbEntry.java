package io.vtep.topology;

import java.util.List;

/**
 * One line of the Linux bridge's {@code bridge fdb show}, from its JSON form ({@code bridge -j fdb show});
 * strings as iproute2 prints them, unlike vtep's own {@code io.vtep.fdb.FdbEntry} (an entry packed in a
 * {@code long}).
 *
 * <p>On a kernel VTEP, {@code bridge fdb show dev vxlanN} lists two kinds of entries: the vxlan
 * device's own table ({@code self}, with {@code dst} = the remote VTEP; the all-zero MAC is the
 * flood list) and the bridge's table for that port ({@code master br0}, no {@code dst}).
 *
 * @param mac    the MAC address, lower case
 * @param dst    the remote VTEP address for vxlan entries, else null
 * @param flags  flags as printed ("self", "master", "extern_learn", "offload", ...)
 * @param state  "permanent", "static", "" for learned entries, ...
 * @param master the bridge for bridge-table entries, else null
 * @param vni    the VNI when the entry names one (collect-metadata devices), else null
 */
public record BridgeFdbEntry(String mac, String dst, List<String> flags, String state, String master, Integer vni)
{

    /** The MAC of flood-list entries. */
    public static final String ALL_ZEROS = "00:00:00:00:00:00";

    public BridgeFdbEntry
    {
        flags = List.copyOf(flags);
    }

    /** An entry of the vxlan device's own table (not the bridge's). */
    public boolean isVxlanEntry()
    {
        return master == null && dst != null;
    }

    /** A head-end replication (flood list) entry: all-zero MAC with a destination. */
    public boolean isFloodEntry()
    {
        return ALL_ZEROS.equals(mac) && dst != null;
    }

    /** Learned, not configured (no permanent/static state). */
    public boolean isLearned()
    {
        return state == null || state.isEmpty() || "stale".equals(state) || "reachable".equals(state);
    }

    /** Parses {@code bridge -j fdb show} output. */
    static List<BridgeFdbEntry> parseJson(String json)
    {
        return Json.objects(json).stream().map(m ->
        {
            Object vni = m.get("vni");
            return new BridgeFdbEntry(
                String.valueOf(m.get("mac")).toLowerCase(),
                m.get("dst") == null ? null : m.get("dst").toString(),
                Json.strings(m, "flags"),
                m.get("state") == null ? "" : m.get("state").toString(),
                m.get("master") == null ? null : m.get("master").toString(),
                vni instanceof Number n ? n.intValue() : null);
        }).toList();
    }

    @Override
    public String toString()
    {
        return mac + (dst != null ? " dst " + dst : "") + (vni != null ? " vni " + vni : "") + (master != null ? " master " + master : "") + (flags
            .isEmpty() ? "" : " " + String.join(" ", flags)) + (state.isEmpty() ? "" : " " + state);
    }
}
