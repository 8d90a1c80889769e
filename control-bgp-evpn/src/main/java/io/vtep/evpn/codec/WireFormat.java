package io.vtep.evpn.codec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import io.netty.buffer.ByteBuf;
import io.vtep.encap.VtepAddress;

/** Small helpers shared by the codec: addresses and unsigned fields. Never resolves names. */
public final class WireFormat
{
    private WireFormat()
    {
    }

    /**
     * @param bytes 4 or 16 octets.
     * @return the address.
     */
    public static InetAddress address(final byte[] bytes)
    {
        try
        {
            return InetAddress.getByAddress(bytes);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("an IP address has 4 or 16 octets, not " + bytes.length, ex);
        }
    }

    /**
     * @param value in network byte order as an int.
     * @return the IPv4 address.
     */
    public static Inet4Address ipv4(final int value)
    {
        return (Inet4Address)address(new byte[] {(byte)(value >>> 24), (byte)(value >>> 16), (byte)(value >>> 8), (byte)value});
    }

    /**
     * @param text a literal IPv4 or IPv6 address (never a name).
     * @return the address.
     */
    public static InetAddress parseAddress(final String text)
    {
        if (text.indexOf(':') < 0 && !text.matches("\\d{1,3}(\\.\\d{1,3}){3}"))
        {
            throw new IllegalArgumentException("not an IP address literal: " + text);
        }
        try
        {
            return InetAddress.getByName(text);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("not an IP address literal: " + text, ex);
        }
    }

    /**
     * @param text a literal IPv4 address.
     * @return the address.
     */
    public static Inet4Address parseIpv4(final String text)
    {
        if (parseAddress(text) instanceof Inet4Address ipv4)
        {
            return ipv4;
        }
        throw new IllegalArgumentException("not an IPv4 address: " + text);
    }

    /**
     * @param address an IPv4 address.
     * @return its value in network byte order as an int.
     */
    public static int toInt(final Inet4Address address)
    {
        final byte[] bytes = address.getAddress();
        return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | bytes[3] & 0xFF;
    }

    /**
     * @param in at least 4 readable octets.
     * @return the IPv4 address read.
     */
    public static Inet4Address readIpv4(final ByteBuf in)
    {
        return ipv4(in.readInt());
    }

    /**
     * @param in     at least {@code length} readable octets.
     * @param length 4 or 16.
     * @return the address read.
     */
    public static InetAddress readAddress(final ByteBuf in, final int length)
    {
        final byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return address(bytes);
    }

    /**
     * @param out     written at its writer index.
     * @param address 4 or 16 octets written.
     */
    public static void writeAddress(final ByteBuf out, final InetAddress address)
    {
        out.writeBytes(address.getAddress());
    }

    /**
     * @param address an address or {@code null}.
     * @return 0, 4 or 16.
     */
    public static int length(final InetAddress address)
    {
        if (address == null)
        {
            return 0;
        }
        return address instanceof Inet6Address ? 16 : 4;
    }

    /**
     * @param address IPv4 or IPv6.
     * @return its text form, IPv6 compressed the way FRR prints it (RFC 5952, {@link VtepAddress#toString}).
     */
    public static String toText(final InetAddress address)
    {
        return VtepAddress.of(address).toString();
    }
}
