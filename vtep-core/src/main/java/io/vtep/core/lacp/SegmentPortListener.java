package io.vtep.core.lacp;

/**
 * Told when an access port with LACP starts or stops collecting and distributing: the port's
 * link to the server is operational for the Ethernet segment or not. Multihoming connects this to
 * its mass withdrawal (RFC 7432 §8.2: withdraw the Ethernet A-D per ES route when the segment's
 * link goes down). Called on the LACP thread; must neither block nor take long.
 */
@FunctionalInterface
public interface SegmentPortListener
{
    void segmentPortChanged(String port, boolean operational);
}
