package io.vtep.encap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ChecksumTest
{
    @Test
    void rfc1071NumericalExample()
    {
        // RFC 1071 §3: the sum of 0001 f203 f4f5 f6f7 is ddf2 (with end-around carry).
        final UnsafeBuffer buffer = Bytes.bufferWith(Bytes.of(0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7), 1, 0);

        assertEquals(0xDDF2, Checksum.partialSum(buffer, 1, 8, 0));
        assertEquals(0x220D, Checksum.finish(0xDDF2));
        // Byte order independence (RFC 1071 §2(B)): the swapped sum is f2dd.
        final UnsafeBuffer swapped = Bytes.bufferWith(Bytes.of(0x01, 0x00, 0x03, 0xF2, 0xF5, 0xF4, 0xF7, 0xF6), 0, 0);
        assertEquals(0xF2DD, Checksum.partialSum(swapped, 0, 8, 0));
    }

    @Test
    void knownIpv4HeaderVector()
    {
        final byte[] header = Bytes.of(
            0x45, 0x00, 0x00, 0x73, // version, IHL, TOS, total length 115
            0x00, 0x00, 0x40, 0x00, // id 0, DF
            0x40, 0x11, 0xB8, 0x61, // TTL 64, UDP, checksum b861
            0xC0, 0xA8, 0x00, 0x01, // 192.168.0.1
            0xC0, 0xA8, 0x00, 0xC7);// 192.168.0.199
        final UnsafeBuffer buffer = Bytes.bufferWith(header, 0, 0);

        assertTrue(Checksum.isValidIpv4Header(buffer, 0, 20));

        buffer.putShort(10, (short)0);
        assertEquals(0xB861, Checksum.finish(Checksum.partialSum(buffer, 0, 20, 0)));
    }

    @Test
    void oddLengthPadsWithZeroByte()
    {
        final UnsafeBuffer buffer = Bytes.bufferWith(Bytes.of(0xAB, 0x12, 0x34), 0, 1);

        assertEquals(0xAB00, Checksum.partialSum(buffer, 0, 1, 0));
        assertEquals(0xAB12 + 0x3400, Checksum.partialSum(buffer, 0, 3, 0));
        assertEquals(0, Checksum.partialSum(buffer, 0, 0, 0));
        assertEquals(0xFFFF, Checksum.finish(0));
    }

    @Test
    void matchesNaiveSumForEveryLengthAndAlignment()
    {
        final long seed = System.nanoTime();
        System.out.println("ChecksumTest.matchesNaiveSumForEveryLengthAndAlignment seed=" + seed);
        final Random random = new Random(seed);
        final byte[] data = new byte[300];

        for (int round = 0; round < 20; round++)
        {
            random.nextBytes(data);
            if (round == 0)
            {
                java.util.Arrays.fill(data, (byte)0xFF); // maximum carries
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(data);
            for (int offset = 0; offset < 8; offset++)
            {
                for (int length = 0; length <= 280; length++)
                {
                    final int initial = random.nextInt(0x10000);
                    assertEquals(naiveSum(data, offset, length, initial), Checksum.partialSum(buffer, offset, length, initial),
                        "seed=" + seed + " offset=" + offset + " length=" + length);
                }
            }
        }
    }

    @Test
    void evenPiecesChain()
    {
        final long seed = System.nanoTime();
        System.out.println("ChecksumTest.evenPiecesChain seed=" + seed);
        final Random random = new Random(seed);
        final byte[] data = new byte[1501];
        random.nextBytes(data);
        final UnsafeBuffer buffer = new UnsafeBuffer(data);

        final int whole = Checksum.partialSum(buffer, 0, 1501, 0);
        for (int split = 0; split <= 1500; split += 2)
        {
            final int first = Checksum.partialSum(buffer, 0, split, 0);
            assertEquals(whole, Checksum.partialSum(buffer, split, 1501 - split, first), "seed=" + seed);
            assertEquals(whole, Checksum.add(first, Checksum.partialSum(buffer, split, 1501 - split, 0)), "seed=" + seed);
        }
    }

    @Test
    void rfc1624IncrementalUpdateExample()
    {
        // RFC 1624 §4: HC = 0xdd2f, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000 by eqn. 3.
        assertEquals(0x0000, Checksum.update(0xDD2F, 0x5555, 0x3285));
    }

    @Test
    void incrementalUpdateMatchesRecomputation()
    {
        final long seed = System.nanoTime();
        System.out.println("ChecksumTest.incrementalUpdateMatchesRecomputation seed=" + seed);
        final Random random = new Random(seed);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

        for (int i = 0; i < 10_000; i++)
        {
            final byte[] data = new byte[64];
            random.nextBytes(data);
            buffer.putBytes(0, data);
            final int before = Checksum.finish(Checksum.partialSum(buffer, 0, 64, 0));
            final int at = 2 * random.nextInt(24);
            final int oldSum = Checksum.partialSum(buffer, at, 16, 0);
            final long high = random.nextLong();
            final long low = random.nextLong();
            buffer.putLong(at, high, java.nio.ByteOrder.BIG_ENDIAN);
            buffer.putLong(at + 8, low, java.nio.ByteOrder.BIG_ENDIAN);

            final int updated = Checksum.update(before, oldSum, Checksum.sum(high, low));

            // Compare as one's complement values: 0x0000 and 0xFFFF are both zero.
            assertEquals(Checksum.finish(Checksum.partialSum(buffer, 0, 64, 0)) % 0xFFFF, updated % 0xFFFF, "seed=" + seed);
        }
    }

    @Test
    void pseudoHeaderSums()
    {
        // RFC 768 pseudo-header for 192.0.2.1 -> 192.0.2.2, UDP, length 58, summed by hand:
        // c000 + 0201 + c000 + 0202 + 0011 + 003a = 1844e -> 844f. This is exactly the
        // unfinished checksum the kernel left in kernel-vxlan-ipv4.pcap packet 1.
        assertEquals(0x844F, Checksum.ipv4PseudoHeaderSum(0xC000_0201, 0xC000_0202, IpProtocol.UDP, 58));

        final UnsafeBuffer ipv4 = new UnsafeBuffer(new byte[20]);
        new Ipv4HeaderView().wrap(ipv4, 0).sourceAddress(0xC000_0201).destinationAddress(0xC000_0202);
        assertEquals(0x844F, Checksum.ipv4PseudoHeaderSum(ipv4, 0, IpProtocol.UDP, 58));

        // RFC 8200 §8.1 for 2001:db8::1 -> 2001:db8::2, UDP, length 58:
        // 2 * (2001 + 0db8) + 0001 + 0002 + 003a + 0011 = 5bc0, no carry.
        final UnsafeBuffer ipv6 = new UnsafeBuffer(new byte[40]);
        new Ipv6HeaderView().wrap(ipv6, 0).sourceAddress(0x2001_0DB8_0000_0000L, 1).destinationAddress(0x2001_0DB8_0000_0000L, 2);
        final int expected = (2 * (0x2001 + 0x0DB8) + 1 + 2 + 58 + 17);
        assertEquals(expected, Checksum.ipv6PseudoHeaderSum(ipv6, 0, IpProtocol.UDP, 58));
        // ... which is the unfinished checksum of kernel-vxlan-ipv6.pcap packet 2.
        assertEquals(0x5BC0, expected);
    }

    @Test
    void ipv4HeaderValidationRejectsBadHeaders()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[24]);
        new Ipv4HeaderView().wrap(buffer, 0).versionAndIhl(4, 5).totalLength(20).ttl(64).protocol(17)
            .sourceAddress(0x0A00_0001).destinationAddress(0x0A00_0002).updateHeaderChecksum();
        assertTrue(Checksum.isValidIpv4Header(buffer, 0, 20));

        assertFalse(Checksum.isValidIpv4Header(buffer, 0, 19));       // truncated

        buffer.putByte(8, (byte)63);                                  // TTL changed, checksum not
        assertFalse(Checksum.isValidIpv4Header(buffer, 0, 20));
        buffer.putByte(8, (byte)64);

        buffer.putByte(0, (byte)0x46);                                // IHL 6 but 20 bytes given
        assertFalse(Checksum.isValidIpv4Header(buffer, 0, 20));
        buffer.putByte(0, (byte)0x44);                                // IHL 4
        assertFalse(Checksum.isValidIpv4Header(buffer, 0, 24));
    }

    private static int naiveSum(final byte[] data, final int offset, final int length, final int initial)
    {
        long sum = initial;
        for (int i = 0; i < length; i += 2)
        {
            final int high = data[offset + i] & 0xFF;
            final int low = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)sum;
    }
}
