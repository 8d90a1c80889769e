package io.vtep.evpn.codec;

import static io.vtep.evpn.codec.Bytes.concat;
import static io.vtep.evpn.codec.Bytes.hex;
import static io.vtep.evpn.codec.Bytes.of;
import static io.vtep.evpn.codec.Bytes.ones;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vtep.evpn.codec.attr.AsPath;
import io.vtep.evpn.codec.attr.AttributeFlags;
import io.vtep.evpn.codec.attr.ExtendedCommunities;
import io.vtep.evpn.codec.attr.ExtendedCommunity;
import io.vtep.evpn.codec.attr.LocalPref;
import io.vtep.evpn.codec.attr.MpReachNlri;
import io.vtep.evpn.codec.attr.MpUnreachNlri;
import io.vtep.evpn.codec.attr.MultiExitDisc;
import io.vtep.evpn.codec.attr.NextHop;
import io.vtep.evpn.codec.attr.OriginAttribute;
import io.vtep.evpn.codec.attr.PmsiTunnel;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.codec.nlri.Ipv4Prefix;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;

/**
 * One golden message of each type, written octet by octet with a comment per field, most of them
 * exactly as FRR 8.4 sent them in frr-evpn-ibgp.pcap. Each must decode to the expected value and
 * encode back to the same octets.
 */
class GoldenMessageTest
{
    static final CodecContext CONTEXT = CodecContext.FOUR_OCTET_AS;
    static final InetAddress VTEP_1 = WireFormat.parseAddress("198.51.100.1");
    static final RouteDistinguisher RD_VTEP_1 = RouteDistinguisher.parse("198.51.100.1:2");
    static final ExtendedCommunity.RouteTarget RT_65000_100 = ExtendedCommunity.RouteTarget.ofAs2(65000, 100);

    static void assertGolden(final byte[] bytes, final BgpMessage expected)
    {
        final BgpMessage decoded = BgpCodec.decode(bytes, CONTEXT);
        assertEquals(expected, decoded, "decode(golden)");
        assertEquals(hex(bytes), hex(BgpCodec.encode(expected, CONTEXT)), "encode(expected)");
        assertEquals(hex(bytes), hex(BgpCodec.encode(decoded, CONTEXT)), "encode(decode(golden))");
        assertEquals(expected, BgpCodec.decode(BgpCodec.encode(expected, CONTEXT), CONTEXT), "decode(encode(expected))");
    }

    @Test
    void keepalive()
    {
        final byte[] bytes = concat(
            ones(16),              // marker
            of(0x00, 0x13),        // length 19
            of(0x04));             // type KEEPALIVE
        assertGolden(bytes, KeepaliveMessage.INSTANCE);
    }

    @Test
    void notificationHardResetFromFrr()
    {
        // Frame 4: FRR's "clear bgp l2vpn evpn *".
        final byte[] bytes = concat(
            ones(16),              // marker
            of(0x00, 0x17),        // length 23
            of(0x03),              // type NOTIFICATION
            of(0x06),              // error code 6 Cease
            of(0x09),              // subcode 9 Hard Reset (RFC 8538)
            of(0x06, 0x04));       // data: the cause, Cease / Administrative Reset
        final NotificationMessage expected = NotificationMessage.of(ErrorSubcode.HARD_RESET, Octets.of(6, 4));
        assertGolden(bytes, expected);
        assertEquals(NotificationMessage.of(ErrorSubcode.ADMINISTRATIVE_RESET), expected.hardResetCause().orElseThrow());
        assertEquals("NOTIFICATION Cease/Hard Reset (6/9) data 0604 (cause Cease/Administrative Reset (6/4))", expected.toString());
    }

    @Test
    void notificationCollisionFromFrr()
    {
        // Frames 20, 26, 28.
        final byte[] bytes = concat(
            ones(16),              // marker
            of(0x00, 0x15),        // length 21
            of(0x03),              // type NOTIFICATION
            of(0x06),              // Cease
            of(0x07));             // Connection Collision Resolution, no data
        assertGolden(bytes, NotificationMessage.of(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION));
    }

    @Test
    void notificationShutdownCommunication()
    {
        final byte[] bytes = concat(
            ones(16),              // marker
            of(0x00, 0x19),        // length 25
            of(0x03),              // type NOTIFICATION
            of(0x06),              // Cease
            of(0x02),              // Administrative Shutdown
            of(0x03),              // RFC 9003: communication length 3
            of('b', 'y', 'e'));    // UTF-8
        final NotificationMessage expected = NotificationMessage.of(ErrorSubcode.ADMINISTRATIVE_SHUTDOWN, Octets.of(3, 'b', 'y', 'e'));
        assertGolden(bytes, expected);
        assertEquals("bye", expected.shutdownCommunication().orElseThrow());
    }

    /** FRR's OPEN from frame 11 (cap1-vB, router ID 198.51.100.2): every capability FRR 8.4 sends. */
    static final byte[] FRR_OPEN = concat(
        ones(16),                          // marker
        of(0x00, 0x63),                    // length 99
        of(0x01),                          // type OPEN
        of(0x04),                          // version 4
        of(0xfd, 0xe8),                    // My AS 65000
        of(0x00, 0x09),                    // Hold Time 9 s
        of(0xc6, 0x33, 0x64, 0x02),        // BGP Identifier 198.51.100.2
        of(0x46),                          // Opt Parm Len 70
        of(0x02, 0x06),                    // parameter Capabilities, length 6
        of(0x01, 0x04),                    //   Multiprotocol, length 4
        of(0x00, 0x19, 0x00, 0x46),        //   AFI 25 L2VPN, reserved, SAFI 70 EVPN
        of(0x02, 0x02),                    // parameter Capabilities, length 2
        of(0x80, 0x00),                    //   Route Refresh (Cisco, 128), length 0
        of(0x02, 0x02),                    // parameter Capabilities, length 2
        of(0x02, 0x00),                    //   Route Refresh (RFC 2918), length 0
        of(0x02, 0x02),                    // parameter Capabilities, length 2
        of(0x46, 0x00),                    //   Enhanced Route Refresh (70), length 0
        of(0x02, 0x06),                    // parameter Capabilities, length 6
        of(0x41, 0x04),                    //   4-octet AS (65), length 4
        of(0x00, 0x00, 0xfd, 0xe8),        //   AS 65000
        of(0x02, 0x02),                    // parameter Capabilities, length 2
        of(0x06, 0x00),                    //   Extended Message (6), length 0
        of(0x02, 0x06),                    // parameter Capabilities, length 6
        of(0x45, 0x04),                    //   ADD-PATH (69), length 4
        of(0x00, 0x19, 0x46, 0x01),        //   AFI 25, SAFI 70, receive
        of(0x02, 0x0b),                    // parameter Capabilities, length 11
        of(0x49, 0x09),                    //   FQDN (73), length 9
        of(0x07, 'c', 'a', 'p', '1', '-', 'v', 'B'), // hostname length 7, "cap1-vB"
        of(0x00),                          //   domain name length 0
        of(0x02, 0x04),                    // parameter Capabilities, length 4
        of(0x40, 0x02),                    //   Graceful Restart (64), length 2
        of(0xc0, 0x78),                    //   flags R and N, restart time 120 s
        of(0x02, 0x09),                    // parameter Capabilities, length 9
        of(0x47, 0x07),                    //   Long-Lived Graceful Restart (71), length 7
        of(0x00, 0x19, 0x46, 0x80, 0x00, 0x00, 0x00)); // AFI 25, SAFI 70, flags F, stale time 0

    static OpenMessage frrOpen()
    {
        return OpenMessage.of(65000, 9, WireFormat.parseIpv4("198.51.100.2"), List.of(
            Capability.Multiprotocol.L2VPN_EVPN,
            new Capability.Unknown(Capability.CODE_ROUTE_REFRESH_CISCO, Octets.EMPTY),
            Capability.RouteRefresh.INSTANCE,
            Capability.EnhancedRouteRefresh.INSTANCE,
            new Capability.FourOctetAs(65000),
            new Capability.Unknown(Capability.CODE_EXTENDED_MESSAGE, Octets.EMPTY),
            new Capability.Unknown(Capability.CODE_ADD_PATH, Octets.of(0x00, 0x19, 0x46, 0x01)),
            new Capability.Unknown(Capability.CODE_FQDN, Octets.of(7, 'c', 'a', 'p', '1', '-', 'v', 'B', 0)),
            new Capability.Unknown(Capability.CODE_GRACEFUL_RESTART, Octets.of(0xc0, 0x78)),
            new Capability.Unknown(Capability.CODE_LONG_LIVED_GRACEFUL_RESTART, Octets.of(0x00, 0x19, 0x46, 0x80, 0, 0, 0))));
    }

    @Test
    void openFromFrr()
    {
        final OpenMessage expected = frrOpen();
        assertGolden(FRR_OPEN, expected);
        assertEquals(65000, expected.asn());
        assertTrue(expected.supports(AddressFamily.L2VPN_EVPN));
        assertTrue(expected.hasCapability(Capability.CODE_GRACEFUL_RESTART));
    }

    @Test
    void openWithExtendedOptionalParametersRfc9072()
    {
        final byte[] bytes = concat(
            ones(16),                      // marker
            of(0x00, 0x32),                // length 50
            of(0x01),                      // type OPEN
            of(0x04),                      // version 4
            of(0x5b, 0xa0),                // My AS 23456 AS_TRANS
            of(0x00, 0xb4),                // Hold Time 180 s
            of(0xc0, 0x00, 0x02, 0x01),    // BGP Identifier 192.0.2.1
            of(0xff),                      // Non-Ext OP Len 255
            of(0xff),                      // Non-Ext OP Type 255: extended encoding follows
            of(0x00, 0x12),                // Extended Opt. Parm. Length 18
            of(0x02, 0x00, 0x06),          // parameter Capabilities, 2-octet length 6
            of(0x01, 0x04, 0x00, 0x19, 0x00, 0x46), // Multiprotocol L2VPN EVPN
            of(0x02, 0x00, 0x06),          // parameter Capabilities, 2-octet length 6
            of(0x41, 0x04, 0xfa, 0x56, 0xea, 0x00)); // 4-octet AS 4200000000
        final OpenMessage expected = new OpenMessage(4, OpenMessage.AS_TRANS, 180, WireFormat.parseIpv4("192.0.2.1"),
            List.of(new OpenMessage.CapabilityParameter(List.of(Capability.Multiprotocol.L2VPN_EVPN)),
                new OpenMessage.CapabilityParameter(List.of(new Capability.FourOctetAs(4_200_000_000L)))), true);
        assertGolden(bytes, expected);
        assertEquals(4_200_000_000L, expected.asn());
    }

    @Test
    void routeRefreshNormalAndEnhanced()
    {
        assertGolden(concat(
            ones(16),                      // marker
            of(0x00, 0x17),                // length 23
            of(0x05),                      // type ROUTE-REFRESH
            of(0x00, 0x19),                // AFI 25
            of(0x00),                      // subtype 0, normal request
            of(0x46)),                     // SAFI 70
            RouteRefreshMessage.of(AddressFamily.L2VPN_EVPN, RouteRefreshMessage.SUBTYPE_NORMAL));
        assertGolden(concat(
            ones(16),                      // marker
            of(0x00, 0x17),                // length 23
            of(0x05),                      // type ROUTE-REFRESH
            of(0x00, 0x19),                // AFI 25
            of(0x02),                      // subtype 2, End of Route Refresh (RFC 7313)
            of(0x46)),                     // SAFI 70
            RouteRefreshMessage.of(AddressFamily.L2VPN_EVPN, RouteRefreshMessage.SUBTYPE_END_OF_ROUTE_REFRESH));
    }

    /** FRR's type-3 UPDATE, the second message of frame 35. */
    static final byte[] FRR_TYPE_3_UPDATE = concat(
        ones(16),                          // marker
        of(0x00, 0x65),                    // length 101
        of(0x02),                          // type UPDATE
        of(0x00, 0x00),                    // Withdrawn Routes Length 0
        of(0x00, 0x4e),                    // Total Path Attribute Length 78
        of(0x90, 0x0e, 0x00, 0x1c),        // MP_REACH_NLRI: flags Optional|Extended-Length, type 14, length 28
        of(0x00, 0x19),                    //   AFI 25 L2VPN
        of(0x46),                          //   SAFI 70 EVPN
        of(0x04),                          //   next hop length 4
        of(0xc6, 0x33, 0x64, 0x01),        //   next hop 198.51.100.1
        of(0x00),                          //   reserved
        of(0x03, 0x11),                    //   EVPN route type 3, length 17
        of(0x00, 0x01, 0xc6, 0x33, 0x64, 0x01, 0x00, 0x02), // RD type 1, 198.51.100.1:2
        of(0x00, 0x00, 0x00, 0x00),        //     Ethernet Tag ID 0
        of(0x20),                          //     IP Address Length 32
        of(0xc6, 0x33, 0x64, 0x01),        //     Originating Router 198.51.100.1
        of(0x40, 0x01, 0x01),              // ORIGIN: flags Transitive, type 1, length 1
        of(0x00),                          //   IGP
        of(0x50, 0x02, 0x00, 0x00),        // AS_PATH: flags Transitive|Extended-Length, type 2, length 0 (iBGP)
        of(0x40, 0x05, 0x04),              // LOCAL_PREF: flags Transitive, type 5, length 4
        of(0x00, 0x00, 0x00, 0x64),        //   100
        of(0xc0, 0x10, 0x10),              // EXTENDED_COMMUNITIES: flags Optional|Transitive, type 16, length 16
        of(0x03, 0x0c, 0, 0, 0, 0, 0x00, 0x08), // Encapsulation (opaque 0x03/0x0c), tunnel type 8 VXLAN
        of(0x00, 0x02, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x64), // Route Target AS2 65000:100
        of(0xc0, 0x16, 0x09),              // PMSI_TUNNEL: flags Optional|Transitive, type 22, length 9
        of(0x00),                          //   flags 0
        of(0x06),                          //   tunnel type 6, Ingress Replication
        of(0x00, 0x00, 0x64),              //   label field: VNI 100, all 24 bits (RFC 8365)
        of(0xc6, 0x33, 0x64, 0x01));       //   tunnel endpoint 198.51.100.1

    static UpdateMessage frrType3Update()
    {
        return UpdateMessage.of(List.of(
            MpReachNlri.evpn(VTEP_1, List.of(new InclusiveMulticastRoute(RD_VTEP_1, 0, VTEP_1))),
            OriginAttribute.IGP,
            AsPath.EMPTY.withFlags(AttributeFlags.WELL_KNOWN | AttributeFlags.EXTENDED_LENGTH),
            LocalPref.of(100),
            ExtendedCommunities.of(ExtendedCommunity.Encapsulation.VXLAN, RT_65000_100),
            PmsiTunnel.ingressReplication(100, VTEP_1)));
    }

    @Test
    void updateType3FromFrr()
    {
        final UpdateMessage expected = frrType3Update();
        assertGolden(FRR_TYPE_3_UPDATE, expected);
        assertEquals(ErrorAction.NONE, expected.action());
        assertEquals(List.of(new InclusiveMulticastRoute(RD_VTEP_1, 0, VTEP_1)), expected.advertisedEvpnRoutes());
    }

    /** FRR's type-2 UPDATE, the first message of frame 35. */
    static final byte[] FRR_TYPE_2_UPDATE = concat(
        ones(16),                          // marker
        of(0x00, 0x69),                    // length 105
        of(0x02),                          // type UPDATE
        of(0x00, 0x00),                    // Withdrawn Routes Length 0
        of(0x00, 0x52),                    // Total Path Attribute Length 82
        of(0x90, 0x0e, 0x00, 0x2c),        // MP_REACH_NLRI: flags 0x90, type 14, length 44
        of(0x00, 0x19, 0x46),              //   AFI 25, SAFI 70
        of(0x04, 0xc6, 0x33, 0x64, 0x01),  //   next hop length 4, 198.51.100.1
        of(0x00),                          //   reserved
        of(0x02, 0x21),                    //   EVPN route type 2, length 33
        of(0x00, 0x01, 0xc6, 0x33, 0x64, 0x01, 0x00, 0x02), // RD 198.51.100.1:2
        of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0),  //     ESI 0 (single-homed)
        of(0x00, 0x00, 0x00, 0x00),        //     Ethernet Tag ID 0
        of(0x30),                          //     MAC Address Length 48
        of(0x02, 0x20, 0x00, 0x00, 0x00, 0x01), // MAC 02:20:00:00:00:01
        of(0x00),                          //     IP Address Length 0: no IP
        of(0x00, 0x00, 0x64),              //     MPLS Label1: VNI 100 (Wireshark's "label 6")
        of(0x40, 0x01, 0x01, 0x00),        // ORIGIN IGP
        of(0x50, 0x02, 0x00, 0x00),        // AS_PATH empty, Extended-Length
        of(0x40, 0x05, 0x04, 0x00, 0x00, 0x00, 0x64), // LOCAL_PREF 100
        of(0xc0, 0x10, 0x10),              // EXTENDED_COMMUNITIES, length 16
        of(0x03, 0x0c, 0, 0, 0, 0, 0x00, 0x08), // Encapsulation VXLAN
        of(0x00, 0x02, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x64)); // RT 65000:100

    static UpdateMessage frrType2Update()
    {
        return UpdateMessage.of(List.of(
            MpReachNlri.evpn(VTEP_1, List.of(MacIpAdvertisementRoute.of(RD_VTEP_1, EvpnMac.parse("02:20:00:00:00:01"), null, 100))),
            OriginAttribute.IGP,
            AsPath.EMPTY.withFlags(0x50),
            LocalPref.of(100),
            ExtendedCommunities.of(ExtendedCommunity.Encapsulation.VXLAN, RT_65000_100)));
    }

    @Test
    void updateType2FromFrr()
    {
        assertGolden(FRR_TYPE_2_UPDATE, frrType2Update());
    }

    @Test
    void updateEndOfRibFromFrr()
    {
        final byte[] bytes = concat(
            ones(16),                      // marker
            of(0x00, 0x1d),                // length 29
            of(0x02),                      // type UPDATE
            of(0x00, 0x00),                // Withdrawn Routes Length 0
            of(0x00, 0x06),                // Total Path Attribute Length 6
            of(0x80, 0x0f, 0x03),          // MP_UNREACH_NLRI: flags Optional, type 15, length 3
            of(0x00, 0x19, 0x46));         //   AFI 25, SAFI 70, no routes: End-of-RIB (RFC 4724)
        final UpdateMessage expected = UpdateMessage.of(List.of(MpUnreachNlri.endOfRib(AddressFamily.L2VPN_EVPN)));
        assertGolden(bytes, expected);
        assertEquals(AddressFamily.L2VPN_EVPN, expected.endOfRib().orElseThrow());
    }

    @Test
    void updateIpv4WithWithdrawnRoutesAndNlri()
    {
        final byte[] bytes = concat(
            ones(16),                      // marker
            of(0x00, 0x3a),                // length 58
            of(0x02),                      // type UPDATE
            of(0x00, 0x03),                // Withdrawn Routes Length 3
            of(0x10, 0x0a, 0x01),          //   10.1.0.0/16
            of(0x00, 0x1b),                // Total Path Attribute Length 27
            of(0x40, 0x01, 0x01, 0x02),    // ORIGIN INCOMPLETE
            of(0x40, 0x02, 0x06),          // AS_PATH, length 6
            of(0x02, 0x01),                //   AS_SEQUENCE of 1
            of(0x00, 0x00, 0xfd, 0xe9),    //   AS 65001 (4 octets)
            of(0x40, 0x03, 0x04),          // NEXT_HOP, length 4
            of(0xc0, 0x00, 0x02, 0x01),    //   192.0.2.1
            of(0x80, 0x04, 0x04),          // MULTI_EXIT_DISC, length 4
            of(0x00, 0x00, 0x00, 0x0a),    //   10
            of(0x18, 0x0a, 0x02, 0x03),    // NLRI 10.2.3.0/24
            of(0x00));                     // NLRI 0.0.0.0/0
        final UpdateMessage expected = new UpdateMessage(
            List.of(Ipv4Prefix.parse("10.1.0.0/16")),
            List.of(OriginAttribute.INCOMPLETE, AsPath.sequence(65001), NextHop.of(WireFormat.parseIpv4("192.0.2.1")), MultiExitDisc.of(10)),
            List.of(Ipv4Prefix.parse("10.2.3.0/24"), Ipv4Prefix.parse("0.0.0.0/0")));
        assertGolden(bytes, expected);
        assertEquals(ErrorAction.NONE, expected.action());
    }
}
