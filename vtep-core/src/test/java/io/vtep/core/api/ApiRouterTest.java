package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Routing of the HTTP API without a socket: status codes, headers, and the JSON documents over a real FDB. */
class ApiRouterTest
{
    private final ApiFixture fixture = new ApiFixture();
    private final ApiRouter router = fixture.router();

    private ApiResponse get(final String uri)
    {
        return router.handle("GET", uri, null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(final ApiResponse response)
    {
        assertEquals(ApiResponse.JSON, response.contentType());
        return (Map<String, Object>)JsonReader.parse(response.bodyText());
    }

    @Test
    void healthzAnswersOk()
    {
        final ApiResponse response = get("/healthz");
        assertEquals(200, response.status());
        assertEquals("ok\n", response.bodyText());
        assertEquals(ApiResponse.TEXT, response.contentType());
    }

    @Test
    void readyzSays503WithTheReasonUntilReady()
    {
        fixture.notReady = "starting: opening access ports";
        final ApiResponse starting = get("/readyz");
        assertEquals(503, starting.status());
        assertEquals("not ready: starting: opening access ports\n", starting.bodyText());

        fixture.notReady = null;
        final ApiResponse ready = get("/readyz");
        assertEquals(200, ready.status());
        assertEquals("ready\n", ready.bodyText());
    }

    @Test
    void metricsDelegatesWithTheAcceptHeaderAndKeepsTheContentType()
    {
        final ApiResponse response = router.handle("GET", "/metrics", "application/openmetrics-text; version=1.0.0");
        assertEquals(200, response.status());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.contentType());
        assertEquals("scraped with application/openmetrics-text; version=1.0.0\n", response.bodyText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/index.html", "/status", "/metric", "/metrics/", "/api/v1", "/api/v2/fdb", "/api/v1/fdb/extra", "/HEALTHZ"})
    void unknownPathsAre404NamingTheEndpoints(final String path)
    {
        final ApiResponse response = get(path);
        assertEquals(404, response.status(), path);
        assertTrue(response.bodyText().contains("no such endpoint " + path), response::bodyText);
        assertTrue(response.bodyText().contains("/api/v1/fdb"), response::bodyText);
        if (path.startsWith("/api/"))
        {
            assertEquals(404L, json(response).get("status"));
        }
    }

    /** The API's paths and the status page's alike. */
    @ParameterizedTest
    @CsvSource({"POST, /metrics", "DELETE, /api/v1/vnis", "OPTIONS, /healthz", "PATCH, /api/v1/vnis", "POST, /", "PUT, /status/status.js",
        "DELETE, /status/status.css", "OPTIONS, /"})
    void otherMethodsThanGetAre405WithAllow(final String method, final String path)
    {
        final ApiResponse response = router.handle(method, path, null);
        assertEquals(405, response.status());
        assertEquals("GET, HEAD", response.headers().get("Allow"));
        assertTrue(response.bodyText().contains("method " + method + " not allowed on " + path), response::bodyText);
    }

    @Test
    void openApiDocumentIsServedFromTheJarAsYaml()
    {
        final ApiResponse response = get("/api/v1/openapi.yaml");
        assertEquals(200, response.status(), response::bodyText);
        assertEquals("application/yaml; charset=utf-8", response.contentType());
        assertTrue(response.bodyText().startsWith("openapi: 3.1.0\n"), response::bodyText);
        assertTrue(response.bodyText().contains("\n  /api/v1/openapi.yaml:\n"), "the document describes its own route");
    }

    @Test
    void headIsAllowed()
    {
        assertEquals(200, router.handle("HEAD", "/healthz", null).status());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/api/v1/fdb?vni=abc        | vni must be a number 1..16777215, not 'abc'",
        "/api/v1/fdb?vni=           | vni must be a number 1..16777215, not ''",
        "/api/v1/fdb?vni=-5         | vni must be a number 1..16777215, not '-5'",
        "/api/v1/fdb?vni=0          | vni 0 is out of range 1..16777215",
        "/api/v1/fdb?vni=16777216   | vni 16777216 is out of range 1..16777215",
        "/api/v1/fdb?vni=99999999999 | vni must be a number 1..16777215, not '99999999999'",
        "/api/v1/fdb?vni=1%2         | bad query string",
        "/api/v1/vnis?vni=x          | vni must be a number 1..16777215, not 'x'",
        "/api/v1/fdb?vni=100&vni=200 | give vni once, not 2 times",
        "/api/v1/fdb?mac=02:00:00:00:00:01 | unknown query parameter 'mac' (accepted: vni, limit, after)",
        "/api/v1/vnis?limit=5       | unknown query parameter 'limit' (accepted: vni)",
        "/api/v1/fdb?limit=0         | limit must be a number 1..65536, not '0'",
        "/api/v1/fdb?limit=65537     | limit must be a number 1..65536, not '65537'",
        "/api/v1/fdb?after=100/02:00:00:00:00:01 | after needs limit",
        "/api/v1/fdb?limit=2&after=100 | after must be VNI/MAC",
        "/api/v1/fdb?limit=2&after=100/zz | after must be VNI/MAC",
        "/api/v1/fdb?limit=2&after=0/02:00:00:00:00:01 | vni 0 is out of range",
    })
    void badVniIs400WithAMessage(final String uri, final String message)
    {
        final ApiResponse response = get(uri);
        assertEquals(400, response.status(), uri);
        final Map<String, Object> error = json(response);
        assertTrue(error.get("error").toString().startsWith(message), () -> uri + ": " + error);
        assertEquals(400L, error.get("status"));
    }

    @Test
    void aVniThatIsNotConfiguredIs404()
    {
        final ApiResponse response = get("/api/v1/fdb?vni=300");
        assertEquals(404, response.status());
        assertEquals("VNI 300 is not configured", json(response).get("error"));
        assertEquals(404, get("/api/v1/vnis?vni=300").status());
    }

    @Test
    void fdbListsEveryEntrySortedByVniAndMac()
    {
        final ApiResponse response = get("/api/v1/fdb");
        assertEquals(200, response.status());
        assertEquals(
            """
                {"entries":[\
                {"vni":100,"mac":"02:00:00:00:00:01","origin":"local","port":"acc1","vlan":null,"remote":null,"alias_vteps":null,"age_seconds":3,"runtime":false},\
                {"vni":100,"mac":"02:00:00:00:00:09","origin":"static","port":null,"vlan":null,"remote":"198.51.100.3","alias_vteps":null,"age_seconds":1,"runtime":false},\
                {"vni":100,"mac":"02:00:00:00:00:0b","origin":"remote","port":null,"vlan":null,"remote":"192.0.2.2","alias_vteps":null,"age_seconds":12,"runtime":false},\
                {"vni":200,"mac":"02:00:00:00:00:02","origin":"local","port":"acc1","vlan":10,"remote":null,"alias_vteps":null,"age_seconds":1,"runtime":false}]}
                """,
            response.bodyText());
    }

    @Test
    @SuppressWarnings("unchecked")
    void fdbPagesFollowTheCursorToTheEnd()
    {
        final Map<String, Object> first = json(get("/api/v1/fdb?limit=2"));
        assertEquals(List.of("02:00:00:00:00:01", "02:00:00:00:00:09"),
            ((List<Map<String, Object>>)first.get("entries")).stream().map(e -> e.get("mac")).toList());
        assertEquals("100/02:00:00:00:00:09", first.get("next"));

        final Map<String, Object> second = json(get("/api/v1/fdb?limit=2&after=100/02:00:00:00:00:09"));
        final List<Map<String, Object>> entries = (List<Map<String, Object>>)second.get("entries");
        assertEquals(List.of(100L, 200L), entries.stream().map(e -> e.get("vni")).toList());
        assertEquals(List.of("02:00:00:00:00:0b", "02:00:00:00:00:02"), entries.stream().map(e -> e.get("mac")).toList());
        assertNull(second.get("next"), "the page took the last entries: no next page");

        final Map<String, Object> last = json(get("/api/v1/fdb?limit=2&after=200/02:00:00:00:00:02"));
        assertEquals(List.of(), last.get("entries"));
        assertTrue(last.containsKey("next"));
        assertNull(last.get("next"));

        final Map<String, Object> oneVni = json(get("/api/v1/fdb?vni=100&limit=5"));
        assertEquals(3, ((List<?>)oneVni.get("entries")).size());
        assertNull(oneVni.get("next"));
    }

    @Test
    void theWholeFdbIsStreamedInTheShapeItAlwaysHad()
    {
        final ApiResponse response = get("/api/v1/fdb");
        assertTrue(response.streamed());
        assertEquals(ApiResponse.JSON, response.contentType());
        assertEquals(response.bodyText(), response.bodyText(), "each read of a streamed body starts afresh");
    }

    @Test
    void fdbFiltersByVni()
    {
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> entries = (List<Map<String, Object>>)json(get("/api/v1/fdb?vni=200")).get("entries");
        assertEquals(1, entries.size());
        assertEquals("02:00:00:00:00:02", entries.getFirst().get("mac"));
        assertEquals(10L, entries.getFirst().get("vlan"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void portsShowTheStateOfEachInterface()
    {
        final ApiResponse ports = get("/api/v1/ports");
        assertEquals(200, ports.status());
        assertEquals("{\"ports\":[{\"port\":\"acc1\",\"state\":\"up\",\"ifindex\":null,\"reopens\":0}," +
            "{\"port\":\"acc2\",\"state\":\"absent\",\"ifindex\":0,\"reopens\":0}]}\n", ports.bodyText());
        assertEquals(List.of(Map.of("port", "acc1", "state", "up", "reopens", 0L),
            Map.of("port", "acc2", "state", "absent", "ifindex", 0L, "reopens", 0L)),
            ((List<Map<String, Object>>)((List<Map<String, Object>>)json(get("/api/v1/vnis")).get("vnis")).get(0)
                .get("port_states")).stream().map(ApiRouterTest::withoutNulls).toList());
    }

    private static Map<String, Object> withoutNulls(final Map<String, Object> map)
    {
        final Map<String, Object> copy = new java.util.HashMap<>(map);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }

    @Test
    @SuppressWarnings("unchecked")
    void vnisShowConfigurationFdbCountsAndCounters()
    {
        final Map<String, Object> document = json(get("/api/v1/vnis"));
        final List<Map<String, Object>> vnis = (List<Map<String, Object>>)document.get("vnis");
        assertEquals(2, vnis.size());

        final Map<String, Object> vni100 = vnis.get(0);
        assertEquals(100L, vni100.get("vni"));
        assertEquals("data-plane", vni100.get("learning"));
        assertEquals(0L, vni100.get("mac_limit"));
        assertEquals(List.of("acc1", "acc2"), vni100.get("ports"));
        assertEquals(List.of("192.0.2.2"), vni100.get("flood"));
        assertTrue(vni100.containsKey("multicast_group"));
        assertNull(vni100.get("multicast_group"));
        assertEquals(Map.of("local", 1L, "remote", 1L, "static", 1L, "evpn", 0L, "total", 3L), vni100.get("fdb"));
        final Map<String, Object> counters = (Map<String, Object>)vni100.get("counters");
        assertEquals(Map.of("access", Map.of("packets", 5L, "bytes", 490L), "overlay", Map.of("packets", 1L, "bytes", 60L)),
            counters.get("rx"));
        assertEquals(Map.of("access", Map.of("packets", 1L, "bytes", 60L), "overlay", Map.of("packets", 4L, "bytes", 392L)),
            counters.get("tx"));
        assertEquals(1L, counters.get("floods"));
        final Map<String, Object> drops = (Map<String, Object>)counters.get("drops");
        assertEquals(2L, drops.get("no_route"));
        assertEquals(0L, drops.get("malformed"));
        assertEquals(io.vtep.metrics.DropReason.count(), drops.size(), "every reason, zero or not");

        final Map<String, Object> vni200 = vnis.get(1);
        assertEquals("evpn", vni200.get("learning"));
        assertEquals(64L, vni200.get("mac_limit"));
        assertEquals(List.of("acc1.10"), vni200.get("ports"));
        assertEquals(List.of(), vni200.get("flood"));
        assertEquals("239.1.1.200", vni200.get("multicast_group"));

        assertEquals(1L, ((Map<String, Object>)document.get("drops")).get("malformed"));
        assertEquals(1, ((List<?>)json(get("/api/v1/vnis?vni=200")).get("vnis")).size());
    }

    @Test
    void versionNamesTheVersion()
    {
        final Map<String, Object> version = json(get("/api/v1/version"));
        assertEquals("1.2.3", version.get("version"));
        assertEquals(Runtime.version().toString(), version.get("java"));
    }

    @Test
    void bgpWithoutABgpSectionIs404WithTheReason()
    {
        for (final String uri : new String[] {"/api/v1/bgp", "/api/v1/bgp/routes"})
        {
            final ApiResponse response = get(uri);
            assertEquals(404, response.status(), uri);
            assertTrue(response.bodyText().contains("no bgp section"), response::bodyText);
        }
    }
}
