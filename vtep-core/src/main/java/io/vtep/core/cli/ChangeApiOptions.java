package io.vtep.core.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import io.vtep.core.api.ApiClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of commands that change a running vtep: {@link ApiOptions} and {@code --token-file FILE}
 * (or the environment variable {@value #TOKEN_FILE_ENV}). The token itself is never an argument:
 * arguments are visible to every user of the machine in {@code ps} and {@code /proc/PID/cmdline};
 * {@code --token} is refused with that reason.
 */
final class ChangeApiOptions
{
    static final String TOKEN_FILE_ENV = "VTEP_API_TOKEN_FILE";

    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = "--token-file", paramLabel = "FILE", description = "the API token (api.token-file), default $" + TOKEN_FILE_ENV)
    String tokenFile;

    @Option(names = "--token", hidden = true, paramLabel = "TOKEN")
    String token;

    /**
     * Checked before anything else on the command line, so that the reason is given whatever else is wrong.
     *
     * @return whether {@code --token} was given (then the refusal is printed: exit 2)
     */
    boolean tokenOnCommandLine(final CliContext context)
    {
        if (token != null)
        {
            context.err().println("vtep: the token is not given on the command line (others can read it there); " +
                "use --token-file FILE or " + TOKEN_FILE_ENV);
        }
        return token != null;
    }

    /** @return the client with the token, or null after printing the problem (exit 2) */
    ApiClient client(final CliContext context)
    {
        if (tokenOnCommandLine(context))
        {
            return null;
        }
        final String file = tokenFile != null ? tokenFile : context.env().get(TOKEN_FILE_ENV);
        String secret = null;
        if (file != null && !file.isEmpty())
        {
            try
            {
                secret = Files.readString(Path.of(file), StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            }
            catch (final IOException ex)
            {
                context.err().println("vtep: cannot read the token file " + file + ": " + ex.getMessage());
                return null;
            }
        }
        return api.client(secret, context);
    }

    /**
     * Sends one change and prints the line {@code line} makes of the answer.
     *
     * @return 0 done, 1 refused or unreachable (the reason printed), 2 unusable options
     */
    int send(final CliContext context, final String method, final String path, final String bodyOrNull,
        final Function<Map<String, Object>, String> line)
    {
        final ApiClient client = client(context);
        if (client == null)
        {
            return Main.EXIT_USAGE;
        }
        try (client)
        {
            context.out().println(line.apply(client.send(method, path, bodyOrNull)));
            return Main.EXIT_OK;
        }
        catch (final ApiClient.ApiClientException ex)
        {
            context.err().println("vtep: " + ex.getMessage());
            return Main.EXIT_FAILURE;
        }
    }
}
