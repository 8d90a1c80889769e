package io.vtep.core.api;

/**
 * Unfreezes a MAC that EVPN duplicate detection froze (RFC 7432 §15.1), as FRR's
 * {@code clear evpn dup-addr vni N mac M}: {@code DELETE /api/v1/bgp/duplicates} and
 * {@code vtep bgp clear-duplicate}. Implemented by the EVPN control plane.
 */
@FunctionalInterface
public interface DuplicateMacs
{
    /**
     * @param vni the VNI.
     * @param mac the MAC, low 48 bits.
     * @return whether that MAC was frozen in that VNI (and now is not).
     */
    boolean clear(int vni, long mac);
}
