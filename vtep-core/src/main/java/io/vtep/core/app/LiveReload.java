package io.vtep.core.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.vtep.core.api.ReloadOutcome;
import io.vtep.core.api.ReloadService;
import io.vtep.core.config.BgpConfig;
import io.vtep.core.config.BgpNeighborConfig;
import io.vtep.core.config.ConfigChange;
import io.vtep.core.config.ConfigDiff;
import io.vtep.core.config.ConfigException;
import io.vtep.core.config.ConfigLoader;
import io.vtep.core.config.VtepConfig;

/**
 * The reload behind SIGHUP, {@code POST /api/v1/reload} and {@code vtep reload}: reads and
 * validates the file first (a bad file is refused with its key path and nothing changes), works
 * out the differences ({@link ConfigDiff}), refuses the lot when one needs a restart, and otherwise
 * applies them one by one ({@link ChangeApplier}), logging a line each. One reload at a time.
 */
final class LiveReload implements ReloadService
{
    private static final System.Logger LOG = System.getLogger(LiveReload.class.getName());

    /** Null when the appliance was started from a configuration in memory (tests). */
    private final Path file;
    private final ChangeApplier applier;
    private volatile VtepConfig running;

    LiveReload(final Path file, final VtepConfig running, final ChangeApplier applier)
    {
        this.file = file;
        this.running = running;
        this.applier = applier;
    }

    /** The configuration in force: the one at start with every applied reload. */
    VtepConfig running()
    {
        return running;
    }

    @Override
    public ReloadOutcome reload()
    {
        if (file == null)
        {
            return refused("vtep was started without a configuration file; there is nothing to reload");
        }
        final VtepConfig next;
        try
        {
            next = ConfigLoader.load(file);
        }
        catch (final ConfigException ex)
        {
            return refused("configuration error in " + file + ": " + ex.getMessage());
        }
        return reload(next);
    }

    /** Applies a configuration already read and validated (the file's, or a test's). */
    synchronized ReloadOutcome reload(final VtepConfig next)
    {
        final ConfigDiff diff = ConfigDiff.between(running, next);
        final List<String> refusals = new ArrayList<>(diff.refusals());
        if (refusals.isEmpty())
        {
            refusals.addAll(applier.preflight(diff.changes()));
        }
        if (!refusals.isEmpty())
        {
            return refused(String.join("; ", refusals));
        }
        final List<String> applied = new ArrayList<>();
        final List<String> portFailures = new ArrayList<>();
        final List<String> portsNotAdded = new ArrayList<>();
        for (final ConfigChange change : diff.changes())
        {
            try
            {
                applier.apply(change, next.bgp());
            }
            catch (final Exception ex)
            {
                if (change instanceof ConfigChange.PortAdded(var port))
                {
                    // Undone whole (LivePorts): the rest can go on, and the port stays out of the running
                    // configuration so that the next reload tries it again.
                    LOG.log(System.Logger.Level.ERROR, "reload: " + change.describe() + " failed: " + ex.getMessage(), ex);
                    portFailures.add(change.describe() + " failed: " + ex.getMessage());
                    portsNotAdded.add(port.name());
                    continue;
                }
                // A BGP neighbor (the listener refusing its TCP-MD5 key or GTSM TTL) or an EVPN VNI
                // (its RD clashing with an automatic one) can fail here: the rest is in force, and a
                // failed neighbor stays out of the running configuration so that the next reload tries it again.
                LOG.log(System.Logger.Level.ERROR, "reload: " + change.describe() + " failed: " + ex.getMessage(), ex);
                running = withoutNeighbor(next, change);
                return new ReloadOutcome(applied, change.describe() + " failed: " + ex.getMessage() +
                    "; the changes before it are in force");
            }
            LOG.log(System.Logger.Level.INFO, "reload: {0}", change.describe());
            applied.add(change.describe());
        }
        running = portsNotAdded.isEmpty() ? next : new VtepConfig(next.vtep(),
            next.ports().stream().filter(port -> !portsNotAdded.contains(port.name())).toList(), next.vnis(), next.fdb(), next.api(),
            next.bgp(), next.dataplane(), next.log());
        LOG.log(System.Logger.Level.INFO, "reload{0}: {1} change(s) applied", file == null ? "" : " of " + file,
            String.valueOf(applied.size()));
        return portFailures.isEmpty() ? ReloadOutcome.applied(applied) :
            new ReloadOutcome(applied, String.join("; ", portFailures) + "; the other changes are in force");
    }

    private static ReloadOutcome refused(final String why)
    {
        LOG.log(System.Logger.Level.WARNING, "reload refused, the running configuration stays: {0}", why);
        return ReloadOutcome.refused(why);
    }

    private VtepConfig withoutNeighbor(final VtepConfig next, final ConfigChange failed)
    {
        final BgpNeighborConfig neighbor = switch (failed)
        {
            case ConfigChange.NeighborAdded(var added) -> added;
            case ConfigChange.NeighborChanged(var from, var to) -> to;
            default -> null;
        };
        if (neighbor == null || next.bgp() == null)
        {
            return running;
        }
        final BgpConfig bgp = next.bgp();
        final BgpConfig without = new BgpConfig(bgp.asn(), bgp.routerId(), bgp.listenAddress(), bgp.listenPort(),
            bgp.neighbors().stream().filter(n -> !n.address().equals(neighbor.address())).toList(), bgp.vnis(),
            bgp.duplicateMaxMoves(), bgp.duplicateWindow(), bgp.minimumHoldSeconds(), bgp.duplicateFreeze());
        return new VtepConfig(next.vtep(), next.ports(), next.vnis(), next.fdb(), next.api(), without, next.dataplane(), next.log());
    }
}
