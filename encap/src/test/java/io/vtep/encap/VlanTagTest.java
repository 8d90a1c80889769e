package io.vtep.encap;

import static io.vtep.encap.Bytes.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class VlanTagTest
{
    private static final byte[] UNTAGGED = Bytes.of(
        0x02, 0x30, 0x00, 0x00, 0x00, 0x02, // destination MAC
        0x02, 0x30, 0x00, 0x00, 0x00, 0x01, // source MAC
        0x08, 0x00,                         // EtherType: IPv4
        0x45, 0x00, 0xAB, 0xCD);            // first payload bytes

    private static final byte[] TAGGED = Bytes.of(
        0x02, 0x30, 0x00, 0x00, 0x00, 0x02, // destination MAC
        0x02, 0x30, 0x00, 0x00, 0x00, 0x01, // source MAC
        0x81, 0x00,                         // TPID: 802.1Q
        0xB0, 0x0A,                         // TCI: PCP 5, DEI 1, VID 10 (101 1 0000 0000 1010)
        0x08, 0x00,                         // EtherType: IPv4
        0x45, 0x00, 0xAB, 0xCD);            // first payload bytes

    @Test
    void readsTag()
    {
        final UnsafeBuffer buffer = Bytes.bufferWith(TAGGED, 7, 0);

        assertTrue(VlanTag.isTagged(buffer, 7));
        assertEquals(0xB00A, VlanTag.tci(buffer, 7));
        assertEquals(10, VlanTag.vlanId(buffer, 7));
        assertEquals(5, VlanTag.priority(VlanTag.tci(buffer, 7)));
        assertFalse(VlanTag.isTagged(Bytes.bufferWith(UNTAGGED, 0, 0), 0));
    }

    @Test
    void buildsTci()
    {
        assertEquals(0xB00A, VlanTag.tci(5, true, 10));
        assertEquals(0x0FFE, VlanTag.tci(0, false, 4094));
        assertEquals(0x0001, VlanTag.tci(0, false, 0x1001)); // VID masked to 12 bits
    }

    @Test
    void stripMovesAddressesForwardAndLeavesPayloadInPlace()
    {
        final int frameOffset = 10;
        final UnsafeBuffer buffer = Bytes.bufferWith(TAGGED, frameOffset, 0);

        final int untaggedOffset = VlanTag.strip(buffer, frameOffset);

        assertEquals(frameOffset + 4, untaggedOffset);
        assertBytes(UNTAGGED, buffer, untaggedOffset);
    }

    @Test
    void insertMovesAddressesBackIntoHeadroom()
    {
        final int frameOffset = 10;
        final UnsafeBuffer buffer = Bytes.bufferWith(UNTAGGED, frameOffset, 0);

        final int taggedOffset = VlanTag.insert(buffer, frameOffset, 0xB00A);

        assertEquals(frameOffset - 4, taggedOffset);
        assertBytes(TAGGED, buffer, taggedOffset);
    }

    @Test
    void insertThenStripRoundTrips()
    {
        final UnsafeBuffer buffer = Bytes.bufferWith(UNTAGGED, 4, 0);

        for (int vlanId = 0; vlanId <= VlanTag.MAX_VLAN_ID; vlanId += 97)
        {
            final int tagged = VlanTag.insert(buffer, 4, VlanTag.tci(3, false, vlanId));
            assertEquals(0, tagged);
            assertTrue(VlanTag.isTagged(buffer, tagged));
            assertEquals(vlanId, VlanTag.vlanId(buffer, tagged));

            assertEquals(4, VlanTag.strip(buffer, tagged));
            assertBytes(UNTAGGED, buffer, 4);
        }
    }

    @Test
    void insertWorksWithExactlyFourBytesOfHeadroom()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[UNTAGGED.length + 4]);
        buffer.putBytes(4, UNTAGGED);

        assertEquals(0, VlanTag.insert(buffer, 4, 0xB00A));
        assertBytes(TAGGED, buffer, 0);
    }
}
