package io.vtep.evpn.rib;

import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;

import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.mobility.MobilityOrder;

/**
 * The EVPN best-path order: MAC mobility first for MAC/IP routes (RFC 7432 §15.2), then the BGP
 * decision process (RFC 4271 §9.1.2.2 with the route reflection tie breakers of RFC 4456 §9).
 * {@link #ORDER} sorts the better path first.
 */
public final class BestPath
{
    /** Better path first. */
    public static final Comparator<EvpnPath> ORDER = BestPath::compare;

    private BestPath()
    {
    }

    /**
     * @param paths candidate paths, not empty.
     * @return the best one.
     */
    public static EvpnPath select(final List<EvpnPath> paths)
    {
        EvpnPath best = paths.getFirst();
        for (int i = 1; i < paths.size(); i++)
        {
            if (compare(paths.get(i), best) < 0)
            {
                best = paths.get(i);
            }
        }
        return best;
    }

    /**
     * @param a a path.
     * @param b another path to the same route (or the same MAC).
     * @return negative when {@code a} is better.
     */
    public static int compare(final EvpnPath a, final EvpnPath b)
    {
        // RFC 7432 §15: sticky, then the higher sequence, then (between MAC/IP routes from two
        // VTEPs, ours included) the lowest VTEP address.
        final boolean macs = a.route() instanceof MacIpAdvertisementRoute && b.route() instanceof MacIpAdvertisementRoute;
        final int mobility = MobilityOrder.compare(a.sequence(), a.sticky(), macs ? a.nextHop() : null,
            b.sequence(), b.sticky(), macs ? b.nextHop() : null);
        if (mobility != 0)
        {
            return mobility;
        }
        // RFC 4271 §9.1.2.2 (preamble): highest degree of preference, LOCAL_PREF for iBGP routes.
        if (a.localPref() != b.localPref())
        {
            return a.localPref() > b.localPref() ? -1 : 1;
        }
        // a) shortest AS_PATH.
        if (a.asPathLength() != b.asPathLength())
        {
            return Integer.compare(a.asPathLength(), b.asPathLength());
        }
        // b) lowest ORIGIN.
        if (a.origin() != b.origin())
        {
            return Integer.compare(a.origin(), b.origin());
        }
        // c) lowest MED, only between routes from the same neighbor AS.
        if (a.neighborAs() == b.neighborAs() && a.med() != b.med())
        {
            return Long.compare(a.med(), b.med());
        }
        // d) eBGP-learned over iBGP-learned.
        if (a.ebgp() != b.ebgp())
        {
            return a.ebgp() ? -1 : 1;
        }
        // f) lowest BGP identifier, the ORIGINATOR_ID standing in for it (RFC 4456 §9).
        if (a.originatorId() != b.originatorId())
        {
            return Long.compare(a.originatorId(), b.originatorId());
        }
        // RFC 4456 §9: shortest CLUSTER_LIST.
        if (a.clusterListLength() != b.clusterListLength())
        {
            return Integer.compare(a.clusterListLength(), b.clusterListLength());
        }
        // g) lowest peer address.
        return compareAddresses(peerAddress(a), peerAddress(b));
    }

    /**
     * RFC 7432 §15.1: of two equal-sequence advertisements of a MAC from different VTEPs, the one
     * from the lowest IP address wins.
     *
     * @param a an address.
     * @param b another.
     * @return unsigned octet order, IPv4 before IPv6; {@code null} last.
     */
    public static int compareAddresses(final InetAddress a, final InetAddress b)
    {
        return MobilityOrder.compareAddresses(a, b);
    }

    private static InetAddress peerAddress(final EvpnPath path)
    {
        return path.peer() == null ? null : path.peer().config().address();
    }
}
