package io.vtep.evpn.multihoming;

import java.util.OptionalInt;

/**
 * The data plane's FDB attachment of a segment port in one VNI: where a MAC of the segment that
 * another gateway advertises is installed ("MAC sync", RFC 7432 §8.4). Asked on the EVPN control thread.
 */
@FunctionalInterface
public interface SegmentAttachments
{
    /**
     * @param port the segment's access port.
     * @param vni  a VNI mapped on it.
     * @return the attachment id of the port's VLAN for {@code vni}, or empty when the port does not carry it.
     */
    OptionalInt attachment(String port, int vni);
}
