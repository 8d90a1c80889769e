package io.vtep.core.health;

import org.agrona.concurrent.Agent;

/**
 * An Agrona {@link Agent} that beats a {@link Heartbeat} once per duty cycle before the work of
 * the agent it wraps (the FDB conductor). The runner's idle strategy parks at most 100 ms, so an
 * idle agent still beats ten times a second.
 */
public final class HeartbeatAgent implements Agent
{
    private final Agent agent;
    private final Heartbeat heartbeat;

    public HeartbeatAgent(final Agent agent, final Heartbeat heartbeat)
    {
        this.agent = agent;
        this.heartbeat = heartbeat;
    }

    @Override
    public void onStart()
    {
        agent.onStart();
    }

    @Override
    public int doWork() throws Exception
    {
        heartbeat.beat();
        return agent.doWork();
    }

    @Override
    public void onClose()
    {
        heartbeat.stopRequested();
        agent.onClose();
    }

    @Override
    public String roleName()
    {
        return agent.roleName();
    }
}
