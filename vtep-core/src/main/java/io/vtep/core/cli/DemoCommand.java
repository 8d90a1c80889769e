package io.vtep.core.cli;

import picocli.CommandLine.Command;

/** {@code vtep demo}: run by the launcher, which builds namespaces with ip(8) and runs the appliance as a separate process. */
@Command(description = "A small topology with a kernel VTEP peer, end to end (needs root; run by bin/vtep).")
final class DemoCommand extends VtepCommand
{
    DemoCommand(final CliContext context)
    {
        super(context);
    }

    @Override
    public Integer call()
    {
        context.err().println("vtep: the demo is run by the launcher: bin/vtep demo");
        return Main.EXIT_USAGE;
    }
}
