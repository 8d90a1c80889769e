package io.vtep.core.cli;

import java.util.concurrent.Callable;

/**
 * A {@code vtep} command: picocli calls it with its options set, and it writes to, and reads its
 * environment from, the {@link CliContext} it was made with.
 */
abstract class VtepCommand implements Callable<Integer>
{
    protected final CliContext context;

    VtepCommand(final CliContext context)
    {
        this.context = context;
    }
}
