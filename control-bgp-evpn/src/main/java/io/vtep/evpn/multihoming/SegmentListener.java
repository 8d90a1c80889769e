package io.vtep.evpn.multihoming;

/** Told, on the EVPN control thread, each time a local Ethernet segment's state changes (the data plane applies it). */
@FunctionalInterface
public interface SegmentListener
{
    /** @param segment the segment's new state. */
    void segmentChanged(EthernetSegmentView segment);
}
