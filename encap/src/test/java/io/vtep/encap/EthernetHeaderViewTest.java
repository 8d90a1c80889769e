package io.vtep.encap;

import static io.vtep.encap.Bytes.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class EthernetHeaderViewTest
{
    /** The inner ARP request of kernel-vxlan-ipv4.pcap packet 1, Ethernet header only. */
    private static final byte[] GOLDEN = Bytes.of(
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // destination: broadcast
        0x02, 0x30, 0x00, 0x00, 0x00, 0x01, // source: 02:30:00:00:00:01
        0x08, 0x06);                        // EtherType: ARP

    @Test
    void decodesGolden()
    {
        final EthernetHeaderView header = new EthernetHeaderView().wrap(Bytes.bufferWith(GOLDEN, 5, 0), 5);

        assertEquals(MacAddress.BROADCAST, header.destinationMac());
        assertEquals(0x0230_0000_0001L, header.sourceMac());
        assertEquals(EthernetHeader.ETHER_TYPE_ARP, header.etherType());
        assertEquals(5, header.offset());
        assertEquals(5 + 14, header.payloadOffset());
    }

    @Test
    void encodesGolden()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);

        final EthernetHeaderView header = new EthernetHeaderView().wrap(buffer, 3)
            .destinationMac(MacAddress.BROADCAST)
            .sourceMac(MacAddress.parse("02:30:00:00:00:01"))
            .etherType(EthernetHeader.ETHER_TYPE_ARP);

        assertBytes(GOLDEN, buffer, 3);
        assertSame(buffer, header.buffer());
    }

    @Test
    void roundTripsEveryField()
    {
        final EthernetHeaderView header = new EthernetHeaderView().wrap(new UnsafeBuffer(new byte[14]), 0);

        header.destinationMac(0x0102_0304_0506L).sourceMac(0xA1A2_A3A4_A5A6L).etherType(EthernetHeader.ETHER_TYPE_IPV6);

        assertEquals(0x0102_0304_0506L, header.destinationMac());
        assertEquals(0xA1A2_A3A4_A5A6L, header.sourceMac());
        assertEquals(0x86DD, header.etherType());
    }

    @Test
    void constantsMatchTheWire()
    {
        assertEquals(14, EthernetHeader.LENGTH);
        assertEquals(0x0800, EthernetHeader.ETHER_TYPE_IPV4);
        assertEquals(0x0806, EthernetHeader.ETHER_TYPE_ARP);
        assertEquals(0x86DD, EthernetHeader.ETHER_TYPE_IPV6);
        assertEquals(0x8100, EthernetHeader.ETHER_TYPE_VLAN);
    }

    @Test
    void validOnlyWithAWholeHeader()
    {
        assertFalse(EthernetHeaderView.isValid(0));
        assertFalse(EthernetHeaderView.isValid(13));
        assertTrue(EthernetHeaderView.isValid(14));
    }
}
