package io.vtep.core.metrics;

import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vtep.evpn.controlplane.EvpnControlPlane;
import io.vtep.evpn.session.BgpPeer;
import io.vtep.evpn.session.BgpState;

/**
 * The BGP EVPN metrics (docs/architecture.md §6): one series per configured neighbor (configured, hence
 * bounded), labelled {@code peer} with its address, and the EVPN totals. Read at scrape time from
 * the speaker's peers and the RIB's counters.
 */
public final class BgpMeters
{
    public static final String PEER = "peer";
    public static final String PEER_STATE = "vtep.bgp.peer.state";
    public static final String PEER_PREFIXES_RECEIVED = "vtep.bgp.peer.prefixes.received";
    public static final String PEER_PREFIXES_ACCEPTED = "vtep.bgp.peer.prefixes.accepted";
    public static final String PEER_PREFIXES_SENT = "vtep.bgp.peer.prefixes.sent";
    public static final String PEER_UPDATES_RECEIVED = "vtep.bgp.peer.updates.received";
    public static final String PEER_UPDATES_SENT = "vtep.bgp.peer.updates.sent";
    public static final String PEER_ESTABLISHED_TRANSITIONS = "vtep.bgp.peer.established.transitions";
    public static final String PEER_MAXIMUM_PREFIX = "vtep.bgp.peer.maximum.prefix";
    public static final String PEER_PREFIX_LIMIT_RESETS = "vtep.bgp.peer.prefix.limit.resets";
    public static final String PEER_READ_PAUSES = "vtep.bgp.peer.read.pauses";
    public static final String EVPN_MAC_MOVES = "vtep.evpn.mac.moves";
    public static final String EVPN_DUPLICATE_MACS = "vtep.evpn.duplicate.macs";

    private BgpMeters()
    {
    }

    /**
     * @param registry the appliance's registry ({@link VtepMetrics#registry()}).
     * @param peers    the speaker's peers, in configuration order.
     * @param evpn     the EVPN RIB.
     */
    public static void bind(final MeterRegistry registry, final List<BgpPeer> peers, final EvpnControlPlane evpn)
    {
        for (final BgpPeer peer : peers)
        {
            bindPeer(registry, peer, evpn);
        }
        FunctionCounter.builder(EVPN_MAC_MOVES, evpn, EvpnControlPlane::macMoves)
            .description("MAC mobility events (RFC 7432 §15): a MAC moved between this VTEP and a remote one")
            .register(registry);
        Gauge.builder(EVPN_DUPLICATE_MACS, evpn, EvpnControlPlane::duplicateMacs)
            .description("MACs flagged duplicate (too many moves within the detection window, RFC 7432 §15.1)")
            .strongReference(true).register(registry);
    }

    /** One neighbor's series: at start for each, and for a neighbor a reload adds. */
    public static void bindPeer(final MeterRegistry registry, final BgpPeer peer, final EvpnControlPlane evpn)
    {
        final PeerSeries series = new PeerSeries(registry, peer);
        series.gauge(PEER_STATE, BgpMeters::stateNumber, "BGP session state (RFC 4273 bgpPeerState): 1 Idle, 2 Connect, " +
            "3 Active, 4 OpenSent, 5 OpenConfirm, 6 Established");
        series.gauge(PEER_PREFIXES_RECEIVED, evpn::prefixesReceived, "EVPN routes in the peer's Adj-RIB-In");
        series.gauge(PEER_PREFIXES_ACCEPTED, evpn::prefixesAccepted,
            "EVPN routes of the peer imported into a local VNI (route target matched, no loop)");
        series.gauge(PEER_PREFIXES_SENT, evpn::prefixesSent, "EVPN routes advertised to the peer (its Adj-RIB-Out)");
        series.counter(PEER_UPDATES_RECEIVED, BgpPeer::updatesReceived, "BGP UPDATE messages received from the peer");
        series.counter(PEER_UPDATES_SENT, BgpPeer::updatesSent, "BGP UPDATE messages sent to the peer");
        series.counter(PEER_ESTABLISHED_TRANSITIONS, BgpPeer::establishedTransitions, "Times the session with the peer reached Established");
        series.gauge(PEER_MAXIMUM_PREFIX, p -> p.config().maximumPrefix().limit(),
            "The peer's maximum-prefix limit: routes it may make vtep hold");
        series.counter(PEER_PREFIX_LIMIT_RESETS, BgpPeer::prefixLimitResets,
            "Sessions with the peer closed for exceeding its maximum-prefix (Cease 6/1, RFC 4486)");
        series.counter(PEER_READ_PAUSES, BgpPeer::readPauses,
            "Times vtep stopped reading the peer's session because the EVPN RIB was behind (backpressure)");
    }

    /** Registers one neighbor's meters, each tagged {@value #PEER} with its address. */
    private record PeerSeries(MeterRegistry registry, BgpPeer peer, String label)
    {
        PeerSeries(final MeterRegistry registry, final BgpPeer peer)
        {
            this(registry, peer, peer.config().address().getHostAddress());
        }

        /** A value read at scrape time; held strongly, as the registry would otherwise lose it with the peer. */
        void gauge(final String name, final ToDoubleFunction<BgpPeer> value, final String description)
        {
            Gauge.builder(name, peer, value).description(description).tag(PEER, label).strongReference(true).register(registry);
        }

        void counter(final String name, final ToDoubleFunction<BgpPeer> count, final String description)
        {
            FunctionCounter.builder(name, peer, count).description(description).tag(PEER, label).register(registry);
        }
    }

    /** Removes a neighbor's series (a reload removed or changed it; a changed one is bound again). */
    public static void unbindPeer(final MeterRegistry registry, final java.net.InetAddress address)
    {
        final String label = address.getHostAddress();
        registry.getMeters().stream().filter(meter -> label.equals(meter.getId().getTag(PEER))).toList()
            .forEach(registry::remove);
    }

    private static double stateNumber(final BgpPeer peer)
    {
        final String state = peer.state();
        for (final BgpState candidate : BgpState.values())
        {
            if (candidate.displayName().equals(state))
            {
                return candidate.mibValue();
            }
        }
        return 0;
    }
}
