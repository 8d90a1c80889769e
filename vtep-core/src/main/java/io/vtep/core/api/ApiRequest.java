package io.vtep.core.api;

import java.nio.charset.StandardCharsets;

/**
 * One HTTP request as the router sees it, independent of Netty: the parts a route reads.
 *
 * @param method                    HTTP method, upper case
 * @param uri                       request target, path and query ({@code /api/v1/fdb?vni=100})
 * @param acceptOrNull              the {@code Accept} header
 * @param contentTypeOrNull         the {@code Content-Type} header
 * @param authorizationOrNull       the {@code Authorization} header
 * @param body                      the request body, empty when there is none
 */
public record ApiRequest(String method, String uri, String acceptOrNull, String contentTypeOrNull, String authorizationOrNull,
    byte[] body)
{
    public ApiRequest
    {
        body = body == null ? new byte[0] : body;
    }

    /** A request without a body or credentials (GET, HEAD, and the router's older callers). */
    public static ApiRequest of(final String method, final String uri, final String acceptOrNull)
    {
        return new ApiRequest(method, uri, acceptOrNull, null, null, new byte[0]);
    }

    /** The body as UTF-8 text. */
    public String bodyText()
    {
        return new String(body, StandardCharsets.UTF_8);
    }
}
