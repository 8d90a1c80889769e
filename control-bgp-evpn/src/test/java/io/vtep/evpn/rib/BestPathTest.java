package io.vtep.evpn.rib;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;

/** One test per step of the decision process, each pair differing only in that step. */
class BestPathTest
{
    private static final MacIpAdvertisementRoute ROUTE =
        MacIpAdvertisementRoute.of(RouteDistinguisher.parse("198.51.100.2:1"), EvpnMac.parse("02:00:00:00:00:01"), null, 100);
    private static final InetAddress NH = WireFormat.parseAddress("198.51.100.2");

    private static EvpnPath path(final InetAddress nextHop, final long localPref, final int asPathLength, final int origin, final long med,
        final long neighborAs, final boolean ebgp, final long originatorId, final int clusterListLength, final long sequence,
        final boolean sticky)
    {
        return new EvpnPath(ROUTE, null, nextHop, localPref, asPathLength, origin, med, neighborAs, ebgp, originatorId,
            clusterListLength, List.of(), sequence, sticky, null, 100, EvpnPath.PROXY_OVERRIDE, List.of());
    }

    private static EvpnPath base()
    {
        return path(NH, 100, 1, 0, 0, 65001, false, 10, 0, 0, false);
    }

    private static void better(final EvpnPath winner, final EvpnPath loser)
    {
        assertSame(winner, BestPath.select(List.of(loser, winner)));
        assertSame(winner, BestPath.select(List.of(winner, loser)));
    }

    @Test
    void stickyBeatsAnySequence()
    {
        better(path(NH, 100, 1, 0, 0, 65001, false, 10, 0, 0, true), path(NH, 100, 1, 0, 0, 65001, false, 10, 0, 9, false));
    }

    @Test
    void higherSequenceBeatsLocalPreference()
    {
        better(path(NH, 50, 1, 0, 0, 65001, false, 10, 0, 2, false), path(NH, 200, 1, 0, 0, 65001, false, 10, 0, 1, false));
    }

    @Test
    void equalSequenceFromTwoVtepsLowestAddressWins()
    {
        better(path(WireFormat.parseAddress("198.51.100.1"), 50, 1, 0, 0, 65001, false, 10, 0, 0, false), base());
    }

    @Test
    void localPrefThenAsPathThenOriginThenMed()
    {
        better(path(NH, 200, 1, 0, 0, 65001, false, 10, 0, 0, false), base());
        better(path(NH, 100, 0, 0, 0, 65001, false, 10, 0, 0, false), base());
        better(base(), path(NH, 100, 1, 2, 0, 65001, false, 10, 0, 0, false));
        better(base(), path(NH, 100, 1, 0, 5, 65001, false, 10, 0, 0, false));
    }

    @Test
    void medIsOnlyComparedWithinOneNeighborAs()
    {
        // Different neighbor AS: MED skipped, so the lower originator id decides.
        better(path(NH, 100, 1, 0, 50, 65002, false, 5, 0, 0, false), base());
    }

    @Test
    void ebgpThenOriginatorIdThenClusterList()
    {
        better(path(NH, 100, 1, 0, 0, 65001, true, 10, 0, 0, false), base());
        better(path(NH, 100, 1, 0, 0, 65001, false, 9, 0, 0, false), base());
        better(base(), path(NH, 100, 1, 0, 0, 65001, false, 10, 2, 0, false));
    }
}
