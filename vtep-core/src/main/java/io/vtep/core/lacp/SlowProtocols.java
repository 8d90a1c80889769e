package io.vtep.core.lacp;

import org.agrona.DirectBuffer;

import io.vtep.encap.EthernetHeader;

/**
 * The IEEE 802.3 Slow Protocols (Annex 57A): LACP and its Marker protocol share one EtherType and
 * one destination address, and a subtype octet tells them apart. Frames to that address are never
 * forwarded by a bridge (IEEE 802.1Q §8.6.3: 01-80-C2-00-00-02 is in the reserved block), so an
 * access port consumes them, LACP or not.
 */
public final class SlowProtocols
{
    /** IEEE 802.3 Annex 57A.4: the Slow Protocols EtherType. */
    public static final int ETHER_TYPE = 0x8809;
    /** IEEE 802.3 Annex 57A.3: the Slow_Protocols_Multicast address, 01-80-C2-00-00-02. */
    public static final long MULTICAST = 0x0180_C200_0002L;
    /** IEEE 802.1AX-2014 §6.4.2.3: the subtype of a LACPDU. */
    public static final int SUBTYPE_LACP = 1;
    /** IEEE 802.1AX-2014 §6.5.3.1: the subtype of a Marker PDU. */
    public static final int SUBTYPE_MARKER = 2;

    private SlowProtocols()
    {
    }

    /**
     * Data path: one 16-bit load. Slow Protocol frames are never VLAN-tagged (Annex 57A.2), so an
     * untagged EtherType is the whole test.
     */
    public static boolean isSlowProtocol(final DirectBuffer buffer, final int frameOffset)
    {
        return (buffer.getShort(frameOffset + EthernetHeader.ETHER_TYPE_OFFSET, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF) ==
            ETHER_TYPE;
    }
}
