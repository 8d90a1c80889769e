package io.vtep.core.netlink;

import static io.vtep.core.nativeio.LinuxConstants.ENODEV;
import static io.vtep.core.nativeio.LinuxConstants.ENXIO;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

import io.vtep.core.health.Heartbeat;
import io.vtep.core.nativeio.ErrnoException;
import io.vtep.core.nativeio.Libc;
import io.vtep.core.port.PortLink;

/**
 * The {@code vtep-link-watcher} thread (docs/architecture.md §3.5): waits for rtnetlink link
 * events and, after each (and at least every {@link #RECHECK_MILLIS} in case a message was lost),
 * looks up every access port's interface by name: its index and whether it is up
 * ({@code IFF_UP} and {@code IFF_RUNNING}). What it finds goes to the port's {@link PortLink}, which
 * logs the change and tells the port's owners to re-open. It never touches a port's sockets.
 *
 * <p>Why a plain thread and not an Agrona agent like the others (docs/architecture.md §3.1): its
 * only work is to wait in the netlink {@code recv} and then look; it has nothing to interleave
 * with that wait, so a duty cycle and an idle strategy would only wrap the one blocking call.
 */
public final class LinkWatcher implements Runnable
{
    /** Bounds the wait, so that the thread beats and notices a stop, and a lost event is caught up. */
    static final int RECHECK_MILLIS = 500;
    private static final int IFF_UP = 0x1;
    private static final int IFF_RUNNING = 0x40;
    private static final Logger LOG = System.getLogger(LinkWatcher.class.getName());

    private final LinkEventSocket events;
    /** Replaced when a reload adds or removes an access port. */
    private volatile List<PortLink> links;
    private final Heartbeat heartbeat;
    private volatile boolean running = true;

    public LinkWatcher(final LinkEventSocket events, final List<PortLink> links, final Heartbeat heartbeat)
    {
        this.events = events;
        this.links = List.copyOf(links);
        this.heartbeat = heartbeat;
    }

    @Override
    public void run()
    {
        while (running)
        {
            heartbeat.beat();
            events.awaitLinkChange(RECHECK_MILLIS);
            if (running)
            {
                checkLinks();
            }
        }
    }

    /** Looks at every port's interface now. */
    public void checkLinks()
    {
        for (final PortLink link : links)
        {
            int index = 0;
            boolean up = false;
            try
            {
                index = Libc.interfaceIndex(events.fd(), link.name());
                final int flags = Libc.interfaceFlags(events.fd(), link.name());
                up = (flags & IFF_UP) != 0 && (flags & IFF_RUNNING) != 0;
            }
            catch (final ErrnoException ex)
            {
                if (ex.errno() != ENODEV && ex.errno() != ENXIO)
                {
                    LOG.log(Level.WARNING, "access port " + link.name() + ": cannot read its interface: " + ex.getMessage());
                    continue;
                }
                index = 0; // gone, or renamed between the two calls: the next event says which
            }
            link.observe(index, up);
        }
    }

    /** The ports to follow from now on (a reload added or removed one). */
    public void links(final List<PortLink> links)
    {
        this.links = List.copyOf(links);
    }

    public Heartbeat heartbeat()
    {
        return heartbeat;
    }

    public void stop()
    {
        running = false;
        heartbeat.stopRequested();
    }
}
