package io.vtep.core.cli;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

import io.vtep.core.app.VtepAppliance;
import io.vtep.core.config.ConfigException;
import io.vtep.core.config.VtepConfig;
import io.vtep.core.log.LogSettings;
import io.vtep.core.nativeio.CompilerThreads;
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
        LogSettings.apply(loaded.log());
        // The handlers go in before the appliance starts: "vtep started" is what supervisors and
        // tests wait for, and a SIGTERM right after it must still stop cleanly with 0, not meet
        // the JVM's default (exit 143, no close). A SIGHUP while starting reloads once started.
        final CountDownLatch stop = new CountDownLatch(1);
        StopSignals.onTerminate(stop::countDown);
        final PendingReload reload = new PendingReload();
        if (!StopSignals.onReload(reload::request))
        {
            System.getLogger(Main.class.getName()).log(System.Logger.Level.WARNING,
                "SIGHUP is ignored in this process (started under nohup?): it does not reload; use bin/vtep reload or POST /api/v1/reload");
        }

        lowerCompilerPriority();

        final VtepAppliance appliance;
        try
        {
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
        // The outcome is logged by the reload itself: a line per change, or why it was refused.
        reload.startedWith(appliance::reload);
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

    /**
     * The JIT compiler threads go behind the forwarding threads (nice {@value CompilerThreads#NICE}:
     * {@link CompilerThreads} says why). Only here, in the appliance's own process: tests that run
     * an appliance inside their JVM keep its compilers as they are. A refusal costs latency, not
     * forwarding, so it is a warning.
     */
    private static void lowerCompilerPriority()
    {
        final System.Logger log = System.getLogger(Main.class.getName());
        try
        {
            final int threads = CompilerThreads.lowerPriority(CompilerThreads.NICE);
            log.log(System.Logger.Level.DEBUG, "JIT compiler threads at nice {0}: {1}", String.valueOf(CompilerThreads.NICE),
                String.valueOf(threads));
        }
        catch (final IOException ex)
        {
            log.log(System.Logger.Level.WARNING, "cannot lower the JIT compiler threads'' priority ({0}): a compilation may keep a " +
                "forwarding thread waiting for milliseconds", ex.getMessage());
        }
    }
}
