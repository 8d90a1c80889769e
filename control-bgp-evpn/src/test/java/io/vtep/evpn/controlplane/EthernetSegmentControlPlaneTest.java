package io.vtep.evpn.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
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
import io.vtep.evpn.codec.attr.ExtendedCommunities;
import io.vtep.evpn.codec.attr.ExtendedCommunity;
import io.vtep.evpn.codec.nlri.EthernetAutoDiscoveryRoute;
import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.codec.nlri.EthernetSegmentRoute;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;
import io.vtep.evpn.multihoming.DfAlgorithm;
import io.vtep.evpn.multihoming.EthernetSegmentSettings;
import io.vtep.evpn.multihoming.EthernetSegmentView;
import io.vtep.evpn.multihoming.SegmentAttachments;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.Origin;

/**
 * EVPN multihoming in the control plane (RFC 7432 §8, RFC 8365 §8): a segment's routes while its
 * port is up and their withdrawal when it goes down, the ESI on type-2 routes of its MACs, type-4
 * import by ES-Import RT only, the DF election after its timer, the VTEPs on the segment for local bias.
 */
class EthernetSegmentControlPlaneTest
{
    private static final long LOCAL_AS = 65000;
    private static final Inet4Address ROUTER_ID = WireFormat.parseIpv4("198.51.100.1");
    private static final InetAddress PEER_GATEWAY = WireFormat.parseAddress("198.51.100.2");
    private static final InetAddress OTHER_VTEP = WireFormat.parseAddress("198.51.100.3");
    private static final EthernetSegmentId ESI = EthernetSegmentId.parse("00:11:22:33:44:55:66:77:88:99");
    private static final EthernetSegmentId OTHER_ESI = EthernetSegmentId.parse("00:aa:bb:cc:dd:ee:ff:00:00:01");
    private static final int VNI = 100;
    private static final int SEGMENT_ATTACHMENT = 7;
    private static final int OTHER_ATTACHMENT = 8;
    private static final long WAIT = 5_000;
    private static final long SERVER = 0x02_00_00_00_0a_01L;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<EthernetSegmentView> told = new CopyOnWriteArrayList<>();
    private Fdb fdb;
    private EvpnControlPlane evpn;
    private FakePeer rr;

    @BeforeEach
    void start()
    {
        start(DfAlgorithm.MODULO, 0);
    }

    private void start(final DfAlgorithm algorithm, final int preference)
    {
        start(algorithm, preference, Map.of(SEGMENT_ATTACHMENT, VNI), null);
    }

    /** @param segmentVnis the segment port's attachments and their VNIs; {@code attachments} null: not told */
    private void start(final DfAlgorithm algorithm, final int preference, final Map<Integer, Integer> segmentVnis,
        final SegmentAttachments attachments)
    {
        final List<Integer> vnis = segmentVnis.values().stream().distinct().sorted().toList();
        start(vnis, attachments, new EthernetSegmentSettings("acc1", ESI, algorithm, preference, Duration.ofSeconds(3), false, vnis,
            segmentVnis.keySet()));
    }

    private void start(final List<Integer> vnis, final EthernetSegmentSettings... segments)
    {
        start(vnis, null, segments);
    }

    private void start(final List<Integer> vnis, final SegmentAttachments attachments, final EthernetSegmentSettings... segments)
    {
        final NanoClock clock = now::get;
        fdb = new Fdb(FdbSettings.defaults().withClock(clock));
        vnis.forEach(vni -> fdb.addVni(vni, LearningMode.EVPN, 0, null));
        evpn = new EvpnControlPlane(new EvpnSettings(LOCAL_AS, ROUTER_ID, VtepAddress.of(ROUTER_ID),
            vnis.stream().map(EvpnVniSettings::auto).toList(), 3, Duration.ofSeconds(180), null, List.of(segments)), fdb);
        evpn.segmentListener(told::add);
        if (attachments != null)
        {
            evpn.segmentAttachments(attachments);
        }
        rr = new FakePeer("192.0.2.2", LOCAL_AS, LOCAL_AS, "192.0.2.2");
        evpn.start();
        evpn.established(rr);
        evpn.awaitIdle(WAIT);
        rr.clear();
    }

    @AfterEach
    void stop()
    {
        evpn.close();
    }

    @Test
    void portUpAdvertisesTypeFourAndBothTypeOnesAndDownWithdrawsThem()
    {
        portState(true);

        final List<UpdateMessage> sent = rr.updates();
        final EthernetSegmentRoute es = only(sent, EthernetSegmentRoute.class);
        assertEquals(ESI, es.esi());
        assertEquals(ROUTER_ID, es.originatingRouter());
        // RFC 7432 §7.6: the ES-Import RT is the ESI value's high-order 6 octets, 11:22:33:44:55:66.
        assertEquals(List.of(new ExtendedCommunity.EsImportRouteTarget(0x1122_3344_5566L), new ExtendedCommunity.DfElection(0, 0, 0)),
            multihoming(sent, es));
        final List<EthernetAutoDiscoveryRoute> ad = all(sent, EthernetAutoDiscoveryRoute.class);
        assertEquals(2, ad.size(), "A-D per ES and per EVI: " + ad);
        final EthernetAutoDiscoveryRoute perEs = ad.stream().filter(route -> route.ethernetTag() == 0xFFFF_FFFFL).findFirst().orElseThrow();
        final EthernetAutoDiscoveryRoute perEvi = ad.stream().filter(route -> route.ethernetTag() == 0).findFirst().orElseThrow();
        assertEquals(List.of(new ExtendedCommunity.EsiLabel(0, 0)), multihoming(sent, perEs), "all-active, label 0 (RFC 8365 §8.3.1)");
        assertEquals(List.of(EvpnUpdates.autoRouteTarget(LOCAL_AS, VNI)), routeTargets(sent, perEs), "the RTs of every EVI (§8.2)");
        assertEquals(VNI, perEvi.label());
        assertEquals(EvpnUpdates.autoRouteDistinguisher(ROUTER_ID, 1), perEvi.rd(), "the EVI's RD (§8.4)");
        assertEquals(List.of(EvpnUpdates.autoRouteTarget(LOCAL_AS, VNI)), routeTargets(sent, perEvi));

        // bgp routes shows them: type 4 and A-D per ES under no single VNI (0), A-D per EVI under its VNI.
        final List<String> views = evpn.routes().stream().filter(view -> view.type() == 1 || view.type() == 4)
            .map(view -> view.type() + " " + view.vni() + " " + view.esi()).sorted().toList();
        assertEquals(List.of("1 0 " + ESI, "1 100 " + ESI, "4 0 " + ESI), views);

        rr.clear();
        portState(false);
        final List<EvpnRoute> withdrawn = new ArrayList<>();
        rr.updates().forEach(update -> withdrawn.addAll(update.withdrawnEvpnRoutes()));
        assertEquals(Set.of(es.key(), perEs.key(), perEvi.key()), Set.copyOf(withdrawn.stream().map(EvpnRoute::key).toList()),
            "mass withdrawal: the segment's routes, nothing else");
        assertFalse(evpn.segments().getFirst().up());
    }

    @Test
    void aMacLearnedOnTheSegmentPortCarriesItsEsi()
    {
        learnLocal(0x02_00_00_00_00_01L, SEGMENT_ATTACHMENT);
        learnLocal(0x02_00_00_00_00_02L, OTHER_ATTACHMENT);

        final List<MacIpAdvertisementRoute> macs = all(rr.updates(), MacIpAdvertisementRoute.class);
        assertEquals(ESI, macs.stream().filter(route -> route.mac().value() == 0x02_00_00_00_00_01L).findFirst().orElseThrow().esi());
        assertTrue(macs.stream().filter(route -> route.mac().value() == 0x02_00_00_00_00_02L).findFirst().orElseThrow().esi().isZero());
    }

    @Test
    void aMacMovingOntoTheSegmentPortIsAdvertisedAgainWithTheEsi()
    {
        final long host = 0x02_00_00_00_00_03L;
        learnLocal(host, OTHER_ATTACHMENT);
        rr.clear();
        learnLocal(host, SEGMENT_ATTACHMENT);

        final List<MacIpAdvertisementRoute> again = all(rr.updates(), MacIpAdvertisementRoute.class);
        assertEquals(1, again.size(), () -> "advertised again: " + again);
        assertEquals(ESI, again.getFirst().esi());
    }

    @Test
    void aMacOfOurOwnSegmentAdvertisedByTheOtherGatewayIsNotAMove()
    {
        // RFC 7432 §8.4: the other gateway of the segment learned the server's MAC first; it is reachable on our
        // own link, so it is not installed behind that gateway, and our learning it is no move (no sequence 1).
        final long server = 0x02_00_00_00_00_01L;
        receive(EvpnUpdates.segmentRoute(new MacIpAdvertisementRoute(rd(PEER_GATEWAY), ESI, 0, new EvpnMac(server), null, VNI,
            OptionalInt.empty()), PEER_GATEWAY, List.of(EvpnUpdates.autoRouteTarget(LOCAL_AS, VNI)), List.of(), EvpnUpdates.PathOptions.ibgp()));
        assertEquals(FdbEntry.remote(vtepIndex(PEER_GATEWAY), Origin.EVPN), fdb.vni(VNI).lookup(server),
            "our segment port is down: behind the other gateway (MAC sync)");

        learnLocal(server, SEGMENT_ATTACHMENT);
        assertTrue(FdbEntry.isLocal(fdb.vni(VNI).lookup(server)));
        assertEquals(0, evpn.macMoves());
        final UpdateMessage ours = rr.updates().stream().filter(update -> !all(List.of(update), MacIpAdvertisementRoute.class).isEmpty())
            .findFirst().orElseThrow();
        assertTrue(ours.attribute(ExtendedCommunities.class).orElseThrow().macMobility().isEmpty(), "sequence 0: " + ours);
    }

    // ------------------------------------------------------------------ MAC sync (RFC 7432 §8.4)

    @Test
    void aMacOfOurSegmentAdvertisedByTheOtherGatewayIsInstalledOnOurLinkAndNotAdvertisedByUs()
    {
        portState(true);
        rr.clear();
        syncRoute(SERVER, 0);

        assertEquals(FdbEntry.local(SEGMENT_ATTACHMENT, Origin.EVPN), fdb.vni(VNI).lookup(SERVER), "on our own link, origin evpn");
        assertEquals(List.of(), all(rr.updates(), MacIpAdvertisementRoute.class), "we did not learn it: no route of ours");
        assertEquals(0, evpn.macMoves());
    }

    @Test
    void learningTakesASyncedMacOverAndWhenItAgesTheSyncedEntryComesBack()
    {
        portState(true);
        syncRoute(SERVER, 0);
        rr.clear();

        learnLocal(SERVER, SEGMENT_ATTACHMENT);
        assertEquals(FdbEntry.local(SEGMENT_ATTACHMENT, Origin.LOCAL), fdb.vni(VNI).lookup(SERVER));
        final List<MacIpAdvertisementRoute> ours = all(rr.updates(), MacIpAdvertisementRoute.class);
        assertEquals(1, ours.size(), () -> "learned here, we advertise it too: " + ours);
        assertEquals(ESI, ours.getFirst().esi());
        assertEquals(0, evpn.macMoves(), "the other gateway's route is no remote location (§15)");

        rr.clear();
        now.addAndGet(FdbSettings.DEFAULT_AGEING_NANOS + Duration.ofSeconds(2).toNanos());
        fdb.conductor().doWork();
        evpn.awaitIdle(WAIT);
        assertEquals(FdbEntry.local(SEGMENT_ATTACHMENT, Origin.EVPN), fdb.vni(VNI).lookup(SERVER), "aged out: synced again");
        assertEquals(1, withdrawn(rr.updates()).size(), "our own route withdrawn");
    }

    @Test
    void whileOurSegmentIsDownASyncedMacIsBehindTheOtherGatewayAndComesBackWhenItIsUp()
    {
        portState(true);
        syncRoute(SERVER, 0);

        portState(false);
        assertEquals(FdbEntry.remote(vtepIndex(PEER_GATEWAY), Origin.EVPN), fdb.vni(VNI).lookup(SERVER), "not on the dead link");

        portState(true);
        assertEquals(FdbEntry.local(SEGMENT_ATTACHMENT, Origin.EVPN), fdb.vni(VNI).lookup(SERVER));
    }

    @Test
    void withdrawingTheOtherGatewaysRouteRemovesTheSyncedEntryButNotALearnedOne()
    {
        portState(true);
        syncRoute(SERVER, 0);
        syncRoute(SERVER + 1, 0);
        learnLocal(SERVER + 1, SEGMENT_ATTACHMENT);
        assertEquals(FdbEntry.local(SEGMENT_ATTACHMENT, Origin.EVPN), fdb.vni(VNI).lookup(SERVER), "synced");

        receive(EvpnUpdates.withdraw(List.of(syncedMac(SERVER), syncedMac(SERVER + 1))));
        assertEquals(FdbEntry.NONE, fdb.vni(VNI).lookup(SERVER));
        assertEquals(FdbEntry.local(SEGMENT_ATTACHMENT, Origin.LOCAL), fdb.vni(VNI).lookup(SERVER + 1), "learned here meanwhile");
    }

    @Test
    void aHigherSequenceFromAnotherVtepMovesASyncedMacAwayAndAnOlderOneDoesNot()
    {
        portState(true);
        syncRoute(SERVER, 1);

        // The same sequence from another VTEP: the other gateway's address (.2) is lower than OTHER_VTEP's (.3), §15.1.
        receive(remoteMac(SERVER, OTHER_VTEP, 1));
        assertEquals(FdbEntry.local(SEGMENT_ATTACHMENT, Origin.EVPN), fdb.vni(VNI).lookup(SERVER));

        // The host moved behind OTHER_VTEP (RFC 7432 §15: sequence + 1).
        receive(remoteMac(SERVER, OTHER_VTEP, 2));
        assertEquals(FdbEntry.remote(vtepIndex(OTHER_VTEP), Origin.EVPN), fdb.vni(VNI).lookup(SERVER), "moved away");

        // OTHER_VTEP withdraws: the other gateway's route remains, so the MAC is on our link again.
        receive(EvpnUpdates.withdraw(List.of(new MacIpAdvertisementRoute(rd(OTHER_VTEP), EthernetSegmentId.ZERO, 0, new EvpnMac(SERVER), null,
            VNI, OptionalInt.empty()))));
        assertEquals(FdbEntry.local(SEGMENT_ATTACHMENT, Origin.EVPN), fdb.vni(VNI).lookup(SERVER));
    }

    @Test
    void aSyncedMacGoesOnTheSegmentsAttachmentOfTheRoutesVni()
    {
        // acc1 carries VNI 100 on attachment 7 and VNI 200 on attachment 9; the data plane says which is which.
        final int otherVni = 200;
        final Map<Integer, Integer> segmentVnis = Map.of(SEGMENT_ATTACHMENT, VNI, OTHER_ATTACHMENT + 1, otherVni);
        evpn.close();
        start(DfAlgorithm.MODULO, 0, segmentVnis, attachment -> segmentVnis.containsKey(attachment) ? OptionalInt.of(segmentVnis.get(
            attachment)) : OptionalInt.empty());
        portState(true);

        receive(EvpnUpdates.segmentRoute(new MacIpAdvertisementRoute(EvpnUpdates.autoRouteDistinguisher((Inet4Address)PEER_GATEWAY, 2), ESI, 0,
            new EvpnMac(SERVER), null, otherVni, OptionalInt.empty()), PEER_GATEWAY, List.of(EvpnUpdates.autoRouteTarget(LOCAL_AS, otherVni)),
            List.of(), EvpnUpdates.PathOptions.ibgp()));
        assertEquals(FdbEntry.local(OTHER_ATTACHMENT + 1, Origin.EVPN), fdb.vni(otherVni).lookup(SERVER));
        assertEquals(FdbEntry.NONE, fdb.vni(VNI).lookup(SERVER));
    }

    private void syncRoute(final long mac, final long sequence)
    {
        receive(EvpnUpdates.segmentRoute(syncedMac(mac), PEER_GATEWAY, List.of(EvpnUpdates.autoRouteTarget(LOCAL_AS, VNI)),
            sequence == 0 ? List.of() : List.of(ExtendedCommunity.MacMobility.of(sequence, false)), EvpnUpdates.PathOptions.ibgp()));
    }

    private static MacIpAdvertisementRoute syncedMac(final long mac)
    {
        return new MacIpAdvertisementRoute(rd(PEER_GATEWAY), ESI, 0, new EvpnMac(mac), null, VNI, OptionalInt.empty());
    }

    private static UpdateMessage remoteMac(final long mac, final InetAddress vtep, final long sequence)
    {
        return EvpnUpdates.segmentRoute(new MacIpAdvertisementRoute(rd(vtep), EthernetSegmentId.ZERO, 0, new EvpnMac(mac), null, VNI,
            OptionalInt.empty()), vtep, List.of(EvpnUpdates.autoRouteTarget(LOCAL_AS, VNI)),
            List.of(ExtendedCommunity.MacMobility.of(sequence, false)), EvpnUpdates.PathOptions.ibgp());
    }

    private static List<EvpnRoute> withdrawn(final List<UpdateMessage> updates)
    {
        final List<EvpnRoute> withdrawn = new ArrayList<>();
        updates.forEach(update -> withdrawn.addAll(update.withdrawnEvpnRoutes()));
        return withdrawn;
    }

    @Test
    void theDfIsElectedAfterTheTimerAmongTheVtepsOfTheSegment()
    {
        portState(true);
        assertNull(evpn.segments().getFirst().designatedForwarders().get(VNI), "no DF while the timer runs (RFC 7432 §8.5)");
        elapse(Duration.ofSeconds(3));
        assertTrue(evpn.segments().getFirst().isDesignatedForwarder(VNI), "alone on the segment");

        // The other gateway appears: a type-4 with our segment's ES-Import RT; timer again, then VNI 100 mod 2 = 0 → the lower address, us.
        receive(typeFour(PEER_GATEWAY, ESI));
        assertEquals(List.of(PEER_GATEWAY), evpn.segments().getFirst().peers());
        assertFalse(evpn.segments().getFirst().isDesignatedForwarder(VNI), "no DF while the timer runs again");
        elapse(Duration.ofSeconds(3));
        assertTrue(evpn.segments().getFirst().isDesignatedForwarder(VNI));
        assertEquals(ROUTER_ID, evpn.segments().getFirst().designatedForwarders().get(VNI));

        // A type-4 of a segment we do not have is not imported (its ES-Import RT is not ours).
        receive(typeFour(OTHER_VTEP, OTHER_ESI));
        assertEquals(List.of(PEER_GATEWAY), evpn.segments().getFirst().peers());
        assertFalse(told.isEmpty(), "the data plane was told");
    }

    @Test
    void preferenceElectsTheHighestAndFallsBackToModuloWhenTheVtepsDisagree()
    {
        evpn.close();
        start(DfAlgorithm.PREFERENCE, 50);
        portState(true);

        // RFC 8584 §4.1: the other gateway prefers itself more (100 > 50).
        receive(EvpnUpdates.segmentRoute(new EthernetSegmentRoute(rd(PEER_GATEWAY), ESI, PEER_GATEWAY), PEER_GATEWAY, List.of(),
            List.of(new ExtendedCommunity.EsImportRouteTarget(ESI.esImportValue()), new ExtendedCommunity.DfElection(2, 0, 100)),
            EvpnUpdates.PathOptions.ibgp()));
        elapse(Duration.ofSeconds(3));
        assertEquals(PEER_GATEWAY, evpn.segments().getFirst().designatedForwarders().get(VNI));
        assertEquals(DfAlgorithm.PREFERENCE, evpn.segments().getFirst().algorithm());

        // It switches to modulo (RFC 8584 §2.2: disagreement means modulo for all): VNI 100 mod 2 = 0, the lower address, us.
        receive(EvpnUpdates.segmentRoute(new EthernetSegmentRoute(rd(PEER_GATEWAY), ESI, PEER_GATEWAY), PEER_GATEWAY, List.of(),
            List.of(new ExtendedCommunity.EsImportRouteTarget(ESI.esImportValue()), new ExtendedCommunity.DfElection(0, 0, 0)),
            EvpnUpdates.PathOptions.ibgp()));
        assertEquals(ROUTER_ID, evpn.segments().getFirst().designatedForwarders().get(VNI));
        assertEquals(DfAlgorithm.MODULO, evpn.segments().getFirst().algorithm());
    }

    @Test
    void aVtepWithAnAutoDiscoveryRouteForOurEsiIsOnTheSegment()
    {
        portState(true);
        receive(autoDiscoveryPerEs(OTHER_VTEP, ESI));
        assertEquals(List.of(OTHER_VTEP), evpn.segments().getFirst().peers(), "local bias drops its BUM on the segment");

        receive(EvpnUpdates.withdraw(List.of(new EthernetAutoDiscoveryRoute(rd(OTHER_VTEP), ESI, 0xFFFF_FFFFL, 0))));
        assertEquals(List.of(), evpn.segments().getFirst().peers());
    }

    /**
     * Two VLANs of one port, each its own segment (vlan-segments): one port state takes both up and
     * down; each advertises its ESI with its VNI only; each elects its own DF (RFC 8584 preference:
     * the other gateway wins VLAN 10's, we win VLAN 20's); a MAC learned in a VLAN carries that VLAN's ESI.
     */
    @Test
    void aPortWithASegmentPerVlanTakesThemUpAndDownTogetherEachWithItsOwnVniAndDf()
    {
        evpn.close();
        final int vni20 = 200;
        start(List.of(VNI, vni20),
            new EthernetSegmentSettings("acc1", ESI, DfAlgorithm.PREFERENCE, 50, Duration.ofSeconds(3), false, List.of(VNI),
                Set.of(SEGMENT_ATTACHMENT), 10),
            new EthernetSegmentSettings("acc1", OTHER_ESI, DfAlgorithm.PREFERENCE, 200, Duration.ofSeconds(3), false, List.of(vni20),
                Set.of(OTHER_ATTACHMENT), 20));
        portState(true);

        final List<UpdateMessage> sent = rr.updates();
        assertEquals(Set.of(ESI, OTHER_ESI), Set.copyOf(all(sent, EthernetSegmentRoute.class).stream().map(EthernetSegmentRoute::esi).toList()),
            "a type-4 route per segment");
        assertEquals(Set.of(ESI + " " + VNI, OTHER_ESI + " " + vni20), Set.copyOf(all(sent, EthernetAutoDiscoveryRoute.class).stream()
            .filter(route -> route.ethernetTag() == 0).map(route -> route.esi() + " " + route.label()).toList()),
            "A-D per EVI: each segment with its VLAN's VNI only");
        assertEquals(List.of(true, true), evpn.segments().stream().map(EthernetSegmentView::up).toList());
        assertEquals(List.of(10, 20), evpn.segments().stream().map(EthernetSegmentView::vlan).toList());

        // The other gateway on both segments, preference 100: above our 50 on VLAN 10's, below our 200 on VLAN 20's.
        for (final EthernetSegmentId esi : List.of(ESI, OTHER_ESI))
        {
            receive(EvpnUpdates.segmentRoute(new EthernetSegmentRoute(rd(PEER_GATEWAY), esi, PEER_GATEWAY), PEER_GATEWAY, List.of(),
                List.of(new ExtendedCommunity.EsImportRouteTarget(esi.esImportValue()), new ExtendedCommunity.DfElection(2, 0, 100)),
                EvpnUpdates.PathOptions.ibgp()));
        }
        elapse(Duration.ofSeconds(3));
        final EthernetSegmentView vlan10 = evpn.segments().get(0);
        final EthernetSegmentView vlan20 = evpn.segments().get(1);
        assertEquals(PEER_GATEWAY, vlan10.designatedForwarders().get(VNI));
        assertFalse(vlan10.isDesignatedForwarder(VNI));
        assertEquals(List.of(VNI), List.copyOf(vlan10.designatedForwarders().keySet()), "VLAN 10's segment elects in its VNI only");
        assertTrue(vlan20.isDesignatedForwarder(vni20));
        assertEquals(List.of(vni20), List.copyOf(vlan20.designatedForwarders().keySet()));
        rr.clear();
        learnLocal(vni20, 0x02_00_00_00_00_20L, OTHER_ATTACHMENT);
        assertEquals(OTHER_ESI, only(rr.updates(), MacIpAdvertisementRoute.class).esi(), "a MAC of VLAN 20 is on VLAN 20's segment");

        // The port goes down: both segments' routes go (mass withdrawal of each), neither is DF any more.
        rr.clear();
        portState(false);
        final Set<EthernetSegmentId> withdrawn = new java.util.HashSet<>();
        rr.updates().forEach(update -> update.withdrawnEvpnRoutes().stream().filter(EthernetSegmentRoute.class::isInstance)
            .map(route -> ((EthernetSegmentRoute)route).esi()).forEach(withdrawn::add));
        assertEquals(Set.of(ESI, OTHER_ESI), withdrawn);
        assertEquals(List.of(false, false), evpn.segments().stream().map(EthernetSegmentView::up).toList());
        assertFalse(evpn.segments().get(1).isDesignatedForwarder(vni20));
    }

    @Test
    void remoteSegmentsAreListedWithTheirVteps()
    {
        receive(autoDiscoveryPerEs(OTHER_VTEP, OTHER_ESI));
        receive(autoDiscoveryPerEs(PEER_GATEWAY, OTHER_ESI));
        assertEquals(List.of(OTHER_VTEP, PEER_GATEWAY), evpn.remoteSegments().get(OTHER_ESI));
    }

    @Test
    void macsOfARemoteSegmentAreReachedThroughEveryGatewayAndMoveAtOnceOnMassWithdrawal()
    {
        // Two remote gateways on OTHER_ESI, each with A-D per ES and per EVI (RFC 7432 §8.2, §8.4).
        for (final InetAddress gateway : List.of(PEER_GATEWAY, OTHER_VTEP))
        {
            receive(autoDiscoveryPerEs(gateway, OTHER_ESI));
            receive(EvpnUpdates.segmentRoute(new EthernetAutoDiscoveryRoute(EvpnUpdates.autoRouteDistinguisher((Inet4Address)gateway, 1),
                OTHER_ESI, 0, VNI), gateway, List.of(EvpnUpdates.autoRouteTarget(LOCAL_AS, VNI)), List.of(), EvpnUpdates.PathOptions.ibgp()));
        }
        // Servers' MACs, all advertised by OTHER_VTEP alone (the gateway that learned them).
        final List<Long> servers = new ArrayList<>();
        for (long mac = 0x02_00_00_00_01_00L; mac < 0x02_00_00_00_01_04L; mac++)
        {
            servers.add(mac);
            receive(EvpnUpdates.segmentRoute(new MacIpAdvertisementRoute(EvpnUpdates.autoRouteDistinguisher((Inet4Address)OTHER_VTEP, 1),
                OTHER_ESI, 0, new EvpnMac(mac), null, VNI, OptionalInt.empty()), OTHER_VTEP,
                List.of(EvpnUpdates.autoRouteTarget(LOCAL_AS, VNI)), List.of(), EvpnUpdates.PathOptions.ibgp()));
        }
        final long entry = fdb.vni(VNI).lookup(servers.getFirst());
        final int group = FdbEntry.aliasGroup(entry);
        assertTrue(group != 0, "aliasing: the entry has an alias group: " + FdbEntry.toString(entry));
        assertEquals(vtepIndex(OTHER_VTEP), FdbEntry.vtepIndex(entry), "its own VTEP is the route's next hop");
        assertEquals(List.of(vtepIndex(PEER_GATEWAY), vtepIndex(OTHER_VTEP)), indexes(fdb.aliasGroups().members(group)),
            "the flows go to either gateway");
        for (final long server : servers)
        {
            assertEquals(entry & ~0xFFFF_FFFFL, fdb.vni(VNI).lookup(server) & ~0xFFFF_FFFFL, "every MAC of the segment in the group");
        }

        // OTHER_VTEP's segment link fails: it withdraws its A-D per ES only, no type-2 route.
        receive(EvpnUpdates.withdraw(List.of(new EthernetAutoDiscoveryRoute(rd(OTHER_VTEP), OTHER_ESI, 0xFFFF_FFFFL, 0))));
        assertEquals(List.of(vtepIndex(PEER_GATEWAY)), indexes(fdb.aliasGroups().members(group)), "mass withdrawal in the data path");
        assertEquals(List.of(), servers.stream().filter(mac -> FdbEntry.vtepIndex(fdb.vni(VNI).lookup(mac)) != vtepIndex(PEER_GATEWAY))
            .toList(), "and every MAC installed at the survivor (backup, §14.1)");
    }

    private int vtepIndex(final InetAddress vtep)
    {
        return fdb.remoteVteps().intern(VtepAddress.of(vtep)).index();
    }

    private static List<Integer> indexes(final io.vtep.fdb.RemoteVtep[] vteps)
    {
        return java.util.Arrays.stream(vteps).map(io.vtep.fdb.RemoteVtep::index).toList();
    }

    // ------------------------------------------------------------------ helpers

    private void portState(final boolean up)
    {
        evpn.segmentPortState("acc1", up);
        evpn.awaitIdle(WAIT);
    }

    private void elapse(final Duration time)
    {
        now.addAndGet(time.toNanos());
        evpn.probe(() ->
        {});
        evpn.awaitIdle(WAIT);
    }

    private void learnLocal(final long mac, final int attachment)
    {
        learnLocal(VNI, mac, attachment);
    }

    private void learnLocal(final int vni, final long mac, final int attachment)
    {
        now.addAndGet(1_000_000);
        fdb.vni(vni).learnLocal(mac, attachment, now.get());
        fdb.conductor().doWork();
        evpn.awaitIdle(WAIT);
    }

    private void receive(final UpdateMessage update)
    {
        evpn.update(rr, (UpdateMessage)BgpCodec.decode(BgpCodec.encode(update, CodecContext.FOUR_OCTET_AS), CodecContext.FOUR_OCTET_AS));
        evpn.awaitIdle(WAIT);
    }

    private static RouteDistinguisher rd(final InetAddress vtep)
    {
        return EvpnUpdates.autoRouteDistinguisher((Inet4Address)vtep, 0);
    }

    private static UpdateMessage typeFour(final InetAddress vtep, final EthernetSegmentId esi)
    {
        return EvpnUpdates.segmentRoute(new EthernetSegmentRoute(rd(vtep), esi, vtep), vtep, List.of(),
            List.of(new ExtendedCommunity.EsImportRouteTarget(esi.esImportValue())), EvpnUpdates.PathOptions.ibgp());
    }

    private static UpdateMessage autoDiscoveryPerEs(final InetAddress vtep, final EthernetSegmentId esi)
    {
        return EvpnUpdates.segmentRoute(new EthernetAutoDiscoveryRoute(rd(vtep), esi, 0xFFFF_FFFFL, 0), vtep,
            List.of(EvpnUpdates.autoRouteTarget(LOCAL_AS, VNI)), List.of(new ExtendedCommunity.EsiLabel(0, 0)), EvpnUpdates.PathOptions.ibgp());
    }

    private static <T extends EvpnRoute> List<T> all(final List<UpdateMessage> updates, final Class<T> type)
    {
        final List<T> routes = new ArrayList<>();
        for (final UpdateMessage update : updates)
        {
            update.advertisedEvpnRoutes().stream().filter(type::isInstance).map(type::cast).forEach(routes::add);
        }
        return routes;
    }

    private static <T extends EvpnRoute> T only(final List<UpdateMessage> updates, final Class<T> type)
    {
        final List<T> routes = all(updates, type);
        assertEquals(1, routes.size(), () -> type.getSimpleName() + ": " + routes);
        return routes.getFirst();
    }

    private static ExtendedCommunities communitiesOf(final List<UpdateMessage> updates, final EvpnRoute route)
    {
        return updates.stream().filter(update -> update.advertisedEvpnRoutes().contains(route)).findFirst().orElseThrow()
            .attribute(ExtendedCommunities.class).orElseThrow();
    }

    private static List<ExtendedCommunity> multihoming(final List<UpdateMessage> updates, final EvpnRoute route)
    {
        return communitiesOf(updates, route).communities().stream()
            .filter(community -> !(community instanceof ExtendedCommunity.RouteTarget) && !(community instanceof ExtendedCommunity.Encapsulation))
            .toList();
    }

    private static List<ExtendedCommunity.RouteTarget> routeTargets(final List<UpdateMessage> updates, final EvpnRoute route)
    {
        return communitiesOf(updates, route).routeTargets();
    }
}
