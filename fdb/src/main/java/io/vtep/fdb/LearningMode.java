package io.vtep.fdb;

import java.util.Locale;

/**
 * How a VNI learns MAC addresses.
 *
 * <table>
 *   <caption>what is learned per mode</caption>
 *   <tr><th>mode</th><th>access side (src MAC → attachment)</th><th>overlay (inner src MAC → remote VTEP)</th></tr>
 *   <tr><td>{@link #DATA_PLANE}</td><td>yes</td><td>yes (flood-and-learn, RFC 7348 §4)</td></tr>
 *   <tr><td>{@link #EVPN}</td><td>yes (the control plane advertises it)</td><td>no: remote MACs come from BGP EVPN routes</td></tr>
 *   <tr><td>{@link #NONE}</td><td>no</td><td>no</td></tr>
 * </table>
 *
 * <p>Static and EVPN entries can be installed in every mode.
 */
public enum LearningMode
{
    DATA_PLANE,
    EVPN,
    NONE;

    /** The constant's name in lower case, words joined by "-": one spelling for configuration, labels and output. */
    private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /**
     * @return the configuration spelling: {@code data-plane}, {@code evpn} or {@code none}.
     */
    public String label()
    {
        return label;
    }

    /**
     * @return true when frames from the access side teach source MACs.
     */
    public boolean learnsLocal()
    {
        return this != NONE;
    }

    /**
     * @return true when VXLAN packets from the overlay teach inner source MACs.
     */
    public boolean learnsRemote()
    {
        return this == DATA_PLANE;
    }

    /**
     * Parses the configuration spelling (the {@code learning:} key of a VNI).
     *
     * @param text {@code data-plane}, {@code evpn} or {@code none}.
     * @return the mode.
     * @throws IllegalArgumentException naming the text and the accepted values.
     */
    public static LearningMode parse(final String text)
    {
        for (final LearningMode mode : values())
        {
            if (mode.label.equals(text))
            {
                return mode;
            }
        }

        throw new IllegalArgumentException(
            "unknown learning mode \"" + text + "\" (expected data-plane, evpn or none)");
    }
}
