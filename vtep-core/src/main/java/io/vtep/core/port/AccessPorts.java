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
        return switch (driver)
        {
            case AF_PACKET -> AfPacketPort.open(interfaceName);
            case PCAP -> PcapPort.open(interfaceName);
        };
    }
}
