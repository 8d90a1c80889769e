package io.vtep.core.metrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.VniContext;
import io.vtep.core.pipeline.VniMembers;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;
import io.vtep.fdb.RemoteVtepTable;
import io.vtep.fdb.VniFdb;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.export.DataPathMeters;
import io.vtep.metrics.export.ExpositionFormat;
import io.vtep.metrics.export.JvmProcessMeters;

/**
 * Every metric of the appliance (docs/architecture.md §6) on one {@link PrometheusMeterRegistry}, and the
 * scrape of {@code GET /metrics}.
 *
 * <p>Nothing here touches the data path: counters are Micrometer function counters and gauges that
 * read {@link CounterSnapshotSource} (the per-thread blocks, summed) and the FDB's own counters when
 * a scrape asks for them.
 *
 * <p>Bounded cardinality: per-VNI series exist for the configured VNIs ({@link ForwardingTables#vnis()},
 * fixed at start), per-remote-VTEP series for the VTEPs in the remote VTEP table (of fixed capacity;
 * the data path interns a VTEP only for valid VXLAN of a configured VNI, and learned VTEPs age out),
 * and nothing else is labelled by what a packet carries. Remote VTEPs are registered lazily, by
 * {@link #bindNewSeries()}, which every {@link #scrape} calls first; it also removes the series of
 * VTEPs that aged out, and binds a VTEP that reuses an index to count from then on.
 *
 * <p>Thread-safe: scrapes may run concurrently with each other and with the data path.
 */
public final class VtepMetrics
{
    public static final String VNI_FDB_ENTRIES = "vtep.vni.fdb.entries";
    public static final String VNI_MAC_MOVES = "vtep.vni.mac.moves";
    public static final String VNI_MAC_LIMIT_HITS = "vtep.vni.mac.limit.hits";
    public static final String VNI_MAC_LIMIT = "vtep.vni.mac.limit";
    public static final String VNI_FLOOD_LIST_VTEPS = "vtep.vni.flood.list.vteps";
    public static final String VNI_MEMBERS = "vtep.vni.members";
    public static final String FDB_LEARN_QUEUE_DROPS = "vtep.fdb.learn.queue.drops";
    public static final String FDB_LEARN_QUEUE_DEPTH = "vtep.fdb.learn.queue.depth";
    public static final String REMOTE_VTEPS = "vtep.remote.vteps";
    public static final String REMOTE_VTEP_TABLE_CAPACITY = "vtep.remote.vtep.table.capacity";
    public static final String REMOTE_VTEP_TABLE_FULL = "vtep.remote.vtep.table.full";
    public static final String REMOTE_VTEPS_AGED = "vtep.remote.vteps.aged";
    public static final String FDB_ENTRIES = "vtep.fdb.entries";
    public static final String FDB_MAX_ENTRIES = "vtep.fdb.max.entries";
    public static final String FDB_MAX_ENTRIES_HITS = "vtep.fdb.max.entries.hits";
    public static final String VNI_MAC_MOVES_REFUSED = "vtep.vni.mac.moves.refused";
    public static final String BUILD_INFO = "vtep.build.info";
    public static final String PORT_WORKER_FAILURES = "vtep.port.worker.failures";
    public static final String UNDERLAY_FAILURES = "vtep.underlay.failures";
    public static final String PIPELINE_PACKETS = "vtep.pipeline.packets";
    public static final String UNDERLAY_GSO_DATAGRAMS = "vtep.underlay.gso.datagrams";
    public static final String UNDERLAY_GSO_SEGMENTS = "vtep.underlay.gso.segments";
    public static final String ORIGIN = "origin";

    // BGP EVPN hook: when the BGP speaker lands (its own issue), bind here, from its configured
    // neighbours (configured, hence bounded), one series per peer:
    //   vtep.bgp.peer.state{peer}                 gauge, the RFC 4271 §8.2.2 FSM state as a number
    //                                              (1 Idle .. 6 Established), documented with the metric
    //   vtep.bgp.peer.prefixes.received{peer}     gauge, EVPN routes accepted from the peer
    // Nothing is exported for BGP until then: no placeholder series.

    private final PrometheusMeterRegistry registry;
    private final JvmProcessMeters jvm;
    private final DataPathMeters dataPath;
    private final Fdb fdb;
    private final ForwardingTables tables;
    private final CounterSnapshotSource counters;
    /** VNIs of {@link ForwardingTables#vnis()} bound so far; guarded by {@code this}. */
    private int vnisBound;
    /** Per remote VTEP index, what it had counted when ageing removed its last VTEP; null before. */
    private final AtomicReferenceArray<double[]> vtepBaselines;
    private final Consumer<RemoteVtep> onVtepRemoved = this::onVtepRemoved;
    /** The suppliers of the counters {@link #counter} registered, held strongly (see there). */
    private final Map<Meter.Id, LongSupplier> suppliers = new ConcurrentHashMap<>();
    /** The VTEP whose series are bound at each index, or null; guarded by {@code this}. */
    private final RemoteVtep[] vtepsBound;

    private VtepMetrics(final PrometheusMeterRegistry registry, final Fdb fdb, final ForwardingTables tables,
        final CounterSnapshotSource counters)
    {
        this.registry = registry;
        this.fdb = fdb;
        this.tables = tables;
        this.counters = counters;
        this.jvm = new JvmProcessMeters();
        this.dataPath = new DataPathMeters(registry, counters);
        this.vtepsBound = new RemoteVtep[fdb.remoteVteps().capacity()];
        this.vtepBaselines = new AtomicReferenceArray<>(fdb.remoteVteps().capacity());
    }

    /**
     * Registers every vtep metric plus JVM and process metrics on a new PrometheusMeterRegistry.
     * Call once the VNIs are in {@code tables} (as {@code VtepAppliance.start} leaves them).
     */
    public static VtepMetrics create(final Fdb fdb, final ForwardingTables tables, final CounterSnapshotSource counters)
    {
        Objects.requireNonNull(fdb, "fdb");
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(counters, "counters");
        final VtepMetrics metrics = new VtepMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), fdb, tables,
            counters);
        metrics.registerFixed();
        fdb.remoteVteps().addRemovalListener(metrics.onVtepRemoved);
        metrics.bindNewSeries();
        return metrics;
    }

    /** The answer to one scrape. */
    public record Scrape(String contentType, String body)
    {
    }

    /**
     * Prometheus text format 0.0.4, or OpenMetrics 1.0 when the Accept header asks for
     * application/openmetrics-text (see {@link ExpositionFormat#negotiate}).
     */
    public Scrape scrape(final String acceptHeaderOrNull)
    {
        bindNewSeries();
        final ExpositionFormat format = ExpositionFormat.negotiate(acceptHeaderOrNull);
        return new Scrape(format.contentType(), registry.scrape(format.contentType()));
    }

    public MeterRegistry registry()
    {
        return registry;
    }

    /**
     * Registers the meters of VNIs and remote VTEPs that appeared since the last call; {@link #scrape}
     * calls it. Another exporter reading {@link #registry()} directly calls it before each read.
     */
    public synchronized void bindNewSeries()
    {
        final List<VniContext> vnis = tables.bySlot();
        final int vniLimit = Math.min(vnis.size(), counters.layout().vniSlots());
        for (; vnisBound < vniLimit; vnisBound++)
        {
            bindVni(vnis.get(vnisBound));
        }

        final RemoteVtepTable table = fdb.remoteVteps();
        // highWater() is published after the VTEP at each index below it, so byIndex never sees a hole.
        // An index is compared by identity: ageing may have removed its VTEP (drop the series) and a
        // new one may hold it now (series that count from now: the counters of an index are shared
        // by its successive VTEPs, see RemoteVtepTable).
        final int vtepLimit = Math.min(table.highWater(), counters.layout().vtepSlots());
        for (int index = 0; index < vtepLimit; index++)
        {
            final RemoteVtep current = table.byIndex(index);
            final RemoteVtep bound = vtepsBound[index];
            final boolean live = current != null && !current.isRemoved();
            if (bound != null && (bound != current || !live))
            {
                dataPath.unbindRemoteVtep(bound.address().toString());
                vtepsBound[index] = null;
            }
            if (live && vtepsBound[index] == null)
            {
                dataPath.bindRemoteVtep(index, current.address().toString(), vtepBaselines.get(index));
                vtepsBound[index] = current;
            }
        }
    }

    /**
     * On the FDB writer, when ageing removes a learned VTEP: note what its index has counted, before
     * the index can be reused (RemoteVtepTable quarantines it), so the next holder counts from there.
     */
    private void onVtepRemoved(final RemoteVtep vtep)
    {
        vtepBaselines.set(vtep.index(), dataPath.remoteVtepCounts(vtep.index()));
    }

    /**
     * The errors an access port's thread caught and survived, read when scraped.
     *
     * @param port     the port's name (the {@code port} label).
     * @param failures reads the count.
     */
    public void bindPortWorkerFailures(final String port, final LongSupplier failures)
    {
        counter(PORT_WORKER_FAILURES, "Unexpected errors a port thread caught and survived (each is logged, at most every 10 s)",
            Tags.of("port", port), failures);
    }

    /** The series of {@link #bindPortWorkerFailures} go with their port (a reload removed it). */
    public void unbindPortWorkerFailures(final String port)
    {
        registry.find(PORT_WORKER_FAILURES).tag("port", port).meters().forEach(meter ->
        {
            registry.remove(meter);
            suppliers.remove(meter.getId());
        });
    }

    /**
     * Unexpected errors the forwarding pipelines caught while serving the underlay sockets: the
     * counterpart of {@link #bindPortWorkerFailures} for the underlay, which is no access port.
     */
    public void bindUnderlayFailures(final LongSupplier failures)
    {
        counter(UNDERLAY_FAILURES,
            "Unexpected errors the forwarding pipelines caught on the underlay and survived, a datagram or a batch lost (each is logged, at most every 10 s)",
            Tags.empty(), failures);
    }

    /** Frames and datagrams one forwarding pipeline took from its sockets, to see how flows spread over cores. */
    public void bindPipelinePackets(final String pipeline, final LongSupplier packets)
    {
        counter(PIPELINE_PACKETS, "Frames (access ports) and VXLAN datagrams (underlay) a forwarding pipeline received",
            Tags.of("pipeline", pipeline), packets);
    }

    /**
     * UDP GSO on the underlay ({@code dataplane.underlay-gso}): datagrams sent, and the VXLAN packets
     * they carried; their ratio is how many segments one system call sent.
     */
    public void bindUnderlayGso(final LongSupplier datagrams, final LongSupplier segments)
    {
        counter(UNDERLAY_GSO_DATAGRAMS, "UDP GSO datagrams sent to the underlay, each carrying the VXLAN packets of a super-frame's segments",
            Tags.empty(), datagrams);
        counter(UNDERLAY_GSO_SEGMENTS, "VXLAN packets sent inside UDP GSO datagrams (also counted in the per-VNI and per-VTEP tx counters)",
            Tags.empty(), segments);
    }

    /**
     * A counter that reads {@code value} at each scrape. Micrometer holds a function counter's
     * object weakly, and a supplier made for the binding (a lambda, a method reference) is held by
     * nothing else: once collected, the counter would show its last value for good. So the
     * supplier is kept here, for as long as its counter is registered.
     */
    private void counter(final String name, final String description, final Tags tags, final LongSupplier value)
    {
        final FunctionCounter counter = FunctionCounter.builder(name, value, LongSupplier::getAsLong)
            .description(description).tags(tags).register(registry);
        // putIfAbsent: a counter registered twice is Micrometer's first one, which reads the first supplier.
        suppliers.putIfAbsent(counter.getId(), value);
    }

    /** Stops the JVM binders' listeners and closes the registry; later scrapes return no samples. */
    public void close()
    {
        fdb.remoteVteps().removeRemovalListener(onVtepRemoved);
        jvm.close();
        registry.close();
    }

    private void registerFixed()
    {
        // First: it installs a meter filter, which must precede every registration.
        jvm.bindTo(registry);

        dataPath.bindGlobalDrops();

        Gauge.builder(REMOTE_VTEPS, fdb.remoteVteps(), RemoteVtepTable::size)
            .description("Remote VTEPs known (configured, learned from VXLAN for a configured VNI, or from EVPN); " +
                "learned ones leave once no FDB entry points at them and they sent nothing for the ageing time")
            .strongReference(true)
            .register(registry);
        Gauge.builder(REMOTE_VTEP_TABLE_CAPACITY, fdb.remoteVteps(), RemoteVtepTable::capacity)
            .description("Most remote VTEPs the table holds; a new VTEP beyond it is neither learned from nor counted")
            .strongReference(true)
            .register(registry);
        FunctionCounter.builder(REMOTE_VTEP_TABLE_FULL, fdb.remoteVteps(), RemoteVtepTable::fullRefusals)
            .description("New remote VTEPs refused because the remote VTEP table was full (their frames are " +
                "delivered in data-plane VNIs without learning)")
            .register(registry);
        FunctionCounter.builder(REMOTE_VTEPS_AGED, fdb.remoteVteps(), RemoteVtepTable::aged)
            .description("Learned remote VTEPs removed because no FDB entry pointed at them and they sent nothing " +
                "for the ageing time")
            .register(registry);
        Gauge.builder(FDB_ENTRIES, fdb, Fdb::entries)
            .description("FDB entries of every origin in all VNIs")
            .strongReference(true)
            .register(registry);
        Gauge.builder(FDB_MAX_ENTRIES, fdb, Fdb::maxEntries)
            .description("Most FDB entries in all VNIs together (fdb.max-entries; default sized from the heap)")
            .strongReference(true)
            .register(registry);
        FunctionCounter.builder(FDB_MAX_ENTRIES_HITS, fdb, Fdb::maxEntriesHits)
            .description("New MACs (learned or EVPN) not installed because the FDB was at fdb.max-entries")
            .register(registry);
        FunctionCounter.builder(FDB_LEARN_QUEUE_DROPS, this, VtepMetrics::learnQueueDrops)
            .description("Learn events lost because the FDB learn queue was full (the next packet from the MAC " +
                "tries again)")
            .register(registry);
        Gauge.builder(FDB_LEARN_QUEUE_DEPTH, fdb, Fdb::learnQueueDepth)
            .description("Learn events waiting for the FDB writer")
            .strongReference(true)
            .register(registry);
        Gauge.builder(BUILD_INFO, () -> 1)
            .description("vtep build; always 1")
            .tags("version", version())
            .strongReference(true)
            .register(registry);
    }

    private void bindVni(final VniContext vni)
    {
        dataPath.bindVni(vni.slot(), vni.vni());
        final VniFdb vniFdb = vni.fdb();
        final String label = Integer.toString(vni.vni());
        for (final Origin origin : Origin.values())
        {
            Gauge.builder(VNI_FDB_ENTRIES, vniFdb, f -> f.entries(origin))
                .description("FDB entries of a VNI, by origin (local, remote: learned; static: configured; evpn: " +
                    "BGP EVPN)")
                .tags(Tags.of(DataPathMeters.VNI, label, ORIGIN, origin.label()))
                .strongReference(true)
                .register(registry);
        }
        FunctionCounter.builder(VNI_MAC_MOVES, vniFdb, VniFdb::macMoves)
            .description("Times a known MAC of a VNI changed destination (port, VLAN or remote VTEP)")
            .tags(DataPathMeters.VNI, label)
            .register(registry);
        FunctionCounter.builder(VNI_MAC_LIMIT_HITS, vniFdb, VniFdb::macLimitHits)
            .description("New MACs of a VNI not learned because it was at its MAC limit")
            .tags(DataPathMeters.VNI, label)
            .register(registry);
        FunctionCounter.builder(VNI_MAC_MOVES_REFUSED, vniFdb, VniFdb::localMovesRefused)
            .description("Moves of a MAC learned on a local port to a remote VTEP refused because its host spoke " +
                "within fdb.local-move-hold-seconds")
            .tags(DataPathMeters.VNI, label)
            .register(registry);
        Gauge.builder(VNI_MAC_LIMIT, vniFdb, VniFdb::macLimit)
            .description("Most learned (local + remote) FDB entries of a VNI; 0 means no limit")
            .tags(DataPathMeters.VNI, label)
            .strongReference(true)
            .register(registry);
        Gauge.builder(VNI_FLOOD_LIST_VTEPS, vniFdb, f -> f.floodList().length)
            .description("Remote VTEPs in a VNI's head-end replication (flood) list")
            .tags(DataPathMeters.VNI, label)
            .strongReference(true)
            .register(registry);
        // Source checks (accept-from): who the VNI takes VXLAN from. A VTEP may count under both.
        final VniMembers members = vni.memberVteps();
        for (final String source : List.of("control", "group"))
        {
            Gauge.builder(VNI_MEMBERS, members, m -> "group".equals(source) ? m.groupMembers() : m.controlMembers())
                .description("Remote VTEPs that belong to a VNI, by source (control: flood list, static and EVPN " +
                    "entries; group: learned because they sent to the VNI's multicast group)")
                .tags(Tags.of(DataPathMeters.VNI, label, "source", source))
                .strongReference(true)
                .register(registry);
        }
    }

    private double learnQueueDrops()
    {
        long total = 0;
        for (final int vni : fdb.vnis())
        {
            final VniFdb vniFdb = fdb.vni(vni);
            if (vniFdb != null)
            {
                total += vniFdb.learnQueueDrops();
            }
        }
        return total;
    }

    private static String version()
    {
        final String version = VtepMetrics.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
