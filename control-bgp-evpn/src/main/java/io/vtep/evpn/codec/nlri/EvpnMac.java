package io.vtep.evpn.codec.nlri;

import io.netty.buffer.ByteBuf;

/**
 * A MAC address as an EVPN route carries it: the MAC Address field of a MAC/IP Advertisement route
 * (RFC 7432 §7.2) and the Router's MAC extended community (RFC 9135 §8.1). A 48-bit MAC address in
 * the low 48 bits of a {@code long}, first octet on the wire most significant: the same form the FDB
 * keys its tables by ({@link io.vtep.encap.MacAddress}), so an imported route becomes an FDB entry
 * without conversion.
 *
 * <p>Not merged into {@code MacAddress}: that class is the data path's allocation-free helpers over a
 * bare {@code long}; this is a validated value object (a record field of routes, with equality and
 * Netty {@code ByteBuf} coding), which the {@code encap} module, free of Netty, cannot hold.
 *
 * @param value the address in the low 48 bits.
 */
public record EvpnMac(long value)
{
    /** Octets on the wire. */
    public static final int LENGTH = 6;

    /** Checks the value fits in 48 bits. */
    public EvpnMac
    {
        if ((value & ~0xFFFF_FFFF_FFFFL) != 0)
        {
            throw new IllegalArgumentException("MAC address wider than 48 bits: " + Long.toHexString(value));
        }
    }

    /**
     * @param text six colon-separated hex octets, e.g. {@code 02:20:00:00:00:01}.
     * @return the address.
     */
    public static EvpnMac parse(final String text)
    {
        final String[] octets = text.split(":", -1);
        if (octets.length != LENGTH)
        {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long value = 0;
        for (final String octet : octets)
        {
            if (octet.length() < 1 || octet.length() > 2)
            {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            value = value << 8 | Integer.parseInt(octet, 16);
        }
        return new EvpnMac(value);
    }

    /**
     * @param in at least 6 readable octets.
     * @return the address read.
     */
    public static EvpnMac read(final ByteBuf in)
    {
        return new EvpnMac((in.readUnsignedInt() << 16) | in.readUnsignedShort());
    }

    /** @param out the 6 octets are written at its writer index. */
    public void write(final ByteBuf out)
    {
        out.writeInt((int)(value >>> 16));
        out.writeShort((int)value);
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            final int octet = (int)(value >>> shift) & 0xFF;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
            if (shift > 0)
            {
                text.append(':');
            }
        }
        return text.toString();
    }
}
