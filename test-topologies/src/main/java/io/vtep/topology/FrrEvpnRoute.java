package io.vtep.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One path of an EVPN route in FRR's BGP table, parsed from
 * {@code show bgp l2vpn evpn route detail json} (FRR 8.4). Only type 2 (MAC/IP) and type 3
 * (inclusive multicast) carry everything below; other types come with their RD, type and prefix.
 *
 * <p>FRR 8.4's JSON, per RD: {@code {"<rd>": {"rd": "<rd>", "<prefix>": {"prefix", "rd",
 * "routeType", "ethTag", "mac", "macLen", "ip", "ipLen", "paths": [[{path}]]}}, "numPrefix",
 * "numPaths"}}; note {@code paths} is a list of <em>lists</em> of path objects in 8.4 (flattened
 * here, so a flat list parses too). A path has {@code "vni"} (a string; absent on a remote type 3),
 * {@code "extendedCommunity": {"string": "RT:65000:100 ET:8 MM:1"}}, {@code "pmsi": {"tunnelType":
 * "Ingress Replication", "label": 100}} (type 3), {@code "nexthops": [{"ip": ...}]},
 * {@code "originatorId"} and {@code "clusterList": {"list": [...]}} (when reflected),
 * {@code "peer": {"peerId", "routerId", "type"}} (peerId {@code 0.0.0.0} for local routes),
 * {@code "aspath": {"string"}}, {@code "locPrf"}, {@code "valid"}, {@code "local"},
 * {@code "bestpath": {"overall": true}}. MAC mobility has no field of its own: it is
 * {@code MM:SEQ} (or {@code MM:SEQ, sticky MAC}) in the extended community string.
 *
 * @param rd                   route distinguisher, "192.0.2.1:2" (router-id:index when auto-derived)
 * @param routeType            1..5
 * @param prefix               FRR's prefix string, "[3]:[0]:[32]:[192.0.2.1]"
 * @param ethTag               Ethernet tag (0 for VLAN-based service)
 * @param mac                  type 2: the MAC, lower case; else null
 * @param ip                   type 2: the optional IP (null when MAC only); type 3: the originating router's IP
 * @param vni                  the VNI FRR shows for the path (type 2 label), or null
 * @param routeTargets         RT values, "65000:100"
 * @param encapsulation        tunnel type of the encapsulation extended community (8 = VXLAN), or null
 * @param macMobilitySeq       sequence number of the MAC mobility extended community, or null when absent
 * @param sticky               the MAC mobility community's sticky (static) flag
 * @param extendedCommunities  the extended communities as FRR prints them
 * @param pmsiTunnelType       "Ingress Replication" for VXLAN head-end replication (type 3), or null
 * @param pmsiLabel            the PMSI tunnel label (the VNI for VXLAN), or null
 * @param nextHop              the first next hop: the advertising VTEP's address
 * @param originatorId         ORIGINATOR_ID when a route reflector passed the route on, else null
 * @param clusterList          CLUSTER_LIST, empty unless reflected
 * @param peerId               the BGP peer the path came from; "0.0.0.0" for local routes
 * @param peerRouterId         that peer's router id (this router's own for local routes)
 * @param asPath               AS path as printed ("65002", "" or "Local" for iBGP/local)
 * @param local                originated by this router
 * @param best                 the best path for its prefix
 * @param valid                usable
 */
public record FrrEvpnRoute(
    String rd, int routeType, String prefix, long ethTag, String mac, String ip, Integer vni,
    List<String> routeTargets, Integer encapsulation, Long macMobilitySeq, boolean sticky, String extendedCommunities,
    String pmsiTunnelType, Integer pmsiLabel, String nextHop, String originatorId, List<String> clusterList,
    String peerId, String peerRouterId, String asPath, boolean local, boolean best, boolean valid)
{

    /** The PMSI tunnel type FRR prints for VXLAN head-end replication. */
    public static final String INGRESS_REPLICATION = "Ingress Replication";
    /** Encapsulation extended community tunnel type for VXLAN (RFC 8365 §5.1.3). */
    public static final int ENCAP_VXLAN = 8;

    private static final Pattern RT = Pattern.compile("(?:^|\\s)RT:(\\S+)");
    private static final Pattern ET = Pattern.compile("(?:^|\\s)ET:(\\d+)");
    private static final Pattern MM = Pattern.compile("(?:^|\\s)MM:(\\d+)(, sticky MAC)?");
    private static final Pattern MM_STICKY_ONLY = Pattern.compile("(?:^|\\s)MM:[Ss]ticky");
    private static final Pattern PREFIX_PART = Pattern.compile("\\[([^\\]]*)\\]");

    public FrrEvpnRoute
    {
        routeTargets = List.copyOf(routeTargets);
        clusterList = List.copyOf(clusterList);
    }

    public boolean isType2()
    {
        return routeType == 2;
    }

    public boolean isType3()
    {
        return routeType == 3;
    }

    /** Who originated the route: ORIGINATOR_ID when reflected, else the router id of the peer (or this router). */
    public String originator()
    {
        return originatorId != null ? originatorId : peerRouterId;
    }

    /** Whether {@code rt} ("65000:100") is among the route targets. */
    public boolean hasRouteTarget(String rt)
    {
        return routeTargets.contains(rt);
    }

    /** The VNI the route stands for: the PMSI label of a type 3, the label FRR shows for a type 2. */
    public Integer effectiveVni()
    {
        return isType3() && pmsiLabel != null ? pmsiLabel : vni;
    }

    /**
     * Parses {@code show bgp l2vpn evpn route [detail] json}: one record per path. Anything that is
     * not a route (counters such as {@code numPrefix}) is skipped, and entries without paths
     * (FRR keeps placeholders such as {@code [2]:[0]:[48]:[00:00:00:00:00:00]}) yield nothing.
     */
    public static List<FrrEvpnRoute> parse(String json)
    {
        List<FrrEvpnRoute> routes = new ArrayList<>();
        if (json == null || json.isBlank())
        {
            return routes;
        }
        Object root = Json.parse(json);
        if (!(root instanceof Map<?, ?> byRd))
        {
            throw new IllegalArgumentException("EVPN route JSON is not an object: " + Commands.tail(json, 300));
        }
        for (Map.Entry<?, ?> rdEntry : byRd.entrySet())
        {
            if (!(rdEntry.getValue() instanceof Map<?, ?> rdMap))
            {
                continue;
            }
            String rd = rdMap.get("rd") instanceof String s ? s : rdEntry.getKey().toString();
            for (Map.Entry<?, ?> e : rdMap.entrySet())
            {
                if (e.getValue() instanceof Map<?, ?> route && route.containsKey("paths"))
                {
                    parseRoute(rd, e.getKey().toString(), route, routes);
                }
            }
        }
        return routes;
    }

    private static void parseRoute(String rd, String key, Map<?, ?> route, List<FrrEvpnRoute> out)
    {
        List<Map<?, ?>> paths = new ArrayList<>();
        flattenPaths(route.get("paths"), paths);
        String prefix = route.get("prefix") instanceof String s ? s : key;
        List<String> parts = new ArrayList<>();
        Matcher pm = PREFIX_PART.matcher(prefix);
        while (pm.find())
        {
            parts.add(pm.group(1));
        }
        for (Map<?, ?> path : paths)
        {
            int type = (int)longField(route, path, "routeType", parts.isEmpty() ? -1 : parseLongOr(parts.get(0), -1));
            long ethTag = longField(route, path, "ethTag", parts.size() > 1 ? parseLongOr(parts.get(1), 0) : 0);
            String mac = null;
            String ip = null;
            if (type == 2)
            {
                mac = stringField(route, path, "mac", parts.size() > 3 ? parts.get(3) : null);
                ip = stringField(route, path, "ip", parts.size() > 5 ? parts.get(5) : null);
            }
            else if (type == 3)
            {
                ip = stringField(route, path, "ip", parts.size() > 3 ? parts.get(3) : null);
            }
            String ecomm = Json.string(path, "extendedCommunity", "string");
            if (ecomm == null)
            {
                ecomm = "";
            }
            List<String> rts = new ArrayList<>();
            Matcher rt = RT.matcher(ecomm);
            while (rt.find())
            {
                rts.add(rt.group(1));
            }
            Matcher et = ET.matcher(ecomm);
            Integer encap = et.find() ? Integer.valueOf(et.group(1)) : null;
            Matcher mm = MM.matcher(ecomm);
            Long seq = null;
            boolean sticky = false;
            if (mm.find())
            {
                seq = Long.valueOf(mm.group(1));
                sticky = mm.group(2) != null;
            }
            else if (MM_STICKY_ONLY.matcher(ecomm).find())
            {
                seq = 0L;
                sticky = true;
            }
            Object vniValue = path.get("vni") != null ? path.get("vni") : path.get("VNI");
            Integer vni = vniValue == null ? null : Integer.valueOf(vniValue.toString().strip());
            String nextHop = null;
            if (path.get("nexthops") instanceof List<?> nhs && !nhs.isEmpty() && nhs.getFirst() instanceof Map<?, ?> nh)
            {
                nextHop = nh.get("ip") == null ? null : nh.get("ip").toString();
            }
            List<String> cluster = new ArrayList<>();
            Object cl = Json.at(path, "clusterList", "list");
            if (cl instanceof List<?> list)
            {
                list.forEach(x -> cluster.add(x.toString()));
            }
            Object best = path.get("bestpath");
            boolean isBest = best instanceof Map<?, ?> bm ? Boolean.TRUE.equals(bm.get("overall")) : Boolean.TRUE.equals(best);
            String peerId = Json.string(path, "peer", "peerId");
            if (peerId == null && path.get("peerId") != null)
            {
                peerId = path.get("peerId").toString();
            }
            boolean local = Boolean.TRUE.equals(path.get("local")) || Boolean.TRUE.equals(path.get("sourced")) || "0.0.0.0".equals(peerId) ||
                "(unspec)".equals(peerId);
            String asPath = path.get("aspath") instanceof Map<?, ?> ap ? String.valueOf(ap.get("string")) : path.get("path") != null ? path.get(
                "path").toString() : "";
            out.add(new FrrEvpnRoute(rd, type, prefix, ethTag,
                mac == null ? null : mac.toLowerCase(), ip, vni, rts, encap, seq, sticky, ecomm,
                Json.string(path, "pmsi", "tunnelType"),
                Json.at(path, "pmsi", "label") instanceof Number n ? n.intValue() : null,
                nextHop,
                path.get("originatorId") == null ? null : path.get("originatorId").toString(),
                cluster, peerId, Json.string(path, "peer", "routerId"), asPath, local, isBest,
                !Boolean.FALSE.equals(path.get("valid"))));
        }
    }

    /** 8.4 nests each path in a list of its own ({@code [[{...}]]}); accept both shapes. */
    private static void flattenPaths(Object node, List<Map<?, ?>> out)
    {
        if (node instanceof Map<?, ?> m)
        {
            out.add(m);
        }
        else if (node instanceof List<?> list)
        {
            list.forEach(x -> flattenPaths(x, out));
        }
    }

    private static long longField(Map<?, ?> route, Map<?, ?> path, String key, long fallback)
    {
        Object v = route.get(key) != null ? route.get(key) : path.get(key);
        if (v instanceof Number n)
        {
            return n.longValue();
        }
        return v == null ? fallback : parseLongOr(v.toString(), fallback);
    }

    private static String stringField(Map<?, ?> route, Map<?, ?> path, String key, String fallback)
    {
        Object v = route.get(key) != null ? route.get(key) : path.get(key);
        return v == null ? fallback : v.toString();
    }

    private static long parseLongOr(String s, long fallback)
    {
        try
        {
            return Long.parseLong(s.strip());
        }
        catch (NumberFormatException e)
        {
            return fallback;
        }
    }

    @Override
    public String toString()
    {
        StringBuilder sb = new StringBuilder("type-").append(routeType).append(" RD ").append(rd).append(' ').append(prefix);
        if (vni != null)
        {
            sb.append(" vni ").append(vni);
        }
        sb.append(" nh ").append(nextHop);
        if (!extendedCommunities.isEmpty())
        {
            sb.append(" [").append(extendedCommunities).append(']');
        }
        if (pmsiTunnelType != null)
        {
            sb.append(" PMSI ").append(pmsiTunnelType).append(" label ").append(pmsiLabel);
        }
        if (originatorId != null)
        {
            sb.append(" originator ").append(originatorId).append(" cluster ").append(clusterList);
        }
        sb.append(local ? " local" : " from " + peerId);
        if (best)
        {
            sb.append(" best");
        }
        return sb.toString();
    }
}
