package io.vtep.core.app;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import io.vtep.core.config.EthernetSegmentConfig;
import io.vtep.core.config.PortConfig;
import io.vtep.core.config.VtepConfig;
import io.vtep.core.lacp.LacpPort;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.pipeline.SegmentFilter;
import io.vtep.core.port.PortLink;
import io.vtep.encap.VtepAddress;
import io.vtep.evpn.controlplane.EvpnControlPlane;
import io.vtep.evpn.multihoming.EthernetSegmentSettings;
import io.vtep.evpn.multihoming.EthernetSegmentView;
import io.vtep.evpn.multihoming.SegmentAttachments;
import io.vtep.evpn.multihoming.SegmentListener;
import io.vtep.fdb.RemoteVtep;
import io.vtep.fdb.RemoteVtepTable;

/**
 * Wires EVPN multihoming between the control plane and the data plane: the Ethernet segments of
 * the configuration (a port's, or one per VLAN of a port) with their attachments (for
 * {@link EthernetSegmentSettings}); each change of a segment's state into the {@link SegmentFilter}
 * of its attachments; a segment port's link state, or its LACP state, into
 * {@link EvpnControlPlane#segmentPortState}, the one entry point (for all of the port's segments);
 * and the VNI of a segment's attachments for the MACs the other gateways advertise (MAC sync).
 */
final class SegmentWiring implements SegmentListener, SegmentAttachments
{
    /** VLAN ids are below this (802.1Q: 1..4094). */
    private static final int MAX_VLAN = 4095;

    private final ForwardingTables tables;
    private final RemoteVtepTable remoteVteps;

    SegmentWiring(final ForwardingTables tables, final RemoteVtepTable remoteVteps)
    {
        this.tables = tables;
        this.remoteVteps = remoteVteps;
    }

    /**
     * @return the configuration's segments, with the attachment ids of their ports' VLANs (tables
     *         built): a port's one segment with all of them, or a segment per VLAN with that VLAN's.
     */
    static List<EthernetSegmentSettings> settings(final VtepConfig config, final ForwardingTables tables)
    {
        final List<EthernetSegmentSettings> segments = new ArrayList<>();
        for (final PortConfig port : config.ports())
        {
            final PortContext context = tables == null ? null : tables.port(port.name());
            if (port.ethernetSegment() != null)
            {
                segments.add(settings(port, context, port.ethernetSegment(), port.vlans(), null));
            }
            port.vlanSegments().forEach((vlan, segment) -> segments.add(settings(port, context, segment,
                Map.of(vlan, port.vlans().get(vlan)), vlan)));
        }
        return segments;
    }

    /** One segment of {@code port} over {@code vlans} (VLAN → VNI); {@code vlan} null for the whole port. */
    private static EthernetSegmentSettings settings(final PortConfig port, final PortContext context, final EthernetSegmentConfig segment,
        final Map<Integer, Integer> vlans, final Integer vlan)
    {
        final Set<Integer> attachments = new HashSet<>();
        final List<Integer> vnis = new ArrayList<>();
        vlans.forEach((id, vni) ->
        {
            if (!vnis.contains(vni))
            {
                vnis.add(vni);
            }
            final Attachment attachment = context == null ? null : context.attachment(id == PortConfig.UNTAGGED ? Attachment.UNTAGGED : id);
            if (attachment != null)
            {
                attachments.add(attachment.id());
            }
        });
        vnis.sort(null);
        return new EthernetSegmentSettings(port.name(), segment.esi(), segment.dfAlgorithm(), segment.dfPreference(),
            Duration.ofSeconds(segment.dfElectionSeconds()), segment.singleActive(), vnis, attachments, vlan);
    }

    /**
     * Segment ports start up (as their {@link PortLink} does) and follow their link from then on;
     * a segment port with LACP follows LACP instead: it is operational for the segment only while
     * LACP collects and distributes on it (IEEE 802.1AX-2014 §6.4.15), which it stops doing on a link
     * down too. Either way its A-D per ES and ES routes go when it stops (mass withdrawal, RFC 7432 §8.2).
     *
     * @param lacp the LACP wiring, or null when no port runs LACP
     */
    static void follow(final VtepConfig config, final List<PortLink> links, final LacpWiring lacp, final EvpnControlPlane evpn)
    {
        final Set<String> segmentPorts = new HashSet<>();
        for (final PortConfig port : config.ports())
        {
            if (!port.hasSegments())
            {
                continue;
            }
            segmentPorts.add(port.name());
            if (port.lacp().isOn() && lacp != null)
            {
                continue;
            }
            for (final PortLink link : links)
            {
                if (link.name().equals(port.name()))
                {
                    link.operationalListener(up -> evpn.segmentPortState(port.name(), up));
                    evpn.segmentPortState(port.name(), link.state() == PortLink.State.UP);
                }
            }
        }
        if (lacp == null)
        {
            return;
        }
        lacp.agent().addListener((port, operational) ->
        {
            if (segmentPorts.contains(port))
            {
                evpn.segmentPortState(port, operational);
            }
        });
        for (final LacpPort port : lacp.agent().ports())
        {
            if (segmentPorts.contains(port.name()))
            {
                evpn.segmentPortState(port.name(), port.isDistributing());
            }
        }
    }

    /**
     * On the EVPN control thread: the new DF and segment VTEPs into the segment's attachments: every
     * one of the port's for a whole-port segment, its VLAN's only for a VLAN's segment (the port's
     * other VLANs are other segments, or single-homed).
     */
    @Override
    public void segmentChanged(final EthernetSegmentView segment)
    {
        final PortContext port = tables.port(segment.port());
        if (port == null)
        {
            return;
        }
        final List<Integer> indexes = new ArrayList<>();
        for (final InetAddress peer : segment.peers())
        {
            final RemoteVtep vtep = remoteVteps.intern(VtepAddress.of(peer));
            if (vtep != null)
            {
                indexes.add(vtep.index());
            }
        }
        final int[] vteps = indexes.stream().mapToInt(Integer::intValue).toArray();
        if (segment.vlan() != null)
        {
            install(port.attachment(segment.vlan()), segment, vteps);
            return;
        }
        for (int vlan = Attachment.UNTAGGED; vlan < MAX_VLAN; vlan = vlan == Attachment.UNTAGGED ? 1 : vlan + 1)
        {
            install(port.attachment(vlan), segment, vteps);
        }
    }

    /** One volatile write: the attachment's filter for the segment's DF in its VNI and the segment's VTEPs (local bias). */
    private static void install(final Attachment attachment, final EthernetSegmentView segment, final int[] vteps)
    {
        if (attachment != null)
        {
            attachment.segment(new SegmentFilter(segment.isDesignatedForwarder(attachment.vni().vni()), vteps));
        }
    }

    /** On the EVPN control thread: the VNI of an attachment, for MAC sync (RFC 7432 §8.4). */
    @Override
    public OptionalInt vniOf(final int attachment)
    {
        final Attachment found = tables.attachment(attachment);
        return found == null ? OptionalInt.empty() : OptionalInt.of(found.vni().vni());
    }
}
