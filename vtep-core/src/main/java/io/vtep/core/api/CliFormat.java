package io.vtep.core.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How {@code vtep fdb show}, {@code vtep vni list}, {@code vtep bgp summary} and {@code vtep bgp routes}
 * print the API's JSON documents ({@code /api/v1/fdb}, {@code /api/v1/vnis}, {@code /api/v1/bgp},
 * {@code /api/v1/bgp/routes}). Pure functions of the parsed JSON, so they are
 * tested without a running vtep.
 */
public final class CliFormat
{
    private CliFormat()
    {
    }

    /**
     * One line per entry, in the manner of {@code bridge fdb show}:
     * <pre>
     * 02:00:00:00:00:01 vni 100 dev acc1 local age 3s
     * 02:00:00:00:00:02 vni 200 dev acc1 vlan 10 local age 1s
     * 02:00:00:00:00:0b vni 100 dst 192.0.2.2 remote age 12s
     * 02:00:00:00:00:09 vni 100 dst 198.51.100.3 static
     * 02:00:00:00:00:0c vni 100 dst 192.0.2.7 static runtime
     * </pre>
     * Learned entries (local, remote) show their age; static and EVPN entries never age and show none.
     * {@code runtime} marks a static entry added through the API ({@code vtep fdb add}).
     */
    public static String fdbShow(final Map<String, Object> document)
    {
        final StringBuilder out = new StringBuilder();
        for (final Map<String, Object> entry : objects(document.get("entries")))
        {
            out.append(text(entry.get("mac"))).append(" vni ").append(text(entry.get("vni")));
            if (entry.get("remote") != null)
            {
                out.append(" dst ").append(text(entry.get("remote")));
                if (entry.get("alias_vteps") instanceof List<?> aliases && !aliases.isEmpty())
                {
                    // A MAC on a remote Ethernet segment: its flows go to any of these (RFC 7432 §8.4).
                    out.append(" (aliasing: ").append(String.join(", ", aliases.stream().map(CliFormat::text).toList())).append(')');
                }
            }
            else
            {
                out.append(" dev ").append(entry.get("port") == null ? "?" : text(entry.get("port")));
                if (entry.get("vlan") != null)
                {
                    out.append(" vlan ").append(text(entry.get("vlan")));
                }
            }
            final String origin = text(entry.get("origin"));
            out.append(' ').append(origin);
            if ((origin.equals("local") || origin.equals("remote")) && entry.get("age_seconds") != null)
            {
                out.append(" age ").append(text(entry.get("age_seconds"))).append('s');
            }
            if (Boolean.TRUE.equals(entry.get("runtime")))
            {
                // Added through the API: gone after a reload unless the file has it.
                out.append(" runtime");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * A table, one VNI a row, packets per side, then the non-zero drops by reason:
     * <pre>
     * VNI  LEARNING    PORTS  FLOOD      MACS  RX-ACCESS  TX-ACCESS  RX-OVERLAY  TX-OVERLAY  FLOODS  DROPS
     * 100  data-plane  acc1   192.0.2.2  2     5          4          4           5           1       0
     * drops in VNI 100: no_route 3
     * drops without a VNI: malformed 11
     * lacp on acc1: distributing, partner 00:11:22:33:44:55 key 1 port 2 (current)
     * </pre>
     * FLOOD is the head-end replication list, or {@code group ADDRESS} for a multicast group,
     * or {@code -} for neither.
     */
    public static String vniList(final Map<String, Object> document)
    {
        final List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("VNI", "LEARNING", "PORTS", "FLOOD", "MACS", "RX-ACCESS", "TX-ACCESS", "RX-OVERLAY", "TX-OVERLAY",
            "FLOODS", "DROPS"));
        final StringBuilder drops = new StringBuilder();
        for (final Map<String, Object> vni : objects(document.get("vnis")))
        {
            final Map<String, Object> counters = object(vni.get("counters"));
            final Map<String, Object> vniDrops = object(counters.get("drops"));
            rows.add(List.of(
                text(vni.get("vni")),
                text(vni.get("learning")),
                joined(vni.get("ports")),
                flood(vni),
                text(object(vni.get("fdb")).get("total")),
                packets(counters, "rx", "access"),
                packets(counters, "tx", "access"),
                packets(counters, "rx", "overlay"),
                packets(counters, "tx", "overlay"),
                text(counters.get("floods")),
                Long.toString(sum(vniDrops))));
            final String nonZero = nonZero(vniDrops);
            if (!nonZero.isEmpty())
            {
                drops.append("drops in VNI ").append(text(vni.get("vni"))).append(": ").append(nonZero).append('\n');
            }
        }
        final String global = nonZero(object(document.get("drops")));
        if (!global.isEmpty())
        {
            drops.append("drops without a VNI: ").append(global).append('\n');
        }
        return table(rows) + drops + lacpPorts(document);
    }

    /**
     * One line per access port with LACP, from the VNIs' {@code port_states}:
     * {@code lacp on acc1: distributing, partner 00:11:22:33:44:55 key 1 port 2 (current)}.
     */
    private static String lacpPorts(final Map<String, Object> document)
    {
        final Map<String, String> lines = new java.util.TreeMap<>();
        for (final Map<String, Object> vni : objects(document.get("vnis")))
        {
            for (final Map<String, Object> port : objects(vni.get("port_states")))
            {
                if (port.get("lacp") instanceof Map<?, ?>)
                {
                    lines.put(text(port.get("port")), "lacp on " + text(port.get("port")) + ": " + lacp(port.get("lacp")) + "\n");
                }
            }
        }
        return String.join("", lines.values());
    }

    /**
     * A port's {@code lacp} object ({@code GET /api/v1/ports}, {@code GET /api/v1/es}) in a few words:
     * {@code distributing, partner 00:11:22:33:44:55 key 1 port 2 (current)}, or
     * {@code not distributing (MUX STATE), partner …}.
     */
    public static String lacp(final Object lacpObject)
    {
        final Map<String, Object> lacp = object(lacpObject);
        final Map<String, Object> partner = object(lacp.get("partner"));
        return (Boolean.TRUE.equals(lacp.get("distributing")) ? "distributing" : "not distributing (" + text(lacp.get("mux_state")) + ")") +
            ", partner " + text(partner.get("system")) + " key " + text(partner.get("key")) + " port " + text(partner.get("port")) +
            " (" + text(lacp.get("receive_state")) + ")";
    }

    /**
     * The peers in the manner of FRR's {@code show bgp summary}, then the EVPN totals:
     * <pre>
     * BGP router identifier 198.51.100.1, local AS 65001, listening on *:179
     * NEIGHBOR   AS     TYPE  STATE        UP/DOWN   PFX-RCVD  PFX-ACC  PFX-SENT  UPD-RCVD  UPD-SENT  DESCRIPTION
     * 192.0.2.2  65000  ebgp  Established  00:01:02  3         3        2         5         4         spine
     * EVPN: 7 routes, 0 MAC moves, no duplicate MACs
     * </pre>
     * A peer that is not Established shows its last error underneath.
     */
    public static String bgpSummary(final Map<String, Object> document)
    {
        final StringBuilder out = new StringBuilder();
        out.append("BGP router identifier ").append(text(document.get("router_id")))
            .append(", local AS ").append(text(document.get("asn")))
            .append(", listening on ").append(text(document.get("listen"))).append('\n');
        final List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NEIGHBOR", "AS", "TYPE", "STATE", "UP/DOWN", "PFX-RCVD", "PFX-ACC", "PFX-SENT", "UPD-RCVD", "UPD-SENT",
            "DESCRIPTION"));
        final StringBuilder errors = new StringBuilder();
        for (final Map<String, Object> peer : objects(document.get("peers")))
        {
            rows.add(List.of(
                text(peer.get("address")),
                text(peer.get("remote_as")),
                text(peer.get("type")),
                text(peer.get("state")),
                duration(peer.get("uptime_seconds")),
                text(peer.get("prefixes_received")),
                text(peer.get("prefixes_accepted")),
                text(peer.get("prefixes_sent")),
                text(peer.get("updates_received")),
                text(peer.get("updates_sent")),
                peer.get("description") == null || text(peer.get("description")).isEmpty() ? "-" : text(peer.get("description"))));
            if (!"Established".equals(peer.get("state")) && peer.get("last_error") != null)
            {
                errors.append("  ").append(text(peer.get("address"))).append(": ").append(text(peer.get("last_error"))).append('\n');
            }
        }
        out.append(table(rows)).append(errors);
        final Map<String, Object> evpn = object(document.get("evpn"));
        final String duplicates = joined(evpn.get("duplicate_macs"));
        out.append("EVPN: ").append(text(evpn.get("routes"))).append(" routes, ")
            .append(text(evpn.get("mac_moves"))).append(" MAC moves, ")
            .append(duplicates.equals("-") ? "no duplicate MACs" : "duplicate MACs " + duplicates).append('\n');
        return out.toString();
    }

    /**
     * One line per route, best paths marked {@code *}, in the manner of FRR's EVPN route table:
     * <pre>
     * * vni 100 type 2 [02:00:00:00:00:0b] rd 198.51.100.2:2 via 198.51.100.2 from 192.0.2.2 seq 0
     * * vni 100 type 3 rd 198.51.100.1:1 via 198.51.100.1 from local
     * </pre>
     */
    public static String bgpRoutes(final Map<String, Object> document)
    {
        final StringBuilder out = new StringBuilder();
        for (final Map<String, Object> route : objects(document.get("routes")))
        {
            out.append(Boolean.TRUE.equals(route.get("best")) ? "* " : "  ")
                .append("vni ").append(text(route.get("vni")))
                .append(" type ").append(text(route.get("type")));
            if (route.get("mac") != null)
            {
                out.append(" [").append(text(route.get("mac")));
                if (route.get("ip") != null)
                {
                    out.append(' ').append(text(route.get("ip")));
                }
                out.append(']');
            }
            out.append(" rd ").append(text(route.get("rd")))
                .append(" via ").append(text(route.get("next_hop")))
                .append(" from ").append(text(route.get("source")));
            if (route.get("mac") != null)
            {
                out.append(" seq ").append(text(route.get("sequence")));
                if (Boolean.TRUE.equals(route.get("sticky")))
                {
                    out.append(" sticky");
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String duration(final Object seconds)
    {
        if (!(seconds instanceof Number number))
        {
            return "never";
        }
        final long total = number.longValue();
        final long days = total / 86_400;
        final String clock = String.format("%02d:%02d:%02d", total / 3600 % 24, total / 60 % 60, total % 60);
        return days > 0 ? days + "d" + clock : clock;
    }

    private static String flood(final Map<String, Object> vni)
    {
        final String list = joined(vni.get("flood"));
        final Object group = vni.get("multicast_group");
        if (group != null)
        {
            return list.equals("-") ? "group " + group : list + " group " + group;
        }
        return list;
    }

    private static String packets(final Map<String, Object> counters, final String direction, final String side)
    {
        return text(object(object(counters.get(direction)).get(side)).get("packets"));
    }

    private static long sum(final Map<String, Object> counts)
    {
        long total = 0;
        for (final Object value : counts.values())
        {
            if (value instanceof Number number)
            {
                total += number.longValue();
            }
        }
        return total;
    }

    private static String nonZero(final Map<String, Object> counts)
    {
        final List<String> parts = new ArrayList<>();
        for (final Map.Entry<String, Object> e : counts.entrySet())
        {
            if (e.getValue() instanceof Number number && number.longValue() != 0)
            {
                parts.add(e.getKey() + " " + number.longValue());
            }
        }
        return String.join(", ", parts);
    }

    /** Columns left-aligned, two spaces apart, no trailing blanks. */
    public static String table(final List<List<String>> rows)
    {
        final int columns = rows.getFirst().size();
        final int[] widths = new int[columns];
        for (final List<String> row : rows)
        {
            for (int i = 0; i < columns; i++)
            {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        final StringBuilder out = new StringBuilder();
        for (final List<String> row : rows)
        {
            final StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++)
            {
                line.append(row.get(i));
                if (i < columns - 1)
                {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    public static String joined(final Object list)
    {
        if (!(list instanceof List<?> items) || items.isEmpty())
        {
            return "-";
        }
        final List<String> parts = new ArrayList<>();
        for (final Object item : items)
        {
            parts.add(text(item));
        }
        return String.join(",", parts);
    }

    public static String text(final Object value)
    {
        if (value == null)
        {
            return "-";
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d))
        {
            return Long.toString(d.longValue());
        }
        return value.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(final Object value)
    {
        return value instanceof Map<?, ?> map ? (Map<String, Object>)map : Map.of();
    }

    public static List<Map<String, Object>> objects(final Object value)
    {
        final List<Map<String, Object>> list = new ArrayList<>();
        if (value instanceof List<?> items)
        {
            for (final Object item : items)
            {
                list.add(object(item));
            }
        }
        return list;
    }
}
