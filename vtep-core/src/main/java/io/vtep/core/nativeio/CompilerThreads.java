package io.vtep.core.nativeio;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * HotSpot's JIT compiler threads ({@code C1 CompilerThread<n>}, {@code C2 CompilerThread<n>}),
 * found by name in {@code /proc/self/task}, and their scheduling priority.
 *
 * <p>Why: a frame that reaches a method's compile threshold queues a compilation and wakes a
 * compiler thread, which the scheduler then lets run in front of the forwarding thread that woke
 * it. A {@code perf} trace of an idle ping through vtep (sched and syscall tracepoints) showed a
 * pipeline woken by the request, waking the C2 compiler, preempted by it and runnable for 3.9 ms
 * before it sent the request on, with the other CPU busy with the C1 compiler: a 4.1 ms reply
 * where the kernel VTEP answers in 0.1 ms. At nice 10 a compiler thread weighs a tenth of a nice-0 pipeline
 * (the kernel's weights 110 and 1024): it no longer cuts in, and on a CPU both want it gets about a
 * tenth, so compilation still ends under full load, only later. docs/architecture.md §3.8.
 */
public final class CompilerThreads
{
    /** The nice value vtep gives the compiler threads. */
    public static final int NICE = 10;
    private static final Path TASKS = Path.of("/proc/self/task");

    private CompilerThreads()
    {
    }

    /** The thread ids of the process's JIT compiler threads now. */
    public static List<Integer> ids() throws IOException
    {
        final List<Integer> ids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS))
        {
            for (final Path task : tasks)
            {
                final String comm;
                try
                {
                    comm = Files.readString(task.resolve("comm")).strip();
                }
                catch (final IOException gone)
                {
                    continue; // the thread ended meanwhile
                }
                if (isCompilerThread(comm))
                {
                    ids.add(Integer.parseInt(task.getFileName().toString()));
                }
            }
        }
        return ids;
    }

    /** Whether a thread's name as {@code /proc/<pid>/task/<tid>/comm} shows it is a JIT compiler thread. */
    public static boolean isCompilerThread(final String comm)
    {
        // comm holds 15 characters: "C2 CompilerThread0" reads "C2 CompilerThre".
        return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
    }

    /**
     * Gives every compiler thread there is now nice {@code nice}. HotSpot starts them all at once
     * when {@code -XX:-UseDynamicNumberOfCompilerThreads} (as {@code bin/vtep run} passes);
     * otherwise one it adds later keeps the default.
     *
     * @return how many threads were changed
     * @throws IOException when {@code /proc/self/task} cannot be read, or the kernel refuses (an
     *     {@link ErrnoException}; it does not when a process raises its own threads' nice value)
     */
    public static int lowerPriority(final int nice) throws IOException
    {
        final List<Integer> ids = ids();
        for (final int tid : ids)
        {
            Libc.setThreadNice(tid, nice);
        }
        return ids.size();
    }

    /**
     * The nice value of thread {@code tid}, of this or any other process (field 19 of
     * {@code /proc/<tid>/stat}, counted after the name).
     */
    public static int niceOf(final int tid) throws IOException
    {
        final String stat = Files.readString(Path.of("/proc", Integer.toString(tid), "stat"));
        // "tid (comm) state ppid ...": the name may hold spaces and parentheses, so count from the last ')'.
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]); // field 19 of stat; fields[0] is field 3 (state)
    }
}
