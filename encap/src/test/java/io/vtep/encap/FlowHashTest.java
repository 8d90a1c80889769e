package io.vtep.encap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class FlowHashTest
{
    private static final int A = 0x0A28_0001; // 10.40.0.1
    private static final int B = 0x0A28_0002; // 10.40.0.2

    @Test
    void isDeterministicAndIndependentOfWhereTheFrameSits()
    {
        final byte[] frame = TestFrames.ipv4(A, B, IpProtocol.TCP, 40000, 443, 0);

        final int atZero = hash(frame);
        assertEquals(atZero, hash(frame));
        for (int offset = 1; offset < 9; offset++)
        {
            assertEquals(atZero, FlowHash.hash(Bytes.bufferWith(frame, offset, 3), offset, frame.length));
        }
    }

    @Test
    void thousandDistinctFiveTuplesSpreadOverManySourcePorts()
    {
        final long seed = System.nanoTime();
        System.out.println("FlowHashTest.thousandDistinctFiveTuplesSpreadOverManySourcePorts seed=" + seed);
        final Random random = new Random(seed);
        final Set<Long> tuples = new HashSet<>();
        final Set<Integer> ports = new HashSet<>();
        final int[] sixteenths = new int[16];

        while (tuples.size() < 1000)
        {
            final int source = random.nextInt();
            final int destination = random.nextInt();
            final int protocol = random.nextBoolean() ? IpProtocol.TCP : IpProtocol.UDP;
            final int sourcePort = random.nextInt(0x10000);
            final int destinationPort = random.nextInt(0x10000);
            if (!tuples.add((long)source * 31 ^ destination ^ ((long)protocol << 40) ^ ((long)sourcePort << 16) ^ destinationPort))
            {
                continue;
            }

            final int port = SourcePortRange.DEFAULT.sourcePort(
                hash(TestFrames.ipv4(source, destination, protocol, sourcePort, destinationPort, 0)));
            ports.add(port);
            sixteenths[(port - 49152) >>> 10]++;
        }

        // 1000 balls in 16384 bins: about 30 collisions are expected.
        assertTrue(ports.size() >= 940, "seed=" + seed + ": only " + ports.size() + " distinct ports");
        for (int i = 0; i < 16; i++)
        {
            // 62.5 expected per sixteenth of the range; 25..105 is over 5 standard deviations.
            assertTrue(sixteenths[i] >= 25 && sixteenths[i] <= 105, "seed=" + seed + ": sixteenth " + i + " got " + sixteenths[i]);
        }
    }

    @Test
    void flowsDifferingOnlyInOneClientPortSpread()
    {
        // The common real case: one client, one server, many connections.
        final Set<Integer> ports = new HashSet<>();
        for (int clientPort = 40000; clientPort < 41000; clientPort++)
        {
            ports.add(SourcePortRange.DEFAULT.sourcePort(hash(TestFrames.ipv4(A, B, IpProtocol.TCP, clientPort, 443, 0))));
        }

        assertTrue(ports.size() >= 940, ports.size() + " distinct ports");
    }

    @Test
    void ipv6FlowsSpread()
    {
        final Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 1000; i++)
        {
            ports.add(SourcePortRange.DEFAULT.sourcePort(
                hash(TestFrames.ipv6(0x2001_0DB8_0000_0000L, i, IpProtocol.UDP, 5000 + i % 7, 4789))));
        }

        assertTrue(ports.size() >= 940, ports.size() + " distinct ports");
    }

    @Test
    void everyHashedFieldMatters()
    {
        final int base = hash(TestFrames.ipv4(A, B, IpProtocol.UDP, 1000, 2000, 0));

        assertNotEquals(base, hash(TestFrames.ipv4(B, B, IpProtocol.UDP, 1000, 2000, 0)));  // source address
        assertNotEquals(base, hash(TestFrames.ipv4(A, A, IpProtocol.UDP, 1000, 2000, 0)));  // destination address
        assertNotEquals(base, hash(TestFrames.ipv4(A, B, IpProtocol.TCP, 1000, 2000, 0)));  // protocol
        assertNotEquals(base, hash(TestFrames.ipv4(A, B, IpProtocol.UDP, 1001, 2000, 0)));  // source port
        assertNotEquals(base, hash(TestFrames.ipv4(A, B, IpProtocol.UDP, 1000, 2001, 0)));  // destination port
        assertNotEquals(base, hash(TestFrames.ipv4(A, B, IpProtocol.UDP, 2000, 1000, 0)));  // direction
        assertNotEquals(base, hash(TestFrames.ipv4(A, B, IpProtocol.SCTP, 1000, 2000, 0))); // SCTP

        final byte[] otherMac = TestFrames.ipv4(A, B, IpProtocol.UDP, 1000, 2000, 0);
        otherMac[5] ^= 1;
        assertNotEquals(base, hash(otherMac));                                              // destination MAC
    }

    @Test
    void portsOfUnknownTransportsAreIgnored()
    {
        // ICMP's first 4 bytes are type, code and checksum: not a flow key.
        assertEquals(
            hash(TestFrames.ipv4(A, B, IpProtocol.ICMP, 0x0800, 0x1234, 0)),
            hash(TestFrames.ipv4(A, B, IpProtocol.ICMP, 0x0000, 0x9999, 0)));
    }

    @Test
    void ipv4FragmentsLeaveThePortsOutSoAllFragmentsOfADatagramHashAlike()
    {
        final int firstFragment = Ipv4Header.FLAG_MF;
        final int laterFragment = 185;          // offset 1480 bytes
        final int lastFragment = 370;           // MF clear, offset non-zero

        for (final int fragment : new int[] {firstFragment, laterFragment, lastFragment, Ipv4Header.FLAG_MF | 185})
        {
            assertEquals(
                hash(TestFrames.ipv4(A, B, IpProtocol.UDP, 1000, 2000, fragment)),
                hash(TestFrames.ipv4(A, B, IpProtocol.UDP, 3000, 4000, fragment)),
                "fragment field " + fragment);
        }

        // DF is not a fragment: ports count.
        assertNotEquals(
            hash(TestFrames.ipv4(A, B, IpProtocol.UDP, 1000, 2000, Ipv4Header.FLAG_DF)),
            hash(TestFrames.ipv4(A, B, IpProtocol.UDP, 3000, 4000, Ipv4Header.FLAG_DF)));
    }

    @Test
    void ipv6ExtensionHeadersAreWalkedToTheTransport()
    {
        final long high = 0x2001_0DB8_0000_0000L;

        // Hop-by-hop, then destination options, then UDP: ports count.
        assertNotEquals(
            hash(TestFrames.ipv6(high, 1, IpProtocol.UDP, 1000, 2000, IpProtocol.HOP_BY_HOP, 0, IpProtocol.DESTINATION_OPTIONS, 0)),
            hash(TestFrames.ipv6(high, 1, IpProtocol.UDP, 3000, 4000, IpProtocol.HOP_BY_HOP, 0, IpProtocol.DESTINATION_OPTIONS, 0)));

        // A later fragment: ports are not there, so they must not count.
        assertEquals(
            hash(TestFrames.ipv6(high, 1, IpProtocol.UDP, 1000, 2000, IpProtocol.FRAGMENT, 1480)),
            hash(TestFrames.ipv6(high, 1, IpProtocol.UDP, 3000, 4000, IpProtocol.FRAGMENT, 1480)));

        // A first fragment (M set): ports out too, like every fragment.
        assertEquals(
            hash(TestFrames.ipv6(high, 1, IpProtocol.UDP, 1000, 2000, IpProtocol.FRAGMENT, 1)),
            hash(TestFrames.ipv6(high, 1, IpProtocol.UDP, 3000, 4000, IpProtocol.FRAGMENT, 1)));

        // An atomic fragment (offset 0, M clear, RFC 6946) is a whole datagram: ports count.
        assertNotEquals(
            hash(TestFrames.ipv6(high, 1, IpProtocol.UDP, 1000, 2000, IpProtocol.FRAGMENT, 0)),
            hash(TestFrames.ipv6(high, 1, IpProtocol.UDP, 3000, 4000, IpProtocol.FRAGMENT, 0)));
    }

    @Test
    void ipv6ExtensionChainWalkIsBounded()
    {
        final long high = 0x2001_0DB8_0000_0000L;
        final int[] chain = new int[2 * (FlowHash.MAX_EXTENSION_HEADERS + 1)];
        for (int i = 0; i < chain.length; i += 2)
        {
            chain[i] = IpProtocol.DESTINATION_OPTIONS;
        }

        // Past the bound the transport is never reached, so the ports cannot count.
        assertEquals(
            hash(TestFrames.ipv6(high, 1, IpProtocol.UDP, 1000, 2000, chain)),
            hash(TestFrames.ipv6(high, 1, IpProtocol.UDP, 3000, 4000, chain)));
    }

    @Test
    void skipsOneVlanTag()
    {
        final byte[] untagged = TestFrames.ipv4(A, B, IpProtocol.UDP, 1000, 2000, 0);
        final UnsafeBuffer buffer = Bytes.bufferWith(untagged, 4, 0);
        final int tagged = VlanTag.insert(buffer, 4, 10);
        final int otherPorts = hashTagged(TestFrames.ipv4(A, B, IpProtocol.UDP, 3000, 4000, 0));

        assertNotEquals(otherPorts, FlowHash.hash(buffer, tagged, untagged.length + 4));
    }

    @Test
    void neverReadsPastTheFrameLength()
    {
        final byte[][] frames = {
            TestFrames.ipv4(A, B, IpProtocol.TCP, 1000, 2000, 0),
            TestFrames.ipv6(0x2001_0DB8_0000_0000L, 1, IpProtocol.UDP, 1000, 2000),
            TestFrames.ipv6(0x2001_0DB8_0000_0000L, 1, IpProtocol.UDP, 1000, 2000,
                IpProtocol.HOP_BY_HOP, 0, IpProtocol.FRAGMENT, 0, IpProtocol.ROUTING, 0)};

        for (final byte[] frame : frames)
        {
            for (int length = 0; length <= frame.length; length++)
            {
                // A buffer that ends exactly at the frame: any read beyond throws (Agrona bounds checks).
                final byte[] truncated = java.util.Arrays.copyOf(frame, length);
                final int exact = FlowHash.hash(Bytes.bufferWith(truncated, 2, 0), 2, length);

                // And garbage after the frame does not change the hash.
                final UnsafeBuffer padded = Bytes.bufferWith(truncated, 2, 64);
                padded.setMemory(2 + length, 64, (byte)0x5A);
                assertEquals(exact, FlowHash.hash(padded, 2, length), "length " + length);
            }
        }
    }

    @Test
    void arpFramesHashTheirMacs()
    {
        final byte[] arp = Bytes.of(
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0x30, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
            0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01);
        final byte[] otherSender = arp.clone();
        otherSender[11] = 0x02;

        assertNotEquals(hash(arp), hash(otherSender));
    }

    private static int hash(final byte[] frame)
    {
        return FlowHash.hash(new UnsafeBuffer(frame), 0, frame.length);
    }

    private static int hashTagged(final byte[] untagged)
    {
        final UnsafeBuffer buffer = Bytes.bufferWith(untagged, 4, 0);
        final int tagged = VlanTag.insert(buffer, 4, 10);
        return FlowHash.hash(buffer, tagged, untagged.length + 4);
    }
}
