package io.vtep.metrics.export;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;

/**
 * Registers the data-path counters of a {@link CounterSnapshotSource} with a Micrometer registry as
 * {@link FunctionCounter}s: the data path keeps bumping its plain per-thread fields and nothing
 * changes there; a scrape reads the sums through the functions registered here.
 *
 * <p>Series exist only for what the caller binds: a configured VNI (its counter slot), a remote
 * VTEP of the remote VTEP table (its index, when the layout has a row for it), and the drops that
 * have no VNI. Nothing a packet carries (a bogus VNI, a spoofed source) can create a series.
 * Every drop reason is registered up front, so a series never appears in the middle of a run and
 * {@code rate()} starts from zero.
 *
 * <p>Registration is thread-safe (Micrometer's). Bind each VNI and VTEP once: a second binding
 * returns the existing meters, but Micrometer logs a warning for it.
 */
public final class DataPathMeters
{
    // Micrometer names; the Prometheus naming convention adds the unit (when the name does not already
    // end with it) and "_total": vtep.vni.rx.bytes + unit bytes -> vtep_vni_rx_bytes_total.
    public static final String VNI_RX_PACKETS = "vtep.vni.rx.packets";
    public static final String VNI_RX_BYTES = "vtep.vni.rx.bytes";
    public static final String VNI_TX_PACKETS = "vtep.vni.tx.packets";
    public static final String VNI_TX_BYTES = "vtep.vni.tx.bytes";
    public static final String VNI_FLOOD_PACKETS = "vtep.vni.flood.packets";
    public static final String VNI_SUPPRESS_ANSWERED = "vtep.vni.suppression.answered";
    public static final String VNI_SUPPRESS_FLOODED = "vtep.vni.suppression.flooded";
    public static final String VNI_DROPS = "vtep.vni.drops";
    public static final String DROPS = "vtep.drops";
    public static final String REMOTE_VTEP_RX_PACKETS = "vtep.remote.vtep.rx.packets";
    public static final String REMOTE_VTEP_RX_BYTES = "vtep.remote.vtep.rx.bytes";
    public static final String REMOTE_VTEP_TX_PACKETS = "vtep.remote.vtep.tx.packets";
    public static final String REMOTE_VTEP_TX_BYTES = "vtep.remote.vtep.tx.bytes";

    public static final String VNI = "vni";
    public static final String SIDE = "side";
    public static final String REASON = "reason";
    public static final String VTEP = "vtep";

    private static final String PACKETS = "packets";
    private static final String BYTES = "bytes";

    private final MeterRegistry registry;
    /** Held here as well: Micrometer keeps only a weak reference to a function counter's object. */
    private final CounterSnapshotSource source;

    public DataPathMeters(final MeterRegistry registry, final CounterSnapshotSource source)
    {
        this.registry = registry;
        this.source = source;
    }

    public CounterSnapshotSource source()
    {
        return source;
    }

    /**
     * Registers rx/tx packets and bytes per side, floods and drops per reason of one configured VNI.
     *
     * @param slot the VNI's counter slot ({@code VniContext.slot()}), below the layout's VNI slots
     * @param vni  the 24-bit VNI, the {@code vni} label
     */
    public void bindVni(final int slot, final int vni)
    {
        if (slot < 0 || slot >= source.layout().vniSlots())
        {
            throw new IllegalArgumentException("VNI " + vni + ": counter slot " + slot + " outside 0.." +
                (source.layout().vniSlots() - 1));
        }
        final String label = Integer.toString(vni);
        for (final Side side : Side.values())
        {
            final Tags tags = Tags.of(VNI, label, SIDE, side.label());
            counter(VNI_RX_PACKETS, PACKETS, "Frames received in a VNI, by the side they came from (inner frame, " +
                "802.1Q tag included on the access side)", tags, s -> s.vniRxPackets(slot, side));
            counter(VNI_RX_BYTES, BYTES, "Bytes of the frames received in a VNI, by side (inner frame; on the access " +
                "side as on the wire, tag included)", tags, s -> s.vniRxBytes(slot, side));
            counter(VNI_TX_PACKETS, PACKETS, "Frames sent in a VNI, by the side they went to (one per copy)", tags,
                s -> s.vniTxPackets(slot, side));
            counter(VNI_TX_BYTES, BYTES, "Bytes of the frames sent in a VNI, by side (inner frame; on the access " +
                "side as on the wire, tag included)", tags, s -> s.vniTxBytes(slot, side));
        }
        counter(VNI_FLOOD_PACKETS, PACKETS, "Broadcast, unknown-unicast and multicast frames of a VNI flooded " +
            "(once per frame, whatever the number of copies)", Tags.of(VNI, label), s -> s.vniFloodPackets(slot));
        counter(VNI_SUPPRESS_ANSWERED, PACKETS, "ARP requests and IPv6 neighbour solicitations of a VNI answered by " +
            "vtep from its neighbour table (ARP/ND suppression, RFC 7432 §10) instead of flooded", Tags.of(VNI, label),
            s -> s.vniSuppressAnswered(slot));
        counter(VNI_SUPPRESS_FLOODED, PACKETS, "ARP requests and IPv6 neighbour solicitations of a VNI with ARP/ND " +
            "suppression on that were flooded because no binding for the target was known", Tags.of(VNI, label),
            s -> s.vniSuppressFlooded(slot));
        for (final DropReason reason : DropReason.values())
        {
            counter(VNI_DROPS, null, "Packets of a VNI dropped, by reason", Tags.of(VNI, label, REASON, reason.label()),
                s -> s.vniDrops(slot, reason));
        }
    }

    /** Registers the drops that have no VNI ({@code vtep_drops_total{reason}}), every reason. */
    public void bindGlobalDrops()
    {
        for (final DropReason reason : DropReason.values())
        {
            counter(DROPS, null, "Packets dropped before a configured VNI was known (malformed, unknown VNI, " +
                "unknown VLAN, ...), by reason", Tags.of(REASON, reason.label()), s -> s.drops(reason));
        }
    }

    /**
     * Registers rx/tx packets and bytes of one remote VTEP.
     *
     * @param index   its remote VTEP table index
     * @param address its underlay address, the {@code vtep} label
     * @return false (and nothing registered) when the counter layout has no row for that index
     */
    public boolean bindRemoteVtep(final int index, final String address)
    {
        return bindRemoteVtep(index, address, null);
    }

    /**
     * Registers rx/tx packets and bytes of one remote VTEP, counting from a baseline: a remote VTEP
     * index can be reused after ageing removed the VTEP that held it, and the per-thread counters of
     * the index still hold the old VTEP's counts, so the new VTEP's series subtract what the index
     * had counted when the old VTEP was removed ({@link #remoteVtepCounts}, taken then).
     *
     * @param index    its remote VTEP table index
     * @param address  its underlay address, the {@code vtep} label
     * @param baseline the index's counts when its previous VTEP left, or null for a first holder
     * @return false (and nothing registered) when the counter layout has no row for that index
     */
    public boolean bindRemoteVtep(final int index, final String address, final double[] baseline)
    {
        if (index < 0 || index >= source.layout().vtepSlots())
        {
            return false;
        }
        final Tags tags = Tags.of(VTEP, address);
        final double[] from = baseline != null ? baseline.clone() : new double[4];
        counter(REMOTE_VTEP_RX_PACKETS, PACKETS, "VXLAN packets received from a remote VTEP for a configured VNI", tags,
            s -> s.vtepRxPackets(index) - from[0]);
        counter(REMOTE_VTEP_RX_BYTES, BYTES, "Bytes of the VXLAN packets received from a remote VTEP (outer IP " +
            "header onwards)", tags, s -> s.vtepRxBytes(index) - from[1]);
        counter(REMOTE_VTEP_TX_PACKETS, PACKETS, "VXLAN packets sent to a remote VTEP (unicast and head-end copies)",
            tags, s -> s.vtepTxPackets(index) - from[2]);
        counter(REMOTE_VTEP_TX_BYTES, BYTES, "Bytes of the VXLAN packets sent to a remote VTEP (outer IP header " +
            "onwards)", tags, s -> s.vtepTxBytes(index) - from[3]);
        return true;
    }

    /**
     * @param index a remote VTEP index
     * @return its rx packets, rx bytes, tx packets, tx bytes so far: the baseline of its next holder
     */
    public double[] remoteVtepCounts(final int index)
    {
        if (index < 0 || index >= source.layout().vtepSlots())
        {
            return new double[4];
        }
        return new double[] {source.vtepRxPackets(index), source.vtepRxBytes(index), source.vtepTxPackets(index),
            source.vtepTxBytes(index)};
    }

    /**
     * Removes the series of a remote VTEP that left the remote VTEP table (aged out), so spoofed
     * sources do not leave series behind.
     *
     * @param address its underlay address, the {@code vtep} label
     */
    public void unbindRemoteVtep(final String address)
    {
        for (final String name : new String[] {REMOTE_VTEP_RX_PACKETS, REMOTE_VTEP_RX_BYTES, REMOTE_VTEP_TX_PACKETS,
            REMOTE_VTEP_TX_BYTES})
        {
            for (final Meter meter : registry.find(name).tag(VTEP, address).meters())
            {
                registry.remove(meter);
            }
        }
    }

    private void counter(final String name, final String unit, final String description, final Tags tags,
        final ToDoubleFunction<CounterSnapshotSource> value)
    {
        FunctionCounter.builder(name, source, value).baseUnit(unit).description(description).tags(tags).register(registry);
    }
}
