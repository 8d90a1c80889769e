package io.vtep.encap;

import static io.vtep.encap.Bytes.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Ipv4HeaderViewTest
{
    /** Outer header of kernel-vxlan-ipv4.pcap packet 1, as the Linux VXLAN driver wrote it. */
    private static final byte[] GOLDEN = Bytes.of(
        0x45,                   // version 4, IHL 5
        0x00,                   // DSCP 0, ECN 0
        0x00, 0x4E,             // total length 78
        0x75, 0x29,             // identification 0x7529
        0x00, 0x00,             // flags: none (no DF), fragment offset 0
        0x40,                   // TTL 64
        0x11,                   // protocol 17 (UDP)
        0x81, 0x72,             // header checksum
        0xC0, 0x00, 0x02, 0x01, // source 192.0.2.1
        0xC0, 0x00, 0x02, 0x02);// destination 192.0.2.2

    @Test
    void decodesGolden()
    {
        final Ipv4HeaderView header = new Ipv4HeaderView().wrap(Bytes.bufferWith(GOLDEN, 14, 58), 14);

        assertEquals(4, header.version());
        assertEquals(5, header.ihl());
        assertEquals(20, header.headerLength());
        assertEquals(34, header.payloadOffset());
        assertEquals(0, header.tos());
        assertEquals(0, header.dscp());
        assertEquals(0, header.ecn());
        assertEquals(78, header.totalLength());
        assertEquals(0x7529, header.identification());
        assertEquals(0, header.flagsAndFragmentOffset());
        assertFalse(header.dontFragment());
        assertFalse(header.moreFragments());
        assertEquals(0, header.fragmentOffset());
        assertEquals(64, header.ttl());
        assertEquals(IpProtocol.UDP, header.protocol());
        assertEquals(0x8172, header.headerChecksum());
        assertEquals(0xC000_0201, header.sourceAddress());
        assertEquals(0xC000_0202, header.destinationAddress());
    }

    @Test
    void encodesGoldenIncludingChecksum()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[30]);

        new Ipv4HeaderView().wrap(buffer, 5)
            .versionAndIhl(4, 5)
            .tos(0)
            .totalLength(78)
            .identification(0x7529)
            .flagsAndFragmentOffset(0)
            .ttl(64)
            .protocol(IpProtocol.UDP)
            .sourceAddress(0xC000_0201)
            .destinationAddress(0xC000_0202)
            .updateHeaderChecksum();

        assertBytes(GOLDEN, buffer, 5);
    }

    @Test
    void readsFlagsAndFragmentOffset()
    {
        final Ipv4HeaderView header = new Ipv4HeaderView().wrap(new UnsafeBuffer(new byte[20]), 0);

        header.flagsAndFragmentOffset(Ipv4Header.FLAG_DF);
        assertTrue(header.dontFragment());
        assertFalse(header.moreFragments());

        header.flagsAndFragmentOffset(Ipv4Header.FLAG_MF | 0x1FFF);
        assertFalse(header.dontFragment());
        assertTrue(header.moreFragments());
        assertEquals(0x1FFF, header.fragmentOffset());

        header.tos(0xB9);  // DSCP 46 (EF), ECN 1
        assertEquals(46, header.dscp());
        assertEquals(1, header.ecn());
    }

    @Test
    void updateHeaderChecksumCoversOptions()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[24]);
        final Ipv4HeaderView header = new Ipv4HeaderView().wrap(buffer, 0)
            .versionAndIhl(4, 6).totalLength(24).ttl(1).protocol(IpProtocol.UDP)
            .sourceAddress(0x0A00_0001).destinationAddress(0xE000_0016);
        buffer.putInt(20, 0x9404_0000); // Router Alert option (RFC 2113)

        header.updateHeaderChecksum();

        assertTrue(Checksum.isValidIpv4Header(buffer, 0, 24));
        assertEquals(24, header.headerLength());
        assertEquals(24, header.payloadOffset());
    }

    static Stream<Arguments> badHeaders()
    {
        return Stream.of(
            Arguments.of("19 bytes", GOLDEN, 19),
            Arguments.of("version 6", patched(0, 0x65), 78),
            Arguments.of("IHL 4", patched(0, 0x44), 78),
            Arguments.of("IHL 15 beyond total length", patched(0, 0x4F, 3, 40), 78),
            Arguments.of("total length beyond bytes received", GOLDEN, 77),
            Arguments.of("total length shorter than header", patched(3, 19), 78));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHeaders")
    void rejectsInconsistentHeaders(final String name, final byte[] header, final int length)
    {
        assertFalse(Ipv4HeaderView.isValid(Bytes.bufferWith(header, 0, 80), 0, length));
    }

    @Test
    void acceptsConsistentHeaderWithTrailingPadding()
    {
        assertTrue(Ipv4HeaderView.isValid(Bytes.bufferWith(GOLDEN, 0, 80), 0, 78));
        assertTrue(Ipv4HeaderView.isValid(Bytes.bufferWith(GOLDEN, 0, 80), 0, 100));
    }

    /** GOLDEN with bytes replaced, given as index, value pairs. */
    private static byte[] patched(final int... indexValuePairs)
    {
        final byte[] copy = GOLDEN.clone();
        for (int i = 0; i < indexValuePairs.length; i += 2)
        {
            copy[indexValuePairs[i]] = (byte)indexValuePairs[i + 1];
        }
        return copy;
    }
}
