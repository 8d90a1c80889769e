package io.vtep.evpn.multihoming;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.vtep.evpn.codec.nlri.EthernetSegmentId;

/**
 * One local Ethernet segment as the control plane needs it: the access port that is its link, its
 * ESI, how its designated forwarder is elected, and which VNIs (EVIs) and FDB attachments it carries.
 *
 * @param port          the access port (its name): the segment is up while this port is operationally up.
 * @param esi           the segment's identifier, the same on every gateway attached to it.
 * @param algorithm     DF election algorithm.
 * @param preference    our DF preference (RFC 8584 §4.1), with {@link DfAlgorithm#PREFERENCE}.
 * @param electionTime  the DF election timer (RFC 7432 §8.5, 3 s by default).
 * @param singleActive  single-active redundancy (RFC 7432 §7.5 ESI label flag).
 * @param vnis          the VNIs mapped on the port: an A-D per EVI route and a DF election each.
 * @param attachments   the FDB attachment ids of the port's VLANs: MACs learned there are on the segment.
 */
public record EthernetSegmentSettings(String port, EthernetSegmentId esi, DfAlgorithm algorithm, int preference, Duration electionTime,
    boolean singleActive, List<Integer> vnis, Set<Integer> attachments)
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
}
