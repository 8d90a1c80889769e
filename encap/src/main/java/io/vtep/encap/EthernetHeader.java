package io.vtep.encap;

/**
 * Layout of an Ethernet II header (IEEE 802.3 clause 3.2.6, DIX framing). The preamble
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
 * <p>Constants only: the offsets and values the data path reads and writes with. The test
 * sources' {@code EthernetHeaderView} decodes and builds the header field by field, an
 * independent check of what the data path wrote (package documentation).
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

    private EthernetHeader()
    {
    }
}
