package io.vtep.metrics;

import java.util.Locale;

/** Which side of the VTEP a packet was received on or sent to: the {@code side} label. */
public enum Side
{
    /** Access ports facing bare-metal servers. */
    ACCESS,
    /** The VXLAN overlay (underlay UDP). */
    OVERLAY;

    /** The constant's name in lower case, words joined by "-": one spelling for configuration, labels and output. */
    private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

    public String label()
    {
        return label;
    }
}
