package io.vtep.core.config;

/** How an access port reads and writes frames. */
public enum PortDriver
{
    /** A raw AF_PACKET socket through Java's FFM API (default). */
    AF_PACKET("af-packet"),
    /** libpcap through FFM: portable; no offload metadata, so hosts sending TCP through it need TSO off. */
    PCAP("pcap");

    private final String configName;

    PortDriver(final String configName)
    {
        this.configName = configName;
    }

    public String configName()
    {
        return configName;
    }

    public static PortDriver fromConfigName(final String name)
    {
        for (final PortDriver driver : values())
        {
            if (driver.configName.equals(name))
            {
                return driver;
            }
        }
        return null;
    }
}
