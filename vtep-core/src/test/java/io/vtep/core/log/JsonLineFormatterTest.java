package io.vtep.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import io.vtep.core.api.JsonReader;

/** {@code log.format: json}: one parseable object per line with time, level, logger, message. */
class JsonLineFormatterTest
{
    @Test
    void oneObjectPerLine()
    {
        final LogRecord record = new LogRecord(Level.WARNING, "access port {0} is \"down\"\nsecond line");
        record.setParameters(new Object[] {"eth1"});
        record.setLoggerName("io.vtep.core.app.VtepAppliance");
        record.setInstant(java.time.Instant.parse("2026-12-05T02:35:00.123Z"));

        final String line = new JsonLineFormatter().format(record);

        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, line);
        @SuppressWarnings("unchecked")
        final Map<String, Object> object = (Map<String, Object>)JsonReader.parse(line.strip());
        assertEquals(Map.of("time", "2026-12-05T02:35:00.123Z", "level", "warn", "logger", "io.vtep.core.app.VtepAppliance",
            "message", "access port eth1 is \"down\"\nsecond line"), object);
    }

    @Test
    void theLogSectionSetsTheRootLevelAndTheConsoleFormat()
    {
        final java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
        try
        {
            LogSettings.apply(new io.vtep.core.config.LogConfig(io.vtep.core.config.LogConfig.Level.DEBUG,
                io.vtep.core.config.LogConfig.Format.JSON));
            assertEquals(Level.FINE, root.getLevel());
            final java.util.logging.Handler console = java.util.Arrays.stream(root.getHandlers())
                .filter(java.util.logging.ConsoleHandler.class::isInstance).findFirst().orElseThrow();
            assertTrue(console.getFormatter() instanceof JsonLineFormatter);
            assertEquals(Level.FINE, console.getLevel());

            LogSettings.apply(new io.vtep.core.config.LogConfig(io.vtep.core.config.LogConfig.Level.WARN,
                io.vtep.core.config.LogConfig.Format.TEXT));
            assertEquals(Level.WARNING, root.getLevel());
            assertTrue(console.getFormatter() instanceof java.util.logging.SimpleFormatter);
        }
        finally
        {
            LogSettings.apply(io.vtep.core.config.LogConfig.DEFAULT);
        }
    }

    @Test
    void levelsByTheirConfiguredNames()
    {
        assertEquals("debug", LogSettings.label(Level.FINE));
        assertEquals("info", LogSettings.label(Level.INFO));
        assertEquals("warn", LogSettings.label(Level.WARNING));
        assertEquals("error", LogSettings.label(Level.SEVERE));
    }
}
