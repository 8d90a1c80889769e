package io.vtep.core.app;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

import io.vtep.core.port.AccessPort;
import io.vtep.core.port.AfPacketPort;
import io.vtep.core.port.PortLink;

/**
 * Keeps one receiving thread's access port on the interface of its name (docs/architecture.md
 * §3.5): when the port's {@link PortLink} says the interface came (back) up, the thread that owns
 * the port calls {@link #catchUp} between two batches and re-opens it there, so no other thread
 * ever sees a descriptor swapped under it.
 *
 * <p>Roles, with several pipelines on one af-packet port: the primary follower (pipeline 0, which
 * also owns the send sockets every pipeline uses) re-opens first and, with fanout, starts a new
 * {@code PACKET_FANOUT} group (a group is tied to one interface); each secondary re-opens its own
 * receive socket once the primary has published the group for that epoch, and joins it.
 */
final class PortFollower
{
    enum Role
    {
        /** The only receiver of the port (one pipeline, or a pcap port's thread). */
        ALONE,
        /** The first of a fanout group: re-opens first, starts the new group. */
        FANOUT_PRIMARY,
        /** A further member of a fanout group: joins the group the primary published. */
        FANOUT_MEMBER
    }

    private static final Logger LOG = System.getLogger(PortFollower.class.getName());
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final AccessPort port;
    private final PortLink link;
    private final Role role;
    private long openedEpoch;
    private long nextAttemptNanos;
    private long warnedEpoch = -1;

    PortFollower(final AccessPort port, final PortLink link, final Role role)
    {
        this.port = port;
        this.link = link;
        this.role = role;
        this.openedEpoch = link == null ? 0 : link.openEpoch();
    }

    /** Whether the link asks for a re-open this follower has not done: a volatile read, for every loop turn. */
    boolean behind()
    {
        return link != null && link.openEpoch() != openedEpoch;
    }

    /**
     * Re-opens the port if the link asks for it and this follower's turn has come.
     *
     * @return true when the port was re-opened (its receive descriptor changed)
     */
    boolean catchUp(final long nowNanos)
    {
        if (!behind() || nowNanos - nextAttemptNanos < 0)
        {
            return false;
        }
        final long epoch = link.openEpoch();
        try
        {
            switch (role)
            {
                case ALONE ->
                {
                    port.reopen();
                    link.published(epoch, 0);
                }
                case FANOUT_PRIMARY ->
                {
                    port.reopen();
                    link.published(epoch, ((AfPacketPort)port).startFanout());
                }
                case FANOUT_MEMBER ->
                {
                    if (link.publishedEpoch() != epoch)
                    {
                        return false; // the primary has not re-opened for this epoch yet
                    }
                    final int group = link.fanoutGroup();
                    if (link.publishedEpoch() != epoch)
                    {
                        return false;
                    }
                    port.reopen();
                    ((AfPacketPort)port).joinFanout(group);
                }
            }
            openedEpoch = epoch;
            return true;
        }
        catch (final IOException ex)
        {
            // Gone again between the event and now, most likely: the next "up" retries, and so does this.
            nextAttemptNanos = nowNanos + RETRY_NANOS;
            if (warnedEpoch == epoch)
            {
                return false;
            }
            warnedEpoch = epoch;
            LOG.log(Level.WARNING, "access port " + port.name() + ": cannot re-open yet: " + ex.getMessage());
            return false;
        }
    }
}
