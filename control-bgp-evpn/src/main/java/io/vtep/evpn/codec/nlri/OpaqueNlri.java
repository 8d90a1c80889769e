package io.vtep.evpn.codec.nlri;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.Octets;

/**
 * The NLRI field of an address family this codec does not interpret, kept whole.
 *
 * @param octets as received.
 */
public record OpaqueNlri(Octets octets) implements Nlri
{
    @Override
    public void encode(final ByteBuf out)
    {
        octets.writeTo(out);
    }
}
