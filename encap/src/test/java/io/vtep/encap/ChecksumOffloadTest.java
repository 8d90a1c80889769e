package io.vtep.encap;

import static io.vtep.encap.OffloadFrames.ACK;
import static io.vtep.encap.OffloadFrames.IPV4_DESTINATION;
import static io.vtep.encap.OffloadFrames.IPV4_SOURCE;
import static io.vtep.encap.OffloadFrames.IPV6_DESTINATION;
import static io.vtep.encap.OffloadFrames.IPV6_SOURCE;
import static io.vtep.encap.OffloadFrames.PSH;
import static io.vtep.encap.OffloadFrames.TCP;
import static io.vtep.encap.OffloadFrames.TIMESTAMPS;
import static io.vtep.encap.OffloadFrames.UDP;
import static io.vtep.encap.OffloadFrames.getShort;
import static io.vtep.encap.OffloadFrames.slice;
import static io.vtep.encap.OffloadFrames.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ChecksumOffloadTest
{
    private static final int HEADROOM = 16;
    private static final byte[] NO_OPTIONS = new byte[0];
    /** IPv4 Router Alert option (RFC 2113): IHL 6. */
    private static final byte[] ROUTER_ALERT = Bytes.of(0x94, 0x04, 0x00, 0x00);

    // ---------------------------------------------------------------- complete

    @Test
    void completeFinishesAPartialTcpChecksumOverIpv4()
    {
        final byte[] payload = OffloadFrames.payload(1001, 1); // odd: the last byte is padded
        final byte[] frame = tcp4(-1, NO_OPTIONS, partialIpv4(TCP, 32 + payload.length), payload);
        final UnsafeBuffer buffer = Bytes.bufferWith(frame, HEADROOM, 0);
        assertNotEquals(0xFFFF, sum(pseudoIpv4(TCP, frame.length - 34), slice(frame, 34, frame.length)), "partial");

        assertTrue(ChecksumOffload.complete(buffer, HEADROOM, frame.length, 34, 16));

        final byte[] after = Bytes.copy(buffer, HEADROOM, frame.length);
        assertEquals(0xFFFF, sum(pseudoIpv4(TCP, frame.length - 34), slice(after, 34, after.length)));
        assertEquals(expectedChecksum(pseudoIpv4(TCP, frame.length - 34), frame, 34, 16), getShort(after, 34 + 16));
        assertOnlyFieldChanged(frame, buffer, 34 + 16);
    }

    @Test
    void completeFinishesUdpOverIpv6AndATaggedFrame()
    {
        final byte[] udpPayload = OffloadFrames.payload(300, 2);
        final byte[] udp6 = udp6(partialIpv6(UDP, 8 + udpPayload.length), udpPayload);
        final UnsafeBuffer udpBuffer = Bytes.bufferWith(udp6, HEADROOM, 0);

        assertTrue(ChecksumOffload.complete(udpBuffer, HEADROOM, udp6.length, 54, 6));

        assertEquals(expectedChecksum(pseudoIpv6(UDP, udp6.length - 54), udp6, 54, 6),
            getShort(Bytes.copy(udpBuffer, HEADROOM, udp6.length), 54 + 6));
        assertEquals(0xFFFF, sum(pseudoIpv6(UDP, udp6.length - 54), Bytes.copy(udpBuffer, HEADROOM + 54, udp6.length - 54)));
        assertOnlyFieldChanged(udp6, udpBuffer, 60);

        // The checksum start counts the tag.
        final byte[] tcpPayload = OffloadFrames.payload(77, 3);
        final byte[] tagged = tcp4(0x0064, NO_OPTIONS, partialIpv4(TCP, 32 + tcpPayload.length), tcpPayload);
        final UnsafeBuffer taggedBuffer = Bytes.bufferWith(tagged, HEADROOM, 0);

        assertTrue(ChecksumOffload.complete(taggedBuffer, HEADROOM, tagged.length, 38, 16));

        assertEquals(0xFFFF, sum(pseudoIpv4(TCP, tagged.length - 38), Bytes.copy(taggedBuffer, HEADROOM + 38, tagged.length - 38)));
        assertOnlyFieldChanged(tagged, taggedBuffer, 38 + 16);
    }

    @Test
    void completeWritesAComputedZeroAsAllOnes()
    {
        // Two payload bytes chosen so that the checksum computes to 0, which a UDP receiver would
        // read as "no checksum" (RFC 768): 0xFFFF is sent instead, as Linux's skb_checksum_help does.
        final byte[] frame = udp4WithZeroChecksum(OffloadFrames.payload(40, 4));
        final UnsafeBuffer buffer = Bytes.bufferWith(frame, HEADROOM, 0);

        assertTrue(ChecksumOffload.complete(buffer, HEADROOM, frame.length, 34, 6));

        assertEquals(0xFFFF, getShort(Bytes.copy(buffer, HEADROOM, frame.length), 34 + 6));
        assertEquals(0xFFFF, sum(pseudoIpv4(UDP, frame.length - 34), Bytes.copy(buffer, HEADROOM + 34, frame.length - 34)));
        assertEquals(0xFFFF, ChecksumOffload.nonZero(0));
        assertEquals(0x1234, ChecksumOffload.nonZero(0x1234));
        assertEquals(0xFFFF, ChecksumOffload.nonZero(0xFFFF));
    }

    @Test
    void completeRefusesOffsetsOutsideTheFrameAndWritesNothing()
    {
        final byte[] payload = OffloadFrames.payload(100, 5);
        final byte[] frame = tcp4(-1, NO_OPTIONS, partialIpv4(TCP, 32 + payload.length), payload);

        assertCompleteRefused(frame, 13, 16); // start inside the Ethernet header
        assertCompleteRefused(frame, -1, 16);
        assertCompleteRefused(frame, 34, -1);
        assertCompleteRefused(frame, 34, frame.length - 34 - 1); // field's second byte past the end
        assertCompleteRefused(frame, frame.length, 0);
        assertCompleteRefused(frame, 34, 0xFFFF);
        assertCompleteRefused(frame, 0xFFFF, 16);

        // The field may end exactly with the frame.
        final UnsafeBuffer buffer = Bytes.bufferWith(frame, HEADROOM, 0);
        assertTrue(ChecksumOffload.complete(buffer, HEADROOM, frame.length, 34, frame.length - 34 - 2));
        assertOnlyFieldChanged(frame, buffer, frame.length - 2);
    }

    // ---------------------------------------------------------------- completeIfPartial

    @Test
    void completeIfPartialFinishesTcpOverIpv4()
    {
        final byte[] payload = OffloadFrames.payload(1400, 6);
        final byte[] frame = tcp4(-1, NO_OPTIONS, partialIpv4(TCP, 32 + payload.length), payload);

        assertCompletedIfPartial(frame, 34, 16, pseudoIpv4(TCP, frame.length - 34));
    }

    @Test
    void completeIfPartialFinishesTcpOverIpv4WithOptions()
    {
        final byte[] payload = OffloadFrames.payload(51, 7);
        final byte[] frame = tcp4(-1, ROUTER_ALERT, partialIpv4(TCP, 32 + payload.length), payload);

        assertCompletedIfPartial(frame, 38, 16, pseudoIpv4(TCP, frame.length - 38));
    }

    @Test
    void completeIfPartialFinishesTcpOverIpv6()
    {
        final byte[] payload = OffloadFrames.payload(999, 8);
        final byte[] frame = tcp6(partialIpv6(TCP, 32 + payload.length), payload);

        assertCompletedIfPartial(frame, 54, 16, pseudoIpv6(TCP, frame.length - 54));
    }

    @Test
    void completeIfPartialFinishesUdpOverIpv4AndIpv6()
    {
        final byte[] payload = OffloadFrames.payload(201, 9);
        final byte[] udp4 = udp4(-1, partialIpv4(UDP, 8 + payload.length), payload);
        final byte[] udp6 = udp6(partialIpv6(UDP, 8 + payload.length), payload);

        assertCompletedIfPartial(udp4, 34, 6, pseudoIpv4(UDP, udp4.length - 34));
        assertCompletedIfPartial(udp6, 54, 6, pseudoIpv6(UDP, udp6.length - 54));
    }

    @Test
    void completeIfPartialWritesAComputedZeroAsAllOnes()
    {
        final byte[] frame = udp4WithZeroChecksum(OffloadFrames.payload(40, 10));
        final UnsafeBuffer buffer = Bytes.bufferWith(frame, HEADROOM, 0);

        assertTrue(ChecksumOffload.completeIfPartial(buffer, HEADROOM, frame.length));

        assertEquals(0xFFFF, getShort(Bytes.copy(buffer, HEADROOM, frame.length), 34 + 6));
    }

    @Test
    void completeIfPartialIgnoresPaddingAfterTheIpv4Packet()
    {
        // A short frame padded to the Ethernet minimum: the checksum covers the IPv4 total length only.
        final byte[] payload = OffloadFrames.payload(4, 11);
        final byte[] packet = udp4(-1, partialIpv4(UDP, 8 + payload.length), payload);
        final byte[] frame = Arrays.copyOf(packet, 60);
        Arrays.fill(frame, packet.length, 60, (byte)0xEE);
        final UnsafeBuffer buffer = Bytes.bufferWith(frame, HEADROOM, 0);

        assertTrue(ChecksumOffload.completeIfPartial(buffer, HEADROOM, frame.length));

        final byte[] after = Bytes.copy(buffer, HEADROOM, frame.length);
        assertEquals(0xFFFF, sum(pseudoIpv4(UDP, packet.length - 34), slice(after, 34, packet.length)));
        assertOnlyFieldChanged(frame, buffer, 34 + 6);
    }

    @Test
    void completeIfPartialLeavesAFinishedChecksumAlone()
    {
        final byte[] payload = OffloadFrames.payload(500, 12);
        for (final byte[] frame : new byte[][] {
            finished(tcp4(-1, NO_OPTIONS, partialIpv4(TCP, 32 + payload.length), payload), 34, 16, pseudoIpv4(TCP, 32 + payload.length)),
            finished(tcp6(partialIpv6(TCP, 32 + payload.length), payload), 54, 16, pseudoIpv6(TCP, 32 + payload.length)),
            finished(udp4(-1, partialIpv4(UDP, 8 + payload.length), payload), 34, 6, pseudoIpv4(UDP, 8 + payload.length)),
        })
        {
            assertNotCompleted(frame, frame.length);
        }
    }

    @Test
    void completeIfPartialLeavesAFinishedChecksumThatHappensToEqualThePseudoHeaderSumAlone()
    {
        // The 2^-16 case: a finished checksum equal to the pseudo-header sum. Two payload bytes
        // are chosen so that the frame verifies with that value in the field.
        final byte[] payload = OffloadFrames.payload(100, 18);
        payload[98] = 0;
        payload[99] = 0;
        final int partial = partialIpv4(TCP, 32 + payload.length);
        final byte[] frame = tcp4(-1, NO_OPTIONS, partial, payload);
        final int word = 0xFFFF - sum(pseudoIpv4(TCP, 32 + payload.length), slice(frame, 34, frame.length));
        OffloadFrames.putShort(frame, frame.length - 2, word);
        assertEquals(0xFFFF, sum(pseudoIpv4(TCP, 32 + payload.length), slice(frame, 34, frame.length)));

        assertNotCompleted(frame, frame.length);
    }

    @Test
    void completeIfPartialLeavesACorruptChecksumAlone()
    {
        // Not partial (the field is not the pseudo-header sum) and not verifying: a corrupt frame
        // that the receiver must see as corrupt, not one to be "repaired".
        final byte[] payload = OffloadFrames.payload(500, 13);
        final byte[] tcp = finished(tcp4(-1, NO_OPTIONS, partialIpv4(TCP, 32 + payload.length), payload), 34, 16,
            pseudoIpv4(TCP, 32 + payload.length));
        tcp[tcp.length - 3] ^= 0x10;
        final byte[] udp = finished(udp6(partialIpv6(UDP, 8 + payload.length), payload), 54, 6, pseudoIpv6(UDP, 8 + payload.length));
        udp[62] ^= 0x01;
        assertNotEquals(0xFFFF, sum(pseudoIpv4(TCP, tcp.length - 34), slice(tcp, 34, tcp.length)));
        assertNotEquals(0xFFFF, sum(pseudoIpv6(UDP, udp.length - 54), slice(udp, 54, udp.length)));

        assertNotCompleted(tcp, tcp.length);
        assertNotCompleted(udp, udp.length);
    }

    @Test
    void completeIfPartialIgnoresAUdpChecksumOfZero()
    {
        // UDP over IPv4 may carry no checksum at all (RFC 768).
        final byte[] payload = OffloadFrames.payload(100, 14);
        final byte[] frame = udp4(-1, 0, payload);

        assertNotCompleted(frame, frame.length);
    }

    @Test
    void completeIfPartialIgnoresIpv4Fragments()
    {
        final byte[] payload = OffloadFrames.payload(200, 15);
        final byte[] moreFragments = udp4(-1, partialIpv4(UDP, 8 + payload.length), payload);
        moreFragments[14 + 6] = 0x20; // MF, offset 0: the checksum covers fragments not in this frame
        final byte[] laterFragment = tcp4(-1, NO_OPTIONS, partialIpv4(TCP, 32 + payload.length), payload);
        laterFragment[14 + 6] = 0x00;
        laterFragment[14 + 7] = 0x10; // offset 16 × 8: no transport header here
        fixIpv4HeaderChecksum(moreFragments);
        fixIpv4HeaderChecksum(laterFragment);

        assertNotCompleted(moreFragments, moreFragments.length);
        assertNotCompleted(laterFragment, laterFragment.length);
    }

    @Test
    void completeIfPartialIgnoresFramesThatAreNotUntaggedTcpOrUdpOverIp()
    {
        final byte[] payload = OffloadFrames.payload(64, 16);
        final byte[] tcp = tcp4(-1, NO_OPTIONS, partialIpv4(TCP, 32 + payload.length), payload);

        final byte[] arp = tcp.clone();
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertNotCompleted(arp, arp.length);

        final byte[] icmp = tcp.clone();
        icmp[14 + 9] = 1;
        fixIpv4HeaderChecksum(icmp);
        assertNotCompleted(icmp, icmp.length);

        final byte[] tagged = tcp4(0x0064, NO_OPTIONS, partialIpv4(TCP, 32 + payload.length), payload);
        assertNotCompleted(tagged, tagged.length);

        final byte[] version6 = tcp.clone();
        version6[14] = 0x65; // IPv4 EtherType, version 6
        assertNotCompleted(version6, version6.length);

        final byte[] ihl4 = tcp.clone();
        ihl4[14] = 0x44;
        assertNotCompleted(ihl4, ihl4.length);
    }

    @Test
    void completeIfPartialIgnoresTruncatedFrames()
    {
        final byte[] payload = OffloadFrames.payload(300, 17);
        final byte[] tcp4 = tcp4(-1, NO_OPTIONS, partialIpv4(TCP, 32 + payload.length), payload);
        final byte[] tcp6 = tcp6(partialIpv6(TCP, 32 + payload.length), payload);

        // Shorter than the IP length says (buffers end with the frame: nothing past it is read).
        assertNotCompleted(tcp4, tcp4.length - 1);
        assertNotCompleted(tcp4, 34 + 18);
        assertNotCompleted(tcp4, 34);
        assertNotCompleted(tcp4, 33);
        assertNotCompleted(tcp4, 14);
        assertNotCompleted(tcp4, 0);
        assertNotCompleted(tcp6, tcp6.length - 1);
        assertNotCompleted(tcp6, 54);
        assertNotCompleted(tcp6, 53);
        assertNotCompleted(tcp6, 40);

        // IP lengths too short for the transport header's checksum field.
        final byte[] shortTcp = tcp4.clone();
        OffloadFrames.putShort(shortTcp, 14 + 2, 20 + 17);
        fixIpv4HeaderChecksum(shortTcp);
        assertNotCompleted(shortTcp, shortTcp.length);
        final byte[] shortUdp6 = udp6(partialIpv6(UDP, 8 + payload.length), payload);
        OffloadFrames.putShort(shortUdp6, 14 + 4, 7);
        assertNotCompleted(shortUdp6, shortUdp6.length);
        // IPv4 total length below its own header length.
        final byte[] shortIpv4 = tcp4.clone();
        OffloadFrames.putShort(shortIpv4, 14 + 2, 19);
        fixIpv4HeaderChecksum(shortIpv4);
        assertNotCompleted(shortIpv4, shortIpv4.length);
    }

    // ---------------------------------------------------------------- frames

    private static byte[] tcp4(final int tci, final byte[] ipOptions, final int checksum, final byte[] payload)
    {
        return Bytes.concat(OffloadFrames.ethernet(tci, EthernetHeader.ETHER_TYPE_IPV4),
            OffloadFrames.ipv4(20 + ipOptions.length + 32 + payload.length, 0x4242, TCP, ipOptions),
            OffloadFrames.tcp(0x01020304, ACK | PSH, TIMESTAMPS, checksum), payload);
    }

    private static byte[] tcp6(final int checksum, final byte[] payload)
    {
        return Bytes.concat(OffloadFrames.ethernet(-1, EthernetHeader.ETHER_TYPE_IPV6), OffloadFrames.ipv6(32 + payload.length, TCP),
            OffloadFrames.tcp(0x01020304, ACK | PSH, TIMESTAMPS, checksum), payload);
    }

    private static byte[] udp4(final int tci, final int checksum, final byte[] payload)
    {
        return Bytes.concat(OffloadFrames.ethernet(tci, EthernetHeader.ETHER_TYPE_IPV4),
            OffloadFrames.ipv4(28 + payload.length, 0x4242, UDP, NO_OPTIONS), OffloadFrames.udp(8 + payload.length, checksum), payload);
    }

    private static byte[] udp6(final int checksum, final byte[] payload)
    {
        return Bytes.concat(OffloadFrames.ethernet(-1, EthernetHeader.ETHER_TYPE_IPV6), OffloadFrames.ipv6(8 + payload.length, UDP),
            OffloadFrames.udp(8 + payload.length, checksum), payload);
    }

    /**
     * A UDP/IPv4 frame with a partial checksum whose last two payload bytes are chosen so that the
     * finished checksum computes to 0.
     */
    private static byte[] udp4WithZeroChecksum(final byte[] payload)
    {
        final int length = 8 + payload.length;
        payload[payload.length - 2] = 0;
        payload[payload.length - 1] = 0;
        final int rest = sum(pseudoIpv4(UDP, length), OffloadFrames.udp(length, 0), payload);
        final int word = 0xFFFF - rest; // the whole sum is then 0xFFFF, its complement 0
        payload[payload.length - 2] = (byte)(word >>> 8);
        payload[payload.length - 1] = (byte)word;
        final byte[] frame = udp4(-1, partialIpv4(UDP, length), payload);
        assertEquals(0, expectedChecksum(pseudoIpv4(UDP, length), frame, 34, 6));
        return frame;
    }

    /** After a test changed an untagged frame's IPv4 header (IHL 5), so that only what it meant to change is wrong. */
    private static void fixIpv4HeaderChecksum(final byte[] frame)
    {
        OffloadFrames.putShort(frame, 14 + 10, 0);
        OffloadFrames.putShort(frame, 14 + 10, ~sum(slice(frame, 14, 34)) & 0xFFFF);
    }

    private static byte[] pseudoIpv4(final int protocol, final int length)
    {
        return OffloadFrames.ipv4PseudoHeader(IPV4_SOURCE, IPV4_DESTINATION, protocol, length);
    }

    private static byte[] pseudoIpv6(final int protocol, final int length)
    {
        return OffloadFrames.ipv6PseudoHeader(IPV6_SOURCE, IPV6_DESTINATION, protocol, length);
    }

    /** What a sender with checksum offload leaves in the field: the pseudo-header sum, folded, not complemented. */
    private static int partialIpv4(final int protocol, final int length)
    {
        return sum(pseudoIpv4(protocol, length));
    }

    private static int partialIpv6(final int protocol, final int length)
    {
        return sum(pseudoIpv6(protocol, length));
    }

    /** The finished checksum, from the test's own sum: complement of the sum with the field zeroed. */
    private static int expectedChecksum(final byte[] pseudoHeader, final byte[] frame, final int transport, final int field)
    {
        final byte[] segment = slice(frame, transport, frame.length);
        segment[field] = 0;
        segment[field + 1] = 0;
        return ~sum(pseudoHeader, segment) & 0xFFFF;
    }

    /** The frame with its transport checksum finished by the test. */
    private static byte[] finished(final byte[] frame, final int transport, final int field, final byte[] pseudoHeader)
    {
        final byte[] copy = frame.clone();
        OffloadFrames.putShort(copy, transport + field, expectedChecksum(pseudoHeader, frame, transport, field));
        assertEquals(0xFFFF, sum(pseudoHeader, slice(copy, transport, copy.length)));
        return copy;
    }

    // ---------------------------------------------------------------- assertions

    private static void assertCompletedIfPartial(final byte[] frame, final int transport, final int field, final byte[] pseudoHeader)
    {
        assertEquals(sum(pseudoHeader), getShort(frame, transport + field), "the field holds the pseudo-header sum");
        final UnsafeBuffer buffer = Bytes.bufferWith(frame, HEADROOM, 0);

        assertTrue(ChecksumOffload.completeIfPartial(buffer, HEADROOM, frame.length));

        final byte[] after = Bytes.copy(buffer, HEADROOM, frame.length);
        assertEquals(expectedChecksum(pseudoHeader, frame, transport, field), getShort(after, transport + field));
        assertEquals(0xFFFF, sum(pseudoHeader, slice(after, transport, after.length)));
        assertOnlyFieldChanged(frame, buffer, transport + field);

        // Once finished, it is left alone.
        assertFalse(ChecksumOffload.completeIfPartial(buffer, HEADROOM, frame.length));
        Bytes.assertBytes(after, buffer, HEADROOM);
    }

    /** {@code completeIfPartial} on the first {@code frameLength} bytes, in a buffer that ends with them, changes nothing. */
    private static void assertNotCompleted(final byte[] frame, final int frameLength)
    {
        final byte[] bytes = Arrays.copyOf(frame, frameLength);
        final UnsafeBuffer buffer = Bytes.bufferWith(bytes, HEADROOM, 0);
        final byte[] before = Bytes.copy(buffer, 0, buffer.capacity());

        assertFalse(ChecksumOffload.completeIfPartial(buffer, HEADROOM, frameLength), "length " + frameLength);

        assertEquals(Bytes.hex(before), Bytes.hex(Bytes.copy(buffer, 0, buffer.capacity())));
    }

    private static void assertCompleteRefused(final byte[] frame, final int checksumStart, final int checksumOffset)
    {
        final UnsafeBuffer buffer = Bytes.bufferWith(frame, HEADROOM, 0);
        final byte[] before = Bytes.copy(buffer, 0, buffer.capacity());

        assertFalse(ChecksumOffload.complete(buffer, HEADROOM, frame.length, checksumStart, checksumOffset),
            "start " + checksumStart + " offset " + checksumOffset);

        assertEquals(Bytes.hex(before), Bytes.hex(Bytes.copy(buffer, 0, buffer.capacity())));
    }

    /** The buffer holds the frame at {@link #HEADROOM}, zeros in front, and differs from it in the 2-byte field only. */
    private static void assertOnlyFieldChanged(final byte[] frame, final UnsafeBuffer buffer, final int field)
    {
        assertEquals(HEADROOM + frame.length, buffer.capacity());
        final byte[] expected = Bytes.concat(new byte[HEADROOM], frame);
        final byte[] actual = Bytes.copy(buffer, 0, buffer.capacity());
        assertNotEquals(Bytes.hex(slice(expected, HEADROOM + field, HEADROOM + field + 2)),
            Bytes.hex(slice(actual, HEADROOM + field, HEADROOM + field + 2)), "the field changed");
        expected[HEADROOM + field] = actual[HEADROOM + field];
        expected[HEADROOM + field + 1] = actual[HEADROOM + field + 1];
        assertEquals(Bytes.hex(expected), Bytes.hex(actual));
    }
}
