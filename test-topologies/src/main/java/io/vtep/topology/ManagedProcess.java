package io.vtep.topology;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A background process (an iperf3 server, a tshark capture, the appliance) whose merged
 * stdout/stderr is kept, a line at a time, in a bounded buffer for diagnostics and for
 * {@link #awaitOutput}. {@link #stop()} sends SIGTERM to the process and everything it started,
 * then SIGKILL to whatever is left after a grace period.
 *
 * <p>Usually created through {@link Netns#spawn}, which registers it with the topology so it is
 * stopped at teardown.
 */
public final class ManagedProcess implements AutoCloseable
{

    /** How many output lines are kept; older ones are dropped (and counted). */
    public static final int MAX_LINES = 5000;
    /** How long {@link #stop()} waits after SIGTERM before it sends SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String description;
    private final List<String> command;
    private final Process process;
    private final Deque<String> lines = new ArrayDeque<>();
    private final Thread reader;
    private long droppedLines;
    private boolean outputClosed;

    private ManagedProcess(String description, List<String> command)
    {
        this.description = description;
        this.command = List.copyOf(command);
        ProcessBuilder pb = Commands.processBuilder(command);
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try
        {
            this.process = pb.start();
        }
        catch (IOException e)
        {
            throw new CommandFailedException("cannot start " + Commands.toCommandLine(command) + ": " + e.getMessage() +
                "\n  (is it installed? see scripts/install-test-deps.sh)");
        }
        this.reader = Thread.ofVirtual().name("output-" + description).start(this::readOutput);
    }

    /**
     * Starts {@code command} in the background. The caller owns it: prefer {@link Netns#spawn},
     * which also stops it at topology teardown.
     */
    public static ManagedProcess start(String description, List<String> command)
    {
        return new ManagedProcess(description, command);
    }

    private void readOutput()
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                synchronized (lines)
                {
                    lines.addLast(line);
                    if (lines.size() > MAX_LINES)
                    {
                        lines.removeFirst();
                        droppedLines++;
                    }
                    lines.notifyAll();
                }
            }
        }
        catch (IOException e)
        {
            // The pipe breaks when the process is killed; what was read is kept.
        }
        finally
        {
            synchronized (lines)
            {
                outputClosed = true;
                lines.notifyAll();
            }
        }
    }

    /** What this process is, for messages ("iperf3 server in vtab12-h2"). */
    public String description()
    {
        return description;
    }

    public List<String> command()
    {
        return command;
    }

    public long pid()
    {
        return process.pid();
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** The exit code once the process has exited (128 + signal number when killed by a signal). */
    public OptionalInt exitCode()
    {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Waits for the process to exit by itself and returns its exit code; fails the test on timeout. */
    public int waitFor(Duration timeout)
    {
        try
        {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                fail(description + " did not exit within " + timeout.toMillis() + " ms\n" + outputForMessage());
            }
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            fail("interrupted waiting for " + description);
        }
        awaitOutputClosed(Duration.ofSeconds(2));
        return process.exitValue();
    }

    /** The kept output lines (merged stdout and stderr), oldest first. */
    public List<String> outputLines()
    {
        synchronized (lines)
        {
            return new ArrayList<>(lines);
        }
    }

    /** The kept output as one string. */
    public String output()
    {
        return String.join("\n", outputLines());
    }

    /**
     * Waits until a kept output line matches {@code regex} (a find, not a full match) and returns
     * that line. Fails the test, with the output so far, when the timeout passes or the process
     * exits without printing such a line.
     */
    public String awaitOutput(String regex, Duration timeout)
    {
        return awaitOutputMatch(regex, timeout).group();
    }

    /** Like {@link #awaitOutput} but returns the match, for its groups. */
    public Matcher awaitOutputMatch(String regex, Duration timeout)
    {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines)
        {
            while (true)
            {
                for (String line : lines)
                {
                    Matcher m = pattern.matcher(line);
                    if (m.find())
                    {
                        return m;
                    }
                }
                if (outputClosed)
                {
                    break;
                }
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMs <= 0)
                {
                    break;
                }
                try
                {
                    lines.wait(Math.min(remainingMs, 200));
                }
                catch (InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        // The output may reach EOF a moment before the exit status is known: give it that moment.
        int exit = exitCodeAfterExit();
        String state = exit < 0 ? "still running" : "exited with " + exit;
        return fail("no output line matching /" + regex + "/ from " + description + " within " + timeout.toMillis() + " ms (process " + state +
            ")\n" + outputForMessage());
    }

    private int exitCodeAfterExit()
    {
        boolean eof;
        synchronized (lines)
        {
            eof = outputClosed;
        }
        try
        {
            process.waitFor(eof ? 2000 : 0, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** Sends a signal ("INT", "TERM", "HUP", ...) to the process itself, not its children. */
    public void signal(String signal)
    {
        if (process.isAlive())
        {
            Commands.run(Duration.ofSeconds(5), List.of("kill", "-" + signal, Long.toString(process.pid())));
        }
    }

    /**
     * Stops the process: SIGTERM to it and to everything it started, then SIGKILL to whatever is
     * still alive after {@link #STOP_GRACE}. Returns the exit code. Safe to call more than once.
     */
    public int stop()
    {
        return stop(STOP_GRACE);
    }

    /** {@link #stop()} with a given grace period between SIGTERM and SIGKILL. */
    public int stop(Duration grace)
    {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        // Through the ProcessHandle, not Process.destroy(): that also closes our end of the pipes,
        // so a process that logs while it shuts down dies of SIGPIPE (exit 141) and the log is lost.
        if (process.isAlive())
        {
            process.toHandle().destroy();
        }
        for (ProcessHandle child : tree)
        {
            child.destroy();
        }
        tree.add(process.toHandle());
        // Poll rather than ProcessHandle.onExit(): for processes that are not our children the JDK
        // polls with long sleeps, which would add a second to every stop.
        long deadline = System.nanoTime() + grace.toNanos();
        while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline)
        {
            try
            {
                Thread.sleep(10);
            }
            catch (InterruptedException e)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (ProcessHandle h : tree)
        {
            if (h.isAlive())
            {
                h.destroyForcibly();
            }
        }
        try
        {
            process.waitFor(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        awaitOutputClosed(Duration.ofSeconds(2));
        return process.isAlive() ? -1 : process.exitValue();
    }

    private void awaitOutputClosed(Duration timeout)
    {
        try
        {
            reader.join(timeout);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close()
    {
        stop();
    }

    /** The command line and the last output lines, for failure messages. */
    public String outputForMessage()
    {
        List<String> kept = outputLines();
        int from = Math.max(0, kept.size() - 60);
        StringBuilder sb = new StringBuilder("  command: ").append(Commands.toCommandLine(command)).append('\n');
        sb.append("  output (last ").append(kept.size() - from).append(" lines");
        synchronized (lines)
        {
            if (droppedLines > 0)
            {
                sb.append(", ").append(droppedLines).append(" older lines dropped");
            }
        }
        sb.append("):");
        for (String line : kept.subList(from, kept.size()))
        {
            sb.append("\n    | ").append(line);
        }
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return description + " (pid " + process.pid() + (process.isAlive() ? ", running)" : ", exited)");
    }
}
