package io.vtep.core.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vtep.core.api.ApiClient;

/**
 * The options of commands that change a running vtep: {@code --api URL}, {@code --ca-file FILE}
 * (the CA to trust for https) and {@code --token-file FILE} (or the environment variable
 * {@value #TOKEN_FILE_ENV}), each also as {@code --name=value}; plus the command's own named
 * options. The token itself is never an argument: arguments are visible to every user of the
 * machine in {@code ps} and {@code /proc/PID/cmdline}.
 */
final class ApiConnection
{
    static final String TOKEN_FILE_ENV = "VTEP_API_TOKEN_FILE";
    private static final Set<String> CONNECTION_OPTIONS = Set.of("--api", "--token-file", "--ca-file");

    /** The command's positional words and named options, once the connection's options are taken out. */
    record Parsed(List<String> words, Map<String, String> options, ApiClient client)
    {
    }

    private ApiConnection()
    {
    }

    /**
     * @param args     the command line from the first word after the command's name
     * @param named    the command's own options that take a value ({@code --vni}, ...)
     * @param env      the environment ({@link System#getenv()})
     * @return the parsed command, or null after printing the problem and {@code usage} to {@code err}
     *         (exit 2)
     */
    static Parsed parse(final List<String> args, final Set<String> named, final Map<String, String> env, final String usage,
        final PrintStream err)
    {
        final List<String> words = new ArrayList<>();
        final Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h"))
            {
                err.println(usage);
                return null;
            }
            if (!arg.startsWith("--"))
            {
                words.add(arg);
                continue;
            }
            final String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (name.equals("--token"))
            {
                err.println("vtep: the token is not given on the command line (others can read it there); " +
                    "use --token-file FILE or " + TOKEN_FILE_ENV);
                return null;
            }
            if (!CONNECTION_OPTIONS.contains(name) && !named.contains(name))
            {
                err.println("vtep: unexpected argument '" + arg + "'");
                err.println(usage);
                return null;
            }
            final String value;
            if (arg.contains("="))
            {
                value = arg.substring(arg.indexOf('=') + 1);
            }
            else if (i + 1 < args.size())
            {
                value = args.get(++i);
            }
            else
            {
                err.println("vtep: " + name + " needs a value");
                err.println(usage);
                return null;
            }
            options.put(name, value);
        }
        final String tokenFile = options.getOrDefault("--token-file", env.get(TOKEN_FILE_ENV));
        String token = null;
        if (tokenFile != null && !tokenFile.isEmpty())
        {
            try
            {
                token = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            }
            catch (final IOException ex)
            {
                err.println("vtep: cannot read the token file " + tokenFile + ": " + ex.getMessage());
                return null;
            }
        }
        final ApiClient client;
        try
        {
            final String ca = options.get("--ca-file");
            client = new ApiClient(options.getOrDefault("--api", ApiClient.DEFAULT_API), ca == null ? null : Path.of(ca), token);
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("vtep: " + ex.getMessage());
            return null;
        }
        options.keySet().removeAll(CONNECTION_OPTIONS);
        return new Parsed(words, options, client);
    }
}
