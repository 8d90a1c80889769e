package io.vtep.core.api;

/**
 * Answers {@code GET /metrics}: the appliance adapts {@code VtepMetrics.scrape} to this, so the API
 * package needs nothing from the metrics exporter but its answer.
 */
@FunctionalInterface
public interface MetricsEndpoint
{
    /**
     * @param acceptHeaderOrNull the scraper's {@code Accept} header (Prometheus asks for OpenMetrics there)
     * @return the exposition, with its content type
     */
    ApiResponse scrape(String acceptHeaderOrNull);
}
