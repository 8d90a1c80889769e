package io.vtep.core.underlay;

import java.io.IOException;

import io.vtep.encap.VtepAddress;

/** Opens the transmitter for the underlay's address family. */
public final class UnderlayTransmitters
{
    private UnderlayTransmitters()
    {
    }

    public static UnderlayTransmitter open(final VtepAddress localAddress, final int ttl) throws IOException
    {
        return localAddress.isIpv6() ? RawIpv6Transmitter.open(localAddress, ttl) : RawIpv4Transmitter.open(localAddress);
    }
}
