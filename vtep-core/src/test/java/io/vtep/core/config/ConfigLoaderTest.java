package io.vtep.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vtep.encap.MacAddress;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.LearningMode;

class ConfigLoaderTest
{
    /** The example of the configuration contract, docs/architecture.md §5, minus the bgp section. */
    private static final String CONTRACT_EXAMPLE = """
        vtep:
          local-ip: 198.51.100.1
          udp-port: 4789
          underlay-mtu: 1500
        ports:
          - name: eth1
            driver: af-packet
            vlans:
              untagged: 100
              10: 1010
        vnis:
          - vni: 100
            flood: [198.51.100.2, 198.51.100.3]
            learning: data-plane
            mac-limit: 16384
          - vni: 200
            multicast-group: 239.1.1.100
        fdb:
          ageing-seconds: 300
          static:
            - { vni: 100, mac: "02:00:00:00:00:09", remote: 198.51.100.3 }
        api:
          listen: 127.0.0.1:9100
        """;

    @Test
    void readsTheContractExample() throws ConfigException
    {
        final VtepConfig config = ConfigLoader.parse(CONTRACT_EXAMPLE);

        assertEquals(VtepAddress.parse("198.51.100.1"), config.vtep().localIp());
        assertEquals(4789, config.vtep().udpPort());
        assertEquals(1500, config.vtep().underlayMtu());
        assertEquals(SourcePortRange.DEFAULT, config.vtep().sourcePorts());
        assertEquals(1, config.ports().size());
        final PortConfig port = config.ports().get(0);
        assertEquals("eth1", port.name());
        assertEquals(PortDriver.AF_PACKET, port.driver());
        assertEquals(100, port.vlans().get(PortConfig.UNTAGGED));
        assertEquals(1010, port.vlans().get(10));

        final VniConfig vni100 = config.vni(100);
        assertEquals(List.of(VtepAddress.parse("198.51.100.2"), VtepAddress.parse("198.51.100.3")), vni100.flood());
        assertEquals(LearningMode.DATA_PLANE, vni100.learning());
        assertEquals(16384, vni100.macLimit());
        assertNull(vni100.multicastGroup());
        assertEquals(VtepAddress.parse("239.1.1.100"), config.vni(200).multicastGroup());
        // VNI 1010 is only mapped on the port: it exists, with defaults.
        assertEquals(LearningMode.DATA_PLANE, config.vni(1010).learning());
        assertEquals(65_536, config.vni(1010).macLimit(), "the default MAC limit (FdbSettings.DEFAULT_MAC_LIMIT)");
        assertTrue(config.vni(1010).flood().isEmpty());

        assertEquals(300, config.fdb().ageingSeconds());
        assertEquals(new FdbConfig.StaticEntry(100, MacAddress.parse("02:00:00:00:00:09"), VtepAddress.parse("198.51.100.3")),
            config.fdb().staticEntries().get(0));
        assertEquals(new ApiConfig("127.0.0.1", 9100), config.api());
    }

    @Test
    void readsTheApiLimits() throws ConfigException
    {
        final VtepConfig config = ConfigLoader.parse("""
            vtep: { local-ip: 192.0.2.1 }
            ports: [ { name: eth1, vlans: { untagged: 7 } } ]
            api: { max-connections: 16, header-timeout-seconds: 5, idle-timeout-seconds: 30 }
            """);
        assertEquals(new ApiConfig("127.0.0.1", 9100, 16, 5, 30), config.api());
    }

    @Test
    void appliesDefaults() throws ConfigException
    {
        final VtepConfig config = ConfigLoader.parse("""
            vtep: { local-ip: "2001:db8::1" }
            ports: [ { name: eth1, vlans: { untagged: 7 } } ]
            """);
        assertEquals(4789, config.vtep().udpPort());
        assertEquals(1500, config.vtep().underlayMtu());
        assertEquals(64, config.vtep().ttl());
        assertEquals(PortDriver.AF_PACKET, config.ports().get(0).driver());
        assertEquals(300, config.fdb().ageingSeconds());
        assertEquals(0, config.fdb().maxEntries(), "sized from the heap");
        assertEquals(5, config.fdb().localMoveHoldSeconds());
        assertEquals(ApiConfig.DEFAULT, config.api());
        assertTrue(config.vtep().localIp().isIpv6());
        assertEquals(DataplaneConfig.defaults(), config.dataplane());
        assertEquals(DataplaneConfig.defaultPipelines(), config.dataplane().pipelines());
        assertEquals(List.of(1, 2, 2, 2, 2, 4, 64, 64), java.util.stream.IntStream.of(1, 2, 3, 4, 5, 8, 128, 512)
            .mapToObj(DataplaneConfig::defaultPipelines).toList(), "pipelines by processor count");
        assertFalse(config.dataplane().busyPoll());
        assertEquals(200, config.dataplane().spinMicros());
        assertTrue(config.dataplane().underlayGso());
        assertFalse(config.dataplane().pinCpus());
        assertEquals(DataplaneConfig.AccessSteering.FLOW, config.dataplane().accessSteering());
        assertTrue(config.dataplane().accessRing());
        assertTrue(config.dataplane().coalesceTcp());
    }

    @Test
    void readsTheDataplaneSection() throws ConfigException
    {
        final VtepConfig config = ConfigLoader.parse("""
            vtep: { local-ip: 192.0.2.1 }
            ports: [ { name: eth1, vlans: { untagged: 7 } } ]
            dataplane: { pipelines: 3, busy-poll: true, spin-microseconds: 0, underlay-gso: false, pin-cpus: true,
                         access-steering: cpu, access-ring: false, coalesce-tcp: false }
            """);
        assertEquals(new DataplaneConfig(3, true, 0, false, true, DataplaneConfig.AccessSteering.CPU, false, false), config.dataplane());
    }

    @Test
    void readsExtensions() throws ConfigException
    {
        final VtepConfig config = ConfigLoader.parse("""
            vtep: { local-ip: 192.0.2.1, source-ports: "50000-50099", ttl: 8 }
            ports: [ { name: eth1, driver: pcap, vlans: { 4094: 16777215 } } ]
            vnis: [ { vni: 16777215, learning: evpn } ]
            """);
        assertEquals(new SourcePortRange(50000, 50099), config.vtep().sourcePorts());
        assertEquals(8, config.vtep().ttl());
        assertEquals(PortDriver.PCAP, config.ports().get(0).driver());
        assertEquals(LearningMode.EVPN, config.vni(16777215).learning());
    }

    @Test
    void readsTheFdbBounds() throws ConfigException
    {
        final VtepConfig config = ConfigLoader.parse("""
            vtep: { local-ip: 192.0.2.1 }
            ports: [ { name: eth1, vlans: { untagged: 7, 8: 8 } } ]
            vnis: [ { vni: 7, mac-limit: 0 } ]
            fdb: { max-entries: 100000, local-move-hold-seconds: 0 }
            """);
        assertEquals(0, config.vni(7).macLimit(), "an explicit 0 is still no per-VNI limit");
        assertEquals(65_536, config.vni(8).macLimit());
        assertEquals(100_000, config.fdb().maxEntries());
        assertEquals(0, config.fdb().localMoveHoldSeconds());
    }

    static Stream<Arguments> wrongConfigs()
    {
        final String port = "ports: [ { name: eth1, vlans: { untagged: 100 } } ]\n";
        final String vtep = "vtep: { local-ip: 192.0.2.1 }\n";
        return Stream.of(
            Arguments.of("unknown top-level key", vtep + port + "colour: blue\n", "colour", "unknown key"),
            Arguments.of("unknown nested key", "vtep: { local-ip: 192.0.2.1, mtu: 9000 }\n" + port, "vtep.mtu", "unknown key"),
            Arguments.of("no vtep section", port, "vtep", "required"),
            Arguments.of("no pipelines", vtep + port + "dataplane: { pipelines: 0 }\n", "dataplane.pipelines", "out of range"),
            Arguments.of("too many pipelines", vtep + port + "dataplane: { pipelines: 65 }\n", "dataplane.pipelines", "out of range"),
            Arguments.of("busy-poll not a boolean", vtep + port + "dataplane: { busy-poll: sometimes }\n", "dataplane.busy-poll", ""),
            Arguments.of("negative spin", vtep + port + "dataplane: { spin-microseconds: -1 }\n", "dataplane.spin-microseconds", "out of range"),
            Arguments.of("unknown dataplane key", vtep + port + "dataplane: { cores: 2 }\n", "dataplane.cores", "unknown key"),
            Arguments.of("no local-ip", "vtep: { udp-port: 4789 }\n" + port, "vtep.local-ip", "required"),
            Arguments.of("bad local-ip", "vtep: { local-ip: 192.0.2.300 }\n" + port, "vtep.local-ip", "not an IPv4 or IPv6"),
            Arguments.of("host name as local-ip", "vtep: { local-ip: gateway.example }\n" + port, "vtep.local-ip", "not an IPv4"),
            Arguments.of("multicast local-ip", "vtep: { local-ip: 239.1.1.1 }\n" + port, "vtep.local-ip", "unicast"),
            Arguments.of("udp port 0", "vtep: { local-ip: 192.0.2.1, udp-port: 0 }\n" + port, "vtep.udp-port", "out of range"),
            Arguments.of("udp port text", "vtep: { local-ip: 192.0.2.1, udp-port: vxlan }\n" + port, "vtep.udp-port", "whole number"),
            Arguments.of("tiny mtu", "vtep: { local-ip: 192.0.2.1, underlay-mtu: 100 }\n" + port, "vtep.underlay-mtu", "out of range"),
            Arguments.of("IPv6 mtu below 1280", "vtep: { local-ip: '2001:db8::1', underlay-mtu: 1000 }\n" + port,
                "vtep.underlay-mtu", "out of range 1280"),
            Arguments.of("bad source ports", "vtep: { local-ip: 192.0.2.1, source-ports: '60000-50000' }\n" + port,
                "vtep.source-ports", "port range"),
            Arguments.of("no ports", vtep, "ports", "at least one"),
            Arguments.of("VNI 0", vtep + "ports: [ { name: eth1, vlans: { untagged: 0 } } ]\n", "ports[0].vlans.untagged",
                "out of range 1..16777215"),
            Arguments.of("VNI too large", vtep + port + "vnis: [ { vni: 16777216 } ]\n", "vnis[0].vni", "out of range 1..16777215"),
            Arguments.of("VNI twice", vtep + port + "vnis: [ { vni: 5 }, { vni: 5 } ]\n", "vnis[1].vni", "twice"),
            Arguments.of("duplicate VLAN on a port", vtep + "ports:\n  - name: eth1\n    vlans:\n      10: 100\n      10: 200\n",
                "ports[0].vlans.10", "appears twice"),
            Arguments.of("VLAN 4095", vtep + "ports: [ { name: eth1, vlans: { 4095: 100 } } ]\n", "ports[0].vlans.4095", "out of range 1..4094"),
            Arguments.of("VLAN as text", vtep + "ports: [ { name: eth1, vlans: { ten: 100 } } ]\n", "ports[0].vlans.ten", "VLAN id"),
            Arguments.of("port without vlans", vtep + "ports: [ { name: eth1 } ]\n", "ports[0].vlans", "required"),
            Arguments.of("port without name", vtep + "ports: [ { vlans: { untagged: 1 } } ]\n", "ports[0].name", "required"),
            Arguments.of("port twice", vtep + "ports: [ { name: eth1, vlans: { untagged: 1 } }, { name: eth1, vlans: { 5: 2 } } ]\n",
                "ports[1].name", "twice"),
            Arguments.of("long interface name", vtep + "ports: [ { name: abcdefghijklmnopq, vlans: { untagged: 1 } } ]\n",
                "ports[0].name", "Linux interface name"),
            Arguments.of("unknown driver", vtep + "ports: [ { name: eth1, driver: dpdk, vlans: { untagged: 1 } } ]\n",
                "ports[0].driver", "af-packet or pcap"),
            Arguments.of("bad flood entry", vtep + port + "vnis: [ { vni: 100, flood: [ 198.51.100.x ] } ]\n",
                "vnis[0].flood[0]", "not an IPv4"),
            Arguments.of("IPv6 flood entry on IPv4 underlay", vtep + port + "vnis: [ { vni: 100, flood: [ '2001:db8::2' ] } ]\n",
                "vnis[0].flood[0]", "one address family"),
            Arguments.of("own address in flood list", vtep + port + "vnis: [ { vni: 100, flood: [ 192.0.2.1 ] } ]\n",
                "vnis[0].flood[0]", "own address"),
            Arguments.of("unicast group", vtep + port + "vnis: [ { vni: 100, multicast-group: 192.0.2.9 } ]\n",
                "vnis[0].multicast-group", "not a multicast"),
            Arguments.of("flood list and group", vtep + port + "vnis: [ { vni: 100, flood: [192.0.2.2], multicast-group: 239.1.1.1 } ]\n",
                "vnis[0].multicast-group", "not both"),
            Arguments.of("bad learning", vtep + port + "vnis: [ { vni: 100, learning: bgp } ]\n", "vnis[0].learning", "data-plane, evpn or none"),
            Arguments.of("negative mac limit", vtep + port + "vnis: [ { vni: 100, mac-limit: -1 } ]\n", "vnis[0].mac-limit", "out of range"),
            Arguments.of("zero ageing", vtep + port + "fdb: { ageing-seconds: 0 }\n", "fdb.ageing-seconds", "out of range"),
            Arguments.of("zero max entries", vtep + port + "fdb: { max-entries: 0 }\n", "fdb.max-entries", "out of range"),
            Arguments.of("max entries beyond a table", vtep + port + "fdb: { max-entries: 2000000000 }\n", "fdb.max-entries",
                "out of range"),
            Arguments.of("static entries beyond max entries", vtep + port + "fdb: { max-entries: 1, static: [ " +
                "{ vni: 100, mac: '02:00:00:00:00:01', remote: 192.0.2.2 }, { vni: 100, mac: '02:00:00:00:00:02', " +
                "remote: 192.0.2.2 } ] }\n", "fdb.max-entries", "do not fit"),
            Arguments.of("negative move hold", vtep + port + "fdb: { local-move-hold-seconds: -1 }\n",
                "fdb.local-move-hold-seconds", "out of range"),
            Arguments.of("static in unknown VNI", vtep + port + "fdb: { static: [ { vni: 9, mac: '02:00:00:00:00:01', remote: 192.0.2.2 } ] }\n",
                "fdb.static[0].vni", "neither"),
            Arguments.of("static bad MAC", vtep + port + "fdb: { static: [ { vni: 100, mac: '02:00:00:00:01', remote: 192.0.2.2 } ] }\n",
                "fdb.static[0].mac", "MAC address"),
            Arguments.of("static broadcast MAC", vtep + port + "fdb: { static: [ { vni: 100, mac: 'ff:ff:ff:ff:ff:ff', remote: 192.0.2.2 } ] }\n",
                "fdb.static[0].mac", "not a unicast"),
            Arguments.of("static unknown key", vtep + port + "fdb: { static: [ { vni: 100, mac: '02:00:00:00:00:01', vtep: 192.0.2.2 } ] }\n",
                "fdb.static[0].vtep", "unknown key"),
            Arguments.of("api host name", vtep + port + "api: { listen: 'localhost:9100' }\n", "api.listen", "not an IP address"),
            Arguments.of("api bad port", vtep + port + "api: { listen: '127.0.0.1:99999' }\n", "api.listen", "out of range"),
            Arguments.of("api no port", vtep + port + "api: { listen: '127.0.0.1' }\n", "api.listen", "HOST:PORT"),
            Arguments.of("api no connections", vtep + port + "api: { max-connections: 0 }\n", "api.max-connections", "out of range"),
            Arguments.of("api header timeout", vtep + port + "api: { header-timeout-seconds: 0 }\n", "api.header-timeout-seconds",
                "out of range"),
            Arguments.of("api idle timeout", vtep + port + "api: { idle-timeout-seconds: x }\n", "api.idle-timeout-seconds", ""),
            Arguments.of("not YAML", "vtep: [ unclosed\n", "", "not valid YAML"),
            Arguments.of("empty", "", "", "empty"),
            Arguments.of("a list at the top", "- 1\n- 2\n", "", "mapping"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongConfigs")
    void refusesAWrongConfigNamingTheKeyPath(final String what, final String yaml, final String path, final String problem)
    {
        ConfigAssertions.assertRefused(yaml, path, problem);
    }
}
