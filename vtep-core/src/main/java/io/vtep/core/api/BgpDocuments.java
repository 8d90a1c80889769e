package io.vtep.core.api;

import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import io.vtep.core.config.BgpConfig;
import io.vtep.core.config.BgpNeighborConfig;
import io.vtep.core.lacp.LacpPort;
import io.vtep.evpn.controlplane.EvpnControlPlane;
import io.vtep.evpn.controlplane.EvpnRouteView;
import io.vtep.evpn.session.BgpPeer;
import io.vtep.evpn.session.BgpSpeaker;

/**
 * The JSON documents of {@code /api/v1/bgp} (what {@code vtep bgp summary} prints) and
 * {@code /api/v1/bgp/routes}, read from the speaker's peers and the EVPN RIB's snapshots on the
 * API thread. Field names are snake_case; absent things are {@code null}.
 */
public final class BgpDocuments
{
    /** The bgp section in force: a reload may add or remove neighbors. */
    private final java.util.function.Supplier<BgpConfig> config;
    private final BgpSpeaker speaker;
    private final EvpnControlPlane evpn;

    public BgpDocuments(final BgpConfig config, final BgpSpeaker speaker, final EvpnControlPlane evpn)
    {
        this(() -> config, speaker, evpn);
    }

    public BgpDocuments(final java.util.function.Supplier<BgpConfig> config, final BgpSpeaker speaker, final EvpnControlPlane evpn)
    {
        this.config = config;
        this.speaker = speaker;
        this.evpn = evpn;
    }

    private static String description(final BgpConfig config, final InetAddress address)
    {
        return config.neighbors().stream().filter(neighbor -> neighbor.address().toInetAddress().equals(address))
            .map(BgpNeighborConfig::description).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /**
     * <pre>{@code
     * {"asn":65001,"router_id":"198.51.100.1","listen":"*:179",
     *  "peers":[{"address":"192.0.2.2","remote_as":65000,"type":"ebgp","description":"","state":"Established",
     *            "uptime_seconds":42,"hold_time":90,"prefixes_received":3,"prefixes_accepted":3,"prefixes_sent":2,
     *            "updates_received":5,"updates_sent":4,"established_transitions":1,"last_error":null}, ...],
     *  "evpn":{"routes":7,"mac_moves":0,"duplicate_macs":[]}}
     * }</pre>
     * {@code uptime_seconds} is null unless the session is Established.
     */
    String summary()
    {
        final long now = System.currentTimeMillis();
        final BgpConfig config = this.config.get();
        final JsonWriter json = new JsonWriter().beginObject()
            .field("asn", config.asn())
            .field("router_id", config.routerId().getHostAddress())
            .field("listen", (config.listenAddress() == null ? "*" : config.listenAddress().toString()) + ":" + config.listenPort())
            .name("peers").beginArray();
        final List<BgpPeer> peers = speaker.peers();
        for (int i = 0; i < peers.size(); i++)
        {
            final BgpPeer peer = peers.get(i);
            json.beginObject()
                .field("address", peer.config().address().getHostAddress())
                .field("remote_as", peer.config().remoteAs())
                .field("type", peer.isIbgp() ? "ibgp" : "ebgp")
                .field("description", description(config, peer.config().address()))
                .field("state", peer.state());
            json.name("uptime_seconds");
            if (peer.isEstablished() && peer.establishedSinceMillis() > 0)
            {
                json.value(Math.max(0, (now - peer.establishedSinceMillis()) / 1000));
            }
            else
            {
                json.nullValue();
            }
            final InetAddress remoteId = peer.remoteRouterId();
            json.field("remote_router_id", remoteId == null ? null : remoteId.getHostAddress())
                .field("hold_time", peer.negotiatedHoldSeconds())
                .field("prefixes_received", evpn.prefixesReceived(peer))
                .field("prefixes_accepted", evpn.prefixesAccepted(peer))
                .field("prefixes_sent", evpn.prefixesSent(peer))
                .field("updates_received", peer.updatesReceived())
                .field("updates_sent", peer.updatesSent())
                .field("established_transitions", peer.establishedTransitions())
                .field("last_error", peer.lastError())
                .field("maximum_prefix", peer.config().maximumPrefix().limit())
                .field("prefix_limit_resets", peer.prefixLimitResets())
                .field("read_pauses", peer.readPauses())
                // Whether TCP-MD5 is on, never the password.
                .field("tcp_md5", peer.config().password() != null)
                .field("ttl_security_hops", peer.config().ttlSecurityHops())
                .endObject();
        }
        json.endArray().name("evpn").beginObject()
            .field("routes", evpn.routeCount())
            .field("mac_moves", evpn.macMoves())
            .name("duplicate_macs").beginArray();
        for (final String mac : evpn.duplicateMacList())
        {
            json.value(mac);
        }
        return json.endArray().endObject().endObject() + "\n";
    }

    /**
     * <pre>{@code
     * {"routes":[{"type":2,"vni":100,"rd":"198.51.100.2:2","mac":"02:00:00:00:00:0b","ip":null,
     *             "next_hop":"198.51.100.2","sequence":0,"sticky":false,"best":true,"source":"192.0.2.2"}, ...]}
     * }</pre>
     * Sorted by VNI, type, MAC, then source; {@code source} is {@code local} for vtep's own routes.
     *
     * @param vniOrZero one VNI, or 0 for all
     */
    String routes(final int vniOrZero)
    {
        final List<EvpnRouteView> routes = evpn.routes().stream()
            .filter(route -> vniOrZero == 0 || route.vni() == vniOrZero)
            .sorted(Comparator.comparingInt(EvpnRouteView::vni)
                .thenComparingInt(EvpnRouteView::type)
                .thenComparing(route -> String.valueOf(route.mac()))
                .thenComparing(route -> String.valueOf(route.source())))
            .toList();
        final JsonWriter json = new JsonWriter().beginObject().name("routes").beginArray();
        for (final EvpnRouteView route : routes)
        {
            json.beginObject()
                .field("type", route.type())
                .field("vni", route.vni())
                .field("rd", text(route.rd()))
                .field("mac", text(route.mac()))
                .field("ip", text(route.ip()))
                .field("next_hop", text(route.nextHop()))
                .field("sequence", route.sequence())
                .field("sticky", route.sticky())
                .field("best", route.best())
                .field("source", text(route.source()))
                .field("esi", route.esi())
                .endObject();
        }
        return json.endArray().endObject() + "\n";
    }

    /**
     * @param lacp each access port's LACP, or null for a port without
     * @return the document of {@code GET /api/v1/es} ({@link SegmentDocuments}).
     */
    String segments(final Function<String, LacpPort> lacp)
    {
        return SegmentDocuments.of(evpn, lacp);
    }

    private static String text(final Object value)
    {
        if (value == null)
        {
            return null;
        }
        return value instanceof InetAddress address ? address.getHostAddress() : value.toString();
    }
}
