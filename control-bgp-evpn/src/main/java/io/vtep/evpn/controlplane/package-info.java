/**
 * The EVPN control plane of the VTEP: what joins BGP EVPN routes to the FDB. Import of type-2 and
 * type-3 routes into the FDB and flood lists (RFC 7432 §9–§11, RFC 8365 §5), export of local MACs and
 * flood membership, MAC locations with mobility and duplicate detection (RFC 7432 §15, decided in
 * {@code io.vtep.evpn.mobility}), the control thread that runs them, and read-only views of the RIB.
 * {@link io.vtep.evpn.controlplane.EvpnControlPlane} is the entry point and maps the other classes.
 *
 * <p>Formerly {@code io.vtep.evpn.vtep}, a name that said little in a project called vtep.
 */
package io.vtep.evpn.controlplane;
