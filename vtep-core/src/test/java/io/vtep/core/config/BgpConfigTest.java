package io.vtep.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vtep.encap.VtepAddress;
import io.vtep.evpn.codec.attr.ExtendedCommunity.RouteTarget;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;

/** The {@code bgp:} section and the EVPN keys of {@code vnis[]} (README "Configuration reference"). */
class BgpConfigTest
{
    private static final String BASE = """
        vtep: { local-ip: 198.51.100.1 }
        ports: [ { name: eth1, vlans: { untagged: 100 } } ]
        """;

    @Test
    void readsTheContractExampleWithDefaults() throws Exception
    {
        final VtepConfig config = ConfigLoader.parse(BASE + """
            bgp:
              asn: 65001
              router-id: 198.51.100.1
              neighbors:
                - { address: 192.0.2.2, remote-as: 65000 }
            """);

        final BgpConfig bgp = config.bgp();
        assertEquals(65001, bgp.asn());
        assertEquals(InetAddress.getByName("198.51.100.1"), bgp.routerId());
        assertNull(bgp.listenAddress(), "listens on every address by default");
        assertEquals(179, bgp.listenPort());
        assertEquals(5, bgp.duplicateMaxMoves());
        assertEquals(Duration.ofSeconds(180), bgp.duplicateWindow());
        assertNull(bgp.duplicateFreeze(), "duplicates stay frozen until cleared");
        assertEquals(List.of(), bgp.vnis());
        final BgpNeighborConfig neighbor = bgp.neighbors().getFirst();
        assertEquals(VtepAddress.parse("192.0.2.2"), neighbor.address());
        assertEquals(65000, neighbor.remoteAs());
        assertEquals(179, neighbor.port());
        assertFalse(neighbor.passive());
        assertEquals(90, neighbor.holdTimeSeconds());
        assertNull(neighbor.updateSource());
        assertEquals("", neighbor.description());
    }

    @Test
    void withoutTheSectionThereIsNoControlPlane() throws Exception
    {
        assertNull(ConfigLoader.parse(BASE).bgp());
    }

    @Test
    void readsEveryOption() throws Exception
    {
        final VtepConfig config = ConfigLoader.parse(BASE + """
            vnis:
              - vni: 100
                learning: evpn
                route-distinguisher: 198.51.100.1:7
                route-targets: { import: ["65000:100", "65001:100"], export: ["65001:100"] }
              - vni: 200
                route-targets: ["4200000000:200"]
            bgp:
              asn: 4200000001
              router-id: 10.0.0.1
              listen: 198.51.100.1:1179
              duplicate-detection: { max-moves: 3, window-seconds: 60, freeze: 30 }
              neighbors:
                - address: 192.0.2.2
                  remote-as: 4200000001
                  port: 1790
                  passive: true
                  hold-time: 9
                  update-source: 198.51.100.1
                  description: route reflector
                - { address: "2001:db8::2", remote-as: 65002, hold-time: 0 }
            """);

        final BgpConfig bgp = config.bgp();
        assertEquals(4_200_000_001L, bgp.asn());
        assertEquals(InetAddress.getByName("10.0.0.1"), bgp.routerId());
        assertEquals(VtepAddress.parse("198.51.100.1"), bgp.listenAddress());
        assertEquals(1179, bgp.listenPort());
        assertEquals(3, bgp.duplicateMaxMoves());
        assertEquals(Duration.ofSeconds(60), bgp.duplicateWindow());
        assertEquals(Duration.ofSeconds(30), bgp.duplicateFreeze());

        final BgpNeighborConfig reflector = bgp.neighbors().get(0);
        assertEquals(1790, reflector.port());
        assertTrue(reflector.passive());
        assertEquals(9, reflector.holdTimeSeconds());
        assertEquals(VtepAddress.parse("198.51.100.1"), reflector.updateSource());
        assertEquals("route reflector", reflector.description());
        assertEquals(0, bgp.neighbors().get(1).holdTimeSeconds());

        final EvpnVniConfig vni100 = bgp.vni(100);
        assertEquals(RouteDistinguisher.parse("198.51.100.1:7"), vni100.routeDistinguisher());
        assertEquals(List.of(RouteTarget.parse("65000:100"), RouteTarget.parse("65001:100")), vni100.importTargets());
        assertEquals(List.of(RouteTarget.parse("65001:100")), vni100.exportTargets());
        final EvpnVniConfig vni200 = bgp.vni(200);
        assertNull(vni200.routeDistinguisher(), "automatic RD");
        assertEquals(List.of(RouteTarget.ofAs4(4_200_000_000L, 200)), vni200.importTargets(), "a list means import and export");
        assertEquals(vni200.importTargets(), vni200.exportTargets());
    }

    @Test
    void readsTheHardeningKeysAndNeverShowsThePassword() throws Exception
    {
        final BgpConfig bgp = ConfigLoader.parse(BASE + """
            bgp:
              asn: 65001
              minimum-hold-time: 9
              neighbors:
                - address: 192.0.2.2
                  remote-as: 65000
                  password: "s3cret-md5"
                  ttl-security: 1
                  maximum-prefix: { limit: 5000, warning-threshold: 90, restart: 5m, warning-only: true }
                - { address: 192.0.2.3, remote-as: 65000, maximum-prefix: 200 }
                - { address: 192.0.2.4, remote-as: 65000 }
            """).bgp();
        assertEquals(9, bgp.minimumHoldSeconds());
        assertEquals(1, bgp.neighbors().getFirst().ttlSecurityHops());
        assertEquals(0, bgp.neighbors().get(1).ttlSecurityHops(), "GTSM off unless asked for");
        final BgpNeighborConfig first = bgp.neighbors().getFirst();
        assertEquals("s3cret-md5", first.password());
        assertEquals(new io.vtep.evpn.session.MaximumPrefix(5000, 90, Duration.ofMinutes(5), true), first.maximumPrefix());
        assertFalse(first.toString().contains("s3cret"), first.toString());
        assertEquals(new io.vtep.evpn.session.MaximumPrefix(200, 75, Duration.ofSeconds(60), false), bgp.neighbors().get(1).maximumPrefix(),
            "the limit alone: FRR's threshold, the default restart");
        assertEquals(io.vtep.evpn.session.MaximumPrefix.DEFAULT, bgp.neighbors().get(2).maximumPrefix(), "a default limit for every neighbor");
        assertNull(bgp.neighbors().get(2).password());
        assertEquals(3, ConfigLoader.parse(BASE + "bgp: { asn: 1, neighbors: [ { address: 192.0.2.2, remote-as: 1 } ] }\n").bgp()
            .minimumHoldSeconds(), "RFC 4271's smallest non-zero hold time by default");
    }

    @Test
    void listensOnEveryAddressWhenAskedTo() throws Exception
    {
        final BgpConfig bgp = ConfigLoader.parse(BASE +
            "bgp: { asn: 1, listen: '0.0.0.0:179', neighbors: [ { address: 192.0.2.2, remote-as: 1 } ] }\n").bgp();
        assertNull(bgp.listenAddress());
    }

    static Stream<Arguments> wrongSections()
    {
        final String neighbor = "neighbors: [ { address: 192.0.2.2, remote-as: 65000 } ]";
        return Stream.of(
            Arguments.of("no asn", BASE + "bgp: { " + neighbor + " }\n", "bgp.asn", "required"),
            Arguments.of("asn 0", BASE + "bgp: { asn: 0, " + neighbor + " }\n", "bgp.asn", "out of range"),
            Arguments.of("asn too large", BASE + "bgp: { asn: 4294967296, " + neighbor + " }\n", "bgp.asn", "out of range"),
            Arguments.of("unknown key", BASE + "bgp: { asn: 1, as: 2, " + neighbor + " }\n", "bgp.as", "unknown key"),
            Arguments.of("no neighbors", BASE + "bgp: { asn: 1 }\n", "bgp.neighbors", "at least one neighbor"),
            Arguments.of("IPv6 router id", BASE + "bgp: { asn: 1, router-id: '2001:db8::1', " + neighbor + " }\n",
                "bgp.router-id", "IPv4"),
            Arguments.of("zero router id", BASE + "bgp: { asn: 1, router-id: 0.0.0.0, " + neighbor + " }\n",
                "bgp.router-id", "non-zero"),
            Arguments.of("router id needed on IPv6 underlay",
                "vtep: { local-ip: '2001:db8::1' }\nports: [ { name: eth1, vlans: { untagged: 100 } } ]\n" +
                    "bgp: { asn: 1, neighbors: [ { address: '2001:db8::2', remote-as: 1 } ] }\n",
                "bgp.router-id", "required when vtep.local-ip is IPv6"),
            Arguments.of("neighbor without remote-as", BASE + "bgp: { asn: 1, neighbors: [ { address: 192.0.2.2 } ] }\n",
                "bgp.neighbors[0].remote-as", "required"),
            Arguments.of("neighbor bad address", BASE + "bgp: { asn: 1, neighbors: [ { address: 192.0.2, remote-as: 1 } ] }\n",
                "bgp.neighbors[0].address", "not an IPv4"),
            Arguments.of("neighbor is us", BASE + "bgp: { asn: 1, neighbors: [ { address: 198.51.100.1, remote-as: 1 } ] }\n",
                "bgp.neighbors[0].address", "own address"),
            Arguments.of("neighbor twice", BASE +
                "bgp: { asn: 1, neighbors: [ { address: 192.0.2.2, remote-as: 1 }, { address: 192.0.2.2, remote-as: 2 } ] }\n",
                "bgp.neighbors[1].address", "twice"),
            Arguments.of("hold time 2", BASE + "bgp: { asn: 1, neighbors: [ { address: 192.0.2.2, remote-as: 1, hold-time: 2 } ] }\n",
                "bgp.neighbors[0].hold-time", "at least 3"),
            Arguments.of("passive not boolean", BASE + "bgp: { asn: 1, neighbors: [ { address: 192.0.2.2, remote-as: 1, passive: maybe } ] }\n",
                "bgp.neighbors[0].passive", "true or false"),
            Arguments.of("update source other family", BASE +
                "bgp: { asn: 1, neighbors: [ { address: 192.0.2.2, remote-as: 1, update-source: '2001:db8::1' } ] }\n",
                "bgp.neighbors[0].update-source", "address family"),
            Arguments.of("neighbor unknown key", BASE + "bgp: { asn: 1, neighbors: [ { address: 192.0.2.2, remote-as: 1, secret: x } ] }\n",
                "bgp.neighbors[0].secret", "unknown key"),
            Arguments.of("password too long", BASE + "bgp: { asn: 1, neighbors: [ { address: 192.0.2.2, remote-as: 1, password: " +
                "x".repeat(81) + " } ] }\n", "bgp.neighbors[0].password", "1..80 octets"),
            Arguments.of("maximum-prefix 0", BASE + "bgp: { asn: 1, neighbors: [ { address: 192.0.2.2, remote-as: 1, maximum-prefix: 0 } ] }\n",
                "bgp.neighbors[0].maximum-prefix", "out of range"),
            Arguments.of("maximum-prefix without limit", BASE + "bgp: { asn: 1, neighbors: [ { address: 192.0.2.2, remote-as: 1, " +
                "maximum-prefix: { restart: 60 } } ] }\n", "bgp.neighbors[0].maximum-prefix.limit", "required"),
            Arguments.of("maximum-prefix threshold 101", BASE + "bgp: { asn: 1, neighbors: [ { address: 192.0.2.2, remote-as: 1, " +
                "maximum-prefix: { limit: 10, warning-threshold: 101 } } ] }\n", "bgp.neighbors[0].maximum-prefix.warning-threshold", "out of range"),
            Arguments.of("maximum-prefix bad restart", BASE + "bgp: { asn: 1, neighbors: [ { address: 192.0.2.2, remote-as: 1, " +
                "maximum-prefix: { limit: 10, restart: soon } } ] }\n", "bgp.neighbors[0].maximum-prefix.restart", "positive duration"),
            Arguments.of("maximum-prefix unknown key", BASE + "bgp: { asn: 1, neighbors: [ { address: 192.0.2.2, remote-as: 1, " +
                "maximum-prefix: { limit: 10, threshold: 5 } } ] }\n", "bgp.neighbors[0].maximum-prefix.threshold", "unknown key"),
            Arguments.of("ttl-security 255", BASE + "bgp: { asn: 1, neighbors: [ { address: 192.0.2.2, remote-as: 1, ttl-security: 255 } ] }\n",
                "bgp.neighbors[0].ttl-security", "out of range"),
            Arguments.of("minimum hold time 2", BASE + "bgp: { asn: 1, minimum-hold-time: 2, " + neighbor + " }\n",
                "bgp.minimum-hold-time", "at least 3"),
            Arguments.of("listen without port", BASE + "bgp: { asn: 1, listen: 0.0.0.0, " + neighbor + " }\n", "bgp.listen", "HOST:PORT"),
            Arguments.of("duplicate detection of 1 move", BASE + "bgp: { asn: 1, duplicate-detection: { max-moves: 1 }, " + neighbor + " }\n",
                "bgp.duplicate-detection.max-moves", "out of range"),
            Arguments.of("duplicate freeze below FRR's 30 s", BASE + "bgp: { asn: 1, duplicate-detection: { freeze: 29 }, " + neighbor + " }\n",
                "bgp.duplicate-detection.freeze", "out of range 30..3600"),
            Arguments.of("duplicate freeze as a word", BASE + "bgp: { asn: 1, duplicate-detection: { freeze: forever }, " + neighbor + " }\n",
                "bgp.duplicate-detection.freeze", "30..3600 or permanent"),
            Arguments.of("bad route distinguisher", BASE + "vnis: [ { vni: 100, route-distinguisher: 'x' } ]\nbgp: { asn: 1, " + neighbor + " }\n",
                "vnis[0].route-distinguisher", "route distinguisher like"),
            Arguments.of("bad route target", BASE + "vnis: [ { vni: 100, route-targets: { import: [ '65000' ] } } ]\nbgp: { asn: 1, " + neighbor +
                " }\n",
                "vnis[0].route-targets.import[0]", "route target like"),
            Arguments.of("route target twice", BASE + "vnis: [ { vni: 100, route-targets: [ '1:100', '1:100' ] } ]\nbgp: { asn: 1, " + neighbor +
                " }\n",
                "vnis[0].route-targets[1]", "twice"),
            Arguments.of("route targets unknown key", BASE + "vnis: [ { vni: 100, route-targets: { both: [ '1:100' ] } } ]\nbgp: { asn: 1, " +
                neighbor + " }\n",
                "vnis[0].route-targets.both", "unknown key"),
            Arguments.of("EVPN keys without bgp", BASE + "vnis: [ { vni: 100, route-distinguisher: '1:1' } ]\n",
                "vnis[0]", "add a bgp section"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongSections")
    void refusesAWrongSectionNamingTheKeyPath(final String what, final String yaml, final String path, final String problem)
    {
        ConfigAssertions.assertRefused(yaml, path, problem);
    }
}
