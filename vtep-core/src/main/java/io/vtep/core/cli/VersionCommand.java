package io.vtep.core.cli;

import java.util.Map;

import io.vtep.core.api.JsonText;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;

/**
 * {@code vtep version [--json]}: this program's version, {@code vtep 0.1.0} or, with {@code --json},
 * {@code {"version":"0.1.0"}} (the field of {@code GET /api/v1/version}).
 */
@Command(description = "Print the version.")
final class VersionCommand extends VtepCommand implements IVersionProvider
{
    @Option(names = "--json", description = "print {\"version\":\"...\"}")
    boolean json;

    VersionCommand(final CliContext context)
    {
        super(context);
    }

    static String version()
    {
        final String version = Main.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    @Override
    public Integer call()
    {
        context.out().println(json ? JsonText.of(Map.of("version", version())) : "vtep " + version());
        return Main.EXIT_OK;
    }

    @Override
    public String[] getVersion()
    {
        return new String[] {"vtep " + version()};
    }
}
