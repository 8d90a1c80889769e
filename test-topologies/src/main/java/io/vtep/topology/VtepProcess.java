package io.vtep.topology;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * The appliance running as {@code bin/vtep run --config FILE} inside a namespace (through
 * {@code ip netns exec}), with its YAML config written to a temporary file. Made by
 * {@link Topology#startVtep} (waits for readiness) or {@link Topology#launchVtep} (does not).
 * Stopped with SIGTERM at {@link #close()} or teardown; asserting on how it exited is the test's job.
 */
public final class VtepProcess implements AutoCloseable
{

    /** The line the appliance logs once it forwards traffic. */
    public static final String DEFAULT_READY_REGEX = "vtep started";
    /** How long startup may take (the launcher may build the jars on its first run). */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(90);
    /** SIGTERM to SIGKILL grace: a JVM's orderly shutdown. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** System property overriding where the repository root is. */
    public static final String REPO_ROOT_PROPERTY = "vtep.repo.root";

    private final ManagedProcess process;
    private final Path configFile;

    VtepProcess(ManagedProcess process, Path configFile)
    {
        this.process = process;
        this.configFile = configFile;
    }

    /**
     * The repository root: {@value #REPO_ROOT_PROPERTY} if set, else the first directory at or
     * above the working directory (a module directory when run by Maven) that holds {@code mvnw}
     * and {@code test-topologies/}.
     */
    public static Path repositoryRoot()
    {
        String override = System.getProperty(REPO_ROOT_PROPERTY);
        if (override != null && !override.isBlank())
        {
            return Path.of(override).toAbsolutePath().normalize();
        }
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path d = dir; d != null; d = d.getParent())
        {
            if (Files.isRegularFile(d.resolve("mvnw")) && Files.isDirectory(d.resolve("test-topologies")))
            {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + dir + " (set -D" + REPO_ROOT_PROPERTY + "=...)");
    }

    /** {@code <repository root>/bin/vtep}; fails the test when it is missing. */
    public static Path launcher()
    {
        Path launcher = repositoryRoot().resolve("bin").resolve("vtep");
        if (!Files.isExecutable(launcher))
        {
            fail("the appliance launcher " + launcher + " is missing or not executable");
        }
        return launcher;
    }

    /** Waits until the appliance logs a line matching {@code readyRegex}; fails with its output if it exits or times out. */
    public VtepProcess awaitReady(String readyRegex, Duration timeout)
    {
        process.awaitOutput(readyRegex, timeout);
        return this;
    }

    /** Waits for a log line matching {@code regex} and returns it. */
    public String awaitLog(String regex, Duration timeout)
    {
        return process.awaitOutput(regex, timeout);
    }

    public ManagedProcess process()
    {
        return process;
    }

    /** The config file it was started with. */
    public Path configFile()
    {
        return configFile;
    }

    /**
     * Replaces its configuration file with {@code yaml} and sends SIGHUP, which makes the appliance
     * read the file again and apply what changed (live reload); whether it did is in its log.
     */
    public void reload(String yaml)
    {
        Commands.writeString(configFile, yaml);
        Commands.runOk("kill", "-HUP", Long.toString(pid()));
    }

    /** Its output so far (merged stdout and stderr, bounded). */
    public String output()
    {
        return process.output();
    }

    public long pid()
    {
        return process.pid();
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** The exit code once it has exited. */
    public OptionalInt exitCode()
    {
        return process.exitCode();
    }

    /** Waits for it to exit by itself (a bad config) and returns the exit code. */
    public int waitForExit(Duration timeout)
    {
        return process.waitFor(timeout);
    }

    /** SIGTERM (SIGKILL after {@link #STOP_GRACE}); returns the exit code. Idempotent. */
    public int stop()
    {
        return process.stop(STOP_GRACE);
    }

    @Override
    public void close()
    {
        stop();
    }

    @Override
    public String toString()
    {
        return "vtep " + process + " config " + configFile;
    }
}
