package io.vtep.core.api;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.vtep.core.lacp.LacpPort;
import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.controlplane.EvpnControlPlane;
import io.vtep.evpn.multihoming.EthernetSegmentView;

/**
 * The JSON document of {@code GET /api/v1/es}: the local Ethernet segments (EVPN multihoming) with
 * their state, the other VTEPs on each, the DF per VNI; and the remote segments this VTEP hears A-D
 * per ES routes for, with their VTEPs.
 */
final class SegmentDocuments
{
    private SegmentDocuments()
    {
    }

    /**
     * <pre>
     * {"segments":[{"esi":"00:11:22:33:44:55:66:77:88:99","port":"acc1","vlan":null,"state":"up","df_algorithm":"modulo",
     *   "peers":["192.0.2.2"],"designated_forwarders":[{"vni":100,"vtep":"192.0.2.1","local":true}],
     *   "lacp":{"distributing":true,…}}],
     *  "remote":[{"esi":"03:44:38:39:ff:00:01:00:00:01","vteps":["192.0.2.7","192.0.2.8"]}]}
     * </pre>
     * A VNI whose election is pending (the DF timer runs) has {@code "vtep":null}; {@code vlan} is the
     * port's VLAN a per-VLAN segment is ({@code vlan-segments}), null for a segment of the whole port.
     * {@code lacp}, on a segment whose port runs LACP, is the same object as in {@code GET /api/v1/ports}
     * ({@link LacpDocument}): with LACP the segment is up only while LACP distributes, so this says why
     * a segment is down.
     *
     * @param lacp each access port's LACP, or null for a port without
     */
    static String of(final EvpnControlPlane evpn, final Function<String, LacpPort> lacp)
    {
        final JsonWriter json = new JsonWriter().beginObject().name("segments").beginArray();
        for (final EthernetSegmentView segment : evpn.segments())
        {
            json.beginObject()
                .field("esi", segment.esi().toString())
                .field("port", segment.port());
            if (segment.vlan() == null)
            {
                json.name("vlan").nullValue();
            }
            else
            {
                json.field("vlan", segment.vlan());
            }
            json.field("state", segment.up() ? "up" : "down")
                .field("df_algorithm", segment.algorithm().configName());
            addresses(json.name("peers"), segment.peers());
            json.name("designated_forwarders").beginArray();
            final Map<Integer, InetAddress> designated = segment.designatedForwarders();
            for (final int vni : segment.vnis())
            {
                final InetAddress df = designated.get(vni);
                json.beginObject()
                    .field("vni", vni)
                    .field("vtep", df == null ? null : df.getHostAddress())
                    .field("local", segment.isDesignatedForwarder(vni))
                    .endObject();
            }
            json.endArray();
            final LacpPort port = lacp.apply(segment.port());
            if (port != null)
            {
                LacpDocument.write(json.name("lacp"), port);
            }
            json.endObject();
        }
        json.endArray().name("remote").beginArray();
        for (final Map.Entry<EthernetSegmentId, List<InetAddress>> remote : evpn.remoteSegments().entrySet())
        {
            json.beginObject().field("esi", remote.getKey().toString());
            addresses(json.name("vteps"), remote.getValue());
            json.endObject();
        }
        return json.endArray().endObject() + "\n";
    }

    private static void addresses(final JsonWriter json, final List<InetAddress> addresses)
    {
        json.beginArray();
        for (final InetAddress address : addresses)
        {
            json.value(address.getHostAddress());
        }
        json.endArray();
    }
}
