package io.vtep.evpn.controlplane;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.codec.attr.AsPath;
import io.vtep.evpn.codec.attr.OriginatorId;
import io.vtep.evpn.codec.nlri.EthernetAutoDiscoveryRoute;
import io.vtep.evpn.codec.nlri.EthernetSegmentRoute;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.rib.EvpnPath;
import io.vtep.evpn.session.BgpPeer;

/**
 * Which received routes are imported, and into which local VNIs (RFC 7432 §9.2, §10, §11; RFC 8365
 * §5.1): loop prevention, next hop checks, route targets to VNIs, the label when one route target
 * serves several VNIs; multihoming routes (RFC 7432 §8): type 4 only with the ES-Import route target
 * of one of our segments (§7.6), type 1 by the EVI route targets like types 2 and 3. Stateless
 * beyond the configuration.
 */
final class ImportPolicy
{
    private final long localAs;
    private final long routerIdValue;
    private final InetAddress localVtep;
    private final Collection<LocalVni> vnis;
    private final LocalSegments segments;

    /**
     * @param localAs   our AS.
     * @param routerId  our BGP identifier, as an unsigned 32-bit value.
     * @param localVtep our VTEP address.
     * @param vnis      the local VNIs (read-only here).
     * @param segments  the local Ethernet segments (their ES-Import RTs).
     */
    ImportPolicy(final long localAs, final long routerId, final InetAddress localVtep, final Collection<LocalVni> vnis,
        final LocalSegments segments)
    {
        this.segments = segments;
        this.localAs = localAs;
        this.routerIdValue = routerId;
        this.localVtep = localVtep;
        this.vnis = vnis;
    }

    /**
     * Loop prevention for the whole UPDATE: RFC 4456 §8 (our ORIGINATOR_ID: our own route
     * reflected back), RFC 4271 §9.1.2 (our AS in the AS_PATH of an eBGP route).
     */
    boolean isLoop(final BgpPeer peer, final UpdateMessage update)
    {
        final boolean ourOriginator = update.attribute(OriginatorId.class)
            .map(id -> (WireFormat.toInt(id.originatorId()) & 0xFFFF_FFFFL) == routerIdValue)
            .orElse(false);
        final boolean ourAs = !peer.isIbgp() && update.attribute(AsPath.class)
            .map(path -> EvpnPath.contains(path, localAs))
            .orElse(false);
        return ourOriginator || ourAs;
    }

    /** @return whether a received path is imported into at least one local VNI. */
    boolean isAccepted(final EvpnPath path)
    {
        final EvpnRoute route = path.route();
        if (!(route instanceof MacIpAdvertisementRoute) && !(route instanceof InclusiveMulticastRoute) &&
            !(route instanceof EthernetAutoDiscoveryRoute) && !(route instanceof EthernetSegmentRoute))
        {
            return false; // type 5: no IP prefixes on this VTEP
        }
        // Our own VTEP as next hop or tunnel: our route coming back some other way.
        if (path.nextHop() == null || localVtep.equals(path.nextHop()) || localVtep.equals(path.tunnelEndpoint()))
        {
            return false;
        }
        if (path.nextHop().getClass() != localVtep.getClass())
        {
            return false; // an IPv6 VTEP on an IPv4 underlay (or the reverse) is unreachable for the data path
        }
        for (final LocalVni vni : vnis)
        {
            if (vni.rd.equals(rdOf(path.route())))
            {
                return false; // our own RD: one of our routes
            }
        }
        if (route instanceof EthernetAutoDiscoveryRoute autoDiscovery && autoDiscovery.esi().isReserved() ||
            route instanceof EthernetSegmentRoute segment && segment.esi().isReserved())
        {
            return false; // RFC 7432 §5: ESI 0 is a single-homed site, MAX-ESI reserved: no segment to join or alias
        }
        if (route instanceof EthernetSegmentRoute)
        {
            return path.esImport() >= 0 && segments.importsEsImport(path.esImport()); // RFC 7432 §7.6
        }
        return !importingVnis(path).isEmpty();
    }

    /** @return the local VNIs a path belongs to, by route target (and label when several match). */
    List<LocalVni> importingVnis(final EvpnPath path)
    {
        final List<LocalVni> importing = new ArrayList<>(1);
        for (final LocalVni vni : vnis)
        {
            if (vni.imports(path.routeTargets()))
            {
                importing.add(vni);
            }
        }
        if (importing.size() > 1)
        {
            // One route target on several VNIs: the label names the VNI (RFC 8365 §5.1.3).
            final List<LocalVni> byLabel = importing.stream().filter(vni -> vni.vni == path.vni()).toList();
            return byLabel.isEmpty() ? importing : byLabel;
        }
        return importing;
    }

    private static Object rdOf(final EvpnRoute route)
    {
        return switch (route)
        {
            case MacIpAdvertisementRoute macIp -> macIp.rd();
            case InclusiveMulticastRoute multicast -> multicast.rd();
            case EthernetAutoDiscoveryRoute autoDiscovery -> autoDiscovery.rd();
            case EthernetSegmentRoute segment -> segment.rd();
            default -> null;
        };
    }
}
