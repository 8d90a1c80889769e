package io.vtep.core.cli;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

import io.vtep.core.app.VtepAppliance;
import io.vtep.core.config.ConfigException;
import io.vtep.core.config.VtepConfig;
import io.vtep.core.log.LogSettings;
import picocli.CommandLine.Command;

/** {@code vtep run --config FILE}: the appliance in the foreground until SIGTERM or SIGINT; SIGHUP reloads FILE. */
@Command(description = "Run the appliance in the foreground until SIGTERM/SIGINT (SIGHUP: reload FILE).")
final class RunCommand extends ConfiguredCommand
{
    RunCommand(final CliContext context)
    {
        super(context, "run");
    }

    @Override
    protected int call(final VtepConfig loaded)
    {
        final VtepAppliance appliance;
        try
        {
            LogSettings.apply(loaded.log());
            appliance = VtepAppliance.start(loaded, config.file);
        }
        catch (final ConfigException ex)
        {
            config.reportError(context, ex); // what only the running host can check (a token file others read)
            return Main.EXIT_USAGE;
        }
        catch (final IOException ex)
        {
            context.err().println("vtep: cannot start: " + ex.getMessage());
            return Main.EXIT_FAILURE;
        }

        final CountDownLatch stop = new CountDownLatch(1);
        StopSignals.onTerminate(stop::countDown);
        // The outcome is logged by the reload itself: a line per change, or why it was refused.
        if (!StopSignals.onReload(appliance::reload))
        {
            System.getLogger(Main.class.getName()).log(System.Logger.Level.WARNING,
                "SIGHUP is ignored in this process (started under nohup?): it does not reload; use bin/vtep reload or POST /api/v1/reload");
        }
        try
        {
            stop.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        appliance.close();
        System.getLogger(Main.class.getName()).log(System.Logger.Level.INFO, "vtep stopped");
        return Main.EXIT_OK;
    }
}
