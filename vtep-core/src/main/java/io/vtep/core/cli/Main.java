package io.vtep.core.cli;

import java.io.PrintStream;

/**
 * The {@code vtep} command line (docs/architecture.md §4): {@link VtepCommandLine}'s commands, parsed
 * by picocli. Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.
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
        return run(args, new CliContext(out, err, System.getenv()));
    }

    static int run(final String[] args, final CliContext context)
    {
        if (args.length == 0 || (args.length == 1 && (args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h"))))
        {
            context.out().print(usage());
            return args.length == 0 ? EXIT_USAGE : EXIT_OK;
        }
        return VtepCommandLine.create(context).execute(args);
    }

    static String version()
    {
        return VersionCommand.version();
    }

    private static String usage()
    {
        return """
            usage: vtep COMMAND [OPTIONS]

              run --config FILE     run the appliance in the foreground until SIGTERM/SIGINT (SIGHUP: reload FILE)
              check --config FILE   validate a configuration file, start nothing (exit 0 ok, 2 refused)
              health [--config F]   is the vtep of this configuration ready? (exit 0 yes, 1 no, 2 bad config)
              demo                  a small topology with a kernel VTEP peer, end to end (needs root)
              fdb show [--vni N]    the FDB of a running instance, one entry a line (--json: JSON lines)
              fdb add|del|append|flush  change it, as bridge fdb does (vtep fdb --help)
              reload                re-read the configuration file and apply what changed
              vni list              VNIs with their ports, flood lists and counters (--json: the API's document)
              bgp summary           BGP peers of a running instance (--json too, as bgp routes and version)
              bgp routes [--vni N]  its EVPN routes (best paths marked *)
              bgp clear-duplicate MAC vni N  unfreeze a MAC frozen as an EVPN duplicate
              es show               Ethernet segments (EVPN multihoming): state, peers, DF per VNI (--json too)
              capture --vni N -w FILE|-  a VNI's frames as pcapng ([--count K] [--seconds S] [--snaplen L])
              version               print the version
              completion bash       a bash (and zsh) completion script: source <(vtep completion bash)
              help COMMAND          the options of a command (also: vtep COMMAND --help)

            Commands that talk to a running instance use --api URL (default http://127.0.0.1:9100),
            and --ca-file FILE for an https:// URL whose certificate comes from a private CA.
            Commands that change it need the token of api.token-file: --token-file FILE or VTEP_API_TOKEN_FILE.
            """;
    }
}
