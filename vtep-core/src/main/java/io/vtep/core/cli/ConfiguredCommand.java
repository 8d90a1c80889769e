package io.vtep.core.cli;

import io.vtep.core.config.VtepConfig;
import picocli.CommandLine.Mixin;

/**
 * A command that starts from a valid {@code --config FILE} ({@code run}, {@code check}): it reads and
 * validates the file once, the same way for both, and exits 2 with the usage or the error's key path
 * before {@link #call(VtepConfig)} when it cannot.
 */
abstract class ConfiguredCommand extends VtepCommand
{
    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    private final String name;

    /** @param name the command's word, as in {@code vtep NAME --config FILE} */
    ConfiguredCommand(final CliContext context, final String name)
    {
        super(context);
        this.name = name;
    }

    final String usage()
    {
        return "usage: vtep " + name + " --config FILE";
    }

    @Override
    public final Integer call()
    {
        final VtepConfig loaded = config.loadOrReport(context, usage());
        return loaded == null ? Main.EXIT_USAGE : call(loaded);
    }

    /** @return the exit status, with {@code loaded} valid */
    protected abstract int call(VtepConfig loaded);
}
