package io.vtep.encap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SourcePortRangeTest
{
    @Test
    void defaultIsTheDynamicRange()
    {
        assertEquals(new SourcePortRange(49152, 65535), SourcePortRange.DEFAULT);
        assertEquals(16384, SourcePortRange.DEFAULT.size());
        assertEquals("49152-65535", SourcePortRange.DEFAULT.toString());
    }

    @Test
    void parses()
    {
        assertEquals(SourcePortRange.DEFAULT, SourcePortRange.parse("49152-65535"));
        assertEquals(new SourcePortRange(1, 1), SourcePortRange.parse("1-1"));
        assertEquals(new SourcePortRange(32768, 60999), SourcePortRange.parse("32768-60999"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"49152", "-", "1-", "-1", "0-10", "10-5", "1-65536", "a-b", "1--2", " 1-2", "1-2 ",
        "+1-2", "00000001-2", "1-2-3"})
    void rejectsBadTextNamingIt(final String text)
    {
        ParseAssertions.assertRefusedNamingIt(SourcePortRange::parse, text);
    }

    @ParameterizedTest(name = "{0}-{1}")
    @CsvSource({"0, 10", "10, 9", "1, 65536", "-1, 5", "65536, 65536"})
    void constructorValidates(final int min, final int max)
    {
        assertThrows(IllegalArgumentException.class, () -> new SourcePortRange(min, max));
    }

    @Test
    void extremesOfTheHashMapToTheEndsOfTheRange()
    {
        final SourcePortRange range = SourcePortRange.DEFAULT;

        assertEquals(49152, range.sourcePort(0));
        assertEquals(65535, range.sourcePort(0xFFFF_FFFF));      // unsigned: the top of the range
        assertEquals(49152 + 8192, range.sourcePort(0x8000_0000));
        assertEquals(5, new SourcePortRange(5, 5).sourcePort(0xFFFF_FFFF));
        assertEquals(1, new SourcePortRange(1, 65535).sourcePort(0));
        assertEquals(65535, new SourcePortRange(1, 65535).sourcePort(-1));
    }

    @Test
    void isTheLinuxReciprocalScale()
    {
        final long seed = System.nanoTime();
        System.out.println("SourcePortRangeTest.isTheLinuxReciprocalScale seed=" + seed);
        final Random random = new Random(seed);
        final SourcePortRange range = new SourcePortRange(32768, 60999);

        for (int i = 0; i < 10_000; i++)
        {
            final int hash = random.nextInt();
            final long expected = 32768 + (((hash & 0xFFFF_FFFFL) * (60999 - 32768 + 1)) >> 32);
            assertEquals(expected, range.sourcePort(hash), "seed=" + seed);
        }
    }

    @Test
    void evenlySpacedHashesFillEveryPortEvenly()
    {
        final SourcePortRange range = new SourcePortRange(1000, 1099);
        final int[] counts = new int[100];

        // 100 * 64 hashes spread evenly over the 32-bit space give exactly 64 per port.
        final long step = ((1L << 32) + 6399) / 6400; // rounded up, so h * step never falls short of a boundary
        for (long h = 0; h < 6400; h++)
        {
            final int port = range.sourcePort((int)(h * step));
            assertTrue(port >= 1000 && port <= 1099, "port " + port);
            counts[port - 1000]++;
        }

        for (int i = 0; i < 100; i++)
        {
            assertEquals(64, counts[i], "port " + (1000 + i));
        }
    }
}
