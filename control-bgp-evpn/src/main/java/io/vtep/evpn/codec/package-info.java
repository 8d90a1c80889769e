/**
 * The BGP-4 and EVPN wire codec, laid out like GoBGP's {@code packet/bgp}: every message
 * ({@link io.vtep.evpn.codec.BgpMessage}), path attribute ({@link io.vtep.evpn.codec.attr}) and
 * NLRI ({@link io.vtep.evpn.codec.nlri}) decodes from and encodes to octets and round-trips.
 * Start at {@link io.vtep.evpn.codec.BgpCodec}. No sockets, no state: the FSM and RIB build on it.
 */
package io.vtep.evpn.codec;
