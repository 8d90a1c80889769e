package io.vtep.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DataPathCounters;
import io.vtep.metrics.Side;

/**
 * What counting costs per forwarded frame. The pipeline cannot run without its counters, so the
 * cost is measured as the exact set of bumps {@code AccessPipeline} makes for a unicast frame to a
 * remote VTEP (rx packets+bytes for the VNI, tx packets+bytes for the VNI, tx packets+bytes for
 * the VTEP), against a baseline that does the same surrounding work without the bumps. Compare the
 * difference with {@code PipelineBenchmark.accessUnicastBatch} / 32 for the share of a frame.
 */
public class CountingCostBenchmark extends AverageTimeBenchmark
{
    /** Rows as in a gateway with a few hundred VNIs and VTEPs, so the counters are not all in L1. */
    private static final int VNIS = 512;
    private static final int VTEPS = 512;

    DataPathCounters counters;
    int vniSlot;
    int vtepIndex;
    int frameLength = 1400;

    @Setup
    public void setUp()
    {
        counters = new CounterSnapshotSource(new CounterLayout(VNIS, VTEPS)).newBlock();
    }

    /** The frame's counter updates on the access → overlay unicast path. */
    @Benchmark
    public void withCounters()
    {
        final int vni = nextVni();
        counters.vniReceived(vni, Side.ACCESS, frameLength);
        counters.vniSent(vni, Side.OVERLAY, frameLength);
        counters.vtepSent(nextVtep(), frameLength + 36);
    }

    /** The same slot selection with nothing counted. */
    @Benchmark
    public void withoutCounters(final Blackhole blackhole)
    {
        blackhole.consume(nextVni());
        blackhole.consume(nextVtep());
    }

    private int nextVni()
    {
        vniSlot = (vniSlot + 7) & (VNIS - 1);
        return vniSlot;
    }

    private int nextVtep()
    {
        vtepIndex = (vtepIndex + 13) & (VTEPS - 1);
        return vtepIndex;
    }
}
