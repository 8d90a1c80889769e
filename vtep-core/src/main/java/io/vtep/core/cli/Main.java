package io.vtep.core.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import io.vtep.core.api.ApiClient;
import io.vtep.core.api.CliFormat;
import io.vtep.core.app.VtepAppliance;
import io.vtep.core.config.ConfigException;
import io.vtep.core.config.ConfigLoader;
import io.vtep.core.config.VtepConfig;
import io.vtep.core.log.LogSettings;

/**
 * The {@code vtep} command line (docs/architecture.md §4). Exit codes: 0 success, 1 runtime failure,
 * 2 usage or configuration error.
 */
public final class Main
{
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    /** FDB entries per API request of {@code fdb show} (about 1.5 MB of JSON). */
    static final int FDB_PAGE = 10_000;

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
            case "demo" ->
            {
                // The demo builds namespaces with ip(8) and runs the appliance as a separate process.
                err.println("vtep: the demo is run by the launcher: bin/vtep demo");
                yield EXIT_USAGE;
            }
            case "fdb" -> fdb(args, out, err);
            case "vni" -> vni(args, out, err);
            case "bgp" -> bgp(args, out, err);
            case "capture" -> CaptureCommand.run(args, out, err);
            case "reload" -> ReloadCommand.run(args, System.getenv(), out, err);
            case "check" -> CheckCommand.run(args, out, err);
            case "health" -> HealthCommand.run(args, out, err, System.getenv());
            default ->
            {
                err.println("vtep: unknown command '" + args[0] + "'");
                err.print(usage());
                yield EXIT_USAGE;
            }
        };
    }

    /** {@code fdb show [--vni N] [--api URL]} ({@code fdb} alone means {@code fdb show}). */
    private static int fdb(final String[] args, final PrintStream out, final PrintStream err)
    {
        final String usage = "usage: vtep fdb show [--vni N] [--api URL] [--ca-file FILE]\n" + FdbChangeCommand.USAGE;
        if (args.length > 1 && FdbChangeCommand.SUBCOMMANDS.contains(args[1]))
        {
            return FdbChangeCommand.run(args, System.getenv(), out, err);
        }
        if (args.length > 1 && !args[1].equals("show") && !args[1].startsWith("-"))
        {
            err.println("vtep fdb: unknown subcommand '" + args[1] + "'");
            err.println(usage);
            return EXIT_USAGE;
        }
        final ClientOptions options = ClientOptions.parse(args, args.length > 1 && args[1].equals("show") ? 2 : 1, true, usage, err);
        if (options == null)
        {
            return EXIT_USAGE;
        }
        final ApiClient client = client(options, err);
        if (client == null)
        {
            return EXIT_USAGE;
        }
        // Page by page (FDB_PAGE entries each): a million MACs are printed holding one page.
        try (client)
        {
            client.forEachPage(options.vni == null ? "/api/v1/fdb" : "/api/v1/fdb?vni=" + options.vni, FDB_PAGE,
                page -> out.print(CliFormat.fdbShow(page)));
            out.flush();
            return EXIT_OK;
        }
        catch (final ApiClient.ApiClientException ex)
        {
            out.flush();
            err.println("vtep: " + ex.getMessage());
            return EXIT_FAILURE;
        }
    }

    private static ApiClient client(final ClientOptions options, final PrintStream err)
    {
        try
        {
            return new ApiClient(options.api, options.caFile == null ? null : Path.of(options.caFile), null);
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("vtep: " + ex.getMessage());
            return null;
        }
    }

    /** {@code bgp summary [--api URL]} ({@code bgp} alone means summary) and {@code bgp routes [--vni N] [--api URL]}. */
    private static int bgp(final String[] args, final PrintStream out, final PrintStream err)
    {
        final String usage = "usage: vtep bgp summary [--api URL]\n       vtep bgp routes [--vni N] [--api URL]\n" +
            ClearDuplicateCommand.USAGE.replace("usage: ", "       ");
        final String sub = args.length > 1 && !args[1].startsWith("-") ? args[1] : "summary";
        if (sub.equals("clear-duplicate"))
        {
            return ClearDuplicateCommand.run(args, System.getenv(), out, err);
        }
        if (!sub.equals("summary") && !sub.equals("routes"))
        {
            err.println("vtep bgp: unknown subcommand '" + sub + "'");
            err.println(usage);
            return EXIT_USAGE;
        }
        final boolean routes = sub.equals("routes");
        final ClientOptions options = ClientOptions.parse(args, args.length > 1 && args[1].equals(sub) ? 2 : 1, routes, usage, err);
        if (options == null)
        {
            return EXIT_USAGE;
        }
        if (routes)
        {
            return query(options, options.vni == null ? "/api/v1/bgp/routes" : "/api/v1/bgp/routes?vni=" + options.vni,
                CliFormat::bgpRoutes, out, err);
        }
        return query(options, "/api/v1/bgp", CliFormat::bgpSummary, out, err);
    }

    /** {@code vni list [--api URL]} ({@code vni} alone means {@code vni list}). */
    private static int vni(final String[] args, final PrintStream out, final PrintStream err)
    {
        final String usage = "usage: vtep vni list [--api URL]";
        if (args.length > 1 && !args[1].equals("list") && !args[1].startsWith("-"))
        {
            err.println("vtep vni: unknown subcommand '" + args[1] + "'");
            err.println(usage);
            return EXIT_USAGE;
        }
        final ClientOptions options = ClientOptions.parse(args, args.length > 1 && args[1].equals("list") ? 2 : 1, false, usage, err);
        if (options == null)
        {
            return EXIT_USAGE;
        }
        return query(options, "/api/v1/vnis", CliFormat::vniList, out, err);
    }

    private static int query(final ClientOptions options, final String path,
        final Function<Map<String, Object>, String> format, final PrintStream out, final PrintStream err)
    {
        final ApiClient client = client(options, err);
        if (client == null)
        {
            return EXIT_USAGE;
        }
        try (client)
        {
            out.print(format.apply(client.getJson(path)));
            out.flush();
            return EXIT_OK;
        }
        catch (final ApiClient.ApiClientException ex)
        {
            err.println("vtep: " + ex.getMessage());
            return EXIT_FAILURE;
        }
    }

    /** {@code --api URL}, {@code --ca-file FILE} and, where accepted, {@code --vni N}; all also as {@code --name=value}. */
    private record ClientOptions(String api, Integer vni, String caFile)
    {
        /** @return the options, or null after printing the problem and {@code usage} */
        static ClientOptions parse(final String[] args, final int from, final boolean acceptsVni, final String usage,
            final PrintStream err)
        {
            String api = ApiClient.DEFAULT_API;
            String caFile = null;
            Integer vni = null;
            for (int i = from; i < args.length; i++)
            {
                final String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h"))
                {
                    err.println(usage);
                    return null;
                }
                final String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                final String value;
                if (!name.equals("--api") && !name.equals("--ca-file") && !(acceptsVni && name.equals("--vni")))
                {
                    err.println("vtep: unexpected argument '" + arg + "'");
                    err.println(usage);
                    return null;
                }
                if (arg.contains("="))
                {
                    value = arg.substring(arg.indexOf('=') + 1);
                }
                else if (i + 1 < args.length)
                {
                    value = args[++i];
                }
                else
                {
                    err.println("vtep: " + name + " needs a value");
                    err.println(usage);
                    return null;
                }
                if (name.equals("--api"))
                {
                    api = value;
                }
                else if (name.equals("--ca-file"))
                {
                    caFile = value;
                }
                else
                {
                    try
                    {
                        vni = Integer.parseInt(value);
                    }
                    catch (final NumberFormatException ex)
                    {
                        vni = -1;
                    }
                    if (vni < 1 || vni > 0xFF_FFFF)
                    {
                        err.println("vtep: --vni " + value + " is not a VNI (1..16777215)");
                        return null;
                    }
                }
            }
            return new ClientOptions(api, vni, caFile);
        }
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
            LogSettings.apply(config.log());
            appliance = VtepAppliance.start(config, configFile);
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

              run --config FILE     run the appliance in the foreground until SIGTERM/SIGINT (SIGHUP: reload FILE)
              check --config FILE   validate a configuration file, start nothing (exit 0 ok, 2 refused)
              health [--config F]   is the vtep of this configuration ready? (exit 0 yes, 1 no, 2 bad config)
              demo                  a small topology with a kernel VTEP peer, end to end (needs root)
              fdb show [--vni N]    the FDB of a running instance, one entry a line
              fdb add|del|append|flush  change it, as bridge fdb does (vtep fdb --help)
              reload                re-read the configuration file and apply what changed
              vni list              VNIs with their ports, flood lists and counters
              bgp summary           BGP peers of a running instance
              bgp routes [--vni N]  its EVPN routes (best paths marked *)
              bgp clear-duplicate MAC vni N  unfreeze a MAC frozen as an EVPN duplicate
              capture --vni N -w FILE|-  a VNI's frames as pcapng ([--count K] [--seconds S] [--snaplen L])
              version               print the version

            Commands that talk to a running instance use --api URL (default http://127.0.0.1:9100),
            and --ca-file FILE for an https:// URL whose certificate comes from a private CA.
            Commands that change it need the token of api.token-file: --token-file FILE or VTEP_API_TOKEN_FILE.
            """;
    }
}
