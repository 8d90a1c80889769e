package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.RemoteVtep;

/** What {@code vtep fdb show} and {@code vtep vni list} print, from the API's real documents. */
class CliFormatTest
{
    private final ApiFixture fixture = new ApiFixture();

    @SuppressWarnings("unchecked")
    private Map<String, Object> get(final String uri)
    {
        final ApiResponse response = fixture.router().handle("GET", uri, null);
        assertEquals(200, response.status(), response::bodyText);
        return (Map<String, Object>)JsonReader.parse(response.bodyText());
    }

    @Test
    void fdbShowPrintsOneEntryALineLikeBridgeFdbShow()
    {
        assertEquals("""
            02:00:00:00:00:01 vni 100 dev acc1 local age 3s
            02:00:00:00:00:09 vni 100 dst 198.51.100.3 static
            02:00:00:00:00:0b vni 100 dst 192.0.2.2 remote age 12s
            02:00:00:00:00:02 vni 200 dev acc1 vlan 10 local age 1s
            """, CliFormat.fdbShow(get("/api/v1/fdb")));
    }

    @Test
    void fdbShowOfOneVni()
    {
        assertEquals("02:00:00:00:00:02 vni 200 dev acc1 vlan 10 local age 1s\n", CliFormat.fdbShow(get("/api/v1/fdb?vni=200")));
    }

    @Test
    void fdbShowOfEvpnAndStaticLocalEntriesShowsNoAge()
    {
        final Map<String, Object> document = Map.of("entries", java.util.List.of(
            Map.of("vni", 100L, "mac", "02:00:00:00:00:0c", "origin", "evpn", "remote", "192.0.2.3", "age_seconds", 40L),
            new java.util.HashMap<>(Map.of("vni", 100L, "mac", "02:00:00:00:00:0d", "origin", "static", "port", "acc2",
                "age_seconds", 7L))));
        assertEquals("""
            02:00:00:00:00:0c vni 100 dst 192.0.2.3 evpn
            02:00:00:00:00:0d vni 100 dev acc2 static
            """, CliFormat.fdbShow(document));
    }

    @Test
    void anEvpnEntryOfAMacOnARemoteSegmentShowsItsAliasGroupInJsonAndText()
    {
        // RFC 7432 §8.4: 02:..:0e sits on a segment of gateways .7 and .8; its type-2 route came from .7.
        final RemoteVtep gw7 = fixture.fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.7"));
        final RemoteVtep gw8 = fixture.fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.8"));
        fixture.fdb.aliasGroups().set(3, new RemoteVtep[] {gw7, gw8});
        assertTrue(fixture.fdb.putEvpn(200, MacAddress.parse("02:00:00:00:00:0e"), gw7, false, 3));
        fixture.fdb.conductor().doWork();

        final Map<String, Object> document = get("/api/v1/fdb?vni=200");
        final List<Map<String, Object>> entries = CliFormat.objects(document.get("entries"));
        assertEquals(Arrays.asList(null, List.of("192.0.2.7", "192.0.2.8")), entries.stream().map(e -> e.get("alias_vteps")).toList(),
            "null without a group, the group's VTEPs with one: " + entries);
        assertEquals("192.0.2.7", entries.get(1).get("remote"), "the route's VTEP stays what remote says");
        assertEquals("""
            02:00:00:00:00:02 vni 200 dev acc1 vlan 10 local age 1s
            02:00:00:00:00:0e vni 200 dst 192.0.2.7 (aliasing: 192.0.2.7, 192.0.2.8) evpn
            """, CliFormat.fdbShow(document));

        // Mass withdrawal (RFC 7432 §8.2): .7 leaves the group; the entry shows it at once.
        fixture.fdb.aliasGroups().set(3, new RemoteVtep[] {gw8});
        assertTrue(CliFormat.fdbShow(get("/api/v1/fdb?vni=200")).contains("02:00:00:00:00:0e vni 200 dst 192.0.2.7 (aliasing: 192.0.2.8) evpn\n"));
    }

    @Test
    void anEmptyFdbPrintsNothing()
    {
        assertEquals("", CliFormat.fdbShow(Map.of("entries", java.util.List.of())));
    }

    @Test
    void vniListIsATableWithNonZeroDropsBelow()
    {
        assertEquals("""
            VNI  LEARNING    PORTS      FLOOD              MACS  RX-ACCESS  TX-ACCESS  RX-OVERLAY  TX-OVERLAY  FLOODS  DROPS
            100  data-plane  acc1,acc2  192.0.2.2          3     5          1          1           4           1       2
            200  evpn        acc1.10    group 239.1.1.200  1     0          0          0           0           0       0
            drops in VNI 100: no_route 2
            drops without a VNI: malformed 1
            """, CliFormat.vniList(get("/api/v1/vnis")));
    }

    @Test
    void tableColumnsAreAlignedWithoutTrailingBlanks()
    {
        assertEquals("A    BB\nccc  d\n", CliFormat.table(java.util.List.of(java.util.List.of("A", "BB"), java.util.List.of("ccc", "d"))));
    }

    /** A JSON object as JsonReader gives it, nulls allowed: {@code map("a", 1L, "b", null)}. */
    private static Map<String, Object> map(final Object... keysAndValues)
    {
        final Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            map.put((String)keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void bgpSummaryIsATableLikeFrrsWithTheLastErrorOfADownPeer()
    {
        final Map<String, Object> document = map("asn", 65000L, "router_id", "192.0.2.1", "listen", "*:179", "peers", java.util.List.of(
            map("address", "192.0.2.2", "remote_as", 65000L, "type", "ibgp", "description", "", "state", "Established",
                "uptime_seconds", 3723L, "prefixes_received", 3L, "prefixes_accepted", 3L, "prefixes_sent", 2L,
                "updates_received", 5L, "updates_sent", 4L, "last_error", null),
            map("address", "192.0.2.3", "remote_as", 65003L, "type", "ebgp", "description", "spine2", "state", "Active",
                "uptime_seconds", null, "prefixes_received", 0L, "prefixes_accepted", 0L, "prefixes_sent", 0L,
                "updates_received", 0L, "updates_sent", 0L,
                "last_error", "NOTIFICATION received: Cease / Administrative Shutdown (6/2)")),
            "evpn", map("routes", 5L, "mac_moves", 1L, "duplicate_macs", java.util.List.of()));

        assertEquals("""
            BGP router identifier 192.0.2.1, local AS 65000, listening on *:179
            NEIGHBOR   AS     TYPE  STATE        UP/DOWN   PFX-RCVD  PFX-ACC  PFX-SENT  UPD-RCVD  UPD-SENT  DESCRIPTION
            192.0.2.2  65000  ibgp  Established  01:02:03  3         3        2         5         4         -
            192.0.2.3  65003  ebgp  Active       never     0         0        0         0         0         spine2
              192.0.2.3: NOTIFICATION received: Cease / Administrative Shutdown (6/2)
            EVPN: 5 routes, 1 MAC moves, no duplicate MACs
            """, CliFormat.bgpSummary(document));
    }

    @Test
    void bgpRoutesMarkBestPathsAndShowSequenceNumbersOfMacRoutes()
    {
        final Map<String, Object> type2 = map("type", 2L, "vni", 100L, "rd", "192.0.2.2:2", "mac", "02:00:00:00:00:0b",
            "ip", "10.0.0.2", "next_hop", "192.0.2.2", "sequence", 3L, "sticky", true, "best", true, "source", "192.0.2.2");
        final Map<String, Object> type3 = map("type", 3L, "vni", 100L, "rd", "192.0.2.1:1", "mac", null, "ip", null,
            "next_hop", "192.0.2.1", "sequence", 0L, "sticky", false, "best", false, "source", "local");
        assertEquals("""
            * vni 100 type 2 [02:00:00:00:00:0b 10.0.0.2] rd 192.0.2.2:2 via 192.0.2.2 from 192.0.2.2 seq 3 sticky
              vni 100 type 3 rd 192.0.2.1:1 via 192.0.2.1 from local
            """, CliFormat.bgpRoutes(map("routes", java.util.List.of(type2, type3))));
    }
}
