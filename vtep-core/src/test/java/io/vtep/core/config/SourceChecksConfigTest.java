package io.vtep.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code accept-from} and {@code storm-control}: defaults, values, refusals with key paths. */
class SourceChecksConfigTest
{
    private static final String BASE = """
        vtep:
          local-ip: 198.51.100.1
        ports:
          - name: eth1
            vlans: { untagged: 100, 10: 200, 20: 300, 30: 400, 40: 500 }
        """;

    @Test
    void theDefaultIsMembersWhereTheConfigurationSaysWhoBelongs() throws ConfigException
    {
        final VtepConfig config = ConfigLoader.parse(BASE + """
            vnis:
              - { vni: 100, flood: [198.51.100.2] }
              - { vni: 200, learning: evpn }
              - { vni: 300, multicast-group: 239.1.1.1 }
              - { vni: 400, learning: none }
            """);

        assertEquals(AcceptFrom.MEMBERS, config.vni(100).acceptFrom(), "flood list");
        assertEquals(AcceptFrom.MEMBERS, config.vni(200).acceptFrom(), "EVPN");
        assertEquals(AcceptFrom.ANY, config.vni(300).acceptFrom(), "multicast flood-and-learn");
        assertEquals(AcceptFrom.MEMBERS, config.vni(400).acceptFrom(), "learning none");
        assertEquals(AcceptFrom.ANY, config.vni(500).acceptFrom(), "only mapped on a port: pure flood-and-learn");
        assertTrue(config.vni(100).stormControl().isOff(), "no storm control by default");
        assertTrue(config.ports().get(0).stormControl().isOff());
    }

    @Test
    void readsAcceptFromAndStormControl() throws ConfigException
    {
        final VtepConfig config = ConfigLoader.parse("""
            vtep:
              local-ip: 198.51.100.1
            ports:
              - name: eth1
                vlans: { untagged: 100 }
                storm-control: { broadcast: 1000, multicast: 500, unknown-unicast: 200, burst: 50 }
            vnis:
              - vni: 100
                flood: [198.51.100.2]
                accept-from: any
                storm-control: { broadcast: 300 }
            """);

        assertEquals(AcceptFrom.ANY, config.vni(100).acceptFrom());
        assertEquals(new StormControlConfig(300, 0, 0, 0), config.vni(100).stormControl());
        assertEquals(new StormControlConfig(1000, 500, 200, 50), config.ports().get(0).stormControl());
    }

    @Test
    void refusesWhatItCannotUseWithTheKeyPath()
    {
        ConfigAssertions.assertRefused(BASE + "vnis:\n  - { vni: 100, accept-from: some }\n", "vnis[0].accept-from", "expected members or any");
        ConfigAssertions.assertRefused(BASE + "vnis:\n  - { vni: 100, storm-control: { broadcast: -1 } }\n", "vnis[0].storm-control.broadcast",
            "out of range");
        ConfigAssertions.assertRefused(BASE + "vnis:\n  - { vni: 100, storm-control: { broadcst: 10 } }\n", "vnis[0].storm-control.broadcst", "");
        ConfigAssertions.assertRefused(BASE + "vnis:\n  - { vni: 100, storm-control: {} }\n", "vnis[0].storm-control", "at least one");
        ConfigAssertions.assertRefused(BASE.replace("vlans: { untagged: 100, 10: 200, 20: 300, 30: 400, 40: 500 }",
            "vlans: { untagged: 100 }\n    storm-control: { multicast: 10, burst: 0 }"), "ports[0].storm-control.burst",
            "out of range");
    }
}
