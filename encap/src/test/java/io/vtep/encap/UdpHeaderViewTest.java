package io.vtep.encap;

import static io.vtep.encap.Bytes.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UdpHeaderViewTest
{
    /** UDP header of kernel-vxlan-ipv4.pcap packet 1. */
    private static final byte[] GOLDEN = Bytes.of(
        0xA9, 0xE9,  // source port 43497 (the kernel's flow hash)
        0x12, 0xB5,  // destination port 4789 (VXLAN)
        0x00, 0x3A,  // length 58
        0x84, 0x4F); // checksum: unfinished on veth (pseudo-header sum only)

    @Test
    void decodesGolden()
    {
        final UdpHeaderView header = new UdpHeaderView().wrap(Bytes.bufferWith(GOLDEN, 34, 50), 34);

        assertEquals(43497, header.sourcePort());
        assertEquals(UdpHeader.VXLAN_PORT, header.destinationPort());
        assertEquals(58, header.length());
        assertEquals(0x844F, header.checksum());
        assertEquals(42, header.payloadOffset());
    }

    @Test
    void encodesGolden()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[12]);

        new UdpHeaderView().wrap(buffer, 2).sourcePort(43497).destinationPort(4789).length(58).checksum(0x844F);

        assertBytes(GOLDEN, buffer, 2);
    }

    @ParameterizedTest(name = "length field {0}, {1} bytes received: {2}")
    @CsvSource({
        "58, 58, true",
        "58, 60, true",   // trailing padding
        "58, 57, false",  // length lies
        "8, 8, true",     // empty payload
        "7, 8, false",    // shorter than the header
        "0, 8, false",
        "58, 7, false"})  // header truncated
    void validatesLength(final int lengthField, final int received, final boolean valid)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        new UdpHeaderView().wrap(buffer, 0).length(lengthField);

        assertEquals(valid, UdpHeaderView.isValid(buffer, 0, received));
    }

    @Test
    void vxlanPortIsIanaAssigned()
    {
        assertEquals(4789, UdpHeader.VXLAN_PORT);
        assertTrue(UdpHeader.LENGTH == 8);
        assertFalse(UdpHeaderView.isValid(new UnsafeBuffer(new byte[8]), 0, 0));
    }
}
