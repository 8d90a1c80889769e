package io.vtep.evpn.codec;

import static io.vtep.evpn.codec.Bytes.concat;
import static io.vtep.evpn.codec.Bytes.hex;
import static io.vtep.evpn.codec.Bytes.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vtep.evpn.codec.attr.Aggregator;
import io.vtep.evpn.codec.attr.As4Aggregator;
import io.vtep.evpn.codec.attr.As4Path;
import io.vtep.evpn.codec.attr.AsPath;
import io.vtep.evpn.codec.attr.AsPathSegment;
import io.vtep.evpn.codec.attr.AtomicAggregate;
import io.vtep.evpn.codec.attr.AttributeFlags;
import io.vtep.evpn.codec.attr.ClusterList;
import io.vtep.evpn.codec.attr.Communities;
import io.vtep.evpn.codec.attr.ExtendedCommunities;
import io.vtep.evpn.codec.attr.ExtendedCommunity;
import io.vtep.evpn.codec.attr.LocalPref;
import io.vtep.evpn.codec.attr.MalformedAttribute;
import io.vtep.evpn.codec.attr.MpReachNlri;
import io.vtep.evpn.codec.attr.MpUnreachNlri;
import io.vtep.evpn.codec.attr.MultiExitDisc;
import io.vtep.evpn.codec.attr.NextHop;
import io.vtep.evpn.codec.attr.OriginAttribute;
import io.vtep.evpn.codec.attr.OriginatorId;
import io.vtep.evpn.codec.attr.PathAttribute;
import io.vtep.evpn.codec.attr.PathAttributes;
import io.vtep.evpn.codec.attr.PmsiTunnel;
import io.vtep.evpn.codec.attr.UnknownAttribute;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.codec.nlri.OpaqueNlri;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;

/** Golden octets, with a comment per field, for every path attribute and extended community. */
class PathAttributeGoldenTest
{
    private static final CodecContext AS4 = CodecContext.FOUR_OCTET_AS;
    private static final CodecContext AS2 = CodecContext.TWO_OCTET_AS;
    private static final RouteDistinguisher RD = RouteDistinguisher.parse("198.51.100.1:2");
    private static final InetAddress V6 = WireFormat.parseAddress("2001:db8::1");

    static Stream<Arguments> attributes()
    {
        return Stream.of(
            arguments("ORIGIN EGP", AS4, concat(
                of(0x40, 0x01, 0x01),              // flags Transitive, type 1, length 1
                of(0x01)),                         // EGP
                OriginAttribute.EGP),
            arguments("AS_PATH 2-octet SEQUENCE + SET", AS2, concat(
                of(0x40, 0x02, 0x0a),              // flags Transitive, type 2, length 10
                of(0x02, 0x02),                    // AS_SEQUENCE of 2
                of(0xfd, 0xe8, 0xfd, 0xe9),        //   65000 65001 (2 octets each)
                of(0x01, 0x01),                    // AS_SET of 1
                of(0xfd, 0xea)),                   //   65002
                new AsPath(AttributeFlags.WELL_KNOWN, List.of(AsPathSegment.sequence(65000, 65001), AsPathSegment.set(65002)))),
            arguments("AS_PATH 4-octet SEQUENCE + SET", AS4, concat(
                of(0x40, 0x02, 0x10),              // flags Transitive, type 2, length 16
                of(0x02, 0x02),                    // AS_SEQUENCE of 2
                of(0x00, 0x00, 0xfd, 0xe8),        //   65000
                of(0xfa, 0x56, 0xea, 0x00),        //   4200000000
                of(0x01, 0x01),                    // AS_SET of 1
                of(0x00, 0x00, 0xfd, 0xea)),       //   65002
                new AsPath(AttributeFlags.WELL_KNOWN,
                    List.of(AsPathSegment.sequence(65000, 4_200_000_000L), AsPathSegment.set(65002)))),
            arguments("AS_PATH confederation segments", AS4, concat(
                of(0x40, 0x02, 0x0c),              // flags Transitive, type 2, length 12
                of(0x03, 0x01, 0, 0, 0xfd, 0xe8),  // AS_CONFED_SEQUENCE of 1: 65000
                of(0x04, 0x01, 0, 0, 0xfd, 0xe9)), // AS_CONFED_SET of 1: 65001
                new AsPath(AttributeFlags.WELL_KNOWN, List.of(new AsPathSegment(AsPathSegment.AS_CONFED_SEQUENCE, List.of(65000L)),
                    new AsPathSegment(AsPathSegment.AS_CONFED_SET, List.of(65001L))))),
            arguments("NEXT_HOP", AS4, concat(
                of(0x40, 0x03, 0x04),              // flags Transitive, type 3, length 4
                of(0xc0, 0x00, 0x02, 0x01)),       // 192.0.2.1
                NextHop.of(WireFormat.parseIpv4("192.0.2.1"))),
            arguments("MULTI_EXIT_DISC", AS4, concat(
                of(0x80, 0x04, 0x04),              // flags Optional, type 4, length 4
                of(0xff, 0xff, 0xff, 0xfe)),       // 4294967294
                MultiExitDisc.of(4_294_967_294L)),
            arguments("LOCAL_PREF", AS4, concat(
                of(0x40, 0x05, 0x04),              // flags Transitive, type 5, length 4
                of(0x00, 0x00, 0x00, 0xc8)),       // 200
                LocalPref.of(200)),
            arguments("ATOMIC_AGGREGATE", AS4,
                of(0x40, 0x06, 0x00),              // flags Transitive, type 6, length 0
                AtomicAggregate.INSTANCE),
            arguments("AGGREGATOR 2-octet", AS2, concat(
                of(0xc0, 0x07, 0x06),              // flags Optional|Transitive, type 7, length 6
                of(0xfd, 0xe8),                    // AS 65000
                of(0xc0, 0x00, 0x02, 0x01)),       // 192.0.2.1
                new Aggregator(AttributeFlags.OPTIONAL_TRANSITIVE, 65000, WireFormat.parseIpv4("192.0.2.1"))),
            arguments("AGGREGATOR 4-octet", AS4, concat(
                of(0xc0, 0x07, 0x08),              // flags Optional|Transitive, type 7, length 8
                of(0xfa, 0x56, 0xea, 0x00),        // AS 4200000000
                of(0xc0, 0x00, 0x02, 0x01)),       // 192.0.2.1
                new Aggregator(AttributeFlags.OPTIONAL_TRANSITIVE, 4_200_000_000L, WireFormat.parseIpv4("192.0.2.1"))),
            arguments("COMMUNITIES", AS4, concat(
                of(0xc0, 0x08, 0x08),              // flags Optional|Transitive, type 8, length 8
                of(0xfd, 0xe8, 0x00, 0x01),        // 65000:1
                of(0xff, 0xff, 0xff, 0x01)),       // NO_EXPORT
                Communities.of(0xfde8_0001L, Communities.NO_EXPORT)),
            arguments("ORIGINATOR_ID", AS4, concat(
                of(0x80, 0x09, 0x04),              // flags Optional, type 9, length 4
                of(0xc6, 0x33, 0x64, 0x02)),       // 198.51.100.2
                OriginatorId.of(WireFormat.parseIpv4("198.51.100.2"))),
            arguments("CLUSTER_LIST", AS4, concat(
                of(0x80, 0x0a, 0x08),              // flags Optional, type 10, length 8
                of(0xc0, 0x00, 0x02, 0xfe),        // cluster 192.0.2.254 (most recent)
                of(0xc0, 0x00, 0x02, 0xfd)),       // cluster 192.0.2.253
                ClusterList.of(WireFormat.parseIpv4("192.0.2.254"), WireFormat.parseIpv4("192.0.2.253"))),
            arguments("MP_REACH_NLRI EVPN, IPv6 next hop, type 3 from an IPv6 VTEP", AS4, concat(
                of(0x90, 0x0e, 0x00, 0x34),        // flags Optional|Extended-Length, type 14, length 52
                of(0x00, 0x19, 0x46),              // AFI 25, SAFI 70
                of(0x10),                          // next hop length 16
                of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01), // 2001:db8::1
                of(0x00),                          // reserved
                of(0x03, 0x1d),                    // route type 3, length 29
                of(0x00, 0x01, 0xc6, 0x33, 0x64, 0x01, 0x00, 0x02), // RD 198.51.100.1:2
                of(0x00, 0x00, 0x00, 0x00),        //   Ethernet Tag 0
                of(0x80),                          //   IP Address Length 128
                of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01)), // 2001:db8::1
                MpReachNlri.evpn(V6, List.of(new InclusiveMulticastRoute(RD, 0, V6)))),
            arguments("MP_REACH_NLRI EVPN, 32-octet next hop (global + link-local)", AS4, concat(
                of(0x90, 0x0e, 0x00, 0x48),        // flags 0x90, type 14, length 72
                of(0x00, 0x19, 0x46),              // AFI 25, SAFI 70
                of(0x20),                          // next hop length 32
                of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01), // global 2001:db8::1
                of(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01), // link-local fe80::1
                of(0x00),                          // reserved
                of(0x02, 0x21),                    // route type 2, length 33
                of(0x00, 0x01, 0xc6, 0x33, 0x64, 0x01, 0x00, 0x02), // RD
                of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0),  //   ESI 0
                of(0, 0, 0, 0),                    //   Ethernet Tag 0
                of(0x30, 0x02, 0x20, 0, 0, 0, 0x02), // MAC length 48, 02:20:00:00:00:02
                of(0x00),                          //   no IP
                of(0x00, 0x00, 0x64)),             //   VNI 100
                new MpReachNlri(MpReachNlri.DEFAULT_FLAGS, AddressFamily.AFI_L2VPN, AddressFamily.SAFI_EVPN,
                    Octets.fromHex("20010db8000000000000000000000001fe800000000000000000000000000001"), 0,
                    List.of(MacIpAdvertisementRoute.of(RD, EvpnMac.parse("02:20:00:00:00:02"), null, 100)))),
            arguments("MP_REACH_NLRI IPv4 unicast kept opaque", AS4, concat(
                of(0x80, 0x0e, 0x0d),              // flags Optional, type 14, length 13
                of(0x00, 0x01, 0x01),              // AFI 1, SAFI 1
                of(0x04, 0xc0, 0x00, 0x02, 0x01),  // next hop length 4, 192.0.2.1
                of(0x00),                          // reserved
                of(0x18, 0x0a, 0x00, 0x01)),       // 10.0.1.0/24, not interpreted
                new MpReachNlri(AttributeFlags.OPTIONAL, 1, 1, Octets.of(192, 0, 2, 1), 0,
                    List.of(new OpaqueNlri(Octets.of(0x18, 0x0a, 0x00, 0x01))))),
            arguments("MP_UNREACH_NLRI EVPN withdrawing a type 2", AS4, concat(
                of(0x90, 0x0f, 0x00, 0x26),        // flags 0x90, type 15, length 38
                of(0x00, 0x19, 0x46),              // AFI 25, SAFI 70
                of(0x02, 0x21),                    // route type 2, length 33
                of(0x00, 0x01, 0xc6, 0x33, 0x64, 0x01, 0x00, 0x02), // RD
                of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0),  //   ESI 0
                of(0, 0, 0, 0),                    //   Ethernet Tag 0
                of(0x30, 0x02, 0x20, 0, 0, 0, 0x01), // MAC 02:20:00:00:00:01
                of(0x00),                          //   no IP
                of(0x00, 0x00, 0x64)),             //   VNI 100
                MpUnreachNlri.evpn(List.of(MacIpAdvertisementRoute.of(RD, EvpnMac.parse("02:20:00:00:00:01"), null, 100)))),
            arguments("EXTENDED_COMMUNITIES, every typed community and one opaque", AS4, concat(
                of(0xc0, 0x10, 0x40),              // flags Optional|Transitive, type 16, length 64
                of(0x00, 0x02, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x64), // RT two-octet AS 65000:100
                of(0x01, 0x02, 0xc0, 0x00, 0x02, 0x01, 0x00, 0x05), // RT IPv4 192.0.2.1:5
                of(0x02, 0x02, 0xfa, 0x56, 0xea, 0x00, 0x00, 0x64), // RT four-octet AS 4200000000:100
                of(0x03, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08), // Encapsulation, tunnel type 8 VXLAN
                of(0x06, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x05), // MAC Mobility: sticky, reserved, seq 5
                of(0x06, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x64), // ESI Label: single-active, reserved, label 100
                of(0x06, 0x03, 0x02, 0x20, 0x00, 0x00, 0x00, 0xaa), // Router's MAC 02:20:00:00:00:aa
                of(0x00, 0x03, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x01)), // Route Origin 65000:1: kept opaque
                ExtendedCommunities.of(
                    ExtendedCommunity.RouteTarget.ofAs2(65000, 100),
                    ExtendedCommunity.RouteTarget.ofIpv4(WireFormat.parseIpv4("192.0.2.1"), 5),
                    ExtendedCommunity.RouteTarget.ofAs4(4_200_000_000L, 100),
                    ExtendedCommunity.Encapsulation.VXLAN,
                    ExtendedCommunity.MacMobility.of(5, true),
                    new ExtendedCommunity.EsiLabel(ExtendedCommunity.EsiLabel.FLAG_SINGLE_ACTIVE, 100),
                    new ExtendedCommunity.RouterMac(EvpnMac.parse("02:20:00:00:00:aa")),
                    new ExtendedCommunity.Opaque(0x0003_fde8_0000_0001L))),
            arguments("EXTENDED_COMMUNITIES MAC mobility with non-zero reserved stays opaque", AS4, concat(
                of(0xc0, 0x10, 0x08),              // flags Optional|Transitive, type 16, length 8
                of(0x06, 0x00, 0x00, 0x7f, 0x00, 0x00, 0x00, 0x01)), // MAC Mobility with reserved 0x7f
                ExtendedCommunities.of(new ExtendedCommunity.Opaque(0x0600_007f_0000_0001L))),
            arguments("PMSI_TUNNEL ingress replication, IPv6 endpoint", AS4, concat(
                of(0xc0, 0x16, 0x15),              // flags Optional|Transitive, type 22, length 21
                of(0x00),                          // flags 0
                of(0x06),                          // Ingress Replication
                of(0x00, 0x27, 0x10),              // label field: VNI 10000
                of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01)), // 2001:db8::1
                PmsiTunnel.ingressReplication(10000, V6)),
            arguments("PMSI_TUNNEL no tunnel info, leaf information required", AS4, concat(
                of(0xc0, 0x16, 0x05),              // flags Optional|Transitive, type 22, length 5
                of(0x01),                          // flags: Leaf Information Required
                of(0x00),                          // tunnel type 0: no tunnel information
                of(0x00, 0x00, 0x00)),             // label 0, no tunnel identifier
                new PmsiTunnel(AttributeFlags.OPTIONAL_TRANSITIVE, 1, 0, 0, Octets.EMPTY)),
            arguments("AS4_PATH", AS2, concat(
                of(0xc0, 0x11, 0x0a),              // flags Optional|Transitive, type 17, length 10
                of(0x02, 0x02),                    // AS_SEQUENCE of 2
                of(0xfa, 0x56, 0xea, 0x00),        //   4200000000 (always 4 octets)
                of(0x00, 0x00, 0xfd, 0xe8)),       //   65000
                new As4Path(AttributeFlags.OPTIONAL_TRANSITIVE, List.of(AsPathSegment.sequence(4_200_000_000L, 65000)))),
            arguments("AS4_AGGREGATOR", AS2, concat(
                of(0xc0, 0x12, 0x08),              // flags Optional|Transitive, type 18, length 8
                of(0xfa, 0x56, 0xea, 0x00),        // AS 4200000000
                of(0xc0, 0x00, 0x02, 0x01)),       // 192.0.2.1
                new As4Aggregator(AttributeFlags.OPTIONAL_TRANSITIVE, 4_200_000_000L, WireFormat.parseIpv4("192.0.2.1"))),
            arguments("unknown optional transitive, Partial, Extended-Length (LARGE_COMMUNITY)", AS4, concat(
                of(0xf0, 0x20, 0x00, 0x0c),        // flags O|T|P|E, type 32, 2-octet length 12
                of(0x00, 0x00, 0xfd, 0xe8),        // global administrator 65000
                of(0x00, 0x00, 0x00, 0x01),        // local data 1
                of(0x00, 0x00, 0x00, 0x02)),       // local data 2
                new UnknownAttribute(0xf0, 32, Octets.fromHex("0000fde8 00000001 00000002"))),
            arguments("unknown optional non-transitive, unused flag bits kept", AS4, concat(
                of(0x83, 0x63, 0x02),              // flags Optional + unused bits 0x03, type 99, length 2
                of(0xab, 0xcd)),                   // value
                new UnknownAttribute(0x83, 99, Octets.of(0xab, 0xcd))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributes")
    void decodesAndEncodesGoldenOctets(final String name, final CodecContext context, final byte[] golden, final PathAttribute expected)
    {
        final UpdateMessage update = (UpdateMessage)BgpCodec.decode(Updates.withAttributes(golden), context);
        assertEquals(1, update.pathAttributes().size());
        final PathAttribute decoded = update.pathAttributes().getFirst();
        assertEquals(expected, decoded, name);
        assertEquals(hex(golden), hex(encode(expected, context)), "encode(expected)");
        assertEquals(hex(golden), hex(encode(decoded, context)), "encode(decode(golden))");
    }

    static byte[] encode(final PathAttribute attribute, final CodecContext context)
    {
        return Encoded.bytes(out -> PathAttributes.encode(attribute, out, context));
    }

    @Test
    void extendedLengthIsSetWhenTheValueOutgrows255Octets()
    {
        final List<Long> values = new ArrayList<>();
        for (long i = 0; i < 70; i++)
        {
            values.add(0xfde8_0000L + i);
        }
        final Communities communities = new Communities(AttributeFlags.OPTIONAL_TRANSITIVE, values);
        final byte[] bytes = encode(communities, AS4);
        assertEquals("d0080118", hex(bytes).substring(0, 8), "flags O|T|E, type 8, 2-octet length 280");
        final UpdateMessage update = (UpdateMessage)BgpCodec.decode(Updates.withAttributes(bytes), AS4);
        assertEquals(new Communities(0xd0, values), update.pathAttributes().getFirst());
    }

    @Test
    void accessorsReadTheFieldsVxlanCares()
    {
        final PmsiTunnel pmsi = PmsiTunnel.ingressReplication(100, WireFormat.parseAddress("198.51.100.1"));
        assertEquals(100, pmsi.vni());
        assertEquals(6, pmsi.mplsLabel(), "VNI 100 read as a 20-bit MPLS label, as Wireshark shows it");
        assertEquals(WireFormat.parseAddress("198.51.100.1"), pmsi.tunnelEndpoint().orElseThrow());

        final MpReachNlri reach = (MpReachNlri)((UpdateMessage)BgpCodec.decode(Updates.withAttributes(
            (byte[])attributes().toList().get(14).get()[2]), AS4)).pathAttributes().getFirst();
        assertEquals(V6, reach.nextHopAddress().orElseThrow());
        assertEquals(WireFormat.parseAddress("fe80::1"), reach.linkLocalNextHop().orElseThrow());
        assertInstanceOf(Inet6Address.class, reach.linkLocalNextHop().orElseThrow());

        final ExtendedCommunities communities = ExtendedCommunities.of(ExtendedCommunity.Encapsulation.VXLAN,
            ExtendedCommunity.RouteTarget.parse("65000:100"), ExtendedCommunity.MacMobility.of(7, false));
        assertEquals(List.of(ExtendedCommunity.RouteTarget.ofAs2(65000, 100)), communities.routeTargets());
        assertEquals(8, communities.encapsulation().orElseThrow().tunnelType());
        assertEquals(7, communities.macMobility().orElseThrow().sequence());
        assertEquals("EXTENDED_COMMUNITIES ET:8 RT:65000:100 MM:7", communities.toString());
        assertEquals("RT:4200000000:7", ExtendedCommunity.RouteTarget.parse("4200000000:7").toString());
        assertEquals("RT:192.0.2.1:7", ExtendedCommunity.RouteTarget.parse("192.0.2.1:7").toString());
        assertTrue(ExtendedCommunity.MacMobility.of(0, true).sticky());
    }

    @Test
    void unrecognizedFlagsAreKeptNotMalformed()
    {
        final UpdateMessage update = (UpdateMessage)BgpCodec.decode(Updates.withAttributes(of(0xc0, 0x63, 0x00)), AS4);
        assertEquals(new UnknownAttribute(0xc0, 99, Octets.EMPTY), update.pathAttributes().getFirst());
        assertTrue(update.pathAttributes().stream().noneMatch(MalformedAttribute.class::isInstance));
    }
}
