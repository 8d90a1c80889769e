package io.vtep.core.config;

/**
 * BUM storm control of an access port or a VNI ({@code storm-control:}): token-bucket rates in
 * packets per second for broadcast, multicast and unknown-unicast frames; 0 = no limit for that kind.
 *
 * @param broadcast      frames to ff:ff:ff:ff:ff:ff per second
 * @param multicast      frames to other group addresses per second
 * @param unknownUnicast unicast frames to MACs the FDB does not know per second
 * @param burst          frames of a kind let through at once after a quiet spell; 0 = one second's worth of its rate
 */
public record StormControlConfig(long broadcast, long multicast, long unknownUnicast, long burst)
{
    /** No storm control: the default. */
    public static final StormControlConfig OFF = new StormControlConfig(0, 0, 0, 0);

    public boolean isOff()
    {
        return broadcast == 0 && multicast == 0 && unknownUnicast == 0;
    }
}
