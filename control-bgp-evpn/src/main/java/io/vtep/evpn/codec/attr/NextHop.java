package io.vtep.evpn.codec.attr;

import java.net.Inet4Address;
import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.WireFormat;

/**
 * NEXT_HOP (type 3, well-known, RFC 4271 §5.1.3): the IPv4 next hop of the UPDATE's own NLRI
 * field. EVPN routes carry their next hop in MP_REACH_NLRI instead (RFC 4760 §3). A length other
 * than 4 means treat-as-withdraw (RFC 7606 §7.3); whether the address is usable is the speaker's
 * semantic check.
 *
 * @param flags   the flags octet.
 * @param address the next hop.
 */
public record NextHop(int flags, Inet4Address address) implements PathAttribute
{
    /** Checks the fields. */
    public NextHop
    {
        AttributeFlags.check(flags);
        Objects.requireNonNull(address, "address");
    }

    /**
     * @param address the next hop.
     * @return the attribute with well-known flags.
     */
    public static NextHop of(final Inet4Address address)
    {
        return new NextHop(AttributeFlags.WELL_KNOWN, address);
    }

    static NextHop decode(final int flags, final ByteBuf value)
    {
        PathAttributes.requireLength(AttributeType.NEXT_HOP, value, 4);
        return new NextHop(flags, WireFormat.readIpv4(value));
    }

    @Override
    public int typeCode()
    {
        return AttributeType.NEXT_HOP;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        WireFormat.writeAddress(out, address);
    }

    @Override
    public String toString()
    {
        return "NEXT_HOP " + address.getHostAddress();
    }
}
