package io.vtep.core.cli;

import java.io.PrintStream;
import java.nio.file.Path;

/** {@code --config FILE} (also {@code -c FILE}, {@code --config=FILE}), the one option of {@code check} and {@code health}. */
final class ConfigOption
{
    private ConfigOption()
    {
    }

    /** @return the file, or null after printing the problem and {@code usage} (also when {@code --config} is absent) */
    static Path parse(final String[] args, final String usage, final PrintStream err)
    {
        return parse(args, usage, err, null);
    }

    /** @return the file, {@code fallback} when the option is absent, or null after printing the problem */
    static Path parse(final String[] args, final String usage, final PrintStream err, final Path fallback)
    {
        Path file = null;
        for (int i = 1; i < args.length; i++)
        {
            if ((args[i].equals("--config") || args[i].equals("-c")) && i + 1 < args.length)
            {
                file = Path.of(args[++i]);
            }
            else if (args[i].startsWith("--config="))
            {
                file = Path.of(args[i].substring("--config=".length()));
            }
            else
            {
                err.println("vtep " + args[0] + ": unexpected argument '" + args[i] + "'");
                err.println(usage);
                return null;
            }
        }
        if (file == null && fallback == null)
        {
            err.println(usage);
        }
        return file != null ? file : fallback;
    }
}
