package io.vtep.core.pipeline;

import io.vtep.encap.MacAddress;

/**
 * BUM storm control for one access port or one VNI: a {@link TokenBucket} each for broadcast,
 * multicast and unknown-unicast frames (any of them may be absent: no limit for that kind). Known
 * unicast never gets here. Lock-free and allocation-free; shared by every forwarding thread, so the
 * rate is the port's or VNI's whatever the number of pipelines.
 */
public final class StormControl
{
    private final TokenBucket broadcast;
    private final TokenBucket multicast;
    private final TokenBucket unknownUnicast;

    /**
     * @param broadcast      packets per second, 0 for no limit
     * @param multicast      packets per second, 0 for no limit
     * @param unknownUnicast packets per second, 0 for no limit
     * @param burst          packets each kind may send at once; 0: one second's worth of its rate
     * @param nowNanos       the data path's clock now (the FDB clock): the buckets start full
     */
    public StormControl(final long broadcast, final long multicast, final long unknownUnicast, final long burst,
        final long nowNanos)
    {
        this.broadcast = bucket(broadcast, burst, nowNanos);
        this.multicast = bucket(multicast, burst, nowNanos);
        this.unknownUnicast = bucket(unknownUnicast, burst, nowNanos);
    }

    private static TokenBucket bucket(final long rate, final long burst, final long nowNanos)
    {
        return rate == 0 ? null : new TokenBucket(rate, burst > 0 ? burst : rate, nowNanos);
    }

    /**
     * @param destination the frame's destination MAC; it is flooded (group address, or unicast
     *                    unknown to the FDB)
     * @param nowNanos    read once per batch
     * @return true when the frame may be flooded, false when its kind is over its rate
     */
    public boolean admit(final long destination, final long nowNanos)
    {
        final TokenBucket bucket = MacAddress.isBroadcast(destination) ? broadcast :
            MacAddress.isGroup(destination) ? multicast : unknownUnicast;
        return bucket == null || bucket.tryTake(nowNanos);
    }
}
