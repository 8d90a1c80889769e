package io.vtep.core.api;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

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
            throw new ApiClientException("cannot talk to a vtep at " + base + ": " + ex);
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
            throw new ApiClientException(error != null ? error.toString() :
                base + pathAndQuery + " answered " + response.statusCode());
        }
        return document;
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
