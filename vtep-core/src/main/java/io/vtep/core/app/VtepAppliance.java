package io.vtep.core.app;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingIdleStrategy;

import io.vtep.core.api.ApiMeters;
import io.vtep.core.api.ApiResponse;
import io.vtep.core.api.ApiRouter;
import io.vtep.core.api.ApiServer;
import io.vtep.core.api.ApiToken;
import io.vtep.core.api.BgpDocuments;
import io.vtep.core.api.CaptureEndpoint;
import io.vtep.core.api.ChangeRoutes;
import io.vtep.core.api.ReloadOutcome;
import io.vtep.core.api.ReloadService;
import io.vtep.core.api.RuntimeFdbEntries;
import io.vtep.core.capture.CaptureMeters;
import io.vtep.core.capture.CaptureRegistry;
import io.vtep.core.config.AcceptFrom;
import io.vtep.core.config.ConfigException;
import io.vtep.core.config.DataplaneConfig;
import io.vtep.core.config.FdbConfig;
import io.vtep.core.config.PortConfig;
import io.vtep.core.config.StormControlConfig;
import io.vtep.core.config.VniConfig;
import io.vtep.core.config.VtepConfig;
import io.vtep.core.health.HealthMeters;
import io.vtep.core.health.Heartbeat;
import io.vtep.core.health.HeartbeatAgent;
import io.vtep.core.health.ThreadHealth;
import io.vtep.core.lacp.LacpAgent;
import io.vtep.core.lacp.LacpMeters;
import io.vtep.core.log.MacMoveLog;
import io.vtep.core.metrics.BgpMeters;
import io.vtep.core.metrics.SegmentMeters;
import io.vtep.core.metrics.VtepMetrics;
import io.vtep.core.nativeio.CpuAffinity;
import io.vtep.core.nativeio.CpuMap;
import io.vtep.core.nativeio.ErrnoException;
import io.vtep.core.nativeio.Libc;
import io.vtep.core.nativeio.SocketFilters;
import io.vtep.core.netlink.LinkEventSocket;
import io.vtep.core.netlink.LinkWatcher;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.DataPlane;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.NeighborBindings;
import io.vtep.core.pipeline.NeighborQueue;
import io.vtep.core.pipeline.NeighborTable;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.pipeline.StormControl;
import io.vtep.core.pipeline.VniContext;
import io.vtep.core.port.AccessPort;
import io.vtep.core.port.AccessPorts;
import io.vtep.core.port.AfPacketPort;
import io.vtep.core.port.FanoutSteering;
import io.vtep.core.port.PortLink;
import io.vtep.core.underlay.UdpGsoTransmitter;
import io.vtep.core.underlay.UnderlayReceiver;
import io.vtep.core.underlay.UnderlayTransmitter;
import io.vtep.core.underlay.UnderlayTransmitters;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;

/**
 * The running appliance: builds the FDB and forwarding tables from a validated configuration,
 * opens the access ports and the underlay, and starts the threads. {@link #close()} stops
 * everything in reverse order.
 *
 * <p>All sockets are opened by the thread that calls {@link #start}, so they live in that thread's
 * network namespace (tests start an in-process VTEP from a thread that entered a test namespace).
 * That includes the HTTP API listener ({@code api.listen}), opened once the forwarding tables are
 * complete and before the port threads start; {@code /readyz} answers 200 once they run.
 */
public final class VtepAppliance implements AutoCloseable, ReloadService
{
    private static final System.Logger LOG = System.getLogger(VtepAppliance.class.getName());
    /** Remote VTEPs that get their own counters and FDB index; bounded so a spoofing flood cannot grow memory. */
    static final int REMOTE_VTEP_CAPACITY = FdbSettings.DEFAULT_REMOTE_VTEP_CAPACITY;
    /** IPs seen in ARP/ND on access ports waiting for the EVPN control plane (MAC+IP routes). */
    static final int NEIGHBOR_QUEUE_CAPACITY = 4096;
    /** Counter rows for VNIs a reload adds beyond those at start (a row is ~200 bytes per pipeline). */
    static final int SPARE_VNI_SLOTS = 256;
    /**
     * Most IP bindings a VNI's ARP/ND suppression table holds (RFC 7432 §10); its memory grows with
     * what it holds (64 bytes a slot, at most twice this many slots).
     */
    static final int NEIGHBOR_TABLE_ENTRIES = 65_536;

    private final VtepConfig config;
    /** The configuration file, for reloads; null when started from a configuration in memory. */
    private final Path configFile;
    private LiveReload reloader;
    private final Fdb fdb;
    private final DataPlane dataPlane;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<PipelineWorker> pipelines = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    /** The runners of the forwarding agents (pipelines, pcap ports), closed first on stop. */
    private final List<AgentRunner> runners = new ArrayList<>();
    /** What each forwarding thread serves, for /readyz when one has stopped. */
    private volatile List<String> runningRoles = List.of();
    /** The port threads once all are started, for {@code /readyz} on the API thread. */
    private volatile List<Thread> runningPorts = List.of();
    /** Heartbeats of every thread that forwards, learns or speaks BGP (docs/architecture.md §3.4). */
    private final ThreadHealth health = ThreadHealth.system();
    /** Each access port's interface, followed by name (docs/architecture.md §3.5). */
    private final CopyOnWriteArrayList<PortLink> links = new CopyOnWriteArrayList<>();
    /** Access ports added and removed by reloads (docs/architecture.md §3.6). */
    private LivePorts livePorts;
    /** How access ports' fanout groups pick a pipeline: set when the pipelines open, used again for ports added live. */
    private FanoutSteering fanoutSteering = FanoutSteering.byFlow();
    private LinkWatcher linkWatcher;
    private volatile boolean underlayBound;
    private volatile boolean stopping;
    private VtepMetrics metrics;
    /** Null when no port runs LACP. */
    private LacpWiring lacp;
    /** Null when UDP GSO is off or unsupported. */
    private UdpGsoTransmitter underlayGso;
    private ApiServer apiServer;
    /** FDB and flood-list entries added through the API; a reload keeps them only when the file has them. */
    private final RuntimeFdbEntries runtimeFdb = new RuntimeFdbEntries();
    /** Null without a bgp section. */
    private BgpEvpnWiring bgp;

    private VtepAppliance(final VtepConfig config, final Path configFile, final Fdb fdb, final DataPlane dataPlane)
    {
        this.config = config;
        this.configFile = configFile;
        this.fdb = fdb;
        this.dataPlane = dataPlane;
    }

    /**
     * Starts the appliance. Problems with the environment that a configuration names (an interface
     * that does not exist, a local address that is not this host's) are reported as
     * {@link ConfigException}s before anything is opened.
     */
    public static VtepAppliance start(final VtepConfig config) throws ConfigException, IOException
    {
        return start(config, null);
    }

    /**
     * Starts the appliance from a configuration read from {@code configFile}, which {@link #reload()}
     * reads again.
     */
    public static VtepAppliance start(final VtepConfig config, final Path configFile) throws ConfigException, IOException
    {
        checkEnvironment(config);

        FdbSettings fdbSettings = FdbSettings.defaults()
            .withAgeingSeconds(config.fdb().ageingSeconds())
            .withRemoteVtepCapacity(REMOTE_VTEP_CAPACITY)
            .withLocalMoveHoldSeconds(config.fdb().localMoveHoldSeconds());
        if (config.fdb().maxEntries() != 0)
        {
            fdbSettings = fdbSettings.withMaxEntries(config.fdb().maxEntries());
        }
        final Fdb fdb = new Fdb(fdbSettings);
        final ForwardingTables tables = new ForwardingTables(fdb);
        fdb.addListener(new MacMoveLog(tables));
        for (final VniConfig vni : config.vnis())
        {
            fdb.addVni(vni.vni(), vni.learning(), vni.macLimit(), vni.multicastGroup());
            final VniContext context = tables.addVni(vni.vni());
            context.membersOnly(vni.acceptFrom() == AcceptFrom.MEMBERS);
            context.stormControl(stormControl(vni.stormControl(), fdb));
            if (vni.arpSuppression())
            {
                context.neighbors(new NeighborTable(NEIGHBOR_TABLE_ENTRIES));
            }
            final List<RemoteVtep> flood = new ArrayList<>();
            for (final VtepAddress remote : vni.flood())
            {
                flood.add(fdb.remoteVteps().intern(remote));
            }
            fdb.setFloodList(vni.vni(), flood.toArray(RemoteVtep[]::new));
        }
        for (final FdbConfig.StaticEntry entry : config.fdb().staticEntries())
        {
            fdb.addStatic(entry.vni(), entry.mac(), fdb.remoteVteps().intern(entry.remote()));
        }

        final UnderlayTransmitter transmitter = UnderlayTransmitters.open(config.vtep().localIp(), config.vtep().ttl());
        final DataPlane dataPlane = new DataPlane(tables,
            new CounterSnapshotSource(new CounterLayout(config.vnis().size() + SPARE_VNI_SLOTS, REMOTE_VTEP_CAPACITY)),
            config.vtep().localIp(), config.vtep().udpPort(), config.vtep().ttl(), config.vtep().sourcePorts(),
            config.vtep().underlayMtu(), transmitter);
        if (config.bgp() != null)
        {
            // Before the access pipelines exist: each takes the queue when it is made.
            dataPlane.neighborQueue(new NeighborQueue(NEIGHBOR_QUEUE_CAPACITY));
        }
        final UdpGsoTransmitter gso = openUnderlayGso(config);
        dataPlane.segmentTransmitter(gso);
        dataPlane.coalesceTcp(config.dataplane().coalesceTcp());
        final VtepAppliance appliance = new VtepAppliance(config, configFile, fdb, dataPlane);
        appliance.resources.add(transmitter);
        if (gso != null)
        {
            appliance.resources.add(gso);
            appliance.underlayGso = gso;
        }
        try
        {
            appliance.openAndRun();
        }
        catch (final ConfigException | IOException | RuntimeException ex)
        {
            appliance.close();
            throw ex;
        }
        return appliance;
    }

    /** Buckets on the FDB's clock, which the pipelines read once per batch. */
    static StormControl stormControl(final StormControlConfig config, final Fdb fdb)
    {
        return config.isOff() ? null : new StormControl(config.broadcast(), config.multicast(), config.unknownUnicast(),
            config.burst(), fdb.clock().nanoTime());
    }

    /**
     * Checks in the calling thread's network namespace (hence no {@code NetworkInterface}, which
     * lists only interfaces with addresses and reads /proc as the process's main thread).
     */
    private static void checkEnvironment(final VtepConfig config) throws ConfigException
    {
        for (int i = 0; i < config.ports().size(); i++)
        {
            final String name = config.ports().get(i).name();
            try
            {
                Libc.ifNameToIndex(name);
            }
            catch (final ErrnoException ex)
            {
                throw new ConfigException("ports[" + i + "].name", "no interface named " + name + " on this host");
            }
        }
        // Binding a UDP socket to the address is how the kernel itself answers "is this address mine?".
        try (DatagramSocket probe = new DatagramSocket(null))
        {
            probe.bind(new InetSocketAddress(config.vtep().localIp().toInetAddress(), 0));
        }
        catch (final IOException ex)
        {
            throw new ConfigException("vtep.local-ip", config.vtep().localIp() + " is not an address of this host (" +
                ex.getMessage() + ")");
        }
        // The API's token file and TLS files, so that a token others can read or a bad key stops
        // vtep here, before anything is opened (they are read again when the API starts).
        if (config.api().tokenFileOrNull() != null)
        {
            ApiToken.load(config.api().tokenFileOrNull());
        }
        ApiServer.checkTls(config.api());
    }

    private void openAndRun() throws ConfigException, IOException
    {
        final ForwardingTables tables = dataPlane.tables();
        final List<PortContext> ports = new ArrayList<>();
        for (final PortConfig portConfig : config.ports())
        {
            final AccessPort port = AccessPorts.open(portConfig.name(), portConfig.driver(), config.dataplane().accessRing());
            resources.add(port);
            final PortLink link = new PortLink(portConfig.name(), port instanceof AfPacketPort afPacket ?
                afPacket.interfaceIndex() : interfaceIndexOrZero(portConfig.name()));
            links.add(link);
            final PortContext context = tables.addPort(port);
            context.stormControl(stormControl(portConfig.stormControl(), fdb));
            ports.add(context);
            portConfig.vlans().forEach((vlan, vni) -> tables.attach(context, vlan == PortConfig.UNTAGGED ? Attachment.UNTAGGED : vlan, tables.vni(
                vni)));
            context.link(link);
        }

        // Before the pipelines: a LACP port starts closed (docs/architecture.md §12).
        lacp = LacpWiring.start(config, ports, fdb.clock(), health);
        if (lacp != null)
        {
            resources.add(lacp);
        }

        Libc.prepareDataPathCalls(); // before any forwarding thread makes a native call (Libc says why)
        final List<PipelineWorker> pipelineWorkers = openPipelines(ports);
        underlayBound = true;
        livePorts = new LivePorts(dataPlane, fdb, pipelineWorkers, fanoutSteering, config.dataplane().accessRing(), health, links,
            ports.size() + LivePorts.SPARE_PORT_SLOTS);
        resources.add(livePorts);
        if (lacp != null)
        {
            livePorts.onPortStopping(lacp::stopPort); // a removed port's last LACPDU (docs/architecture.md §12)
        }

        final Heartbeat conductorBeat = health.register(fdb.conductor().roleName());
        final AgentRunner conductor = new AgentRunner(new SleepingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(100)),
            health.agentErrorHandler(conductorBeat), null, new HeartbeatAgent(fdb.conductor(), conductorBeat));
        AgentRunner.startOnThread(conductor);
        resources.add(conductor);

        if (config.bgp() != null)
        {
            // After the conductor (EVPN entries go through the FDB writer's lock, and local MACs
            // reach the RIB as the conductor learns them); closed before it.
            final NeighborBindings bindings = new NeighborBindings(dataPlane.tables());
            fdb.addListener(bindings); // a local binding leaves with its MAC
            bgp = BgpEvpnWiring.start(config, fdb, dataPlane.neighborQueue(), bindings, tables);
            resources.add(bgp);
            bgp.watch(health);
            SegmentWiring.follow(config, links, lacp, bgp.evpn());
        }

        reloader = new LiveReload(configFile, config,
            new ChangeApplier(fdb, tables, dataPlane.counters().layout().vniSlots(), bgp, peerSeries()).ports(livePorts));

        // Opened here, in the starting thread's namespace, like every socket (§3.1).
        final LinkEventSocket linkEvents = LinkEventSocket.open();
        resources.add(linkEvents);
        linkWatcher = new LinkWatcher(linkEvents, links, health.register("vtep-link-watcher"));
        linkWatcher.checkLinks();

        startApi();
        livePorts.running(metrics, linkWatcher, new LivePorts.Readiness()
        {
            @Override
            public void running(final Thread thread, final String role)
            {
                VtepAppliance.this.running(thread, role, true);
            }

            @Override
            public void stopped(final Thread thread)
            {
                VtepAppliance.this.running(thread, null, false);
            }
        });

        final List<String> roles = new ArrayList<>();
        for (final PipelineWorker pipeline : pipelineWorkers)
        {
            final AgentRunner runner = health.runner(pipeline.heartbeat(), pipeline, pipeline.idleStrategy());
            runners.add(runner);
            final Thread thread = new Thread(health.watch(pipeline.heartbeat(), runner), "vtep-" + pipeline.name());
            thread.setDaemon(true);
            pipelines.add(pipeline);
            threads.add(thread);
            roles.add(pipeline.name());
            metrics.bindPipelinePackets(pipeline.name().substring("pipeline-".length()), pipeline::packets);
        }
        metrics.bindUnderlayFailures(() -> pipelineWorkers.stream().mapToLong(PipelineWorker::underlayFailures).sum());
        for (final PortContext port : ports)
        {
            final List<LongSupplier> failures = new ArrayList<>();
            for (final PipelineWorker pipeline : pipelineWorkers)
            {
                pipeline.lanes().stream().filter(lane -> lane.portName().equals(port.port().name()))
                    .forEach(lane -> failures.add(lane::failures));
            }
            if (port.port().receiveFd() < 0)
            {
                // A driver a pipeline cannot poll (pcap) keeps a receive thread of its own.
                final LivePorts.PortThread portThread = livePorts.portThread(port, link(port.port().name()));
                runners.add(portThread.runner());
                threads.add(portThread.thread());
                roles.add("access port " + port.port().name());
            }
            else
            {
                metrics.bindPortWorkerFailures(port.port().name(),
                    () -> failures.stream().mapToLong(LongSupplier::getAsLong).sum());
            }
        }
        final Thread watcherThread = new Thread(health.watch(linkWatcher.heartbeat(), linkWatcher), "vtep-link-watcher");
        watcherThread.setDaemon(true);
        threads.add(watcherThread);
        roles.add("link watcher");
        HealthMeters.bind(metrics.registry(), health, links);
        threads.forEach(Thread::start);
        runningRoles = List.copyOf(roles);
        runningPorts = List.copyOf(threads);
        LOG.log(System.Logger.Level.INFO, "vtep started: local-ip {0} udp-port {1}, {2} port(s), {3} VNI(s)",
            // Numbers as text: MessageFormat would print the port as "4,789".
            config.vtep().localIp(), String.valueOf(config.vtep().udpPort()), config.ports().size(), config.vnis().size());
    }

    /**
     * The UDP GSO transmitter for super-frame segments ({@code dataplane.underlay-gso}), or null when
     * switched off or the kernel lacks {@code UDP_SEGMENT}: then every segment is a packet of its own,
     * which works everywhere, only at a higher cost per byte.
     */
    private static UdpGsoTransmitter openUnderlayGso(final VtepConfig config)
    {
        if (!config.dataplane().underlayGso())
        {
            return null;
        }
        try
        {
            return UdpGsoTransmitter.open(config.vtep().localIp(), config.vtep().udpPort(), config.vtep().ttl());
        }
        catch (final IOException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "UDP GSO unavailable, super-frame segments go one packet each: {0}",
                ex.getMessage());
            return null;
        }
    }

    /**
     * The forwarding pipelines ({@code dataplane.pipelines}): each gets a receive socket on every
     * af-packet port (the port opened first, whose send sockets every thread uses, and with more
     * than one pipeline a {@code PACKET_FANOUT} member per further pipeline) and an underlay socket
     * ({@code SO_REUSEPORT} group with more than one). With multicast groups only the first pipeline
     * serves the underlay: every socket of a group would get its own copy of a multicast datagram.
     */
    private List<PipelineWorker> openPipelines(final List<PortContext> ports) throws IOException
    {
        final int count = config.dataplane().pipelines();
        final List<VtepAddress> groups = config.vnis().stream()
            .map(VniConfig::multicastGroup).filter(java.util.Objects::nonNull).distinct().toList();
        final VtepAddress local = config.vtep().localIp();
        final int udpPort = config.vtep().udpPort();
        final boolean sharedUnderlay = count > 1 && groups.isEmpty();
        if (sharedUnderlay)
        {
            UnderlayReceiver.checkPortFree(local, udpPort, false);
        }
        final int[] fanoutGroups = new int[ports.size()];
        final boolean pin = config.dataplane().pinCpus() && count > 1;
        final int[] allowed = pin ? CpuAffinity.allowedCpus() : null;
        final int[] cpus = pin ? pipelineCpus(count, allowed) : null;
        final CpuMap cpuMap = cpus == null ? null : CpuMap.pinned(allowed, count);
        fanoutSteering = accessSteering(cpuMap);
        final List<UnderlayReceiver> underlaySockets = new ArrayList<>();
        final List<PipelineWorker> result = new ArrayList<>();
        for (int p = 0; p < count; p++)
        {
            final List<PipelineWorker.Lane> lanes = new ArrayList<>();
            for (int i = 0; i < ports.size(); i++)
            {
                final PortContext port = ports.get(i);
                if (!(port.port() instanceof AfPacketPort primary))
                {
                    continue;
                }
                AfPacketPort receiver = primary;
                PortFollower.Role role = PortFollower.Role.ALONE;
                if (count > 1 && p == 0)
                {
                    primary.steering(fanoutSteering);
                    fanoutGroups[i] = primary.startFanout();
                    role = PortFollower.Role.FANOUT_PRIMARY;
                }
                else if (p > 0)
                {
                    receiver = AfPacketPort.open(primary.name(), config.dataplane().accessRing());
                    resources.add(receiver);
                    receiver.steering(fanoutSteering);
                    receiver.joinFanout(fanoutGroups[i]);
                    role = PortFollower.Role.FANOUT_MEMBER;
                }
                lanes.add(new PipelineWorker.Lane(receiver, dataPlane.accessPipeline(port), link(primary.name()), role));
            }
            UnderlayReceiver underlay = null;
            if (p == 0 || sharedUnderlay)
            {
                underlay = UnderlayReceiver.openServed(local, udpPort, groups, dataPlane.overlayPipeline(), sharedUnderlay);
                resources.add(underlay);
                underlaySockets.add(underlay);
            }
            result.add(new PipelineWorker("pipeline-" + p, lanes, lanes.size() + LivePorts.SPARE_PORT_SLOTS, underlay, fdb.clock(),
                config.dataplane().busyPoll(), TimeUnit.MICROSECONDS.toNanos(config.dataplane().spinMicros()),
                health.register("vtep-pipeline-" + p), cpus == null ? PipelineWorker.NOT_PINNED : cpus[p]));
        }
        result.forEach(pipeline -> pipeline.peers(result));
        if (cpus != null && sharedUnderlay)
        {
            // Socket p of the group is pipeline p's (they joined in that order above).
            SocketFilters.attachReuseportCpuSteering(underlaySockets.getFirst().fd(), cpuMap, "the underlay sockets");
        }
        return result;
    }

    /** How access ports' fanout groups steer ({@code dataplane.access-steering}); by flow unless pinned. */
    private FanoutSteering accessSteering(final CpuMap cpuMap)
    {
        return cpuMap != null && config.dataplane().accessSteering() == DataplaneConfig.AccessSteering.CPU ? FanoutSteering.byCpu(cpuMap) :
            FanoutSteering.byFlow();
    }

    /**
     * With {@code dataplane.pin-cpus} and 2+ pipelines (a single one has nothing to steer between):
     * the CPU each pipeline is pinned to, the p-th of the {@code allowed} ones, or null (not pinned)
     * when there are more pipelines than allowed CPUs.
     */
    private int[] pipelineCpus(final int count, final int[] allowed)
    {
        if (allowed.length < count)
        {
            LOG.log(System.Logger.Level.INFO, "dataplane: {0} pipelines on {1} allowed CPUs: not pinned",
                String.valueOf(count), String.valueOf(allowed.length));
            return null;
        }
        final int[] cpus = java.util.Arrays.copyOf(allowed, count);
        LOG.log(System.Logger.Level.INFO, "dataplane: pipelines pinned to CPUs {0}", java.util.Arrays.toString(cpus));
        return cpus;
    }

    /**
     * Metrics ({@code VtepMetrics}) and the HTTP API: bound in this (the starting) thread's
     * namespace; the API's thread is its own, never a data-path thread.
     */
    private void startApi() throws ConfigException, IOException
    {
        final VtepMetrics vtepMetrics = VtepMetrics.create(fdb, dataPlane.tables(), dataPlane.counters());
        metrics = vtepMetrics;
        resources.add(vtepMetrics::close);
        if (underlayGso != null)
        {
            vtepMetrics.bindUnderlayGso(underlayGso::datagrams, underlayGso::segments);
        }
        if (lacp != null)
        {
            LacpMeters.bind(vtepMetrics.registry(), lacp.agent().ports());
        }
        BgpDocuments bgpDocuments = null;
        if (bgp != null)
        {
            BgpMeters.bind(vtepMetrics.registry(), bgp.speaker().peers(), bgp.evpn());
            SegmentMeters.bind(vtepMetrics.registry(), bgp.evpn());
            bgpDocuments = new BgpDocuments(() -> config().bgp(), bgp.speaker(), bgp.evpn());
        }
        final ApiToken apiToken = config.api().tokenFileOrNull() == null ? null : ApiToken.load(config.api().tokenFileOrNull());
        final ApiRouter router = new ApiRouter(fdb, dataPlane.tables(), dataPlane.counters(),
            accept ->
            {
                final VtepMetrics.Scrape scrape = vtepMetrics.scrape(accept);
                return ApiResponse.of(200, scrape.contentType(), scrape.body());
            },
            this::notReadyReason, version(), bgpDocuments, new ChangeRoutes(apiToken, fdb, runtimeFdb, config.vtep().localIp(), this)
                .duplicates(bgp == null ? null : bgp.evpn()::clearDuplicate));
        final CaptureRegistry captures = new CaptureRegistry(dataPlane.tables());
        CaptureMeters.bind(vtepMetrics.registry(), captures);
        router.capture(new CaptureEndpoint(captures, apiToken));
        apiServer = ApiServer.start(config.api(), router);
        resources.add(apiServer);
        ApiMeters.bind(vtepMetrics.registry(), apiServer.stats());
    }

    /** A BGP neighbor's series follow reloads (bound once the metrics exist, which is before any reload). */
    private ChangeApplier.PeerSeries peerSeries()
    {
        return bgp == null ? ChangeApplier.PeerSeries.NONE : new ChangeApplier.PeerSeries()
        {
            @Override
            public void added(final io.vtep.evpn.session.BgpPeer peer)
            {
                BgpMeters.bindPeer(metrics.registry(), peer, bgp.evpn());
            }

            @Override
            public void removed(final java.net.InetAddress address)
            {
                BgpMeters.unbindPeer(metrics.registry(), address);
            }
        };
    }

    /** A thread {@code /readyz} watches came ({@code running}) or went with its access port (a reload). */
    private synchronized void running(final Thread thread, final String role, final boolean running)
    {
        final List<Thread> nextThreads = new ArrayList<>(runningPorts);
        final List<String> nextRoles = new ArrayList<>(runningRoles);
        if (running)
        {
            nextThreads.add(thread);
            nextRoles.add(role);
        }
        else
        {
            final int index = nextThreads.indexOf(thread);
            if (index >= 0)
            {
                nextThreads.remove(index);
                nextRoles.remove(index);
            }
        }
        // Threads first: readiness reads threads, then roles by index, so a reader between the two
        // writes never indexes past the roles (an added thread is alive; a removed one is gone).
        runningPorts = List.copyOf(nextThreads);
        runningRoles = List.copyOf(nextRoles);
    }

    /** For {@code GET /readyz}: null when the access ports are open and served and the underlay is bound. */
    String notReadyReason()
    {
        if (stopping)
        {
            return "stopping";
        }
        if (!underlayBound)
        {
            return "starting: the underlay socket is not bound yet";
        }
        if (bgp != null && bgp.evpn().failure() != null)
        {
            return bgp.evpn().failure();
        }
        final String threads = health.notReadyReason();
        if (threads != null)
        {
            return threads;
        }
        final List<Thread> running = runningPorts;
        final List<String> roles = runningRoles;
        if (running.isEmpty())
        {
            return "starting: access ports are not all open yet";
        }
        for (int i = 0; i < running.size(); i++)
        {
            if (!running.get(i).isAlive())
            {
                return roles.get(i) + " is not running";
            }
        }
        for (final PortLink link : links)
        {
            if (!link.forwarding())
            {
                return switch (link.state())
                {
                    case ABSENT -> "access port " + link.name() + " is absent (no interface of that name)";
                    case DOWN -> "access port " + link.name() + " is down (ifindex " + link.interfaceIndex() + ")";
                    case UP -> "access port " + link.name() + " is being re-opened (ifindex " + link.interfaceIndex() + ")";
                };
            }
        }
        return null;
    }

    private PortLink link(final String name)
    {
        return links.stream().filter(link -> link.name().equals(name)).findFirst().orElseThrow();
    }

    static int interfaceIndexOrZero(final String name)
    {
        try
        {
            return Libc.ifNameToIndex(name);
        }
        catch (final ErrnoException ex)
        {
            return 0;
        }
    }

    /** Each access port's interface as last seen (state, index, re-opens), for the API and tests. */
    public List<PortLink> portLinks()
    {
        return List.copyOf(links);
    }

    /** The threads' heartbeats and deaths. */
    public ThreadHealth health()
    {
        return health;
    }

    private static String version()
    {
        return Objects.requireNonNullElse(VtepAppliance.class.getPackage().getImplementationVersion(), "dev");
    }

    /** The configuration in force: the one it started with and every reload applied since. */
    public VtepConfig config()
    {
        final LiveReload live = reloader;
        return live == null ? config : live.running();
    }

    /**
     * Reads the configuration file again and applies what changed (docs/architecture.md, "Live
     * reload"); for SIGHUP, {@code POST /api/v1/reload} and {@code vtep reload}. Never on a
     * data-path thread.
     */
    @Override
    public ReloadOutcome reload()
    {
        return withRuntimeEntriesDropped(reloader.reload());
    }

    /** Applies a configuration already read and validated, as {@link #reload()} does with the file's. */
    public ReloadOutcome reload(final VtepConfig next)
    {
        return withRuntimeEntriesDropped(reloader.reload(next));
    }

    /**
     * After a reload that applied the file, FDB entries added at run time through the API survive
     * only when the file has them (README "Changing a running vtep"), as {@code bridge fdb} entries
     * that are not in the network configuration do not survive {@code ifreload}.
     */
    private synchronized ReloadOutcome withRuntimeEntriesDropped(final ReloadOutcome outcome)
    {
        if (!outcome.isApplied())
        {
            return outcome;
        }
        final List<String> dropped = runtimeFdb.keepOnlyConfigured(reloader.running(), fdb);
        if (dropped.isEmpty())
        {
            return outcome;
        }
        dropped.forEach(line -> LOG.log(System.Logger.Level.INFO, "reload: {0}", line));
        final List<String> changes = new ArrayList<>(outcome.changes());
        changes.addAll(dropped);
        return ReloadOutcome.applied(changes);
    }

    public Fdb fdb()
    {
        return fdb;
    }

    public ForwardingTables tables()
    {
        return dataPlane.tables();
    }

    public CounterSnapshotSource counters()
    {
        return dataPlane.counters();
    }

    public VniContext vni(final int vni)
    {
        return dataPlane.tables().vni(vni);
    }

    /**
     * LACP on the access ports (null when no port runs it): its ports' state, and
     * {@link LacpAgent#addListener} for "segment port operational up/down" (multihoming's mass
     * withdrawal connects here).
     */
    public LacpAgent lacp()
    {
        return lacp == null ? null : lacp.agent();
    }

    /** The metrics of this appliance (what {@code GET /metrics} scrapes). */
    public VtepMetrics metrics()
    {
        return metrics;
    }

    /** The BGP speaker, or null without a bgp section. */
    public io.vtep.evpn.session.BgpSpeaker bgpSpeaker()
    {
        return bgp == null ? null : bgp.speaker();
    }

    /** The EVPN control plane, or null without a bgp section. */
    public io.vtep.evpn.controlplane.EvpnControlPlane evpn()
    {
        return bgp == null ? null : bgp.evpn();
    }

    /** Packets each forwarding pipeline received so far, in pipeline order (as {@code vtep_pipeline_packets_total}). */
    public List<Long> pipelinePackets()
    {
        return pipelines.stream().map(PipelineWorker::packets).toList();
    }

    /** The CPU each pipeline is bound to, in pipeline order; -1 for one the scheduler places ({@code dataplane.pin-cpus}). */
    public List<Integer> pipelineCpus()
    {
        return pipelines.stream().map(PipelineWorker::cpu).toList();
    }

    /** VXLAN packets sent inside UDP GSO datagrams so far (as {@code vtep_underlay_gso_segments_total}); 0 when off. */
    public long underlayGsoSegments()
    {
        return underlayGso == null ? 0 : underlayGso.segments();
    }

    /**
     * Entries added at run time through the API; after a reload has applied a file, call
     * {@link RuntimeFdbEntries#keepOnlyConfigured} with it (README "Changes through the API").
     */
    public RuntimeFdbEntries runtimeFdbEntries()
    {
        return runtimeFdb;
    }

    /** Where the HTTP API listens (the real port when {@code api.listen} asks for port 0). */
    public InetSocketAddress apiAddress()
    {
        return apiServer.localAddress();
    }

    /** Stops the port threads, then closes sockets and the conductor; safe to call twice. */
    @Override
    public synchronized void close()
    {
        stopping = true;
        health.heartbeats().forEach(Heartbeat::stopRequested);
        // Each runner ends its agent's duty cycle and waits for the thread (a pipeline's poll
        // returns within 100 ms, a pcap port's receive too).
        runners.forEach(AgentRunner::close);
        runners.clear();
        if (linkWatcher != null)
        {
            linkWatcher.stop();
        }
        for (final Thread thread : threads)
        {
            try
            {
                thread.join(2_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            try
            {
                resources.get(i).close();
            }
            catch (final Exception ex)
            {
                LOG.log(System.Logger.Level.WARNING, "error while stopping: " + ex.getMessage(), ex);
            }
        }
        resources.clear();
    }
}
