package io.vtep.evpn.multihoming;

import java.util.OptionalInt;

/**
 * The VNI the data plane maps an FDB attachment (a port and VLAN) to: which of a segment's
 * attachments a MAC of the segment that another gateway advertises in a VNI is installed on ("MAC
 * sync", RFC 7432 §8.4). Asked on the EVPN control thread.
 */
@FunctionalInterface
public interface SegmentAttachments
{
    /**
     * @param attachment an attachment id of {@link EthernetSegmentSettings#attachments()}.
     * @return its VNI, or empty when there is no such attachment (any more).
     */
    OptionalInt vniOf(int attachment);
}
