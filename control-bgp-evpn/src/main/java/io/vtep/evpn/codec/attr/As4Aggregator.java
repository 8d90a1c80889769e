package io.vtep.evpn.codec.attr;

import java.net.Inet4Address;
import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.WireFormat;

/**
 * AS4_AGGREGATOR (type 18, optional transitive, RFC 6793 §3): AGGREGATOR with a 4-octet AS,
 * beside an AGGREGATOR carrying AS_TRANS. 8 octets; anything else means attribute discard
 * (RFC 6793 §6).
 *
 * @param flags   the flags octet.
 * @param asn     the aggregating AS.
 * @param address the aggregating speaker's BGP identifier.
 */
public record As4Aggregator(int flags, long asn, Inet4Address address) implements PathAttribute
{
    /** Checks the fields. */
    public As4Aggregator
    {
        AttributeFlags.check(flags);
        PathAttributes.checkUnsigned32(asn, "AS4_AGGREGATOR AS");
        Objects.requireNonNull(address, "address");
    }

    static As4Aggregator decode(final int flags, final ByteBuf value)
    {
        PathAttributes.requireLength(AttributeType.AS4_AGGREGATOR, value, 8);
        return new As4Aggregator(flags, value.readUnsignedInt(), WireFormat.readIpv4(value));
    }

    @Override
    public int typeCode()
    {
        return AttributeType.AS4_AGGREGATOR;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        out.writeInt((int)asn);
        WireFormat.writeAddress(out, address);
    }

    @Override
    public String toString()
    {
        return "AS4_AGGREGATOR " + asn + " " + address.getHostAddress();
    }
}
