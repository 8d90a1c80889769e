package io.vtep.fdb;

import java.util.Locale;

/**
 * Where an FDB entry came from. The origin decides whether the entry ages and whether
 * data-plane learning may overwrite it: {@link #LOCAL} and {@link #REMOTE} are learned from
 * packets, age out and move; {@link #STATIC} (configuration) and {@link #EVPN} (BGP EVPN
 * control plane, RFC 7432) never age and are never overwritten by data-plane learning.
 */
public enum Origin
{
    /** Learned from the access side: source MAC of a frame received on an attachment. */
    LOCAL,
    /** Learned from the overlay: inner source MAC of a VXLAN packet from a remote VTEP. */
    REMOTE,
    /** Configured. */
    STATIC,
    /** Imported from the BGP EVPN control plane (a MAC/IP advertisement route). */
    EVPN;

    private static final Origin[] VALUES = values();

    /** The constant's name in lower case, words joined by "-": one spelling for configuration, labels and output. */
    private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /**
     * @return the lower-case name used in metrics labels and CLI output: {@code local},
     * {@code remote}, {@code static}, {@code evpn}.
     */
    public String label()
    {
        return label;
    }

    /**
     * @return true for the origins learned from packets, which age out and which data-plane
     * learning may overwrite (a MAC move).
     */
    public boolean isLearned()
    {
        return this == LOCAL || this == REMOTE;
    }

    /**
     * Same as {@code values()[ordinal]} without allocating a copy of the values.
     *
     * @param ordinal of the origin.
     * @return the origin.
     */
    static Origin fromOrdinal(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
