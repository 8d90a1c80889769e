package io.vtep.encap;

import static io.vtep.encap.Bytes.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class Ipv6HeaderViewTest
{
    /** Outer header of kernel-vxlan-ipv6.pcap packet 2, as the Linux VXLAN driver wrote it. */
    private static final byte[] GOLDEN = Bytes.of(
        0x60, 0x00, 0x00, 0x00, // version 6, traffic class 0, flow label 0
        0x00, 0x3A,             // payload length 58
        0x11,                   // next header 17 (UDP)
        0x40,                   // hop limit 64
        0x20, 0x01, 0x0D, 0xB8, 0x00, 0x00, 0x00, 0x00, // source 2001:db8::1
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x20, 0x01, 0x0D, 0xB8, 0x00, 0x00, 0x00, 0x00, // destination 2001:db8::2
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02);

    @Test
    void decodesGolden()
    {
        final Ipv6HeaderView header = new Ipv6HeaderView().wrap(Bytes.bufferWith(GOLDEN, 14, 58), 14);

        assertEquals(6, header.version());
        assertEquals(0, header.trafficClass());
        assertEquals(0, header.flowLabel());
        assertEquals(58, header.payloadLength());
        assertEquals(IpProtocol.UDP, header.nextHeader());
        assertEquals(64, header.hopLimit());
        assertEquals(0x2001_0DB8_0000_0000L, header.sourceAddressHigh());
        assertEquals(1L, header.sourceAddressLow());
        assertEquals(0x2001_0DB8_0000_0000L, header.destinationAddressHigh());
        assertEquals(2L, header.destinationAddressLow());
        assertEquals(14 + 40, header.payloadOffset());
    }

    @Test
    void encodesGolden()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[50]);

        new Ipv6HeaderView().wrap(buffer, 3)
            .versionClassAndFlowLabel(6, 0, 0)
            .payloadLength(58)
            .nextHeader(IpProtocol.UDP)
            .hopLimit(64)
            .sourceAddress(0x2001_0DB8_0000_0000L, 1)
            .destinationAddress(0x2001_0DB8_0000_0000L, 2);

        assertBytes(GOLDEN, buffer, 3);
    }

    @Test
    void trafficClassAndFlowLabelShareTheFirstWordWithoutClobbering()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[40]);
        final Ipv6HeaderView header = new Ipv6HeaderView().wrap(buffer, 0).versionClassAndFlowLabel(6, 0xAB, 0xCDEF1);

        assertBytes(Bytes.of(0x6A, 0xBC, 0xDE, 0xF1), buffer, 0); // 6 | AB | CDEF1
        assertEquals(0xAB, header.trafficClass());
        assertEquals(0xCDEF1, header.flowLabel());

        header.trafficClass(0x12);
        assertEquals(6, header.version());
        assertEquals(0x12, header.trafficClass());
        assertEquals(0xCDEF1, header.flowLabel());

        header.flowLabel(0xFFFFF);
        assertEquals(6, header.version());
        assertEquals(0x12, header.trafficClass());
        assertEquals(0xFFFFF, header.flowLabel());
    }

    @Test
    void validatesVersionAndPayloadLength()
    {
        assertTrue(Ipv6HeaderView.isValid(Bytes.bufferWith(GOLDEN, 0, 58), 0, 98));
        assertTrue(Ipv6HeaderView.isValid(Bytes.bufferWith(GOLDEN, 0, 70), 0, 110)); // trailing padding
        assertFalse(Ipv6HeaderView.isValid(Bytes.bufferWith(GOLDEN, 0, 58), 0, 97)); // payload length lies
        assertFalse(Ipv6HeaderView.isValid(Bytes.bufferWith(GOLDEN, 0, 58), 0, 39)); // short header

        final byte[] version4 = GOLDEN.clone();
        version4[0] = 0x40;
        assertFalse(Ipv6HeaderView.isValid(Bytes.bufferWith(version4, 0, 58), 0, 98));
    }
}
