package io.vtep.encap;

import static io.vtep.encap.VxlanHeader.FLAGS_OFFSET;
import static io.vtep.encap.VxlanHeader.FLAG_I;
import static io.vtep.encap.VxlanHeader.LENGTH;
import static io.vtep.encap.VxlanHeader.RESERVED2_OFFSET;
import static io.vtep.encap.VxlanHeader.VNI_MASK;
import static io.vtep.encap.VxlanHeader.VNI_OFFSET;

import org.agrona.DirectBuffer;

/**
 * A view over the VXLAN header laid out by {@link VxlanHeader} (RFC 7348 §5). The R bits and
 * both reserved fields must be sent as zero (RFC 7348 §5), so the setters write whole 32-bit
 * words: {@link #flags(int)} zeroes the first reserved field and {@link #vni(int)} the second.
 */
final class VxlanHeaderView extends HeaderView<VxlanHeaderView>
{
    VxlanHeaderView()
    {
        super(LENGTH);
    }

    /**
     * The header is complete and its I flag is set; everything else is ignored on receipt.
     * {@link VxlanDecoder#decode}, the data path's check, also requires an inner Ethernet
     * header to follow.
     *
     * @param buffer holding the UDP payload.
     * @param offset of the VXLAN header.
     * @param length bytes available from {@code offset}.
     * @return true when a VNI can be read.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= LENGTH && (new VxlanHeaderView().wrap(buffer, offset).flags() & FLAG_I) != 0;
    }

    public int flags()
    {
        return uint8(FLAGS_OFFSET);
    }

    /**
     * Writes the flags byte and zeroes the 24 reserved bits that follow it.
     *
     * @param flags normally {@link VxlanHeader#FLAG_I}.
     * @return this for chaining.
     */
    public VxlanHeaderView flags(final int flags)
    {
        return int32(FLAGS_OFFSET, (flags & 0xFF) << 24);
    }

    /**
     * @return the 24 reserved bits after the flags; ignored on receipt.
     */
    public int reserved1()
    {
        return int32(FLAGS_OFFSET) & 0xFF_FFFF;
    }

    /**
     * @return the 24-bit VXLAN network identifier.
     */
    public int vni()
    {
        return int32(VNI_OFFSET) >>> 8;
    }

    /**
     * Writes the VNI (masked to 24 bits) and zeroes the reserved byte after it.
     *
     * @param vni 0..16777215.
     * @return this for chaining.
     */
    public VxlanHeaderView vni(final int vni)
    {
        return int32(VNI_OFFSET, (vni & VNI_MASK) << 8);
    }

    /**
     * @return the 8 reserved bits after the VNI; ignored on receipt.
     */
    public int reserved2()
    {
        return uint8(RESERVED2_OFFSET);
    }
}
