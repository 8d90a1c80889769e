package io.vtep.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.vtep.topology.Topology;
import io.vtep.topology.VtepProcess;
import sun.misc.Signal;

/**
 * {@code bin/vtep demo}: vtep doing its job next to a Linux kernel VTEP on a throwaway topology of
 * network namespaces named {@code vtdemo<pid>-*}, built with the topology library the tests use
 * ({@link DemoNetwork}), walked through step by step ({@link Walkthrough}), and removed again: at the
 * end, on a failure, on Ctrl-C (a JVM shutdown hook), and for a run that was killed, at the start of
 * the next run ({@link Leftovers}). {@code --keep} leaves it running; {@code --down} removes it.
 *
 * <p>Root and the Debian packages are checked (and installed) by {@code scripts/demo-prepare.sh}
 * before this JVM starts. Exit codes: 0 done, 1 a step failed (its message says which), 2 refused
 * options, 128 + signal when interrupted.
 */
public final class Demo
{
    private final DemoOptions options;
    private final Console console;
    private final String prefix = "vtdemo" + ProcessHandle.current().pid();

    private volatile Walkthrough walkthrough;
    private volatile Topology topology;
    private volatile boolean finished;
    private volatile boolean failed;
    private volatile boolean interrupted;

    private Demo(final DemoOptions options, final Console console)
    {
        this.options = options;
        this.console = console;
    }

    public static void main(final String[] args)
    {
        final DemoOptions options;
        try
        {
            options = DemoOptions.parse(args);
        }
        catch (final DemoOptions.Refused refused)
        {
            System.err.println(refused.getMessage());
            System.exit(2);
            return;
        }
        if (options.help())
        {
            System.out.print(DemoOptions.USAGE);
            return;
        }
        final Console console = new Console(System.out, VtepProcess.launcher());
        if (options.down())
        {
            System.exit(new Leftovers(console).takeDown());
        }
        System.exit(new Demo(options, console).run());
    }

    private int run()
    {
        for (final String signal : List.of("INT", "TERM", "HUP"))
        {
            Signal.handle(new Signal(signal), this::interrupted);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp, "demo-cleanup"));
        try
        {
            intro();
            new Leftovers(console).removeStale(prefix);
            Walkthrough.buildIfNeeded(console);
            topology = Topology.named(prefix);
            Leftovers.record(prefix, topology.workDir());
            walkthrough = new Walkthrough(options, console, topology);
            walkthrough.run();
            finished = true;
            if (options.keep())
            {
                Leftovers.markKept(prefix);
                topology.release();
                walkthrough.keepInstructions();
            }
            return 0;
        }
        catch (final Throwable failure)
        {
            if (!interrupted)
            {
                failed = true;
                final String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
                System.err.println("vtep demo: " + message);
                System.err.flush();
            }
            return 1;
        }
    }

    private void intro()
    {
        if (options.evpn())
        {
            console.say("vtep demo: vtep (a software VXLAN gateway, in Java) next to a Linux kernel VTEP driven by FRR, the");
            console.say("two learning each other through BGP EVPN, on a throwaway topology of network namespaces that is");
            console.say("removed at the end (also on Ctrl-C).");
        }
        else
        {
            console.say("vtep demo: vtep (a software VXLAN gateway, in Java) next to a Linux kernel VTEP, on a throwaway");
            console.say("topology of network namespaces that is removed at the end (also on Ctrl-C).");
        }
    }

    /** Ctrl-C (SIGINT), SIGTERM, SIGHUP: exit 128 + signal; the shutdown hook then removes everything. */
    private void interrupted(final Signal signal)
    {
        interrupted = true;
        System.err.println("\nvtep demo: interrupted (" + signal.getName() + "), cleaning up");
        System.err.flush();
        System.exit(128 + signal.getNumber());
    }

    /**
     * The shutdown hook: unless the topology was kept, stops vtep (and FRR) first, saying so, then
     * tears the topology down and removes whatever else carries the prefix. Runs on every exit
     * but SIGKILL, after which the next run removes the leftovers.
     */
    private void cleanUp()
    {
        if (finished && options.keep())
        {
            return;
        }
        final Topology built = topology;
        if (built == null)
        {
            return;
        }
        final Walkthrough steps = walkthrough;
        if (failed && steps != null)
        {
            steps.showVtepLogTail();
        }
        console.say("\n=== Cleaning up ===");
        if (steps != null)
        {
            steps.stopDaemons();
        }
        try
        {
            built.close();
        }
        catch (final RuntimeException incomplete)
        {
            System.err.println("vtep demo: " + incomplete.getMessage());
        }
        final Path workDir = built.workDir();
        Leftovers.remove(prefix);
        if (Files.exists(workDir))
        {
            Leftovers.deleteTree(workDir);
        }
        console.say("Removed namespaces " + prefix + "-* and " + workDir + ".");
    }
}
