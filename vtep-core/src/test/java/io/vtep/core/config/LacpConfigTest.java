package io.vtep.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vtep.core.lacp.LacpActorIdentity;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;

/** {@code ports[].lacp}: explicit identity, identity from the ESI, defaults, and refusals with key paths. */
class LacpConfigTest
{
    private static final String HEAD = """
        vtep:
          local-ip: 198.51.100.7
        ports:
          - name: eth1
            vlans: { untagged: 100 }
        """;

    @Test
    void offWhenAbsent() throws ConfigException
    {
        assertFalse(ConfigLoader.parse(HEAD).ports().get(0).lacp().isOn());
        assertFalse(ConfigLoader.parse(HEAD + "    lacp: { mode: off }\n").ports().get(0).lacp().isOn(),
            "off needs no identity (and YAML reads it as false)");
    }

    @Test
    void explicitValuesWithDefaults() throws ConfigException
    {
        final LacpConfig lacp = ConfigLoader.parse(HEAD + "    lacp: { system-mac: 02:00:00:00:00:0a, key: 5 }\n")
            .ports().get(0).lacp();
        assertEquals(LacpMode.ACTIVE, lacp.mode());
        assertTrue(lacp.fastRate());
        final LacpActorIdentity identity = lacp.identity(VtepAddress.parse("198.51.100.7"));
        assertEquals(MacAddress.parse("02:00:00:00:00:0a"), identity.system());
        assertEquals(5, identity.key());
        assertEquals(65535, identity.systemPriority());
        assertEquals(0x6407, identity.port(), "from the low 16 bits of local-ip (100.7)");

        final LacpConfig all = ConfigLoader.parse(HEAD + "    lacp: { mode: passive, rate: slow, system-mac: " +
            "02:00:00:00:00:0b, key: 6, port-number: 9, system-priority: 100 }\n").ports().get(0).lacp();
        assertEquals(new LacpConfig(LacpMode.PASSIVE, false, 100, MacAddress.parse("02:00:00:00:00:0b"), 6, 9), all);
    }

    @Test
    void withAnEthernetSegmentTheIdentityComesFromItsEsi() throws ConfigException
    {
        final String bgp = "bgp: { asn: 65000, neighbors: [ { address: 198.51.100.1, remote-as: 65000 } ] }\n";
        // Type 3 (RFC 7432 §5): the system MAC in it, and its discriminator as the key.
        final LacpConfig typeThree = ConfigLoader.parse(HEAD + "    ethernet-segment: { system-mac: 44:38:39:ff:00:01, " +
            "local-discriminator: 258 }\n    lacp: { rate: slow }\n" + bgp).ports().get(0).lacp();
        assertEquals(MacAddress.parse("44:38:39:ff:00:01"), typeThree.systemMac());
        assertEquals(258, typeThree.key());
        assertFalse(typeThree.fastRate());
        // Type 0: a locally administered MAC from the ESI; explicit values win.
        final LacpConfig typeZero = ConfigLoader.parse(HEAD + "    ethernet-segment: { esi: 00:01:02:03:04:05:06:07:08:09 }\n" +
            "    lacp: { key: 7 }\n" + bgp).ports().get(0).lacp();
        final byte[] esi = io.vtep.evpn.codec.nlri.EthernetSegmentId.parse("00:01:02:03:04:05:06:07:08:09").octets();
        assertEquals(LacpActorIdentity.fromEsi(esi).system(), typeZero.systemMac());
        assertEquals(7, typeZero.key(), "explicit values win");
    }

    @Test
    void refusedWithTheirKeyPaths()
    {
        refused(HEAD + "    lacp: { key: 5 }\n", "ports[0].lacp.system-mac", "no ethernet-segment");
        refused(HEAD + "    lacp: { system-mac: 02:00:00:00:00:0a }\n", "ports[0].lacp.key", "no ethernet-segment");
        refused(HEAD + "    lacp: { mode: on, system-mac: 02:00:00:00:00:0a, key: 5 }\n", "ports[0].lacp.mode",
            "expected active, passive or off");
        refused(HEAD + "    lacp: { rate: 1, system-mac: 02:00:00:00:00:0a, key: 5 }\n", "ports[0].lacp.rate",
            "expected fast or slow");
        refused(HEAD + "    lacp: { system-mac: 01:00:00:00:00:0a, key: 5 }\n", "ports[0].lacp.system-mac", "unicast");
        refused(HEAD + "    lacp: { system-mac: nope, key: 5 }\n", "ports[0].lacp.system-mac", "expected a MAC address");
        refused(HEAD + "    lacp: { system-mac: 02:00:00:00:00:0a, key: 65536 }\n", "ports[0].lacp.key", "65535");
        refused(HEAD + "    lacp: { system-mac: 02:00:00:00:00:0a, key: 5, port-number: 0 }\n", "ports[0].lacp.port-number",
            "");
        refused(HEAD + "    lacp: { system-mac: 02:00:00:00:00:0a, key: 5, speed: 10 }\n", "ports[0].lacp.speed", "");
    }

    @Test
    void aReloadThatChangesLacpNeedsARestart() throws ConfigException
    {
        final VtepConfig running = ConfigLoader.parse(HEAD + "    lacp: { system-mac: 02:00:00:00:00:0a, key: 5 }\n");
        final VtepConfig next = ConfigLoader.parse(HEAD + "    lacp: { system-mac: 02:00:00:00:00:0a, key: 6 }\n");
        final ConfigDiff diff = ConfigDiff.between(running, next);
        assertTrue(diff.refusals().stream().anyMatch(refusal -> refusal.contains("ports[0].lacp")), diff.refusals().toString());
    }

    private static void refused(final String yaml, final String path, final String problem)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml), yaml);
        assertTrue(ex.path().startsWith(path) || ex.getMessage().contains(path), ex.getMessage());
        assertTrue(ex.getMessage().contains(problem), ex.getMessage());
    }
}
