package io.vtep.core.lacp;

import java.util.StringJoiner;

/**
 * The Actor_State / Partner_State octet of a LACPDU (IEEE 802.1AX-2014 §6.4.2.3, items m and u):
 * one bit per variable, bit 0 first.
 */
public final class LacpState
{
    /** Active LACP (1) or passive (0). */
    public static final int ACTIVITY = 1;
    /** Short timeout (1: wants a LACPDU every second) or long (0: every 30 s). */
    public static final int TIMEOUT = 1 << 1;
    /** The link may be aggregated (1) or is an individual link (0). */
    public static final int AGGREGATION = 1 << 2;
    /** The link is attached to the right aggregator (in sync). */
    public static final int SYNCHRONIZATION = 1 << 3;
    public static final int COLLECTING = 1 << 4;
    public static final int DISTRIBUTING = 1 << 5;
    /** The partner information in use is the administrative default, not from a LACPDU. */
    public static final int DEFAULTED = 1 << 6;
    /** The receive machine is in the EXPIRED state. */
    public static final int EXPIRED = 1 << 7;

    private static final String[] NAMES = {"activity", "timeout", "aggregation", "synchronization", "collecting",
        "distributing", "defaulted", "expired"};

    private LacpState()
    {
    }

    public static boolean has(final int state, final int bit)
    {
        return (state & bit) != 0;
    }

    /** The bits set, by name, in bit order ({@code "activity aggregation synchronization"}), for logs and the API. */
    public static String describe(final int state)
    {
        final StringJoiner names = new StringJoiner(" ");
        for (int bit = 0; bit < NAMES.length; bit++)
        {
            if ((state & (1 << bit)) != 0)
            {
                names.add(NAMES[bit]);
            }
        }
        return names.toString();
    }

    /** The names of the bits set, as {@link #describe} lists them. */
    public static java.util.List<String> names(final int state)
    {
        final java.util.List<String> names = new java.util.ArrayList<>();
        for (int bit = 0; bit < NAMES.length; bit++)
        {
            if ((state & (1 << bit)) != 0)
            {
                names.add(NAMES[bit]);
            }
        }
        return names;
    }
}
