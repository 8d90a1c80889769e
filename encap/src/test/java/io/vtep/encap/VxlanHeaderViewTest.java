package io.vtep.encap;

import static io.vtep.encap.Bytes.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class VxlanHeaderViewTest
{
    /** VXLAN header of kernel-vxlan-ipv4.pcap packet 1. */
    private static final byte[] GOLDEN = Bytes.of(
        0x08,             // flags: I
        0x00, 0x00, 0x00, // reserved
        0x00, 0x00, 0x64, // VNI 100
        0x00);            // reserved

    @Test
    void decodesGolden()
    {
        final VxlanHeaderView header = new VxlanHeaderView().wrap(Bytes.bufferWith(GOLDEN, 42, 14), 42);

        assertEquals(VxlanHeader.FLAG_I, header.flags());
        assertEquals(0, header.reserved1());
        assertEquals(100, header.vni());
        assertEquals(0, header.reserved2());
        assertEquals(50, header.payloadOffset());
    }

    @Test
    void encodesGoldenAndZeroesReservedFields()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[10]);
        buffer.setMemory(0, 10, (byte)0xFF);

        new VxlanHeaderView().wrap(buffer, 1).flags(VxlanHeader.FLAG_I).vni(100);

        assertBytes(GOLDEN, buffer, 1);
    }

    @Test
    void readsReservedFieldsSeparatelyFromFlagsAndVni()
    {
        final VxlanHeaderView header = new VxlanHeaderView().wrap(Bytes.bufferWith(Bytes.of(
            0xFF,             // every flag
            0xAB, 0xCD, 0xEF, // reserved 1
            0xFF, 0xFF, 0xFF, // VNI 16777215
            0x99),            // reserved 2
            0, 0), 0);

        assertEquals(0xFF, header.flags());
        assertEquals(0xABCDEF, header.reserved1());
        assertEquals(VxlanHeader.MAX_VNI, header.vni());
        assertEquals(0x99, header.reserved2());
    }

    @Test
    void roundTripsVnisAndMasksTo24Bits()
    {
        final VxlanHeaderView header = new VxlanHeaderView().wrap(new UnsafeBuffer(new byte[8]), 0).flags(VxlanHeader.FLAG_I);

        for (final int vni : new int[] {0, 1, 100, 4096, 0x7FFFFF, 0x800000, 0xFFFFFF})
        {
            assertEquals(vni, header.vni(vni).vni());
            assertEquals(0, header.reserved2());
        }

        assertEquals(0x000001, header.vni(0x1000001).vni());
    }

    @Test
    void validOnlyWithIFlagAndWholeHeader()
    {
        assertTrue(VxlanHeaderView.isValid(Bytes.bufferWith(GOLDEN, 0, 0), 0, 8));
        assertFalse(VxlanHeaderView.isValid(Bytes.bufferWith(GOLDEN, 0, 0), 0, 7));
        assertFalse(VxlanHeaderView.isValid(Bytes.bufferWith(Bytes.of(0xF7, 0, 0, 0, 0, 0, 0x64, 0), 0, 0), 0, 8));
    }
}
