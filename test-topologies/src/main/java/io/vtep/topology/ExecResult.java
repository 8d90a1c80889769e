package io.vtep.topology;

import java.time.Duration;
import java.util.List;

/**
 * What a finished command left behind: its command line, exit code and both output streams.
 *
 * @param command  the command line as run (for messages)
 * @param exitCode the exit code; a process killed by a signal reports 128 + the signal number
 * @param stdout   everything written to standard output
 * @param stderr   everything written to standard error
 * @param elapsed  wall-clock time the command took
 */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed)
{

    public ExecResult
    {
        command = List.copyOf(command);
    }

    /** True when the command exited with 0. */
    public boolean ok()
    {
        return exitCode == 0;
    }

    /** This result if the command exited with 0, otherwise a {@link CommandFailedException}. */
    public ExecResult orThrow()
    {
        if (!ok())
        {
            throw new CommandFailedException(this);
        }
        return this;
    }

    /** The command line as one shell-like string, for messages. */
    public String commandLine()
    {
        return Commands.toCommandLine(command);
    }
}
