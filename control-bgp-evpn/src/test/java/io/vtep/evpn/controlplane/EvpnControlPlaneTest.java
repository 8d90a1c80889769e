package io.vtep.evpn.controlplane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.encap.VtepAddress;
import io.vtep.evpn.codec.BgpCodec;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.EvpnUpdates;
import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.codec.attr.ClusterList;
import io.vtep.evpn.codec.attr.ExtendedCommunity;
import io.vtep.evpn.codec.attr.MpReachNlri;
import io.vtep.evpn.codec.attr.OriginatorId;
import io.vtep.evpn.codec.attr.PathAttribute;
import io.vtep.evpn.codec.nlri.EthernetAutoDiscoveryRoute;
import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.codec.nlri.IpPrefixRoute;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;

/**
 * The control plane against a real FDB and fake neighbors: every UPDATE sent is encoded to octets
 * and decoded again with the codec, and what arrives is built by {@link EvpnUpdates} (which matches
 * FRR 8.4's UPDATEs octet for octet) and passed through the codec too.
 */
class EvpnControlPlaneTest
{
    private static final long LOCAL_AS = 65000;
    private static final Inet4Address ROUTER_ID = WireFormat.parseIpv4("198.51.100.1");
    private static final InetAddress LOCAL_VTEP = ROUTER_ID;
    private static final InetAddress VTEP_2 = WireFormat.parseAddress("198.51.100.2");
    private static final InetAddress VTEP_3 = WireFormat.parseAddress("198.51.100.3");
    private static final int VNI = 100;
    private static final int VNI_CONFIGURED = 200;
    private static final long MAC = 0x02_20_00_00_00_01L;
    private static final int PORT = 7;
    private static final long WAIT = 5_000;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private Fdb fdb;
    private EvpnControlPlane evpn;
    private FakePeer rr;
    private FakePeer rr2;
    private FakePeer ebgp;

    @BeforeEach
    void start()
    {
        final NanoClock clock = now::get;
        fdb = new Fdb(FdbSettings.defaults().withClock(clock));
        fdb.addVni(VNI, LearningMode.EVPN, 0, null);
        fdb.addVni(VNI_CONFIGURED, LearningMode.EVPN, 0, null);
        evpn = new EvpnControlPlane(new EvpnSettings(LOCAL_AS, ROUTER_ID, VtepAddress.of(LOCAL_VTEP),
            List.of(EvpnVniSettings.auto(VNI),
                new EvpnVniSettings(VNI_CONFIGURED, RouteDistinguisher.parse("1.1.1.1:200"),
                    List.of(ExtendedCommunity.RouteTarget.parse("1:1")), List.of(ExtendedCommunity.RouteTarget.parse("1:2")))),
            3, Duration.ofSeconds(180)), fdb);
        rr = new FakePeer("192.0.2.2", LOCAL_AS, LOCAL_AS, "192.0.2.2");
        rr2 = new FakePeer("192.0.2.3", LOCAL_AS, LOCAL_AS, "192.0.2.3");
        ebgp = new FakePeer("192.0.2.9", 65099, LOCAL_AS, "192.0.2.9");
        evpn.start();
    }

    @AfterEach
    void stop()
    {
        evpn.close();
    }

    // ------------------------------------------------------------------ import

    @Test
    void type3PutsTheVtepInTheFloodListUntilWithdrawnAndNeverRemovesAConfiguredOne()
    {
        final RemoteVtep configured = fdb.remoteVteps().intern(VtepAddress.of(VTEP_3));
        fdb.addToFloodList(VNI, configured);

        receive(rr, type3(VTEP_2, VNI, auto(VNI)));
        receive(rr, type3(VTEP_3, VNI, auto(VNI)));
        assertEquals(List.of(configured, vtep(VTEP_2)), Arrays.asList(fdb.vni(VNI).floodList()));
        assertEquals(2, evpn.prefixesAccepted(rr));

        receive(rr, EvpnUpdates.withdraw(List.of(new InclusiveMulticastRoute(rd(VTEP_2), 0, VTEP_2),
            new InclusiveMulticastRoute(rd(VTEP_3), 0, VTEP_3))));
        assertEquals(List.of(configured), Arrays.asList(fdb.vni(VNI).floodList()), "the configured VTEP stays");
        assertEquals(0, evpn.prefixesReceived(rr));
    }

    @Test
    void type2IsInstalledAtItsNextHopAndRemovedOnWithdraw()
    {
        receive(rr, type2(VTEP_2, MAC, null, 0, false, auto(VNI)));
        assertEquals(entryAt(VTEP_2), fdb.vni(VNI).lookup(MAC));
        assertEquals(1, evpn.prefixesReceived(rr));
        assertEquals(1, evpn.prefixesAccepted(rr));

        receive(rr, EvpnUpdates.withdraw(List.of(MacIpAdvertisementRoute.of(rd(VTEP_2), new EvpnMac(MAC), null, VNI))));
        assertEquals(FdbEntry.NONE, fdb.vni(VNI).lookup(MAC));
    }

    @Test
    void macIpBestPathsReachTheListenerWithTheirProxyFlags()
    {
        // ARP/ND suppression (RFC 7432 §10) answers from these: R and O as RFC 9161 §3.1 carries them.
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        evpn.macIpListener((vni, route, mac, ip, flags, add) -> seen.add(vni + " " + ip.getHostAddress() + " " + flags + " " + add));
        final InetAddress v4 = WireFormat.parseAddress("10.0.0.2");
        final InetAddress v6 = WireFormat.parseAddress("2001:db8::2");
        final InetAddress gateway = WireFormat.parseAddress("10.0.0.254");

        receive(rr, type2(VTEP_2, MAC, null, 0, false, auto(VNI)));
        receive(rr, type2(VTEP_2, MAC, v4, 0, false, auto(VNI)));
        // FRR's ARP/ND community (EVPN type 0x06, sub-type 0x08) with the Router flag, Override clear.
        receive(rr, withCommunity(type2(VTEP_2, MAC + 1, v6, 0, false, auto(VNI)), 0x0608_0100_0000_0000L));
        // The Default Gateway community (RFC 7432 §7.8, opaque 0x03 sub-type 0x0d).
        receive(rr, withCommunity(type2(VTEP_2, MAC + 2, gateway, 0, false, auto(VNI)), 0x030D_0000_0000_0000L));
        receive(rr, EvpnUpdates.withdraw(List.of(MacIpAdvertisementRoute.of(rd(VTEP_2), new EvpnMac(MAC), v4, VNI))));

        assertEquals(List.of("100 10.0.0.2 2 true", "100 2001:db8:0:0:0:0:0:2 1 true", "100 10.0.0.254 3 true",
            "100 10.0.0.2 2 false"), seen, "MAC-only routes are not bindings");
    }

    private static UpdateMessage withCommunity(final UpdateMessage update, final long community)
    {
        final List<PathAttribute> attributes = new ArrayList<>();
        for (final PathAttribute attribute : update.pathAttributes())
        {
            if (attribute instanceof io.vtep.evpn.codec.attr.ExtendedCommunities communities)
            {
                final List<ExtendedCommunity> more = new ArrayList<>(communities.communities());
                more.add(ExtendedCommunity.of(community));
                attributes.add(io.vtep.evpn.codec.attr.ExtendedCommunities.of(more));
            }
            else
            {
                attributes.add(attribute);
            }
        }
        return UpdateMessage.of(attributes);
    }

    @Test
    void routeTypesWithoutAMeaningHereAreKeptButNeverImported() throws Exception
    {
        // The attributes of a type 3 that would be imported, carrying an Ethernet A-D route
        // (RFC 7432 §7.1) and an IP prefix route (RFC 9136) instead: no multihoming, no L3 here.
        final UpdateMessage carrier = type3(VTEP_2, VNI, auto(VNI));
        final List<PathAttribute> attributes = new ArrayList<>();
        for (final PathAttribute attribute : carrier.pathAttributes())
        {
            attributes.add(attribute instanceof MpReachNlri ?
                MpReachNlri.evpn(VTEP_2, List.of(
                    new EthernetAutoDiscoveryRoute(rd(VTEP_2), EthernetSegmentId.ZERO,
                        0, VNI),
                    new IpPrefixRoute(rd(VTEP_2), EthernetSegmentId.ZERO, 0, 24,
                        InetAddress.getByName("10.1.2.0"), InetAddress.getByName("0.0.0.0"), VNI))) :
                attribute);
        }
        receive(rr, UpdateMessage.of(attributes));

        assertEquals(2, evpn.prefixesReceived(rr), "kept in the Adj-RIB-In");
        assertEquals(0, evpn.prefixesAccepted(rr), "imported nowhere");
        assertArrayEquals(new RemoteVtep[0], fdb.vni(VNI).floodList());
        assertEquals(0, fdb.vni(VNI).size());
    }

    @Test
    void sessionDownRemovesItsRoutesAndInstallsTheNextBestPath()
    {
        receive(rr, type2(VTEP_2, MAC, null, 1, false, auto(VNI)));
        receive(rr, type3(VTEP_2, VNI, auto(VNI)));
        receive(rr2, type2(VTEP_3, MAC, null, 0, false, auto(VNI)));
        assertEquals(entryAt(VTEP_2), fdb.vni(VNI).lookup(MAC), "higher sequence wins");

        evpn.down(rr, "hold timer expired");
        evpn.awaitIdle(WAIT);
        assertEquals(entryAt(VTEP_3), fdb.vni(VNI).lookup(MAC));
        assertEquals(0, fdb.vni(VNI).floodList().length);
        assertEquals(0, evpn.prefixesReceived(rr));

        evpn.down(rr2, "closed");
        evpn.awaitIdle(WAIT);
        assertEquals(FdbEntry.NONE, fdb.vni(VNI).lookup(MAC));
    }

    /**
     * Issue 15, failure 3: after an OutOfMemoryError in the EVPN thread, 681,574 EVPN entries
     * stayed installed when their session went down, because the thread that would have removed
     * them was gone. An Error on that thread (here thrown by the peer stand-in, as an allocation
     * would) now takes every EVPN entry and EVPN flood list member out of the FDB at once, and
     * later UPDATEs are released to their session instead of queueing for nobody.
     */
    @Test
    void anErrorOnTheRibThreadRemovesEveryEvpnEntryAndQueuesNothingMore()
    {
        final RemoteVtep configured = fdb.remoteVteps().intern(VtepAddress.of(VTEP_3));
        fdb.addToFloodList(VNI, configured);
        receive(rr, type3(VTEP_2, VNI, auto(VNI)));
        for (int i = 0; i < 100; i++)
        {
            receive(rr, type2(VTEP_2, MAC + i, null, 0, false, auto(VNI)));
        }
        assertEquals(100, fdb.vni(VNI).entries(Origin.EVPN));
        assertEquals(List.of(configured, vtep(VTEP_2)), Arrays.asList(fdb.vni(VNI).floodList()));

        rr.failOnNextUse = new OutOfMemoryError("Java heap space (test)");
        evpn.update(rr, type2(VTEP_2, MAC + 1000, null, 0, false, auto(VNI)));
        awaitTrue(() -> evpn.failure() != null, "the control thread reports its failure");
        evpn.down(rr, "hold timer expired");

        awaitTrue(() -> fdb.vni(VNI).entries(Origin.EVPN) == 0, "EVPN entries left: " + fdb.vni(VNI).entries(Origin.EVPN));
        assertEquals(List.of(configured), Arrays.asList(fdb.vni(VNI).floodList()), "EVPN's flood list member gone, the configured one kept");
        final long consumedBefore = rr.consumed.get();
        evpn.update(rr, type2(VTEP_2, MAC + 2000, null, 0, false, auto(VNI)));
        assertEquals(consumedBefore + 1, rr.consumed.get(), "released to the session at once: nothing waits for a dead thread");
    }

    /**
     * The session ended but its down() never queued anything (an OutOfMemoryError on the session's
     * thread would do that): the RIB sees the session count move and removes the routes anyway,
     * and the next session's UPDATEs are applied as usual.
     */
    @Test
    void aSessionEndThatNeverReachedTheRibStillRemovesItsRoutes()
    {
        for (int i = 0; i < 10; i++)
        {
            receive(rr, type2(VTEP_2, MAC + i, null, 0, false, auto(VNI)));
        }
        receive(rr, type3(VTEP_2, VNI, auto(VNI)));
        assertEquals(10, fdb.vni(VNI).entries(Origin.EVPN));

        final UpdateMessage late = type2(VTEP_2, MAC + 100, null, 0, false, auto(VNI));
        rr.established = false;
        rr.ended.incrementAndGet(); // the session layer counted the end; down() is never called
        awaitTrue(() -> fdb.vni(VNI).entries(Origin.EVPN) == 0 && evpn.prefixesReceived(rr) == 0,
            "EVPN entries left: " + fdb.vni(VNI).entries(Origin.EVPN));
        assertEquals(0, fdb.vni(VNI).floodList().length);

        rr.established = true; // the next session
        evpn.update(rr, (UpdateMessage)BgpCodec.decode(BgpCodec.encode(late, CodecContext.FOUR_OCTET_AS), CodecContext.FOUR_OCTET_AS));
        evpn.awaitIdle(WAIT);
        assertEquals(1, evpn.prefixesReceived(rr), "the next session's UPDATE is applied");
    }

    @Test
    void everyUpdateIsReportedConsumedToItsSession()
    {
        for (int i = 0; i < 10; i++)
        {
            receive(rr, type2(VTEP_2, MAC + i, null, 0, false, auto(VNI)));
        }
        assertEquals(10, rr.consumed.get());
    }

    /** Over the limit the RIB asks the session to close once, ignores the rest until down(), which removes everything. */
    @Test
    void aNeighborAboveItsMaximumPrefixIsReportedOnceAndItsRoutesGoWithTheSession()
    {
        final FakePeer limited = new FakePeer(new io.vtep.evpn.session.PeerConfig(WireFormat.parseAddress("192.0.2.5"), LOCAL_AS, 179,
            false, 90, null, new io.vtep.evpn.session.MaximumPrefix(5, 60, Duration.ofSeconds(30), false), null, 3), LOCAL_AS, "192.0.2.5");
        for (int i = 0; i < 5; i++)
        {
            receive(limited, type2(VTEP_2, MAC + i, null, 0, false, auto(VNI)));
        }
        assertEquals(List.of(), limited.prefixLimitReports, "5 is the limit, not above it");
        receive(limited, type2(VTEP_2, MAC + 5, null, 0, false, auto(VNI)));
        receive(limited, type2(VTEP_2, MAC + 6, null, 0, false, auto(VNI)));
        assertEquals(List.of(6L), limited.prefixLimitReports, "reported once, with the count");
        assertEquals(6, evpn.prefixesReceived(limited), "what came after is ignored");

        evpn.down(limited, "Cease/Maximum Number of Prefixes Reached");
        evpn.awaitIdle(WAIT);
        assertEquals(0, fdb.vni(VNI).entries(Origin.EVPN));
        evpn.established(limited);
        receive(limited, type2(VTEP_2, MAC, null, 0, false, auto(VNI)));
        assertEquals(1, evpn.prefixesReceived(limited), "a new session starts counting afresh");
    }

    /** warning-only: FRR's {@code maximum-prefix N warning-only} logs and keeps everything. */
    @Test
    void warningOnlyKeepsTheSessionAndTheRoutes()
    {
        final FakePeer limited = new FakePeer(new io.vtep.evpn.session.PeerConfig(WireFormat.parseAddress("192.0.2.5"), LOCAL_AS, 179,
            false, 90, null, new io.vtep.evpn.session.MaximumPrefix(2, 75, Duration.ofSeconds(30), true), null, 3), LOCAL_AS, "192.0.2.5");
        for (int i = 0; i < 4; i++)
        {
            receive(limited, type2(VTEP_2, MAC + i, null, 0, false, auto(VNI)));
        }
        assertEquals(List.of(), limited.prefixLimitReports);
        assertEquals(4, fdb.vni(VNI).entries(Origin.EVPN));
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(WAIT);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("not within " + WAIT + " ms: " + what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void automaticImportMatchesTheVniWhateverTheAsAndConfiguredImportMatchesExactly()
    {
        receive(rr, type2(VTEP_2, 1, null, 0, false, auto(VNI)));                                   // 65000:100
        receive(ebgp, type2Ebgp(VTEP_3, 2, List.of(EvpnUpdates.autoRouteTarget(65099, VNI))));      // 65099:100 from eBGP
        receive(rr, type2(VTEP_2, 3, null, 0, false, List.of(EvpnUpdates.autoRouteTarget(LOCAL_AS, 999))));
        receive(rr, type2(VTEP_2, 4, null, 0, false, List.of(ExtendedCommunity.RouteTarget.parse("1:1")), VNI_CONFIGURED));
        receive(rr, type2(VTEP_2, 5, null, 0, false, auto(VNI_CONFIGURED), VNI_CONFIGURED));      // 65000:200, not configured

        assertEquals(entryAt(VTEP_2), fdb.vni(VNI).lookup(1));
        assertEquals(entryAt(VTEP_3), fdb.vni(VNI).lookup(2));
        assertEquals(FdbEntry.NONE, fdb.vni(VNI).lookup(3));
        assertEquals(entryAt(VTEP_2), fdb.vni(VNI_CONFIGURED).lookup(4));
        assertEquals(FdbEntry.NONE, fdb.vni(VNI_CONFIGURED).lookup(5));
        assertEquals(4, evpn.prefixesReceived(rr));
        assertEquals(2, evpn.prefixesAccepted(rr));
        assertEquals(1, evpn.prefixesAccepted(ebgp));
    }

    @Test
    void bestPathPrefersTheShorterClusterListAndThenTheLowerPeer()
    {
        final UpdateMessage plain = type2(VTEP_2, MAC, null, 0, false, auto(VNI));
        final UpdateMessage reflectedTwice = with(plain, OriginatorId.of(WireFormat.parseIpv4("198.51.100.2")),
            ClusterList.of(WireFormat.parseIpv4("10.0.0.1"), WireFormat.parseIpv4("10.0.0.2")));
        final UpdateMessage reflectedOnce = with(plain, OriginatorId.of(WireFormat.parseIpv4("198.51.100.2")),
            ClusterList.of(WireFormat.parseIpv4("10.0.0.1")));
        receive(rr, reflectedTwice);
        receive(rr2, reflectedOnce);
        assertEquals(List.of("192.0.2.3"), bestSources(), "shorter CLUSTER_LIST (RFC 4456 §9)");

        receive(rr2, reflectedTwice);
        assertEquals(List.of("192.0.2.2"), bestSources(), "equal: lowest peer address");
    }

    @Test
    void ourOwnRouteReflectedBackAndEbgpRoutesWithOurAsAreDropped()
    {
        receive(rr, with(type2(VTEP_2, MAC, null, 0, false, auto(VNI)), OriginatorId.of(ROUTER_ID), ClusterList.of(ROUTER_ID)));
        final UpdateMessage looped = EvpnUpdates.macIpAdvertisement(rd(VTEP_3), VNI, new EvpnMac(MAC + 1), null, VTEP_3,
            auto(VNI), 0, false, new EvpnUpdates.PathOptions(io.vtep.evpn.codec.attr.AsPath.sequence(65099, LOCAL_AS),
                java.util.OptionalLong.empty()));
        receive(ebgp, looped);

        assertEquals(FdbEntry.NONE, fdb.vni(VNI).lookup(MAC));
        assertEquals(FdbEntry.NONE, fdb.vni(VNI).lookup(MAC + 1));
        assertEquals(1, evpn.prefixesReceived(rr));
        assertEquals(0, evpn.prefixesAccepted(rr));
        assertEquals(0, evpn.prefixesAccepted(ebgp));
    }

    // ------------------------------------------------------------------ export

    @Test
    void initialSyncSendsOneType3PerVniThenEndOfRibAndRouteRefreshSendsItAgain()
    {
        evpn.established(rr);
        evpn.awaitIdle(WAIT);
        final List<UpdateMessage> first = rr.updates();
        assertEquals(3, first.size());
        final UpdateMessage expected = EvpnUpdates.inclusiveMulticast(EvpnUpdates.autoRouteDistinguisher(ROUTER_ID, 1), VNI,
            LOCAL_VTEP, auto(VNI), EvpnUpdates.PathOptions.ibgp());
        assertArrayEquals(BgpCodec.encode(expected, CodecContext.FOUR_OCTET_AS), rr.sent.get(0), "as FRR writes a type 3");
        assertTrue(first.get(2).endOfRib().isPresent(), "End-of-RIB last (RFC 4724 §2)");
        assertEquals(2, evpn.prefixesSent(rr));

        rr.clear();
        evpn.routeRefresh(rr, null);
        evpn.awaitIdle(WAIT);
        assertEquals(first, rr.updates());
    }

    @Test
    void localMacIsAdvertisedAndWithdrawnWhenItAgesOrMovesAway()
    {
        sync(rr);
        learnLocal(MAC);
        final List<UpdateMessage> advertised = rr.updates();
        assertEquals(1, advertised.size());
        final UpdateMessage expected = EvpnUpdates.macIpAdvertisement(EvpnUpdates.autoRouteDistinguisher(ROUTER_ID, 1), VNI,
            new EvpnMac(MAC), null, LOCAL_VTEP, auto(VNI), 0, false, EvpnUpdates.PathOptions.ibgp());
        assertArrayEquals(BgpCodec.encode(expected, CodecContext.FOUR_OCTET_AS), rr.sent.getFirst(), "as FRR writes a type 2");

        rr.clear();
        fdb.remove(VNI, MAC, Origin.LOCAL); // aged out
        evpn.awaitIdle(WAIT);
        assertEquals(List.of(MAC), withdrawnMacs(rr.updates()));

        learnLocal(MAC);
        rr.clear();
        fdb.addStatic(VNI, MAC, vtep(VTEP_2)); // now behind another VTEP
        evpn.awaitIdle(WAIT);
        assertEquals(List.of(MAC), withdrawnMacs(rr.updates()));
        assertEquals(2, evpn.prefixesSent(rr));
    }

    @Test
    void neighborLearnedAddsAMacIpRouteAndEbgpGetsOurAsPath()
    {
        sync(ebgp);
        learnLocal(MAC);
        ebgp.clear();
        final InetAddress ip = WireFormat.parseAddress("10.20.0.1");
        evpn.neighborLearned(VNI, MAC, ip);
        evpn.awaitIdle(WAIT);
        final UpdateMessage expected = EvpnUpdates.macIpAdvertisement(EvpnUpdates.autoRouteDistinguisher(ROUTER_ID, 1), VNI,
            new EvpnMac(MAC), ip, LOCAL_VTEP, auto(VNI), 0, false, EvpnUpdates.PathOptions.ebgp(LOCAL_AS));
        assertEquals(1, ebgp.sent.size());
        assertArrayEquals(BgpCodec.encode(expected, CodecContext.FOUR_OCTET_AS), ebgp.sent.getFirst());
        assertEquals(4, evpn.prefixesSent(ebgp));
    }

    /**
     * The IP can reach the control thread before its MAC does (straight from snooping, while the MAC
     * goes through the learn queue, the FDB writer and the FDB event ring): it is held, and goes into
     * the MAC+IP route once the MAC is local, without waiting for the host's next ARP.
     */
    @Test
    void anIpSeenBeforeItsMacIsLocalIsAdvertisedOnceTheMacIs()
    {
        sync(ebgp);
        final InetAddress ip = WireFormat.parseAddress("10.20.0.2");
        evpn.neighborLearned(VNI, MAC, ip);
        evpn.awaitIdle(WAIT);
        assertEquals(0, ebgp.sent.size(), "nothing to advertise while the MAC is not local");

        learnLocal(MAC);
        evpn.awaitIdle(WAIT);
        assertTrue(evpn.routes().stream().anyMatch(route -> "local".equals(route.source()) && ip.equals(route.ip())),
            () -> "our MAC+IP route once the MAC was local: " + evpn.routes());
        assertEquals(4, evpn.prefixesSent(ebgp), "what goes out when the IP comes after its MAC (neighborLearnedAdds…)");
    }

    @Test
    void thousandsOfMacsArePackedIntoFewUpdates()
    {
        sync(rr);
        for (int i = 1; i <= 3000; i++)
        {
            fdb.vni(VNI).learnLocal(0x02_00_00_00_00_00L + i, PORT, now.get());
        }
        fdb.conductor().doWork();
        evpn.awaitIdle(WAIT);
        int routes = 0;
        for (final byte[] bytes : rr.sent)
        {
            assertTrue(bytes.length <= 4096, "UPDATE of " + bytes.length + " octets");
        }
        for (final UpdateMessage update : rr.updates())
        {
            routes += update.advertisedEvpnRoutes().size();
        }
        assertEquals(3000, routes);
        // The control thread sends whenever it runs out of work, racing the FDB events in, so the
        // count depends on scheduling (27 when it all arrives at once: UpdatePackerTest); what
        // must hold is that MACs are packed, not sent one an UPDATE.
        assertTrue(rr.sent.size() <= 300, rr.sent.size() + " UPDATEs for 3000 MACs");
    }

    // ------------------------------------------------------------------ MAC mobility

    @Test
    void macMovingHereBumpsTheSequenceAndMovingAwayWithdrawsOurs()
    {
        sync(rr);
        receive(rr, type2(VTEP_2, MAC, null, 4, false, auto(VNI)));
        assertEquals(entryAt(VTEP_2), fdb.vni(VNI).lookup(MAC));

        // The host shows up on our access port: local learning replaces the EVPN entry (a move).
        rr.clear();
        learnLocal(MAC);
        assertTrue(FdbEntry.isLocal(fdb.vni(VNI).lookup(MAC)), "the FDB follows the host to the access port");
        final List<UpdateMessage> ours = rr.updates();
        assertEquals(1, ours.size());
        assertEquals(5, ours.getFirst().attribute(io.vtep.evpn.codec.attr.ExtendedCommunities.class).orElseThrow()
            .macMobility().orElseThrow().sequence(), "RFC 7432 §15.1: remote sequence + 1");

        rr.clear();
        receive(rr, type2(VTEP_3, MAC, null, 6, false, auto(VNI)));
        assertEquals(entryAt(VTEP_3), fdb.vni(VNI).lookup(MAC), "moved away: the newer remote route wins");
        assertEquals(List.of(MAC), withdrawnMacs(rr.updates()));
        assertEquals(2, evpn.macMoves());
    }

    @Test
    void aMacMovingHereFromTheTopSequenceKeepsItAndWinsByTheLowerAddress()
    {
        sync(rr);
        receive(rr, type2(VTEP_2, MAC, null, 0xFFFF_FFFFL, false, auto(VNI)));
        rr.clear();
        learnLocal(MAC);
        // 2^32 does not fit the community's 4 octets: the sequence stops at 2^32-1, and the tie
        // goes to the lower VTEP address, ours (198.51.100.1 < .2, RFC 7432 §15.1).
        assertTrue(FdbEntry.isLocal(fdb.vni(VNI).lookup(MAC)));
        assertEquals(1, rr.updates().size(), "our route went out");
        assertEquals(0xFFFF_FFFFL, rr.updates().getFirst().attribute(io.vtep.evpn.codec.attr.ExtendedCommunities.class).orElseThrow()
            .macMobility().orElseThrow().sequence());
    }

    @Test
    void stickyMacNeverMoves()
    {
        sync(rr);
        fdb.addStaticLocal(VNI, MAC, PORT);
        evpn.awaitIdle(WAIT);
        final var mobility = rr.updates().getLast().attribute(io.vtep.evpn.codec.attr.ExtendedCommunities.class).orElseThrow()
            .macMobility().orElseThrow();
        assertTrue(mobility.sticky());

        rr.clear();
        receive(rr, type2(VTEP_2, MAC, null, 100, false, auto(VNI)));
        assertTrue(FdbEntry.isLocal(fdb.vni(VNI).lookup(MAC)));
        assertEquals(List.of(), rr.updates(), "nothing withdrawn");
    }

    @Test
    void twoVnisWithOneRouteDistinguisherAreRefused()
    {
        final Fdb twoVnis = new Fdb();
        twoVnis.addVni(100, LearningMode.EVPN, 0, null);
        twoVnis.addVni(200, LearningMode.EVPN, 0, null);
        final RouteDistinguisher rd = RouteDistinguisher.parse("198.51.100.1:7");
        final EvpnSettings settings = new EvpnSettings(65000, (Inet4Address)WireFormat.parseAddress("198.51.100.1"),
            VtepAddress.parse("198.51.100.1"),
            List.of(new EvpnVniSettings(100, rd, List.of(), List.of()), new EvpnVniSettings(200, rd, List.of(), List.of())),
            5, Duration.ofSeconds(180));

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new EvpnControlPlane(settings, twoVnis));
        assertTrue(ex.getMessage().contains("VNIs 100 and 200 have the same route distinguisher"), ex.getMessage());
    }

    @Test
    void aRemoteStickyMacHeardOnALocalPortStaysRemote()
    {
        sync(rr);
        receive(rr, type2(VTEP_2, MAC, null, 0, true, auto(VNI)));
        assertTrue(FdbEntry.isPinned(fdb.vni(VNI).lookup(MAC)), "installed pinned");

        rr.clear();
        learnLocal(MAC); // an impostor on our access port (RFC 7432 §15.2)

        assertEquals(FdbEntry.pinned(entryAt(VTEP_2)), fdb.vni(VNI).lookup(MAC));
        assertEquals(List.of(), rr.updates(), "nothing advertised for the impostor");
    }

    @Test
    void aDuplicateFrozenBehindARemoteVtepStaysThereWhenHeardLocally()
    {
        sync(rr);
        long sequence = 0;
        for (int move = 0; move < 3; move++)
        {
            learnLocal(MAC);                                                         // moves here
            sequence = sequence + 2;
            receive(rr, type2(VTEP_2, MAC, null, sequence, false, auto(VNI)));     // and away
        }
        learnLocal(MAC); // the 7th move would be here: it is a duplicate by now
        assertEquals(1, evpn.duplicateMacs());

        assertEquals(FdbEntry.pinned(entryAt(VTEP_2)), fdb.vni(VNI).lookup(MAC),
            "frozen behind VTEP 2, where it was; local learning no longer moves it");
        rr.clear();
        learnLocal(MAC);
        assertEquals(FdbEntry.pinned(entryAt(VTEP_2)), fdb.vni(VNI).lookup(MAC));
        assertEquals(List.of(), rr.updates());
    }

    @Test
    void aMacThatKeepsMovingIsFlaggedDuplicateAndFrozen()
    {
        sync(rr);
        long sequence = 0;
        for (int move = 0; move < 3; move++)
        {
            receive(rr, type2(VTEP_2, MAC, null, ++sequence, false, auto(VNI)));     // moves away (after the first)
            learnLocal(MAC);                                                         // moves here
            sequence++;
        }
        assertEquals(1, evpn.duplicateMacs(), "more than 3 moves in 180 s");
        assertEquals(List.of("100 02:20:00:00:00:01"), evpn.duplicateMacList());
        final long moves = evpn.macMoves();

        rr.clear();
        receive(rr, type2(VTEP_2, MAC, null, sequence + 10, false, auto(VNI)));
        assertTrue(FdbEntry.isLocal(fdb.vni(VNI).lookup(MAC)), "frozen where it was");
        assertEquals(List.of(), rr.updates());
        assertEquals(moves, evpn.macMoves());
    }

    @Test
    void aDuplicateIsReleasedWhenItsFreezeTimeIsOverAndThenFollowsTheHostAgain()
    {
        restartWithFreeze(Duration.ofSeconds(30));
        sync(rr);
        final long frozenAt = freezeBehindVtep2();
        assertEquals(FdbEntry.pinned(entryAt(VTEP_2)), fdb.vni(VNI).lookup(MAC));

        now.set(frozenAt + Duration.ofSeconds(30).toNanos() - 1);
        evpn.awaitIdle(WAIT);
        assertEquals(FdbEntry.pinned(entryAt(VTEP_2)), fdb.vni(VNI).lookup(MAC), "1 ns before the freeze ends: still pinned");
        assertEquals(1, evpn.duplicateMacs());

        now.set(frozenAt + Duration.ofSeconds(30).toNanos());
        evpn.awaitIdle(WAIT);
        assertEquals(entryAt(VTEP_2), fdb.vni(VNI).lookup(MAC), "released where it was, no longer pinned");
        assertEquals(0, evpn.duplicateMacs());
        assertEquals(List.of(), evpn.duplicateMacList());

        rr.clear();
        learnLocal(MAC);
        assertTrue(FdbEntry.isLocal(fdb.vni(VNI).lookup(MAC)), "local learning moves it here again");
        assertEquals(7, rr.updates().getLast().attribute(io.vtep.evpn.codec.attr.ExtendedCommunities.class).orElseThrow()
            .macMobility().orElseThrow().sequence(), "VTEP 2's sequence 6 + 1");
    }

    @Test
    void clearDuplicateUnfreezesOneMacAndSaysWhetherItWasFrozen()
    {
        sync(rr);
        assertFalse(evpn.clearDuplicate(VNI, MAC), "not frozen");
        freezeBehindVtep2();
        assertEquals(1, evpn.duplicateMacs());
        assertFalse(evpn.clearDuplicate(VNI_CONFIGURED, MAC), "not frozen in that VNI");
        assertFalse(evpn.clearDuplicate(4242, MAC), "no such VNI");
        now.addAndGet(Duration.ofDays(1).toNanos());
        evpn.awaitIdle(WAIT);
        assertEquals(FdbEntry.pinned(entryAt(VTEP_2)), fdb.vni(VNI).lookup(MAC), "the default freeze is permanent");

        assertTrue(evpn.clearDuplicate(VNI, MAC));
        assertEquals(entryAt(VTEP_2), fdb.vni(VNI).lookup(MAC), "unpinned where it was");
        assertEquals(0, evpn.duplicateMacs());
        assertFalse(evpn.clearDuplicate(VNI, MAC), "cleared already");
    }

    @Test
    void aDuplicateFrozenHereThatIsClearedFollowsTheNewerRouteItIgnored()
    {
        sync(rr);
        long sequence = 0;
        for (int move = 0; move < 3; move++)
        {
            receive(rr, type2(VTEP_2, MAC, null, ++sequence, false, auto(VNI)));
            learnLocal(MAC);
            sequence++;
        }
        assertTrue(FdbEntry.isLocal(fdb.vni(VNI).lookup(MAC)), "frozen here");
        rr.clear();
        assertTrue(evpn.clearDuplicate(VNI, MAC));
        evpn.awaitIdle(WAIT);
        assertEquals(entryAt(VTEP_2), fdb.vni(VNI).lookup(MAC), "VTEP 2's newer route takes it at once");
        assertEquals(List.of(MAC), withdrawnMacs(rr.updates()));
    }

    /**
     * Local, then away (1), here (2), away (3), and here again (4 &gt; 3): frozen behind VTEP 2, which
     * then advertises sequence 6.
     *
     * @return the time it froze.
     */
    private long freezeBehindVtep2()
    {
        long sequence = 0;
        long frozenAt = 0;
        for (int move = 0; move < 3; move++)
        {
            learnLocal(MAC);
            frozenAt = now.get();
            sequence = sequence + 2;
            receive(rr, type2(VTEP_2, MAC, null, sequence, false, auto(VNI)));
        }
        assertEquals(1, evpn.duplicateMacs());
        return frozenAt;
    }

    private void restartWithFreeze(final Duration freeze)
    {
        evpn.close();
        evpn = new EvpnControlPlane(new EvpnSettings(LOCAL_AS, ROUTER_ID, VtepAddress.of(LOCAL_VTEP), List.of(EvpnVniSettings.auto(VNI)),
            3, Duration.ofSeconds(180), freeze), fdb);
        evpn.start();
    }

    @Test
    void routesViewShowsLocalAndReceivedPaths()
    {
        learnLocal(MAC);
        receive(rr, type2(VTEP_2, MAC + 1, null, 0, false, auto(VNI)));
        final List<EvpnRouteView> routes = evpn.routes();
        assertEquals(4, routes.size()); // 2 type 3 + local MAC + received MAC
        assertTrue(routes.stream().anyMatch(view -> view.type() == 2 && view.source().equals("192.0.2.2") && view.best() &&
            view.mac().equals("02:20:00:00:00:02") && view.vni() == VNI));
        assertTrue(routes.stream().anyMatch(view -> view.type() == 2 && view.source().equals("local")));
        assertFalse(routes.stream().anyMatch(view -> view.type() == 3 && !view.source().equals("local")));
    }

    // ------------------------------------------------------------------ helpers

    private void sync(final FakePeer peer)
    {
        evpn.established(peer);
        evpn.awaitIdle(WAIT);
        peer.clear();
    }

    private void learnLocal(final long mac)
    {
        now.addAndGet(1_000_000);
        fdb.vni(VNI).learnLocal(mac, PORT, now.get());
        fdb.conductor().doWork();
        evpn.awaitIdle(WAIT);
    }

    private void receive(final FakePeer peer, final UpdateMessage update)
    {
        // Through the codec, as the session layer would hand it over.
        evpn.update(peer, (UpdateMessage)BgpCodec.decode(BgpCodec.encode(update, CodecContext.FOUR_OCTET_AS), CodecContext.FOUR_OCTET_AS));
        evpn.awaitIdle(WAIT);
    }

    private List<String> bestSources()
    {
        final List<String> sources = new ArrayList<>();
        for (final EvpnRouteView view : evpn.routes())
        {
            if (view.best() && !view.source().equals("local"))
            {
                sources.add(view.source());
            }
        }
        return sources;
    }

    private static List<Long> withdrawnMacs(final List<UpdateMessage> updates)
    {
        final List<Long> macs = new ArrayList<>();
        for (final UpdateMessage update : updates)
        {
            for (final EvpnRoute route : update.withdrawnEvpnRoutes())
            {
                if (route instanceof MacIpAdvertisementRoute macIp)
                {
                    macs.add(macIp.mac().value());
                }
            }
        }
        return macs;
    }

    private long entryAt(final InetAddress vtep)
    {
        return FdbEntry.remote(vtep(vtep).index(), Origin.EVPN);
    }

    private RemoteVtep vtep(final InetAddress address)
    {
        return fdb.remoteVteps().intern(VtepAddress.of(address));
    }

    private static RouteDistinguisher rd(final InetAddress vtep)
    {
        return EvpnUpdates.autoRouteDistinguisher((Inet4Address)vtep, 1);
    }

    private static List<ExtendedCommunity.RouteTarget> auto(final int vni)
    {
        return List.of(EvpnUpdates.autoRouteTarget(LOCAL_AS, vni));
    }

    private static UpdateMessage type3(final InetAddress vtep, final int vni, final List<ExtendedCommunity.RouteTarget> rts)
    {
        return EvpnUpdates.inclusiveMulticast(rd(vtep), vni, vtep, rts, EvpnUpdates.PathOptions.ibgp());
    }

    private static UpdateMessage type2(final InetAddress vtep, final long mac, final InetAddress ip, final long sequence,
        final boolean sticky, final List<ExtendedCommunity.RouteTarget> rts)
    {
        return type2(vtep, mac, ip, sequence, sticky, rts, VNI);
    }

    private static UpdateMessage type2(final InetAddress vtep, final long mac, final InetAddress ip, final long sequence,
        final boolean sticky, final List<ExtendedCommunity.RouteTarget> rts, final int vni)
    {
        return EvpnUpdates.macIpAdvertisement(rd(vtep), vni, new EvpnMac(mac), ip, vtep, rts, sequence, sticky,
            EvpnUpdates.PathOptions.ibgp());
    }

    private static UpdateMessage type2Ebgp(final InetAddress vtep, final long mac, final List<ExtendedCommunity.RouteTarget> rts)
    {
        return EvpnUpdates.macIpAdvertisement(rd(vtep), VNI, new EvpnMac(mac), null, vtep, rts, 0, false,
            EvpnUpdates.PathOptions.ebgp(65099));
    }

    private static UpdateMessage with(final UpdateMessage update, final PathAttribute... extra)
    {
        final List<PathAttribute> attributes = new ArrayList<>(update.pathAttributes());
        attributes.addAll(List.of(extra));
        return UpdateMessage.of(attributes);
    }
}
