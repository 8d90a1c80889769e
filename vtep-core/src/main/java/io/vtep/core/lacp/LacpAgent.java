package io.vtep.core.lacp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import io.vtep.core.port.PortLink;

/**
 * The LACP thread's loop (an Agrona agent, like the FDB conductor): reads the LACPDUs the pipelines
 * queued, runs each port's state machines ({@link LacpPortMachine}) against the clock and the port's
 * link, sends the LACPDUs they ask for, and publishes each port's gate ({@link LacpPort#isDistributing})
 * and status. Never a forwarding thread: LACP is control traffic, one LACPDU a second at most per
 * port and direction, and its timers are seconds. Run it with an idle strategy that sleeps at most
 * a few hundred milliseconds (the fast periodic time is one second); the queue wakes it when a
 * LACPDU arrives.
 */
public final class LacpAgent implements Agent
{
    /** Frames read per duty cycle: a few ports' worth, at most one a second each from a well-behaved partner. */
    private static final int DRAIN_LIMIT = 64;

    private final LacpPduQueue queue;
    private final List<LacpPort> ports;
    private final NanoClock clock;
    private final List<SegmentPortListener> listeners = new CopyOnWriteArrayList<>();
    private final LacpPduHandler onFrame = this::onFrame;
    private long now;

    public LacpAgent(final LacpPduQueue queue, final List<LacpPort> ports, final NanoClock clock)
    {
        this.queue = queue;
        this.ports = List.copyOf(ports);
        this.clock = clock;
    }

    /** Adds a listener for ports starting or stopping to collect and distribute (any thread, any time). */
    public void addListener(final SegmentPortListener listener)
    {
        listeners.add(listener);
    }

    public List<LacpPort> ports()
    {
        return ports;
    }

    @Override
    public void onStart()
    {
        queue.consumer(Thread.currentThread());
    }

    @Override
    public void onClose()
    {
        queue.consumer(null);
    }

    @Override
    public int doWork()
    {
        now = clock.nanoTime();
        for (final LacpPort port : ports)
        {
            // The link first: a LACPDU on a port whose link just came up is read, not ignored.
            final PortLink link = port.link();
            if (link == null || link.state() == PortLink.State.UP)
            {
                port.machine().enable(now);
            }
            else
            {
                port.machine().disable(now);
            }
        }
        int work = queue.drain(onFrame, DRAIN_LIMIT);
        if (work == 0)
        {
            queue.consumerIdle();
            work = queue.drain(onFrame, DRAIN_LIMIT);
        }
        if (work > 0)
        {
            queue.consumerBusy();
        }
        for (final LacpPort port : ports)
        {
            final LacpPortMachine machine = port.machine();
            machine.tick(now);
            for (LacpPdu pdu = machine.transmit(now); pdu != null; pdu = machine.transmit(now))
            {
                port.send(pdu);
                work++;
            }
            if (port.publish())
            {
                work++;
                final boolean operational = port.isDistributing();
                System.getLogger(LacpAgent.class.getName()).log(System.Logger.Level.INFO,
                    "LACP on {0}: {1} (partner {2})", port.name(),
                    operational ? "collecting and distributing" : "not distributing", machine.partner());
                for (final SegmentPortListener listener : listeners)
                {
                    listener.segmentPortChanged(port.name(), operational);
                }
            }
        }
        return work;
    }

    private void onFrame(final int portIndex, final DirectBuffer buffer, final int offset, final int length)
    {
        if (portIndex < 0 || portIndex >= ports.size())
        {
            return;
        }
        final LacpPort port = ports.get(portIndex);
        final LacpPdu pdu;
        try
        {
            pdu = LacpPdu.decodeFrame(buffer, offset, length);
        }
        catch (final MalformedLacpduException ex)
        {
            port.countReceived(false);
            return;
        }
        port.countReceived(true);
        port.machine().receive(pdu, now);
    }

    @Override
    public String roleName()
    {
        return "vtep-lacp";
    }
}
