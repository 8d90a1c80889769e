package io.vtep.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.vtep.topology.Commands;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.Topology;

/**
 * The demo topologies on this machine, found by their namespaces ({@code vtdemo<pid>-*}) and their
 * bookkeeping in {@value #STATE_ROOT}: one directory per run, holding where its work dir is and, for a
 * run kept with {@code --keep}, a {@code kept} mark. {@code /run} is emptied at boot, like the
 * namespaces themselves.
 *
 * <p>What a run leaves when it is killed (SIGKILL: no shutdown hook runs) is removed by the next run;
 * a kept topology stays until {@code --down}. Removal does not trust the namespaces alone: vtep runs in
 * its own session and FRR's daemons outlive their namespace's name, so they are also found by the work
 * dir on their command line and by FRR's pid files.
 */
final class Leftovers
{
    /** The bookkeeping root. */
    static final String STATE_ROOT = "/run/vtep-demo";
    /** What the command line of a running demo holds (its main class). */
    private static final String DEMO_MAIN = Demo.class.getName();

    private final Console console;

    Leftovers(final Console console)
    {
        this.console = console;
    }

    /** Records where run {@code prefix} keeps its files. */
    static void record(final String prefix, final Path workDir) throws IOException
    {
        final Path dir = Path.of(STATE_ROOT, prefix);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("workdir"), workDir + "\n");
    }

    /** Marks run {@code prefix} as kept: later runs leave it alone. */
    static void markKept(final String prefix) throws IOException
    {
        Files.writeString(Path.of(STATE_ROOT, prefix, "kept"), "");
    }

    /** At the start of a run: removes what killed runs left; names kept ones. */
    void removeStale(final String ownPrefix)
    {
        for (final String prefix : prefixes())
        {
            // Our own pid names a leftover only if a killed run had it before: that one is stale too.
            if (!prefix.equals(ownPrefix) && running(prefix))
            {
                continue;
            }
            if (Files.exists(Path.of(STATE_ROOT, prefix, "kept")))
            {
                console.say("(a topology kept by an earlier demo, " + prefix + "-*, is still up; bin/vtep demo --down removes it)");
            }
            else
            {
                console.say("Removing what an earlier demo run left behind: namespaces " + prefix + "-* (its process " + prefix.substring("vtdemo"
                    .length()) + " is gone)");
                remove(prefix);
            }
        }
    }

    /** {@code --down}: removes every demo topology whose demo no longer runs (kept or stale); exit code 0. */
    int takeDown()
    {
        int removed = 0;
        for (final String prefix : prefixes())
        {
            if (running(prefix))
            {
                continue;
            }
            final boolean frr = Files.isDirectory(FrrRouter.RUN_DIR.resolve(prefix + "-kvtep"));
            console.say("Removing demo topology " + prefix + "-* (stopping its vtep" + (frr ? " and FRR" : "") + ")");
            remove(prefix);
            removed++;
        }
        if (removed == 0)
        {
            console.say("No demo topology to remove.");
        }
        return 0;
    }

    /** The prefixes ({@code vtdemo<pid>}) that have a namespace or bookkeeping. */
    static List<String> prefixes()
    {
        final TreeSet<String> prefixes = new TreeSet<>();
        for (final String name : Topology.listNamespaces())
        {
            if (name.matches("vtdemo\\d+-.*"))
            {
                prefixes.add(name.substring(0, name.indexOf('-')));
            }
        }
        final Path root = Path.of(STATE_ROOT);
        if (Files.isDirectory(root))
        {
            try (Stream<Path> dirs = Files.list(root))
            {
                dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("vtdemo\\d+")).forEach(prefixes::add);
            }
            catch (final IOException e)
            {
                // nothing to add
            }
        }
        return List.copyOf(prefixes);
    }

    /** Whether the demo that owns {@code prefix} still runs (its pid is alive and is a demo). */
    static boolean running(final String prefix)
    {
        return commandLine(Long.parseLong(prefix.substring("vtdemo".length()))).map(c -> c.contains(DEMO_MAIN)).orElse(false);
    }

    /**
     * Removes one demo topology: its vtep first (a clean stop), its FRR, every namespace, whatever
     * still runs with its work dir on the command line, FRR's run dirs, the work dir, the bookkeeping.
     * Best effort: each step runs whatever the earlier ones did.
     */
    static void remove(final String prefix)
    {
        final Optional<Path> workDir = workDir(prefix);
        final List<String> namespaces = Topology.listNamespaces().stream().filter(n -> n.startsWith(prefix + "-")).toList();
        if (namespaces.contains(prefix + "-vtep"))
        {
            stopProcessesIn(prefix + "-vtep", Duration.ofSeconds(10));
        }
        workDir.ifPresent(dir -> stopFrr(prefix, dir));
        for (final String namespace : namespaces)
        {
            stopProcessesIn(namespace, Duration.ofSeconds(2));
            Commands.run(Duration.ofSeconds(10), List.of("ip", "netns", "del", namespace));
        }
        workDir.ifPresent(dir -> killByCommandLine(dir.toString()));
        deleteMatching(FrrRouter.RUN_DIR, prefix + "-");
        workDir.filter(dir -> dir.getFileName().toString().startsWith("vtep-" + prefix + "-")).ifPresent(Leftovers::deleteTree);
        // A run killed before it wrote its bookkeeping still has its work dir where the JVM makes temp dirs.
        deleteMatching(Path.of(System.getProperty("java.io.tmpdir")), "vtep-" + prefix + "-");
        deleteTree(Path.of(STATE_ROOT, prefix));
        try
        {
            Files.deleteIfExists(Path.of(STATE_ROOT));
        }
        catch (final IOException notEmpty)
        {
            // another run's bookkeeping
        }
    }

    static Optional<Path> workDir(final String prefix)
    {
        try
        {
            return Optional.of(Path.of(Files.readString(Path.of(STATE_ROOT, prefix, "workdir")).strip()));
        }
        catch (final IOException e)
        {
            return Optional.empty();
        }
    }

    /** SIGTERM to every process in the namespace, SIGKILL to what is left after {@code grace}. */
    private static void stopProcessesIn(final String namespace, final Duration grace)
    {
        final List<ProcessHandle> processes = pidsIn(namespace).stream().map(ProcessHandle::of).flatMap(Optional::stream).toList();
        stop(processes, grace);
    }

    /**
     * FRR's daemons by their pid files ({@code <work dir>/frr/<prefix>-kvtep/}): bgpd, then zebra;
     * only a pid whose command line still names the demo's namespace is signalled.
     */
    private static void stopFrr(final String prefix, final Path workDir)
    {
        final Path dir = workDir.resolve("frr").resolve(prefix + "-kvtep");
        for (final String daemon : List.of("bgpd", "zebra"))
        {
            try
            {
                final long pid = Long.parseLong(Files.readString(dir.resolve(daemon + ".pid")).strip());
                if (commandLine(pid).map(c -> c.contains(prefix + "-kvtep")).orElse(false))
                {
                    stop(ProcessHandle.of(pid).stream().toList(), Duration.ofSeconds(5));
                }
            }
            catch (final IOException | NumberFormatException e)
            {
                // no such daemon
            }
        }
    }

    private static void killByCommandLine(final String marker)
    {
        ProcessHandle.allProcesses()
            .filter(p -> commandLine(p.pid()).map(c -> c.contains(marker)).orElse(false))
            .forEach(ProcessHandle::destroyForcibly);
    }

    private static void stop(final List<ProcessHandle> processes, final Duration grace)
    {
        processes.forEach(ProcessHandle::destroy);
        final long deadline = System.nanoTime() + grace.toNanos();
        while (processes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline)
        {
            sleep(50);
        }
        processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static List<Long> pidsIn(final String namespace)
    {
        final List<Long> pids = new ArrayList<>();
        for (final String word : Commands.run(Duration.ofSeconds(10), List.of("ip", "netns", "pids", namespace)).stdout().split("\\s+"))
        {
            if (!word.isBlank())
            {
                pids.add(Long.parseLong(word.strip()));
            }
        }
        return pids;
    }

    /** A process's command line, arguments separated by spaces; empty once it is gone. */
    static Optional<String> commandLine(final long pid)
    {
        try
        {
            return Optional.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                StandardCharsets.UTF_8).replace('\0', ' '));
        }
        catch (final IOException e)
        {
            return Optional.empty();
        }
    }

    private static void deleteMatching(final Path dir, final String namePrefix)
    {
        if (!Files.isDirectory(dir))
        {
            return;
        }
        try (Stream<Path> entries = Files.list(dir))
        {
            entries.filter(p -> p.getFileName().toString().startsWith(namePrefix)).forEach(Leftovers::deleteTree);
        }
        catch (final IOException e)
        {
            // nothing to delete
        }
    }

    static void deleteTree(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException e)
        {
            // a socket FRR still holds; the next run tries again
        }
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
