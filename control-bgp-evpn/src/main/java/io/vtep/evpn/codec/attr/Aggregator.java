package io.vtep.evpn.codec.attr;

import java.net.Inet4Address;
import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.WireFormat;

/**
 * AGGREGATOR (type 7, optional transitive, RFC 4271 §5.1.7): the AS and BGP identifier of the
 * speaker that aggregated the route; the AS is 2 octets (6 in all) or, on a 4-octet AS session,
 * 4 octets (8 in all, RFC 6793 §4.1). Any other length means attribute discard (RFC 7606 §7.7).
 *
 * @param flags   the flags octet.
 * @param asn     the aggregating AS.
 * @param address the aggregating speaker's BGP identifier.
 */
public record Aggregator(int flags, long asn, Inet4Address address) implements PathAttribute
{
    /** Checks the fields. */
    public Aggregator
    {
        AttributeFlags.check(flags);
        PathAttributes.checkUnsigned32(asn, "AGGREGATOR AS");
        Objects.requireNonNull(address, "address");
    }

    static Aggregator decode(final int flags, final ByteBuf value, final boolean fourOctetAs)
    {
        PathAttributes.requireLength(AttributeType.AGGREGATOR, value, fourOctetAs ? 8 : 6);
        final long asn = fourOctetAs ? value.readUnsignedInt() : value.readUnsignedShort();
        return new Aggregator(flags, asn, WireFormat.readIpv4(value));
    }

    @Override
    public int typeCode()
    {
        return AttributeType.AGGREGATOR;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        if (context.fourOctetAs())
        {
            out.writeInt((int)asn);
        }
        else if (asn > 0xFFFF)
        {
            throw new IllegalArgumentException("AGGREGATOR AS " + asn + " does not fit a 2-octet session; send AS_TRANS " +
                "and AS4_AGGREGATOR (RFC 6793 §4.2.2)");
        }
        else
        {
            out.writeShort((int)asn);
        }
        WireFormat.writeAddress(out, address);
    }

    @Override
    public String toString()
    {
        return "AGGREGATOR " + asn + " " + address.getHostAddress();
    }
}
