package io.vtep.core.api;

import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.fdb.Fdb;
import io.vtep.metrics.CounterSnapshotSource;

/**
 * The routes of the HTTP API (README "HTTP API"), independent of the transport: method, URI and
 * {@code Accept} in, {@link ApiResponse} out. Runs on the API event-loop thread, never on a
 * data-path thread (docs/architecture.md §3).
 *
 * <table>
 *   <caption>routes</caption>
 *   <tr><td>{@code GET /metrics}</td><td>Prometheus text, or OpenMetrics when {@code Accept} asks for it</td></tr>
 *   <tr><td>{@code GET /healthz}</td><td>200 "ok" while the process runs</td></tr>
 *   <tr><td>{@code GET /readyz}</td><td>200 when the access ports are open and the underlay bound, else 503 with the reason</td></tr>
 *   <tr><td>{@code GET /api/v1/fdb[?vni=N][&limit=N[&after=VNI/MAC]]}</td><td>FDB entries, JSON, streamed;
 *   or one page of them after a cursor</td></tr>
 *   <tr><td>{@code GET /api/v1/vnis[?vni=N]}</td><td>VNIs with ports, flood lists, FDB counts and counters, JSON</td></tr>
 *   <tr><td>{@code GET /api/v1/ports}</td><td>access ports, their interfaces' state and LACP, JSON</td></tr>
 *   <tr><td>{@code GET /api/v1/bgp}</td><td>BGP peers and EVPN summary, JSON (404 without a bgp section)</td></tr>
 *   <tr><td>{@code GET /api/v1/bgp/routes[?vni=N]}</td><td>EVPN routes received and originated, JSON</td></tr>
 *   <tr><td>{@code GET /api/v1/es}</td><td>Ethernet segments (EVPN multihoming): state, peers, DF per VNI, the port's LACP; remote segments
 *   ({@link SegmentDocuments}; 404 without a bgp section)</td></tr>
 *   <tr><td>{@code GET /api/v1/version}</td><td>version, JSON</td></tr>
 *   <tr><td>{@code GET /}, {@code GET /status/*}</td><td>the web status page and its files ({@link StatusPage})</td></tr>
 *   <tr><td>{@code GET /api/v1/capture?vni=N[&count=K][&seconds=S][&snaplen=L]}</td><td>the VNI's frames, both
 *   directions, as a pcapng stream ({@link CaptureEndpoint}; 429 when too many captures run)</td></tr>
 *   <tr><td>{@code POST /api/v1/fdb}</td><td>add a static entry, JSON body {@code {"vni","mac","dst"}} ({@link ChangeRoutes})</td></tr>
 *   <tr><td>{@code DELETE /api/v1/fdb?vni=N&mac=M}</td><td>delete a static or learned entry (409 for an EVPN one)</td></tr>
 *   <tr><td>{@code POST /api/v1/fdb/flood}</td><td>append a VTEP to a flood list, {@code {"vni","dst"}}</td></tr>
 *   <tr><td>{@code DELETE /api/v1/fdb/flood?vni=N&dst=IP}</td><td>take a VTEP off a flood list</td></tr>
 *   <tr><td>{@code POST /api/v1/fdb/flush}</td><td>remove learned entries of a VNI, {@code {"vni","origin"?}}</td></tr>
 *   <tr><td>{@code POST /api/v1/reload}</td><td>re-read the configuration file and apply the differences</td></tr>
 *   <tr><td>{@code DELETE /api/v1/bgp/duplicates?vni=N&mac=M}</td><td>unfreeze a MAC frozen as an EVPN duplicate ({@link DuplicateMacs})</td></tr>
 *   <tr><td>{@code GET /api/v1/openapi.yaml}</td><td>the OpenAPI 3.1 document of all these routes, {@code docs/openapi.yaml}
 *   ({@link OpenApiDocument})</td></tr>
 * </table>
 *
 * The POST and DELETE routes change vtep: they are off (403) unless {@code api.token-file} is
 * configured, and then need {@code Authorization: Bearer TOKEN} (401 without, 403 wrong).
 * {@code GET /api/v1/capture} needs the token too when there is one ({@link CaptureEndpoint}).
 *
 * Errors: unknown path 404; a method the path does not take 405 with {@code Allow};
 * a bad or unknown query parameter 400; a VNI that is not configured 404. Under {@code /api/} error
 * bodies are JSON {@code {"error":"...","status":N}}, elsewhere one line of text.
 */
public final class ApiRouter
{
    static final String ALLOW = "GET, HEAD";
    static final int MAX_VNI = 0xFF_FFFF;
    private static final List<String> PATHS =
        List.of("/metrics", "/healthz", "/readyz", "/api/v1/fdb", "/api/v1/vnis", "/api/v1/ports", "/api/v1/bgp", "/api/v1/bgp/routes",
            "/api/v1/version", CaptureRequest.PATH, "/api/v1/fdb/flood", "/api/v1/fdb/flush", "/api/v1/reload",
            "/api/v1/bgp/duplicates", OpenApiDocument.PATH, "/api/v1/es");
    private static final List<String> VNI_PARAMETER = List.of("vni");
    private static final List<String> FDB_PARAMETERS = List.of("vni", "limit", "after");

    private final ApiDocuments documents;
    private final MetricsEndpoint metrics;
    private final ReadinessCheck readiness;
    private final String version;
    private final BgpDocuments bgp;
    private final StatusPage statusPage = new StatusPage();
    private final OpenApiDocument openApi = new OpenApiDocument();
    /** {@code /api/v1/capture}, streamed by the server itself (binary, long-lived); null: not offered. */
    private CaptureEndpoint capture;
    private final ChangeRoutes changes;

    public ApiRouter(final Fdb fdb, final ForwardingTables tables, final CounterSnapshotSource counters,
        final MetricsEndpoint metrics, final ReadinessCheck readiness, final String version)
    {
        this(fdb, tables, counters, metrics, readiness, version, null);
    }

    /** @param bgpOrNull the BGP documents, or null when the configuration has no bgp section. */
    public ApiRouter(final Fdb fdb, final ForwardingTables tables, final CounterSnapshotSource counters,
        final MetricsEndpoint metrics, final ReadinessCheck readiness, final String version, final BgpDocuments bgpOrNull)
    {
        this(fdb, tables, counters, metrics, readiness, version, bgpOrNull, new ChangeRoutes(null, fdb, new RuntimeFdbEntries(), null, null));
    }

    /**
     * @param bgpOrNull the BGP documents, or null when the configuration has no bgp section.
     * @param changes   the endpoints that change vtep (off without a token)
     */
    public ApiRouter(final Fdb fdb, final ForwardingTables tables, final CounterSnapshotSource counters,
        final MetricsEndpoint metrics, final ReadinessCheck readiness, final String version, final BgpDocuments bgpOrNull,
        final ChangeRoutes changes)
    {
        this.documents = new ApiDocuments(fdb, tables, counters, changes.runtime());
        this.metrics = metrics;
        this.readiness = readiness;
        this.version = version;
        this.bgp = bgpOrNull;
        this.changes = changes;
    }

    /** Offers {@code GET /api/v1/capture} ({@link CaptureEndpoint}); call before the server starts. */
    public ApiRouter capture(final CaptureEndpoint endpoint)
    {
        this.capture = endpoint;
        return this;
    }

    /** The capture endpoint, or null when not offered. */
    CaptureEndpoint captureOrNull()
    {
        return capture;
    }

    /**
     * @param method             HTTP method, upper case
     * @param uri                request target, path and query ({@code /api/v1/fdb?vni=100})
     * @param acceptHeaderOrNull the {@code Accept} header
     */
    public ApiResponse handle(final String method, final String uri, final String acceptHeaderOrNull)
    {
        return handle(ApiRequest.of(method, uri, acceptHeaderOrNull));
    }

    /** Any request, those with a body and credentials included ({@link ChangeRoutes}). */
    public ApiResponse handle(final ApiRequest request)
    {
        final String method = request.method();
        final String uri = request.uri();
        final String acceptHeaderOrNull = request.acceptOrNull();
        final QueryStringDecoder decoder;
        final String path;
        try
        {
            decoder = new QueryStringDecoder(uri);
            path = decoder.path();
        }
        catch (final IllegalArgumentException ex)
        {
            return ApiResponse.text(400, "bad request target: " + ex.getMessage());
        }
        if (StatusPage.serves(path))
        {
            return statusPage.answer(method, path);
        }
        final boolean api = path.startsWith("/api/");
        if (!PATHS.contains(path))
        {
            final String message = "no such endpoint " + path + "; endpoints: " + String.join(", ", PATHS);
            return api ? ApiResponse.jsonError(404, message) : ApiResponse.text(404, message);
        }
        if (ChangeRoutes.isChange(method, path))
        {
            return changes.handle(request, decoder);
        }
        final String allow = ChangeRoutes.ALLOWED.getOrDefault(path, ALLOW);
        if (!(method.equals("GET") || method.equals("HEAD")) || !allow.startsWith(ALLOW))
        {
            final String message = "method " + method + " not allowed on " + path + "; allowed: " + allow;
            return (api ? ApiResponse.jsonError(405, message) : ApiResponse.text(405, message)).withHeader("Allow", allow);
        }
        try
        {
            return switch (path)
            {
                case "/metrics" -> metrics.scrape(acceptHeaderOrNull);
                case "/healthz" -> ApiResponse.text(200, "ok");
                case "/readyz" -> readyz();
                case "/api/v1/fdb" -> fdb(decoder);
                case "/api/v1/vnis" -> withVni(decoder, vni -> ApiResponse.json(documents.vnis(vni)));
                case "/api/v1/ports" -> ApiResponse.json(documents.ports());
                case "/api/v1/bgp" -> withBgp(decoder, vni -> ApiResponse.json(bgp.summary()), false);
                case "/api/v1/bgp/routes" -> withBgp(decoder, vni -> ApiResponse.json(bgp.routes(vni)), true);
                case "/api/v1/es" -> withBgp(decoder, vni -> ApiResponse.json(bgp.segments(documents::lacp)), false);
                case CaptureRequest.PATH -> ApiResponse.jsonError(404, "capture is not offered by this server");
                case OpenApiDocument.PATH -> openApi.answer();
                case "/api/v1/version" -> ApiResponse.json(new JsonWriter().beginObject()
                    .field("version", version).field("java", Runtime.version().toString()).endObject() + "\n");
                default -> throw new IllegalStateException("unrouted " + path);
            };
        }
        catch (final BadRequest ex)
        {
            return ApiResponse.jsonError(400, ex.getMessage());
        }
    }

    /** The whole FDB streamed, or with {@code limit} one page of it (README "HTTP API"). */
    private ApiResponse fdb(final QueryStringDecoder decoder)
    {
        final Map<String, List<String>> parameters = parameters(decoder, FDB_PARAMETERS);
        final String limit = single(parameters, "limit");
        final String after = single(parameters, "after");
        if (after != null && limit == null)
        {
            throw new BadRequest("after needs limit (the page length)");
        }
        final FdbCursor cursor = limit == null ? null : FdbCursor.parse(limit, after);
        return withVni(decoder, FDB_PARAMETERS, vni -> ApiResponse.jsonStream(() -> documents.fdb(vni, cursor)));
    }

    private ApiResponse readyz()
    {
        final String reason = readiness.notReadyReason();
        return reason == null ? ApiResponse.text(200, "ready") : ApiResponse.text(503, "not ready: " + reason);
    }

    @FunctionalInterface
    private interface VniRoute
    {
        ApiResponse answer(int vniOrZero);
    }

    private ApiResponse withBgp(final QueryStringDecoder decoder, final VniRoute route, final boolean vniParameter)
    {
        if (bgp == null)
        {
            return ApiResponse.jsonError(404, "BGP EVPN is not configured: the configuration has no bgp section");
        }
        if (!vniParameter && !decoder.rawQuery().isEmpty())
        {
            throw new BadRequest("no query parameters accepted here");
        }
        return withVni(decoder, route);
    }

    private ApiResponse withVni(final QueryStringDecoder decoder, final VniRoute route)
    {
        return withVni(decoder, VNI_PARAMETER, route);
    }

    private ApiResponse withVni(final QueryStringDecoder decoder, final List<String> accepted, final VniRoute route)
    {
        final String value = single(parameters(decoder, accepted), "vni");
        if (value == null)
        {
            return route.answer(0);
        }
        final int vni = parseVni(value);
        if (!documents.hasVni(vni))
        {
            return ApiResponse.jsonError(404, "VNI " + vni + " is not configured");
        }
        return route.answer(vni);
    }

    private static Map<String, List<String>> parameters(final QueryStringDecoder decoder, final List<String> accepted)
    {
        final Map<String, List<String>> parameters;
        try
        {
            parameters = decoder.parameters();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadRequest("bad query string: " + ex.getMessage());
        }
        for (final String name : parameters.keySet())
        {
            if (!accepted.contains(name))
            {
                throw new BadRequest("unknown query parameter '" + name + "' (accepted: " + String.join(", ", accepted) + ")");
            }
        }
        return parameters;
    }

    /** The parameter's value, or null when absent; given twice is a {@link BadRequest}. */
    private static String single(final Map<String, List<String>> parameters, final String name)
    {
        final List<String> values = parameters.get(name);
        if (values == null)
        {
            return null;
        }
        if (values.size() != 1)
        {
            throw new BadRequest("give " + name + " once, not " + values.size() + " times");
        }
        return values.getFirst();
    }

    /** A VNI as a decimal number 1..16777215, or {@link BadRequest} saying what is wrong. */
    static int parseVni(final String text)
    {
        if (text.isEmpty() || text.length() > 8 || !text.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            throw new BadRequest("vni must be a number 1.." + MAX_VNI + ", not '" + text + "'");
        }
        final int vni = Integer.parseInt(text);
        if (vni < 1 || vni > MAX_VNI)
        {
            throw new BadRequest("vni " + vni + " is out of range 1.." + MAX_VNI);
        }
        return vni;
    }

    /** A request the client got wrong: answered with 400 and the message. */
    static final class BadRequest extends RuntimeException
    {
        BadRequest(final String message)
        {
            super(message, null, false, false);
        }
    }
}
