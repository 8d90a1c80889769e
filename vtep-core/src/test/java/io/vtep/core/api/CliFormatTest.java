package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

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
}
