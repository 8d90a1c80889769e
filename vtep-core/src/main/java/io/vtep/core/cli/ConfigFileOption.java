package io.vtep.core.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** {@code --config FILE} (also {@code -c FILE}, {@code --config=FILE}): of {@code run}, {@code check} and {@code health}. */
final class ConfigFileOption
{
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the configuration file (YAML)")
    Path file;
}
