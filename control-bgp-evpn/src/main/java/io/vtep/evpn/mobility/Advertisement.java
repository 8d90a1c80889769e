package io.vtep.evpn.mobility;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A MAC's location as one MAC/IP Advertisement route gives it, with what RFC 7432 §15 orders
 * locations by: the MAC Mobility extended community (§7.7) and the advertising VTEP.
 *
 * @param sequence the MAC Mobility sequence number, 0..2^32-1 (0 when the community is absent).
 * @param sticky   the community's sticky/static flag (§15.2).
 * @param vtep     the VTEP that advertises it (the route's next hop).
 */
public record Advertisement(long sequence, boolean sticky, InetAddress vtep)
{
    /** The largest sequence number: the community carries 4 octets. */
    public static final long MAX_SEQUENCE = 0xFFFF_FFFFL;

    /** Checks the fields. */
    public Advertisement
    {
        Objects.requireNonNull(vtep, "vtep");
        if (sequence < 0 || sequence > MAX_SEQUENCE)
        {
            throw new IllegalArgumentException("sequence " + sequence + " out of range 0..4294967295");
        }
    }
}
