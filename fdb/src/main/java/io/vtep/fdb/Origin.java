package io.vtep.fdb;

/**
 * Where an FDB entry came from. The origin decides whether the entry ages and whether
 * data-plane learning may overwrite it: {@link #LOCAL} and {@link #REMOTE} are learned from
 * packets, age out and move; {@link #STATIC} (configuration) and {@link #EVPN} (BGP EVPN
 * control plane, RFC 7432) never age and are never overwritten by data-plane learning.
 */
public enum Origin
{
    /** Learned from the access side: source MAC of a frame received on an attachment. */
    LOCAL("local"),
    /** Learned from the overlay: inner source MAC of a VXLAN packet from a remote VTEP. */
    REMOTE("remote"),
    /** Configured. */
    STATIC("static"),
    /** Imported from the BGP EVPN control plane (a MAC/IP advertisement route). */
    EVPN("evpn");

    private static final Origin[] VALUES = values();

    private final String label;

    Origin(final String label)
    {
        this.label = label;
    }

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
