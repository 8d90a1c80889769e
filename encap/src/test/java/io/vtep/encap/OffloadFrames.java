package io.vtep.encap;

import java.util.Arrays;

/**
 * Hand-written frames for the offload tests, and a one's complement sum written byte by byte, so
 * the checksums the tests expect do not come from {@link Checksum} (the code under test's).
 */
final class OffloadFrames
{
    static final int TCP = 6;
    static final int UDP = 17;
    static final int HOP_BY_HOP = 0;

    static final int FIN = 0x01;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final int ECE = 0x40;
    static final int CWR = 0x80;

    static final byte[] IPV4_SOURCE = Bytes.of(10, 40, 0, 1);
    static final byte[] IPV4_DESTINATION = Bytes.of(10, 40, 0, 2);
    /** 2001:db8::1 and 2001:db8::2. */
    static final byte[] IPV6_SOURCE = Bytes.of(0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    static final byte[] IPV6_DESTINATION = Bytes.of(0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
    /** TCP options as Linux sends them on an established connection: NOP, NOP, timestamps. */
    static final byte[] TIMESTAMPS = Bytes.of(0x01, 0x01, 0x08, 0x0A, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08);

    private OffloadFrames()
    {
    }

    /** Destination 02:30:00:00:00:02, source 02:30:00:00:00:01, then an 802.1Q tag when {@code tci >= 0}. */
    static byte[] ethernet(final int tci, final int etherType)
    {
        final byte[] addresses = Bytes.of(0x02, 0x30, 0, 0, 0, 0x02, 0x02, 0x30, 0, 0, 0, 0x01);
        final byte[] type = Bytes.of(etherType >>> 8, etherType & 0xFF);
        return tci < 0 ? Bytes.concat(addresses, type) :
            Bytes.concat(addresses, Bytes.of(0x81, 0x00, tci >>> 8, tci & 0xFF), type);
    }

    /**
     * IPv4 header with DF, TTL 64, DSCP/ECN 0x02 and a correct header checksum; {@code options}
     * (a multiple of 4 bytes) raise the IHL.
     */
    static byte[] ipv4(final int totalLength, final int identification, final int protocol, final byte[] options)
    {
        final byte[] header = Bytes.concat(
            Bytes.of(0x40 | (5 + options.length / 4), 0x02, totalLength >>> 8, totalLength & 0xFF,
                identification >>> 8, identification & 0xFF, 0x40, 0x00, 64, protocol, 0, 0),
            IPV4_SOURCE, IPV4_DESTINATION, options);
        putShort(header, 10, ~sum(header) & 0xFFFF);
        return header;
    }

    /** IPv6 header, traffic class 0, flow label 0x12345, hop limit 64. */
    static byte[] ipv6(final int payloadLength, final int nextHeader)
    {
        return Bytes.concat(
            Bytes.of(0x60, 0x01, 0x23, 0x45, payloadLength >>> 8, payloadLength & 0xFF, nextHeader, 64),
            IPV6_SOURCE, IPV6_DESTINATION);
    }

    /** A Hop-by-Hop Options header of {@code length} bytes (a multiple of 8) padded with one PadN. */
    static byte[] hopByHop(final int nextHeader, final int length)
    {
        final byte[] header = new byte[length];
        header[0] = (byte)nextHeader;
        header[1] = (byte)(length / 8 - 1);
        header[2] = 0x01; // PadN
        header[3] = (byte)(length - 4);
        return header;
    }

    /** TCP header from port 43210 to 5201, ack 0x11223344, window 502, with options (a multiple of 4 bytes). */
    static byte[] tcp(final int sequence, final int flags, final byte[] options, final int checksum)
    {
        final int dataOffset = 5 + options.length / 4;
        return Bytes.concat(Bytes.of(
            0xA8, 0xCA, 0x14, 0x51,
            sequence >>> 24, sequence >>> 16 & 0xFF, sequence >>> 8 & 0xFF, sequence & 0xFF,
            0x11, 0x22, 0x33, 0x44,
            dataOffset << 4, flags, 0x01, 0xF6,
            checksum >>> 8, checksum & 0xFF, 0x00, 0x00), options);
    }

    /** UDP header from port 40000 to 4433. */
    static byte[] udp(final int length, final int checksum)
    {
        return Bytes.of(0x9C, 0x40, 0x11, 0x51, length >>> 8, length & 0xFF, checksum >>> 8, checksum & 0xFF);
    }

    /** Payload bytes that differ from their neighbours and from any other slice of the same length. */
    static byte[] payload(final int length, final int seed)
    {
        final byte[] payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)(i * 7 + seed + (i >>> 8));
        }
        return payload;
    }

    /** IPv4 pseudo-header (RFC 9293 §3.1, RFC 768): source, destination, zero, protocol, length. */
    static byte[] ipv4PseudoHeader(final byte[] source, final byte[] destination, final int protocol, final int length)
    {
        return Bytes.concat(source, destination, Bytes.of(0, protocol, length >>> 8, length & 0xFF));
    }

    /** IPv6 pseudo-header (RFC 8200 §8.1): source, destination, 32-bit length, 3 zero bytes, next header. */
    static byte[] ipv6PseudoHeader(final byte[] source, final byte[] destination, final int protocol, final int length)
    {
        return Bytes.concat(source, destination,
            Bytes.of(length >>> 24, length >>> 16 & 0xFF, length >>> 8 & 0xFF, length & 0xFF, 0, 0, 0, protocol));
    }

    /**
     * One's complement sum (RFC 1071) of the parts laid end to end, big-endian 16-bit words, an odd
     * last byte padded with zero, folded but not complemented: 0xFFFF over data and pseudo-header
     * means the checksum verifies. Only the last part may have an odd length.
     */
    static int sum(final byte[]... parts)
    {
        final byte[] all = Bytes.concat(parts);
        long sum = 0;
        for (int i = 0; i < all.length; i += 2)
        {
            final int high = all[i] & 0xFF;
            final int low = i + 1 < all.length ? all[i + 1] & 0xFF : 0;
            sum += high << 8 | low;
        }
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)sum;
    }

    static byte[] slice(final byte[] bytes, final int from, final int to)
    {
        return Arrays.copyOfRange(bytes, from, to);
    }

    static int getShort(final byte[] bytes, final int at)
    {
        return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }

    static int getInt(final byte[] bytes, final int at)
    {
        return getShort(bytes, at) << 16 | getShort(bytes, at + 2);
    }

    static void putShort(final byte[] bytes, final int at, final int value)
    {
        bytes[at] = (byte)(value >>> 8);
        bytes[at + 1] = (byte)value;
    }
}
