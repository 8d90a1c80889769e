package io.vtep.encap;

import static io.vtep.encap.EthernetHeader.DESTINATION_OFFSET;
import static io.vtep.encap.EthernetHeader.ETHER_TYPE_OFFSET;
import static io.vtep.encap.EthernetHeader.LENGTH;
import static io.vtep.encap.EthernetHeader.SOURCE_OFFSET;

/**
 * A view over an Ethernet II header laid out by {@link EthernetHeader}; no 802.1Q tag is
 * assumed, so the payload starts {@link EthernetHeader#LENGTH} bytes in.
 */
final class EthernetHeaderView extends HeaderView<EthernetHeaderView>
{
    EthernetHeaderView()
    {
        super(LENGTH);
    }

    /**
     * Is there room for a whole header? Ethernet itself has no other invariant to check.
     *
     * @param length of the frame in bytes.
     * @return true when at least {@link EthernetHeader#LENGTH} bytes are present.
     */
    public static boolean isValid(final int length)
    {
        return length >= LENGTH;
    }

    public long destinationMac()
    {
        return MacAddress.get(buffer(), offset() + DESTINATION_OFFSET);
    }

    public EthernetHeaderView destinationMac(final long mac)
    {
        MacAddress.put(writable(), offset() + DESTINATION_OFFSET, mac);
        return this;
    }

    public long sourceMac()
    {
        return MacAddress.get(buffer(), offset() + SOURCE_OFFSET);
    }

    public EthernetHeaderView sourceMac(final long mac)
    {
        MacAddress.put(writable(), offset() + SOURCE_OFFSET, mac);
        return this;
    }

    /**
     * @return the EtherType, or {@link EthernetHeader#ETHER_TYPE_VLAN} for a tagged frame.
     */
    public int etherType()
    {
        return uint16(ETHER_TYPE_OFFSET);
    }

    public EthernetHeaderView etherType(final int etherType)
    {
        return uint16(ETHER_TYPE_OFFSET, etherType);
    }
}
