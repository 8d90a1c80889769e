package io.vtep.core.port;

import java.io.IOException;

import io.vtep.core.config.PortDriver;

/** Opens an access port with the configured driver. */
public final class AccessPorts
{
    private AccessPorts()
    {
    }

    public static AccessPort open(final String interfaceName, final PortDriver driver) throws IOException
    {
        return open(interfaceName, driver, false);
    }

    /** @param receiveRing af-packet only: receive through a memory-mapped ring ({@code dataplane.access-ring}). */
    public static AccessPort open(final String interfaceName, final PortDriver driver, final boolean receiveRing) throws IOException
    {
        return switch (driver)
        {
            case AF_PACKET -> AfPacketPort.open(interfaceName, receiveRing);
            case PCAP -> PcapPort.open(interfaceName);
        };
    }
}
