package io.vtep.core.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.vtep.core.app.VtepAppliance;
import io.vtep.core.config.ConfigException;
import io.vtep.core.config.ConfigLoader;
import io.vtep.core.config.VtepConfig;

/**
 * The {@code vtep} command line (DESIGN.md §4). Exit codes: 0 success, 1 runtime failure,
 * 2 usage or configuration error.
 */
public final class Main
{
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    static
    {
        // One line per record, before java.util.logging reads it.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null)
        {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s %5$s%6$s%n");
        }
    }

    private Main()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h"))
        {
            out.print(usage());
            return args.length == 0 ? EXIT_USAGE : EXIT_OK;
        }
        return switch (args[0])
        {
            case "run" -> runAppliance(args, err);
            case "version", "--version" ->
            {
                out.println("vtep " + version());
                yield EXIT_OK;
            }
            case "demo" -> notYet(err, "demo", "the `bin/vtep demo` issue");
            case "fdb", "vni" -> notYet(err, args[0], "the HTTP API (metrics issue)");
            case "bgp" -> notYet(err, "bgp", "the BGP EVPN issue");
            default ->
            {
                err.println("vtep: unknown command '" + args[0] + "'");
                err.print(usage());
                yield EXIT_USAGE;
            }
        };
    }

    private static int notYet(final PrintStream err, final String command, final String arrivesWith)
    {
        err.println("vtep: '" + command + "' is not available in this version yet; it arrives with " + arrivesWith + ".");
        return EXIT_USAGE;
    }

    private static int runAppliance(final String[] args, final PrintStream err)
    {
        Path configFile = null;
        for (int i = 1; i < args.length; i++)
        {
            if ((args[i].equals("--config") || args[i].equals("-c")) && i + 1 < args.length)
            {
                configFile = Path.of(args[++i]);
            }
            else if (args[i].startsWith("--config="))
            {
                configFile = Path.of(args[i].substring("--config=".length()));
            }
            else
            {
                err.println("vtep run: unexpected argument '" + args[i] + "'");
                err.println("usage: vtep run --config FILE");
                return EXIT_USAGE;
            }
        }
        if (configFile == null)
        {
            err.println("usage: vtep run --config FILE");
            return EXIT_USAGE;
        }

        final VtepConfig config;
        final VtepAppliance appliance;
        try
        {
            config = ConfigLoader.load(configFile);
            appliance = VtepAppliance.start(config);
        }
        catch (final ConfigException ex)
        {
            err.println("vtep: configuration error in " + configFile + ": " + ex.getMessage());
            return EXIT_USAGE;
        }
        catch (final IOException ex)
        {
            err.println("vtep: cannot start: " + ex.getMessage());
            return EXIT_FAILURE;
        }

        final CountDownLatch stop = new CountDownLatch(1);
        StopSignals.onTerminate(stop::countDown);
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
        return EXIT_OK;
    }

    static String version()
    {
        final String version = Main.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    private static String usage()
    {
        return """
            usage: vtep COMMAND [OPTIONS]

              run --config FILE     run the appliance in the foreground until SIGTERM/SIGINT
              demo                  a small topology with a kernel VTEP peer, end to end (needs root)
              fdb show [--vni N]    the FDB of a running instance
              vni list              VNIs with their ports, flood lists and counters
              bgp summary           BGP peers of a running instance
              version               print the version

            Commands that talk to a running instance use --api URL (default http://127.0.0.1:9100).
            """;
    }
}
