package io.vtep.evpn.controlplane;

import java.util.Collection;
import java.util.function.Consumer;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;

/**
 * The EVPN control thread's duty cycle, an Agrona {@link Agent} run by an {@code AgentRunner}
 * (as the FDB conductor is): FDB changes first, then queued commands (UPDATEs, sessions, queries),
 * then freezes that ran out; when a round finds no work, our changed routes are sent, packed, and
 * the waiters of {@code awaitIdle} are told. The runner's idle strategy sleeps until an offer
 * wakes the thread.
 */
final class ControlAgent implements Agent
{
    private static final System.Logger LOG = System.getLogger(ControlAgent.class.getName());
    /** Events and commands per round at most, so that the UPDATEs built meanwhile go out. */
    static final int DRAIN_LIMIT = 4096;
    private static final FdbEventQueue.LocalEntryHandler DISCARD = (vni, mac, oldEntry, newEntry) ->
    {};

    private final FdbEventQueue fdbEvents;
    private final CommandQueue commands;
    private final RouteImport imports;
    private final MacLocations macs;
    private final LocalSegments segments;
    private final LocalRoutes exports;
    private final Collection<LocalVni> vnis;
    private final LocalVniLookup lookup;
    private final Consumer<Error> failed;
    private final FdbEventQueue.LocalEntryHandler fdbHandler = this::onLocalEntryChanged;

    /** The VNIs by number. */
    interface LocalVniLookup
    {
        LocalVni vni(int vni);
    }

    /**
     * @param failed told of an {@link Error} before the agent stops (the RIB may be half-updated).
     */
    ControlAgent(final FdbEventQueue fdbEvents, final CommandQueue commands, final RouteImport imports, final MacLocations macs,
        final LocalSegments segments, final LocalRoutes exports, final Collection<LocalVni> vnis, final LocalVniLookup lookup, final Consumer<
            Error> failed)
    {
        this.fdbEvents = fdbEvents;
        this.commands = commands;
        this.imports = imports;
        this.macs = macs;
        this.segments = segments;
        this.exports = exports;
        this.vnis = vnis;
        this.lookup = lookup;
        this.failed = failed;
    }

    @Override
    public int doWork()
    {
        commands.takeIdleWaiters();
        int work = 0;
        try
        {
            imports.syncDown();
            if (fdbEvents.takeOverflow())
            {
                // Events were lost: the ones still queued are older than the FDB now is, and
                // replaying them after the resync could re-advertise a MAC that is gone.
                while (fdbEvents.drain(DISCARD, DRAIN_LIMIT) > 0)
                {
                    // discard
                }
                macs.resync(vnis);
                work++;
            }
            work += fdbEvents.drain(fdbHandler, DRAIN_LIMIT);
            if (work == 0)
            {
                // About to park: say so, then look once more (RecordQueue, "The wake-up").
                fdbEvents.consumerIdle();
                work += fdbEvents.drain(fdbHandler, DRAIN_LIMIT);
            }
            if (work > 0)
            {
                fdbEvents.consumerBusy();
            }
            for (Runnable command; work < DRAIN_LIMIT && (command = commands.poll()) != null;)
            {
                command.run();
                work++;
            }
            work += macs.releaseExpired();
            work += segments.electExpired();
            if (work == 0)
            {
                exports.flush(imports.peers());
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.ERROR, "EVPN control thread", ex);
        }
        catch (final Error ex)
        {
            failed.accept(ex);
            throw new AgentTerminationException(ex);
        }
        if (work == 0)
        {
            commands.idle();
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return "evpn-control";
    }

    private void onLocalEntryChanged(final int vniNumber, final long mac, final long oldEntry, final long newEntry)
    {
        final LocalVni vni = lookup.vni(vniNumber);
        if (vni != null)
        {
            macs.localEntry(vni, mac, newEntry);
        }
    }
}
