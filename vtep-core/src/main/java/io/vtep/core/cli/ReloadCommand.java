package io.vtep.core.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vtep.core.api.ApiClient;

/**
 * {@code vtep reload}: asks a running vtep to read its configuration file again and apply what
 * changed ({@code POST /api/v1/reload}); prints one line per applied change. Exit codes: 0 applied,
 * 1 refused (the file's error is printed and the running configuration stays) or unreachable, 2 usage.
 */
final class ReloadCommand
{
    static final String USAGE = "usage: vtep reload [--api URL] [--token-file FILE] [--ca-file FILE]";

    private ReloadCommand()
    {
    }

    static int run(final String[] args, final Map<String, String> env, final PrintStream out, final PrintStream err)
    {
        final ApiConnection.Parsed parsed = ApiConnection.parse(Arrays.asList(args).subList(1, args.length), Set.of(), env, USAGE, err);
        if (parsed == null)
        {
            return Main.EXIT_USAGE;
        }
        if (!parsed.words().isEmpty())
        {
            err.println("vtep reload: unexpected argument '" + parsed.words().getFirst() + "'");
            err.println(USAGE);
            return Main.EXIT_USAGE;
        }
        try (ApiClient client = parsed.client())
        {
            final Map<String, Object> answer = client.send("POST", "/api/v1/reload", null);
            final List<?> changes = answer.get("changes") instanceof List<?> list ? list : List.of();
            if (changes.isEmpty())
            {
                out.println("reloaded: nothing changed");
            }
            for (final Object change : changes)
            {
                out.println(change);
            }
            return Main.EXIT_OK;
        }
        catch (final ApiClient.ApiClientException ex)
        {
            err.println("vtep: " + ex.getMessage());
            return Main.EXIT_FAILURE;
        }
    }
}
