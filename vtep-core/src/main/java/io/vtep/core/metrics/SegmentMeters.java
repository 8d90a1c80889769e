package io.vtep.core.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vtep.evpn.controlplane.EvpnControlPlane;
import io.vtep.evpn.multihoming.EthernetSegmentView;

/**
 * EVPN multihoming metrics: per local Ethernet segment whether it is up (its routes advertised), how
 * many other VTEPs are on it, and per segment and VNI whether this gateway is the designated
 * forwarder. Segments and their VNIs are fixed at start, so the series are bounded; read at scrape
 * time from the control plane's last published state.
 */
public final class SegmentMeters
{
    public static final String ESI = "esi";
    public static final String VNI = "vni";
    public static final String DESIGNATED_FORWARDER = "vtep.es.designated.forwarder";
    public static final String UP = "vtep.es.up";
    public static final String PEERS = "vtep.es.peers";

    private SegmentMeters()
    {
    }

    /**
     * @param registry the appliance's registry.
     * @param evpn     the control plane (its segments as of now: all of them, each with its VNIs).
     */
    public static void bind(final MeterRegistry registry, final EvpnControlPlane evpn)
    {
        for (final EthernetSegmentView segment : evpn.segments())
        {
            final String esi = segment.esi().toString();
            final String port = segment.port();
            Gauge.builder(UP, evpn, plane -> find(plane, port) != null && find(plane, port).up() ? 1 : 0)
                .description("1 while the Ethernet segment's port is operationally up and its routes are advertised")
                .tag(ESI, esi).strongReference(true).register(registry);
            Gauge.builder(PEERS, evpn, plane -> find(plane, port) == null ? 0 : find(plane, port).peers().size())
                .description("other VTEPs on the Ethernet segment (type-4 or type-1 routes for its ESI)")
                .tag(ESI, esi).strongReference(true).register(registry);
            for (final int vni : segment.vnis())
            {
                Gauge.builder(DESIGNATED_FORWARDER, evpn, plane -> find(plane, port) != null && find(plane, port).isDesignatedForwarder(vni) ? 1 : 0)
                    .description("1 when this gateway is the designated forwarder of the Ethernet segment in the VNI (RFC 7432 section 8.5)")
                    .tag(ESI, esi).tag(VNI, Integer.toString(vni)).strongReference(true).register(registry);
            }
        }
    }

    private static EthernetSegmentView find(final EvpnControlPlane evpn, final String port)
    {
        for (final EthernetSegmentView segment : evpn.segments())
        {
            if (segment.port().equals(port))
            {
                return segment;
            }
        }
        return null;
    }
}
