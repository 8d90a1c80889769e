package io.vtep.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

class RateLimitedLogTest
{
    /** A logger that keeps what it is given. */
    private static final class Lines implements System.Logger
    {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public String getName()
        {
            return "test";
        }

        @Override
        public boolean isLoggable(final Level level)
        {
            return true;
        }

        @Override
        public void log(final Level level, final ResourceBundle bundle, final String msg, final Throwable thrown)
        {
            lines.add(msg);
        }

        @Override
        public void log(final Level level, final ResourceBundle bundle, final String format, final Object... params)
        {
            lines.add(params == null || params.length == 0 ? format : java.text.MessageFormat.format(format, params));
        }

        @Override
        public void log(final Level level, final Supplier<String> msgSupplier)
        {
            lines.add(msgSupplier.get());
        }
    }

    @Test
    void aFloodOfLinesLogsABurstAndCountsTheRest()
    {
        final Lines logger = new Lines();
        final RateLimitedLog log = new RateLimitedLog(logger);
        for (int i = 0; i < 1_000; i++)
        {
            log.log(System.Logger.Level.WARNING, "BGP connection from {0} refused", "192.0.2." + i);
        }
        assertEquals(RateLimitedLog.BURST, logger.lines.size(), "a burst, then nothing within the interval");
        assertEquals("BGP connection from 192.0.2.0 refused", logger.lines.getFirst());
        assertEquals(1_000 - RateLimitedLog.BURST, log.suppressed());
    }
}
