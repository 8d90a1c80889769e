package io.vtep.evpn.codec;

/**
 * An AFI/SAFI pair (RFC 4760 §3; IANA "Address Family Numbers" and "SAFI Values").
 *
 * @param afi  address family identifier, 2 octets.
 * @param safi subsequent address family identifier, 1 octet.
 */
public record AddressFamily(int afi, int safi)
{
    public static final int AFI_IPV4 = 1;
    public static final int AFI_IPV6 = 2;
    /** Layer-2 VPN (RFC 4761, used by EVPN, RFC 7432 §7). */
    public static final int AFI_L2VPN = 25;
    public static final int SAFI_UNICAST = 1;
    /** EVPN (RFC 7432 §7). */
    public static final int SAFI_EVPN = 70;

    /** L2VPN EVPN, the only family vtep negotiates. */
    public static final AddressFamily L2VPN_EVPN = new AddressFamily(AFI_L2VPN, SAFI_EVPN);
    /** IPv4 unicast, the family of the UPDATE's own NLRI and Withdrawn Routes fields. */
    public static final AddressFamily IPV4_UNICAST = new AddressFamily(AFI_IPV4, SAFI_UNICAST);

    /** Checks the field widths. */
    public AddressFamily
    {
        if (afi < 0 || afi > 0xFFFF || safi < 0 || safi > 0xFF)
        {
            throw new IllegalArgumentException("AFI " + afi + " / SAFI " + safi + " out of range");
        }
    }

    /** @return whether this is L2VPN EVPN. */
    public boolean isEvpn()
    {
        return afi == AFI_L2VPN && safi == SAFI_EVPN;
    }

    @Override
    public String toString()
    {
        final String afiName = switch (afi)
        {
            case AFI_IPV4 -> "ipv4";
            case AFI_IPV6 -> "ipv6";
            case AFI_L2VPN -> "l2vpn";
            default -> "afi" + afi;
        };
        final String safiName = switch (safi)
        {
            case SAFI_UNICAST -> "unicast";
            case SAFI_EVPN -> "evpn";
            default -> "safi" + safi;
        };
        return afiName + " " + safiName;
    }
}
