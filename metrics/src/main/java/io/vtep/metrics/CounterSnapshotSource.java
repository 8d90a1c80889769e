package io.vtep.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Sums the counter blocks of every data-path thread; read by the CLI, the API and exporters.
 *
 * <p>Totals are monotonic as long as blocks are only added, never removed (a stopped thread's
 * block stays registered).
 */
public final class CounterSnapshotSource
{
    private final CounterLayout layout;
    private final List<DataPathCounters> blocks = new CopyOnWriteArrayList<>();

    public CounterSnapshotSource(final CounterLayout layout)
    {
        this.layout = layout;
    }

    public CounterLayout layout()
    {
        return layout;
    }

    /** A new block for one data-path thread. */
    public DataPathCounters newBlock()
    {
        final DataPathCounters block = new DataPathCounters(layout);
        blocks.add(block);
        return block;
    }

    private long sum(final int index)
    {
        long total = 0;
        for (final DataPathCounters block : blocks)
        {
            total += block.get(index);
        }
        return total;
    }

    public long vniRxPackets(final int vniSlot, final Side side)
    {
        return sum(layout.vni(vniSlot, CounterLayout.VNI_RX_PACKETS + side.ordinal() * 2));
    }

    public long vniRxBytes(final int vniSlot, final Side side)
    {
        return sum(layout.vni(vniSlot, CounterLayout.VNI_RX_BYTES + side.ordinal() * 2));
    }

    public long vniTxPackets(final int vniSlot, final Side side)
    {
        return sum(layout.vni(vniSlot, CounterLayout.VNI_TX_PACKETS + side.ordinal() * 2));
    }

    public long vniTxBytes(final int vniSlot, final Side side)
    {
        return sum(layout.vni(vniSlot, CounterLayout.VNI_TX_BYTES + side.ordinal() * 2));
    }

    public long vniFloodPackets(final int vniSlot)
    {
        return sum(layout.vni(vniSlot, CounterLayout.VNI_FLOOD_PACKETS));
    }

    public long vniSuppressAnswered(final int vniSlot)
    {
        return sum(layout.vni(vniSlot, CounterLayout.VNI_SUPPRESS_ANSWERED));
    }

    public long vniSuppressFlooded(final int vniSlot)
    {
        return sum(layout.vni(vniSlot, CounterLayout.VNI_SUPPRESS_FLOODED));
    }

    public long vniDrops(final int vniSlot, final DropReason reason)
    {
        return sum(layout.vni(vniSlot, CounterLayout.VNI_DROPS + reason.ordinal()));
    }

    public long drops(final DropReason reason)
    {
        return sum(layout.globalDrop(reason));
    }

    public long vtepRxPackets(final int vtepIndex)
    {
        return sum(layout.vtep(vtepIndex, CounterLayout.VTEP_RX_PACKETS));
    }

    public long vtepRxBytes(final int vtepIndex)
    {
        return sum(layout.vtep(vtepIndex, CounterLayout.VTEP_RX_BYTES));
    }

    public long vtepTxPackets(final int vtepIndex)
    {
        return sum(layout.vtep(vtepIndex, CounterLayout.VTEP_TX_PACKETS));
    }

    public long vtepTxBytes(final int vtepIndex)
    {
        return sum(layout.vtep(vtepIndex, CounterLayout.VTEP_TX_BYTES));
    }
}
