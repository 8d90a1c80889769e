package io.vtep.core.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What an API route answers: status, content type, body and extra headers ({@code Allow} on a 405).
 * Independent of Netty so that routing is tested without a socket.
 */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers)
{
    public static final String JSON = "application/json; charset=utf-8";
    public static final String TEXT = "text/plain; charset=utf-8";

    public ApiResponse
    {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse of(final int status, final String contentType, final String body)
    {
        return new ApiResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static ApiResponse json(final String body)
    {
        return of(200, JSON, body);
    }

    public static ApiResponse text(final int status, final String body)
    {
        return of(status, TEXT, body.endsWith("\n") ? body : body + "\n");
    }

    /** {@code {"error":"...","status":N}}: how {@code /api/v1/...} routes report a problem. */
    public static ApiResponse jsonError(final int status, final String message)
    {
        return of(status, JSON, new JsonWriter().beginObject().field("error", message).field("status", status).endObject() + "\n");
    }

    public ApiResponse withHeader(final String name, final String value)
    {
        final java.util.HashMap<String, String> more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, contentType, body, more);
    }

    /** The body as text (for tests and messages). */
    public String bodyText()
    {
        return new String(body, StandardCharsets.UTF_8);
    }
}
