package io.vtep.core.config;

/**
 * The {@code api:} section: where the HTTP API listens (loopback by default) and the limits that keep
 * it from taking what the data path and BGP need (file descriptors, memory; README "HTTP API").
 *
 * @param maxConnections       connections open at once; one more is closed as soon as it is accepted,
 *                             so the API holds at most this many descriptors whatever clients do
 * @param headerTimeoutSeconds a request must arrive whole within this long of its first byte
 *                             (against slowloris clients that trickle a header a byte at a time)
 * @param idleTimeoutSeconds   a connection that neither reads nor writes this long is closed
 * @param tokenFileOrNull      {@code api.token-file}: the bearer token that the endpoints which change vtep
 *                             ask for; null leaves them off
 * @param tlsOrNull            {@code api.tls}: certificate and key to serve HTTPS with; null for plain HTTP
 */
public record ApiConfig(String host, int port, int maxConnections, int headerTimeoutSeconds, int idleTimeoutSeconds,
    java.nio.file.Path tokenFileOrNull, Tls tlsOrNull)
{
    /** {@code api.tls}: PEM files, the certificate chain (server first) and its PKCS#8 private key. */
    public record Tls(java.nio.file.Path certificateFile, java.nio.file.Path keyFile)
    {
    }

    /** Without a token or TLS. */
    public ApiConfig(final String host, final int port, final int maxConnections, final int headerTimeoutSeconds,
        final int idleTimeoutSeconds)
    {
        this(host, port, maxConnections, headerTimeoutSeconds, idleTimeoutSeconds, null, null);
    }

    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    public static final int DEFAULT_HEADER_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 120;
    public static final ApiConfig DEFAULT = new ApiConfig("127.0.0.1", 9100);

    /** An address with the default limits (also how {@code bgp.listen} is carried). */
    public ApiConfig(final String host, final int port)
    {
        this(host, port, DEFAULT_MAX_CONNECTIONS, DEFAULT_HEADER_TIMEOUT_SECONDS, DEFAULT_IDLE_TIMEOUT_SECONDS);
    }

    /** The same limits at another address. */
    public ApiConfig withAddress(final String newHost, final int newPort)
    {
        return new ApiConfig(newHost, newPort, maxConnections, headerTimeoutSeconds, idleTimeoutSeconds, tokenFileOrNull, tlsOrNull);
    }
}
