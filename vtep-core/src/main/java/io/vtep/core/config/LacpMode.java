package io.vtep.core.config;

/** {@code ports[].lacp.mode}: LACP_Activity (IEEE 802.1AX-2014 §6.4.2.3), or no LACP at all. */
public enum LacpMode
{
    ACTIVE, PASSIVE, OFF;

    private final String label = ConfigWords.of(this);

    public String label()
    {
        return label;
    }

    /** @return null for an unknown name */
    static LacpMode fromConfigName(final String name)
    {
        return ConfigWords.parse(LacpMode.class, name);
    }
}
