package io.vtep.encap;

import static io.vtep.encap.OffloadFrames.ACK;
import static io.vtep.encap.OffloadFrames.CWR;
import static io.vtep.encap.OffloadFrames.ECE;
import static io.vtep.encap.OffloadFrames.FIN;
import static io.vtep.encap.OffloadFrames.HOP_BY_HOP;
import static io.vtep.encap.OffloadFrames.IPV4_DESTINATION;
import static io.vtep.encap.OffloadFrames.IPV4_SOURCE;
import static io.vtep.encap.OffloadFrames.IPV6_DESTINATION;
import static io.vtep.encap.OffloadFrames.IPV6_SOURCE;
import static io.vtep.encap.OffloadFrames.PSH;
import static io.vtep.encap.OffloadFrames.TCP;
import static io.vtep.encap.OffloadFrames.TIMESTAMPS;
import static io.vtep.encap.OffloadFrames.UDP;
import static io.vtep.encap.OffloadFrames.getInt;
import static io.vtep.encap.OffloadFrames.getShort;
import static io.vtep.encap.OffloadFrames.slice;
import static io.vtep.encap.OffloadFrames.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SegmentationOffloadTest
{
    private static final int HEADROOM = 64;
    private static final int TAIL = 32;
    private static final byte HEADROOM_FILL = (byte)0xA5;
    private static final byte TAIL_FILL = (byte)0x5A;
    private static final byte[] NO_OPTIONS = new byte[0];
    /** IPv4 Router Alert option (RFC 2113), 4 bytes: IHL 6. */
    private static final byte[] ROUTER_ALERT = Bytes.of(0x94, 0x04, 0x00, 0x00);

    private final SegmentationOffload offload = new SegmentationOffload();

    /** A super-frame as a host hands it over, and where its layers start (from the frame start). */
    private record SuperFrame(byte[] bytes, int network, int transport, int headers, boolean ipv6, boolean tcp)
    {
        byte[] payload()
        {
            return slice(bytes, headers, bytes.length);
        }
    }

    @Test
    void tcpOverIpv4ThreeFullSegmentsAndAShortOne()
    {
        // ID and sequence number both wrap around during the burst.
        final SuperFrame frame = tcp4(-1, NO_OPTIONS, 0xFFFE, 0xFFFF_F000, CWR | ECE | ACK | PSH | FIN, TIMESTAMPS,
            OffloadFrames.payload(3 * 1448 + 100, 1));

        final List<byte[]> segments = segment(frame, 1448, 4);

        assertEquals(List.of(1514, 1514, 1514, 166), lengths(segments));
        assertEquals(List.of(1500, 1500, 1500, 152), shorts(segments, 14 + 2)); // IPv4 total length
        assertEquals(List.of(0xFFFE, 0xFFFF, 0x0000, 0x0001), shorts(segments, 14 + 4)); // identification
        assertEquals(List.of(0xFFFF_F000, 0xFFFF_F5A8, 0xFFFF_FB50, 0x0000_00F8), ints(segments, 34 + 4)); // sequence
        assertEquals(List.of(CWR | ECE | ACK, ECE | ACK, ECE | ACK, ECE | ACK | PSH | FIN), bytes(segments, 34 + 13));
        for (final byte[] segment : segments)
        {
            assertEquals(Bytes.hex(TIMESTAMPS), Bytes.hex(slice(segment, 54, 66)), "TCP options");
            assertEquals(0x80, segment[34 + 12] & 0xFF, "data offset 8 words");
        }
    }

    @Test
    void tcpOverIpv4PayloadAnExactMultipleOfTheSegmentSize()
    {
        final SuperFrame frame = tcp4(-1, NO_OPTIONS, 0x1234, 1000, ACK | PSH, NO_OPTIONS, OffloadFrames.payload(4 * 536, 2));

        final List<byte[]> segments = segment(frame, 536, 4);

        assertEquals(List.of(590, 590, 590, 590), lengths(segments));
        assertEquals(List.of(576, 576, 576, 576), shorts(segments, 14 + 2));
        assertEquals(List.of(0x1234, 0x1235, 0x1236, 0x1237), shorts(segments, 14 + 4));
        assertEquals(List.of(1000, 1536, 2072, 2608), ints(segments, 34 + 4));
        // The last segment is a full one and still gets PSH.
        assertEquals(List.of(ACK, ACK, ACK, ACK | PSH), bytes(segments, 34 + 13));
    }

    @Test
    void payloadShorterThanOneSegmentGivesOneFinishedSegment()
    {
        final SuperFrame frame = tcp4(-1, NO_OPTIONS, 7, 42, CWR | ACK | PSH | FIN, NO_OPTIONS, OffloadFrames.payload(99, 3));

        final List<byte[]> segments = segment(frame, 1448, 1);

        assertEquals(List.of(14 + 20 + 20 + 99), lengths(segments));
        assertEquals(List.of(CWR | ACK | PSH | FIN), bytes(segments, 34 + 13), "first and last: every flag kept");
    }

    @Test
    void tcpOverIpv4WithIpOptions()
    {
        final SuperFrame frame = tcp4(-1, ROUTER_ALERT, 0x0100, 5, ACK, TIMESTAMPS, OffloadFrames.payload(2 * 200 + 1, 4));

        final List<byte[]> segments = segment(frame, 200, 3);

        assertEquals(List.of(14 + 24 + 32 + 200, 14 + 24 + 32 + 200, 14 + 24 + 32 + 1), lengths(segments));
        for (final byte[] segment : segments)
        {
            assertEquals(0x46, segment[14] & 0xFF, "IHL 6");
            assertEquals(Bytes.hex(ROUTER_ALERT), Bytes.hex(slice(segment, 34, 38)), "IPv4 options");
        }
    }

    @Test
    void tcpOverIpv6()
    {
        final SuperFrame frame = tcp6(NO_OPTIONS, 0x7FFF_FF00, CWR | ACK | FIN, TIMESTAMPS, OffloadFrames.payload(3 * 1428 + 7, 5));

        final List<byte[]> segments = segment(frame, 1428, 4);

        assertEquals(List.of(1514, 1514, 1514, 14 + 40 + 32 + 7), lengths(segments));
        assertEquals(List.of(1460, 1460, 1460, 39), shorts(segments, 14 + 4)); // payload length
        assertEquals(List.of(0x7FFF_FF00, 0x8000_0494, 0x8000_0A28, 0x8000_0FBC), ints(segments, 54 + 4));
        assertEquals(List.of(CWR | ACK, ACK, ACK, ACK | FIN), bytes(segments, 54 + 13));
        for (final byte[] segment : segments)
        {
            assertEquals(Bytes.hex(TIMESTAMPS), Bytes.hex(slice(segment, 74, 86)), "TCP options");
        }
    }

    @Test
    void tcpOverIpv6WithAnExtensionHeader()
    {
        // The IPv6 payload length counts the Hop-by-Hop header; the TCP pseudo-header length does not.
        final SuperFrame frame = tcp6(OffloadFrames.hopByHop(TCP, 16), 1, ACK | PSH, NO_OPTIONS, OffloadFrames.payload(2 * 1000 + 10, 6));

        final List<byte[]> segments = segment(frame, 1000, 3);

        assertEquals(List.of(14 + 40 + 16 + 20 + 1000, 14 + 40 + 16 + 20 + 1000, 14 + 40 + 16 + 20 + 10), lengths(segments));
        assertEquals(List.of(1036, 1036, 46), shorts(segments, 14 + 4));
        assertEquals(List.of(1, 1001, 2001), ints(segments, 70 + 4));
    }

    @Test
    void taggedSuperFrameKeepsItsTagInEverySegment()
    {
        final SuperFrame frame = tcp4(0x6064, NO_OPTIONS, 1, 1, ACK | PSH, TIMESTAMPS, OffloadFrames.payload(2 * 1448 + 3, 7));

        final List<byte[]> segments = segment(frame, 1448, 3);

        assertEquals(List.of(1518, 1518, 18 + 20 + 32 + 3), lengths(segments));
        assertEquals(List.of(1500, 1500, 55), shorts(segments, 18 + 2));
        for (final byte[] segment : segments)
        {
            assertEquals("81 00 60 64 08 00", Bytes.hex(slice(segment, 12, 18)), "802.1Q tag, PCP 3, VID 100");
        }
    }

    @Test
    void udpOverIpv4()
    {
        final SuperFrame frame = udp4(0xABCD, OffloadFrames.payload(3 * 1200 + 50, 8));

        final List<byte[]> segments = segment(frame, 1200, 4);

        assertEquals(List.of(1242, 1242, 1242, 92), lengths(segments));
        assertEquals(List.of(1208, 1208, 1208, 58), shorts(segments, 34 + 4)); // UDP length
        assertEquals(List.of(1228, 1228, 1228, 78), shorts(segments, 14 + 2));
        assertEquals(List.of(0xABCD, 0xABCE, 0xABCF, 0xABD0), shorts(segments, 14 + 4));
    }

    @Test
    void udpOverIpv6()
    {
        final SuperFrame frame = udp6(OffloadFrames.payload(2 * 1400 + 1, 9));

        final List<byte[]> segments = segment(frame, 1400, 3);

        assertEquals(List.of(1462, 1462, 63), lengths(segments));
        assertEquals(List.of(1408, 1408, 9), shorts(segments, 54 + 4)); // UDP length
        assertEquals(List.of(1408, 1408, 9), shorts(segments, 14 + 4)); // IPv6 payload length
    }

    @Test
    void udpChecksumComputedAsZeroIsSentAsAllOnes()
    {
        // Two segments of 100 + 50 bytes; two bytes of the second are chosen so that its checksum
        // computes to 0, which UDP would read as "no checksum" (RFC 768).
        final byte[] payload = OffloadFrames.payload(150, 10);
        payload[148] = 0;
        payload[149] = 0;
        final int transportLength = 8 + 50;
        final int rest = sum(OffloadFrames.ipv4PseudoHeader(IPV4_SOURCE, IPV4_DESTINATION, UDP, transportLength),
            OffloadFrames.udp(transportLength, 0), slice(payload, 100, 150));
        final int word = 0xFFFF - rest; // sum of everything then 0xFFFF: checksum ~0xFFFF = 0
        payload[148] = (byte)(word >>> 8);
        payload[149] = (byte)word;

        final List<byte[]> segments = segment(udp4(1, payload), 100, 2);

        assertEquals(0xFFFF, getShort(segments.get(1), 34 + 6));
        assertNotEquals(0xFFFF, getShort(segments.get(0), 34 + 6));
    }

    @Test
    void writesNothingInFrontOfTheFrameOrAfterItAndCutsInPlace()
    {
        // segment() checks the headroom after every segment and the tail after the last; this adds
        // what the in-place layout promises: segment i starts i * segmentSize after the frame.
        final SuperFrame frame = tcp4(0x0005, ROUTER_ALERT, 9, 9, ACK, TIMESTAMPS, OffloadFrames.payload(5 * 64 + 63, 11));
        final UnsafeBuffer buffer = buffer(frame);

        assertTrue(offload.wrap(buffer, HEADROOM, frame.bytes().length, frame.transport(), true, SegmentationOffload.MIN_SEGMENT_SIZE));
        assertEquals(6, offload.segments());
        for (int i = 0; i < 6; i++)
        {
            assertEquals(HEADROOM + i * 64, offload.segment(i));
            assertFilled(buffer, 0, HEADROOM, HEADROOM_FILL);
        }
        assertEquals(frame.headers() + 63, offload.segmentLength());
        assertFilled(buffer, HEADROOM + frame.bytes().length, TAIL, TAIL_FILL);
    }

    /**
     * A TCP/IPv4 super-frame and its segments as scapy 2.5.0 builds them (checksums by scapy), to
     * compare byte for byte with an implementation other than the test's own. Generated with:
     * <pre>{@code
     * payload = bytes((i * 7 + 3) & 0xFF for i in range(3 * 100 + 37))
     * opts = [('NOP', None), ('NOP', None), ('Timestamp', (0x01020304, 0x05060708))]
     * eth = Ether(src='02:30:00:00:00:01', dst='02:30:00:00:00:02')
     * ip4 = lambda i: IP(src='10.40.0.1', dst='10.40.0.2', id=0xFFFE + i & 0xFFFF, flags='DF', ttl=64, tos=0x02)
     * tcp = lambda seq, flags: TCP(sport=43210, dport=5201, seq=seq & 0xFFFFFFFF, ack=0x11223344, flags=flags,
     *                              window=502, options=opts)
     * raw(eth / ip4(0) / tcp(0xFFFFFF00, 'FPACE') / Raw(payload))   # then TCP checksum := pseudo-header sum
     * for i in range(4):
     *     flags = 'AE' + ('C' if i == 0 else '') + ('FP' if i == 3 else '')
     *     raw(eth / ip4(i) / tcp(0xFFFFFF00 + i * 100, flags) / Raw(payload[i * 100:(i + 1) * 100]))
     * }</pre>
     * Only the 66 header bytes are kept here; the payload is the formula's.
     */
    @Test
    void tcpOverIpv4MatchesScapy()
    {
        final byte[] payload = scapyPayload(3 * 100 + 37, 7, 3);
        final byte[] superFrame = Bytes.concat(HexFormat.of().parseHex(
            "023000000002023000000001080045020185fffe4000400625200a2800010a280002" +
                "a8ca1451ffffff001122334480d901f615ca00000101080a0102030405060708"), payload);
        final String[] expected = {
            "023000000002023000000001080045020098fffe40004006260d0a2800010a280002" +
                "a8ca1451ffffff001122334480d001f6a3b000000101080a0102030405060708",
            "023000000002023000000001080045020098ffff40004006260c0a2800010a280002" +
                "a8ca1451ffffff6411223344805001f6ea1300000101080a0102030405060708",
            "023000000002023000000001080045020098000040004006260c0a2800010a280002" +
                "a8ca1451ffffffc811223344805001f630f600000101080a0102030405060708",
            "023000000002023000000001080045020059000140004006264a0a2800010a280002" +
                "a8ca14510000002c11223344805901f6d68100000101080a0102030405060708",
        };

        assertMatchesGolden(superFrame, 34, true, 100, expected, payload, 66);
    }

    /**
     * A UDP/IPv6 super-frame (USO) and its segments as scapy 2.5.0 builds them:
     * <pre>{@code
     * payload = bytes((i * 13 + 1) & 0xFF for i in range(2 * 120 + 51))
     * ip6 = IPv6(src='2001:db8::1', dst='2001:db8::2', hlim=64, fl=0x12345)
     * raw(eth / ip6 / UDP(sport=40000, dport=4433) / Raw(payload))   # then UDP checksum := pseudo-header sum
     * for i in range(3):
     *     raw(eth / ip6 / UDP(sport=40000, dport=4433) / Raw(payload[i * 120:(i + 1) * 120]))
     * }</pre>
     */
    @Test
    void udpOverIpv6MatchesScapy()
    {
        final byte[] payload = scapyPayload(2 * 120 + 51, 13, 1);
        final byte[] superFrame = Bytes.concat(HexFormat.of().parseHex(
            "02300000000202300000000186dd60012345012b114020010db8000000000000000000000001" +
                "20010db80000000000000000000000029c401151012b5cb1"), payload);
        final String[] expected = {
            "02300000000202300000000186dd600123450080114020010db8000000000000000000000001" +
                "20010db80000000000000000000000029c4011510080d8bd",
            "02300000000202300000000186dd600123450080114020010db8000000000000000000000001" +
                "20010db80000000000000000000000029c4011510080381e",
            "02300000000202300000000186dd60012345003b114020010db8000000000000000000000001" +
                "20010db80000000000000000000000029c401151003beddf",
        };

        assertMatchesGolden(superFrame, 54, false, 120, expected, payload, 62);
    }

    @Test
    void refusesSegmentsBelowTheMinimumSize()
    {
        final SuperFrame frame = tcp4(-1, NO_OPTIONS, 1, 1, ACK, NO_OPTIONS, OffloadFrames.payload(1000, 12));

        assertRefused(frame.bytes(), frame.bytes().length, 34, true, SegmentationOffload.MIN_SEGMENT_SIZE - 1);
        assertRefused(frame.bytes(), frame.bytes().length, 34, true, 0);
        segment(frame, SegmentationOffload.MIN_SEGMENT_SIZE, 16);
    }

    @Test
    void refusesATransportOffsetThatIsNotWhereTheIpv4HeaderEnds()
    {
        final SuperFrame plain = tcp4(-1, NO_OPTIONS, 1, 1, ACK, NO_OPTIONS, OffloadFrames.payload(1000, 13));
        final SuperFrame withOptions = tcp4(-1, ROUTER_ALERT, 1, 1, ACK, NO_OPTIONS, OffloadFrames.payload(1000, 13));

        assertRefused(plain.bytes(), plain.bytes().length, 38, true, 500);
        assertRefused(plain.bytes(), plain.bytes().length, 30, true, 500);
        assertRefused(plain.bytes(), plain.bytes().length, 0, true, 500);
        assertRefused(withOptions.bytes(), withOptions.bytes().length, 34, true, 500);
        // IHL below 5.
        final byte[] shortIhl = plain.bytes().clone();
        shortIhl[14] = 0x44;
        assertRefused(shortIhl, shortIhl.length, 30, true, 500);
    }

    @Test
    void refusesAProtocolOtherThanTheOneRequested()
    {
        final SuperFrame tcp4 = tcp4(-1, NO_OPTIONS, 1, 1, ACK, NO_OPTIONS, OffloadFrames.payload(1000, 14));
        final SuperFrame tcp6 = tcp6(NO_OPTIONS, 1, ACK, NO_OPTIONS, OffloadFrames.payload(1000, 14));
        // UDP payloads whose bytes where a TCP data offset would be read say 5 words, so that
        // nothing but the protocol tells them apart.
        final byte[] udpPayload = OffloadFrames.payload(1000, 14);
        udpPayload[12 - 8] = 0x50;
        final SuperFrame udp4 = udp4(1, udpPayload);
        final SuperFrame udp6 = udp6(udpPayload);

        assertRefused(udp4.bytes(), udp4.bytes().length, 34, true, 500);
        assertRefused(tcp4.bytes(), tcp4.bytes().length, 34, false, 500);
        assertRefused(udp6.bytes(), udp6.bytes().length, 54, true, 500);
        assertRefused(tcp6.bytes(), tcp6.bytes().length, 54, false, 500);
    }

    @Test
    void refusesAProtocolOtherThanTheOneRequestedBehindIpv6ExtensionHeaders()
    {
        final SuperFrame tcp6 = tcp6(OffloadFrames.hopByHop(TCP, 8), 1, ACK, NO_OPTIONS, OffloadFrames.payload(1000, 15));

        assertRefused(tcp6.bytes(), tcp6.bytes().length, 62, false, 500);
        // A transport offset inside the extension header, or past it, is not where TCP starts.
        assertRefused(tcp6.bytes(), tcp6.bytes().length, 54, true, 500);
        assertRefused(tcp6.bytes(), tcp6.bytes().length, 66, true, 500);
        // An extension header's length running past the transport offset.
        final byte[] overlong = tcp6.bytes().clone();
        overlong[54 + 1] = 1;
        assertRefused(overlong, overlong.length, 62, true, 500);
    }

    @Test
    void walksDestinationOptionsButRefusesARoutingHeader()
    {
        final SuperFrame hopByHop = tcp6(OffloadFrames.hopByHop(TCP, 8), 1, ACK, NO_OPTIONS, OffloadFrames.payload(1000, 15));
        final byte[] destinationOptions = hopByHop.bytes().clone();
        destinationOptions[14 + 6] = 60;
        segment(new SuperFrame(destinationOptions, 14, 62, 82, true, true), 500, 2);

        // The pseudo-header would need the Routing header's final destination (RFC 8200 §8.1).
        final byte[] routing = hopByHop.bytes().clone();
        routing[14 + 6] = 43;
        assertRefused(routing, routing.length, 62, true, 500);
        // A fragment is no super-frame.
        final byte[] fragment = hopByHop.bytes().clone();
        fragment[14 + 6] = 44;
        assertRefused(fragment, fragment.length, 62, true, 500);
    }

    @Test
    void refusesFramesThatAreNotIp()
    {
        final SuperFrame tcp4 = tcp4(-1, NO_OPTIONS, 1, 1, ACK, NO_OPTIONS, OffloadFrames.payload(1000, 16));
        final byte[] arp = tcp4.bytes().clone();
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertRefused(arp, arp.length, 34, true, 500);

        // IPv6 EtherType on an IPv4 packet, IPv4 EtherType on an IPv6 packet.
        final byte[] claimsIpv6 = tcp4.bytes().clone();
        claimsIpv6[12] = (byte)0x86;
        claimsIpv6[13] = (byte)0xDD;
        assertRefused(claimsIpv6, claimsIpv6.length, 54, true, 500);
        final SuperFrame tcp6 = tcp6(NO_OPTIONS, 1, ACK, NO_OPTIONS, OffloadFrames.payload(1000, 16));
        final byte[] claimsIpv4 = tcp6.bytes().clone();
        claimsIpv4[12] = 0x08;
        claimsIpv4[13] = 0x00;
        assertRefused(claimsIpv4, claimsIpv4.length, 54, true, 500);
        // IPv6 transport offset inside the fixed header.
        assertRefused(tcp6.bytes(), tcp6.bytes().length, 50, true, 500);
    }

    @Test
    void refusesHeadersLongerThanTheMaximum()
    {
        // 14 + 40 + 184 + 20 = 258 bytes of headers, behind a Hop-by-Hop header.
        final SuperFrame tooLong = tcp6(OffloadFrames.hopByHop(TCP, 184), 1, ACK, NO_OPTIONS, OffloadFrames.payload(1000, 17));
        assertEquals(SegmentationOffload.MAX_HEADERS_LENGTH + 2, tooLong.headers());
        assertRefused(tooLong.bytes(), tooLong.bytes().length, tooLong.transport(), true, 500);

        final SuperFrame longest = tcp6(OffloadFrames.hopByHop(TCP, 176), 1, ACK, NO_OPTIONS, OffloadFrames.payload(1000, 17));
        assertEquals(250, longest.headers());
        segment(longest, 500, 2);
    }

    @Test
    void refusesFramesShorterThanTheirHeaders()
    {
        final SuperFrame tcp4 = tcp4(-1, NO_OPTIONS, 1, 1, ACK, TIMESTAMPS, OffloadFrames.payload(1000, 18));
        final SuperFrame udp4 = udp4(1, OffloadFrames.payload(1000, 18));
        final SuperFrame tagged = tcp4(0x0064, NO_OPTIONS, 1, 1, ACK, NO_OPTIONS, OffloadFrames.payload(1000, 18));

        // Headers only, no payload to segment.
        assertRefused(tcp4.bytes(), tcp4.headers(), 34, true, 500);
        assertRefused(udp4.bytes(), udp4.headers(), 34, false, 500);
        // The TCP header's options cut off; its fixed part cut off.
        assertRefused(tcp4.bytes(), tcp4.headers() - 1, 34, true, 500);
        assertRefused(tcp4.bytes(), 34 + 19, 34, true, 500);
        // The UDP header cut off, the IP header cut off, only the Ethernet (or tagged) header.
        assertRefused(udp4.bytes(), 34 + 7, 34, false, 500);
        assertRefused(tcp4.bytes(), 30, 34, true, 500);
        assertRefused(tcp4.bytes(), 14, 34, true, 500);
        assertRefused(tagged.bytes(), 18, 38, true, 500);
        assertRefused(tagged.bytes(), 16, 38, true, 500);
        assertRefused(tcp4.bytes(), 13, 34, true, 500);
        assertRefused(tcp4.bytes(), 0, 34, true, 500);
        // The TCP data offset below 5 words.
        final byte[] badDataOffset = tcp4.bytes().clone();
        badDataOffset[34 + 12] = 0x40;
        assertRefused(badDataOffset, badDataOffset.length, 34, true, 500);
    }

    // ---------------------------------------------------------------- frames

    private static SuperFrame tcp4(final int tci, final byte[] ipOptions, final int identification, final int sequence,
        final int flags, final byte[] tcpOptions, final byte[] payload)
    {
        final byte[] ethernet = OffloadFrames.ethernet(tci, EthernetHeader.ETHER_TYPE_IPV4);
        final int transportLength = 20 + tcpOptions.length + payload.length;
        // As the host's stack leaves it: the pseudo-header sum over the whole super-frame.
        final int partial = sum(OffloadFrames.ipv4PseudoHeader(IPV4_SOURCE, IPV4_DESTINATION, TCP, transportLength));
        final byte[] bytes = Bytes.concat(ethernet,
            OffloadFrames.ipv4(20 + ipOptions.length + transportLength, identification, TCP, ipOptions),
            OffloadFrames.tcp(sequence, flags, tcpOptions, partial), payload);
        final int transport = ethernet.length + 20 + ipOptions.length;
        return new SuperFrame(bytes, ethernet.length, transport, transport + 20 + tcpOptions.length, false, true);
    }

    private static SuperFrame tcp6(final byte[] extension, final int sequence, final int flags, final byte[] tcpOptions,
        final byte[] payload)
    {
        final byte[] ethernet = OffloadFrames.ethernet(-1, EthernetHeader.ETHER_TYPE_IPV6);
        final int transportLength = 20 + tcpOptions.length + payload.length;
        final int partial = sum(OffloadFrames.ipv6PseudoHeader(IPV6_SOURCE, IPV6_DESTINATION, TCP, transportLength));
        final byte[] bytes = Bytes.concat(ethernet,
            OffloadFrames.ipv6(extension.length + transportLength, extension.length > 0 ? HOP_BY_HOP : TCP), extension,
            OffloadFrames.tcp(sequence, flags, tcpOptions, partial), payload);
        final int transport = 14 + 40 + extension.length;
        return new SuperFrame(bytes, 14, transport, transport + 20 + tcpOptions.length, true, true);
    }

    private static SuperFrame udp4(final int identification, final byte[] payload)
    {
        final int transportLength = 8 + payload.length;
        final int partial = sum(OffloadFrames.ipv4PseudoHeader(IPV4_SOURCE, IPV4_DESTINATION, UDP, transportLength));
        final byte[] bytes = Bytes.concat(OffloadFrames.ethernet(-1, EthernetHeader.ETHER_TYPE_IPV4),
            OffloadFrames.ipv4(20 + transportLength, identification, UDP, NO_OPTIONS),
            OffloadFrames.udp(transportLength, partial), payload);
        return new SuperFrame(bytes, 14, 34, 42, false, false);
    }

    private static SuperFrame udp6(final byte[] payload)
    {
        final int transportLength = 8 + payload.length;
        final int partial = sum(OffloadFrames.ipv6PseudoHeader(IPV6_SOURCE, IPV6_DESTINATION, UDP, transportLength));
        final byte[] bytes = Bytes.concat(OffloadFrames.ethernet(-1, EthernetHeader.ETHER_TYPE_IPV6),
            OffloadFrames.ipv6(transportLength, UDP), OffloadFrames.udp(transportLength, partial), payload);
        return new SuperFrame(bytes, 14, 54, 62, true, false);
    }

    private static byte[] scapyPayload(final int length, final int factor, final int offset)
    {
        final byte[] payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)(i * factor + offset);
        }
        return payload;
    }

    /** The frame after {@link #HEADROOM} bytes of {@link #HEADROOM_FILL}, then {@link #TAIL} bytes of {@link #TAIL_FILL}. */
    private static UnsafeBuffer buffer(final SuperFrame frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADROOM + frame.bytes().length + TAIL]);
        buffer.setMemory(0, HEADROOM, HEADROOM_FILL);
        buffer.putBytes(HEADROOM, frame.bytes());
        buffer.setMemory(HEADROOM + frame.bytes().length, TAIL, TAIL_FILL);
        return buffer;
    }

    // ---------------------------------------------------------------- segmenting and checking

    /**
     * Segments the frame (in a buffer with headroom and tail), copying each segment out before
     * asking for the next as a caller must, and checks every segment against the super-frame.
     */
    private List<byte[]> segment(final SuperFrame frame, final int segmentSize, final int expectedSegments)
    {
        final byte[] original = frame.bytes().clone();
        final UnsafeBuffer buffer = buffer(frame);

        assertTrue(offload.wrap(buffer, HEADROOM, frame.bytes().length, frame.transport(), frame.tcp(), segmentSize));
        assertEquals(expectedSegments, offload.segments());
        final List<byte[]> segments = new ArrayList<>();
        for (int i = 0; i < expectedSegments; i++)
        {
            final int offset = offload.segment(i);
            assertEquals(HEADROOM + i * segmentSize, offset, "segment " + i + " offset");
            segments.add(Bytes.copy(buffer, offset, offload.segmentLength()));
            assertFilled(buffer, 0, HEADROOM, HEADROOM_FILL);
        }
        assertFilled(buffer, HEADROOM + frame.bytes().length, TAIL, TAIL_FILL);
        assertEquals(Bytes.hex(original), Bytes.hex(frame.bytes()), "test's copy untouched");

        for (int i = 0; i < expectedSegments; i++)
        {
            checkSegment(frame, segmentSize, i, expectedSegments, segments.get(i));
        }
        return segments;
    }

    private static void checkSegment(final SuperFrame frame, final int segmentSize, final int index, final int count,
        final byte[] segment)
    {
        final String name = "segment " + index + ": ";
        final byte[] payload = frame.payload();
        final int from = index * segmentSize;
        final int to = Math.min(payload.length, from + segmentSize);
        assertEquals(frame.headers() + to - from, segment.length, name + "length");
        assertEquals(Bytes.hex(slice(payload, from, to)), Bytes.hex(slice(segment, frame.headers(), segment.length)),
            name + "payload");

        // Every header byte is the super-frame's but for the fields each segment gets its own
        // value in; those are masked here and checked one by one below.
        final byte[] expectedHeaders = slice(frame.bytes(), 0, frame.headers());
        final byte[] actualHeaders = slice(segment, 0, frame.headers());
        final int network = frame.network();
        final int transport = frame.transport();
        final List<Integer> own = new ArrayList<>(List.of(transport + (frame.tcp() ? 16 : 6), transport + (frame.tcp() ? 17 : 7)));
        if (frame.ipv6())
        {
            own.addAll(List.of(network + 4, network + 5));
        }
        else
        {
            own.addAll(List.of(network + 2, network + 3, network + 4, network + 5, network + 10, network + 11));
        }
        if (frame.tcp())
        {
            own.addAll(List.of(transport + 4, transport + 5, transport + 6, transport + 7, transport + 13));
        }
        else
        {
            own.addAll(List.of(transport + 4, transport + 5));
        }
        for (final int at : own)
        {
            expectedHeaders[at] = 0;
            actualHeaders[at] = 0;
        }
        assertEquals(Bytes.hex(expectedHeaders), Bytes.hex(actualHeaders),
            name + "headers other than lengths, ID, sequence, flags, checksums");

        final int transportLength = segment.length - transport;
        final byte[] pseudoHeader;
        if (frame.ipv6())
        {
            assertEquals(segment.length - network - 40, getShort(segment, network + 4), name + "IPv6 payload length");
            pseudoHeader = OffloadFrames.ipv6PseudoHeader(IPV6_SOURCE, IPV6_DESTINATION, frame.tcp() ? TCP : UDP, transportLength);
        }
        else
        {
            assertEquals(segment.length - network, getShort(segment, network + 2), name + "IPv4 total length");
            assertEquals(getShort(frame.bytes(), network + 4) + index & 0xFFFF, getShort(segment, network + 4), name + "IPv4 ID");
            assertEquals(0xFFFF, sum(slice(segment, network, transport)), name + "IPv4 header checksum");
            pseudoHeader = OffloadFrames.ipv4PseudoHeader(IPV4_SOURCE, IPV4_DESTINATION, frame.tcp() ? TCP : UDP, transportLength);
        }
        if (frame.tcp())
        {
            assertEquals(getInt(frame.bytes(), transport + 4) + from, getInt(segment, transport + 4), name + "sequence");
            int flags = frame.bytes()[transport + 13] & 0xFF;
            if (index > 0)
            {
                flags &= ~CWR;
            }
            if (index < count - 1)
            {
                flags &= ~(FIN | PSH);
            }
            assertEquals(flags, segment[transport + 13] & 0xFF, name + "flags");
        }
        else
        {
            assertEquals(transportLength, getShort(segment, transport + 4), name + "UDP length");
            assertNotEquals(0, getShort(segment, transport + 6), name + "UDP checksum present");
        }
        assertEquals(0xFFFF, sum(pseudoHeader, slice(segment, transport, segment.length)), name + "transport checksum");
    }

    private void assertMatchesGolden(final byte[] superFrame, final int transport, final boolean tcp, final int segmentSize,
        final String[] expectedHeaders, final byte[] payload, final int headersLength)
    {
        final UnsafeBuffer buffer = Bytes.bufferWith(superFrame, HEADROOM, 0);

        assertTrue(offload.wrap(buffer, HEADROOM, superFrame.length, transport, tcp, segmentSize));
        assertEquals(expectedHeaders.length, offload.segments());
        for (int i = 0; i < expectedHeaders.length; i++)
        {
            final byte[] expected = Bytes.concat(HexFormat.of().parseHex(expectedHeaders[i]),
                slice(payload, i * segmentSize, Math.min(payload.length, (i + 1) * segmentSize)));
            final int offset = offload.segment(i);
            assertEquals(headersLength + Math.min(segmentSize, payload.length - i * segmentSize), offload.segmentLength());
            assertEquals(Bytes.hex(expected), Bytes.hex(Bytes.copy(buffer, offset, offload.segmentLength())), "segment " + i);
        }
    }

    private void assertRefused(final byte[] frame, final int frameLength, final int transport, final boolean tcp,
        final int segmentSize)
    {
        // A good frame first, so that a refusal visibly resets the count.
        final SuperFrame good = udp4(1, OffloadFrames.payload(300, 0));
        assertTrue(offload.wrap(Bytes.bufferWith(good.bytes(), 0, 0), 0, good.bytes().length, 34, false, 100));
        assertEquals(3, offload.segments());

        // The buffer ends where the frame does: nothing past it may be read.
        final byte[] bytes = Arrays.copyOf(frame, frameLength);
        final UnsafeBuffer buffer = Bytes.bufferWith(bytes, HEADROOM, 0);
        assertFalse(offload.wrap(buffer, HEADROOM, frameLength, transport, tcp, segmentSize));
        assertEquals(0, offload.segments());
        Bytes.assertBytes(bytes, buffer, HEADROOM);
    }

    private static void assertFilled(final UnsafeBuffer buffer, final int offset, final int length, final byte fill)
    {
        for (int i = offset; i < offset + length; i++)
        {
            assertEquals(fill, buffer.getByte(i), "byte " + i + " outside the frame");
        }
    }

    private static List<Integer> lengths(final List<byte[]> segments)
    {
        return segments.stream().map(segment -> segment.length).toList();
    }

    private static List<Integer> shorts(final List<byte[]> segments, final int at)
    {
        return segments.stream().map(segment -> getShort(segment, at)).toList();
    }

    private static List<Integer> ints(final List<byte[]> segments, final int at)
    {
        return segments.stream().map(segment -> getInt(segment, at)).toList();
    }

    private static List<Integer> bytes(final List<byte[]> segments, final int at)
    {
        return segments.stream().map(segment -> segment[at] & 0xFF).toList();
    }
}
