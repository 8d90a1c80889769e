package io.vtep.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.vtep.topology.ExecResult;
import io.vtep.topology.Netns;

/**
 * The demo's output: numbered steps ({@code === 3. Ping ... ===}), prose, and commands shown the way
 * a reader would type them ({@code [h1]$ ping ...}, meaning {@code ip netns exec <prefix>-h1 ping ...})
 * with their output indented below. Flushed line by line: a reader (or DemoTest) follows it live.
 */
final class Console
{
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final PrintStream out;
    private final Path launcher;
    private int step;

    Console(final PrintStream out, final Path launcher)
    {
        this.out = out;
        this.launcher = launcher;
    }

    /** {@code bin/vtep}, as {@link #runIn} runs it. */
    Path launcher()
    {
        return launcher;
    }

    void step(final String title)
    {
        step++;
        print("\n=== " + step + ". " + title + " ===");
    }

    void say(final String line)
    {
        print(line);
    }

    /** A line indented under the step. */
    void note(final String line)
    {
        print("  " + line);
    }

    /** Every line of {@code text}, indented by four. */
    void indent(final String text)
    {
        for (final String line : text.split("\n", -1))
        {
            if (!line.isEmpty() || !text.endsWith("\n"))
            {
                print("    " + line);
            }
        }
    }

    /**
     * Shows {@code [role]$ command}, runs it in {@code ns} and shows its output indented; returns
     * the result (the caller decides whether a failure fails the demo). {@code bin/vtep} is shown
     * by that short name.
     */
    ExecResult runIn(final Netns ns, final String... command)
    {
        final List<String> shown = new ArrayList<>();
        for (final String word : command)
        {
            shown.add(word.equals(launcher.toString()) ? "bin/vtep" : word);
        }
        note("[" + ns.role() + "]$ " + String.join(" ", shown));
        final ExecResult result = ns.exec(COMMAND_TIMEOUT, command);
        show(result);
        return result;
    }

    /** Shows {@code [role]$ pipeline} and runs it with {@code sh -c} in {@code ns}. */
    ExecResult runPipelineIn(final Netns ns, final String pipeline)
    {
        note("[" + ns.role() + "]$ " + pipeline);
        final ExecResult result = ns.exec(COMMAND_TIMEOUT, "sh", "-c", pipeline);
        show(result);
        return result;
    }

    void show(final ExecResult result)
    {
        final String text = result.stdout() + result.stderr();
        if (!text.isEmpty())
        {
            indent(text);
        }
    }

    private void print(final String line)
    {
        out.println(line);
        out.flush();
    }
}
