package io.vtep.encap;

import static io.vtep.encap.Bytes.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class VxlanEncapsulatorTest
{
    private static final VtepAddress LOCAL_4 = VtepAddress.parse("192.0.2.1");
    private static final VtepAddress REMOTE_4 = VtepAddress.parse("192.0.2.2");
    private static final VtepAddress LOCAL_6 = VtepAddress.parse("2001:db8::1");
    private static final VtepAddress REMOTE_6 = VtepAddress.parse("2001:db8::2");

    /** The inner ARP request of kernel-vxlan-ipv4.pcap packet 1 (42 bytes, unpadded). */
    private static final byte[] ARP_REQUEST = Bytes.of(
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // destination: broadcast
        0x02, 0x30, 0x00, 0x00, 0x00, 0x01, // source: 02:30:00:00:00:01
        0x08, 0x06,                         // EtherType: ARP
        0x00, 0x01, 0x08, 0x00, 0x06, 0x04, // Ethernet, IPv4, 6, 4
        0x00, 0x01,                         // request
        0x02, 0x30, 0x00, 0x00, 0x00, 0x01, 0x0A, 0x28, 0x00, 0x01, // sender 02:30:00:00:00:01 10.40.0.1
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x28, 0x00, 0x02);// target ?, 10.40.0.2

    // @formatter:off: golden octets, one field a line, comments aligned
    private static final byte[] GOLDEN_IPV4 = Bytes.of(
        0x45,                   // version 4, IHL 5
        0x00,                   // DSCP 0, ECN 0
        0x00, 0x4E,             // total length 78 = 20 + 8 + 8 + 42
        0x00, 0x00,             // identification 0: DF makes the datagram atomic (RFC 6864 §4.1)
        0x40, 0x00,             // flags DF, fragment offset 0 (RFC 7348 §4.3: never fragment)
        0x40,                   // TTL 64
        0x11,                   // protocol UDP
        0xB6, 0x9B,             // header checksum
        0xC0, 0x00, 0x02, 0x01, // source 192.0.2.1
        0xC0, 0x00, 0x02, 0x02, // destination 192.0.2.2
        0xA9, 0xE9,             // UDP source port 43497
        0x12, 0xB5,             // UDP destination port 4789
        0x00, 0x3A,             // UDP length 58 = 8 + 8 + 42
        0x00, 0x00,             // UDP checksum 0 over IPv4 (RFC 7348 §5)
        0x08, 0x00, 0x00, 0x00, // VXLAN flags I, reserved
        0x00, 0x00, 0x64, 0x00);// VNI 100, reserved

    private static final byte[] GOLDEN_IPV6 = Bytes.of(
        0x60, 0x00, 0x00, 0x00, // version 6, traffic class 0, flow label 0
        0x00, 0x3A,             // payload length 58 = 8 + 8 + 42
        0x11,                   // next header UDP
        0x40,                   // hop limit 64
        0x20, 0x01, 0x0D, 0xB8, 0x00, 0x00, 0x00, 0x00, // source 2001:db8::1
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x20, 0x01, 0x0D, 0xB8, 0x00, 0x00, 0x00, 0x00, // destination 2001:db8::2
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
        0xA9, 0xE9,             // UDP source port 43497
        0x12, 0xB5,             // UDP destination port 4789
        0x00, 0x3A,             // UDP length 58
        0x4C, 0xA5,             // UDP checksum over pseudo-header + payload (RFC 8200 §8.1);
                                // tcpdump computes the same 0x4ca5 for the kernel's packet
        0x08, 0x00, 0x00, 0x00, // VXLAN flags I, reserved
        0x00, 0x00, 0x64, 0x00);// VNI 100, reserved
    // @formatter:on

    @Test
    void headerLengthIsTheOuterOverhead()
    {
        assertEquals(36, new VxlanEncapsulator(LOCAL_4, 4789, 64).headerLength());
        assertEquals(20, new VxlanEncapsulator(LOCAL_4, 4789, 64).ipHeaderLength());
        assertEquals(56, new VxlanEncapsulator(LOCAL_6, 4789, 64).headerLength());
        assertEquals(40, new VxlanEncapsulator(LOCAL_6, 4789, 64).ipHeaderLength());
    }

    @Test
    void encapsulatesIpv4Golden()
    {
        final UnsafeBuffer buffer = assertEncapsulatesArpAs(LOCAL_4, REMOTE_4, GOLDEN_IPV4);
        assertTrue(Checksum.isValidIpv4Header(buffer, 64 - 36, 20));
    }

    @Test
    void encapsulatesIpv6Golden()
    {
        final UnsafeBuffer buffer = assertEncapsulatesArpAs(LOCAL_6, REMOTE_6, GOLDEN_IPV6);
        assertUdpChecksumVerifiesOverIpv6(buffer, 64 - 56);
    }

    /**
     * Encapsulates {@link #ARP_REQUEST} (VNI 100, source port 43497, 64 bytes of headroom) and
     * checks that the outer headers, right in front of it, are {@code goldenOuter}.
     *
     * @return the buffer, the packet at {@code 64 - goldenOuter.length}.
     */
    private static UnsafeBuffer assertEncapsulatesArpAs(final VtepAddress local, final VtepAddress remote, final byte[] goldenOuter)
    {
        final UnsafeBuffer buffer = Bytes.bufferWith(ARP_REQUEST, 64, 0);
        final VxlanEncapsulator encapsulator = new VxlanEncapsulator(local, 4789, 64);

        final int outerOffset = encapsulator.encapsulate(buffer, 64, ARP_REQUEST.length, 100, remote, 43497);

        assertEquals(64 - goldenOuter.length, outerOffset);
        assertBytes(Bytes.concat(goldenOuter, ARP_REQUEST), buffer, outerOffset);
        return buffer;
    }

    @Test
    void encapsulatesIntoExactHeadroom()
    {
        final UnsafeBuffer buffer = Bytes.bufferWith(ARP_REQUEST, 56, 0);

        assertEquals(0, new VxlanEncapsulator(LOCAL_6, 4789, 64).encapsulate(buffer, 56, 42, 100, REMOTE_6, 43497));
        assertEquals(NO_HEADROOM, new VxlanEncapsulator(LOCAL_6, 4789, 64).encapsulate(buffer, 55, 42, 100, REMOTE_6, 1));
    }

    private static final int NO_HEADROOM = VxlanEncapsulator.NO_HEADROOM;

    @Test
    void multicastDestinationsGetTtlOne()
    {
        final UnsafeBuffer buffer = Bytes.bufferWith(ARP_REQUEST, 64, 0);

        final int outer4 = new VxlanEncapsulator(LOCAL_4, 4789, 64)
            .encapsulate(buffer, 64, 42, 100, VtepAddress.parse("239.1.1.100"), 43497);
        final Ipv4HeaderView ipv4 = new Ipv4HeaderView().wrap(buffer, outer4);
        assertEquals(1, ipv4.ttl());
        assertEquals(0xC738, ipv4.headerChecksum());
        assertTrue(Checksum.isValidIpv4Header(buffer, outer4, 20));

        final int outer6 = new VxlanEncapsulator(LOCAL_6, 4789, 64)
            .encapsulate(buffer, 64, 42, 100, VtepAddress.parse("ff0e::100"), 43497);
        assertEquals(1, new Ipv6HeaderView().wrap(buffer, outer6).hopLimit());
        assertUdpChecksumVerifiesOverIpv6(buffer, outer6);
    }

    @Test
    void refusesWithoutTouchingTheBuffer()
    {
        final VxlanEncapsulator encapsulator = new VxlanEncapsulator(LOCAL_4, 4789, 64);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[70_000]);
        buffer.setMemory(0, 70_000, (byte)0x77);
        final byte[] before = buffer.byteArray().clone();

        assertEquals(VxlanEncapsulator.ADDRESS_FAMILY_MISMATCH, encapsulator.encapsulate(buffer, 64, 42, 100, REMOTE_6, 1));
        assertEquals(VxlanEncapsulator.TOO_LONG,
            encapsulator.encapsulate(buffer, 64, encapsulator.maxFrameLength() + 1, 100, REMOTE_4, 1));
        assertEquals(VxlanEncapsulator.TOO_LONG, encapsulator.encapsulate(buffer, 64, -1, 100, REMOTE_4, 1));
        assertEquals(VxlanEncapsulator.NO_HEADROOM, encapsulator.encapsulate(buffer, 35, 42, 100, REMOTE_4, 1));

        assertEquals(new String(before, java.nio.charset.StandardCharsets.ISO_8859_1),
            new String(buffer.byteArray(), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void largestFramesFitTheSixteenBitLengths()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[70_000]);

        final VxlanEncapsulator over4 = new VxlanEncapsulator(LOCAL_4, 4789, 64);
        assertEquals(65535 - 36, over4.maxFrameLength());
        final int outer4 = over4.encapsulate(buffer, 100, over4.maxFrameLength(), 1, REMOTE_4, 1);
        assertEquals(65535, new Ipv4HeaderView().wrap(buffer, outer4).totalLength());

        final VxlanEncapsulator over6 = new VxlanEncapsulator(LOCAL_6, 4789, 64);
        assertEquals(65535 - 16, over6.maxFrameLength());
        final int outer6 = over6.encapsulate(buffer, 100, over6.maxFrameLength(), 1, REMOTE_6, 1);
        assertEquals(65535, new Ipv6HeaderView().wrap(buffer, outer6).payloadLength());
        assertEquals(65535, new UdpHeaderView().wrap(buffer, outer6 + 40).length());
        assertUdpChecksumVerifiesOverIpv6(buffer, outer6);
    }

    @Test
    void encapsulatedFramesDecodeBack()
    {
        final long seed = System.nanoTime();
        System.out.println("VxlanEncapsulatorTest.encapsulatedFramesDecodeBack seed=" + seed);
        final Random random = new Random(seed);

        for (final VtepAddress[] pair : new VtepAddress[][] {{LOCAL_4, REMOTE_4}, {LOCAL_6, REMOTE_6}})
        {
            final VxlanEncapsulator encapsulator = new VxlanEncapsulator(pair[0], 4789, 64);
            for (int i = 0; i < 500; i++)
            {
                final byte[] frame = new byte[14 + random.nextInt(1500)];
                random.nextBytes(frame);
                final int vni = random.nextInt(VxlanHeader.MAX_VNI + 1);
                final int sourcePort = SourcePortRange.DEFAULT.sourcePort(random.nextInt());
                final int frameOffset = 56 + random.nextInt(8);
                final UnsafeBuffer buffer = Bytes.bufferWith(frame, frameOffset, 0);

                final int outer = encapsulator.encapsulate(buffer, frameOffset, frame.length, vni, pair[1], sourcePort);
                final int packetLength = frame.length + encapsulator.headerLength();

                final int udpOffset;
                if (pair[0].isIpv6())
                {
                    assertTrue(Ipv6HeaderView.isValid(buffer, outer, packetLength), "seed=" + seed);
                    final Ipv6HeaderView ip = new Ipv6HeaderView().wrap(buffer, outer);
                    assertEquals(IpProtocol.UDP, ip.nextHeader());
                    assertTrue(pair[0].isAt(buffer, outer + Ipv6Header.SOURCE_ADDRESS_OFFSET));
                    assertTrue(pair[1].isAt(buffer, outer + Ipv6Header.DESTINATION_ADDRESS_OFFSET));
                    assertUdpChecksumVerifiesOverIpv6(buffer, outer);
                    udpOffset = ip.payloadOffset();
                }
                else
                {
                    assertTrue(Ipv4HeaderView.isValid(buffer, outer, packetLength), "seed=" + seed);
                    assertTrue(Checksum.isValidIpv4Header(buffer, outer, packetLength), "seed=" + seed);
                    final Ipv4HeaderView ip = new Ipv4HeaderView().wrap(buffer, outer);
                    assertEquals(packetLength, ip.totalLength());
                    assertTrue(ip.dontFragment());
                    assertEquals(IpProtocol.UDP, ip.protocol());
                    assertEquals(pair[0].ipv4(), ip.sourceAddress());
                    assertEquals(pair[1].ipv4(), ip.destinationAddress());
                    udpOffset = ip.payloadOffset();
                }

                final UdpHeaderView udp = new UdpHeaderView().wrap(buffer, udpOffset);
                assertTrue(UdpHeaderView.isValid(buffer, udpOffset, packetLength - (udpOffset - outer)));
                assertEquals(sourcePort, udp.sourcePort());
                assertEquals(4789, udp.destinationPort());
                assertEquals(VxlanHeader.FLAG_I, new VxlanHeaderView().wrap(buffer, udp.payloadOffset()).flags());
                assertEquals(vni, VxlanDecoder.decode(buffer, udp.payloadOffset(), udp.length() - UdpHeader.LENGTH),
                    "seed=" + seed);
                assertEquals(frameOffset, udp.payloadOffset() + VxlanDecoder.INNER_FRAME_OFFSET);
                assertBytes(frame, buffer, frameOffset);
            }
        }
    }

    @Test
    void retargetEqualsAFreshEncapsulation()
    {
        final long seed = System.nanoTime();
        System.out.println("VxlanEncapsulatorTest.retargetEqualsAFreshEncapsulation seed=" + seed);
        final Random random = new Random(seed);

        final VtepAddress[][] floodLists = {
            {REMOTE_4, VtepAddress.parse("198.51.100.3"), VtepAddress.parse("239.1.1.100"), VtepAddress.parse("10.255.255.254")},
            {REMOTE_6, VtepAddress.parse("2001:db8:ffff::3"), VtepAddress.parse("ff0e::100"), VtepAddress.parse("fd00::ffff:ffff")}};

        for (final VtepAddress[] floodList : floodLists)
        {
            final VtepAddress local = floodList[0].isIpv6() ? LOCAL_6 : LOCAL_4;
            final VxlanEncapsulator encapsulator = new VxlanEncapsulator(local, 4789, 64);
            for (int i = 0; i < 200; i++)
            {
                final byte[] frame = new byte[14 + random.nextInt(200)];
                random.nextBytes(frame);
                final UnsafeBuffer replicated = Bytes.bufferWith(frame, 64, 0);
                final int outer = encapsulator.encapsulate(replicated, 64, frame.length, 100, floodList[0], 50000);
                final int packetLength = frame.length + encapsulator.headerLength();

                // Head-end replication: unicast -> other unicast -> multicast (TTL 1) -> unicast (TTL back).
                for (int hop = 1; hop < floodList.length + 4; hop++)
                {
                    final VtepAddress remote = hop < floodList.length ? floodList[hop] : randomRemote(random, local);
                    encapsulator.retarget(replicated, outer, packetLength, remote);

                    final UnsafeBuffer fresh = Bytes.bufferWith(frame, 64, 0);
                    encapsulator.encapsulate(fresh, 64, frame.length, 100, remote, 50000);
                    assertBytes(Bytes.copy(fresh, outer, packetLength), replicated, outer);
                }
            }
        }
    }

    @Test
    void retargetRefusesAnotherFamily()
    {
        final VxlanEncapsulator encapsulator = new VxlanEncapsulator(LOCAL_4, 4789, 64);
        final UnsafeBuffer buffer = Bytes.bufferWith(ARP_REQUEST, 64, 0);
        final int outer = encapsulator.encapsulate(buffer, 64, 42, 100, REMOTE_4, 1);

        assertThrows(IllegalArgumentException.class, () -> encapsulator.retarget(buffer, outer, 78, REMOTE_6));
        assertThrows(IllegalArgumentException.class, () -> encapsulator.retarget(buffer, outer, 35, REMOTE_4));
    }

    @Test
    void constructorValidatesConfiguration()
    {
        assertThrows(IllegalArgumentException.class, () -> new VxlanEncapsulator(LOCAL_4, 0, 64));
        assertThrows(IllegalArgumentException.class, () -> new VxlanEncapsulator(LOCAL_4, 65536, 64));
        assertThrows(IllegalArgumentException.class, () -> new VxlanEncapsulator(LOCAL_4, 4789, 0));
        assertThrows(IllegalArgumentException.class, () -> new VxlanEncapsulator(LOCAL_4, 4789, 256));
        final VxlanEncapsulator encapsulator = new VxlanEncapsulator(LOCAL_6, 8472, 255);
        assertEquals(LOCAL_6, encapsulator.local());
        assertEquals(8472, encapsulator.udpDestinationPort());
        assertEquals(255, encapsulator.ttl());
    }

    @Test
    void oddLengthFramesChecksumOverIpv6()
    {
        final VxlanEncapsulator encapsulator = new VxlanEncapsulator(LOCAL_6, 4789, 64);
        for (int length = 14; length < 80; length++)
        {
            final byte[] frame = new byte[length];
            java.util.Arrays.fill(frame, (byte)0xFF);
            final UnsafeBuffer buffer = Bytes.bufferWith(frame, 56, 3);
            buffer.setMemory(56 + length, 3, (byte)0xAB); // bytes after the frame must not count

            final int outer = encapsulator.encapsulate(buffer, 56, length, 0xFFFFFF, REMOTE_6, 0xFFFF);

            assertUdpChecksumVerifiesOverIpv6(buffer, outer);
            assertFalse(new UdpHeaderView().wrap(buffer, outer + 40).checksum() == 0, "zero is never sent over IPv6");
        }
    }

    static void assertUdpChecksumVerifiesOverIpv6(final UnsafeBuffer buffer, final int outerOffset)
    {
        final Ipv6HeaderView ip = new Ipv6HeaderView().wrap(buffer, outerOffset);
        final int pseudoHeaderSum = Checksum.ipv6PseudoHeaderSum(buffer, outerOffset, IpProtocol.UDP, ip.payloadLength());

        assertEquals(Checksum.VALID_SUM,
            Checksum.partialSum(buffer, ip.payloadOffset(), ip.payloadLength(), pseudoHeaderSum),
            "UDP checksum over IPv6 must sum to 0xffff with the pseudo-header");
    }

    private static VtepAddress randomRemote(final Random random, final VtepAddress local)
    {
        return local.isIpv6() ?
            VtepAddress.ofIpv6(0x2001_0DB8_0000_0000L | (random.nextLong() & 0xFFFF_FFFFL), random.nextLong()) :
            VtepAddress.ofIpv4(0x0A00_0000 | random.nextInt(0x100_0000));
    }
}
