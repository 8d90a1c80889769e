package io.vtep.encap;

/**
 * Layout of a UDP header (RFC 768).
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |        Destination Port       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |             Length            |            Checksum           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The checksum covers a pseudo-header, this header and the payload: see {@link Checksum}.
 * Zero means "no checksum" over IPv4 (RFC 768), which is why a computed zero is sent as
 * {@code 0xFFFF}; over IPv6 a zero checksum is invalid (RFC 8200 §8.1) except for tunnels
 * that opt in per RFC 6935/6936.
 *
 * <p>Constants only: the offsets and values the data path reads and writes with. The test
 * sources' {@code UdpHeaderView} decodes and builds the header field by field, an
 * independent check of what the data path wrote (package documentation).
 */
public final class UdpHeader
{
    public static final int LENGTH = 8;
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;

    /** IANA-assigned VXLAN port (RFC 7348 §5). Linux defaults to 8472 unless told otherwise. */
    public static final int VXLAN_PORT = 4789;

    private UdpHeader()
    {
    }
}
