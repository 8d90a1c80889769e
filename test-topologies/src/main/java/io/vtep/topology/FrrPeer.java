package io.vtep.topology;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One neighbor of {@code show bgp l2vpn evpn summary json} (FRR 8.4), whose peers sit under
 * {@code "peers": {"192.0.2.2": {"state": "Established", "pfxRcd": 2, "pfxSnt": 4, "remoteAs",
 * "localAs", "peerUptimeMsec", "peerState": "OK", "connectionsEstablished",
 * "connectionsDropped", "hostname"}}}. An eBGP session blocked by {@code bgp ebgp-requires-policy}
 * is Established with {@code peerState} "Policy"; a peer not Established has no prefix counts.
 *
 * @param address                the neighbor's address as configured
 * @param state                  FSM state: Idle, Connect, Active, OpenSent, OpenConfirm, Established
 * @param peerState              FRR's extra state word ("OK", "Policy", "Admin", ...), or ""
 * @param remoteAs               the neighbor's AS (-1 when not shown)
 * @param localAs                our AS towards it (-1 when not shown)
 * @param prefixesReceived       EVPN routes accepted from it (-1 when not shown)
 * @param prefixesSent           EVPN routes sent to it (-1 when not shown)
 * @param uptimeMsec             time in the current state, ms (-1 when not shown)
 * @param connectionsEstablished how often the session came up
 * @param connectionsDropped     how often it went down
 * @param hostname               the hostname the peer announced, or null
 */
public record FrrPeer(String address, String state, String peerState, long remoteAs, long localAs,
    long prefixesReceived, long prefixesSent, long uptimeMsec,
    long connectionsEstablished, long connectionsDropped, String hostname)
{

    public static final String ESTABLISHED = "Established";

    public boolean isEstablished()
    {
        return ESTABLISHED.equals(state);
    }

    /**
     * Parses the summary JSON into address → peer. Accepts the flat shape of
     * {@code show bgp l2vpn evpn summary json} and the per-family shape of {@code show bgp summary json}
     * (the first object found with a {@code peers} member).
     */
    public static Map<String, FrrPeer> parseSummary(String json)
    {
        Map<String, FrrPeer> peers = new LinkedHashMap<>();
        if (json == null || json.isBlank())
        {
            return peers;
        }
        Object peersNode = findPeers(Json.parse(json));
        if (peersNode instanceof Map<?, ?> map)
        {
            for (Map.Entry<?, ?> e : map.entrySet())
            {
                if (e.getValue() instanceof Map<?, ?> p)
                {
                    String address = e.getKey().toString();
                    peers.put(address, new FrrPeer(address,
                        str(p, "state"), str(p, "peerState"),
                        num(p, "remoteAs"), num(p, "localAs"),
                        num(p, "pfxRcd"), num(p, "pfxSnt"), num(p, "peerUptimeMsec"),
                        Math.max(0, num(p, "connectionsEstablished")), Math.max(0, num(p, "connectionsDropped")),
                        p.get("hostname") == null ? null : p.get("hostname").toString()));
                }
            }
        }
        return peers;
    }

    private static Object findPeers(Object node)
    {
        if (node instanceof Map<?, ?> map)
        {
            if (map.get("peers") instanceof Map<?, ?> peers)
            {
                return peers;
            }
            for (Object v : map.values())
            {
                Object found = findPeers(v);
                if (found != null)
                {
                    return found;
                }
            }
        }
        return null;
    }

    private static String str(Map<?, ?> m, String key)
    {
        return m.get(key) == null ? "" : m.get(key).toString();
    }

    private static long num(Map<?, ?> m, String key)
    {
        return m.get(key) instanceof Number n ? n.longValue() : -1;
    }

    @Override
    public String toString()
    {
        return address + " AS" + remoteAs + " " + state + (peerState.isEmpty() || "OK".equals(peerState) ? "" : " (" + peerState + ")") + " rcvd " +
            prefixesReceived + " sent " + prefixesSent;
    }
}
