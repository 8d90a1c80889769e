package io.vtep.core.port;

import io.vtep.core.nativeio.CpuMap;

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

    /** null: by flow hash; else the member for each CPU (members numbered in the order they join). */
    private final CpuMap map;

    private FanoutSteering(final CpuMap map)
    {
        this.map = map;
    }

    /** By the kernel's flow hash. */
    public static FanoutSteering byFlow()
    {
        return FLOW;
    }

    /** By receiving CPU: the member {@code map} gives for the CPU (the i-th to join is member i). */
    public static FanoutSteering byCpu(final CpuMap map)
    {
        return new FanoutSteering(map);
    }

    boolean byCpu()
    {
        return map != null;
    }

    CpuMap map()
    {
        return map;
    }

    @Override
    public String toString()
    {
        return map == null ? "flow" : "cpu (" + map + ")";
    }
}
