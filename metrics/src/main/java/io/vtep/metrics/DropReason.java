package io.vtep.metrics;

/**
 * Why the data path dropped a packet: a closed list, exported as the {@code reason} label.
 * Every reason has a one-line meaning, repeated in the README's metrics reference.
 */
public enum DropReason
{
    /** Too short for the headers it claims (Ethernet, VXLAN) or otherwise unparseable. */
    MALFORMED("malformed", "too short for its headers or otherwise unparseable"),
    /** A VXLAN header whose I flag is clear (RFC 7348 §5: the VNI is not valid). */
    VXLAN_FLAGS("vxlan_flags", "VXLAN header with the I flag clear"),
    /** A VXLAN packet for a VNI this VTEP does not serve. */
    UNKNOWN_VNI("unknown_vni", "VXLAN packet for a VNI that is not configured"),
    /** A frame on an access port whose VLAN (or lack of tag) maps to no VNI on that port. */
    UNKNOWN_VLAN("unknown_vlan", "access frame on a VLAN (or untagged) that the port does not map"),
    /** A frame that would exceed the underlay MTU once encapsulated (VXLAN is never fragmented). */
    MTU_EXCEEDED("mtu_exceeded", "frame too large for the underlay MTU after encapsulation"),
    /** An overlay frame whose destination sits behind another VTEP: never sent back into the overlay. */
    SPLIT_HORIZON("split_horizon", "overlay frame for a MAC behind another remote VTEP"),
    /** A frame whose destination is the port it came in on (a bridge filters it). */
    SAME_PORT("same_port", "destination MAC is on the port and VLAN the frame came from"),
    /** Nowhere to send: unknown or BUM traffic with no other local member and no flood list. */
    NO_ROUTE("no_route", "no destination: nothing to flood to"),
    /** A VXLAN packet whose outer source is this VTEP itself (a loop). */
    OWN_VTEP("own_vtep", "VXLAN packet sent by this VTEP's own address"),
    /** The kernel refused to send (queue full, no route, message too long). */
    TX_ERROR("tx_error", "the kernel refused to send the packet"),
    /** A frame larger than the receive buffer of the port driver. */
    TRUNCATED("truncated", "frame larger than the driver's receive buffer"),
    /**
     * A decapsulated frame that carries an 802.1Q tag: RFC 7348 §6.1, "Decapsulated VXLAN frames with
     * the inner VLAN tag SHOULD be discarded unless configured otherwise" (the VNI stands for the VLAN).
     */
    INNER_VLAN_TAGGED("inner_vlan_tagged", "decapsulated frame carrying an 802.1Q tag (RFC 7348 section 6.1)"),
    /**
     * A VXLAN packet from a source VTEP this VTEP does not know, for a VNI that does not learn from the
     * data plane (EVPN or none): only VTEPs known from the control plane or configuration are accepted,
     * so spoofed outer sources cannot fill the remote VTEP table.
     */
    UNKNOWN_VTEP("unknown_vtep", "VXLAN packet from an unknown VTEP for a VNI that does not learn from the data plane"),
    /**
     * An offloaded access frame (partial checksum, TSO/GSO super-frame) whose offload request does
     * not match its headers, or asks for an offload vtep does not do (UDP fragmentation offload).
     */
    BAD_OFFLOAD("bad_offload", "offloaded frame whose checksum or segmentation request does not match its headers"),
    /**
     * A VXLAN packet from a VTEP that does not belong to the VNI it names (its flood list, static
     * entries, EVPN routes): VXLAN carries no authentication (RFC 7348 §7), so a VNI that knows its
     * members accepts frames only from them ({@code accept-from: members}).
     */
    NOT_VNI_MEMBER("not_vni_member", "VXLAN packet from a VTEP that is not a member of the VNI"),
    /**
     * A broadcast, multicast or unknown-unicast frame over the storm-control rate of its access port
     * or VNI (token bucket): one host's storm does not take the segment's bandwidth.
     */
    STORM_CONTROL("storm_control", "broadcast, multicast or unknown-unicast frame over the storm-control rate"),
    /**
     * A frame the kernel dropped at an access port's receive socket before vtep read it (the socket's
     * receive queue was full: the pipeline fell behind for longer than the buffer lasts). Counted
     * from the socket's {@code sk_drops}, so it has no VNI.
     */
    ACCESS_SOCKET_QUEUE("access_socket_queue", "frame the kernel dropped at an access port's full receive socket"),
    /**
     * A datagram the kernel dropped at the underlay UDP socket before vtep read it (receive buffer
     * full, or a bad UDP checksum). Counted from the socket's {@code sk_drops}, so it has no VNI.
     */
    UNDERLAY_SOCKET_QUEUE("underlay_socket_queue", "VXLAN datagram the kernel dropped at the full underlay UDP socket"),
    /**
     * A frame received on, or due to leave by, an access port with LACP that LACP does not let
     * forward yet: the port is not collecting and distributing (IEEE 802.1AX-2014 §6.4.15), so the
     * server's LAG does not count it as a member either.
     */
    LACP_NOT_DISTRIBUTING("lacp_not_distributing", "frame on an access port whose LACP is not collecting and distributing"),
    /**
     * An IEEE 802.3 Slow Protocols frame (EtherType 0x8809: LACP, Marker) that LACP did not take: the
     * port has no LACP, or LACP's queue was full. A bridge never forwards them (IEEE 802.1Q §8.6.3).
     */
    SLOW_PROTOCOLS("slow_protocols", "Slow Protocols frame (LACP, Marker) not taken by the port's LACP; never forwarded"),
    /**
     * A copy of a broadcast, multicast or unknown-unicast frame from the overlay not sent onto an
     * Ethernet segment port, because another gateway on the segment is its designated forwarder in
     * the VNI (RFC 7432 §8.5): the server gets one copy, from the DF.
     */
    NOT_DESIGNATED_FORWARDER("not_designated_forwarder",
        "BUM copy from the overlay for an Ethernet segment whose designated forwarder is another gateway"),
    /**
     * A copy of a broadcast, multicast or unknown-unicast frame from a VTEP that is itself attached to
     * the Ethernet segment, not sent onto it (local bias, RFC 8365 §8.3.1): that VTEP already
     * delivered it on the segment, and a frame from the server would come back to it.
     */
    LOCAL_BIAS("local_bias", "BUM copy from a VTEP attached to the same Ethernet segment, not sent onto it (RFC 8365 section 8.3.1)");

    private static final DropReason[] VALUES = values();

    private final String label;
    private final String meaning;

    DropReason(final String label, final String meaning)
    {
        this.label = label;
        this.meaning = meaning;
    }

    /** The Prometheus label value. */
    public String label()
    {
        return label;
    }

    /** One line for documentation and the CLI. */
    public String meaning()
    {
        return meaning;
    }

    public static int count()
    {
        return VALUES.length;
    }

    public static DropReason of(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
