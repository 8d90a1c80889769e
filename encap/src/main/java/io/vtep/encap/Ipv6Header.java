package io.vtep.encap;

/**
 * Layout of the fixed IPv6 header (RFC 8200 §3). The data path reads and writes each 128-bit
 * address as two {@code long}s, high half first, so no {@code byte[]} is needed per packet.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version| Traffic Class |           Flow Label                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Payload Length        |  Next Header  |   Hop Limit   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                                                               |
 *   +                                                               +
 *   |                                                               |
 *   +                         Source Address                        +
 *   |                                                               |
 *   +                                                               +
 *   |                                                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                                                               |
 *   +                                                               +
 *   |                                                               |
 *   +                      Destination Address                      +
 *   |                                                               |
 *   +                                                               +
 *   |                                                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Constants only: the offsets and values the data path reads and writes with. The test
 * sources' {@code Ipv6HeaderView} decodes and builds the header field by field, an
 * independent check of what the data path wrote (package documentation).
 */
public final class Ipv6Header
{
    public static final int LENGTH = 40;
    /** Version, traffic class and flow label share the first 32-bit word. */
    public static final int VERSION_CLASS_FLOW_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SOURCE_ADDRESS_OFFSET = 8;
    public static final int DESTINATION_ADDRESS_OFFSET = 24;
    public static final int ADDRESS_LENGTH = 16;

    public static final int VERSION = 6;
    public static final int FLOW_LABEL_MASK = 0xF_FFFF;

    private Ipv6Header()
    {
    }
}
