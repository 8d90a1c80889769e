package io.vtep.metrics;

/** Which side of the VTEP a packet was received on or sent to: the {@code side} label. */
public enum Side
{
    /** Access ports facing bare-metal servers. */
    ACCESS("access"),
    /** The VXLAN overlay (underlay UDP). */
    OVERLAY("overlay");

    private final String label;

    Side(final String label)
    {
        this.label = label;
    }

    public String label()
    {
        return label;
    }
}
