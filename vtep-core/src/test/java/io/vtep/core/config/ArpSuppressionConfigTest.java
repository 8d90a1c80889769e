package io.vtep.core.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code arp-suppression} of a VNI: on by default for EVPN VNIs, off elsewhere, refused where nothing could answer. */
class ArpSuppressionConfigTest
{
    private static final String BASE = """
        vtep:
          local-ip: 198.51.100.1
        ports:
          - name: eth1
            vlans: { untagged: 100, 10: 200, 20: 300, 30: 400 }
        """;

    @Test
    void onByDefaultForEvpnVnisOnly() throws ConfigException
    {
        final VtepConfig config = ConfigLoader.parse(BASE + """
            vnis:
              - { vni: 100, learning: evpn }
              - { vni: 200, learning: evpn, arp-suppression: false }
              - { vni: 300, flood: [198.51.100.2] }
            """);

        assertTrue(config.vni(100).arpSuppression(), "EVPN: on, as Cumulus turns neigh_suppress on for EVPN VNIs");
        assertFalse(config.vni(200).arpSuppression(), "turned off");
        assertFalse(config.vni(300).arpSuppression(), "flood-and-learn: no MAC+IP routes to answer from");
        assertFalse(config.vni(400).arpSuppression(), "only mapped on a port");
    }

    @Test
    void refusedWithoutEvpnLearningAndWhenNotABoolean()
    {
        ConfigAssertions.assertRefused(BASE + "vnis:\n  - { vni: 100, arp-suppression: true }\n", "vnis[0].arp-suppression", "needs learning: evpn");
        ConfigAssertions.assertRefused(BASE + "vnis:\n  - { vni: 100, learning: evpn, arp-suppression: maybe }\n", "vnis[0].arp-suppression", "");
    }
}
