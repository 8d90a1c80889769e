package io.vtep.encap;

import static io.vtep.encap.Ipv4Header.DESTINATION_ADDRESS_OFFSET;
import static io.vtep.encap.Ipv4Header.FLAGS_FRAGMENT_OFFSET_OFFSET;
import static io.vtep.encap.Ipv4Header.FLAG_DF;
import static io.vtep.encap.Ipv4Header.FLAG_MF;
import static io.vtep.encap.Ipv4Header.FRAGMENT_OFFSET_MASK;
import static io.vtep.encap.Ipv4Header.HEADER_CHECKSUM_OFFSET;
import static io.vtep.encap.Ipv4Header.IDENTIFICATION_OFFSET;
import static io.vtep.encap.Ipv4Header.LENGTH;
import static io.vtep.encap.Ipv4Header.PROTOCOL_OFFSET;
import static io.vtep.encap.Ipv4Header.SOURCE_ADDRESS_OFFSET;
import static io.vtep.encap.Ipv4Header.TOS_OFFSET;
import static io.vtep.encap.Ipv4Header.TOTAL_LENGTH_OFFSET;
import static io.vtep.encap.Ipv4Header.TTL_OFFSET;
import static io.vtep.encap.Ipv4Header.VERSION;
import static io.vtep.encap.Ipv4Header.VERSION_IHL_OFFSET;

import org.agrona.DirectBuffer;

/**
 * A view over an IPv4 header laid out by {@link Ipv4Header} (RFC 791 §3.1), options included
 * in {@link #headerLength()}. Setters do not update the header checksum: call
 * {@link #updateHeaderChecksum()} after the last change.
 */
final class Ipv4HeaderView extends HeaderView<Ipv4HeaderView>
{
    Ipv4HeaderView()
    {
        super(LENGTH);
    }

    /**
     * Checks what a receiver must check before trusting the lengths (RFC 1122 §3.2.1.1-2):
     * version 4, IHL at least 5, and a total length that covers the header and fits in the
     * bytes received (trailing Ethernet padding is allowed). The checksum is checked
     * separately by {@link Checksum#isValidIpv4Header}.
     *
     * @param buffer holding the packet.
     * @param offset of the IPv4 header.
     * @param length bytes available from {@code offset}.
     * @return true when the header and the lengths it claims are consistent.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < LENGTH)
        {
            return false;
        }

        final Ipv4HeaderView header = new Ipv4HeaderView().wrap(buffer, offset);
        final int totalLength = header.totalLength();

        return header.version() == VERSION &&
            header.headerLength() >= LENGTH &&
            totalLength >= header.headerLength() &&
            totalLength <= length;
    }

    public int version()
    {
        return uint8(VERSION_IHL_OFFSET) >>> 4;
    }

    /**
     * @return Internet Header Length in 32-bit words.
     */
    public int ihl()
    {
        return uint8(VERSION_IHL_OFFSET) & 0xF;
    }

    /**
     * Writes version and IHL together: they share a byte.
     *
     * @param version 4.
     * @param ihl     header length in 32-bit words.
     * @return this for chaining.
     */
    public Ipv4HeaderView versionAndIhl(final int version, final int ihl)
    {
        return uint8(VERSION_IHL_OFFSET, (version << 4) | (ihl & 0xF));
    }

    /**
     * @return header length in bytes, {@code ihl() * 4}, options included.
     */
    @Override
    public int headerLength()
    {
        return ihl() << 2;
    }

    /**
     * @return the whole former TOS byte: DSCP in the upper 6 bits, ECN in the lower 2
     *         (RFC 2474, RFC 3168).
     */
    public int tos()
    {
        return uint8(TOS_OFFSET);
    }

    public Ipv4HeaderView tos(final int tos)
    {
        return uint8(TOS_OFFSET, tos);
    }

    public int dscp()
    {
        return tos() >>> 2;
    }

    public int ecn()
    {
        return tos() & 0x3;
    }

    /**
     * @return length of header plus payload in bytes.
     */
    public int totalLength()
    {
        return uint16(TOTAL_LENGTH_OFFSET);
    }

    public Ipv4HeaderView totalLength(final int totalLength)
    {
        return uint16(TOTAL_LENGTH_OFFSET, totalLength);
    }

    public int identification()
    {
        return uint16(IDENTIFICATION_OFFSET);
    }

    public Ipv4HeaderView identification(final int identification)
    {
        return uint16(IDENTIFICATION_OFFSET, identification);
    }

    /**
     * @return the 16-bit field holding the 3 flag bits and the 13-bit fragment offset.
     */
    public int flagsAndFragmentOffset()
    {
        return uint16(FLAGS_FRAGMENT_OFFSET_OFFSET);
    }

    public Ipv4HeaderView flagsAndFragmentOffset(final int value)
    {
        return uint16(FLAGS_FRAGMENT_OFFSET_OFFSET, value);
    }

    public boolean dontFragment()
    {
        return (flagsAndFragmentOffset() & FLAG_DF) != 0;
    }

    public boolean moreFragments()
    {
        return (flagsAndFragmentOffset() & FLAG_MF) != 0;
    }

    /**
     * @return fragment offset in 8-byte units; non-zero for every fragment but the first.
     */
    public int fragmentOffset()
    {
        return flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK;
    }

    public int ttl()
    {
        return uint8(TTL_OFFSET);
    }

    public Ipv4HeaderView ttl(final int ttl)
    {
        return uint8(TTL_OFFSET, ttl);
    }

    public int protocol()
    {
        return uint8(PROTOCOL_OFFSET);
    }

    public Ipv4HeaderView protocol(final int protocol)
    {
        return uint8(PROTOCOL_OFFSET, protocol);
    }

    public int headerChecksum()
    {
        return uint16(HEADER_CHECKSUM_OFFSET);
    }

    public Ipv4HeaderView headerChecksum(final int checksum)
    {
        return uint16(HEADER_CHECKSUM_OFFSET, checksum);
    }

    /**
     * Computes the header checksum over {@link #headerLength()} bytes, options included, and
     * writes it (RFC 791 §3.1: the checksum field is taken as zero while computing).
     *
     * @return this for chaining.
     */
    public Ipv4HeaderView updateHeaderChecksum()
    {
        headerChecksum(0);
        return headerChecksum(Checksum.finish(Checksum.partialSum(buffer(), offset(), headerLength(), 0)));
    }

    /**
     * @return the source address, first octet in the most significant byte.
     */
    public int sourceAddress()
    {
        return int32(SOURCE_ADDRESS_OFFSET);
    }

    public Ipv4HeaderView sourceAddress(final int address)
    {
        return int32(SOURCE_ADDRESS_OFFSET, address);
    }

    /**
     * @return the destination address, first octet in the most significant byte.
     */
    public int destinationAddress()
    {
        return int32(DESTINATION_ADDRESS_OFFSET);
    }

    public Ipv4HeaderView destinationAddress(final int address)
    {
        return int32(DESTINATION_ADDRESS_OFFSET, address);
    }
}
