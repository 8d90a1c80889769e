package io.vtep.encap;

import static io.vtep.encap.Bytes.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest
{
    private static final byte[] GOLDEN = Bytes.of(
        0x02, 0x30, 0x00, 0x00, 0x00, 0x01); // 02:30:00:00:00:01, first octet most significant

    @Test
    void readsFirstWireByteAsMostSignificant()
    {
        final UnsafeBuffer buffer = Bytes.bufferWith(GOLDEN, 3, 2);

        assertEquals(0x0230_0000_0001L, MacAddress.get(buffer, 3));
    }

    @Test
    void writesSixBytesAndNothingElse()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[10]);
        buffer.setMemory(0, 10, (byte)0xEE);

        MacAddress.put(buffer, 2, 0x0230_0000_0001L);

        assertBytes(Bytes.concat(Bytes.of(0xEE, 0xEE), GOLDEN, Bytes.of(0xEE, 0xEE)), buffer, 0);
    }

    @Test
    void parsesAndFormats()
    {
        assertEquals(0x0200_0000_0001L, MacAddress.parse("02:00:00:00:00:01"));
        assertEquals(0xAABB_CCDD_EEFFL, MacAddress.parse("aa:BB:cc:DD:ee:FF"));
        assertEquals(MacAddress.BROADCAST, MacAddress.parse("ff:ff:ff:ff:ff:ff"));
        assertEquals("aa:bb:cc:dd:ee:ff", MacAddress.format(0xAABB_CCDD_EEFFL));
        assertEquals("00:00:00:00:00:00", MacAddress.format(0));
        assertEquals("02:30:00:00:00:01", MacAddress.format(0x0230_0000_0001L));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "02:00:00:00:00",        // five octets
        "02:00:00:00:00:01:02",  // seven octets
        "02:00:00:00:00:0g",     // not hex
        "02-00-00-00-00-01",     // dashes
        "0200.0000.0001",        // Cisco dots
        "2:0:0:0:0:1",           // unpadded
        "02:00:00:00:00:001",
        "02:00:00:00:00:1 ",
        " 02:00:00:00:00:01"})
    void rejectsBadTextNamingIt(final String text)
    {
        ParseAssertions.assertRefusedNamingIt(MacAddress::parse, text);
    }

    @Test
    void classifiesGroupBroadcastAndZero()
    {
        assertTrue(MacAddress.isGroup(MacAddress.BROADCAST));
        assertTrue(MacAddress.isGroup(MacAddress.parse("01:00:5e:00:00:01")));  // IPv4 multicast
        assertTrue(MacAddress.isGroup(MacAddress.parse("33:33:00:00:00:16")));  // IPv6 multicast (MLD)
        assertFalse(MacAddress.isGroup(MacAddress.parse("02:30:00:00:00:01"))); // locally administered unicast
        assertFalse(MacAddress.isGroup(MacAddress.parse("fe:ff:ff:ff:ff:ff")));

        assertTrue(MacAddress.isBroadcast(MacAddress.BROADCAST));
        assertFalse(MacAddress.isBroadcast(MacAddress.parse("ff:ff:ff:ff:ff:fe")));

        assertTrue(MacAddress.isZero(0));
        assertFalse(MacAddress.isZero(1));
    }

    @Test
    void roundTripsRandomAddresses()
    {
        final long seed = System.nanoTime();
        System.out.println("MacAddressTest.roundTripsRandomAddresses seed=" + seed);
        final Random random = new Random(seed);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);

        for (int i = 0; i < 1000; i++)
        {
            final long mac = random.nextLong() & MacAddress.BROADCAST;
            final int offset = random.nextInt(10);

            MacAddress.put(buffer, offset, mac);

            assertEquals(mac, MacAddress.get(buffer, offset), "seed=" + seed);
            assertEquals(mac, MacAddress.parse(MacAddress.format(mac)), "seed=" + seed);
        }
    }
}
