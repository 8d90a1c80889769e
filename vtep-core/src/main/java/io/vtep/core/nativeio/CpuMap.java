package io.vtep.core.nativeio;

import java.util.Arrays;

/**
 * Which socket of a group takes what a CPU receives, for the classic BPF programs of
 * {@link SocketFilters}: {@code cpus[i]} → socket (or fanout member) {@code indexes[i]}.
 *
 * @param cpus    CPU numbers, each at most once
 * @param indexes the socket index for each
 */
public record CpuMap(int[] cpus, int[] indexes)
{
    public CpuMap
    {
        if (cpus.length != indexes.length || cpus.length == 0)
        {
            throw new IllegalArgumentException("a CPU map needs one index per CPU, and at least one CPU");
        }
        cpus = cpus.clone();
        indexes = indexes.clone();
    }

    /** Socket {@code i} is on CPU {@code cpuOfIndex[i]}; other CPUs are not in the map. */
    public static CpuMap of(final int... cpuOfIndex)
    {
        final int[] indexes = new int[cpuOfIndex.length];
        Arrays.setAll(indexes, i -> i);
        return new CpuMap(cpuOfIndex, indexes);
    }

    /**
     * Pipelines pinned to the first {@code pipelines} of the {@code allowed} CPUs: each of those
     * CPUs maps to its own pipeline, and every further allowed CPU, one with no pipeline, to
     * pipeline {@code k % pipelines} by its position {@code k}, so that what they receive is spread
     * by CPU too rather than piled on one pipeline.
     */
    public static CpuMap pinned(final int[] allowed, final int pipelines)
    {
        final int[] indexes = new int[allowed.length];
        Arrays.setAll(indexes, k -> k % pipelines);
        return new CpuMap(allowed, indexes);
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < cpus.length; i++)
        {
            text.append(i == 0 ? "" : ", ").append("CPU ").append(cpus[i]).append(" -> ").append(indexes[i]);
        }
        return text.toString();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof CpuMap map && Arrays.equals(cpus, map.cpus) && Arrays.equals(indexes, map.indexes);
    }

    @Override
    public int hashCode()
    {
        return 31 * Arrays.hashCode(cpus) + Arrays.hashCode(indexes);
    }
}
