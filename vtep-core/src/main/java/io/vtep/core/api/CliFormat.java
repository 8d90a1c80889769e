package io.vtep.core.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How {@code vtep fdb show} and {@code vtep vni list} print the API's JSON documents
 * ({@code /api/v1/fdb}, {@code /api/v1/vnis}). Pure functions of the parsed JSON, so they are
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
     * </pre>
     * Learned entries (local, remote) show their age; static and EVPN entries never age and show none.
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
        return table(rows) + drops;
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
    static String table(final List<List<String>> rows)
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

    private static String joined(final Object list)
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

    private static String text(final Object value)
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

    private static List<Map<String, Object>> objects(final Object value)
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
