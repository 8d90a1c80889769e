package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;

/**
 * The endpoints that change vtep, through {@link ApiRouter} without a socket, over the real FDB of
 * {@link ApiFixture}: access control (403 off, 401, 403), bounded bodies (413), content type (415),
 * bad input naming the field (400), unknown VNI or entry (404), conflicts with EVPN and configured
 * entries (409), and what each change does to the FDB and the documents.
 */
class ChangeRoutesTest
{
    private static final String TOKEN = "s3cret-token-0123456789abcdef";
    private static final String BEARER = "Bearer " + TOKEN;
    private static final String JSON = "application/json";

    private final ApiFixture fixture = new ApiFixture();
    private final AtomicInteger reloads = new AtomicInteger();
    private ReloadOutcome nextReload = ReloadOutcome.applied(List.of("vni 200 added"));
    private final ApiRouter router = fixture.router(ApiToken.of(TOKEN), () ->
    {
        reloads.incrementAndGet();
        return nextReload;
    });

    private ApiResponse send(final String method, final String uri, final String body)
    {
        return router.handle(new ApiRequest(method, uri, null, body == null ? null : JSON, BEARER,
            body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(final ApiResponse response)
    {
        assertEquals(ApiResponse.JSON, response.contentType());
        return (Map<String, Object>)JsonReader.parse(response.bodyText());
    }

    private static String error(final ApiResponse response)
    {
        final Map<String, Object> error = json(response);
        assertEquals((long)response.status(), error.get("status"));
        return (String)error.get("error");
    }

    private long entry(final int vni, final String mac)
    {
        return fixture.fdb.vni(vni).lookup(MacAddress.parse(mac));
    }

    @Test
    void withoutATokenFileTheChangingEndpointsAreOff()
    {
        final ApiRouter off = fixture.router(null, () -> nextReload);
        final ApiResponse response = off.handle(new ApiRequest("POST", "/api/v1/fdb", null, JSON, BEARER,
            "{\"vni\":100,\"mac\":\"02:00:00:00:00:77\",\"dst\":\"192.0.2.7\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(403, response.status());
        assertTrue(error(response).contains("set api.token-file"), response::bodyText);
        assertEquals(FdbEntry.NONE, entry(100, "02:00:00:00:00:77"));
        assertEquals(403, off.handle(new ApiRequest("POST", "/api/v1/reload", null, null, BEARER, null)).status());
        assertEquals(0, reloads.get());
        assertEquals(200, off.handle("GET", "/api/v1/fdb", null).status(), "reading stays open");
    }

    @Test
    void withoutCredentials401WithWwwAuthenticateAndWithAWrongToken403()
    {
        final byte[] body = "{\"vni\":100}".getBytes(StandardCharsets.UTF_8);
        final ApiResponse none = router.handle(new ApiRequest("POST", "/api/v1/fdb/flush", null, JSON, null, body));
        assertEquals(401, none.status());
        assertEquals("Bearer realm=\"vtep\"", none.headers().get("WWW-Authenticate"));
        assertTrue(error(none).contains("Authorization: Bearer TOKEN"), none::bodyText);
        assertEquals(401, router.handle(new ApiRequest("POST", "/api/v1/fdb/flush", null, JSON, "Basic dXNlcjpwYXNz", body)).status());
        for (final String wrong : List.of("Bearer nope", "Bearer " + TOKEN.substring(1), "Bearer " + TOKEN + "x", "Bearer "))
        {
            final ApiResponse response = router.handle(new ApiRequest("POST", "/api/v1/fdb/flush", null, JSON, wrong, body));
            assertEquals(403, response.status(), wrong);
            assertEquals("wrong token: it is not the one in api.token-file", error(response));
        }
        assertEquals(2, fixture.fdb.vni(100).learnedEntries(), "nothing flushed");
        assertEquals(401, router.handle(new ApiRequest("DELETE", "/api/v1/fdb?vni=100&mac=02:00:00:00:00:09", null, null, null, null))
            .status());
        assertEquals(Origin.STATIC, FdbEntry.origin(entry(100, "02:00:00:00:00:09")));
    }

    @Test
    void aBodyOverTheLimitIs413()
    {
        final String big = "{\"vni\":100,\"mac\":\"02:00:00:00:00:77\",\"dst\":\"192.0.2.7\"" + " ".repeat(ChangeRoutes.MAX_BODY_BYTES) + "}";
        final ApiResponse response = send("POST", "/api/v1/fdb", big);
        assertEquals(413, response.status());
        assertTrue(error(response).contains("at most " + ChangeRoutes.MAX_BODY_BYTES), response::bodyText);
        assertEquals(FdbEntry.NONE, entry(100, "02:00:00:00:00:77"));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NONE", value = {"NONE", "text/plain", "application/x-www-form-urlencoded"})
    void aBodyThatIsNotJsonIs415(final String contentType)
    {
        final ApiResponse response = router.handle(new ApiRequest("POST", "/api/v1/fdb", null, contentType, BEARER,
            "{\"vni\":100,\"mac\":\"02:00:00:00:00:77\",\"dst\":\"192.0.2.7\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(415, response.status());
        assertTrue(error(response).contains("Content-Type: application/json"), response::bodyText);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "POST   | /api/v1/fdb        | {\"vni\":100,\"mac\":\"02:00:00:00:00:77\"}                          | dst: missing",
        "POST   | /api/v1/fdb        | {\"vni\":100,\"mac\":\"zz\",\"dst\":\"192.0.2.7\"}                   | mac: zz is not a MAC address",
        "POST   | /api/v1/fdb        | {\"vni\":100,\"mac\":\"01:00:5e:00:00:01\",\"dst\":\"192.0.2.7\"}    | mac: 01:00:5e:00:00:01 is a group address",
        "POST   | /api/v1/fdb        | {\"vni\":100,\"mac\":\"00:00:00:00:00:00\",\"dst\":\"192.0.2.7\"}    | mac: 00:00:00:00:00:00 is the flood list",
        "POST   | /api/v1/fdb        | {\"vni\":0,\"mac\":\"02:00:00:00:00:77\",\"dst\":\"192.0.2.7\"}      | vni: 0 is out of range",
        "POST   | /api/v1/fdb        | {\"vni\":true,\"mac\":\"02:00:00:00:00:77\",\"dst\":\"192.0.2.7\"}   | vni: must be a number",
        "POST   | /api/v1/fdb        | {\"vni\":100,\"mac\":\"02:00:00:00:00:77\",\"dst\":\"host\"}         | dst: host is not an IP address",
        "POST   | /api/v1/fdb        | {\"vni\":100,\"mac\":\"02:00:00:00:00:77\",\"dst\":\"239.1.1.1\"}    | dst: 239.1.1.1 is a multicast address",
        "POST   | /api/v1/fdb        | {\"vni\":100,\"mac\":\"02:00:00:00:00:77\",\"dst\":\"2001:db8::1\"}  | dst: 2001:db8::1 is not of the underlay's address family",
        "POST   | /api/v1/fdb        | {\"vni\":100,\"mac\":\"02:00:00:00:00:77\",\"dst\":\"192.0.2.1\"}    | dst: 192.0.2.1 is this VTEP's own address",
        "POST   | /api/v1/fdb        | {\"vni\":100,\"mac\":\"02:00:00:00:00:77\",\"dst\":\"192.0.2.7\",\"x\":1} | unknown field 'x'",
        "POST   | /api/v1/fdb        | {\"vni\":100,                                                        | the body is not JSON",
        "POST   | /api/v1/fdb        | [100]                                                                 | the body must be a JSON object",
        "POST   | /api/v1/fdb/flush  | {\"vni\":100,\"origin\":\"static\"}                                  | origin: must be \"local\" or \"remote\"",
        "POST   | /api/v1/fdb/flood  | {\"dst\":\"192.0.2.7\"}                                              | vni: missing",
        "DELETE | /api/v1/fdb?vni=100                          | NONE                                   | mac: missing",
        "DELETE | /api/v1/fdb?vni=100&mac=02:00:00:00:00:09&x=1 | NONE                                  | unknown query parameter 'x'",
        "DELETE | /api/v1/fdb/flood?vni=100&dst=nope            | NONE                                  | dst: nope is not an IP address",
        "POST   | /api/v1/reload?now=1                          | NONE                                  | reload takes no parameters",
    })
    void badInputIs400NamingTheField(final String method, final String uri, final String body, final String message)
    {
        final ApiResponse response = send(method, uri, "NONE".equals(body) ? null : body);
        assertEquals(400, response.status(), response::bodyText);
        assertTrue(error(response).startsWith(message), response::bodyText);
        assertEquals(2, fixture.fdb.vni(100).learnedEntries(), "nothing changed");
        assertEquals(0, fixture.runtime.size());
    }

    @Test
    void anUnknownVniOrEntryIs404()
    {
        final ApiResponse vni = send("POST", "/api/v1/fdb", "{\"vni\":300,\"mac\":\"02:00:00:00:00:77\",\"dst\":\"192.0.2.7\"}");
        assertEquals(404, vni.status());
        assertEquals("VNI 300 is not configured", error(vni));
        assertEquals(404, send("POST", "/api/v1/fdb/flush", "{\"vni\":300}").status());
        final ApiResponse entry = send("DELETE", "/api/v1/fdb?vni=100&mac=02:00:00:00:00:77", null);
        assertEquals(404, entry.status());
        assertEquals("no entry for 02:00:00:00:00:77 in VNI 100", error(entry));
        final ApiResponse flood = send("DELETE", "/api/v1/fdb/flood?vni=100&dst=192.0.2.7", null);
        assertEquals(404, flood.status());
        assertEquals("192.0.2.7 is not in the flood list of VNI 100", error(flood));
    }

    @Test
    void anEvpnEntryOrAnotherStaticOneIs409()
    {
        final RemoteVtep evpnPeer = fixture.fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.5"));
        assertTrue(fixture.fdb.putEvpn(200, MacAddress.parse("02:00:00:00:00:0e"), evpnPeer));

        final ApiResponse over = send("POST", "/api/v1/fdb", "{\"vni\":200,\"mac\":\"02:00:00:00:00:0e\",\"dst\":\"192.0.2.7\"}");
        assertEquals(409, over.status());
        assertTrue(error(over).startsWith("the evpn entry 02:00:00:00:00:0e vni 200 dst 192.0.2.5 comes from BGP EVPN"), over::bodyText);
        final ApiResponse delete = send("DELETE", "/api/v1/fdb?vni=200&mac=02:00:00:00:00:0e", null);
        assertEquals(409, delete.status());
        assertEquals(Origin.EVPN, FdbEntry.origin(entry(200, "02:00:00:00:00:0e")));

        final ApiResponse otherStatic = send("POST", "/api/v1/fdb", "{\"vni\":100,\"mac\":\"02:00:00:00:00:09\",\"dst\":\"192.0.2.7\"}");
        assertEquals(409, otherStatic.status());
        assertTrue(error(otherStatic).contains("exists; delete it first (vtep fdb del 02:00:00:00:00:09 vni 100)"), otherStatic::bodyText);
        final ApiResponse same = send("POST", "/api/v1/fdb", "{\"vni\":100,\"mac\":\"02:00:00:00:00:09\",\"dst\":\"198.51.100.3\"}");
        assertEquals(200, same.status(), "the same entry again is no conflict");
        assertEquals(false, json(same).get("changed"));
        assertFalse(fixture.runtime.isStatic(100, MacAddress.parse("02:00:00:00:00:09")), "still the configured one");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStaticEntryAddedAtRunTimeForwardsThereAndIsMarkedUntilDeleted()
    {
        // 02:..:0b was learned behind 192.0.2.2; the static entry replaces it.
        final ApiResponse added = send("POST", "/api/v1/fdb", "{\"vni\":\"100\",\"mac\":\"02:00:00:00:00:0B\",\"dst\":\"192.0.2.7\"}");
        assertEquals(200, added.status(), added::bodyText);
        assertEquals(true, json(added).get("changed"));
        final long entry = entry(100, "02:00:00:00:00:0b");
        assertEquals(Origin.STATIC, FdbEntry.origin(entry));
        assertEquals(VtepAddress.parse("192.0.2.7"), fixture.fdb.remoteVteps().byIndex(FdbEntry.vtepIndex(entry)).address());

        final List<Object> entries = (List<Object>)json(router.handle("GET", "/api/v1/fdb?vni=100", null)).get("entries");
        for (final Object item : entries)
        {
            final Map<String, Object> row = (Map<String, Object>)item;
            assertEquals(row.get("mac").equals("02:00:00:00:00:0b"), row.get("runtime"), row::toString);
        }
        assertTrue(CliFormat.fdbShow(json(router.handle("GET", "/api/v1/fdb?vni=100", null)))
            .contains("02:00:00:00:00:0b vni 100 dst 192.0.2.7 static runtime\n"));

        final ApiResponse deleted = send("DELETE", "/api/v1/fdb?vni=100&mac=02:00:00:00:00:0b", null);
        assertEquals(200, deleted.status(), deleted::bodyText);
        assertEquals(FdbEntry.NONE, entry(100, "02:00:00:00:00:0b"));
        assertEquals(0, fixture.runtime.size());

        // A learned entry may be deleted too: it is learned again from the MAC's next frame.
        assertEquals(200, send("DELETE", "/api/v1/fdb?vni=100&mac=02:00:00:00:00:01", null).status());
        assertEquals(FdbEntry.NONE, entry(100, "02:00:00:00:00:01"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void floodListEntriesAreAppendedMarkedAndDeleted()
    {
        final ApiResponse appended = send("POST", "/api/v1/fdb/flood", "{\"vni\":100,\"dst\":\"192.0.2.7\"}");
        assertEquals(200, appended.status(), appended::bodyText);
        assertEquals(false, json(send("POST", "/api/v1/fdb/flood", "{\"vni\":100,\"dst\":\"192.0.2.7\"}")).get("changed"));
        final Map<String, Object> vni = (Map<String, Object>)((List<Object>)json(router.handle("GET", "/api/v1/vnis?vni=100", null))
            .get("vnis")).getFirst();
        assertEquals(List.of("192.0.2.2", "192.0.2.7"), vni.get("flood"));
        assertEquals(List.of("192.0.2.7"), vni.get("flood_runtime"));

        assertEquals(200, send("DELETE", "/api/v1/fdb/flood?vni=100&dst=192.0.2.2", null).status(), "a configured one too");
        assertEquals(200, send("DELETE", "/api/v1/fdb/flood?vni=100&dst=192.0.2.7", null).status());
        assertEquals(0, fixture.fdb.vni(100).floodList().length);
        assertEquals(0, fixture.runtime.size());
    }

    @Test
    void flushRemovesLearnedEntriesOfOneOriginOrBothAndNothingElse()
    {
        final ApiResponse remote = send("POST", "/api/v1/fdb/flush", "{\"vni\":100,\"origin\":\"remote\"}");
        assertEquals(200, remote.status(), remote::bodyText);
        assertEquals(1L, json(remote).get("flushed"));
        assertEquals(FdbEntry.NONE, entry(100, "02:00:00:00:00:0b"));
        assertEquals(Origin.LOCAL, FdbEntry.origin(entry(100, "02:00:00:00:00:01")));

        final ApiResponse both = send("POST", "/api/v1/fdb/flush", "{\"vni\":100}");
        assertEquals(1L, json(both).get("flushed"));
        assertEquals(FdbEntry.NONE, entry(100, "02:00:00:00:00:01"));
        assertEquals(Origin.STATIC, FdbEntry.origin(entry(100, "02:00:00:00:00:09")), "static entries stay");
        assertEquals(Origin.LOCAL, FdbEntry.origin(entry(200, "02:00:00:00:00:02")), "other VNIs stay");
    }

    @Test
    void reloadAnswersTheChangesOrTheRefusalAnd501WithoutAReloadService()
    {
        final ApiResponse applied = send("POST", "/api/v1/reload", null);
        assertEquals(200, applied.status(), applied::bodyText);
        assertEquals(Map.of("applied", true, "changes", List.of("vni 200 added")), json(applied));
        nextReload = ReloadOutcome.refused("vnis[1].vni: 0 is out of range");
        final ApiResponse refused = send("POST", "/api/v1/reload", "{}");
        assertEquals(422, refused.status());
        assertEquals("configuration refused, the running one stays: vnis[1].vni: 0 is out of range", error(refused));
        assertEquals(2, reloads.get());

        final ApiRouter without = fixture.router(ApiToken.of(TOKEN), null);
        final ApiResponse none = without.handle(new ApiRequest("POST", "/api/v1/reload", null, null, BEARER, null));
        assertEquals(501, none.status());
        assertEquals("reload is not available in this vtep", error(none));
    }

    @Test
    void aFrozenDuplicateMacIsUnfrozenAndOneThatIsNotIs404()
    {
        final List<String> cleared = new java.util.ArrayList<>();
        final ApiRouter withEvpn = fixture.router(ApiToken.of(TOKEN), null, (vni, mac) ->
        {
            cleared.add(vni + " " + MacAddress.format(mac));
            return mac == MacAddress.parse("02:00:00:00:00:01");
        });
        final ApiResponse unfrozen = withEvpn.handle(new ApiRequest("DELETE", "/api/v1/bgp/duplicates?vni=100&mac=02:00:00:00:00:01",
            null, null, BEARER, null));
        assertEquals(200, unfrozen.status(), unfrozen::bodyText);
        assertEquals("duplicate MAC 02:00:00:00:00:01 in VNI 100 unfrozen", json(unfrozen).get("result"));
        final ApiResponse notFrozen = withEvpn.handle(new ApiRequest("DELETE", "/api/v1/bgp/duplicates?vni=100&mac=02:00:00:00:00:02",
            null, null, BEARER, null));
        assertEquals(404, notFrozen.status());
        assertEquals("02:00:00:00:00:02 is not frozen as a duplicate in VNI 100", error(notFrozen));
        assertEquals(List.of("100 02:00:00:00:00:01", "100 02:00:00:00:00:02"), cleared);

        final ApiResponse noToken = withEvpn.handle(new ApiRequest("DELETE", "/api/v1/bgp/duplicates?vni=100&mac=02:00:00:00:00:01",
            null, null, null, null));
        assertEquals(401, noToken.status());
        assertEquals(2, cleared.size(), "refused before it reached the control plane");
        final ApiResponse withoutBgp = send("DELETE", "/api/v1/bgp/duplicates?vni=100&mac=02:00:00:00:00:01", null);
        assertEquals(404, withoutBgp.status());
        assertEquals(400, withEvpn.handle(new ApiRequest("DELETE", "/api/v1/bgp/duplicates?vni=100&mac=ff:ff:ff:ff:ff:ff",
            null, null, BEARER, null)).status(), "a group MAC is never an FDB entry");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET    | /api/v1/bgp/duplicates | DELETE",
        "GET    | /api/v1/fdb/flood | POST, DELETE",
        "GET    | /api/v1/reload    | POST",
        "DELETE | /api/v1/fdb/flush | POST",
        "PUT    | /api/v1/fdb       | GET, HEAD, POST, DELETE",
    })
    void otherMethodsAre405WithTheirAllow(final String method, final String path, final String allow)
    {
        final ApiResponse response = send(method, path, null);
        assertEquals(405, response.status());
        assertEquals(allow, response.headers().get("Allow"));
    }

    @Test
    void readingNeedsNoToken()
    {
        assertNull(json(router.handle("GET", "/api/v1/fdb", null)).get("error"));
    }
}
