package io.vtep.encap;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an Ethernet II header (IEEE 802.3 clause 3.2.6, DIX framing). The preamble
 * and FCS are not part of what a packet socket or VXLAN carries, so the header is 14 bytes
 * and the payload follows directly. An 802.1Q tag, when present, sits where the EtherType
 * would be: see {@link VlanTag}.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                     Destination MAC Address                   |
 *   +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                               |                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *   |                       Source MAC Address                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           EtherType           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Setters need the wrapped buffer to be a {@link MutableDirectBuffer}; wrapping a read-only
 * {@link DirectBuffer} gives a read-only view.
 *
 * <p>The data path uses only the offset constants; the instance view is for tests and
 * diagnostics (package documentation).
 */
public final class EthernetHeader
{
    /** Header length without an 802.1Q tag. */
    public static final int LENGTH = 14;
    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    public static final int ETHER_TYPE_OFFSET = 12;

    public static final int ETHER_TYPE_IPV4 = 0x0800;
    public static final int ETHER_TYPE_ARP = 0x0806;
    public static final int ETHER_TYPE_IPV6 = 0x86DD;
    /** IEEE 802.1Q tag protocol identifier, see {@link VlanTag}. */
    public static final int ETHER_TYPE_VLAN = 0x8100;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    /**
     * Points this flyweight at a header.
     *
     * @param buffer holding the frame; writable if it is a {@link MutableDirectBuffer}.
     * @param offset of the first byte of the frame.
     * @return this for chaining.
     */
    public EthernetHeader wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer instanceof MutableDirectBuffer mutable ? mutable : null;
        this.offset = offset;
        return this;
    }

    /**
     * Is there room for a whole header? Ethernet itself has no other invariant to check.
     *
     * @param length of the frame in bytes.
     * @return true when at least {@link #LENGTH} bytes are present.
     */
    public static boolean isValid(final int length)
    {
        return length >= LENGTH;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    /**
     * @return offset of the payload that follows the EtherType (no 802.1Q tag assumed).
     */
    public int payloadOffset()
    {
        return offset + LENGTH;
    }

    public long destinationMac()
    {
        return MacAddress.get(buffer, offset + DESTINATION_OFFSET);
    }

    public EthernetHeader destinationMac(final long mac)
    {
        MacAddress.put(mutableBuffer, offset + DESTINATION_OFFSET, mac);
        return this;
    }

    public long sourceMac()
    {
        return MacAddress.get(buffer, offset + SOURCE_OFFSET);
    }

    public EthernetHeader sourceMac(final long mac)
    {
        MacAddress.put(mutableBuffer, offset + SOURCE_OFFSET, mac);
        return this;
    }

    /**
     * @return the EtherType, or {@link #ETHER_TYPE_VLAN} for a tagged frame.
     */
    public int etherType()
    {
        return buffer.getShort(offset + ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public EthernetHeader etherType(final int etherType)
    {
        mutableBuffer.putShort(offset + ETHER_TYPE_OFFSET, (short)etherType, ByteOrder.BIG_ENDIAN);
        return this;
    }
}
