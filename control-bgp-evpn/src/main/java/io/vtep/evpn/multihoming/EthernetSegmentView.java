package io.vtep.evpn.multihoming;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import io.vtep.evpn.codec.nlri.EthernetSegmentId;

/**
 * A local Ethernet segment's state, an immutable snapshot: what the data plane applies (DF per VNI,
 * the VTEPs on the segment for local bias) and what the API shows.
 *
 * @param port                  the access port.
 * @param esi                   the segment.
 * @param up                    whether the port is operationally up (our routes are advertised).
 * @param algorithm             the DF algorithm in use.
 * @param vnis                  the VNIs on the segment, ascending.
 * @param peers                 the other VTEPs on the segment: originators of its type-4 routes, or of type-1 routes for its ESI.
 * @param designatedForwarders  the elected DF per VNI; a VNI is absent while an election is pending.
 * @param localVtep             our VTEP address, to tell whether we are the DF.
 * @param vlan                  the port's VLAN the segment is, or null for a segment of the whole port.
 */
public record EthernetSegmentView(String port, EthernetSegmentId esi, boolean up, DfAlgorithm algorithm, List<Integer> vnis, List<InetAddress> peers,
    Map<Integer, InetAddress> designatedForwarders, InetAddress localVtep, Integer vlan)
{
    /** Copies the collections. */
    public EthernetSegmentView
    {
        vnis = List.copyOf(vnis);
        peers = List.copyOf(peers);
        designatedForwarders = Map.copyOf(designatedForwarders);
    }

    /** A segment of the whole port. */
    public EthernetSegmentView(final String port, final EthernetSegmentId esi, final boolean up, final DfAlgorithm algorithm,
        final List<Integer> vnis, final List<InetAddress> peers, final Map<Integer, InetAddress> designatedForwarders,
        final InetAddress localVtep)
    {
        this(port, esi, up, algorithm, vnis, peers, designatedForwarders, localVtep, null);
    }

    /**
     * @param vni a VNI of the segment.
     * @return whether this gateway sends BUM from the overlay onto the segment in that VNI (RFC 7432 §8.5).
     */
    public boolean isDesignatedForwarder(final int vni)
    {
        return up && localVtep.equals(designatedForwarders.get(vni));
    }
}
