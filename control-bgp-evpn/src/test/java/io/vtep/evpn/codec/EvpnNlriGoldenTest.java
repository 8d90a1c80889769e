package io.vtep.evpn.codec;

import static io.vtep.evpn.codec.Bytes.concat;
import static io.vtep.evpn.codec.Bytes.hex;
import static io.vtep.evpn.codec.Bytes.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.netty.buffer.Unpooled;
import io.vtep.evpn.codec.nlri.EthernetAutoDiscoveryRoute;
import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.codec.nlri.EthernetSegmentRoute;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.EvpnRouteKey;
import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.codec.nlri.IpPrefixRoute;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;
import io.vtep.evpn.codec.nlri.UnknownEvpnRoute;

/** Golden octets for every EVPN route type (RFC 7432 §7, RFC 9136 §3), route keys, RDs. */
class EvpnNlriGoldenTest
{
    private static final byte[] RD_AS2_65000_100 = of(0x00, 0x00, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x64);
    private static final RouteDistinguisher RD = RouteDistinguisher.ofAs2(65000, 100);
    private static final byte[] ESI_TYPE_0 = of(0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99);
    private static final EthernetSegmentId ESI = new EthernetSegmentId(Octets.copyOf(ESI_TYPE_0));
    private static final EvpnMac MAC = EvpnMac.parse("02:20:00:00:00:01");
    private static final InetAddress IPV4 = WireFormat.parseAddress("10.20.0.1");
    private static final InetAddress IPV6 = WireFormat.parseAddress("2001:db8::1");
    private static final byte[] IPV6_BYTES = of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01);

    static Stream<Arguments> routes()
    {
        return Stream.of(
            arguments("type 1 Ethernet A-D per ES", concat(
                of(0x01, 0x19),                    // route type 1, length 25
                RD_AS2_65000_100,                  // RD 65000:100
                ESI_TYPE_0,                        // ESI type 0, value 11..99
                of(0xff, 0xff, 0xff, 0xff),        // Ethernet Tag MAX-ET
                of(0x00, 0x00, 0x64)),             // label 100
                new EthernetAutoDiscoveryRoute(RD, ESI, 0xFFFF_FFFFL, 100)),
            arguments("type 2 MAC only, one label", concat(
                of(0x02, 0x21),                    // route type 2, length 33
                RD_AS2_65000_100,                  // RD
                new byte[10],                      // ESI 0
                of(0, 0, 0, 0),                    // Ethernet Tag 0
                of(0x30),                          // MAC length 48
                of(0x02, 0x20, 0, 0, 0, 0x01),     // MAC
                of(0x00),                          // IP length 0
                of(0x00, 0x00, 0x64)),             // label1: VNI 100
                MacIpAdvertisementRoute.of(RD, MAC, null, 100)),
            arguments("type 2 MAC+IPv4, two labels", concat(
                of(0x02, 0x28),                    // route type 2, length 40
                RD_AS2_65000_100,                  // RD
                ESI_TYPE_0,                        // ESI
                of(0, 0, 0, 0x0a),                 // Ethernet Tag 10
                of(0x30),                          // MAC length 48
                of(0x02, 0x20, 0, 0, 0, 0x01),     // MAC
                of(0x20),                          // IP length 32
                of(0x0a, 0x14, 0x00, 0x01),        // 10.20.0.1
                of(0x00, 0x00, 0x64),              // label1: L2 VNI 100
                of(0x00, 0x13, 0x88)),             // label2: L3 VNI 5000
                new MacIpAdvertisementRoute(RD, ESI, 10, MAC, IPV4, 100, OptionalInt.of(5000))),
            arguments("type 2 MAC+IPv6, one label", concat(
                of(0x02, 0x31),                    // route type 2, length 49
                RD_AS2_65000_100,                  // RD
                new byte[10],                      // ESI 0
                of(0, 0, 0, 0),                    // Ethernet Tag 0
                of(0x30),                          // MAC length 48
                of(0x02, 0x20, 0, 0, 0, 0x01),     // MAC
                of(0x80),                          // IP length 128
                IPV6_BYTES,                        // 2001:db8::1
                of(0xff, 0xff, 0xff)),             // label1: VNI 16777215, the largest
                MacIpAdvertisementRoute.of(RD, MAC, IPV6, 0xFF_FFFF)),
            arguments("type 3 IPv4", concat(
                of(0x03, 0x11),                    // route type 3, length 17
                RD_AS2_65000_100,                  // RD
                of(0, 0, 0, 0),                    // Ethernet Tag 0
                of(0x20),                          // IP length 32
                of(0xc6, 0x33, 0x64, 0x01)),       // 198.51.100.1
                new InclusiveMulticastRoute(RD, 0, WireFormat.parseAddress("198.51.100.1"))),
            arguments("type 3 IPv6", concat(
                of(0x03, 0x1d),                    // route type 3, length 29
                RD_AS2_65000_100,                  // RD
                of(0, 0, 0, 0),                    // Ethernet Tag 0
                of(0x80),                          // IP length 128
                IPV6_BYTES),                       // 2001:db8::1
                new InclusiveMulticastRoute(RD, 0, IPV6)),
            arguments("type 4 Ethernet Segment", concat(
                of(0x04, 0x17),                    // route type 4, length 23
                RD_AS2_65000_100,                  // RD
                ESI_TYPE_0,                        // ESI
                of(0x20),                          // IP length 32
                of(0xc6, 0x33, 0x64, 0x01)),       // 198.51.100.1
                new EthernetSegmentRoute(RD, ESI, WireFormat.parseAddress("198.51.100.1"))),
            arguments("type 5 IPv4 prefix", concat(
                of(0x05, 0x22),                    // route type 5, length 34
                RD_AS2_65000_100,                  // RD
                new byte[10],                      // ESI 0
                of(0, 0, 0, 0),                    // Ethernet Tag 0
                of(0x18),                          // prefix length 24
                of(0x0a, 0x14, 0x00, 0x00),        // 10.20.0.0
                of(0x00, 0x00, 0x00, 0x00),        // gateway 0.0.0.0
                of(0x00, 0x13, 0x88)),             // label: L3 VNI 5000
                new IpPrefixRoute(RD, EthernetSegmentId.ZERO, 0, 24, WireFormat.parseAddress("10.20.0.0"),
                    WireFormat.parseAddress("0.0.0.0"), 5000)),
            arguments("type 5 IPv6 prefix", concat(
                of(0x05, 0x3a),                    // route type 5, length 58
                RD_AS2_65000_100,                  // RD
                new byte[10],                      // ESI 0
                of(0, 0, 0, 0),                    // Ethernet Tag 0
                of(0x40),                          // prefix length 64
                of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), // 2001:db8::
                new byte[16],                      // gateway ::
                of(0x00, 0x13, 0x88)),             // label 5000
                new IpPrefixRoute(RD, EthernetSegmentId.ZERO, 0, 64, WireFormat.parseAddress("2001:db8::"),
                    WireFormat.parseAddress("::"), 5000)),
            arguments("unknown type 9 kept opaque", concat(
                of(0x09, 0x03),                    // route type 9, length 3
                of(0xaa, 0xbb, 0xcc)),             // whatever it is
                new UnknownEvpnRoute(9, Octets.of(0xaa, 0xbb, 0xcc))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void decodesAndEncodesGoldenOctets(final String name, final byte[] golden, final EvpnRoute expected)
    {
        final List<EvpnRoute> decoded = EvpnRoute.decodeAll(Unpooled.wrappedBuffer(golden));
        assertEquals(List.of(expected), decoded, name);
        assertEquals(hex(golden), hex(encode(expected)), "encode(expected)");
        assertEquals(hex(golden), hex(encode(decoded.getFirst())), "encode(decode(golden))");
        assertEquals(golden.length - 2, expected.valueLength());
    }

    static byte[] encode(final EvpnRoute route)
    {
        return Encoded.bytes(route::encode);
    }

    @Test
    void macIpKeyLeavesOutEsiAndLabels()
    {
        // RFC 7432 §7.2: ESI and labels are attributes of the route, not part of its key.
        final MacIpAdvertisementRoute route = new MacIpAdvertisementRoute(RD, EthernetSegmentId.ZERO, 0, MAC, IPV4, 100, OptionalInt.empty());
        final MacIpAdvertisementRoute relabelled = new MacIpAdvertisementRoute(RD, ESI, 0, MAC, IPV4, 200, OptionalInt.of(5000));
        assertEquals(route.key(), relabelled.key());
        assertEquals(route.key().hashCode(), relabelled.key().hashCode());
        assertNotEquals(route.key(), MacIpAdvertisementRoute.of(RD, MAC, null, 100).key(), "the IP is part of the key");
        assertNotEquals(route.key(), MacIpAdvertisementRoute.of(RouteDistinguisher.ofAs2(65000, 101), MAC, IPV4, 100).key(),
            "so is the RD");
        assertNotEquals(route.key(), new MacIpAdvertisementRoute(RD, ESI, 7, MAC, IPV4, 100, OptionalInt.empty()).key(),
            "and the Ethernet Tag");
        assertEquals("65000:100 [2]:[0]:[48]:[02:20:00:00:00:01]:[32]:[10.20.0.1]", route.key().toString());
    }

    @Test
    void otherKeys()
    {
        final InetAddress vtep = WireFormat.parseAddress("198.51.100.1");
        final EvpnRouteKey imet = new InclusiveMulticastRoute(RouteDistinguisher.parse("198.51.100.1:2"), 0, vtep).key();
        assertEquals(new EvpnRouteKey.InclusiveMulticast(RouteDistinguisher.parse("198.51.100.1:2"), 0, vtep), imet);
        assertEquals("198.51.100.1:2 [3]:[0]:[32]:[198.51.100.1]", imet.toString());
        assertEquals(new EthernetAutoDiscoveryRoute(RD, ESI, 1, 100).key(), new EthernetAutoDiscoveryRoute(RD, ESI, 1, 999).key());
        assertEquals(new EthernetSegmentRoute(RD, ESI, vtep).key(), new EvpnRouteKey.EthernetSegment(RD, ESI, vtep));
        final InetAddress prefix = WireFormat.parseAddress("10.20.0.0");
        assertEquals(new IpPrefixRoute(RD, ESI, 0, 24, prefix, prefix, 1).key(),
            new IpPrefixRoute(RD, EthernetSegmentId.ZERO, 0, 24, prefix, WireFormat.parseAddress("0.0.0.0"), 2).key());
        assertEquals("65000:100 [5]:[0]:[24]:[10.20.0.0]", new IpPrefixRoute(RD, ESI, 0, 24, prefix, prefix, 1).key().toString());
    }

    @Test
    void routeDistinguishersPrintLikeFrr()
    {
        assertEquals("198.51.100.1:2", RouteDistinguisher.ofIpv4(WireFormat.parseIpv4("198.51.100.1"), 2).toString());
        assertEquals("65000:100", RouteDistinguisher.ofAs2(65000, 100).toString());
        assertEquals("4200000000:7", RouteDistinguisher.ofAs4(4_200_000_000L, 7).toString());
        assertEquals("65000:4294967295", RouteDistinguisher.ofAs2(65000, 0xFFFF_FFFFL).toString());
        for (final String text : List.of("198.51.100.1:2", "65000:100", "4200000000:7", "0:0"))
        {
            assertEquals(text, RouteDistinguisher.parse(text).toString());
        }
        assertEquals(0x0001_c633_6401_0002L, RouteDistinguisher.parse("198.51.100.1:2").value(), "FRR's octets 0001c63364010002");
        assertEquals(RouteDistinguisher.TYPE_AS4, RouteDistinguisher.parse("4200000000:7").type());
        assertThrows(IllegalArgumentException.class, () -> RouteDistinguisher.parse("198.51.100.1:65536"));
        assertThrows(IllegalArgumentException.class, () -> RouteDistinguisher.parse("nonsense"));
    }

    @Test
    void macAddressesAndEsis()
    {
        assertEquals(0x0220_0000_0001L, MAC.value());
        assertEquals("02:20:00:00:00:01", MAC.toString());
        assertThrows(IllegalArgumentException.class, () -> EvpnMac.parse("02:20:00:00:00"));
        assertEquals("00:11:22:33:44:55:66:77:88:99", ESI.toString());
        assertEquals(EthernetSegmentId.ZERO, EthernetSegmentId.read(Unpooled.wrappedBuffer(new byte[10])));
    }

    @Test
    void fieldRangesAreChecked()
    {
        assertThrows(IllegalArgumentException.class, () -> MacIpAdvertisementRoute.of(RD, MAC, null, 0x100_0000));
        assertThrows(IllegalArgumentException.class, () -> new InclusiveMulticastRoute(RD, 1L << 32, IPV4));
        assertThrows(IllegalArgumentException.class, () -> new EvpnMac(1L << 48));
    }
}
