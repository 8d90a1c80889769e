package io.vtep.encap;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The underlay IP address of a VTEP, IPv4 or IPv6, as primitives. Immutable; made from
 * configuration, EVPN routes or the first packet of a newly learned remote, and interned by
 * its owner (the FDB's remote VTEP table) so that FDB entries point at one shared instance and
 * the data path never creates one per packet. Equality is by address family and value.
 *
 * <p>An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is an IPv4 address here, as in
 * {@link InetAddress}. An IPv6 zone ({@code %eth0}) is not part of a VTEP address.
 */
public final class VtepAddress
{
    public static final int IPV4_LENGTH = 4;
    public static final int IPV6_LENGTH = 16;

    private final boolean ipv6;
    private final int ipv4;
    private final long ipv6High;
    private final long ipv6Low;

    private VtepAddress(final boolean ipv6, final int ipv4, final long ipv6High, final long ipv6Low)
    {
        this.ipv6 = ipv6;
        this.ipv4 = ipv4;
        this.ipv6High = ipv6High;
        this.ipv6Low = ipv6Low;
    }

    /**
     * @param address first octet in the most significant byte.
     * @return an IPv4 VTEP address.
     */
    public static VtepAddress ofIpv4(final int address)
    {
        return new VtepAddress(false, address, 0, 0);
    }

    /**
     * @param high first 8 bytes.
     * @param low  last 8 bytes.
     * @return an IPv6 VTEP address.
     */
    public static VtepAddress ofIpv6(final long high, final long low)
    {
        return new VtepAddress(true, 0, high, low);
    }

    /**
     * @param address IPv4 or IPv6; an IPv6 scope is dropped.
     * @return the VTEP address with the same value.
     */
    public static VtepAddress of(final InetAddress address)
    {
        final byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address)
        {
            return ofIpv4(bytesToInt(bytes, 0));
        }

        return ofIpv6(bytesToLong(bytes, 0), bytesToLong(bytes, 8));
    }

    /**
     * Parses an address literal; never resolves names. IPv4 must be the strict dotted quad
     * (four decimal parts 0..255, no leading zeros, which some parsers read as octal); IPv6 is
     * any RFC 4291 §2.2 text form without brackets or zone.
     *
     * @param text such as {@code 198.51.100.1} or {@code 2001:db8::1}.
     * @return the address.
     * @throws IllegalArgumentException naming the text when it is not an address literal.
     */
    public static VtepAddress parse(final String text)
    {
        if (null == text || text.isEmpty())
        {
            throw invalid(text);
        }

        if (text.indexOf(':') < 0)
        {
            return ofIpv4(parseDottedQuad(text));
        }

        if (text.indexOf('%') >= 0 || text.indexOf('[') >= 0)
        {
            throw invalid(text);
        }

        try
        {
            // A literal parser: it never performs a name lookup.
            return of(Inet6Address.ofLiteral(text));
        }
        catch (final IllegalArgumentException ex)
        {
            throw invalid(text);
        }
    }

    /**
     * Reads an IPv4 address from a buffer. Allocates: control path only.
     *
     * @param buffer holding the address.
     * @param offset of its first byte.
     * @return the address.
     */
    public static VtepAddress getIpv4(final DirectBuffer buffer, final int offset)
    {
        return ofIpv4(buffer.getInt(offset, ByteOrder.BIG_ENDIAN));
    }

    /**
     * Reads an IPv6 address from a buffer. Allocates: control path only. An IPv4-mapped
     * address stays IPv6 here, since it is what the packet carried.
     *
     * @param buffer holding the address.
     * @param offset of its first byte.
     * @return the address.
     */
    public static VtepAddress getIpv6(final DirectBuffer buffer, final int offset)
    {
        return ofIpv6(buffer.getLong(offset, ByteOrder.BIG_ENDIAN), buffer.getLong(offset + 8, ByteOrder.BIG_ENDIAN));
    }

    public boolean isIpv6()
    {
        return ipv6;
    }

    /**
     * @return the IPv4 address, first octet most significant; 0 for an IPv6 address.
     */
    public int ipv4()
    {
        return ipv4;
    }

    /**
     * @return the first 8 bytes of the IPv6 address; 0 for an IPv4 address.
     */
    public long ipv6High()
    {
        return ipv6High;
    }

    /**
     * @return the last 8 bytes of the IPv6 address; 0 for an IPv4 address.
     */
    public long ipv6Low()
    {
        return ipv6Low;
    }

    /**
     * @return bytes on the wire: 4 or 16.
     */
    public int length()
    {
        return ipv6 ? IPV6_LENGTH : IPV4_LENGTH;
    }

    /**
     * A multicast group is a flood destination for a VNI (RFC 7348 §4.2): 224.0.0.0/4
     * (RFC 5771) or ff00::/8 (RFC 4291 §2.7).
     *
     * @return true for a multicast group address.
     */
    public boolean isMulticast()
    {
        return ipv6 ? (ipv6High >>> 56) == 0xFF : (ipv4 >>> 28) == 0xE;
    }

    /**
     * Writes the address as 4 or 16 bytes.
     *
     * @param buffer to write into.
     * @param offset of the first byte.
     */
    public void put(final MutableDirectBuffer buffer, final int offset)
    {
        if (ipv6)
        {
            buffer.putLong(offset, ipv6High, ByteOrder.BIG_ENDIAN);
            buffer.putLong(offset + 8, ipv6Low, ByteOrder.BIG_ENDIAN);
        }
        else
        {
            buffer.putInt(offset, ipv4, ByteOrder.BIG_ENDIAN);
        }
    }

    /**
     * Compares with the address in a packet without allocating, e.g. to find which remote VTEP
     * an outer source address belongs to.
     *
     * @param buffer holding an address of this one's family.
     * @param offset of its first byte.
     * @return true when the {@link #length()} bytes at {@code offset} are this address.
     */
    public boolean isAt(final DirectBuffer buffer, final int offset)
    {
        if (ipv6)
        {
            return buffer.getLong(offset, ByteOrder.BIG_ENDIAN) == ipv6High &&
                buffer.getLong(offset + 8, ByteOrder.BIG_ENDIAN) == ipv6Low;
        }

        return buffer.getInt(offset, ByteOrder.BIG_ENDIAN) == ipv4;
    }

    /**
     * @return the same address as an {@link InetAddress}; no name lookup.
     */
    public InetAddress toInetAddress()
    {
        final byte[] bytes = new byte[length()];
        if (ipv6)
        {
            longToBytes(ipv6High, bytes, 0);
            longToBytes(ipv6Low, bytes, 8);
        }
        else
        {
            bytes[0] = (byte)(ipv4 >>> 24);
            bytes[1] = (byte)(ipv4 >>> 16);
            bytes[2] = (byte)(ipv4 >>> 8);
            bytes[3] = (byte)ipv4;
        }

        try
        {
            // With a literal byte array this never resolves anything. An IPv4-mapped IPv6
            // address comes back as an Inet4Address, as InetAddress does everywhere.
            return InetAddress.getByAddress(bytes);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException("impossible: address of length " + bytes.length, ex);
        }
    }

    @Override
    public boolean equals(final Object o)
    {
        return this == o || (o instanceof VtepAddress that &&
            ipv6 == that.ipv6 && ipv4 == that.ipv4 && ipv6High == that.ipv6High && ipv6Low == that.ipv6Low);
    }

    @Override
    public int hashCode()
    {
        if (!ipv6)
        {
            return ipv4;
        }

        final long mixed = ipv6High * 31 + ipv6Low;
        return (int)(mixed ^ (mixed >>> 32));
    }

    /**
     * Allocates: control path only.
     *
     * @return dotted quad for IPv4, the RFC 5952 canonical text for IPv6 (lowercase, longest
     *         run of two or more zero groups as {@code ::}), as {@code ip} and FRR print them.
     */
    @Override
    public String toString()
    {
        if (!ipv6)
        {
            return (ipv4 >>> 24) + "." + ((ipv4 >>> 16) & 0xFF) + "." + ((ipv4 >>> 8) & 0xFF) + "." + (ipv4 & 0xFF);
        }

        final int[] groups = new int[8];
        for (int i = 0; i < 4; i++)
        {
            groups[i] = (int)(ipv6High >>> (48 - 16 * i)) & 0xFFFF;
            groups[i + 4] = (int)(ipv6Low >>> (48 - 16 * i)) & 0xFFFF;
        }

        // RFC 5952 §4.2: compress the longest run of zero groups, the first on a tie, and
        // never a single zero group.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;)
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }

            int j = i;
            while (j < 8 && groups[j] == 0)
            {
                j++;
            }
            if (j - i > bestLength)
            {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }

        final StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':')
            {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }

        return text.toString();
    }

    private static int parseDottedQuad(final String text)
    {
        int address = 0;
        int parts = 0;
        int i = 0;
        final int length = text.length();
        while (i < length)
        {
            final int start = i;
            int value = 0;
            while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9')
            {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
                if (i - start > 3)
                {
                    throw invalid(text);
                }
            }

            final int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text.charAt(start) == '0'))
            {
                throw invalid(text);
            }

            address = (address << 8) | value;
            parts++;

            if (i < length)
            {
                if (text.charAt(i) != '.' || parts == 4 || i == length - 1)
                {
                    throw invalid(text);
                }
                i++;
            }
        }

        if (parts != 4)
        {
            throw invalid(text);
        }

        return address;
    }

    private static int bytesToInt(final byte[] bytes, final int index)
    {
        return ((bytes[index] & 0xFF) << 24) | ((bytes[index + 1] & 0xFF) << 16) |
            ((bytes[index + 2] & 0xFF) << 8) | (bytes[index + 3] & 0xFF);
    }

    private static long bytesToLong(final byte[] bytes, final int index)
    {
        return ((bytesToInt(bytes, index) & 0xFFFF_FFFFL) << 32) | (bytesToInt(bytes, index + 4) & 0xFFFF_FFFFL);
    }

    private static void longToBytes(final long value, final byte[] bytes, final int index)
    {
        for (int i = 0; i < 8; i++)
        {
            bytes[index + i] = (byte)(value >>> (56 - 8 * i));
        }
    }

    private static IllegalArgumentException invalid(final String text)
    {
        return new IllegalArgumentException("not an IPv4 or IPv6 address literal: \"" + text + "\"");
    }
}
