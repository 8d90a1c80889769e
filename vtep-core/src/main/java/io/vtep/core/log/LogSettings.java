package io.vtep.core.log;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import io.vtep.core.config.LogConfig;

/**
 * Applies the {@code log:} section to the JDK logging that every vtep class logs through
 * ({@code System.Logger}, backed by {@code java.util.logging}): the root logger's level and the
 * format of its console handler (stderr, which Docker and systemd collect). Called at start and by
 * every reload; cheap and idempotent.
 */
public final class LogSettings
{
    private LogSettings()
    {
    }

    public static synchronized void apply(final LogConfig config)
    {
        final Logger root = LogManager.getLogManager().getLogger("");
        final Level level = level(config.level());
        root.setLevel(level);
        Handler console = null;
        for (final Handler handler : root.getHandlers())
        {
            if (handler instanceof ConsoleHandler)
            {
                console = handler;
            }
        }
        if (console == null)
        {
            console = new ConsoleHandler();
            root.addHandler(console);
        }
        console.setLevel(level);
        final boolean json = config.format() == LogConfig.Format.JSON;
        if (json != (console.getFormatter() instanceof JsonLineFormatter))
        {
            final Formatter formatter = json ? new JsonLineFormatter() : new SimpleFormatter();
            console.setFormatter(formatter);
        }
    }

    /** The JDK level for a configured one (System.Logger's DEBUG is the JDK's FINE). */
    static Level level(final LogConfig.Level level)
    {
        return switch (level)
        {
            case DEBUG -> Level.FINE;
            case INFO -> Level.INFO;
            case WARN -> Level.WARNING;
            case ERROR -> Level.SEVERE;
        };
    }

    /** The configured name of a JDK level: the most severe configured level at or below it. */
    static String label(final Level level)
    {
        final int value = level.intValue();
        if (value >= Level.SEVERE.intValue())
        {
            return "error";
        }
        if (value >= Level.WARNING.intValue())
        {
            return "warn";
        }
        if (value >= Level.INFO.intValue())
        {
            return "info";
        }
        return value >= Level.FINE.intValue() ? "debug" : "trace";
    }
}
