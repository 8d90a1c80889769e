package io.vtep.encap;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A 48-bit IEEE 802 MAC address held in the low 48 bits of a {@code long}; the first byte on
 * the wire is the most significant, so {@code 02:00:00:00:00:01} is {@code 0x0200_0000_0001L}.
 * Keeping MACs as primitives lets the FDB key its tables by {@code long} without allocating.
 *
 * <pre>
 *   first octet on the wire
 *    7 6 5 4 3 2 1 0
 *   +-+-+-+-+-+-+-+-+
 *   |           |U|I|   I/G bit (bit 0, transmitted first): 1 = group (multicast, broadcast)
 *   +-+-+-+-+-+-+-+-+   U/L bit (bit 1): 1 = locally administered
 * </pre>
 */
public final class MacAddress
{
    /** Length of a MAC address on the wire. */
    public static final int LENGTH = 6;

    /** {@code ff:ff:ff:ff:ff:ff}. */
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    /** The I/G bit of the first octet, at bit 40 of the {@code long} form. */
    private static final long GROUP_BIT = 1L << 40;

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private MacAddress()
    {
    }

    /**
     * Reads the 6 bytes at {@code offset}.
     *
     * @param buffer holding the address.
     * @param offset of the first byte.
     * @return the address in the low 48 bits.
     */
    public static long get(final DirectBuffer buffer, final int offset)
    {
        return ((buffer.getInt(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL) << 16) |
            (buffer.getShort(offset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFFL);
    }

    /**
     * Writes the low 48 bits of {@code mac} as 6 bytes at {@code offset}.
     *
     * @param buffer to write into.
     * @param offset of the first byte.
     * @param mac    address in the low 48 bits.
     */
    public static void put(final MutableDirectBuffer buffer, final int offset, final long mac)
    {
        buffer.putInt(offset, (int)(mac >>> 16), ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 4, (short)mac, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Is this a group address (multicast or broadcast)? IEEE 802 puts the I/G bit in the
     * least significant bit of the first octet.
     *
     * @param mac address in the low 48 bits.
     * @return true for broadcast and multicast.
     */
    public static boolean isGroup(final long mac)
    {
        return (mac & GROUP_BIT) != 0;
    }

    /**
     * @param mac address in the low 48 bits.
     * @return true for {@code ff:ff:ff:ff:ff:ff}.
     */
    public static boolean isBroadcast(final long mac)
    {
        return (mac & BROADCAST) == BROADCAST;
    }

    /**
     * The all-zero MAC is never a valid source and is used by Linux {@code bridge fdb} as the
     * key of the flood list.
     *
     * @param mac address in the low 48 bits.
     * @return true for {@code 00:00:00:00:00:00}.
     */
    public static boolean isZero(final long mac)
    {
        return (mac & BROADCAST) == 0;
    }

    /**
     * Parses six colon-separated pairs of hex digits, case-insensitive. Control path only.
     *
     * @param text such as {@code 02:00:00:00:00:01}.
     * @return the address in the low 48 bits.
     * @throws IllegalArgumentException naming the text when it is not a MAC address.
     */
    public static long parse(final String text)
    {
        if (null == text || text.length() != 17)
        {
            throw invalid(text);
        }

        long mac = 0;
        for (int i = 0; i < 17; i += 3)
        {
            final int high = Character.digit(text.charAt(i), 16);
            final int low = Character.digit(text.charAt(i + 1), 16);
            if (high < 0 || low < 0 || (i < 15 && text.charAt(i + 2) != ':'))
            {
                throw invalid(text);
            }
            mac = (mac << 8) | (high << 4) | low;
        }

        return mac;
    }

    /**
     * Formats as six lowercase hex pairs separated by colons, as {@code ip link} and
     * {@code bridge fdb} print them. Allocates: control path only.
     *
     * @param mac address in the low 48 bits.
     * @return such as {@code 02:00:00:00:00:01}.
     */
    public static String format(final long mac)
    {
        final char[] chars = new char[17];
        for (int i = 0, shift = 40; i < 17; i += 3, shift -= 8)
        {
            final int octet = (int)(mac >>> shift) & 0xFF;
            chars[i] = HEX_DIGITS[octet >>> 4];
            chars[i + 1] = HEX_DIGITS[octet & 0xF];
            if (i < 15)
            {
                chars[i + 2] = ':';
            }
        }

        return new String(chars);
    }

    private static IllegalArgumentException invalid(final String text)
    {
        return new IllegalArgumentException("not a MAC address (expected like 02:00:00:00:00:01): \"" + text + "\"");
    }
}
