package io.vtep.topology;

/**
 * A command exited non-zero, or did not finish in time. The message carries the command line,
 * the exit code and what the command wrote to stderr (and stdout when stderr is empty), which is
 * usually all one needs to see why a topology could not be built.
 */
public final class CommandFailedException extends RuntimeException
{

    private final transient ExecResult result;

    public CommandFailedException(ExecResult result)
    {
        super(describe(result));
        this.result = result;
    }

    CommandFailedException(String message)
    {
        super(message);
        this.result = null;
    }

    /** The failed command's result, or null when it never ran to an exit (timeout). */
    public ExecResult result()
    {
        return result;
    }

    private static String describe(ExecResult r)
    {
        StringBuilder sb = new StringBuilder();
        sb.append("command failed (exit ").append(r.exitCode()).append("): ").append(r.commandLine());
        String err = r.stderr().strip();
        String out = r.stdout().strip();
        if (!err.isEmpty())
        {
            sb.append("\n  stderr: ").append(Commands.tail(err, 4000).replace("\n", "\n          "));
        }
        if (!out.isEmpty() && err.isEmpty())
        {
            sb.append("\n  stdout: ").append(Commands.tail(out, 4000).replace("\n", "\n          "));
        }
        return sb.toString();
    }
}
