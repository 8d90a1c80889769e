package io.vtep.core.lacp;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 *
 * <p>A port that stops (the agent closes, {@link #stopPort}) sends a last LACPDU that takes it out
 * of the aggregation ({@link LacpPortMachine#stop}), so that the server's bond stops using the link
 * at once instead of after its partner timeout.
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
    /** Ports to stop, asked by other threads ({@link #stopPort}), done on the LACP thread. */
    private final Queue<PortStop> stops = new ConcurrentLinkedQueue<>();
    private long now;

    private record PortStop(String name, CompletableFuture<Boolean> done)
    {
    }

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

    /**
     * Any thread: LACP stops on a port that is being removed, on the LACP thread's next duty cycle:
     * its last LACPDU goes out ({@link LacpPortMachine#stop}), its gate closes for good and the
     * listeners hear that it stopped distributing. Ask when nothing forwards on the port any more
     * and wait before closing its sockets.
     *
     * @return completes with true once done (or the agent closed), false when no LACP port has the name
     */
    public CompletableFuture<Boolean> stopPort(final String name)
    {
        if (ports.stream().noneMatch(port -> port.name().equals(name)))
        {
            return CompletableFuture.completedFuture(false);
        }
        final CompletableFuture<Boolean> done = new CompletableFuture<>();
        // Read within the idle strategy's longest sleep (100 ms, LacpWiring).
        stops.add(new PortStop(name, done));
        return done;
    }

    /**
     * The agent's thread ends (vtep closes; the forwarding threads stopped before): every port sends
     * its last LACPDU, before the appliance closes the ports' sockets. The listeners are not told:
     * what they feed (the EVPN control plane) is closing too.
     */
    @Override
    public void onClose()
    {
        final long closing = clock.nanoTime();
        for (final LacpPort port : ports)
        {
            port.stop(closing);
        }
        for (PortStop stop = stops.poll(); stop != null; stop = stops.poll())
        {
            stop.done().complete(true);
        }
        queue.consumer(null);
    }

    @Override
    public int doWork()
    {
        now = clock.nanoTime();
        int work = stopPorts();
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
        int frames = queue.drain(onFrame, DRAIN_LIMIT);
        if (frames == 0)
        {
            queue.consumerIdle();
            frames = queue.drain(onFrame, DRAIN_LIMIT);
        }
        work += frames;
        if (frames > 0)
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
                announce(port);
            }
        }
        return work;
    }

    private int stopPorts()
    {
        int work = 0;
        for (PortStop stop = stops.poll(); stop != null; stop = stops.poll())
        {
            boolean found = false;
            for (final LacpPort port : ports)
            {
                if (port.name().equals(stop.name()) && !port.machine().isStopped())
                {
                    found = true;
                    if (port.stop(now))
                    {
                        announce(port);
                    }
                    work++;
                }
            }
            stop.done().complete(found);
        }
        return work;
    }

    /** The port's gate changed: logged, and told to the listeners. */
    private void announce(final LacpPort port)
    {
        final boolean operational = port.isDistributing();
        System.getLogger(LacpAgent.class.getName()).log(System.Logger.Level.INFO,
            "LACP on {0}: {1} (partner {2})", port.name(),
            operational ? "collecting and distributing" : "not distributing", port.machine().partner());
        for (final SegmentPortListener listener : listeners)
        {
            listener.segmentPortChanged(port.name(), operational);
        }
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
