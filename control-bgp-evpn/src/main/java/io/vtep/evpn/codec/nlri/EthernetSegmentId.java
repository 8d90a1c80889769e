package io.vtep.evpn.codec.nlri;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.Octets;

/**
 * An Ethernet Segment Identifier (RFC 7432 §5): 10 octets, the first one its type. All zero for a
 * single-homed segment; a multihomed segment (an access port whose server also has a link to
 * another gateway) has the same non-zero ESI on every gateway it is attached to. The configuration
 * gives it as 10 octets (usually type 0, operator-assigned) or, as FRR's {@code evpn mh es-sys-mac} /
 * {@code es-id} do, as type 3: a system MAC and a 3-octet local discriminator.
 *
 * @param value the 10 octets.
 */
public record EthernetSegmentId(Octets value)
{
    /** Octets on the wire. */
    public static final int LENGTH = 10;

    /** The single-homed ESI, all zero. */
    public static final EthernetSegmentId ZERO = new EthernetSegmentId(Octets.copyOf(new byte[LENGTH]));
    /** RFC 7432 §5: MAX-ESI, all ones, reserved. */
    public static final EthernetSegmentId MAX = new EthernetSegmentId(Octets.fromHex("ffffffffffffffffffff"));
    /** Type 0: the 9 octets are assigned by the operator (RFC 7432 §5). */
    public static final int TYPE_ARBITRARY = 0x00;
    /** Type 3: a system MAC and a 3-octet local discriminator (RFC 7432 §5). */
    public static final int TYPE_MAC_BASED = 0x03;
    /** Types above this one are not defined by RFC 7432 §5. */
    private static final int TYPE_HIGHEST = 0x05;
    /** The largest local discriminator of a type-3 ESI: 3 octets. */
    public static final int MAX_LOCAL_DISCRIMINATOR = 0xFF_FFFF;

    /** Checks the length. */
    public EthernetSegmentId
    {
        if (value.length() != LENGTH)
        {
            throw new IllegalArgumentException("an ESI has " + LENGTH + " octets, not " + value.length());
        }
    }

    /**
     * @param in at least 10 readable octets.
     * @return the ESI read.
     */
    public static EthernetSegmentId read(final ByteBuf in)
    {
        final Octets value = Octets.read(in, LENGTH);
        return value.equals(ZERO.value) ? ZERO : new EthernetSegmentId(value);
    }

    /**
     * @param text 10 colon-separated hex octets, the type first, as FRR writes an ESI
     *             ({@code 00:11:22:33:44:55:66:77:88:99}).
     * @return the ESI.
     * @throws IllegalArgumentException when it is not 10 octets or its type is not one of RFC 7432 §5.
     */
    public static EthernetSegmentId parse(final String text)
    {
        final String[] parts = text.split(":", -1);
        if (parts.length != LENGTH)
        {
            throw new IllegalArgumentException("an ESI is 10 colon-separated hex octets, not \"" + text + "\"");
        }
        final byte[] octets = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++)
        {
            if (parts[i].length() != 2 || Character.digit(parts[i].charAt(0), 16) < 0 || Character.digit(parts[i].charAt(1), 16) < 0)
            {
                throw new IllegalArgumentException("an ESI is 10 colon-separated hex octets, not \"" + text + "\"");
            }
            octets[i] = (byte)Integer.parseInt(parts[i], 16);
        }
        final EthernetSegmentId esi = new EthernetSegmentId(Octets.copyOf(octets));
        if (esi.type() > TYPE_HIGHEST && !esi.equals(MAX))
        {
            throw new IllegalArgumentException("ESI type " + esi.type() + " is not defined (RFC 7432 section 5: 0..5)");
        }
        return esi.isZero() ? ZERO : esi;
    }

    /**
     * The type-3 ESI of RFC 7432 §5: {@code 03}, the system MAC, the local discriminator in 3
     * octets; FRR's {@code evpn mh es-sys-mac M} with {@code evpn mh es-id N}.
     *
     * @param systemMac          the system MAC, 48 bits.
     * @param localDiscriminator 0..16777215.
     * @return the ESI.
     */
    public static EthernetSegmentId ofSystemMac(final EvpnMac systemMac, final int localDiscriminator)
    {
        if (localDiscriminator < 0 || localDiscriminator > MAX_LOCAL_DISCRIMINATOR)
        {
            throw new IllegalArgumentException("local discriminator " + localDiscriminator + " is out of range 0..16777215");
        }
        final byte[] octets = new byte[LENGTH];
        octets[0] = TYPE_MAC_BASED;
        for (int i = 0; i < EvpnMac.LENGTH; i++)
        {
            octets[1 + i] = (byte)(systemMac.value() >>> (8 * (EvpnMac.LENGTH - 1 - i)));
        }
        octets[7] = (byte)(localDiscriminator >>> 16);
        octets[8] = (byte)(localDiscriminator >>> 8);
        octets[9] = (byte)localDiscriminator;
        return new EthernetSegmentId(Octets.copyOf(octets));
    }

    /** @return the 10 octets, a copy. */
    public byte[] octets()
    {
        return value.toByteArray();
    }

    /**
     * RFC 7432 §7.6: the ES-Import route target of a segment is "the high-order 6 octets of the
     * 9-octet ESI Value", the octets after the type; every VTEP on the segment derives the same,
     * and a VTEP imports a type-4 route only with the ES-Import RT of one of its own segments.
     *
     * @return those 6 octets in the low 48 bits.
     */
    public long esImportValue()
    {
        long mac = 0;
        for (int i = 1; i <= EvpnMac.LENGTH; i++)
        {
            mac = mac << 8 | value.get(i);
        }
        return mac;
    }

    /** @return whether this ESI is one a segment may not have: zero (single-homed) or MAX-ESI (RFC 7432 §5). */
    public boolean isReserved()
    {
        return isZero() || equals(MAX);
    }

    /** @param out the 10 octets are written at its writer index. */
    public void write(final ByteBuf out)
    {
        value.writeTo(out);
    }

    /** @return the ESI type, the first octet (RFC 7432 §5). */
    public int type()
    {
        return value.get(0);
    }

    /** @return whether this is the all-zero (single-homed) ESI. */
    public boolean isZero()
    {
        return equals(ZERO);
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder(29);
        for (int i = 0; i < LENGTH; i++)
        {
            if (i > 0)
            {
                text.append(':');
            }
            text.append(String.format("%02x", value.get(i)));
        }
        return text.toString();
    }
}
