package io.vtep.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link ConfigDiff}: two configurations in, the changes a reload applies (or its refusals) out; no I/O. */
class ConfigDiffTest
{
    private static final String RUNNING = """
        vtep: { local-ip: 198.51.100.1 }
        ports:
          - name: eth1
            vlans: { untagged: 100, 10: 1010 }
        vnis:
          - { vni: 100, flood: [198.51.100.2] }
          - { vni: 1010, flood: [198.51.100.2], mac-limit: 100 }
        fdb:
          static:
            - { vni: 100, mac: "02:00:00:00:00:09", remote: 198.51.100.3 }
        bgp:
          asn: 65001
          neighbors:
            - { address: 192.0.2.2, remote-as: 65001 }
        """;

    private static List<String> changes(final String running, final String next) throws ConfigException
    {
        final ConfigDiff diff = ConfigDiff.between(ConfigLoader.parse(running), ConfigLoader.parse(next));
        assertFalse(diff.isRefused(), () -> "refused: " + diff.refusals());
        return diff.changes().stream().map(ConfigChange::describe).toList();
    }

    private static List<String> refusals(final String running, final String next) throws ConfigException
    {
        return ConfigDiff.between(ConfigLoader.parse(running), ConfigLoader.parse(next)).refusals();
    }

    @Test
    void theSameFileChangesNothing() throws ConfigException
    {
        assertEquals(List.of(), changes(RUNNING, RUNNING));
    }

    @Test
    void aVniAddedWithItsVlanComesBeforeTheMapping() throws ConfigException
    {
        final String next = RUNNING
            .replace("vlans: { untagged: 100, 10: 1010 }", "vlans: { untagged: 100, 10: 1010, 200: 200 }")
            .replace("  - { vni: 1010,", "  - { vni: 200, flood: [198.51.100.4] }\n  - { vni: 1010,");

        assertEquals(List.of(
            "vni 200 added (learning data-plane, flood [198.51.100.4])",
            "port eth1 vlan 200 mapped to vni 200"), changes(RUNNING, next));
    }

    @Test
    void aVniRemovedWithItsVlanGoesAfterTheUnmapping() throws ConfigException
    {
        final String next = RUNNING
            .replace("vlans: { untagged: 100, 10: 1010 }", "vlans: { untagged: 100 }")
            .replace("  - { vni: 1010, flood: [198.51.100.2], mac-limit: 100 }\n", "");

        assertEquals(List.of("port eth1 vlan 10 unmapped from vni 1010", "vni 1010 removed"), changes(RUNNING, next));
    }

    @Test
    void aVlanMovedToAnotherVniIsUnmappedThenMapped() throws ConfigException
    {
        final String next = RUNNING.replace("10: 1010 }", "10: 100 }");

        assertEquals(List.of("port eth1 vlan 10 unmapped from vni 1010", "port eth1 vlan 10 mapped to vni 100"),
            changes(RUNNING, next));
    }

    @Test
    void floodListMacLimitAcceptFromAndStormControlOfAKeptVni() throws ConfigException
    {
        final String next = RUNNING.replace("{ vni: 1010, flood: [198.51.100.2], mac-limit: 100 }",
            "{ vni: 1010, flood: [198.51.100.2, 198.51.100.5], mac-limit: 50, accept-from: any, storm-control: { broadcast: 10 } }");

        assertEquals(List.of(
            "vni 1010 flood list [198.51.100.2] -> [198.51.100.2, 198.51.100.5]",
            "vni 1010 mac-limit 100 -> 50",
            "vni 1010 accept-from members -> any",
            "vni 1010 storm-control off -> {broadcast 10, multicast 0, unknown-unicast 0, burst 0}"), changes(RUNNING, next));
    }

    @Test
    void staticEntriesRemovedFirstAndAddedLast() throws ConfigException
    {
        final String next = RUNNING.replace("""
            - { vni: 100, mac: "02:00:00:00:00:09", remote: 198.51.100.3 }""", """
            - { vni: 100, mac: "02:00:00:00:00:0a", remote: 198.51.100.3 }""");

        assertEquals(List.of("static 02:00:00:00:00:09 vni 100 removed", "static 02:00:00:00:00:0a vni 100 dst 198.51.100.3 added"),
            changes(RUNNING, next));
    }

    @Test
    void aStaticEntryThatMovedIsAddedAgain() throws ConfigException
    {
        final String next = RUNNING.replace("remote: 198.51.100.3", "remote: 198.51.100.4");

        assertEquals(List.of("static 02:00:00:00:00:09 vni 100 dst 198.51.100.4 added"), changes(RUNNING, next));
    }

    @Test
    void neighborsAddedRemovedAndChanged() throws ConfigException
    {
        final String next = RUNNING.replace("- { address: 192.0.2.2, remote-as: 65001 }",
            "- { address: 192.0.2.2, remote-as: 65001, hold-time: 30 }\n    - { address: 192.0.2.3, remote-as: 65002 }");

        assertEquals(List.of("bgp neighbor 192.0.2.2 changed; its session restarts", "bgp neighbor 192.0.2.3 (AS 65002) added"),
            changes(RUNNING, next));
        assertEquals(List.of("bgp neighbor 192.0.2.3 removed"), changes(next.replace("hold-time: 30 ", "hold-time: 90 "),
            RUNNING.replace("remote-as: 65001 }", "remote-as: 65001, hold-time: 90 }")));
    }

    @Test
    void aNewDescriptionDoesNotResetTheSession() throws ConfigException
    {
        assertEquals(List.of("bgp neighbor 192.0.2.2 description \"spine1\""), changes(RUNNING,
            RUNNING.replace("remote-as: 65001 }", "remote-as: 65001, description: spine1 }")));
    }

    @Test
    void logLevelAndFormat() throws ConfigException
    {
        assertEquals(List.of("log level debug format json"), changes(RUNNING, RUNNING + "log: { level: debug, format: json }\n"));
    }

    @Test
    void whatIsSetUpAtStartIsRefusedWithItsKey() throws ConfigException
    {
        assertEquals(List.of("vtep.udp-port: cannot be changed while vtep runs; restart vtep to change it (running: 4789, file: 8472)"),
            refusals(RUNNING, RUNNING.replace("local-ip: 198.51.100.1 }", "local-ip: 198.51.100.1, udp-port: 8472 }")));
        assertTrue(refusals(RUNNING, RUNNING + "api: { listen: 127.0.0.1:9200 }\n").getFirst().startsWith("api: "));
        assertTrue(refusals(RUNNING, RUNNING + "dataplane: { pipelines: 3 }\n").getFirst().startsWith("dataplane: "));
        assertTrue(refusals(RUNNING, RUNNING.replace("asn: 65001", "asn: 65009")).getFirst().startsWith("bgp.asn: "));
    }

    @Test
    void aLearningChangeIsRefused() throws ConfigException
    {
        assertTrue(refusals(RUNNING, RUNNING.replace("{ vni: 100, flood: [198.51.100.2] }",
            "{ vni: 100, flood: [198.51.100.2], learning: none }")).getFirst().startsWith("vnis[0].learning: "));
    }

    @Test
    void portsComeAfterTheirVnisAndGoBeforeThemAndADriverChangeIsARemovalAndAnAddition() throws ConfigException
    {
        final String withEth2 = RUNNING.replace("vnis:\n", "  - { name: eth2, vlans: { untagged: 200 } }\nvnis:\n")
            .replace("  - { vni: 1010,", "  - { vni: 200 }\n  - { vni: 1010,");
        assertEquals(List.of("vni 200 added (learning data-plane, flood [])", "port eth2 added (driver af-packet, 1 vlan mapping(s))"),
            changes(RUNNING, withEth2));
        assertEquals(List.of("port eth2 removed", "vni 200 removed"), changes(withEth2, RUNNING));
        assertEquals(List.of("port eth1 removed", "port eth1 added (driver pcap, 2 vlan mapping(s))"),
            changes(RUNNING, RUNNING.replace("  - name: eth1\n", "  - name: eth1\n    driver: pcap\n")));
    }

    @Test
    void evpnVnisAndTheirRouteTargetsChangeLive() throws ConfigException
    {
        final String withoutVni1010 = RUNNING.replace("vlans: { untagged: 100, 10: 1010 }", "vlans: { untagged: 100 }")
            .replace("  - { vni: 1010, flood: [198.51.100.2], mac-limit: 100 }\n", "");
        assertEquals(List.of("port eth1 vlan 10 unmapped from vni 1010", "vni 1010 removed"), changes(RUNNING, withoutVni1010));
        assertEquals(List.of("vni 300 added (learning evpn, flood [])"),
            changes(RUNNING, RUNNING.replace("  - { vni: 1010,", "  - { vni: 300, learning: evpn }\n  - { vni: 1010,")));
        assertEquals(List.of("vni 100 evpn {automatic rd and route-targets} -> {rd automatic, import [RT:65001:7], export [RT:65001:7]}"),
            changes(RUNNING, RUNNING.replace("{ vni: 100, flood: [198.51.100.2] }",
                "{ vni: 100, flood: [198.51.100.2], route-targets: [\"65001:7\"] }")));
    }

    @Test
    void aBadLogValueIsRefusedWithItsKey()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.parse(RUNNING + "log: { level: loud }\n"));
        assertEquals("log.level", ex.path());
        assertEquals("expected one of debug, info, warn, error, found \"loud\"", ex.problem());
    }
}
