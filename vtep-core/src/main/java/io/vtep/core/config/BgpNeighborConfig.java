package io.vtep.core.config;

import io.vtep.encap.VtepAddress;
import io.vtep.evpn.session.MaximumPrefix;

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
 * @param maximumPrefix    how many routes it may make vtep hold ({@code maximum-prefix}, {@link MaximumPrefix#DEFAULT} if absent)
 * @param password         TCP-MD5 key (RFC 2385, {@code password}); null = none. Never shown: {@link #toString} masks it
 * @param ttlSecurityHops  GTSM (RFC 5082, {@code ttl-security}): the neighbor is at most this many hops away; 0 = off
 */
public record BgpNeighborConfig(
    VtepAddress address,
    long remoteAs,
    int port,
    boolean passive,
    int holdTimeSeconds,
    VtepAddress updateSource,
    String description,
    MaximumPrefix maximumPrefix,
    String password,
    int ttlSecurityHops)
{
    /** RFC 4271 §10 suggests 90 s; FRR uses 180 s unless configured. */
    public static final int DEFAULT_HOLD_TIME = 90;

    /** Never shows the password. */
    @Override
    public String toString()
    {
        return "BgpNeighborConfig[address=" + address + ", remoteAs=" + remoteAs + ", port=" + port + ", passive=" + passive +
            ", holdTimeSeconds=" + holdTimeSeconds + ", updateSource=" + updateSource + ", description=" + description +
            ", maximumPrefix=" + maximumPrefix + ", password=" + (password == null ? "none" : "*****") +
            ", ttlSecurityHops=" + ttlSecurityHops + "]";
    }
}
