package io.vtep.core.nativeio;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Runs work on a fresh thread bound to one CPU: for tests of steering by CPU. */
public final class PinnedThread
{
    private PinnedThread()
    {
    }

    /** {@code work} on a new thread pinned to {@code cpu}; its result, or its exception. */
    public static <T> T call(final int cpu, final Callable<T> work) throws Exception
    {
        final ExecutorService thread = Executors.newSingleThreadExecutor();
        try
        {
            return thread.submit(() ->
            {
                CpuAffinity.pinCurrentThread(cpu);
                return work.call();
            }).get();
        }
        finally
        {
            thread.shutdownNow();
        }
    }

    /** The first two CPUs this process may use, crossed ({second, first}): a map that index = CPU would get wrong. */
    public static int[] twoCpusCrossed() throws ErrnoException
    {
        final int[] allowed = CpuAffinity.allowedCpus();
        if (allowed.length < 2)
        {
            throw new AssertionError("needs 2 CPUs to steer between; this process may use only CPU " + allowed[0]);
        }
        return new int[] {allowed[1], allowed[0]};
    }
}
