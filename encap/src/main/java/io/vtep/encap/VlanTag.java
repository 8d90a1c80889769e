package io.vtep.encap;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * IEEE 802.1Q VLAN tag, handled as static operations on a whole frame because a tag is
 * inserted into, or removed from, the middle of an Ethernet header: it sits between the
 * source MAC and the EtherType of the untagged frame.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |             Destination MAC Address and Source MAC Address    |
 *   ~                          (12 bytes)                           ~
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         TPID = 0x8100         | PCP |D|         VID           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |    EtherType of the payload   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                                    \______ TCI _______________/
 *   PCP: priority code point (802.1p), D: drop eligible indicator, VID: VLAN identifier
 * </pre>
 *
 * <p>VXLAN carries untagged frames: RFC 7348 §6.1 says a VTEP SHOULD NOT include an inner VLAN
 * tag on tunnel packets, and SHOULD discard decapsulated frames that carry one, unless
 * configured otherwise. So the access side strips on ingress and inserts on egress. Both moves copy only the 12 address bytes: the payload never moves.
 */
public final class VlanTag
{
    /** Bytes a tag adds to a frame. */
    public static final int LENGTH = 4;
    /** Tag protocol identifier of a customer VLAN tag. */
    public static final int TPID = 0x8100;
    /** Offset of the TPID from the start of the frame. */
    public static final int TPID_OFFSET = 12;
    /** Offset of the TCI from the start of the frame. */
    public static final int TCI_OFFSET = 14;
    /** Offset of the payload's EtherType from the start of a tagged frame. */
    public static final int ETHER_TYPE_OFFSET = 16;
    /** Length of an Ethernet header with one tag. */
    public static final int TAGGED_HEADER_LENGTH = EthernetHeader.LENGTH + LENGTH;

    public static final int VLAN_ID_MASK = 0x0FFF;
    /** VID 0 means "priority tag only, no VLAN"; 4095 is reserved (802.1Q table 9-2). */
    public static final int MAX_VLAN_ID = 4094;

    private static final int ADDRESSES_LENGTH = 2 * MacAddress.LENGTH;

    private VlanTag()
    {
    }

    /**
     * @param buffer      holding the frame.
     * @param frameOffset of the first byte of the frame; the frame must hold at least
     *                    {@link EthernetHeader#LENGTH} bytes.
     * @return true when the frame carries an 802.1Q tag.
     */
    public static boolean isTagged(final DirectBuffer buffer, final int frameOffset)
    {
        return (buffer.getShort(frameOffset + TPID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF) == TPID;
    }

    /**
     * @param buffer      holding a tagged frame of at least {@link #TAGGED_HEADER_LENGTH} bytes.
     * @param frameOffset of the first byte of the frame.
     * @return the 16-bit tag control information.
     */
    public static int tci(final DirectBuffer buffer, final int frameOffset)
    {
        return buffer.getShort(frameOffset + TCI_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer      holding a tagged frame of at least {@link #TAGGED_HEADER_LENGTH} bytes.
     * @param frameOffset of the first byte of the frame.
     * @return the VLAN identifier, the low 12 bits of the TCI.
     */
    public static int vlanId(final DirectBuffer buffer, final int frameOffset)
    {
        return tci(buffer, frameOffset) & VLAN_ID_MASK;
    }

    /**
     * @param tci tag control information.
     * @return the 3-bit priority code point.
     */
    public static int priority(final int tci)
    {
        return (tci >>> 13) & 0x7;
    }

    /**
     * Builds a TCI.
     *
     * @param priority      3-bit priority code point.
     * @param dropEligible  the DEI bit.
     * @param vlanId        12-bit VLAN identifier.
     * @return the 16-bit tag control information.
     */
    public static int tci(final int priority, final boolean dropEligible, final int vlanId)
    {
        return ((priority & 0x7) << 13) | (dropEligible ? 0x1000 : 0) | (vlanId & VLAN_ID_MASK);
    }

    /**
     * Removes the tag by moving the 12 address bytes 4 bytes forward over it. The payload
     * stays where it is and the frame becomes 4 bytes shorter.
     *
     * @param buffer      holding a tagged frame (check {@link #isTagged} first).
     * @param frameOffset of the first byte of the tagged frame.
     * @return the offset of the untagged frame, {@code frameOffset + 4}.
     */
    public static int strip(final MutableDirectBuffer buffer, final int frameOffset)
    {
        // The source and destination overlap; reading both words before writing keeps the
        // copy correct without relying on memmove semantics.
        final long first8 = buffer.getLong(frameOffset, ByteOrder.BIG_ENDIAN);
        final int last4 = buffer.getInt(frameOffset + 8, ByteOrder.BIG_ENDIAN);
        final int newOffset = frameOffset + LENGTH;
        buffer.putLong(newOffset, first8, ByteOrder.BIG_ENDIAN);
        buffer.putInt(newOffset + 8, last4, ByteOrder.BIG_ENDIAN);
        return newOffset;
    }

    /**
     * Inserts a tag by moving the 12 address bytes 4 bytes back and writing the TPID and
     * {@code tci} in the gap. The caller guarantees 4 bytes of headroom before
     * {@code frameOffset}; the frame becomes 4 bytes longer.
     *
     * @param buffer      holding an untagged frame.
     * @param frameOffset of the first byte of the untagged frame.
     * @param tci         tag control information to write.
     * @return the offset of the tagged frame, {@code frameOffset - 4}.
     */
    public static int insert(final MutableDirectBuffer buffer, final int frameOffset, final int tci)
    {
        final long first8 = buffer.getLong(frameOffset, ByteOrder.BIG_ENDIAN);
        final int last4 = buffer.getInt(frameOffset + 8, ByteOrder.BIG_ENDIAN);
        final int newOffset = frameOffset - LENGTH;
        buffer.putLong(newOffset, first8, ByteOrder.BIG_ENDIAN);
        buffer.putInt(newOffset + 8, last4, ByteOrder.BIG_ENDIAN);
        buffer.putInt(newOffset + ADDRESSES_LENGTH, (TPID << 16) | (tci & 0xFFFF), ByteOrder.BIG_ENDIAN);
        return newOffset;
    }
}
