package io.vtep.encap;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * The Internet checksum: the 16-bit one's complement of the one's complement sum of 16-bit
 * words (RFC 1071), with the pseudo-headers that UDP adds over IPv4 (RFC 768) and IPv6
 * (RFC 8200 §8.1), and incremental update (RFC 1624).
 *
 * <p>Sums are passed around as "partial sums": folded to 16 bits but not yet complemented,
 * so pieces computed separately (pseudo-header, header, payload) combine by addition, in any
 * order (RFC 1071 §2(B), commutativity and associativity). {@link #finish} turns a partial sum
 * into the value written on the wire. Only the last piece of a chain may have an odd length:
 * an odd length is padded with a zero byte at the end (RFC 1071 §4.1).
 */
public final class Checksum
{
    /** A partial sum over data that carries a correct checksum (RFC 1071 §1, "all ones"). */
    public static final int VALID_SUM = 0xFFFF;

    private Checksum()
    {
    }

    /**
     * One's complement sum of {@code length} bytes, added to {@code initial}.
     *
     * @param buffer  holding the data.
     * @param offset  of the first byte.
     * @param length  in bytes; only the last piece of a chain may be odd.
     * @param initial partial sum to add to, 0 to start; read as an unsigned 32-bit value.
     * @return the sum folded to 16 bits, not complemented.
     */
    public static int partialSum(final DirectBuffer buffer, final int offset, final int length, final int initial)
    {
        // Sum 32-bit halves of 64-bit reads into a long and fold once at the end: 2^16 = 1
        // mod 0xFFFF, so wider words give the same one's complement sum (RFC 1071 §2(B),
        // "deferred carries"). Each iteration adds under 2^33, so the long cannot overflow for
        // any int length.
        long sum = initial & 0xFFFF_FFFFL;
        int i = 0;
        for (final int end8 = length - 7; i < end8; i += 8)
        {
            final long word = buffer.getLong(offset + i, ByteOrder.BIG_ENDIAN);
            sum += (word >>> 32) + (word & 0xFFFF_FFFFL);
        }

        if (length - i >= 4)
        {
            sum += buffer.getInt(offset + i, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
            i += 4;
        }

        if (length - i >= 2)
        {
            sum += buffer.getShort(offset + i, ByteOrder.BIG_ENDIAN) & 0xFFFFL;
            i += 2;
        }

        if (length - i == 1)
        {
            // The missing low byte of the last word counts as zero (RFC 1071 §4.1).
            sum += (buffer.getByte(offset + i) & 0xFFL) << 8;
        }

        return fold(sum);
    }

    /**
     * Folds and complements a partial sum into the checksum field value.
     *
     * @param sum partial sum, read as an unsigned 32-bit value.
     * @return the 16-bit checksum to write.
     */
    public static int finish(final int sum)
    {
        return ~fold(sum & 0xFFFF_FFFFL) & 0xFFFF;
    }

    /**
     * One's complement addition of two partial sums.
     *
     * @param a partial sum.
     * @param b partial sum.
     * @return a + b folded to 16 bits.
     */
    public static int add(final int a, final int b)
    {
        return fold((a & 0xFFFF_FFFFL) + (b & 0xFFFF_FFFFL));
    }

    /**
     * Partial sum of the UDP/TCP pseudo-header over IPv4 (RFC 768): source address,
     * destination address, zero, protocol, and the transport length.
     *
     * @param source      IPv4 source address.
     * @param destination IPv4 destination address.
     * @param protocol    IP protocol number, 17 for UDP.
     * @param length      length of the transport header plus payload.
     * @return the partial sum.
     */
    public static int ipv4PseudoHeaderSum(final int source, final int destination, final int protocol, final int length)
    {
        final long sum = (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF) +
            (long)protocol + (length & 0xFFFF);
        return fold(sum);
    }

    /**
     * Partial sum of the IPv4 pseudo-header, taking the addresses from an IPv4 header.
     *
     * @param buffer     holding the IPv4 header.
     * @param ipv4Offset of the IPv4 header.
     * @param protocol   IP protocol number, 17 for UDP.
     * @param length     length of the transport header plus payload.
     * @return the partial sum.
     */
    public static int ipv4PseudoHeaderSum(
        final DirectBuffer buffer, final int ipv4Offset, final int protocol, final int length)
    {
        return ipv4PseudoHeaderSum(
            buffer.getInt(ipv4Offset + Ipv4Header.SOURCE_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN),
            buffer.getInt(ipv4Offset + Ipv4Header.DESTINATION_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN),
            protocol,
            length);
    }

    /**
     * Partial sum of the upper-layer pseudo-header over IPv6 (RFC 8200 §8.1): source address,
     * destination address, 32-bit upper-layer length, 24 zero bits and the next header value.
     * Taken from the fixed header, so it is only right without a Routing header (RFC 8200 §8.1
     * wants the final destination then), which vtep never sends.
     *
     * @param buffer     holding the IPv6 header.
     * @param ipv6Offset of the IPv6 header.
     * @param protocol   upper-layer protocol, 17 for UDP.
     * @param length     upper-layer packet length.
     * @return the partial sum.
     */
    public static int ipv6PseudoHeaderSum(
        final DirectBuffer buffer, final int ipv6Offset, final int protocol, final int length)
    {
        final int addresses = partialSum(buffer, ipv6Offset + Ipv6Header.SOURCE_ADDRESS_OFFSET, 32, 0);
        return fold((long)addresses + (length >>> 16) + (length & 0xFFFF) + protocol);
    }

    /**
     * Partial sum of an address or any 32-bit value as two 16-bit words.
     *
     * @param value such as an IPv4 address.
     * @return the partial sum.
     */
    public static int sum(final int value)
    {
        return fold((long)(value >>> 16) + (value & 0xFFFF));
    }

    /**
     * Partial sum of a 128-bit value, such as an IPv6 address, given as two halves.
     *
     * @param high first 8 bytes.
     * @param low  last 8 bytes.
     * @return the partial sum.
     */
    public static int sum(final long high, final long low)
    {
        return fold((high >>> 32) + (high & 0xFFFF_FFFFL) + (low >>> 32) + (low & 0xFFFF_FFFFL));
    }

    /**
     * Incremental update of a checksum field when covered data changes (RFC 1624 §3, eqn. 3:
     * {@code HC' = ~(~HC + ~m + m')}), which avoids summing the whole packet again.
     *
     * @param checksum the checksum field value now on the wire.
     * @param oldSum   partial sum of the covered words before the change.
     * @param newSum   partial sum of the same words after the change.
     * @return the new checksum field value.
     */
    public static int update(final int checksum, final int oldSum, final int newSum)
    {
        final long sum = (~checksum & 0xFFFFL) + (~fold(oldSum & 0xFFFF_FFFFL) & 0xFFFFL) + (newSum & 0xFFFF_FFFFL);
        return ~fold(sum) & 0xFFFF;
    }

    /**
     * Does an IPv4 header carry a correct header checksum? Summing the header with its
     * checksum field gives all ones when it does (RFC 1071 §1).
     *
     * @param buffer holding the header.
     * @param offset of the IPv4 header.
     * @param length bytes available from {@code offset}; the IHL must fit in them.
     * @return true when the IHL is sane, fits, and the checksum verifies.
     */
    public static boolean isValidIpv4Header(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < Ipv4Header.LENGTH)
        {
            return false;
        }

        final int headerLength = (buffer.getByte(offset) & 0xF) << 2;
        return headerLength >= Ipv4Header.LENGTH &&
            headerLength <= length &&
            partialSum(buffer, offset, headerLength, 0) == VALID_SUM;
    }

    /**
     * Does a transport segment (header plus payload) carry a correct checksum, given its
     * pseudo-header sum?
     *
     * @param buffer          holding the segment.
     * @param offset          of the transport header.
     * @param length          of header plus payload.
     * @param pseudoHeaderSum from {@link #ipv4PseudoHeaderSum} or {@link #ipv6PseudoHeaderSum}.
     * @return true when the sum over everything is all ones.
     */
    public static boolean isValid(
        final DirectBuffer buffer, final int offset, final int length, final int pseudoHeaderSum)
    {
        return partialSum(buffer, offset, length, pseudoHeaderSum) == VALID_SUM;
    }

    private static int fold(final long value)
    {
        long sum = value;
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)sum;
    }
}
