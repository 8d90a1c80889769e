package io.vtep.core.cli;

import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line picocli cannot parse: the problem in vtep's own words (the ones scripts and the
 * README know: "unknown command", "unexpected argument 'X'", "--api needs a value"), then the
 * command's usage, on standard error; exit 2.
 */
final class UsageErrors implements IParameterExceptionHandler
{
    private final CliContext context;

    UsageErrors(final CliContext context)
    {
        this.context = context;
    }

    @Override
    public int handleParseException(final ParameterException ex, final String[] args)
    {
        final CommandLine command = ex.getCommandLine();
        final String path = command.getCommandSpec().qualifiedName();
        context.err().println(path + ": " + problem(ex, command));
        context.err().print(command.getUsageMessage(CommandLine.Help.Ansi.OFF));
        return Main.EXIT_USAGE;
    }

    private static String problem(final ParameterException ex, final CommandLine command)
    {
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty())
        {
            final String first = unmatched.getUnmatched().getFirst();
            if (!first.startsWith("-") && !command.getSubcommands().isEmpty())
            {
                return (command.getParent() == null ? "unknown command '" : "unknown subcommand '") + first + "'";
            }
            return "unexpected argument '" + first + "'";
        }
        if (ex instanceof MissingParameterException missing && ex.getMessage().startsWith("Missing required parameter for option"))
        {
            final List<ArgSpec> specs = missing.getMissing();
            if (!specs.isEmpty() && specs.getFirst() instanceof OptionSpec option)
            {
                return option.longestName() + " needs a value";
            }
        }
        return ex.getMessage();
    }
}
