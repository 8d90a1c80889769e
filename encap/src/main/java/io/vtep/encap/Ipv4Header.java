package io.vtep.encap;

/**
 * Layout of an IPv4 header (RFC 791 §3.1; the TOS byte is DSCP + ECN per RFC 2474 and
 * RFC 3168).
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version|  IHL  |   DSCP    |ECN|          Total Length         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Identification        |Flags|      Fragment Offset    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Time to Live |    Protocol   |         Header Checksum       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       Source Address                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Destination Address                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Options (IHL > 5)                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   Flags: bit 0 reserved (zero), DF don't fragment, MF more fragments
 * </pre>
 *
 * <p>Constants only: the offsets and values the data path reads and writes with. The test
 * sources' {@code Ipv4HeaderView} decodes and builds the header field by field, an
 * independent check of what the data path wrote (package documentation).
 */
public final class Ipv4Header
{
    /** Length of a header without options (IHL 5). */
    public static final int LENGTH = 20;
    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int HEADER_CHECKSUM_OFFSET = 10;
    public static final int SOURCE_ADDRESS_OFFSET = 12;
    public static final int DESTINATION_ADDRESS_OFFSET = 16;

    public static final int VERSION = 4;
    /** IHL of a header without options, in 32-bit words. */
    public static final int MIN_IHL = 5;
    /** Don't Fragment, in the 16-bit flags + fragment offset field. */
    public static final int FLAG_DF = 0x4000;
    /** More Fragments, in the 16-bit flags + fragment offset field. */
    public static final int FLAG_MF = 0x2000;
    /** Fragment offset in 8-byte units, in the 16-bit flags + fragment offset field. */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private Ipv4Header()
    {
    }
}
