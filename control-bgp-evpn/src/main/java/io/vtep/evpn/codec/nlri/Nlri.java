package io.vtep.evpn.codec.nlri;

import io.netty.buffer.ByteBuf;

/**
 * What MP_REACH_NLRI and MP_UNREACH_NLRI carry (RFC 4760 §3, §4): EVPN routes for AFI 25 / SAFI 70,
 * and the raw octets for any other address family, which vtep does not negotiate and only has to
 * carry through a decode/encode round trip.
 */
public sealed interface Nlri permits EvpnRoute, OpaqueNlri
{
    /** @param out the NLRI encoding is written at its writer index. */
    void encode(ByteBuf out);
}
