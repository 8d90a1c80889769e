package io.vtep.core.cli;

import picocli.CommandLine.Mixin;

/**
 * A command that changes a running vtep through its API ({@code fdb add}, {@code fdb flush},
 * {@code capture}, {@code reload}, {@code bgp clear-duplicate}): it takes {@link ChangeApiOptions}
 * and refuses a {@code --token} on the command line before anything else, so that the reason is
 * given whatever else is wrong.
 */
abstract class ApiChangeCommand extends VtepCommand
{
    @Mixin
    ChangeApiOptions connection = new ChangeApiOptions();

    ApiChangeCommand(final CliContext context)
    {
        super(context);
    }

    @Override
    public final Integer call()
    {
        return connection.tokenOnCommandLine(context) ? Main.EXIT_USAGE : change();
    }

    /** @return the exit status; no token was given on the command line */
    protected abstract int change();
}
