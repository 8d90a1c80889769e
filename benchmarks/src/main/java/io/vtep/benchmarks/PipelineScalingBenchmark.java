package io.vtep.benchmarks;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import io.vtep.core.pipeline.AccessPipeline;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.DataPlane;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.OverlayPipeline;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.pipeline.VniContext;
import io.vtep.core.port.FrameBatch;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.UdpHeader;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DropReason;

/**
 * Whether the forwarding code itself scales over pipelines: one pipeline against two, each on
 * its own thread, sharing what production pipelines share (the forwarding tables, the FDB and the
 * counter source, each pipeline with its own counter block) and nothing else. No system calls:
 * ports and underlay only count, as in {@link PipelineBenchmark}. The end-to-end figure
 * (run-e2e.sh) cannot say this on a 2-core machine, where the generator and the kernel VTEP B
 * share the cores with the pipelines; this one says whether the pipelines get in each other's
 * way (locks, shared writes, false sharing in the FDB or the counters).
 *
 * <p>One op is a round trip of 32 frames: pipeline {@code t} forwards a batch of 32 untagged
 * 64-byte IPv4/UDP frames from its own access port ({@code eth1} for thread 0, {@code eth2} for
 * thread 1, 4 local hosts each) to a remote host of its own behind 192.0.2.2 (encapsulation to
 * the underlay), and delivers 32 VXLAN packets from that remote host to one of its local hosts
 * (decapsulation to the port): 64 frames, both directions, each refreshing a learned entry.
 * Throughput mode sums the ops of all threads: scaling is {@code twoPipelines / onePipeline}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Frames.ADD_OPENS, Frames.NATIVE_ACCESS})
public class PipelineScalingBenchmark
{
    static final int BATCH = 32;
    static final int FRAME_LENGTH = 64;
    static final int VNI = 100;
    static final int MAX_PIPELINES = 2;
    static final int LOCAL_HOSTS = 4;
    static final VtepAddress LOCAL = VtepAddress.parse("192.0.2.1");
    static final VtepAddress VTEP_B = VtepAddress.parse("192.0.2.2");
    static final long REMOTE_HOST_BASE = 0x0200_0000_0B00L;
    static final long LOCAL_HOST_BASE = 0x0200_0000_0100L;
    static final long TICK_NANOS = 1_000;

    /** What the pipelines share: tables, FDB, counter source, and one access port per pipeline. */
    @State(Scope.Benchmark)
    public static class Gateway
    {
        Fdb fdb;
        ForwardingTables tables;
        CounterSnapshotSource counters;
        VniContext vni;
        final CountingPort[] ports = new CountingPort[MAX_PIPELINES];
        final PortContext[] portContexts = new PortContext[MAX_PIPELINES];
        final Attachment[] attachments = new Attachment[MAX_PIPELINES];
        int vtepB;
        /** Keeps the ports' counting fields on separate cache lines (see {@link #setUp}). */
        final long[][] padding = new long[MAX_PIPELINES][];

        @Setup(Level.Trial)
        public void setUp()
        {
            fdb = new Fdb(FdbSettings.defaults());
            fdb.addVni(VNI, LearningMode.DATA_PLANE, 0, null);
            final RemoteVtep b = fdb.remoteVteps().intern(VTEP_B);
            vtepB = b.index();
            fdb.setFloodList(VNI, new RemoteVtep[] {b});
            tables = new ForwardingTables(fdb);
            vni = tables.addVni(VNI);
            counters = new CounterSnapshotSource(new CounterLayout(1, 16));
            for (int p = 0; p < MAX_PIPELINES; p++)
            {
                // Real ports are sockets; these count in plain fields, written by one pipeline
                // each. Allocated back to back they could share a cache line and make the
                // benchmark, not the pipelines, contend: a live 128-byte array after each (a
                // collection could still move them together; none runs while it measures, the
                // data path allocating nothing, and false sharing would only lower the figure).
                ports[p] = new CountingPort("eth" + (p + 1));
                padding[p] = new long[16];
                portContexts[p] = tables.addPort(ports[p]);
                attachments[p] = tables.attach(portContexts[p], Attachment.UNTAGGED, vni);
            }
            learnEveryPipelinesHosts();
        }

        /**
         * The first frames of each conversation, on a scratch pipeline before the measured ones
         * exist: unknown destinations flood, onto the other pipelines' ports too, so this happens
         * once here and the ports' counts start from 0 after it.
         */
        private void learnEveryPipelinesHosts()
        {
            final DataPlane scratch = new DataPlane(tables, counters, LOCAL, UdpHeader.VXLAN_PORT, 64, SourcePortRange.DEFAULT, 1500,
                new CountingTransmitter());
            final OverlayPipeline fromOverlay = scratch.overlayPipeline();
            final long now = fdb.clock().nanoTime();
            for (int p = 0; p < MAX_PIPELINES; p++)
            {
                final Traffic traffic = new Traffic(p);
                fromOverlay.onIpv4Datagram(traffic.overlayBuffer, traffic.overlayOffsets[0], traffic.overlayLengths[0], VTEP_B.ipv4(), now);
                drain();
                scratch.accessPipeline(portContexts[p]).process(traffic.batch, now);
                drain();
                requireLearned(p, traffic);
            }
            for (final CountingPort port : ports)
            {
                port.frames = 0;
            }
        }

        private void drain()
        {
            while (fdb.conductor().doWork() > 0)
            {
                // apply the learn events
            }
        }

        private void requireLearned(final int p, final Traffic traffic)
        {
            final long remote = vni.fdb().lookup(traffic.remoteHost);
            if (!FdbEntry.isRemote(remote) || FdbEntry.vtepIndex(remote) != vtepB)
            {
                throw new IllegalStateException("pipeline " + p + ": remote host not learned behind " + VTEP_B);
            }
            for (int h = 0; h < LOCAL_HOSTS; h++)
            {
                final long entry = vni.fdb().lookup(traffic.localHosts + h);
                if (!FdbEntry.isLocal(entry) || FdbEntry.attachment(entry) != attachments[p].id())
                {
                    throw new IllegalStateException("pipeline " + p + ": local host " + h + " not learned on " + ports[p].name());
                }
            }
        }
    }

    /** Pipeline {@code p}'s frames: a batch from its local hosts to its remote host, and the remote host's answers. */
    static final class Traffic
    {
        final long remoteHost;
        final long localHosts;
        final FrameBatch batch = new FrameBatch(BATCH);
        final UnsafeBuffer overlayBuffer = Frames.nativeBuffer(BATCH * 256);
        final int[] overlayOffsets = new int[BATCH];
        final int[] overlayLengths = new int[BATCH];

        Traffic(final int p)
        {
            remoteHost = REMOTE_HOST_BASE + p;
            localHosts = LOCAL_HOST_BASE + 16L * p;
            for (int i = 0; i < BATCH; i++)
            {
                final int offset = batch.slotFrameOffset(i);
                Frames.putIpv4UdpFrame(batch.buffer(), offset, FRAME_LENGTH, remoteHost, localHosts + (i % LOCAL_HOSTS), i);
                batch.add(offset, FRAME_LENGTH);
                overlayOffsets[i] = 64 + i * 256;
                overlayLengths[i] = Frames.putVxlanPayload(
                    overlayBuffer, overlayOffsets[i], VNI, FRAME_LENGTH, localHosts + (i % LOCAL_HOSTS), remoteHost, i);
            }
        }
    }

    /** One pipeline: its own data plane view (counter blocks, underlay), its port and its traffic. */
    @State(Scope.Thread)
    public static class Pipeline
    {
        int index;
        CountingPort port;
        CountingTransmitter underlay;
        AccessPipeline fromPort;
        OverlayPipeline fromOverlay;
        Traffic traffic;
        long now;
        long ops;

        @Setup(Level.Trial)
        public void setUp(final Gateway gateway, final ThreadParams thread)
        {
            index = thread.getThreadIndex();
            if (index >= MAX_PIPELINES)
            {
                throw new IllegalStateException("at most " + MAX_PIPELINES + " pipelines: thread " + index);
            }
            port = gateway.ports[index];
            underlay = new CountingTransmitter();
            traffic = new Traffic(index);
            // Production makes its pipelines on one thread at start-up; JMH runs these set-ups on
            // the workers, so they take turns at the shared counter source.
            synchronized (gateway)
            {
                final DataPlane plane = new DataPlane(gateway.tables, gateway.counters, LOCAL, UdpHeader.VXLAN_PORT, 64,
                    SourcePortRange.DEFAULT, 1500, underlay);
                fromPort = plane.accessPipeline(gateway.portContexts[index]);
                fromOverlay = plane.overlayPipeline();
                now = gateway.fdb.clock().nanoTime();
            }
        }

        /** One op: a batch to the underlay and a batch from it. */
        long roundTrip()
        {
            now += TICK_NANOS;
            fromPort.process(traffic.batch, now);
            for (int i = 0; i < BATCH; i++)
            {
                fromOverlay.onIpv4Datagram(traffic.overlayBuffer, traffic.overlayOffsets[i], traffic.overlayLengths[i], VTEP_B.ipv4(), now);
            }
            fromOverlay.endOfBatch();
            ops++;
            return underlay.packets + port.frames;
        }

        /** Every frame of every op went where it should: no flood, no drop, nothing to the other port. */
        @TearDown(Level.Trial)
        public void check(final Gateway gateway)
        {
            if (underlay.packets != ops * BATCH || port.frames != ops * BATCH)
            {
                throw new IllegalStateException("pipeline " + index + " after " + ops + " ops: underlay " + underlay.packets +
                    ", " + port.name() + " " + port.frames + ", expected " + ops * BATCH + " each");
            }
            for (final DropReason reason : DropReason.values())
            {
                if (gateway.counters.drops(reason) != 0)
                {
                    throw new IllegalStateException("dropped: " + reason.label());
                }
            }
            if (gateway.fdb.vni(VNI).learnQueueDrops() != 0)
            {
                throw new IllegalStateException("the learn queue overflowed");
            }
        }
    }

    @Benchmark
    @Threads(1)
    public long onePipeline(final Pipeline pipeline)
    {
        return pipeline.roundTrip();
    }

    @Benchmark
    @Threads(2)
    public long twoPipelines(final Pipeline pipeline)
    {
        return pipeline.roundTrip();
    }
}
