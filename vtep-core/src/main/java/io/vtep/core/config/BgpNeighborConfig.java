package io.vtep.core.config;

import io.vtep.encap.VtepAddress;

/**
 * One BGP neighbor under {@code bgp.neighbors}.
 *
 * @param address          the neighbor's address; sessions are opened to it and accepted only from it
 * @param remoteAs         its AS; equal to bgp.asn means iBGP (route reflectors are configured on their side)
 * @param port             its TCP port, 179 by default
 * @param passive          only accept the session, never open it
 * @param holdTimeSeconds  hold time offered in OPEN: 0 (no keepalives) or 3..65535, 90 by default (RFC 4271 §10)
 * @param updateSource     source address of the connections vtep opens; null = the kernel's choice
 * @param description      free text shown by {@code bgp summary}; may be empty
 */
public record BgpNeighborConfig(
    VtepAddress address,
    long remoteAs,
    int port,
    boolean passive,
    int holdTimeSeconds,
    VtepAddress updateSource,
    String description)
{
    /** RFC 4271 §10 suggests 90 s; FRR uses 180 s unless configured. */
    public static final int DEFAULT_HOLD_TIME = 90;
}
