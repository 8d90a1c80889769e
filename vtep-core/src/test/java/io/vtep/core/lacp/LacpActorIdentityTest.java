package io.vtep.core.lacp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;

class LacpActorIdentityTest
{
    @Test
    void aType3EsiGivesItsSystemMacAndTheLowOctetsOfItsDiscriminator()
    {
        // RFC 7432 §5 type 3: 03, system MAC 44:38:39:ff:00:01, local discriminator 0x000102.
        final byte[] esi = {3, 0x44, 0x38, 0x39, (byte)0xff, 0, 1, 0, 1, 2};
        final LacpActorIdentity identity = LacpActorIdentity.fromEsi(esi);
        assertEquals(MacAddress.parse("44:38:39:ff:00:01"), identity.system());
        assertEquals(0x0102, identity.key());
        assertEquals(65535, identity.systemPriority());
    }

    @Test
    void aType0EsiGivesALocallyAdministeredUnicastMac()
    {
        final byte[] esi = {0, 0x01, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte)0x88};
        final LacpActorIdentity identity = LacpActorIdentity.fromEsi(esi);
        // 01:11:22:33:44:55 with 66:77:88 folded into the last three octets, local bit set, group bit clear.
        assertEquals(MacAddress.parse("02:11:22:55:33:dd"), identity.system());
        assertEquals(0x7788, identity.key());
        final byte[] other = esi.clone();
        other[7] = 0x67;
        assertNotEquals(identity.system(), LacpActorIdentity.fromEsi(other).system(), "ESIs differing in octet 7");
    }

    @Test
    void bothGatewaysOfASegmentPresentOneSystemAndKeyAndTwoPorts()
    {
        final byte[] esi = {0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34};
        final LacpActorIdentity a = LacpActorIdentity.fromEsi(esi)
            .withPort(LacpActorIdentity.portNumberFor(VtepAddress.parse("10.0.0.1")));
        final LacpActorIdentity b = LacpActorIdentity.fromEsi(esi)
            .withPort(LacpActorIdentity.portNumberFor(VtepAddress.parse("10.0.0.2")));
        assertEquals(a.system(), b.system());
        assertEquals(a.key(), b.key());
        assertEquals(1, a.port());
        assertEquals(2, b.port());
        assertEquals(0x0101, LacpActorIdentity.portNumberFor(VtepAddress.parse("fd00::1:101")));
        assertEquals(1, LacpActorIdentity.portNumberFor(VtepAddress.parse("10.1.0.0")), "port 0 is no port");
    }

    @Test
    void refusesWhatIsNoEsi()
    {
        assertThrows(IllegalArgumentException.class, () -> LacpActorIdentity.fromEsi(new byte[9]));
        assertThrows(IllegalArgumentException.class, () -> LacpActorIdentity.fromEsi(new byte[10]).withPort(0));
    }
}
