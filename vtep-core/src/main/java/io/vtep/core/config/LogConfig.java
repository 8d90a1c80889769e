package io.vtep.core.config;

import java.util.Locale;

/**
 * The {@code log:} section: how much vtep logs and in which shape. Both change on reload.
 *
 * @param level  the least severe level written
 * @param format {@link Format#TEXT} (one human line per event) or {@link Format#JSON} (one JSON
 *               object per line, for log shippers)
 */
public record LogConfig(Level level, Format format)
{
    /** What vtep logged before the section existed: info and above, as text. */
    public static final LogConfig DEFAULT = new LogConfig(Level.INFO, Format.TEXT);

    /** Levels as operators name them (FRR's and most log shippers' names). */
    public enum Level
    {
        DEBUG, INFO, WARN, ERROR;

        public String label()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Format
    {
        TEXT, JSON;

        public String label()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
