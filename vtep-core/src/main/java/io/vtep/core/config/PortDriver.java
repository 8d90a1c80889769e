package io.vtep.core.config;

/** How an access port reads and writes frames. */
public enum PortDriver
{
    /** A raw AF_PACKET socket through Java's FFM API (default). */
    AF_PACKET,
    /** libpcap through FFM: portable; no offload metadata, so hosts sending TCP through it need TSO off. */
    PCAP;

    private final String configName = ConfigWords.of(this);

    public String configName()
    {
        return configName;
    }

    public static PortDriver fromConfigName(final String name)
    {
        return ConfigWords.parse(PortDriver.class, name);
    }
}
