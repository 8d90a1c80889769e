package io.vtep.core.api;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The HTTP listener's own series (README "Metrics reference"): connections open, refused at the
 * {@code api.max-connections} limit, closed by the header or idle timeout, and responses that failed
 * on vtep's side. Read from {@link ApiServer.Stats} when scraped.
 */
public final class ApiMeters
{
    public static final String CONNECTIONS = "vtep.api.connections";
    public static final String CONNECTIONS_REFUSED = "vtep.api.connections.refused";
    public static final String CONNECTIONS_TIMED_OUT = "vtep.api.connections.timed.out";
    public static final String RESPONSE_ERRORS = "vtep.api.response.errors";

    private ApiMeters()
    {
    }

    public static void bind(final MeterRegistry registry, final ApiServer.Stats stats)
    {
        Gauge.builder(CONNECTIONS, stats, ApiServer.Stats::open)
            .description("HTTP API connections open")
            .register(registry);
        FunctionCounter.builder(CONNECTIONS_REFUSED, stats, ApiServer.Stats::refused)
            .description("HTTP API connections closed at accept because api.max-connections were open")
            .register(registry);
        FunctionCounter.builder(CONNECTIONS_TIMED_OUT, stats, ApiServer.Stats::headerTimeouts)
            .description("HTTP API connections closed by a timeout: header (request not whole in time) or idle")
            .tag("reason", "header")
            .register(registry);
        FunctionCounter.builder(CONNECTIONS_TIMED_OUT, stats, ApiServer.Stats::idleTimeouts)
            .description("HTTP API connections closed by a timeout: header (request not whole in time) or idle")
            .tag("reason", "idle")
            .register(registry);
        FunctionCounter.builder(RESPONSE_ERRORS, stats, ApiServer.Stats::failedResponses)
            .description("HTTP API responses that failed on vtep's side (answered 500 or cut short), each logged")
            .register(registry);
    }
}
