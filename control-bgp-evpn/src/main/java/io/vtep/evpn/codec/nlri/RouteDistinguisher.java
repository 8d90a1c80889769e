package io.vtep.evpn.codec.nlri;

import java.net.Inet4Address;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.WireFormat;

/**
 * A route distinguisher (RFC 4364 §4.2): 8 octets, a 2-octet type then the value.
 *
 * <pre>
 *  type 0:  | 0x0000 | 2-octet AS (administrator)  | 4-octet assigned number |
 *  type 1:  | 0x0001 | IPv4 address (administrator) | 2-octet assigned number |
 *  type 2:  | 0x0002 | 4-octet AS (administrator)  | 2-octet assigned number |
 * </pre>
 *
 * FRR derives the RD of a VNI as type 1, {@code router-id:index} (docs/architecture.md §8), and prints RDs
 * as {@code 192.0.2.1:2} or {@code 65000:100}; {@link #toString()} does the same.
 *
 * @param value the 8 octets in network order.
 */
public record RouteDistinguisher(long value)
{
    /** Octets on the wire. */
    public static final int LENGTH = 8;
    /** 2-octet AS administrator, 4-octet assigned number. */
    public static final int TYPE_AS2 = 0;
    /** IPv4 address administrator, 2-octet assigned number. */
    public static final int TYPE_IPV4 = 1;
    /** 4-octet AS administrator, 2-octet assigned number. */
    public static final int TYPE_AS4 = 2;

    /**
     * @param asn      0..65535.
     * @param assigned 0..4294967295.
     * @return a type 0 RD.
     */
    public static RouteDistinguisher ofAs2(final int asn, final long assigned)
    {
        check(asn, 0xFFFF, "2-octet AS");
        check(assigned, 0xFFFF_FFFFL, "assigned number");
        return new RouteDistinguisher((long)TYPE_AS2 << 48 | (long)asn << 32 | assigned);
    }

    /**
     * @param administrator IPv4 address, usually the router ID.
     * @param assigned      0..65535, e.g. FRR's per-VNI index.
     * @return a type 1 RD.
     */
    public static RouteDistinguisher ofIpv4(final Inet4Address administrator, final int assigned)
    {
        check(assigned, 0xFFFF, "assigned number");
        return new RouteDistinguisher((long)TYPE_IPV4 << 48 | (WireFormat.toInt(administrator) & 0xFFFF_FFFFL) << 16 | assigned);
    }

    /**
     * @param asn      0..4294967295.
     * @param assigned 0..65535.
     * @return a type 2 RD.
     */
    public static RouteDistinguisher ofAs4(final long asn, final int assigned)
    {
        check(asn, 0xFFFF_FFFFL, "4-octet AS");
        check(assigned, 0xFFFF, "assigned number");
        return new RouteDistinguisher((long)TYPE_AS4 << 48 | asn << 16 | assigned);
    }

    /**
     * Parses the forms {@link #toString()} prints: {@code A.B.C.D:n} (type 1), {@code asn:n}
     * (type 0 when the AS fits in 2 octets, type 2 otherwise).
     *
     * @param text the RD.
     * @return the RD.
     */
    public static RouteDistinguisher parse(final String text)
    {
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException("not a route distinguisher: " + text);
        }
        final String administrator = text.substring(0, colon);
        final long assigned = Long.parseLong(text.substring(colon + 1));
        if (administrator.indexOf('.') >= 0)
        {
            return ofIpv4(WireFormat.parseIpv4(administrator), (int)checkedInt(assigned, 0xFFFF, text));
        }
        final long asn = Long.parseLong(administrator);
        return asn <= 0xFFFF ? ofAs2((int)asn, assigned) : ofAs4(asn, (int)checkedInt(assigned, 0xFFFF, text));
    }

    /**
     * @param in at least 8 readable octets.
     * @return the RD read.
     */
    public static RouteDistinguisher read(final ByteBuf in)
    {
        return new RouteDistinguisher(in.readLong());
    }

    /** @param out the 8 octets are written at its writer index. */
    public void write(final ByteBuf out)
    {
        out.writeLong(value);
    }

    /** @return the type field, 0..65535. */
    public int type()
    {
        return (int)(value >>> 48);
    }

    @Override
    public String toString()
    {
        return switch (type())
        {
            case TYPE_AS2 -> ((value >>> 32) & 0xFFFF) + ":" + (value & 0xFFFF_FFFFL);
            case TYPE_IPV4 -> WireFormat.ipv4((int)(value >>> 16)).getHostAddress() + ":" + (value & 0xFFFF);
            case TYPE_AS4 -> ((value >>> 16) & 0xFFFF_FFFFL) + ":" + (value & 0xFFFF);
            default -> "type" + type() + ":" + String.format("%012x", value & 0xFFFF_FFFF_FFFFL);
        };
    }

    private static void check(final long value, final long max, final String what)
    {
        if (value < 0 || value > max)
        {
            throw new IllegalArgumentException(what + " " + value + " not in 0.." + max);
        }
    }

    private static long checkedInt(final long value, final long max, final String text)
    {
        if (value < 0 || value > max)
        {
            throw new IllegalArgumentException("assigned number of " + text + " not in 0.." + max);
        }
        return value;
    }
}
