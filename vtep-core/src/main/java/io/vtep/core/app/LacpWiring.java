package io.vtep.core.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SleepingIdleStrategy;

import io.vtep.core.config.LacpConfig;
import io.vtep.core.config.LacpMode;
import io.vtep.core.config.PortConfig;
import io.vtep.core.config.VtepConfig;
import io.vtep.core.health.Heartbeat;
import io.vtep.core.health.HeartbeatAgent;
import io.vtep.core.health.ThreadHealth;
import io.vtep.core.lacp.LacpAgent;
import io.vtep.core.lacp.LacpPduQueue;
import io.vtep.core.lacp.LacpPort;
import io.vtep.core.lacp.LacpPortMachine;
import io.vtep.core.pipeline.PortContext;

/**
 * LACP on the access ports that configure it ({@code ports[].lacp}): a {@link LacpPort} gate on each
 * such port's context, before any pipeline forwards (so the port starts closed), and the
 * {@code vtep-lacp} thread running the {@link LacpAgent}.
 */
final class LacpWiring implements AutoCloseable
{
    /** Frames queued for the LACP thread: a few seconds of LACPDUs for many ports. */
    private static final int QUEUE_CAPACITY = 256;
    /** The agent's longest sleep: well under the 1 s fast periodic time. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long a port's removal waits for its last LACPDU: a few of the agent's duty cycles. */
    private static final long STOP_WAIT_MILLIS = 1_000;
    private static final System.Logger LOG = System.getLogger(LacpWiring.class.getName());

    private final LacpAgent agent;
    private final AgentRunner runner;

    private LacpWiring(final LacpAgent agent, final AgentRunner runner)
    {
        this.agent = agent;
        this.runner = runner;
    }

    /**
     * @param ports the access ports in configuration order, their links set
     * @return null when no port runs LACP
     */
    static LacpWiring start(final VtepConfig config, final List<PortContext> ports, final NanoClock clock,
        final ThreadHealth health)
    {
        final LacpPduQueue queue = new LacpPduQueue(QUEUE_CAPACITY);
        final List<LacpPort> lacpPorts = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++)
        {
            final PortConfig portConfig = config.ports().get(i);
            final LacpConfig lacp = portConfig.lacp();
            if (!lacp.isOn())
            {
                continue;
            }
            // With an ethernet-segment the loader took the identity from its ESI (LacpConfigReader),
            // and SegmentWiring.follow makes LACP's state the segment port's (mass withdrawal).
            final PortContext context = ports.get(i);
            final LacpPort port = new LacpPort(lacpPorts.size(), context.port(),
                new LacpPortMachine(lacp.identity(config.vtep().localIp()), lacp.mode() == LacpMode.ACTIVE, lacp.fastRate()),
                queue);
            port.link(context.link());
            context.lacp(port);
            lacpPorts.add(port);
        }
        if (lacpPorts.isEmpty())
        {
            return null;
        }
        final LacpAgent agent = new LacpAgent(queue, lacpPorts, clock);
        final Heartbeat heartbeat = health.register(agent.roleName());
        final AgentRunner runner = new AgentRunner(new SleepingIdleStrategy(IDLE_NANOS), health.agentErrorHandler(heartbeat),
            null, new HeartbeatAgent(agent, heartbeat));
        AgentRunner.startOnThread(runner);
        return new LacpWiring(agent, runner);
    }

    LacpAgent agent()
    {
        return agent;
    }

    /**
     * A port is being removed (a reload): once the pipelines no longer forward on it, and before its
     * sockets close, LACP sends its last LACPDU on it ({@link LacpAgent#stopPort}). Waits a bounded
     * time: a LACP thread that does not answer must not hold up the reload.
     */
    void stopPort(final String name)
    {
        try
        {
            agent.stopPort(name).get(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "LACP did not stop on " + name + " within " + STOP_WAIT_MILLIS +
                " ms; its partner will time it out");
        }
    }

    /** The agent's thread ends, each port sending its last LACPDU first ({@link LacpAgent#onClose}). */
    @Override
    public void close()
    {
        runner.close();
    }
}
