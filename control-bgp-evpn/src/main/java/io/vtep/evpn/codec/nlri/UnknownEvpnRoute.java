package io.vtep.evpn.codec.nlri;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.Octets;

/**
 * An EVPN route of a type this codec does not know, kept whole so that it round-trips. A RIB
 * discards it (RFC 7606 §5.4).
 *
 * @param routeType the route type octet.
 * @param value     the route-type-specific octets.
 */
public record UnknownEvpnRoute(int routeType, Octets value) implements EvpnRoute
{
    /** Checks the sizes. */
    public UnknownEvpnRoute
    {
        if (routeType < 0 || routeType > 255 || value.length() > 255)
        {
            throw new IllegalArgumentException("route type " + routeType + " / length " + value.length() + " out of range");
        }
    }

    @Override
    public EvpnRouteKey key()
    {
        return new EvpnRouteKey.Unknown(routeType, value);
    }

    @Override
    public int valueLength()
    {
        return value.length();
    }

    @Override
    public void encodeValue(final ByteBuf out)
    {
        value.writeTo(out);
    }

    @Override
    public String toString()
    {
        return "type " + routeType + " " + value;
    }
}
