package io.vtep.evpn.codec.nlri;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.WireFormat;

/**
 * An IPv4 prefix as carried in the UPDATE's Withdrawn Routes and NLRI fields (RFC 4271 §4.3): a
 * length in bits, then just enough octets to hold it. Bits past the length are kept as received,
 * so re-encoding gives back the same octets.
 *
 * @param address the address octets read, network order, unused trailing octets zero.
 * @param length  0..32 bits.
 */
public record Ipv4Prefix(int address, int length)
{
    /** Checks the length. */
    public Ipv4Prefix
    {
        if (length < 0 || length > 32)
        {
            throw new IllegalArgumentException("IPv4 prefix length " + length + " not in 0..32");
        }
    }

    /**
     * @param text e.g. {@code 10.0.0.0/8}.
     * @return the prefix.
     */
    public static Ipv4Prefix parse(final String text)
    {
        final int slash = text.indexOf('/');
        return new Ipv4Prefix(WireFormat.toInt(WireFormat.parseIpv4(text.substring(0, slash))),
            Integer.parseInt(text.substring(slash + 1)));
    }

    /** @return the octets of address the encoding carries. */
    public int addressOctets()
    {
        return (length + 7) / 8;
    }

    /** @param out the length octet and the address octets are written at its writer index. */
    public void write(final ByteBuf out)
    {
        out.writeByte(length);
        for (int i = 0; i < addressOctets(); i++)
        {
            out.writeByte(address >>> (24 - 8 * i));
        }
    }

    @Override
    public String toString()
    {
        return WireFormat.ipv4(address).getHostAddress() + "/" + length;
    }
}
