package io.vtep.core.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import io.vtep.core.api.JsonWriter;

/**
 * {@code log.format: json}: one JSON object per line ("JSON lines"), what log shippers (journald's
 * and Docker's collectors, Fluent Bit, Vector) parse without a pattern:
 * {@code {"time":"2026-12-05T02:35:00.123Z","level":"info","logger":"io.vtep.core.app.VtepAppliance","message":"..."}},
 * plus {@code "error"} with the stack trace when the record carries one.
 */
public final class JsonLineFormatter extends Formatter
{
    @Override
    public String format(final LogRecord record)
    {
        final JsonWriter json = new JsonWriter().beginObject()
            .field("time", Instant.ofEpochMilli(record.getMillis()).toString())
            .field("level", LogSettings.label(record.getLevel()))
            .field("logger", record.getLoggerName() == null ? "" : record.getLoggerName())
            .field("message", formatMessage(record));
        if (record.getThrown() != null)
        {
            final StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            json.field("error", trace.toString());
        }
        return json.endObject() + System.lineSeparator();
    }
}
