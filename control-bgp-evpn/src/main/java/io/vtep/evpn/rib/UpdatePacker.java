package io.vtep.evpn.rib;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vtep.evpn.codec.BgpCodec;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.EvpnUpdates;
import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.attr.MpReachNlri;
import io.vtep.evpn.codec.attr.PathAttribute;
import io.vtep.evpn.codec.nlri.EthernetAutoDiscoveryRoute;
import io.vtep.evpn.codec.nlri.EthernetSegmentRoute;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;

/**
 * Packs locally originated routes into as few UPDATEs as fit in {@link CodecContext#MAX_MESSAGE_LENGTH}
 * (4096 octets, RFC 4271 §4.1): MAC/IP routes that share every path attribute (route targets,
 * MAC mobility sequence and sticky flag) go into one MP_REACH_NLRI (RFC 4760 §3), about 120 routes
 * per UPDATE; withdrawals into one MP_UNREACH_NLRI, about 130 per UPDATE. Type-3 routes each
 * carry their VNI's PMSI tunnel attribute, so they go one per UPDATE, exactly as
 * {@link EvpnUpdates} (and FRR) writes them.
 */
public final class UpdatePacker
{
    /** UPDATE header (19) + withdrawn length (2) + attributes length (2) + MP_UNREACH header (4) + AFI/SAFI (3). */
    private static final int WITHDRAW_BASE = BgpCodec.HEADER_LENGTH + 4 + 4 + 3;

    private final int maxMessageLength;

    /** @param maxMessageLength the largest UPDATE to build (4096 unless extended messages were negotiated). */
    public UpdatePacker(final int maxMessageLength)
    {
        this.maxMessageLength = maxMessageLength;
    }

    /** A packer for 4096-octet UPDATEs. */
    public UpdatePacker()
    {
        this(CodecContext.MAX_MESSAGE_LENGTH);
    }

    /**
     * Shared attributes of a group of MAC/IP routes.
     *
     * @param routeTargets the route targets.
     * @param sequence     MAC mobility sequence.
     * @param sticky       sticky flag.
     * @param vni          the VNI.
     */
    private record Group(List<?> routeTargets, long sequence, boolean sticky, int vni)
    {
    }

    /**
     * @param paths   local paths to advertise.
     * @param options iBGP or eBGP attributes.
     * @return the UPDATEs, type 3 first.
     */
    public List<UpdateMessage> advertise(final List<EvpnPath> paths, final EvpnUpdates.PathOptions options)
    {
        final List<UpdateMessage> updates = new ArrayList<>();
        final Map<Group, List<EvpnPath>> groups = new LinkedHashMap<>();
        for (final EvpnPath path : paths)
        {
            if (path.route() instanceof InclusiveMulticastRoute multicast)
            {
                updates.add(EvpnUpdates.inclusiveMulticast(multicast.rd(), path.vni(), path.nextHop(), path.routeTargets(), options));
            }
            else if (path.route() instanceof EthernetSegmentRoute || path.route() instanceof EthernetAutoDiscoveryRoute)
            {
                // A few per segment: one route an UPDATE, as FRR sends them.
                updates.add(EvpnUpdates.segmentRoute(path.route(), path.nextHop(), path.routeTargets(), path.multihoming(), options));
            }
            else if (path.route() instanceof MacIpAdvertisementRoute)
            {
                groups.computeIfAbsent(new Group(path.routeTargets(), path.sequence(), path.sticky(), path.vni()),
                    ignored -> new ArrayList<>()).add(path);
            }
        }
        for (final List<EvpnPath> group : groups.values())
        {
            packGroup(group, options, updates);
        }
        return updates;
    }

    /**
     * @param routes routes to withdraw.
     * @return UPDATEs holding only MP_UNREACH_NLRI.
     */
    public List<UpdateMessage> withdraw(final List<EvpnRoute> routes)
    {
        final List<UpdateMessage> updates = new ArrayList<>();
        int from = 0;
        int length = WITHDRAW_BASE;
        for (int i = 0; i < routes.size(); i++)
        {
            final int routeLength = 2 + routes.get(i).valueLength();
            if (length + routeLength > maxMessageLength)
            {
                updates.add(EvpnUpdates.withdraw(routes.subList(from, i)));
                from = i;
                length = WITHDRAW_BASE;
            }
            length += routeLength;
        }
        if (from < routes.size())
        {
            updates.add(EvpnUpdates.withdraw(routes.subList(from, routes.size())));
        }
        return updates;
    }

    /** @return the End-of-RIB marker for L2VPN EVPN (RFC 4724 §2). */
    public static UpdateMessage endOfRib()
    {
        return EvpnUpdates.endOfRib();
    }

    private void packGroup(final List<EvpnPath> group, final EvpnUpdates.PathOptions options, final List<UpdateMessage> updates)
    {
        // The attributes EvpnUpdates writes for the first route, measured once: every route of the
        // group shares them, only the NLRI in MP_REACH_NLRI grows.
        final EvpnPath first = group.getFirst();
        final MacIpAdvertisementRoute firstRoute = (MacIpAdvertisementRoute)first.route();
        final UpdateMessage template = EvpnUpdates.macIpAdvertisement(firstRoute.rd(), first.vni(), firstRoute.mac(),
            firstRoute.ip(), first.nextHop(), first.routeTargets(), first.sequence(), first.sticky(), options);
        final int base = BgpCodec.encode(template, CodecContext.FOUR_OCTET_AS).length - 2 - firstRoute.valueLength();

        final List<EvpnRoute> routes = new ArrayList<>();
        int length = base;
        for (final EvpnPath path : group)
        {
            final int routeLength = 2 + path.route().valueLength();
            if (length + routeLength > maxMessageLength && !routes.isEmpty())
            {
                updates.add(withRoutes(template, first, routes));
                routes.clear();
                length = base;
            }
            routes.add(path.route());
            length += routeLength;
        }
        updates.add(withRoutes(template, first, routes));
    }

    private static UpdateMessage withRoutes(final UpdateMessage template, final EvpnPath first, final List<EvpnRoute> routes)
    {
        final List<PathAttribute> attributes = new ArrayList<>(template.pathAttributes());
        attributes.set(0, MpReachNlri.evpn(first.nextHop(), List.copyOf(routes)));
        return UpdateMessage.of(attributes);
    }
}
