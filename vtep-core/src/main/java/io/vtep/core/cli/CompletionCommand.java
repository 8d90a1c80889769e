package io.vtep.core.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vtep completion bash}: a bash completion script for every command, subcommand and option,
 * generated at run time by picocli's {@link AutoComplete} from the same command tree that parses
 * the command line (so it cannot go stale). zsh uses it through {@code bashcompinit}.
 * {@code source <(vtep completion bash)}, or save it in {@code /etc/bash_completion.d/vtep}.
 */
@Command(description = "Print a shell completion script: source <(vtep completion bash) (zsh: after bashcompinit).")
final class CompletionCommand extends VtepCommand
{
    @Parameters(paramLabel = "SHELL", arity = "0..1", description = "bash (default; zsh reads it through bashcompinit)")
    String shell = "bash";

    @Spec
    CommandSpec spec;

    CompletionCommand(final CliContext context)
    {
        super(context);
    }

    @Override
    public Integer call()
    {
        if (!shell.equals("bash") && !shell.equals("zsh"))
        {
            context.err().println("vtep completion: no completion for " + shell + " (bash, zsh)");
            return Main.EXIT_USAGE;
        }
        context.out().print(AutoComplete.bash("vtep", spec.root().commandLine()));
        context.out().flush();
        return Main.EXIT_OK;
    }
}
