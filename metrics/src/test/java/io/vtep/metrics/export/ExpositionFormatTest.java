package io.vtep.metrics.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpositionFormatTest
{
    @ParameterizedTest
    @ValueSource(strings = {
        // Prometheus 2.x default scrape_protocols
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
        // Prometheus 3.x
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4," +
            "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1",
        "application/openmetrics-text",
        "Application/OpenMetrics-Text; version=1.0.0",
        "text/plain;q=0.5, application/openmetrics-text;q=0.5",
    })
    void openMetricsWhenAskedFor(final String accept)
    {
        assertEquals(ExpositionFormat.OPENMETRICS, ExpositionFormat.negotiate(accept));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "*/*", "text/plain", "text/plain;version=0.0.4", "text/html,application/xhtml+xml,*/*;q=0.8", "application/json",
        "application/openmetrics-text;q=0", "application/openmetrics-text;q=0.2,text/plain;q=0.9",
        "application/openmetrics-text;q=bogus", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily",
        ",;,;;q=",
    })
    void prometheusTextOtherwise(final String accept)
    {
        assertEquals(ExpositionFormat.PROMETHEUS_TEXT, ExpositionFormat.negotiate(accept));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PROMETHEUS_TEXT | text/plain; version=0.0.4; charset=utf-8",
        "OPENMETRICS     | application/openmetrics-text; version=1.0.0; charset=utf-8",
    })
    void contentTypes(final ExpositionFormat format, final String contentType)
    {
        assertEquals(contentType, format.contentType());
    }
}
