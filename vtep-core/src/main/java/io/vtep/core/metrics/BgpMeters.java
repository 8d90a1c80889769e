package io.vtep.core.metrics;

import java.util.List;

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
        final String label = peer.config().address().getHostAddress();
        Gauge.builder(PEER_STATE, peer, BgpMeters::stateNumber)
            .description("BGP session state (RFC 4273 bgpPeerState): 1 Idle, 2 Connect, 3 Active, 4 OpenSent, " +
                "5 OpenConfirm, 6 Established")
            .tag(PEER, label).strongReference(true).register(registry);
        Gauge.builder(PEER_PREFIXES_RECEIVED, peer, p -> evpn.prefixesReceived(p))
            .description("EVPN routes in the peer's Adj-RIB-In")
            .tag(PEER, label).strongReference(true).register(registry);
        Gauge.builder(PEER_PREFIXES_ACCEPTED, peer, p -> evpn.prefixesAccepted(p))
            .description("EVPN routes of the peer imported into a local VNI (route target matched, no loop)")
            .tag(PEER, label).strongReference(true).register(registry);
        Gauge.builder(PEER_PREFIXES_SENT, peer, p -> evpn.prefixesSent(p))
            .description("EVPN routes advertised to the peer (its Adj-RIB-Out)")
            .tag(PEER, label).strongReference(true).register(registry);
        FunctionCounter.builder(PEER_UPDATES_RECEIVED, peer, BgpPeer::updatesReceived)
            .description("BGP UPDATE messages received from the peer")
            .tag(PEER, label).register(registry);
        FunctionCounter.builder(PEER_UPDATES_SENT, peer, BgpPeer::updatesSent)
            .description("BGP UPDATE messages sent to the peer")
            .tag(PEER, label).register(registry);
        FunctionCounter.builder(PEER_ESTABLISHED_TRANSITIONS, peer, BgpPeer::establishedTransitions)
            .description("Times the session with the peer reached Established")
            .tag(PEER, label).register(registry);
        Gauge.builder(PEER_MAXIMUM_PREFIX, peer, p -> p.config().maximumPrefix().limit())
            .description("The peer's maximum-prefix limit: routes it may make vtep hold")
            .tag(PEER, label).strongReference(true).register(registry);
        FunctionCounter.builder(PEER_PREFIX_LIMIT_RESETS, peer, BgpPeer::prefixLimitResets)
            .description("Sessions with the peer closed for exceeding its maximum-prefix (Cease 6/1, RFC 4486)")
            .tag(PEER, label).register(registry);
        FunctionCounter.builder(PEER_READ_PAUSES, peer, BgpPeer::readPauses)
            .description("Times vtep stopped reading the peer's session because the EVPN RIB was behind (backpressure)")
            .tag(PEER, label).register(registry);
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
