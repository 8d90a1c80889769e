package io.vtep.core.cli;

import java.io.PrintWriter;

import io.vtep.core.api.CliFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The tree of {@code vtep} commands, parsed by picocli (README "Command line"). Every command and
 * subcommand takes {@code --help}; {@code fdb}, {@code vni} and {@code bgp} alone mean their show
 * command ({@code fdb show}, {@code vni list}, {@code bgp summary}), with its options. The same tree
 * generates the shell completion ({@link CompletionCommand}).
 */
final class VtepCommandLine
{
    @Command(name = "vtep", description = "A software VXLAN gateway (RFC 7348) with BGP EVPN (RFC 7432, RFC 8365).",
        footer = {"", "Commands that talk to a running instance use --api URL (default http://127.0.0.1:9100),",
            "and --ca-file FILE for an https:// URL whose certificate comes from a private CA.",
            "Commands that change it need the token of api.token-file: --token-file FILE or VTEP_API_TOKEN_FILE.",
            "Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error."})
    private static final class Root
    {
    }

    private VtepCommandLine()
    {
    }

    static CommandLine create(final CliContext context)
    {
        final CommandLine fdb = new CommandLine(new FdbShowCommand(context))
            .addSubcommand("show", describe(new FdbShowCommand(context), "The FDB of a running vtep, one entry a line (--json: JSON lines)."))
            .addSubcommand("add", describe(new FdbChangeCommand(context, "add"), "Add a static entry: add MAC vni N dst IP."))
            .addSubcommand("del", describe(new FdbChangeCommand(context, "del"),
                "Delete an entry: del MAC vni N, or a flood-list entry: del 00:00:00:00:00:00 vni N dst IP."))
            .addSubcommand("append", describe(new FdbChangeCommand(context, "append"),
                "Add to a VNI's flood list: append 00:00:00:00:00:00 vni N dst IP."))
            .addSubcommand("flush", new FdbFlushCommand(context));
        final CommandLine vni = new CommandLine(new QueryCommand(context, "/api/v1/vnis", CliFormat::vniList))
            .addSubcommand("list", describe(new QueryCommand(context, "/api/v1/vnis", CliFormat::vniList),
                "VNIs with their ports, flood lists and counters."));
        final CommandLine bgp = new CommandLine(new QueryCommand(context, "/api/v1/bgp", CliFormat::bgpSummary))
            .addSubcommand("summary", describe(new QueryCommand(context, "/api/v1/bgp", CliFormat::bgpSummary),
                "BGP peers of a running vtep."))
            .addSubcommand("routes", describe(new VniQueryCommand(context, "/api/v1/bgp/routes", CliFormat::bgpRoutes),
                "Its EVPN routes (best paths marked *)."))
            .addSubcommand("clear-duplicate", new ClearDuplicateCommand(context));
        final CommandLine es = new CommandLine(new EsShowCommand(context))
            .addSubcommand("show", describe(new EsShowCommand(context), "Ethernet segments (EVPN multihoming): state, peers, DF per VNI."));
        describe(es, "Ethernet segments of a running vtep (es alone: es show).");
        describe(fdb, "The FDB of a running vtep (fdb alone: fdb show), and changes to it as bridge fdb makes them.");
        describe(vni, "VNIs of a running vtep (vni alone: vni list).");
        describe(bgp, "BGP EVPN of a running vtep (bgp alone: bgp summary).");

        final CommandLine root = new CommandLine(new Root())
            .addSubcommand("run", new RunCommand(context))
            .addSubcommand("check", new CheckCommand(context))
            .addSubcommand("health", new HealthCommand(context))
            .addSubcommand("demo", new DemoCommand(context))
            .addSubcommand("fdb", fdb)
            .addSubcommand("reload", new ReloadCommand(context))
            .addSubcommand("vni", vni)
            .addSubcommand("bgp", bgp)
            .addSubcommand("es", es)
            .addSubcommand("capture", new CaptureCommand(context))
            .addSubcommand("version", new VersionCommand(context))
            .addSubcommand("completion", new CompletionCommand(context))
            .addSubcommand("help", new HelpCommand());
        mixinHelp(root.getCommandSpec(), new VersionCommand(context));
        root.setOut(new PrintWriter(context.out(), true));
        root.setErr(new PrintWriter(context.err(), true));
        // A word starting with @ is a word, not a file of arguments to read.
        root.setExpandAtFiles(false);
        root.setParameterExceptionHandler(new UsageErrors(context));
        root.setExecutionExceptionHandler((ex, command, parsed) ->
        {
            throw ex;
        });
        return root;
    }

    private static CommandLine describe(final Object command, final String description)
    {
        return describe(new CommandLine(command), description);
    }

    private static CommandLine describe(final CommandLine command, final String description)
    {
        command.getCommandSpec().usageMessage().description(description);
        return command;
    }

    /** {@code -h}/{@code --help} on every command; {@code -V}/{@code --version} too, as picocli adds them together. */
    private static void mixinHelp(final CommandSpec spec, final VersionCommand version)
    {
        if (!(spec.userObject() instanceof HelpCommand))
        {
            spec.mixinStandardHelpOptions(true);
            spec.versionProvider(version);
        }
        spec.subcommands().values().forEach(sub -> mixinHelp(sub.getCommandSpec(), version));
    }
}
