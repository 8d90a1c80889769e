package io.vtep.evpn.mobility;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * The RFC 7432 §15 order of two advertisements of one MAC, the part of the EVPN best-path
 * decision that comes before BGP's own: sticky first (§15.2), then the higher sequence number,
 * then, between equal sequence numbers from different VTEPs, the lowest VTEP address (§15.1).
 */
public final class MobilityOrder
{
    private MobilityOrder()
    {
    }

    /**
     * @param sequenceA sequence of the first advertisement.
     * @param stickyA   whether it is sticky.
     * @param vtepA     its VTEP.
     * @param sequenceB sequence of the second.
     * @param stickyB   whether it is sticky.
     * @param vtepB     its VTEP.
     * @return negative when the first is the MAC's location, positive when the second is, 0 when
     *     RFC 7432 does not tell them apart (same VTEP, same sequence and flag).
     */
    public static int compare(final long sequenceA, final boolean stickyA, final InetAddress vtepA,
        final long sequenceB, final boolean stickyB, final InetAddress vtepB)
    {
        // §15.2: a sticky (static) MAC is never displaced by a non-sticky advertisement.
        if (stickyA != stickyB)
        {
            return stickyA ? -1 : 1;
        }
        // §15.1: the higher sequence number is the newer location. The sequence is 4 octets,
        // compared as an unsigned number; it never wraps here (see MacMobility.nextSequence).
        if (sequenceA != sequenceB)
        {
            return sequenceA > sequenceB ? -1 : 1;
        }
        // §15.1: equal sequence numbers from two VTEPs: the lowest IP address wins, so that every
        // VTEP settles on the same location.
        return compareAddresses(vtepA, vtepB);
    }

    /**
     * @param a the first.
     * @param b the second.
     * @return {@link #compare} of the two.
     */
    public static int compare(final Advertisement a, final Advertisement b)
    {
        return compare(a.sequence(), a.sticky(), a.vtep(), b.sequence(), b.sticky(), b.vtep());
    }

    /**
     * @param a an address.
     * @param b another.
     * @return unsigned octet order, IPv4 before IPv6; {@code null} last.
     */
    public static int compareAddresses(final InetAddress a, final InetAddress b)
    {
        if (a == null || b == null)
        {
            return a == b ? 0 : a == null ? 1 : -1;
        }
        final byte[] x = a.getAddress();
        final byte[] y = b.getAddress();
        if (x.length != y.length)
        {
            return Integer.compare(x.length, y.length);
        }
        return Arrays.compareUnsigned(x, y);
    }
}
