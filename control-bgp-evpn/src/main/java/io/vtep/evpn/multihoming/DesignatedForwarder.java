package io.vtep.evpn.multihoming;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Designated-forwarder election for one Ethernet segment and one VNI: pure functions of the
 * segment's VTEPs (from the type-4 routes, ours included). Only the DF sends BUM from the overlay
 * onto the segment, so the server gets one copy (RFC 7432 §8.5).
 */
public final class DesignatedForwarder
{
    /** The numerically lowest address first, IPv4 before IPv6 (RFC 7432 §8.5 "in increasing numeric value"). */
    public static final Comparator<InetAddress> ADDRESS_ORDER = Comparator.<InetAddress>comparingInt(address -> address.getAddress().length)
        .thenComparing(InetAddress::getAddress, Arrays::compareUnsigned);

    private DesignatedForwarder()
    {
    }

    /**
     * A VTEP on the segment, as its type-4 route shows it.
     *
     * @param vtep       its originating router's address.
     * @param preference its DF preference (RFC 8584 §4.1; 32767 when it sent none, FRR's default).
     */
    public record Candidate(InetAddress vtep, int preference)
    {
    }

    /**
     * @param algorithm  the segment's algorithm (all VTEPs of a segment must agree; RFC 8584 §2.2
     *                   says to fall back to modulo when they do not, which the caller decides).
     * @param candidates the segment's VTEPs, ours included; order does not matter.
     * @param vni        the VNI (the Ethernet tag of VLAN-based service, RFC 8365 §5.1.2).
     * @return the DF's address, or null when there are no candidates.
     */
    public static InetAddress elect(final DfAlgorithm algorithm, final Collection<Candidate> candidates, final int vni)
    {
        if (candidates.isEmpty())
        {
            return null;
        }
        return switch (algorithm)
        {
            case MODULO -> modulo(candidates, vni);
            case PREFERENCE -> preference(candidates);
        };
    }

    /**
     * RFC 7432 §8.5: the N VTEPs ordered by address, numbered 0..N-1; the DF for VLAN V is number
     * (V mod N). With VXLAN the VNI plays the VLAN's part (VLAN-based service, one EVI per VNI, RFC 8365 §5.1.2).
     */
    private static InetAddress modulo(final Collection<Candidate> candidates, final int vni)
    {
        final List<InetAddress> ordered = new ArrayList<>(candidates.size());
        for (final Candidate candidate : candidates)
        {
            ordered.add(candidate.vtep());
        }
        ordered.sort(ADDRESS_ORDER);
        return ordered.get(Integer.remainderUnsigned(vni, ordered.size()));
    }

    /** RFC 8584 §4.1: the highest preference; among equal ones the lowest address (the "high" variant, FRR's). */
    private static InetAddress preference(final Collection<Candidate> candidates)
    {
        Candidate best = null;
        for (final Candidate candidate : candidates)
        {
            if (best == null || candidate.preference() > best.preference() ||
                candidate.preference() == best.preference() && ADDRESS_ORDER.compare(candidate.vtep(), best.vtep()) < 0)
            {
                best = candidate;
            }
        }
        return best.vtep();
    }
}
