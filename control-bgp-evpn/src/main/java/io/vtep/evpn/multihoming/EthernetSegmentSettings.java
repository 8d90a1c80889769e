package io.vtep.evpn.multihoming;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.vtep.evpn.codec.nlri.EthernetSegmentId;

/**
 * One local Ethernet segment as the control plane needs it: the access port that is its link, its
 * ESI, how its designated forwarder is elected, and which VNIs (EVIs) and FDB attachments it carries.
 * A segment is a whole port, or one VLAN of a port (RFC 7432 §5: an ES is a set of links, which may
 * be a port's VLAN, i.e. a logical link); a port's segments all go up and down with the port.
 *
 * @param port          the access port (its name): the segment is up while this port is operationally up.
 * @param esi           the segment's identifier, the same on every gateway attached to it.
 * @param algorithm     DF election algorithm.
 * @param preference    our DF preference (RFC 8584 §4.1), with {@link DfAlgorithm#PREFERENCE}.
 * @param electionTime  the DF election timer (RFC 7432 §8.5, 3 s by default).
 * @param singleActive  single-active redundancy (RFC 7432 §7.5 ESI label flag).
 * @param vnis          the VNIs mapped on the port: an A-D per EVI route and a DF election each.
 * @param attachments   the FDB attachment ids of the port's VLANs: MACs learned there are on the segment.
 * @param vlan          the port's VLAN (1..4094) the segment is, or null for a segment of the whole port.
 */
public record EthernetSegmentSettings(String port, EthernetSegmentId esi, DfAlgorithm algorithm, int preference, Duration electionTime,
    boolean singleActive, List<Integer> vnis, Set<Integer> attachments, Integer vlan)
{
    /** Checks the fields and copies the collections. */
    public EthernetSegmentSettings
    {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(esi, "esi");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(electionTime, "electionTime");
        if (esi.isReserved())
        {
            throw new IllegalArgumentException("ESI " + esi + " is reserved (RFC 7432 section 5)");
        }
        vnis = List.copyOf(vnis);
        attachments = Set.copyOf(attachments);
    }

    /** A segment of the whole port. */
    public EthernetSegmentSettings(final String port, final EthernetSegmentId esi, final DfAlgorithm algorithm, final int preference,
        final Duration electionTime, final boolean singleActive, final List<Integer> vnis, final Set<Integer> attachments)
    {
        this(port, esi, algorithm, preference, electionTime, singleActive, vnis, attachments, null);
    }
}
