package io.vtep.core.cli;

import java.util.List;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;

/**
 * {@code vtep reload}: asks a running vtep to read its configuration file again and apply what
 * changed ({@code POST /api/v1/reload}); prints one line per applied change. Exit codes: 0 applied,
 * 1 refused (the file's error is printed and the running configuration stays) or unreachable, 2 usage.
 */
@Command(description = "Re-read the configuration file of a running vtep and apply what changed.")
final class ReloadCommand extends ApiChangeCommand
{

    ReloadCommand(final CliContext context)
    {
        super(context);
    }

    @Override
    protected int change()
    {
        return connection.send(context, "POST", "/api/v1/reload", null, answer ->
        {
            final List<?> changes = answer.get("changes") instanceof List<?> list ? list : List.of();
            return changes.isEmpty() ? "reloaded: nothing changed" : changes.stream().map(String::valueOf).collect(Collectors.joining("\n"));
        });
    }
}
