package io.vtep.core.cli;

import java.nio.file.Path;

import io.vtep.core.config.ConfigException;
import io.vtep.core.config.ConfigLoader;
import io.vtep.core.config.VtepConfig;
import picocli.CommandLine.Option;

/** {@code --config FILE} (also {@code -c FILE}, {@code --config=FILE}): of {@code run}, {@code check} and {@code health}. */
final class ConfigFileOption
{
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the configuration file (YAML)")
    Path file;

    /**
     * Reads and validates the file, or says why not on standard error: {@code usage} when no file
     * was given, else the error with its key path.
     *
     * @return the configuration, or null (the caller exits 2)
     */
    VtepConfig loadOrReport(final CliContext context, final String usage)
    {
        if (file == null)
        {
            context.err().println(usage);
            return null;
        }
        try
        {
            return ConfigLoader.load(file);
        }
        catch (final ConfigException ex)
        {
            reportError(context, ex);
            return null;
        }
    }

    void reportError(final CliContext context, final ConfigException ex)
    {
        context.err().println("vtep: configuration error in " + file + ": " + ex.getMessage());
    }
}
