package io.vtep.core.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Which CPUs the process may run on, and binding the calling thread to one of them
 * ({@code sched_getaffinity(2)}, {@code sched_setaffinity(2)}).
 *
 * <p>Used to pin the forwarding pipelines one per CPU (docs/architecture.md §3), which is what lets
 * the kernel steer a datagram to the pipeline on the CPU that received it.
 */
public final class CpuAffinity
{
    /** A {@code cpu_set_t} of 8,192 bits: more CPUs than any machine vtep runs on has. */
    private static final int MASK_BYTES = 1024;

    private CpuAffinity()
    {
    }

    /** The CPUs the calling thread may run on (inherited from the process: a container's cpuset, taskset), ascending. */
    public static int[] allowedCpus() throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment mask = arena.allocate(MASK_BYTES, 8);
            Libc.getAffinity(mask);
            int[] cpus = new int[16];
            int count = 0;
            for (int cpu = 0; cpu < MASK_BYTES * 8; cpu++)
            {
                if ((mask.get(ValueLayout.JAVA_BYTE, cpu >>> 3) & 1 << (cpu & 7)) != 0)
                {
                    if (count == cpus.length)
                    {
                        cpus = Arrays.copyOf(cpus, count * 2);
                    }
                    cpus[count++] = cpu;
                }
            }
            return Arrays.copyOf(cpus, count);
        }
    }

    /** Binds the calling thread, and only it, to {@code cpu}. */
    public static void pinCurrentThread(final int cpu) throws ErrnoException
    {
        if (cpu < 0 || cpu >= MASK_BYTES * 8)
        {
            throw new IllegalArgumentException("CPU " + cpu + " out of range");
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment mask = arena.allocate(MASK_BYTES, 8);
            mask.set(ValueLayout.JAVA_BYTE, cpu >>> 3, (byte)(1 << (cpu & 7)));
            Libc.setAffinity(mask);
        }
    }
}
