package io.vtep.metrics.export;

import java.util.Locale;

/**
 * The two text formats a scrape can be answered in, and the choice between them from the scraper's
 * {@code Accept} header.
 *
 * <p>Prometheus (2.x and 3.x) lists OpenMetrics first with the highest quality value, e.g.
 * {@code application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,
 * text/plain;version=0.0.4;q=0.5,*}{@code /*;q=0.1}; curl and browsers send {@code *}{@code /*} or
 * nothing and get the classic text format. The protobuf format is never offered.
 */
public enum ExpositionFormat
{
    /** Prometheus text exposition format 0.0.4. */
    PROMETHEUS_TEXT("text/plain; version=0.0.4; charset=utf-8"),
    /** OpenMetrics 1.0 text (ends with {@code # EOF}). */
    OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

    private static final String OPENMETRICS_TYPE = "application/openmetrics-text";

    private final String contentType;

    ExpositionFormat(final String contentType)
    {
        this.contentType = contentType;
    }

    /** The {@code Content-Type} of a response in this format. */
    public String contentType()
    {
        return contentType;
    }

    /**
     * OpenMetrics when the header asks for {@code application/openmetrics-text} (any version) with a
     * quality value above zero and at least that of any text/plain or wildcard range; the Prometheus
     * text format otherwise (no header, {@code *}{@code /*}, {@code text/plain}, anything unparseable).
     *
     * @param acceptHeader the request's {@code Accept} header, or null
     */
    public static ExpositionFormat negotiate(final String acceptHeader)
    {
        if (acceptHeader == null || acceptHeader.isBlank())
        {
            return PROMETHEUS_TEXT;
        }
        double openMetrics = 0;
        double text = 0;
        for (final String range : acceptHeader.split(","))
        {
            final String[] parts = range.split(";", -1);
            final String type = parts[0].trim().toLowerCase(Locale.ROOT);
            final double quality = quality(parts);
            if (type.equals(OPENMETRICS_TYPE))
            {
                openMetrics = Math.max(openMetrics, quality);
            }
            else if (type.equals("text/plain") || type.equals("text/*") || type.equals("*/*"))
            {
                text = Math.max(text, quality);
            }
        }
        return openMetrics > 0 && openMetrics >= text ? OPENMETRICS : PROMETHEUS_TEXT;
    }

    private static double quality(final String[] parts)
    {
        for (int i = 1; i < parts.length; i++)
        {
            final String parameter = parts[i].trim();
            if (parameter.length() > 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q') &&
                parameter.charAt(1) == '=')
            {
                try
                {
                    final double q = Double.parseDouble(parameter.substring(2).trim());
                    return q >= 0 && q <= 1 ? q : 0;
                }
                catch (final NumberFormatException ex)
                {
                    return 0;
                }
            }
        }
        return 1;
    }
}
