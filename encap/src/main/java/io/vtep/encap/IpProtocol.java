package io.vtep.encap;

/**
 * IANA "Assigned Internet Protocol Numbers" used by this module: the IPv4 Protocol field
 * (RFC 791 §3.1) and the IPv6 Next Header field (RFC 8200 §3) share one registry.
 */
public final class IpProtocol
{
    /** IPv6 Hop-by-Hop Options extension header (RFC 8200 §4.3). */
    public static final int HOP_BY_HOP = 0;
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    /** IPv6 Routing extension header (RFC 8200 §4.4). */
    public static final int ROUTING = 43;
    /** IPv6 Fragment extension header (RFC 8200 §4.5). */
    public static final int FRAGMENT = 44;
    public static final int ICMPV6 = 58;
    /** IPv6 Destination Options extension header (RFC 8200 §4.6). */
    public static final int DESTINATION_OPTIONS = 60;
    public static final int SCTP = 132;

    private IpProtocol()
    {
    }

    /**
     * @param protocol IP protocol number.
     * @return true for the transports whose first 4 bytes are a source and destination port.
     */
    public static boolean hasPorts(final int protocol)
    {
        return protocol == TCP || protocol == UDP || protocol == SCTP;
    }
}
