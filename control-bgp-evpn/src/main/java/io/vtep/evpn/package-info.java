/**
 * The BGP EVPN control plane (RFC 7432, RFC 8365): a BGP-4 speaker with the L2VPN/EVPN address
 * family that imports type-2 and type-3 routes into the FDB and advertises local MACs and flood
 * membership. Empty until its issue lands; the module exists so the build layout is final.
 */
package io.vtep.evpn;
