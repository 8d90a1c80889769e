package io.vtep.core.api;

import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.Origin;

/**
 * The endpoints that change vtep (README "HTTP API", "Changes through the API"): static FDB
 * entries, flood-list entries, flushing learned entries, and reload. Off unless
 * {@code api.token-file} is configured; then each request needs {@code Authorization: Bearer TOKEN}
 * ({@link ApiToken}). Checked in this order: token configured (403), credentials (401, 403), body
 * size (413), content type (415), body and parameters (400), then the change itself (404, 409).
 *
 * <pre>
 *   POST   /api/v1/fdb          {"vni":100,"mac":"02:00:00:00:00:01","dst":"192.0.2.2"}   static entry
 *   DELETE /api/v1/fdb?vni=100&amp;mac=02:00:00:00:00:01                                  static or learned entry
 *   POST   /api/v1/fdb/flood    {"vni":100,"dst":"192.0.2.3"}                            flood-list entry
 *   DELETE /api/v1/fdb/flood?vni=100&amp;dst=192.0.2.3
 *   POST   /api/v1/fdb/flush    {"vni":100,"origin":"local"}  (origin optional)           learned entries
 *   POST   /api/v1/reload                                                                 re-read the file
 *   DELETE /api/v1/bgp/duplicates?vni=100&amp;mac=02:00:00:00:00:01                       unfreeze a duplicate MAC
 * </pre>
 */
public final class ChangeRoutes
{
    private static final System.Logger LOG = System.getLogger(ChangeRoutes.class.getName());
    /** Bodies are a few fields: anything bigger is refused (413) before it is parsed. */
    static final int MAX_BODY_BYTES = 4096;
    static final Map<String, String> ALLOWED = Map.of(
        "/api/v1/fdb", "GET, HEAD, POST, DELETE",
        "/api/v1/fdb/flood", "POST, DELETE",
        "/api/v1/fdb/flush", "POST",
        "/api/v1/reload", "POST",
        "/api/v1/bgp/duplicates", "DELETE");
    private static final List<String> ENTRY_FIELDS = List.of("vni", "mac", "dst");
    private static final List<String> FLOOD_FIELDS = List.of("vni", "dst");
    private static final List<String> FLUSH_FIELDS = List.of("vni", "origin");

    private final ApiToken tokenOrNull;
    private final FdbChanges changes;
    private final RuntimeFdbEntries runtime;
    private final ReloadService reloadOrNull;
    private DuplicateMacs duplicatesOrNull;

    /**
     * @param tokenOrNull  the token of {@code api.token-file}; null turns these endpoints off (403)
     * @param runtime      where entries added at run time are recorded
     * @param localOrNull  this VTEP's underlay address ({@code vtep.local-ip}), never a destination
     * @param reloadOrNull what {@code POST /api/v1/reload} calls; null answers 501
     */
    public ChangeRoutes(final ApiToken tokenOrNull, final Fdb fdb, final RuntimeFdbEntries runtime, final VtepAddress localOrNull,
        final ReloadService reloadOrNull)
    {
        this.tokenOrNull = tokenOrNull;
        this.changes = new FdbChanges(fdb, runtime, localOrNull);
        this.runtime = runtime;
        this.reloadOrNull = reloadOrNull;
    }

    /**
     * Offers {@code DELETE /api/v1/bgp/duplicates}; without it (no bgp section) that route answers 404.
     *
     * @return this for chaining.
     */
    public ChangeRoutes duplicates(final DuplicateMacs duplicates)
    {
        this.duplicatesOrNull = duplicates;
        return this;
    }

    /** Entries added through these endpoints. */
    public RuntimeFdbEntries runtime()
    {
        return runtime;
    }

    /** Whether {@code method} on {@code path} is one of these endpoints. */
    static boolean isChange(final String method, final String path)
    {
        final String allowed = ALLOWED.get(path);
        return allowed != null && (method.equals("POST") || method.equals("DELETE")) && List.of(allowed.split(", ")).contains(method);
    }

    ApiResponse handle(final ApiRequest request, final QueryStringDecoder decoder)
    {
        if (tokenOrNull == null)
        {
            return ApiResponse.jsonError(403, "changes through the API are off: set api.token-file in the configuration " +
                "(a file only its owner can read, holding a token) to enable them");
        }
        final ApiResponse refusal = tokenOrNull.refusal(request.authorizationOrNull());
        if (refusal != null)
        {
            return refusal;
        }
        if (request.body().length > MAX_BODY_BYTES)
        {
            return ApiResponse.jsonError(413, "request body of " + request.body().length + " bytes; at most " + MAX_BODY_BYTES);
        }
        try
        {
            return switch (request.method() + " " + decoder.path())
            {
                case "POST /api/v1/fdb" -> addStatic(body(request, ENTRY_FIELDS));
                case "DELETE /api/v1/fdb" -> deleteEntry(query(request, decoder, List.of("vni", "mac")));
                case "POST /api/v1/fdb/flood" -> appendFlood(body(request, FLOOD_FIELDS));
                case "DELETE /api/v1/fdb/flood" -> deleteFlood(query(request, decoder, FLOOD_FIELDS));
                case "POST /api/v1/fdb/flush" -> flush(body(request, FLUSH_FIELDS));
                case "POST /api/v1/reload" -> reload(request, decoder);
                case "DELETE /api/v1/bgp/duplicates" -> clearDuplicate(query(request, decoder, List.of("vni", "mac")));
                default -> throw new IllegalStateException("unrouted " + request.method() + " " + decoder.path());
            };
        }
        catch (final ApiProblem ex)
        {
            return ex.response();
        }
    }

    private ApiResponse addStatic(final Map<String, Object> body)
    {
        final long mac = mac(required(body, "mac"));
        if (mac == 0)
        {
            throw new ApiProblem(400, "mac: 00:00:00:00:00:00 is the flood list: POST /api/v1/fdb/flood (vtep fdb append)");
        }
        return answer(changes.addStatic(vni(required(body, "vni")), mac, dst(required(body, "dst"))));
    }

    private ApiResponse deleteEntry(final Map<String, String> query)
    {
        return answer(changes.delete(vni(required(query, "vni")), mac(required(query, "mac"))));
    }

    private ApiResponse appendFlood(final Map<String, Object> body)
    {
        return answer(changes.appendFlood(vni(required(body, "vni")), dst(required(body, "dst"))));
    }

    private ApiResponse deleteFlood(final Map<String, String> query)
    {
        return answer(changes.deleteFlood(vni(required(query, "vni")), dst(required(query, "dst"))));
    }

    private ApiResponse flush(final Map<String, Object> body)
    {
        final int vni = vni(required(body, "vni"));
        final Object origin = body.get("origin");
        final Origin which;
        if (origin == null)
        {
            which = null;
        }
        else if ("local".equals(origin))
        {
            which = Origin.LOCAL;
        }
        else if ("remote".equals(origin))
        {
            which = Origin.REMOTE;
        }
        else
        {
            throw new ApiProblem(400, "origin: must be \"local\" or \"remote\" (learned entries), not " + origin);
        }
        final int removed = changes.flush(vni, which);
        LOG.log(System.Logger.Level.INFO, "HTTP API: flushed " + removed + " learned entries (" +
            (which == null ? "local,remote" : which.label()) + ") in VNI " + vni);
        return ApiResponse.json(new JsonWriter().beginObject().field("vni", vni)
            .field("origin", which == null ? "local,remote" : which.label()).field("flushed", removed).endObject() + "\n");
    }

    private ApiResponse clearDuplicate(final Map<String, String> query)
    {
        if (duplicatesOrNull == null)
        {
            throw new ApiProblem(404, "no BGP EVPN in this vtep: there are no duplicate MACs to clear");
        }
        final int vni = vni(required(query, "vni"));
        final long mac = mac(required(query, "mac"));
        if (!duplicatesOrNull.clear(vni, mac))
        {
            throw new ApiProblem(404, MacAddress.format(mac) + " is not frozen as a duplicate in VNI " + vni);
        }
        LOG.log(System.Logger.Level.INFO, "HTTP API: duplicate MAC {0} in VNI {1} unfrozen", MacAddress.format(mac), vni);
        return ApiResponse.json(new JsonWriter().beginObject().field("changed", true)
            .field("result", "duplicate MAC " + MacAddress.format(mac) + " in VNI " + vni + " unfrozen").endObject() + "\n");
    }

    private ApiResponse reload(final ApiRequest request, final QueryStringDecoder decoder)
    {
        if (!decoder.rawQuery().isEmpty() || request.body().length > 0 && !request.bodyText().isBlank() &&
            !request.bodyText().strip().equals("{}"))
        {
            throw new ApiProblem(400, "reload takes no parameters: it reads the configuration file vtep was started with");
        }
        if (reloadOrNull == null)
        {
            return ApiResponse.jsonError(501, "reload is not available in this vtep");
        }
        final ReloadOutcome outcome = reloadOrNull.reload();
        if (!outcome.isApplied())
        {
            return ApiResponse.jsonError(422, "configuration refused, the running one stays: " + outcome.errorOrNull());
        }
        final JsonWriter json = new JsonWriter().beginObject().field("applied", true).name("changes").beginArray();
        for (final String change : outcome.changes())
        {
            json.value(change);
        }
        return ApiResponse.json(json.endArray().endObject() + "\n");
    }

    private static ApiResponse answer(final FdbChanges.Result result)
    {
        if (result.changed())
        {
            // One line per change an operator made, as a reload logs one per applied change.
            LOG.log(System.Logger.Level.INFO, "HTTP API: {0}", result.what());
        }
        return ApiResponse.json(new JsonWriter().beginObject().field("changed", result.changed()).field("result", result.what())
            .endObject() + "\n");
    }

    /** The JSON object of a POST, with only {@code accepted} fields; 415 when it is not JSON. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(final ApiRequest request, final List<String> accepted)
    {
        final String type = request.contentTypeOrNull();
        if (type == null || !type.split(";")[0].strip().equalsIgnoreCase("application/json"))
        {
            throw new ApiProblem(415, "send the body as Content-Type: application/json, not " + (type == null ? "none" : type));
        }
        final Object parsed;
        try
        {
            parsed = JsonReader.parse(request.bodyText());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ApiProblem(400, "the body is not JSON: " + ex.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map))
        {
            throw new ApiProblem(400, "the body must be a JSON object with " + String.join(", ", accepted));
        }
        for (final Object name : map.keySet())
        {
            if (!accepted.contains(name))
            {
                throw new ApiProblem(400, "unknown field '" + name + "' (accepted: " + String.join(", ", accepted) + ")");
            }
        }
        return (Map<String, Object>)map;
    }

    private static Map<String, String> query(final ApiRequest request, final QueryStringDecoder decoder, final List<String> accepted)
    {
        final Map<String, List<String>> parameters;
        try
        {
            parameters = decoder.parameters();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ApiProblem(400, "bad query string: " + ex.getMessage());
        }
        final Map<String, String> single = new java.util.HashMap<>();
        for (final Map.Entry<String, List<String>> parameter : parameters.entrySet())
        {
            if (!accepted.contains(parameter.getKey()))
            {
                throw new ApiProblem(400, "unknown query parameter '" + parameter.getKey() + "' (accepted: " +
                    String.join(", ", accepted) + ")");
            }
            if (parameter.getValue().size() != 1)
            {
                throw new ApiProblem(400, "give " + parameter.getKey() + " once, not " + parameter.getValue().size() + " times");
            }
            single.put(parameter.getKey(), parameter.getValue().getFirst());
        }
        if (request.body().length > 0)
        {
            throw new ApiProblem(400, request.method() + " takes its parameters in the query string, not a body");
        }
        return single;
    }

    private static Object required(final Map<String, ?> fields, final String name)
    {
        final Object value = fields.get(name);
        if (value == null)
        {
            throw new ApiProblem(400, name + ": missing");
        }
        return value;
    }

    private static int vni(final Object value)
    {
        final String text = value instanceof Long number ? Long.toString(number) : value instanceof String s ? s : null;
        if (text == null)
        {
            throw new ApiProblem(400, "vni: must be a number 1.." + ApiRouter.MAX_VNI + ", not " + value);
        }
        try
        {
            return ApiRouter.parseVni(text);
        }
        catch (final ApiRouter.BadRequest ex)
        {
            throw new ApiProblem(400, ex.getMessage().replaceFirst("^vni ", "vni: "));
        }
    }

    private static long mac(final Object value)
    {
        final long mac;
        try
        {
            mac = MacAddress.parse(value instanceof String s ? s : String.valueOf(value));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ApiProblem(400, "mac: " + value + " is not a MAC address like 02:00:00:00:00:01");
        }
        if (mac != 0 && MacAddress.isGroup(mac))
        {
            throw new ApiProblem(400, "mac: " + MacAddress.format(mac) + " is a group address; an FDB entry is for a unicast MAC");
        }
        return mac;
    }

    private static VtepAddress dst(final Object value)
    {
        try
        {
            return VtepAddress.parse(value instanceof String s ? s : String.valueOf(value));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ApiProblem(400, "dst: " + value + " is not an IP address");
        }
    }

}
