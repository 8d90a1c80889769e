package io.vtep.evpn.codec.nlri;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.Octets;

/**
 * An Ethernet Segment Identifier (RFC 7432 §5): 10 octets, the first one its type. All zero for a
 * single-homed segment, which is what a VTEP in front of bare-metal servers advertises.
 *
 * @param value the 10 octets.
 */
public record EthernetSegmentId(Octets value)
{
    /** Octets on the wire. */
    public static final int LENGTH = 10;

    /** The single-homed ESI, all zero. */
    public static final EthernetSegmentId ZERO = new EthernetSegmentId(Octets.copyOf(new byte[LENGTH]));

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
