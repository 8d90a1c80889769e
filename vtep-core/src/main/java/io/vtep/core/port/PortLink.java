package io.vtep.core.port;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What an access port's interface is doing, by name (docs/architecture.md §3.5): the link watcher
 * ({@code LinkWatcher}) {@link #observe observes} the interface of the port's name, and the
 * threads that own the port's sockets re-open them when it asks them to.
 *
 * <p>Why by name: the configuration names an interface, and the kernel binds a packet socket to
 * an interface index. When the interface is deleted and made again (a veth pair re-created, a NIC
 * driver reloaded, a VM's tap re-plugged) it comes back under the same name with a new index, and
 * a socket bound to the old one never sees a frame again. So whenever an interface of the port's
 * name comes up (again), the {@link #openEpoch() epoch} moves on and every owner re-opens its
 * sockets on the interface as it now is. The watcher only signals: a socket is swapped by the
 * thread that reads it, between two batches, so no pipeline ever polls a descriptor that another
 * thread closed.
 *
 * <p>With several pipelines the port's receive sockets form a {@code PACKET_FANOUT} group, which
 * the kernel ties to one interface: the first pipeline (the primary owner, which also owns the send
 * sockets) re-opens first and starts a new group; the others join it once it is
 * {@link #published published} for the current epoch.
 */
public final class PortLink
{
    /** As {@code /api/v1/ports} and {@code vtep_port_state} say it. */
    public enum State
    {
        /** The interface exists and is administratively and operationally up (IFF_UP, IFF_RUNNING). */
        UP(1),
        /** The interface exists but is down or has no carrier: nothing is received or sent. */
        DOWN(0),
        /** No interface of this name (deleted, or renamed away). */
        ABSENT(-1);

        private final int gauge;

        State(final int gauge)
        {
            this.gauge = gauge;
        }

        /** The value of {@code vtep_port_state}: 1 up, 0 down, -1 absent. */
        public int gauge()
        {
            return gauge;
        }

        public String label()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Logger LOG = System.getLogger(PortLink.class.getName());

    private final String name;
    private volatile State state;
    private volatile int interfaceIndex;
    /** Moves on each time the sockets must be re-opened. */
    private volatile long openEpoch;
    /** The epoch the primary owner has re-opened for, with its fanout group. */
    private volatile long publishedEpoch;
    private volatile int fanoutGroup;
    private final AtomicLong reopens = new AtomicLong();
    /** Told when the port becomes operationally up or stops being so (EVPN multihoming); null for none. */
    private volatile Consumer<Boolean> operationalListener;

    /** A port opened on {@code interfaceIndex}, up as far as anyone knows. */
    public PortLink(final String name, final int interfaceIndex)
    {
        this.name = name;
        this.interfaceIndex = interfaceIndex;
        this.state = State.UP;
    }

    public String name()
    {
        return name;
    }

    public State state()
    {
        return state;
    }

    /** The index of the interface of this name as last observed (0 when absent). */
    public int interfaceIndex()
    {
        return interfaceIndex;
    }

    /** Times the port's sockets were re-opened (by the primary owner). */
    public long reopens()
    {
        return reopens.get();
    }

    public long openEpoch()
    {
        return openEpoch;
    }

    /**
     * What the watcher saw of the interface of this name; one log line per change of state.
     * Called by the watcher thread only.
     *
     * @param index the interface's index, 0 when there is none of this name
     * @param up    whether it is administratively and operationally up
     */
    public void observe(final int index, final boolean up)
    {
        final State previous = state;
        final int previousIndex = interfaceIndex;
        final State next = index == 0 ? State.ABSENT : up ? State.UP : State.DOWN;
        if (next == previous && index == previousIndex)
        {
            return;
        }
        interfaceIndex = index;
        if (next == State.UP)
        {
            // Coming (back) up, or up under a new index: the old sockets may be bound to an index
            // that is gone, and a re-open costs a few system calls, so always re-open.
            openEpoch = openEpoch + 1; // single writer: the watcher
        }
        state = next;
        final Consumer<Boolean> listener = operationalListener;
        if (listener != null && (next == State.UP) != (previous == State.UP))
        {
            listener.accept(next == State.UP);
        }
        switch (next)
        {
            case UP -> LOG.log(Level.INFO, "access port {0}: interface up (ifindex {1}), re-opening its sockets",
                name, String.valueOf(index));
            case DOWN -> LOG.log(Level.WARNING, "access port {0}: interface down (ifindex {1}), not forwarding",
                name, String.valueOf(index));
            case ABSENT -> LOG.log(Level.WARNING, "access port {0}: interface gone (deleted or renamed), not forwarding",
                name);
        }
    }

    /**
     * @param listener told, on the watcher thread, {@code true} when the port becomes operationally
     *                 up and {@code false} when it goes down or away (an Ethernet segment's routes follow it).
     */
    public void operationalListener(final Consumer<Boolean> listener)
    {
        this.operationalListener = listener;
    }

    /** The primary owner re-opened for {@code epoch} and started {@code group} (0 without fanout). */
    public void published(final long epoch, final int group)
    {
        fanoutGroup = group;
        publishedEpoch = epoch;
        reopens.incrementAndGet();
        LOG.log(Level.INFO, "access port {0}: re-opened on ifindex {1}, forwarding ({2} re-opens)",
            name, String.valueOf(interfaceIndex), String.valueOf(reopens.get()));
    }

    /** The epoch the primary owner last re-opened for. */
    public long publishedEpoch()
    {
        return publishedEpoch;
    }

    /** The fanout group of {@link #publishedEpoch()}: read after it, and check the epoch again. */
    public int fanoutGroup()
    {
        return fanoutGroup;
    }

    /** Whether every owner has caught up: up, and re-opened since it last came up. */
    public boolean forwarding()
    {
        return state == State.UP && publishedEpoch == openEpoch;
    }
}
