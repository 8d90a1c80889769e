package io.vtep.core.port;

import java.util.Arrays;

/**
 * How a {@code PACKET_FANOUT} group of an access port picks the pipeline for a frame
 * ({@code dataplane.access-steering}, docs/architecture.md §3).
 *
 * <ul>
 *   <li><b>flow</b>: by the kernel's flow hash. Flows spread over the pipelines whichever CPU the
 *       frames arrive on, which suits one busy sender; the pipeline is usually on another CPU than
 *       the sender, so an idle frame costs a cross-CPU wake-up.</li>
 *   <li><b>cpu</b>: to the pipeline pinned to the CPU that received the frame (for a veth host, the
 *       CPU its sender runs on; for a NIC, its receive queue's), else by flow hash. An idle frame
 *       then wakes a pipeline on its own CPU, and the answer (steered to the same pipeline on the
 *       underlay) wakes the sender there too: no wake-up crosses CPUs. With rollover: when that
 *       pipeline's queue is three quarters full, frames spill to another pipeline rather than
 *       being dropped (frames of a flow can then overtake each other, only under overload).</li>
 * </ul>
 */
public final class FanoutSteering
{
    private static final FanoutSteering FLOW = new FanoutSteering(null);

    /** null: by flow hash; else the CPU of each member, by the order the members join. */
    private final int[] cpuOfMember;

    private FanoutSteering(final int[] cpuOfMember)
    {
        this.cpuOfMember = cpuOfMember;
    }

    /** By the kernel's flow hash. */
    public static FanoutSteering byFlow()
    {
        return FLOW;
    }

    /** By receiving CPU: member {@code i} (the i-th to join) is the pipeline pinned to {@code cpuOfMember[i]}. */
    public static FanoutSteering byCpu(final int[] cpuOfMember)
    {
        if (cpuOfMember.length == 0)
        {
            throw new IllegalArgumentException("no CPUs");
        }
        return new FanoutSteering(cpuOfMember.clone());
    }

    boolean byCpu()
    {
        return cpuOfMember != null;
    }

    int[] cpuOfMember()
    {
        return cpuOfMember.clone();
    }

    @Override
    public String toString()
    {
        return cpuOfMember == null ? "flow" : "cpu " + Arrays.toString(cpuOfMember);
    }
}
