package io.vtep.core.config;

import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;

/**
 * The {@code vtep:} section: how this VTEP appears on the underlay.
 *
 * @param localIp     VTEP source address (IPv4 or IPv6)
 * @param udpPort     VXLAN UDP destination port, 4789 by default (IANA, RFC 7348 §5)
 * @param underlayMtu largest outer IP packet; larger encapsulated frames are dropped, never fragmented
 * @param sourcePorts range the per-flow outer UDP source port is spread over (RFC 7348 §5)
 * @param ttl         outer TTL / hop limit for unicast (multicast always uses 1)
 */
public record UnderlayConfig(
    VtepAddress localIp,
    int udpPort,
    int underlayMtu,
    SourcePortRange sourcePorts,
    int ttl)
{
}
