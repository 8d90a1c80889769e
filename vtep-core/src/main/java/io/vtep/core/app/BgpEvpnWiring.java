package io.vtep.core.app;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingIdleStrategy;

import io.vtep.core.config.BgpConfig;
import io.vtep.core.config.BgpNeighborConfig;
import io.vtep.core.config.ConfigException;
import io.vtep.core.config.EvpnVniConfig;
import io.vtep.core.config.VniConfig;
import io.vtep.core.config.VtepConfig;
import io.vtep.core.health.Heartbeat;
import io.vtep.core.health.ThreadHealth;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.NeighborBindings;
import io.vtep.core.pipeline.NeighborQueue;
import io.vtep.encap.VtepAddress;
import io.vtep.evpn.codec.attr.ExtendedCommunity;
import io.vtep.evpn.controlplane.EvpnControlPlane;
import io.vtep.evpn.controlplane.EvpnSettings;
import io.vtep.evpn.controlplane.EvpnVniSettings;
import io.vtep.evpn.session.BgpSpeaker;
import io.vtep.evpn.session.PeerConfig;
import io.vtep.evpn.session.SessionTimers;
import io.vtep.evpn.session.SpeakerConfig;
import io.vtep.fdb.Fdb;

/**
 * The wiring of an appliance's BGP EVPN parts: builds, from the {@code bgp:} section, the EVPN control
 * plane ({@link EvpnControlPlane}, the RIB bound to the FDB) and the BGP speaker that feeds it, connects
 * them to the FDB and the ARP/ND snooping queue, and starts and stops them together. It decides no
 * route itself; that is {@link EvpnControlPlane}'s job.
 * Every VNI of the configuration takes part
 * (one inclusive multicast route each, RFC 7432 §11; type-2 routes for its local MACs, §9).
 *
 * <p>Started by the thread that starts the appliance, so the speaker's sockets (listener and
 * outgoing connections) live in that thread's network namespace, like the data-path sockets.
 */
final class BgpEvpnWiring implements AutoCloseable
{
    static final long PROBE_MILLIS = 200;
    private static final System.Logger LOG = System.getLogger(BgpEvpnWiring.class.getName());

    /**
     * How long the neighbour hand-off sleeps when idle (NeighborHandOff, "Why it does not ask to be
     * woken"): an IP only enriches a route.
     */
    private static final long NEIGHBOR_IDLE_MILLIS = 100;

    private final EvpnControlPlane evpn;
    private final BgpSpeaker speaker;
    private final AgentRunner neighborDrain;

    private BgpEvpnWiring(final EvpnControlPlane evpn, final BgpSpeaker speaker, final AgentRunner neighborDrain)
    {
        this.evpn = evpn;
        this.speaker = speaker;
        this.neighborDrain = neighborDrain;
    }

    /**
     * Starts the RIB first (it registers its FDB listener and originates the type-3 routes), then
     * the speaker, so that the first session to come up is sent a complete Adj-RIB-Out.
     */
    static BgpEvpnWiring start(final VtepConfig config, final Fdb fdb, final NeighborQueue neighbors,
        final NeighborBindings bindings, final ForwardingTables tables) throws ConfigException
    {
        final BgpConfig bgp = config.bgp();
        final EvpnControlPlane evpn;
        try
        {
            evpn = new EvpnControlPlane(evpnSettings(config, tables), fdb);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException("vnis", ex.getMessage());
        }
        // ARP/ND suppression (RFC 7432 §10) answers from the received MAC+IP routes.
        evpn.macIpListener((vni, route, mac, ip, flags, add) -> bindings.remote(vni, route, mac, ip, flags, add));
        // EVPN multihoming: the DF and the segment's VTEPs into the data plane's segment filters.
        final SegmentWiring segmentWiring = new SegmentWiring(tables, fdb.remoteVteps());
        evpn.segmentListener(segmentWiring);
        evpn.segmentAttachments(segmentWiring);
        evpn.start();
        try
        {
            final BgpSpeaker speaker = BgpSpeaker.start(speakerConfig(bgp), SessionTimers.DEFAULT, evpn);
            return new BgpEvpnWiring(evpn, speaker, startNeighborDrain(neighbors, evpn, bindings));
        }
        catch (final IOException ex)
        {
            evpn.close();
            final String where = (bgp.listenAddress() == null ? "*" : bgp.listenAddress().toString()) + ":" + bgp.listenPort();
            throw new ConfigException("bgp.listen", "cannot accept BGP sessions on " + where + ": " + ex.getMessage() +
                (bgp.listenPort() < 1024 ? " (a port below 1024 needs root or CAP_NET_BIND_SERVICE)" : ""));
        }
        catch (final RuntimeException ex)
        {
            evpn.close();
            throw ex;
        }
    }

    /** Starts the {@link NeighborHandOff} on its own thread; null when nothing snoops. */
    private static AgentRunner startNeighborDrain(final NeighborQueue neighbors, final EvpnControlPlane evpn,
        final NeighborBindings bindings)
    {
        if (neighbors == null)
        {
            return null;
        }
        final NeighborHandOff handOff = new NeighborHandOff(neighbors, evpn, bindings);
        final AgentRunner runner = new AgentRunner(new SleepingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(NEIGHBOR_IDLE_MILLIS)),
            error -> LOG.log(System.Logger.Level.WARNING, "ARP/ND neighbor hand-off to EVPN failed: " + error, error), null, handOff);
        AgentRunner.startOnThread(runner, work -> Thread.ofPlatform().name(handOff.roleName()).daemon(true).unstarted(work));
        return runner;
    }

    static SpeakerConfig speakerConfig(final BgpConfig bgp)
    {
        final List<PeerConfig> peers = new ArrayList<>();
        for (final BgpNeighborConfig neighbor : bgp.neighbors())
        {
            peers.add(peerConfig(bgp, neighbor));
        }
        return new SpeakerConfig(bgp.asn(), bgp.routerId(), inet(bgp.listenAddress()), bgp.listenPort(), peers);
    }

    /** One neighbor's session settings, at start or when a reload adds it. */
    static PeerConfig peerConfig(final BgpConfig bgp, final BgpNeighborConfig neighbor)
    {
        return new PeerConfig(neighbor.address().toInetAddress(), neighbor.remoteAs(), neighbor.port(),
            neighbor.passive(), neighbor.holdTimeSeconds(), inet(neighbor.updateSource()), neighbor.maximumPrefix(),
            neighbor.password(), bgp.minimumHoldSeconds(), neighbor.ttlSecurityHops());
    }

    static EvpnSettings evpnSettings(final VtepConfig config, final ForwardingTables tables)
    {
        final BgpConfig bgp = config.bgp();
        final List<EvpnVniSettings> vnis = new ArrayList<>();
        for (final VniConfig vni : config.vnis())
        {
            vnis.add(vniSettings(bgp, vni.vni()));
        }
        return new EvpnSettings(bgp.asn(), bgp.routerId(), config.vtep().localIp(), vnis,
            bgp.duplicateMaxMoves(), bgp.duplicateWindow(), bgp.duplicateFreeze(), SegmentWiring.settings(config, tables));
    }

    /** One VNI's RD and route targets: its overrides under {@code vnis[]}, else automatic; at start or by a reload. */
    static EvpnVniSettings vniSettings(final BgpConfig bgp, final int vni)
    {
        final EvpnVniConfig override = bgp.vni(vni);
        return override == null ? EvpnVniSettings.auto(vni) :
            new EvpnVniSettings(vni, override.routeDistinguisher(), List.<ExtendedCommunity>copyOf(override.importTargets()),
                List.<ExtendedCommunity>copyOf(override.exportTargets()));
    }

    private static InetAddress inet(final VtepAddress address)
    {
        return address == null ? null : address.toInetAddress();
    }

    EvpnControlPlane evpn()
    {
        return evpn;
    }

    BgpSpeaker speaker()
    {
        return speaker;
    }

    /**
     * Heartbeats for the BGP speaker's event loop and the EVPN control thread
     * (docs/architecture.md §3.4): a task scheduled on the loop every {@link #PROBE_MILLIS} beats
     * for the loop and queues a probe that beats for the EVPN thread, so either one stuck or gone
     * goes stale in {@code /readyz}. Neither thread's code needs to know.
     */
    void watch(final ThreadHealth health)
    {
        final Heartbeat speakerBeat = health.register("bgp-speaker");
        final Heartbeat evpnBeat = health.register("evpn-control");
        speaker.eventLoop().scheduleAtFixedRate(() ->
        {
            speakerBeat.beat();
            if (evpn.failure() != null && evpnBeat.death() == null)
            {
                // The EVPN thread stopped on an Error (it logged it and set failure()): count the death.
                health.died(evpnBeat, new IllegalStateException(evpn.failure()));
            }
            evpn.probe(evpnBeat::beat);
        }, 0, PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The speaker first: it tells every peer Cease / Administrative Shutdown (RFC 4486 §3), so
     * they withdraw this VTEP's routes at once instead of after their hold time.
     */
    @Override
    public void close()
    {
        if (neighborDrain != null)
        {
            neighborDrain.close();
        }
        try
        {
            speaker.close();
        }
        finally
        {
            evpn.close();
        }
    }
}
