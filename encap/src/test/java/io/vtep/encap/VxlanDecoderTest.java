package io.vtep.encap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.IntStream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class VxlanDecoderTest
{
    /** UDP payload of kernel-vxlan-ipv4.pcap packet 1: VXLAN header and inner ARP request. */
    private static final byte[] GOLDEN = Bytes.of(
        0x08,                               // flags: I
        0x00, 0x00, 0x00,                   // reserved
        0x00, 0x00, 0x64,                   // VNI 100
        0x00,                               // reserved
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // inner destination: broadcast
        0x02, 0x30, 0x00, 0x00, 0x00, 0x01, // inner source: 02:30:00:00:00:01
        0x08, 0x06,                         // EtherType: ARP
        0x00, 0x01, 0x08, 0x00, 0x06, 0x04, // ARP: Ethernet, IPv4, 6, 4
        0x00, 0x01,                         // request
        0x02, 0x30, 0x00, 0x00, 0x00, 0x01, // sender MAC
        0x0A, 0x28, 0x00, 0x01,             // sender 10.40.0.1
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // target MAC
        0x0A, 0x28, 0x00, 0x02);            // target 10.40.0.2

    private static final int PAYLOAD_OFFSET = 42;

    @Test
    void decodesGolden()
    {
        assertEquals(100, VxlanDecoder.decode(Bytes.bufferWith(GOLDEN, PAYLOAD_OFFSET, 0), PAYLOAD_OFFSET, 50));
        assertEquals(PAYLOAD_OFFSET + 8, PAYLOAD_OFFSET + VxlanDecoder.INNER_FRAME_OFFSET);
    }

    static IntStream truncatedLengths()
    {
        return IntStream.range(0, VxlanDecoder.MIN_LENGTH);
    }

    @ParameterizedTest(name = "payload of {0} bytes")
    @MethodSource("truncatedLengths")
    void rejectsEveryTruncation(final int length)
    {
        // The buffer ends where the claimed payload ends: reading past it would throw.
        final byte[] truncated = new byte[length];
        System.arraycopy(GOLDEN, 0, truncated, 0, length);
        final UnsafeBuffer buffer = Bytes.bufferWith(truncated, 3, 0);

        assertEquals(VxlanDecoder.MALFORMED, VxlanDecoder.decode(buffer, 3, length));
    }

    @Test
    void acceptsVxlanHeaderPlusBareEthernetHeader()
    {
        final byte[] shortest = new byte[VxlanDecoder.MIN_LENGTH];
        System.arraycopy(GOLDEN, 0, shortest, 0, shortest.length);

        assertEquals(100, VxlanDecoder.decode(Bytes.bufferWith(shortest, 0, 0), 0, 22));
    }

    @ParameterizedTest(name = "flags 0x{0}")
    @ValueSource(ints = {0x00, 0x01, 0x80, 0xF7, 0x04})
    void rejectsClearIFlag(final int flags)
    {
        final UnsafeBuffer buffer = Bytes.bufferWith(GOLDEN, 0, 0);
        buffer.putByte(0, (byte)flags);

        assertEquals(VxlanDecoder.FLAGS, VxlanDecoder.decode(buffer, 0, GOLDEN.length));
    }

    @ParameterizedTest(name = "flags 0x{0}")
    @ValueSource(ints = {0x08, 0x09, 0x0C, 0x88, 0xFF})
    void ignoresOtherFlagsWhenISet(final int flags)
    {
        final UnsafeBuffer buffer = Bytes.bufferWith(GOLDEN, 0, 0);
        buffer.putByte(0, (byte)flags);

        assertEquals(100, VxlanDecoder.decode(buffer, 0, GOLDEN.length));
    }

    @Test
    void ignoresReservedBits()
    {
        final UnsafeBuffer buffer = Bytes.bufferWith(GOLDEN, 0, 0);
        buffer.putByte(1, (byte)0xFF);
        buffer.putByte(2, (byte)0xFF);
        buffer.putByte(3, (byte)0xFF);
        buffer.putByte(7, (byte)0xFF);

        assertEquals(100, VxlanDecoder.decode(buffer, 0, GOLDEN.length));
    }

    @ParameterizedTest(name = "VNI {0}")
    @ValueSource(ints = {0, 1, 100, 0x7FFFFF, 0x800000, 0xFFFFFF})
    void decodesEveryVniAsNonNegative(final int vni)
    {
        final UnsafeBuffer buffer = Bytes.bufferWith(GOLDEN, 0, 0);
        new VxlanHeaderView().wrap(buffer, 0).vni(vni);
        buffer.putByte(7, (byte)0xFF); // reserved byte must not leak into the VNI

        assertEquals(vni, VxlanDecoder.decode(buffer, 0, GOLDEN.length));
    }
}
