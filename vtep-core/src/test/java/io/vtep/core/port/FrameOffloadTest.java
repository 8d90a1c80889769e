package io.vtep.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class FrameOffloadTest
{
    @Test
    void roundTripsEveryFieldAtItsMaximum()
    {
        final long all = FrameOffload.of(0xFF, 0xFFFF, 0xFFFF, 0xFFFF);

        assertEquals(0xFF, FrameOffload.kind(all));
        assertEquals(0xFFFF, FrameOffload.checksumStart(all));
        assertEquals(0xFFFF, FrameOffload.checksumOffset(all));
        assertEquals(0xFFFF, FrameOffload.segmentSize(all));
        assertEquals(0x00FF_FFFF_FFFF_FFFFL, all, "56 bits, the top byte free");
    }

    @Test
    void fieldsDoNotSpillIntoEachOther()
    {
        // Each field at its maximum with the others 0, then each 0 with the others at their maximum.
        assertFields(FrameOffload.of(0xFF, 0, 0, 0), 0xFF, 0, 0, 0);
        assertFields(FrameOffload.of(0, 0xFFFF, 0, 0), 0, 0xFFFF, 0, 0);
        assertFields(FrameOffload.of(0, 0, 0xFFFF, 0), 0, 0, 0xFFFF, 0);
        assertFields(FrameOffload.of(0, 0, 0, 0xFFFF), 0, 0, 0, 0xFFFF);
        assertFields(FrameOffload.of(0, 0xFFFF, 0xFFFF, 0xFFFF), 0, 0xFFFF, 0xFFFF, 0xFFFF);
        assertFields(FrameOffload.of(0xFF, 0, 0xFFFF, 0xFFFF), 0xFF, 0, 0xFFFF, 0xFFFF);
        assertFields(FrameOffload.of(0xFF, 0xFFFF, 0, 0xFFFF), 0xFF, 0xFFFF, 0, 0xFFFF);
        assertFields(FrameOffload.of(0xFF, 0xFFFF, 0xFFFF, 0), 0xFF, 0xFFFF, 0xFFFF, 0);
        // Values wider than their field keep only their low bits.
        assertFields(FrameOffload.of(0x1_02, 0x1_0304, 0x1_0506, 0x1_0708), 0x02, 0x0304, 0x0506, 0x0708);
    }

    @Test
    void roundTripsWhatADriverReads()
    {
        final long tso = FrameOffload.of(FrameOffload.TCP_SEGMENTS, 34, 16, 1448);
        final long uso = FrameOffload.of(FrameOffload.UDP_SEGMENTS, 54, 6, 1452);
        final long checksum = FrameOffload.of(FrameOffload.CHECKSUM, 34, 6, 0);

        assertFields(tso, FrameOffload.TCP_SEGMENTS, 34, 16, 1448);
        assertFields(uso, FrameOffload.UDP_SEGMENTS, 54, 6, 1452);
        assertFields(checksum, FrameOffload.CHECKSUM, 34, 6, 0);
        assertFields(FrameOffload.of(FrameOffload.UNSUPPORTED, 0, 0, 0), FrameOffload.UNSUPPORTED, 0, 0, 0);
        // Every request is told apart from a finished frame, even with no offsets.
        assertNotEquals(FrameOffload.NONE, FrameOffload.of(FrameOffload.CHECKSUM, 0, 0, 0));
        assertNotEquals(FrameOffload.NONE, FrameOffload.of(FrameOffload.UNSUPPORTED, 0, 0, 0));
        assertEquals(FrameOffload.NONE, FrameOffload.of(0, 0, 0, 0));
        assertEquals(0, FrameOffload.kind(FrameOffload.NONE));
    }

    @Test
    void shiftedMovesOnlyTheChecksumStart()
    {
        // A driver put an 802.1Q tag back in front of the headers: the transport header is 4 bytes further.
        assertFields(FrameOffload.shifted(FrameOffload.of(FrameOffload.TCP_SEGMENTS, 34, 16, 1448), 4),
            FrameOffload.TCP_SEGMENTS, 38, 16, 1448);
        assertFields(FrameOffload.shifted(FrameOffload.of(FrameOffload.CHECKSUM, 54, 6, 0), 4), FrameOffload.CHECKSUM, 58, 6, 0);
        assertFields(FrameOffload.shifted(FrameOffload.of(FrameOffload.UDP_SEGMENTS, 0xFFFB, 0xFFFF, 0xFFFF), 4),
            FrameOffload.UDP_SEGMENTS, 0xFFFF, 0xFFFF, 0xFFFF);
        assertFields(FrameOffload.shifted(FrameOffload.of(FrameOffload.UNSUPPORTED, 0, 0, 0), 4), FrameOffload.UNSUPPORTED, 4, 0, 0);
        // A finished frame stays finished.
        assertEquals(FrameOffload.NONE, FrameOffload.shifted(FrameOffload.NONE, 4));
    }

    private static void assertFields(final long offload, final int kind, final int checksumStart, final int checksumOffset,
        final int segmentSize)
    {
        assertEquals(kind, FrameOffload.kind(offload), "kind");
        assertEquals(checksumStart, FrameOffload.checksumStart(offload), "checksum start");
        assertEquals(checksumOffset, FrameOffload.checksumOffset(offload), "checksum offset");
        assertEquals(segmentSize, FrameOffload.segmentSize(offload), "segment size");
    }
}
