/**
 * The BGP EVPN control plane (RFC 7432, RFC 8365): a BGP-4 speaker with the L2VPN/EVPN address
 * family that imports type-2 and type-3 routes into the FDB and advertises local MACs and flood
 * membership. So far: the codec, {@link io.vtep.evpn.codec}.
 */
package io.vtep.evpn;
