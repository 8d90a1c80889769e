package io.vtep.core.api;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The command line's side of the HTTP API: GETs a JSON document from a running vtep
 * ({@code --api URL}, default {@value #DEFAULT_API}) with {@link HttpClient}, or sends a change
 * with a bearer token. An {@code https://} URL is checked against the JVM's trusted CAs, or only
 * against the CA certificates of {@code --ca-file} when given (a private CA or a self-signed
 * certificate); the host name must match the certificate (RFC 9110 §4.3.4).
 */
public final class ApiClient implements AutoCloseable
{
    public static final String DEFAULT_API = "http://127.0.0.1:9100";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /**
     * For https the TLS handshake counts in the connect timeout; a JVM's first handshake (a fresh
     * CLI process, both sides' crypto cold) took over 3 s on a busy 2-core machine.
     */
    private static final Duration TLS_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final URI base;
    private final HttpClient client;
    private final String tokenOrNull;

    /**
     * @param base such as {@code http://127.0.0.1:9100}; a trailing slash is ignored
     * @throws IllegalArgumentException when it is not an http:// URL with a host
     */
    public ApiClient(final String base)
    {
        this(base, null, null);
    }

    /**
     * @param base        such as {@code https://192.0.2.1:9100}
     * @param caFileOrNull PEM CA certificates to trust instead of the JVM's, for https
     * @param tokenOrNull the bearer token sent with every request, or null
     * @throws IllegalArgumentException when the URL is not http(s):// with a host, or the CA file unusable
     */
    public ApiClient(final String base, final java.nio.file.Path caFileOrNull, final String tokenOrNull)
    {
        this.base = parseBase(base);
        final HttpClient.Builder builder = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout("https".equals(this.base.getScheme()) ? TLS_CONNECT_TIMEOUT : CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER);
        if (caFileOrNull != null)
        {
            builder.sslContext(trusting(caFileOrNull));
        }
        this.client = builder.build();
        this.tokenOrNull = tokenOrNull;
    }

    /** A TLS context that trusts exactly the certificates of a PEM file. */
    private static javax.net.ssl.SSLContext trusting(final java.nio.file.Path caFile)
    {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(caFile))
        {
            final java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (final java.security.cert.Certificate certificate : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(
                in))
            {
                store.setCertificateEntry("ca" + n++, certificate);
            }
            if (n == 0)
            {
                throw new IllegalArgumentException("--ca-file " + caFile + " holds no PEM certificate");
            }
            final javax.net.ssl.TrustManagerFactory trust =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            final javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        }
        catch (final IOException | java.security.GeneralSecurityException ex)
        {
            throw new IllegalArgumentException("--ca-file " + caFile + ": cannot use it: " + ex.getMessage());
        }
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
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null || (uri.getPath() != null && !uri.getPath()
            .isEmpty()) ||
            uri.getQuery() != null)
        {
            throw new IllegalArgumentException("--api " + text + " is not a URL like " + DEFAULT_API);
        }
        return uri;
    }

    /** Closes the connections it keeps alive (a command run in-process would otherwise hold one open on vtep). */
    @Override
    public void close()
    {
        client.close();
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
        return send("GET", pathAndQuery, null);
    }

    /**
     * Sends {@code method} to {@code pathAndQuery}, with a JSON body when given, and parses the
     * JSON answer (a change's result, or the error: 401, 403, 409... as the server words it).
     *
     * @throws ApiClientException saying what went wrong, in words for an operator
     */
    public Map<String, Object> send(final String method, final String pathAndQuery, final String jsonBodyOrNull)
        throws ApiClientException
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json")
            .method(method, jsonBodyOrNull == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBodyOrNull));
        if (jsonBodyOrNull != null)
        {
            builder.header("Content-Type", "application/json");
        }
        if (tokenOrNull != null)
        {
            builder.header("Authorization", "Bearer " + tokenOrNull);
        }
        final HttpRequest request = builder.build();
        final HttpResponse<String> response;
        try
        {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (final ConnectException | HttpConnectTimeoutException ex)
        {
            throw new ApiClientException("no vtep answering at " + base + " (is it running? use --api URL)");
        }
        catch (final javax.net.ssl.SSLException ex)
        {
            throw new ApiClientException("vtep at " + base + ": TLS failed, nothing was sent: " + ex.getMessage() +
                " (a certificate from a private CA needs --ca-file FILE; https needs api.tls on the vtep)");
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
     * GETs a long binary answer (a capture) as a stream, with the token and TLS settings of this
     * client and no request timeout: the caller reads it to its end and closes it.
     *
     * @throws IOException when no answer came (the caller words it)
     */
    public HttpResponse<java.io.InputStream> stream(final String pathAndQuery) throws IOException, InterruptedException
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET();
        if (tokenOrNull != null)
        {
            builder.header("Authorization", "Bearer " + tokenOrNull);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
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
