package io.vtep.topology;

import java.util.List;

/**
 * One entry of a host's neighbour (ARP) table, from {@code ip -j neigh show}.
 *
 * @param ip     the neighbour's address
 * @param mac    its link-layer address, lower case, or null while unresolved (INCOMPLETE, FAILED)
 * @param states the NUD states ("REACHABLE", "STALE", "PERMANENT", "FAILED", ...)
 */
public record Neighbor(String ip, String mac, List<String> states)
{

    public Neighbor
    {
        states = List.copyOf(states);
    }

    /** True when the entry has a MAC address and is not FAILED or INCOMPLETE. */
    public boolean resolved()
    {
        return mac != null && !states.contains("FAILED") && !states.contains("INCOMPLETE");
    }

    /** Parses the JSON of {@code ip -j neigh show}. */
    static List<Neighbor> parseJson(String json)
    {
        return Json.objects(json).stream().map(m ->
        {
            Object mac = m.get("lladdr");
            return new Neighbor(String.valueOf(m.get("dst")), mac == null ? null : mac.toString().toLowerCase(), Json.strings(m, "state"));
        }).toList();
    }
}
