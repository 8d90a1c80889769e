package io.vtep.topology;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs external commands (ip, bridge, ethtool, tshark, ...) with ProcessBuilder: always with a
 * timeout, both output streams captured, and failures reported with the command line, exit code
 * and stderr.
 *
 * <p>Children get a PATH that includes the sbin directories: a JVM started by Maven may run with
 * a PATH that lacks /usr/sbin, where {@code ip}, {@code bridge} and {@code ethtool} live.
 */
public final class Commands
{

    /** How long an ordinary configuration command may take before it counts as hung. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final List<String> SYSTEM_DIRS =
        List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
    private static final Pattern SAFE_WORD = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Commands()
    {
    }

    /** Runs {@code argv} with the default timeout and returns its result, whatever the exit code. */
    public static ExecResult run(String... argv)
    {
        return run(DEFAULT_TIMEOUT, List.of(argv));
    }

    /** Runs {@code argv} with the default timeout; throws {@link CommandFailedException} unless it exits 0. */
    public static ExecResult runOk(String... argv)
    {
        return run(DEFAULT_TIMEOUT, List.of(argv)).orThrow();
    }

    /**
     * Runs {@code argv} and waits at most {@code timeout}. A command that outlives its timeout is
     * killed (with its descendants) and reported as a {@link CommandFailedException}.
     */
    public static ExecResult run(Duration timeout, List<String> argv)
    {
        ProcessBuilder pb = processBuilder(argv);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        long start = System.nanoTime();
        Process process;
        try
        {
            process = pb.start();
        }
        catch (IOException e)
        {
            throw new CommandFailedException("cannot start " + toCommandLine(argv) + ": " + e.getMessage() +
                "\n  (is it installed? see scripts/install-test-deps.sh)");
        }
        StreamCollector out = StreamCollector.start(process.getInputStream());
        StreamCollector err = StreamCollector.start(process.getErrorStream());
        boolean finished;
        try
        {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            killTree(process.toHandle());
            throw new CommandFailedException("interrupted while running " + toCommandLine(argv));
        }
        if (!finished)
        {
            killTree(process.toHandle());
            throw new CommandFailedException("command timed out after " + timeout.toMillis() + " ms: " + toCommandLine(argv) + "\n  stdout: " + tail(
                out.text(), 2000) + "\n  stderr: " + tail(err.text(), 2000));
        }
        // A command may leave a daemon behind that still holds our pipes: do not wait for EOF forever.
        out.await(Duration.ofSeconds(2));
        err.await(Duration.ofSeconds(2));
        return new ExecResult(argv, process.exitValue(), out.text(), err.text(),
            Duration.ofNanos(System.nanoTime() - start));
    }

    /** A ProcessBuilder for {@code argv} with the tool resolved and the PATH fixed up. */
    static ProcessBuilder processBuilder(List<String> argv)
    {
        if (argv.isEmpty())
        {
            throw new IllegalArgumentException("empty command");
        }
        List<String> resolved = new ArrayList<>(argv);
        resolveExecutable(argv.get(0)).ifPresent(p -> resolved.set(0, p.toString()));
        ProcessBuilder pb = new ProcessBuilder(resolved);
        Map<String, String> env = pb.environment();
        env.put("PATH", searchPath());
        env.put("LC_ALL", "C");
        return pb;
    }

    /** The PATH children see: the JVM's PATH, then any system directory it lacks. */
    static String searchPath()
    {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null)
        {
            for (String d : path.split(File.pathSeparator))
            {
                if (!d.isEmpty())
                {
                    dirs.add(d);
                }
            }
        }
        dirs.addAll(SYSTEM_DIRS);
        return String.join(File.pathSeparator, dirs);
    }

    /** Where {@code tool} is found on {@link #searchPath()}, or empty. Absolute paths are checked as is. */
    public static Optional<Path> resolveExecutable(String tool)
    {
        if (tool.contains("/"))
        {
            Path p = Path.of(tool);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        for (String dir : searchPath().split(File.pathSeparator))
        {
            Path p = Path.of(dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p))
            {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Sends SIGKILL to a process and everything it started. */
    static void killTree(ProcessHandle handle)
    {
        List<ProcessHandle> all = new ArrayList<>(handle.descendants().toList());
        all.add(handle);
        for (ProcessHandle h : all)
        {
            h.destroyForcibly();
        }
    }

    /** The command line quoted the way a shell would need it, for messages. */
    static String toCommandLine(List<String> argv)
    {
        StringBuilder sb = new StringBuilder();
        for (String a : argv)
        {
            if (!sb.isEmpty())
            {
                sb.append(' ');
            }
            sb.append(SAFE_WORD.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /** The last {@code max} characters of {@code s}, marked when cut. */
    static String tail(String s, int max)
    {
        return s.length() <= max ? s : "..." + s.substring(s.length() - max);
    }

    /** Drains one output stream on a virtual thread so the child never blocks on a full pipe. */
    private static final class StreamCollector
    {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final Thread thread;

        private StreamCollector(InputStream in)
        {
            this.thread = Thread.ofVirtual().name("command-output").start(() ->
            {
                byte[] chunk = new byte[8192];
                try (in)
                {
                    int n;
                    while ((n = in.read(chunk)) > 0)
                    {
                        synchronized (buffer)
                        {
                            buffer.write(chunk, 0, n);
                        }
                    }
                }
                catch (IOException e)
                {
                    // The stream closes when the process goes away; what was read is kept.
                }
            });
        }

        static StreamCollector start(InputStream in)
        {
            return new StreamCollector(in);
        }

        void await(Duration timeout)
        {
            try
            {
                thread.join(timeout);
            }
            catch (InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }

        String text()
        {
            synchronized (buffer)
            {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }

    static void writeString(Path file, String content)
    {
        try
        {
            Files.writeString(file, content);
        }
        catch (IOException e)
        {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
