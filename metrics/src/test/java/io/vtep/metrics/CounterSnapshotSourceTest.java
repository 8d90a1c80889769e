package io.vtep.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CounterSnapshotSourceTest
{
    @Test
    void sumsTheBlocksOfAllThreadsPerVniSideAndReason()
    {
        final CounterSnapshotSource source = new CounterSnapshotSource(new CounterLayout(2, 4));
        final DataPathCounters accessThread = source.newBlock();
        final DataPathCounters overlayThread = source.newBlock();

        accessThread.vniReceived(1, Side.ACCESS, 100);
        accessThread.vniReceived(1, Side.ACCESS, 60);
        accessThread.vniSent(1, Side.ACCESS, 60);  // hairpin
        overlayThread.vniSent(1, Side.ACCESS, 98);  // decapsulated delivery
        overlayThread.vniReceived(0, Side.OVERLAY, 98);
        accessThread.vniFlooded(1);
        accessThread.vniDropped(1, DropReason.MTU_EXCEEDED);
        overlayThread.dropped(DropReason.UNKNOWN_VNI);
        overlayThread.dropped(DropReason.UNKNOWN_VNI);
        accessThread.vtepSent(3, 200);
        accessThread.vtepSent(4, 200); // beyond the layout's VTEP rows: ignored, never out of bounds

        assertEquals(2, source.vniRxPackets(1, Side.ACCESS));
        assertEquals(160, source.vniRxBytes(1, Side.ACCESS));
        assertEquals(0, source.vniRxPackets(1, Side.OVERLAY));
        assertEquals(2, source.vniTxPackets(1, Side.ACCESS));
        assertEquals(158, source.vniTxBytes(1, Side.ACCESS));
        assertEquals(1, source.vniRxPackets(0, Side.OVERLAY));
        assertEquals(0, source.vniRxPackets(0, Side.ACCESS));
        assertEquals(1, source.vniFloodPackets(1));
        assertEquals(0, source.vniFloodPackets(0));
        assertEquals(1, source.vniDrops(1, DropReason.MTU_EXCEEDED));
        assertEquals(0, source.vniDrops(1, DropReason.MALFORMED));
        assertEquals(2, source.drops(DropReason.UNKNOWN_VNI));
        assertEquals(0, source.drops(DropReason.MALFORMED));
        assertEquals(1, source.vtepTxPackets(3));
        assertEquals(200, source.vtepTxBytes(3));
        assertEquals(0, source.vtepRxPackets(3));
    }

    @Test
    void dropReasonLabelsAreSnakeCaseAndDistinct()
    {
        final java.util.Set<String> labels = new java.util.HashSet<>();
        for (final DropReason reason : DropReason.values())
        {
            assertEquals(reason.name().toLowerCase(java.util.Locale.ROOT), reason.label());
            labels.add(reason.label());
        }
        assertEquals(DropReason.count(), labels.size());
    }
}
