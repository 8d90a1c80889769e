package io.vtep.core.api;

import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vtep.core.capture.CaptureSession;

/**
 * The query of {@code GET /api/v1/capture?vni=N[&count=K][&seconds=S][&snaplen=L]}: which VNI, and
 * when the capture ends (after {@code count} frames, after {@code seconds}, whichever comes first;
 * without either, when the client closes the connection), and how many bytes of each frame to keep.
 */
record CaptureRequest(int vni, long count, long seconds, int snaplen)
{
    static final String PATH = "/api/v1/capture";
    static final long MAX_COUNT = 1_000_000_000L;
    static final long MAX_SECONDS = 86_400L;
    private static final List<String> PARAMETERS = List.of("vni", "count", "seconds", "snaplen");

    /** @throws ApiRouter.BadRequest saying what is wrong with the query */
    static CaptureRequest parse(final QueryStringDecoder decoder)
    {
        final Map<String, List<String>> parameters;
        try
        {
            parameters = decoder.parameters();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ApiRouter.BadRequest("bad query string: " + ex.getMessage());
        }
        for (final Map.Entry<String, List<String>> parameter : parameters.entrySet())
        {
            if (!PARAMETERS.contains(parameter.getKey()))
            {
                throw new ApiRouter.BadRequest("unknown query parameter '" + parameter.getKey() + "' (accepted: " +
                    String.join(", ", PARAMETERS) + ")");
            }
            if (parameter.getValue().size() != 1)
            {
                throw new ApiRouter.BadRequest("give " + parameter.getKey() + " once");
            }
        }
        if (!parameters.containsKey("vni"))
        {
            throw new ApiRouter.BadRequest("vni is required: which VNI to capture");
        }
        final int vni = ApiRouter.parseVni(parameters.get("vni").getFirst());
        final long count = number(parameters, "count", MAX_COUNT);
        final long seconds = number(parameters, "seconds", MAX_SECONDS);
        final long snaplen = number(parameters, "snaplen", CaptureSession.MAX_SNAPLEN);
        return new CaptureRequest(vni, count, seconds, snaplen == 0 ? CaptureSession.MAX_SNAPLEN : (int)snaplen);
    }

    /** A decimal 1..max, or 0 when absent. */
    private static long number(final Map<String, List<String>> parameters, final String name, final long max)
    {
        final List<String> values = parameters.get(name);
        if (values == null)
        {
            return 0;
        }
        final String text = values.getFirst();
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9') ||
            Long.parseLong(text) < 1 || Long.parseLong(text) > max)
        {
            throw new ApiRouter.BadRequest(name + " must be a number 1.." + max + ", not '" + text + "'");
        }
        return Long.parseLong(text);
    }
}
