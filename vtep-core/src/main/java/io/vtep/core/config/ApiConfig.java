package io.vtep.core.config;

/** The {@code api:} section: where the HTTP API listens (loopback by default). */
public record ApiConfig(String host, int port)
{
    public static final ApiConfig DEFAULT = new ApiConfig("127.0.0.1", 9100);
}
