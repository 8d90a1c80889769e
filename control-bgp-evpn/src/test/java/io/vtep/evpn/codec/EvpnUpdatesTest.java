package io.vtep.evpn.codec;

import static io.vtep.evpn.codec.Bytes.concat;
import static io.vtep.evpn.codec.Bytes.hex;
import static io.vtep.evpn.codec.Bytes.of;
import static io.vtep.evpn.codec.Bytes.ones;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vtep.evpn.codec.attr.AsPath;
import io.vtep.evpn.codec.attr.AsPathSegment;
import io.vtep.evpn.codec.attr.ExtendedCommunities;
import io.vtep.evpn.codec.attr.ExtendedCommunity;
import io.vtep.evpn.codec.attr.LocalPref;
import io.vtep.evpn.codec.attr.MpReachNlri;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;

/** The UPDATE builders the speaker will use, beyond what the FRR capture already pins down. */
class EvpnUpdatesTest
{
    private static final CodecContext CONTEXT = CodecContext.FOUR_OCTET_AS;
    private static final Inet4Address ROUTER_ID = WireFormat.parseIpv4("198.51.100.1");
    private static final InetAddress VTEP = ROUTER_ID;
    private static final RouteDistinguisher RD = EvpnUpdates.autoRouteDistinguisher(ROUTER_ID, 2);
    private static final List<ExtendedCommunity.RouteTarget> RTS = List.of(EvpnUpdates.autoRouteTarget(65000, 100));
    private static final EvpnMac MAC = EvpnMac.parse("02:20:00:00:00:01");

    @Test
    void autoDerivedIdentifiersFollowFrr()
    {
        assertEquals("198.51.100.1:2", RD.toString());
        assertEquals(ExtendedCommunity.RouteTarget.ofAs2(65000, 100), RTS.getFirst());
        assertEquals(ExtendedCommunity.RouteTarget.ofAs2(0x1234, 100), EvpnUpdates.autoRouteTarget(0x0001_1234L, 100),
            "FRR keeps the low 16 bits of a 4-octet AS");
    }

    @Test
    void macMobilityIsAddedAfterTheRouteTargetsWhenTheMacHasMoved()
    {
        final UpdateMessage update = EvpnUpdates.macIpAdvertisement(RD, 100, MAC, WireFormat.parseAddress("10.20.0.1"), VTEP, RTS, 3,
            false, EvpnUpdates.PathOptions.ibgp());
        final byte[] bytes = BgpCodec.encode(update, CONTEXT);
        final byte[] expected = concat(
            ones(16),                          // marker
            of(0x00, 0x75),                    // length 117
            of(0x02),                          // UPDATE
            of(0x00, 0x00),                    // no withdrawn routes
            of(0x00, 0x5e),                    // Total Path Attribute Length 94
            of(0x90, 0x0e, 0x00, 0x30),        // MP_REACH_NLRI, length 48
            of(0x00, 0x19, 0x46, 0x04, 0xc6, 0x33, 0x64, 0x01, 0x00), // L2VPN EVPN, next hop 198.51.100.1, reserved
            of(0x02, 0x25),                    // type 2, length 37
            of(0x00, 0x01, 0xc6, 0x33, 0x64, 0x01, 0x00, 0x02), // RD 198.51.100.1:2
            new byte[10],                      //   ESI 0
            of(0, 0, 0, 0),                    //   Ethernet Tag 0
            of(0x30, 0x02, 0x20, 0, 0, 0, 0x01), // MAC
            of(0x20, 0x0a, 0x14, 0x00, 0x01),  //   IP length 32, 10.20.0.1
            of(0x00, 0x00, 0x64),              //   VNI 100
            of(0x40, 0x01, 0x01, 0x00),        // ORIGIN IGP
            of(0x50, 0x02, 0x00, 0x00),        // AS_PATH empty
            of(0x40, 0x05, 0x04, 0, 0, 0, 100), // LOCAL_PREF 100
            of(0xc0, 0x10, 0x18),              // EXTENDED_COMMUNITIES, length 24
            of(0x03, 0x0c, 0, 0, 0, 0, 0, 8),  //   encapsulation VXLAN
            of(0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 100), // RT 65000:100
            of(0x06, 0x00, 0x00, 0x00, 0, 0, 0, 3)); // MAC mobility, not sticky, sequence 3
        assertEquals(hex(expected), hex(bytes));
        final UpdateMessage decoded = (UpdateMessage)BgpCodec.decode(bytes, CONTEXT);
        assertEquals(ErrorAction.NONE, decoded.action());
        assertEquals(3, decoded.attribute(ExtendedCommunities.class).orElseThrow().macMobility().orElseThrow().sequence());
    }

    @Test
    void noMacMobilityForANewMacAndStickyEvenAtSequenceZero()
    {
        final UpdateMessage fresh = EvpnUpdates.macIpAdvertisement(RD, 100, MAC, null, VTEP, RTS, 0, false,
            EvpnUpdates.PathOptions.ibgp());
        assertTrue(fresh.attribute(ExtendedCommunities.class).orElseThrow().macMobility().isEmpty());
        final UpdateMessage sticky = EvpnUpdates.macIpAdvertisement(RD, 100, MAC, null, VTEP, RTS, 0, true,
            EvpnUpdates.PathOptions.ibgp());
        final ExtendedCommunity.MacMobility mobility =
            sticky.attribute(ExtendedCommunities.class).orElseThrow().macMobility().orElseThrow();
        assertTrue(mobility.sticky());
        assertEquals(0, mobility.sequence());
    }

    @Test
    void ebgpPrependsTheLocalAsAndLeavesOutLocalPref()
    {
        final UpdateMessage update = EvpnUpdates.inclusiveMulticast(RD, 100, VTEP, RTS, EvpnUpdates.PathOptions.ebgp(65001));
        assertEquals(List.of(AsPathSegment.sequence(65001)), update.attribute(AsPath.class).orElseThrow().segments());
        assertTrue(update.attribute(LocalPref.class).isEmpty());
        final UpdateMessage decoded = (UpdateMessage)BgpCodec.decode(BgpCodec.encode(update, CONTEXT), CONTEXT);
        assertEquals(update, decoded);
        assertEquals(ErrorAction.NONE, decoded.action());
    }

    @Test
    void mpReachNlriComesFirst()
    {
        // RFC 7606 §5.1: so that a receiver can find the NLRI even if a later attribute is malformed.
        final UpdateMessage update = EvpnUpdates.macIpAdvertisement(RD, 100, MAC, null, VTEP, RTS, 0, false,
            EvpnUpdates.PathOptions.ibgp());
        assertInstanceOf(MpReachNlri.class, update.pathAttributes().getFirst());
    }

    @Test
    void withdrawCarriesOnlyMpUnreachNlri()
    {
        final MacIpAdvertisementRoute route = MacIpAdvertisementRoute.of(RD, MAC, null, 100);
        final UpdateMessage withdraw = EvpnUpdates.withdraw(List.of(route));
        final UpdateMessage decoded = (UpdateMessage)BgpCodec.decode(BgpCodec.encode(withdraw, CONTEXT), CONTEXT);
        assertEquals(withdraw, decoded);
        assertEquals(ErrorAction.NONE, decoded.action(), "MP_UNREACH_NLRI needs no other attribute");
        assertEquals(List.of(route), decoded.withdrawnEvpnRoutes());
        assertEquals(List.of(), decoded.advertisedEvpnRoutes());
        assertFalse(decoded.endOfRib().isPresent());
    }

    @Test
    void openForA4OctetAsUsesAsTrans()
    {
        final OpenMessage open = OpenMessage.of(4_200_000_000L, 9, ROUTER_ID, List.of(Capability.Multiprotocol.L2VPN_EVPN,
            Capability.RouteRefresh.INSTANCE, new Capability.FourOctetAs(4_200_000_000L)));
        assertEquals(OpenMessage.AS_TRANS, open.myAs());
        assertEquals(4_200_000_000L, open.asn());
        assertEquals(open, BgpCodec.decode(BgpCodec.encode(open, CONTEXT), CONTEXT));
    }

    @Test
    void anAsTooBigForA2OctetSessionIsRefusedNotTruncated()
    {
        final UpdateMessage update = EvpnUpdates.inclusiveMulticast(RD, 100, VTEP, RTS, EvpnUpdates.PathOptions.ebgp(4_200_000_000L));
        assertThrows(IllegalArgumentException.class, () -> BgpCodec.encode(update, CodecContext.TWO_OCTET_AS));
        BgpCodec.encode(update, CONTEXT);
    }
}
