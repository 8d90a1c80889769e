package io.vtep.core.api;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The command line's side of the HTTP API: GETs a JSON document from a running vtep
 * ({@code --api URL}, default {@value #DEFAULT_API}) with {@link HttpClient}.
 */
public final class ApiClient
{
    public static final String DEFAULT_API = "http://127.0.0.1:9100";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final URI base;
    private final HttpClient client;

    /**
     * @param base such as {@code http://127.0.0.1:9100}; a trailing slash is ignored
     * @throws IllegalArgumentException when it is not an http:// URL with a host
     */
    public ApiClient(final String base)
    {
        this.base = parseBase(base);
        this.client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    }

    static URI parseBase(final String text)
    {
        final URI uri;
        try
        {
            uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--api " + text + " is not a URL like " + DEFAULT_API);
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty()) ||
            uri.getQuery() != null)
        {
            throw new IllegalArgumentException("--api " + text + " is not a URL like " + DEFAULT_API);
        }
        return uri;
    }

    /** The base URL as given (for messages). */
    public String base()
    {
        return base.toString();
    }

    /**
     * GETs {@code pathAndQuery} and parses the JSON answer.
     *
     * @throws ApiClientException saying what went wrong, in words for an operator
     */
    public Map<String, Object> getJson(final String pathAndQuery) throws ApiClientException
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json")
            .GET()
            .build();
        final HttpResponse<String> response;
        try
        {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (final ConnectException | HttpConnectTimeoutException ex)
        {
            throw new ApiClientException("no vtep answering at " + base + " (is it running? use --api URL)");
        }
        catch (final HttpTimeoutException ex)
        {
            throw new ApiClientException("vtep at " + base + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        }
        catch (final IOException ex)
        {
            // Connected, but the answer did not arrive whole: vtep (or what listens there) closed
            // the connection or cut a streamed answer short. Not "unreachable": say so.
            throw new ApiClientException("vtep at " + base + " closed the connection before its answer to " + pathAndQuery +
                " was complete (see vtep's log): " + ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new ApiClientException("interrupted");
        }

        final Object json;
        try
        {
            json = JsonReader.parse(response.body());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ApiClientException(base + pathAndQuery + " answered " + response.statusCode() +
                " without JSON (is that a vtep?)");
        }
        if (!(json instanceof Map<?, ?> map))
        {
            throw new ApiClientException(base + pathAndQuery + " answered " + response.statusCode() + " with unexpected JSON");
        }
        @SuppressWarnings("unchecked")
        final Map<String, Object> document = (Map<String, Object>)map;
        if (response.statusCode() != 200)
        {
            final Object error = document.get("error");
            if (response.statusCode() >= 500)
            {
                throw new ApiClientException("vtep at " + base + " answered " + pathAndQuery + " with an error (" +
                    response.statusCode() + "): " + (error != null ? error : "no message") + " (see vtep's log)");
            }
            throw new ApiClientException(error != null ? error.toString() :
                base + pathAndQuery + " answered " + response.statusCode());
        }
        return document;
    }

    /**
     * GETs a paged document a page at a time ({@code limit} and {@code after}, the cursor each page
     * gives as {@code "next"}), so that only one page is held however large the whole is. A vtep from
     * before paging refuses {@code limit}; it is then asked for the whole document at once.
     *
     * @param pathAndQuery such as {@code /api/v1/fdb} or {@code /api/v1/fdb?vni=100}
     * @param limit        entries per page
     * @param page         receives each page's document
     */
    public void forEachPage(final String pathAndQuery, final int limit, final Consumer<Map<String, Object>> page)
        throws ApiClientException
    {
        final String first = pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + "limit=" + limit;
        String after = null;
        do
        {
            final Map<String, Object> document;
            try
            {
                document = getJson(after == null ? first : first + "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            }
            catch (final ApiClientException ex)
            {
                if (after == null && ex.getMessage().startsWith("unknown query parameter 'limit'"))
                {
                    page.accept(getJson(pathAndQuery));
                    return;
                }
                throw ex;
            }
            page.accept(document);
            after = document.get("next") instanceof String next ? next : null;
        }
        while (after != null);
    }

    /** A failure to get an answer, with a message for the operator (printed after "vtep: "). */
    public static final class ApiClientException extends Exception
    {
        public ApiClientException(final String message)
        {
            super(message, null, false, false);
        }
    }
}
