package io.vtep.metrics;

/**
 * Where each counter lives in a {@link DataPathCounters} block.
 *
 * <p>A block is one flat array: a row of fields per configured VNI (by its dense slot number, not
 * its 24-bit id, so the array stays small and bogus VNIs cannot add rows), a row per remote VTEP
 * (by its table index, bounded by the table's capacity), then the drops that have no VNI.
 */
public final class CounterLayout
{
    static final int VNI_RX_PACKETS = 0;   // + side ordinal * 2
    static final int VNI_RX_BYTES = 1;
    static final int VNI_TX_PACKETS = 4;   // + side ordinal * 2
    static final int VNI_TX_BYTES = 5;
    static final int VNI_FLOOD_PACKETS = 8;
    /** ARP requests / neighbour solicitations answered by ARP/ND suppression (RFC 7432 §10). */
    static final int VNI_SUPPRESS_ANSWERED = 9;
    /** ARP requests / neighbour solicitations flooded because the VNI's neighbour table had no binding. */
    static final int VNI_SUPPRESS_FLOODED = 10;
    static final int VNI_DROPS = 11;       // + reason ordinal
    static final int VNI_FIELDS = VNI_DROPS + DropReason.count();

    static final int VTEP_RX_PACKETS = 0;
    static final int VTEP_RX_BYTES = 1;
    static final int VTEP_TX_PACKETS = 2;
    static final int VTEP_TX_BYTES = 3;
    static final int VTEP_FIELDS = 4;

    private final int vniSlots;
    private final int vtepSlots;

    public CounterLayout(final int vniSlots, final int vtepSlots)
    {
        this.vniSlots = vniSlots;
        this.vtepSlots = vtepSlots;
    }

    public int vniSlots()
    {
        return vniSlots;
    }

    public int vtepSlots()
    {
        return vtepSlots;
    }

    int length()
    {
        return vniSlots * VNI_FIELDS + vtepSlots * VTEP_FIELDS + DropReason.count();
    }

    int vni(final int slot, final int field)
    {
        return slot * VNI_FIELDS + field;
    }

    int vtep(final int index, final int field)
    {
        return vniSlots * VNI_FIELDS + index * VTEP_FIELDS + field;
    }

    int globalDrop(final DropReason reason)
    {
        return vniSlots * VNI_FIELDS + vtepSlots * VTEP_FIELDS + reason.ordinal();
    }
}
