package io.vtep.encap;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * Validates the VXLAN header at the start of a UDP payload and extracts the VNI; the receive
 * half of RFC 7348 §5 in one call, with failures reported as negative codes so the caller can
 * count a drop without an exception.
 *
 * <p>Receive rules: the I flag must be set; the other flag bits and both reserved fields are
 * ignored, as RFC 7348 §5 requires. (The Linux kernel's {@code vxlan_rcv} deliberately diverges
 * and drops packets with unknown flags or reserved bits set, to protect its extensions such as
 * GBP and RCO; vtep speaks plain VXLAN and follows the RFC.) The inner frame starts at
 * {@code offset + 8} and is {@code length - 8} bytes long; it must hold at least an Ethernet
 * header. The VNI is not checked against configuration here: that is the caller's
 * "unknown VNI" drop.
 */
public final class VxlanDecoder
{
    /** The payload cannot hold a VXLAN header and an inner Ethernet header. */
    public static final int MALFORMED = -1;
    /** The I flag is clear, so the VNI field is not valid (RFC 7348 §5). */
    public static final int FLAGS = -2;

    /** Shortest payload that decodes: VXLAN header plus an inner Ethernet header. */
    public static final int MIN_LENGTH = VxlanHeader.LENGTH + EthernetHeader.LENGTH;
    /** Offset of the inner frame from the start of the UDP payload. */
    public static final int INNER_FRAME_OFFSET = VxlanHeader.LENGTH;

    private VxlanDecoder()
    {
    }

    /**
     * @param buffer holding the UDP payload.
     * @param offset of the UDP payload (the VXLAN header).
     * @param length of the UDP payload in bytes.
     * @return the VNI (0..0xFFFFFF) when valid, else {@link #MALFORMED} or {@link #FLAGS}.
     */
    public static int decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MIN_LENGTH)
        {
            return MALFORMED;
        }

        if ((buffer.getByte(offset + VxlanHeader.FLAGS_OFFSET) & VxlanHeader.FLAG_I) == 0)
        {
            return FLAGS;
        }

        // Top 24 bits of the second word; the reserved low byte falls off the shift.
        return buffer.getInt(offset + VxlanHeader.VNI_OFFSET, ByteOrder.BIG_ENDIAN) >>> 8;
    }
}
