package io.vtep.core.app;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.agrona.concurrent.AgentRunner;

import io.vtep.core.config.PortConfig;
import io.vtep.core.health.HealthMeters;
import io.vtep.core.health.Heartbeat;
import io.vtep.core.health.ThreadHealth;
import io.vtep.core.metrics.VtepMetrics;
import io.vtep.core.netlink.LinkWatcher;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.DataPlane;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.pipeline.StormControl;
import io.vtep.core.port.AccessPort;
import io.vtep.core.port.AccessPorts;
import io.vtep.core.port.AfPacketPort;
import io.vtep.core.port.FanoutSteering;
import io.vtep.core.port.PortLink;
import io.vtep.fdb.Fdb;

/**
 * Access ports added and removed while vtep forwards (a reload, docs/architecture.md §3.6), with
 * everything a port has at start: its sockets, a receive socket in every pipeline (a
 * {@code PACKET_FANOUT} member when there are several, as {@code VtepAppliance.openPipelines}
 * makes them) or, for a driver a pipeline cannot poll (pcap), a thread of its own
 * ({@link PortWorker}); its {@link PortLink} followed by the link watcher; its metric series
 * ({@code vtep_port_*}); its place in readiness. The pipelines are never stopped: each takes the
 * change of its lanes on its own thread ({@link PortChanges}) and this waits for every one.
 *
 * <p>A removed port's VLANs are unmapped and its MACs removed first ({@code ChangeApplier}), so no
 * pipeline sends to it any more; then every pipeline drops its lane, then its sockets close, then
 * its series go. Ports at once are bounded by the pipelines' {@code pollfd} arrays: those at start
 * and {@link #SPARE_PORT_SLOTS} more.
 */
final class LivePorts implements ChangeApplier.Ports, AutoCloseable
{
    /** Room in each pipeline's {@code pollfd} array for ports a reload adds (16 bytes a slot). */
    static final int SPARE_PORT_SLOTS = 16;
    private static final System.Logger LOG = System.getLogger(LivePorts.class.getName());

    /** The threads {@code /readyz} watches: a pcap port's thread comes and goes with its port. */
    interface Readiness
    {
        void running(Thread thread, String role);

        void stopped(Thread thread);
    }

    /** A pcap port's own receive thread, its runner (closed first on stop) and heartbeat. */
    record PortThread(AgentRunner runner, Thread thread, Heartbeat heartbeat)
    {
    }

    private final DataPlane dataPlane;
    private final Fdb fdb;
    private final List<PipelineWorker> pipelines;
    /** The same steering as the ports opened at start (dataplane.access-steering with pinned pipelines). */
    private final FanoutSteering steering;
    /** dataplane.access-ring, as for the ports opened at start. */
    private final boolean receiveRing;
    private final ThreadHealth health;
    private final List<PortLink> links;
    private final int capacity;
    private final Map<String, PortThread> portThreads = new ConcurrentHashMap<>();
    /** What a port added live opened, to close at stop: its primary and its pipelines' receivers. */
    private final Map<String, List<AccessPort>> opened = new ConcurrentHashMap<>();
    /** Told of a removed port between its pipelines' last use and its sockets' close (LACP's last LACPDU). */
    private Consumer<String> stopping = name ->
    {};
    private VtepMetrics metrics;
    private LinkWatcher linkWatcher;
    private Readiness readiness;

    /**
     * @param links the appliance's list of port links (copy-on-write: read by the API thread)
     */
    LivePorts(final DataPlane dataPlane, final Fdb fdb, final List<PipelineWorker> pipelines, final FanoutSteering steering,
        final boolean receiveRing, final ThreadHealth health, final CopyOnWriteArrayList<PortLink> links, final int capacity)
    {
        this.dataPlane = dataPlane;
        this.receiveRing = receiveRing;
        this.steering = steering;
        this.fdb = fdb;
        this.pipelines = pipelines;
        this.health = health;
        this.links = links;
        this.capacity = capacity;
    }

    /** Once the metrics and the link watcher exist: before {@link #portThread} and any reload. */
    void running(final VtepMetrics metrics, final LinkWatcher linkWatcher, final Readiness readiness)
    {
        this.metrics = metrics;
        this.linkWatcher = linkWatcher;
        this.readiness = readiness;
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    /**
     * The receive thread of a port a pipeline cannot poll (pcap), not started; at start and when a
     * reload adds one.
     */
    PortThread portThread(final PortContext port, final PortLink link)
    {
        final String threadName = "vtep-port-" + port.port().name();
        final Heartbeat heartbeat = health.register(threadName);
        final PortWorker worker = new PortWorker(port.port(), dataPlane.accessPipeline(port), link, heartbeat);
        final AgentRunner runner = health.runner(heartbeat, worker, PortWorker.idleStrategy());
        final Thread thread = new Thread(health.watch(heartbeat, runner), threadName);
        thread.setDaemon(true);
        final PortThread portThread = new PortThread(runner, thread, heartbeat);
        portThreads.put(port.port().name(), portThread);
        metrics.bindPortWorkerFailures(port.port().name(), worker::failures);
        return portThread;
    }

    /**
     * @param hook called with a removed port's name once no pipeline forwards on it and before its
     *             sockets close (IEEE 802.1AX: LACP takes the link out of the server's bond first)
     */
    void onPortStopping(final Consumer<String> hook)
    {
        this.stopping = hook;
    }

    @Override
    public void add(final PortConfig config) throws IOException
    {
        final String name = config.name();
        final List<AccessPort> sockets = new ArrayList<>();
        final AccessPort port = AccessPorts.open(name, config.driver(), receiveRing);
        sockets.add(port);
        opened.put(name, sockets);
        final ForwardingTables tables = dataPlane.tables();
        final PortContext context = tables.addPort(port);
        try
        {
            start(config, context, sockets);
        }
        catch (final IOException | RuntimeException ex)
        {
            // Undone whole, so that the running configuration can say the port is not there and the
            // next reload tries it again.
            config.vlans().keySet().forEach(vlan -> tables.detach(context, vlan == PortConfig.UNTAGGED ? Attachment.UNTAGGED : vlan));
            try
            {
                remove(name);
            }
            catch (final RuntimeException again)
            {
                ex.addSuppressed(again);
            }
            throw ex;
        }
    }

    private void start(final PortConfig config, final PortContext context, final List<AccessPort> sockets) throws IOException
    {
        final String name = config.name();
        final AccessPort port = context.port();
        final ForwardingTables tables = dataPlane.tables();
        final PortLink link = new PortLink(name, port instanceof AfPacketPort afPacket ? afPacket.interfaceIndex() :
            VtepAppliance.interfaceIndexOrZero(name));
        context.stormControl(VtepAppliance.stormControl(config.stormControl(), fdb));
        context.link(link);
        links.add(link);
        linkWatcher.links(links);
        HealthMeters.bindPort(metrics.registry(), link);
        // Mapped before any pipeline reads it: its first frames find their VNI.
        config.vlans().forEach((vlan, vni) -> tables.attach(context, vlan == PortConfig.UNTAGGED ? Attachment.UNTAGGED : vlan,
            tables.vni(vni)));
        if (!(port instanceof AfPacketPort primary))
        {
            final PortThread thread = portThread(context, link);
            HealthMeters.bindThread(metrics.registry(), health, thread.heartbeat());
            thread.thread().start();
            readiness.running(thread.thread(), "access port " + name);
            return;
        }
        final List<PipelineWorker.Lane> lanes = new ArrayList<>();
        primary.steering(steering);
        final int group = pipelines.size() > 1 ? primary.startFanout() : 0;
        for (int p = 0; p < pipelines.size(); p++)
        {
            AfPacketPort receiver = primary;
            PortFollower.Role role = pipelines.size() > 1 ? PortFollower.Role.FANOUT_PRIMARY : PortFollower.Role.ALONE;
            if (p > 0)
            {
                receiver = AfPacketPort.open(name, receiveRing);
                sockets.add(receiver);
                receiver.steering(steering);
                receiver.joinFanout(group);
                role = PortFollower.Role.FANOUT_MEMBER;
            }
            lanes.add(new PipelineWorker.Lane(receiver, dataPlane.accessPipeline(context), link, role));
        }
        metrics.bindPortWorkerFailures(name, () -> lanes.stream().mapToLong(PipelineWorker.Lane::failures).sum());
        for (int p = 0; p < pipelines.size(); p++)
        {
            final PipelineWorker.Lane lane = lanes.get(p);
            pipelines.get(p).portChanges().apply(pipelines.get(p).name(), current ->
            {
                current.add(lane);
                return current;
            });
        }
    }

    @Override
    public void remove(final String name)
    {
        final ForwardingTables tables = dataPlane.tables();
        final PortContext context = tables.port(name);
        final List<AccessPort> sockets = new CopyOnWriteArrayList<>(opened.getOrDefault(name, List.of()));
        sockets.add(context.port());
        for (final PipelineWorker pipeline : pipelines)
        {
            pipeline.portChanges().apply(pipeline.name(), current ->
            {
                current.stream().filter(lane -> lane.portName().equals(name)).forEach(lane -> sockets.add(lane.port()));
                current.removeIf(lane -> lane.portName().equals(name));
                return current;
            });
        }
        final PortThread thread = portThreads.remove(name);
        if (thread != null)
        {
            thread.heartbeat().stopRequested();
            thread.runner().close(); // ends its duty cycle (a receive waits at most 100 ms) and joins it
            readiness.stopped(thread.thread());
            health.unregister(thread.heartbeat());
            HealthMeters.unbindThread(metrics.registry(), thread.heartbeat().thread());
        }
        stopping.accept(name);
        // No pipeline reads them any more, and no attachment leads to the port: nothing races the close.
        for (final AccessPort socket : sockets)
        {
            socket.close();
        }
        opened.remove(name);
        tables.removePort(context);
        links.removeIf(link -> link.name().equals(name));
        linkWatcher.links(links);
        HealthMeters.unbindPort(metrics.registry(), name);
        metrics.unbindPortWorkerFailures(name);
    }

    /** Closes what ports added live opened (the appliance closes those of the start); the pipelines have stopped. */
    @Override
    public void close()
    {
        portThreads.values().forEach(thread -> thread.runner().close());
        for (final List<AccessPort> sockets : opened.values())
        {
            for (final AccessPort socket : sockets)
            {
                try
                {
                    socket.close();
                }
                catch (final RuntimeException ex)
                {
                    LOG.log(Level.WARNING, "error while closing " + socket + ": " + ex.getMessage(), ex);
                }
            }
        }
        opened.clear();
    }
}
