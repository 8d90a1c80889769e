package io.vtep.core.pipeline;

import java.util.Arrays;

import io.vtep.metrics.DropReason;

/**
 * What an attachment on an Ethernet segment lets through from the overlay (EVPN multihoming):
 * broadcast, multicast and unknown unicast only when this gateway is the segment's designated
 * forwarder in the VNI (RFC 7432 §8.5), and never when it came from a VTEP that is attached to the
 * same segment (local bias, RFC 8365 §8.3.1: that VTEP delivered it there already). Known unicast
 * is not filtered (aliasing sends it to any gateway of the segment). Immutable: the control plane
 * publishes a new one when the DF or the segment's VTEPs change, so the data path reads one
 * reference and a few array elements, allocation-free.
 */
public final class SegmentFilter
{
    private final boolean designatedForwarder;
    /** Remote VTEP indexes of the segment's other VTEPs, sorted. */
    private final int[] segmentVteps;

    /**
     * @param designatedForwarder whether this gateway is the DF of the segment in the attachment's VNI.
     * @param segmentVteps        {@code RemoteVtep} indexes of the other VTEPs on the segment.
     */
    public SegmentFilter(final boolean designatedForwarder, final int[] segmentVteps)
    {
        this.designatedForwarder = designatedForwarder;
        this.segmentVteps = segmentVteps.clone();
        Arrays.sort(this.segmentVteps);
    }

    /**
     * @param sourceVtep the sending VTEP's index, or -1 when unknown.
     * @return null when a BUM copy from that VTEP goes onto the segment; else why not.
     */
    DropReason bumFromOverlay(final int sourceVtep)
    {
        if (sourceVtep >= 0 && Arrays.binarySearch(segmentVteps, sourceVtep) >= 0)
        {
            return DropReason.LOCAL_BIAS;
        }
        return designatedForwarder ? null : DropReason.NOT_DESIGNATED_FORWARDER;
    }

    /** @return whether this gateway is the DF in the attachment's VNI. */
    public boolean isDesignatedForwarder()
    {
        return designatedForwarder;
    }
}
