package io.vtep.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.multihoming.DfAlgorithm;

/** {@code ports[i].ethernet-segment}: both ESI forms, the DF election keys, and what is refused with its key path. */
class EthernetSegmentConfigTest
{
    private static final String HEAD =
        "vtep: { local-ip: 192.0.2.1 }\nbgp: { asn: 65000, neighbors: [ { address: 192.0.2.9, remote-as: 65000 } ] }\n";

    private static String port(final String segment)
    {
        return HEAD + "ports:\n  - { name: acc1, vlans: { untagged: 100 }, ethernet-segment: " + segment + " }\n";
    }

    @Test
    void readsATypeZeroEsiWithItsDefaults() throws ConfigException
    {
        final PortConfig port = ConfigLoader.parse(port("{ esi: 00:11:22:33:44:55:66:77:88:99 }")).ports().getFirst();

        final EthernetSegmentConfig segment = port.ethernetSegment();
        assertEquals("00:11:22:33:44:55:66:77:88:99", segment.esi().toString());
        assertEquals(DfAlgorithm.MODULO, segment.dfAlgorithm());
        assertEquals(3, segment.dfElectionSeconds());
        assertFalse(segment.singleActive());
    }

    @Test
    void buildsATypeThreeEsiFromSystemMacAndDiscriminator() throws ConfigException
    {
        final EthernetSegmentConfig segment = ConfigLoader.parse(port(
            "{ system-mac: '44:38:39:ff:00:01', local-discriminator: 1, df-algorithm: preference, df-preference: 50000, " +
                "df-election-seconds: 1, single-active: true }")).ports().getFirst().ethernetSegment();

        // RFC 7432 §5 type 3: 03, the MAC, the discriminator in 3 octets (FRR shows it the same way).
        assertEquals("03:44:38:39:ff:00:01:00:00:01", segment.esi().toString());
        assertEquals(0x4438_39ff_0001L, segment.esi().esImportValue());
        assertEquals(DfAlgorithm.PREFERENCE, segment.dfAlgorithm());
        assertEquals(50000, segment.dfPreference());
        assertEquals(1, segment.dfElectionSeconds());
        assertTrue(segment.singleActive());
    }

    @Test
    void aPortWithoutASegmentIsSingleHomed() throws ConfigException
    {
        assertNull(ConfigLoader.parse(HEAD + "ports: [ { name: acc1, vlans: { untagged: 100 } } ]\n").ports().getFirst().ethernetSegment());
    }

    @Test
    void theEsiParsesAndFormatsBothWays()
    {
        final EthernetSegmentId esi = EthernetSegmentId.parse("00:0A:bb:00:00:00:00:00:00:01");
        assertEquals("00:0a:bb:00:00:00:00:00:00:01", esi.toString());
        assertEquals(esi, EthernetSegmentId.parse(esi.toString()));
        assertEquals(0x0abb_0000_0000L, esi.esImportValue());
        assertTrue(EthernetSegmentId.parse("00:00:00:00:00:00:00:00:00:00").isZero());
        assertTrue(EthernetSegmentId.parse("ff:ff:ff:ff:ff:ff:ff:ff:ff:ff").isReserved());
        assertThrows(IllegalArgumentException.class, () -> EthernetSegmentId.parse("00:11:22"));
        assertThrows(IllegalArgumentException.class, () -> EthernetSegmentId.parse("09:11:22:33:44:55:66:77:88:99"));
    }

    @Test
    void aReloadThatChangesASegmentIsRefusedWithItsKey() throws ConfigException
    {
        final VtepConfig running = ConfigLoader.parse(port("{ esi: 00:11:22:33:44:55:66:77:88:99 }"));
        final VtepConfig next = ConfigLoader.parse(port("{ esi: 00:11:22:33:44:55:66:77:88:aa }"));

        final java.util.List<String> refusals = ConfigDiff.between(running, next).refusals();
        assertEquals(1, refusals.size(), refusals::toString);
        assertTrue(refusals.getFirst().startsWith("ports[0].ethernet-segment: cannot be changed while vtep runs"), refusals::toString);
        assertTrue(ConfigDiff.between(running, ConfigLoader.parse(port("{ esi: 00:11:22:33:44:55:66:77:88:99 }")))
            .refusals().isEmpty(), "the same segment again is no change");
    }

    private static String vlanSegments(final String vlans, final String segments)
    {
        return HEAD + "ports:\n  - { name: acc1, vlans: " + vlans + ", vlan-segments: " + segments + " }\n";
    }

    @Test
    void readsASegmentPerVlanInVlanOrder() throws ConfigException
    {
        final PortConfig port = ConfigLoader.parse(vlanSegments("{ 10: 1000, 20: 2000, 30: 3000 }",
            "{ 20: { system-mac: '02:00:00:00:00:01', local-discriminator: 2, df-algorithm: preference, df-preference: 100 }, " +
                "10: { esi: '00:11:22:33:44:55:66:77:88:01' } }")).ports().getFirst();

        assertNull(port.ethernetSegment(), "no segment of the whole port");
        assertTrue(port.hasSegments());
        assertEquals(java.util.List.of(10, 20), java.util.List.copyOf(port.vlanSegments().keySet()), "VLAN 30 stays single-homed");
        assertEquals("00:11:22:33:44:55:66:77:88:01", port.vlanSegments().get(10).esi().toString());
        assertEquals("03:02:00:00:00:00:01:00:00:02", port.vlanSegments().get(20).esi().toString());
        assertEquals(DfAlgorithm.PREFERENCE, port.vlanSegments().get(20).dfAlgorithm());
        assertEquals(100, port.vlanSegments().get(20).dfPreference());
    }

    @Test
    void lacpOnAPortWithVlanSegmentsTakesItsIdentityFromTheLowestVlansEsi() throws ConfigException
    {
        final PortConfig perVlan = ConfigLoader.parse(HEAD + "ports:\n  - { name: acc1, vlans: { 10: 1000, 20: 2000 }, lacp: {}, " +
            "vlan-segments: { 20: { esi: '00:11:22:33:44:55:66:77:88:02' }, 10: { esi: '00:11:22:33:44:55:66:77:88:01' } } }\n")
            .ports().getFirst();
        final PortConfig whole = ConfigLoader.parse(HEAD + "ports:\n  - { name: acc1, vlans: { 10: 1000, 20: 2000 }, lacp: {}, " +
            "ethernet-segment: { esi: '00:11:22:33:44:55:66:77:88:01' } }\n").ports().getFirst();

        assertTrue(perVlan.lacp().isOn());
        assertEquals(whole.lacp(), perVlan.lacp(), "one LACP partner for the server's LAG, whichever segments ride on it");
    }

    @Test
    void aReloadThatChangesVlanSegmentsIsRefusedWithItsKey() throws ConfigException
    {
        final VtepConfig running = ConfigLoader.parse(vlanSegments("{ 10: 1000 }", "{ 10: { esi: '00:11:22:33:44:55:66:77:88:01' } }"));
        final VtepConfig next = ConfigLoader.parse(vlanSegments("{ 10: 1000 }", "{ 10: { esi: '00:11:22:33:44:55:66:77:88:02' } }"));

        final java.util.List<String> refusals = ConfigDiff.between(running, next).refusals();
        assertEquals(1, refusals.size(), refusals::toString);
        assertTrue(refusals.getFirst().startsWith("ports[0].vlan-segments: cannot be changed while vtep runs"), refusals::toString);
    }

    static Stream<Arguments> refused()
    {
        final String segment = "ports[0].ethernet-segment";
        return Stream.of(
            Arguments.of("short ESI", port("{ esi: '00:11:22' }"), segment + ".esi", "10 colon-separated"),
            Arguments.of("zero ESI", port("{ esi: '00:00:00:00:00:00:00:00:00:00' }"), segment + ".esi", "reserved"),
            Arguments.of("MAX-ESI", port("{ esi: 'ff:ff:ff:ff:ff:ff:ff:ff:ff:ff' }"), segment + ".esi", "reserved"),
            Arguments.of("undefined ESI type", port("{ esi: '07:11:22:33:44:55:66:77:88:99' }"), segment + ".esi", "type 7"),
            Arguments.of("both forms", port("{ esi: '00:11:22:33:44:55:66:77:88:99', system-mac: '44:38:39:ff:00:01' }"),
                segment + ".esi", "not both"),
            Arguments.of("no ESI", port("{ df-algorithm: modulo }"), segment + ".esi", "required"),
            Arguments.of("system MAC without discriminator", port("{ system-mac: '44:38:39:ff:00:01' }"),
                segment + ".local-discriminator", "required"),
            Arguments.of("bad system MAC", port("{ system-mac: '44:38:39', local-discriminator: 1 }"), segment + ".system-mac", "MAC"),
            Arguments.of("discriminator too large", port("{ system-mac: '44:38:39:ff:00:01', local-discriminator: 16777216 }"),
                segment + ".local-discriminator", "out of range"),
            Arguments.of("unknown algorithm", port("{ esi: '00:11:22:33:44:55:66:77:88:99', df-algorithm: hrw }"),
                segment + ".df-algorithm", "modulo or preference"),
            Arguments.of("preference with modulo", port("{ esi: '00:11:22:33:44:55:66:77:88:99', df-preference: 5 }"),
                segment + ".df-preference", "preference only"),
            Arguments.of("preference too large", port("{ esi: '00:11:22:33:44:55:66:77:88:99', df-algorithm: preference, " +
                "df-preference: 65536 }"), segment + ".df-preference", "out of range"),
            Arguments.of("unknown key", port("{ esi: '00:11:22:33:44:55:66:77:88:99', lacp: true }"), segment + ".lacp", "unknown key"),
            Arguments.of("same ESI on two ports", HEAD + "ports:\n" +
                "  - { name: acc1, vlans: { untagged: 100 }, ethernet-segment: { esi: '00:11:22:33:44:55:66:77:88:99' } }\n" +
                "  - { name: acc2, vlans: { untagged: 100 }, ethernet-segment: { esi: '00:11:22:33:44:55:66:77:88:99' } }\n",
                "ports[1].ethernet-segment", "already the segment of port acc1"),
            Arguments.of("no bgp", "vtep: { local-ip: 192.0.2.1 }\nports: [ { name: acc1, vlans: { untagged: 100 }, " +
                "ethernet-segment: { esi: '00:11:22:33:44:55:66:77:88:99' } } ]\n", segment, "needs BGP EVPN"),
            Arguments.of("VLAN segment of a VLAN the port does not map", vlanSegments("{ 10: 1000 }",
                "{ 10: { esi: '00:11:22:33:44:55:66:77:88:01' }, 30: { esi: '00:11:22:33:44:55:66:77:88:03' } }"),
                "ports[0].vlan-segments.30", "not one of the port's vlans"),
            Arguments.of("VLAN segment of untagged frames", vlanSegments("{ untagged: 100, 10: 1000 }",
                "{ untagged: { esi: '00:11:22:33:44:55:66:77:88:01' } }"), "ports[0].vlan-segments.untagged", "ethernet-segment"),
            Arguments.of("both port and VLAN segments", HEAD + "ports:\n  - { name: acc1, vlans: { 10: 1000 }, " +
                "ethernet-segment: { esi: '00:11:22:33:44:55:66:77:88:99' }, vlan-segments: { 10: { esi: '00:11:22:33:44:55:66:77:88:01' } } }\n",
                "ports[0].vlan-segments", "not both"),
            Arguments.of("same ESI on two VLANs", vlanSegments("{ 10: 1000, 20: 2000 }",
                "{ 10: { esi: '00:11:22:33:44:55:66:77:88:01' }, 20: { esi: '00:11:22:33:44:55:66:77:88:01' } }"),
                "ports[0].vlan-segments.20", "already the segment of port acc1 VLAN 10"),
            Arguments.of("same ESI on a port and another's VLAN", HEAD + "ports:\n" +
                "  - { name: acc1, vlans: { untagged: 100 }, ethernet-segment: { esi: '00:11:22:33:44:55:66:77:88:99' } }\n" +
                "  - { name: acc2, vlans: { 10: 1000 }, vlan-segments: { 10: { esi: '00:11:22:33:44:55:66:77:88:99' } } }\n",
                "ports[1].vlan-segments.10", "already the segment of port acc1"),
            Arguments.of("bad ESI in a VLAN segment", vlanSegments("{ 10: 1000 }", "{ 10: { esi: '00:11:22' } }"),
                "ports[0].vlan-segments.10.esi", "10 colon-separated"),
            Arguments.of("VLAN segments empty", vlanSegments("{ 10: 1000 }", "{}"), "ports[0].vlan-segments", "at least one"),
            Arguments.of("VLAN segments without bgp", "vtep: { local-ip: 192.0.2.1 }\nports: [ { name: acc1, vlans: { 10: 1000 }, " +
                "vlan-segments: { 10: { esi: '00:11:22:33:44:55:66:77:88:01' } } } ]\n", "ports[0].vlan-segments", "needs BGP EVPN"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWithTheKeyPath(final String what, final String yaml, final String path, final String problem)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml));
        assertEquals(path, ex.path(), () -> "path of: " + ex.getMessage());
        assertTrue(ex.problem().contains(problem), () -> "expected '" + problem + "' in: " + ex.getMessage());
    }
}
