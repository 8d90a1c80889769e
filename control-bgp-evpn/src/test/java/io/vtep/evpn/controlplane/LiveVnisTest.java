package io.vtep.evpn.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.encap.VtepAddress;
import io.vtep.evpn.codec.BgpCodec;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.EvpnUpdates;
import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.codec.attr.ExtendedCommunities;
import io.vtep.evpn.codec.attr.ExtendedCommunity;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;

/**
 * VNIs and route targets changed while the control plane runs (a reload, {@link LiveVnis}): what
 * the neighbor is sent and what the FDB holds, against a real FDB and a fake neighbor.
 */
class LiveVnisTest
{
    private static final long AS = 65000;
    private static final Inet4Address ROUTER_ID = WireFormat.parseIpv4("198.51.100.1");
    private static final InetAddress REMOTE = WireFormat.parseAddress("198.51.100.2");
    private static final int RUNNING = 100;
    private static final int ADDED = 300;
    private static final long LOCAL_MAC = 0x02_30_00_00_00_01L;
    private static final long REMOTE_MAC = 0x02_30_00_00_00_02L;
    private static final ExtendedCommunity.RouteTarget OTHER_RT = ExtendedCommunity.RouteTarget.parse("65000:999");
    private static final long WAIT = 5_000;

    private Fdb fdb;
    private EvpnControlPlane evpn;
    private FakePeer peer;

    @BeforeEach
    void start()
    {
        fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(RUNNING, LearningMode.EVPN, 0, null);
        evpn = new EvpnControlPlane(new EvpnSettings(AS, ROUTER_ID, VtepAddress.of(ROUTER_ID), List.of(EvpnVniSettings.auto(RUNNING)), 3,
            Duration.ofSeconds(180)), fdb);
        peer = new FakePeer("192.0.2.2", AS, AS, "192.0.2.2");
        evpn.start();
        evpn.established(peer);
        evpn.awaitIdle(WAIT);
        peer.clear();
    }

    @AfterEach
    void stop()
    {
        evpn.close();
    }

    @Test
    void anAddedVniIsAdvertisedWithItsLocalMacsAndImportsWhatWasReceivedBefore()
    {
        fdb.addVni(ADDED, LearningMode.EVPN, 0, null);
        fdb.vni(ADDED).learnLocal(LOCAL_MAC, 7, fdb.clock().nanoTime());
        fdb.conductor().doWork();
        receive(EvpnUpdates.macIpAdvertisement(remoteRd(), ADDED, new EvpnMac(REMOTE_MAC), null, REMOTE, auto(ADDED), 0, false,
            EvpnUpdates.PathOptions.ibgp()));
        receive(EvpnUpdates.inclusiveMulticast(remoteRd(), ADDED, REMOTE, auto(ADDED), EvpnUpdates.PathOptions.ibgp()));
        assertEquals(0, evpn.prefixesAccepted(peer), "no local VNI imports them yet");
        assertTrue(peer.updates().isEmpty(), "VNI " + ADDED + " is not in EVPN yet");

        assertTrue(evpn.addVni(EvpnVniSettings.auto(ADDED)));
        evpn.awaitIdle(WAIT);

        assertEquals(List.of("3 " + ownRd(2) + " " + auto(ADDED), "2 " + ADDED + " " + auto(ADDED)), advertised(peer.updates()));
        assertEquals(2, evpn.prefixesAccepted(peer), "re-imported from the Adj-RIB-In, no ROUTE-REFRESH needed");
        assertEquals(FdbEntry.remote(remote().index(), Origin.EVPN), fdb.vni(ADDED).lookup(REMOTE_MAC));
        assertEquals(List.of(remote()), Arrays.asList(fdb.vni(ADDED).floodList()));
        assertFalse(evpn.addVni(EvpnVniSettings.auto(ADDED)), "already in");
    }

    @Test
    void aRemovedVniWithdrawsItsRoutesAndTakesBackWhatItImported()
    {
        fdb.addVni(ADDED, LearningMode.EVPN, 0, null);
        evpn.addVni(EvpnVniSettings.auto(ADDED));
        fdb.vni(ADDED).learnLocal(LOCAL_MAC, 7, fdb.clock().nanoTime());
        fdb.conductor().doWork();
        receive(EvpnUpdates.macIpAdvertisement(remoteRd(), ADDED, new EvpnMac(REMOTE_MAC), null, REMOTE, auto(ADDED), 0, false,
            EvpnUpdates.PathOptions.ibgp()));
        receive(EvpnUpdates.inclusiveMulticast(remoteRd(), ADDED, REMOTE, auto(ADDED), EvpnUpdates.PathOptions.ibgp()));
        peer.clear();

        assertTrue(evpn.removeVni(ADDED));
        evpn.awaitIdle(WAIT);

        assertEquals(List.of("3 " + ownRd(2), "2 " + ADDED), withdrawn(peer.updates()));
        assertEquals(FdbEntry.NONE, fdb.vni(ADDED).lookup(REMOTE_MAC));
        assertEquals(0, fdb.vni(ADDED).floodList().length);
        assertEquals(0, evpn.prefixesAccepted(peer));
        assertEquals(2, evpn.prefixesReceived(peer), "kept: a VNI added back imports them again");
        assertFalse(evpn.removeVni(ADDED), "already gone");
    }

    @Test
    void aChangedImportRouteTargetMovesARouteInAndOut()
    {
        receive(EvpnUpdates.macIpAdvertisement(remoteRd(), RUNNING, new EvpnMac(REMOTE_MAC), null, REMOTE, List.of(OTHER_RT), 0, false,
            EvpnUpdates.PathOptions.ibgp()));
        assertEquals(FdbEntry.NONE, fdb.vni(RUNNING).lookup(REMOTE_MAC), "65000:999 is not imported by the automatic RT");

        evpn.changeVni(new EvpnVniSettings(RUNNING, null, List.of(OTHER_RT), List.of()));
        assertEquals(FdbEntry.remote(remote().index(), Origin.EVPN), fdb.vni(RUNNING).lookup(REMOTE_MAC));
        assertTrue(peer.updates().isEmpty(), "the export RTs did not change: nothing to send");

        evpn.changeVni(EvpnVniSettings.auto(RUNNING));
        assertEquals(FdbEntry.NONE, fdb.vni(RUNNING).lookup(REMOTE_MAC));
        assertEquals(0, evpn.prefixesAccepted(peer));
    }

    @Test
    void aChangedExportRouteTargetReadvertisesWithoutAWithdrawAndANewRdReplacesTheRoutes()
    {
        evpn.changeVni(new EvpnVniSettings(RUNNING, null, List.of(), List.of(OTHER_RT)));
        evpn.awaitIdle(WAIT);
        assertEquals(List.of("3 " + ownRd(1) + " " + List.of(OTHER_RT)), advertised(peer.updates()));
        assertEquals(List.of(), withdrawn(peer.updates()));

        peer.clear();
        evpn.changeVni(new EvpnVniSettings(RUNNING, RouteDistinguisher.parse("198.51.100.1:77"), List.of(), List.of(OTHER_RT)));
        evpn.awaitIdle(WAIT);
        assertEquals(List.of("3 " + ownRd(1)), withdrawn(peer.updates()));
        assertEquals(List.of("3 198.51.100.1:77 " + List.of(OTHER_RT)), advertised(peer.updates()));

        fdb.addVni(ADDED, LearningMode.EVPN, 0, null);
        final IllegalStateException clash = assertThrows(IllegalStateException.class,
            () -> evpn.addVni(new EvpnVniSettings(ADDED, RouteDistinguisher.parse("198.51.100.1:77"), List.of(), List.of())));
        assertTrue(String.valueOf(clash.getCause()).contains("same route distinguisher"), String.valueOf(clash.getCause()));
    }

    private void receive(final UpdateMessage update)
    {
        evpn.update(peer, (UpdateMessage)BgpCodec.decode(BgpCodec.encode(update, CodecContext.FOUR_OCTET_AS), CodecContext.FOUR_OCTET_AS));
        evpn.awaitIdle(WAIT);
    }

    /** "type VNI [route targets]" of each route advertised. */
    private static List<String> advertised(final List<UpdateMessage> updates)
    {
        final List<String> routes = new ArrayList<>();
        for (final UpdateMessage update : updates)
        {
            final List<ExtendedCommunity.RouteTarget> targets = update.attribute(ExtendedCommunities.class)
                .map(ExtendedCommunities::routeTargets).orElse(List.of());
            update.advertisedEvpnRoutes().forEach(route -> routes.add(describe(route) + " " + targets));
        }
        return routes;
    }

    /** "type VNI" of each route withdrawn. */
    private static List<String> withdrawn(final List<UpdateMessage> updates)
    {
        final List<String> routes = new ArrayList<>();
        updates.forEach(update -> update.withdrawnEvpnRoutes().forEach(route -> routes.add(describe(route))));
        return routes;
    }

    private static String describe(final EvpnRoute route)
    {
        return switch (route)
        {
            case InclusiveMulticastRoute multicast -> "3 " + multicast.rd();
            case MacIpAdvertisementRoute macIp -> "2 " + macIp.vni();
            default -> route.toString();
        };
    }

    private RemoteVtep remote()
    {
        return fdb.remoteVteps().intern(VtepAddress.of(REMOTE));
    }

    /** Our automatic RD of the VNI with that index (FRR's router-id:index). */
    private static RouteDistinguisher ownRd(final int index)
    {
        return EvpnUpdates.autoRouteDistinguisher(ROUTER_ID, index);
    }

    private static RouteDistinguisher remoteRd()
    {
        return EvpnUpdates.autoRouteDistinguisher((Inet4Address)REMOTE, 1);
    }

    private static List<ExtendedCommunity.RouteTarget> auto(final int vni)
    {
        return List.of(EvpnUpdates.autoRouteTarget(AS, vni));
    }
}
