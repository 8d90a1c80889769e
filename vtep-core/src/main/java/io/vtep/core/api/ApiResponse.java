package io.vtep.core.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What an API route answers: status, content type, body and extra headers ({@code Allow} on a 405).
 * Independent of Netty so that routing is tested without a socket.
 *
 * <p>The body is either bytes, or, for documents that grow with the FDB, a {@link StreamedDocument}
 * that the server sends chunked ({@code streamOrNull}, a factory so that each read starts afresh);
 * {@link #body()} of a streamed response writes the whole document (tests, small answers).
 */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers,
    Supplier<StreamedDocument> streamOrNull)
{
    public static final String JSON = "application/json; charset=utf-8";
    public static final String TEXT = "text/plain; charset=utf-8";

    public ApiResponse
    {
        headers = Map.copyOf(headers);
    }

    public ApiResponse(final int status, final String contentType, final byte[] body, final Map<String, String> headers)
    {
        this(status, contentType, body, headers, null);
    }

    public static ApiResponse of(final int status, final String contentType, final String body)
    {
        return new ApiResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static ApiResponse json(final String body)
    {
        return of(200, JSON, body);
    }

    /** 200 with a JSON document sent in chunks as it is written. */
    public static ApiResponse jsonStream(final Supplier<StreamedDocument> document)
    {
        return new ApiResponse(200, JSON, new byte[0], Map.of(), document);
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
        return new ApiResponse(status, contentType, body, more, streamOrNull);
    }

    /** Whether the body is streamed (sent chunked, length unknown in advance). */
    public boolean streamed()
    {
        return streamOrNull != null;
    }

    /** The body; a streamed one is written whole here. */
    @Override
    public byte[] body()
    {
        return streamOrNull == null ? body : StreamedDocument.toText(streamOrNull.get()).getBytes(StandardCharsets.UTF_8);
    }

    /** The body as text (for tests and messages). */
    public String bodyText()
    {
        return new String(body(), StandardCharsets.UTF_8);
    }
}
