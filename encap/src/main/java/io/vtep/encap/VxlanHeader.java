package io.vtep.encap;

/**
 * Layout of the VXLAN header (RFC 7348 §5), the 8 bytes between the outer UDP header
 * and the inner Ethernet frame.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |R|R|R|R|I|R|R|R|            Reserved                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                VXLAN Network Identifier (VNI) |   Reserved    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The I flag must be 1 for a valid VNI; the R bits and both reserved fields must be sent
 * as zero and ignored on receipt (RFC 7348 §5); {@link VxlanDecoder} is the receive check.
 *
 * <p>Constants only: the offsets and values the data path reads and writes with. The test
 * sources' {@code VxlanHeaderView} decodes and builds the header field by field, an
 * independent check of what the data path wrote (package documentation).
 */
public final class VxlanHeader
{
    public static final int LENGTH = 8;
    public static final int FLAGS_OFFSET = 0;
    /** The 24-bit reserved field after the flags. */
    public static final int RESERVED1_OFFSET = 1;
    public static final int VNI_OFFSET = 4;
    /** The 8-bit reserved field after the VNI. */
    public static final int RESERVED2_OFFSET = 7;

    /** "I" flag: the VNI is valid (RFC 7348 §5). */
    public static final int FLAG_I = 0x08;
    /** VNIs are 24 bits. */
    public static final int VNI_MASK = 0xFF_FFFF;
    public static final int MAX_VNI = VNI_MASK;

    private VxlanHeader()
    {
    }
}
