package io.vtep.core.config;

/** {@code ports[].lacp.mode}: LACP_Activity (IEEE 802.1AX-2014 §6.4.2.3), or no LACP at all. */
public enum LacpMode
{
    ACTIVE("active"), PASSIVE("passive"), OFF("off");

    private final String label;

    LacpMode(final String label)
    {
        this.label = label;
    }

    public String label()
    {
        return label;
    }

    /** @return null for an unknown name */
    static LacpMode fromConfigName(final String name)
    {
        for (final LacpMode mode : values())
        {
            if (mode.label.equals(name))
            {
                return mode;
            }
        }
        return null;
    }
}
