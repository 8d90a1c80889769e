package io.vtep.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters of one data-path thread.
 *
 * <p>Each forwarding thread owns a block and is its only writer, so a bump is a plain read and a
 * release store: no lock, no CAS, no allocation, no false sharing with other threads' blocks.
 * Readers ({@link CounterSnapshotSource}) sum the blocks of all threads at scrape time with
 * acquire loads, which sees every bump published before the load (docs/architecture.md §3).
 */
public final class DataPathCounters
{
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final CounterLayout layout;
    private final long[] values;

    public DataPathCounters(final CounterLayout layout)
    {
        this.layout = layout;
        this.values = new long[layout.length()];
    }

    public CounterLayout layout()
    {
        return layout;
    }

    private void add(final int index, final long delta)
    {
        LONGS.setRelease(values, index, (long)LONGS.getOpaque(values, index) + delta);
    }

    long get(final int index)
    {
        return (long)LONGS.getAcquire(values, index);
    }

    public void vniReceived(final int vniSlot, final Side side, final int bytes)
    {
        add(layout.vni(vniSlot, CounterLayout.VNI_RX_PACKETS + side.ordinal() * 2), 1);
        add(layout.vni(vniSlot, CounterLayout.VNI_RX_BYTES + side.ordinal() * 2), bytes);
    }

    public void vniSent(final int vniSlot, final Side side, final int bytes)
    {
        add(layout.vni(vniSlot, CounterLayout.VNI_TX_PACKETS + side.ordinal() * 2), 1);
        add(layout.vni(vniSlot, CounterLayout.VNI_TX_BYTES + side.ordinal() * 2), bytes);
    }

    public void vniFlooded(final int vniSlot)
    {
        add(layout.vni(vniSlot, CounterLayout.VNI_FLOOD_PACKETS), 1);
    }

    /** An ARP request or neighbour solicitation answered from the VNI's neighbour table, not flooded. */
    public void vniSuppressAnswered(final int vniSlot)
    {
        add(layout.vni(vniSlot, CounterLayout.VNI_SUPPRESS_ANSWERED), 1);
    }

    /** An ARP request or neighbour solicitation flooded for lack of a binding (suppression on). */
    public void vniSuppressFlooded(final int vniSlot)
    {
        add(layout.vni(vniSlot, CounterLayout.VNI_SUPPRESS_FLOODED), 1);
    }

    public void vniDropped(final int vniSlot, final DropReason reason)
    {
        add(layout.vni(vniSlot, CounterLayout.VNI_DROPS + reason.ordinal()), 1);
    }

    /** A drop that cannot be attributed to a configured VNI (malformed, unknown VNI, ...). */
    public void dropped(final DropReason reason)
    {
        add(layout.globalDrop(reason), 1);
    }

    /** {@code count} drops with no VNI at once (drivers report some drops in bulk). */
    public void dropped(final DropReason reason, final long count)
    {
        add(layout.globalDrop(reason), count);
    }

    public void vtepReceived(final int vtepIndex, final int bytes)
    {
        if (vtepIndex < layout.vtepSlots())
        {
            add(layout.vtep(vtepIndex, CounterLayout.VTEP_RX_PACKETS), 1);
            add(layout.vtep(vtepIndex, CounterLayout.VTEP_RX_BYTES), bytes);
        }
    }

    public void vtepSent(final int vtepIndex, final int bytes)
    {
        if (vtepIndex < layout.vtepSlots())
        {
            add(layout.vtep(vtepIndex, CounterLayout.VTEP_TX_PACKETS), 1);
            add(layout.vtep(vtepIndex, CounterLayout.VTEP_TX_BYTES), bytes);
        }
    }
}
