package io.vtep.evpn.codec.attr;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.AddressFamily;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.Nlri;

/**
 * MP_UNREACH_NLRI (type 15, optional non-transitive, RFC 4760 §4): withdrawn routes of another
 * address family. With no routes at all it is the End-of-RIB marker of that family (RFC 4724 §2),
 * which FRR sends as {@code 80 0f 03 00 19 46} after its initial EVPN UPDATEs. Any malformation
 * resets the session (RFC 7606 §7.11).
 *
 * <pre>
 *  | AFI (2) | SAFI (1) | Withdrawn Routes (variable) |
 * </pre>
 *
 * @param flags the flags octet.
 * @param afi   address family.
 * @param safi  subsequent address family.
 * @param nlri  EVPN routes for L2VPN EVPN, else one opaque run (or none).
 */
public record MpUnreachNlri(int flags, int afi, int safi, List<Nlri> nlri) implements PathAttribute
{
    /** Optional, Extended-Length: what FRR writes when it withdraws routes. */
    public static final int DEFAULT_FLAGS = AttributeFlags.OPTIONAL | AttributeFlags.EXTENDED_LENGTH;

    /** Checks the fields and copies the list. */
    public MpUnreachNlri
    {
        AttributeFlags.check(flags);
        new AddressFamily(afi, safi);
        nlri = List.copyOf(nlri);
    }

    /**
     * @param routes the EVPN routes to withdraw.
     * @return an L2VPN EVPN MP_UNREACH_NLRI with {@link #DEFAULT_FLAGS}.
     */
    public static MpUnreachNlri evpn(final List<? extends EvpnRoute> routes)
    {
        return new MpUnreachNlri(DEFAULT_FLAGS, AddressFamily.AFI_L2VPN, AddressFamily.SAFI_EVPN, List.copyOf(routes));
    }

    /**
     * @param family the address family.
     * @return its End-of-RIB attribute, flags {@code 0x80} like FRR's.
     */
    public static MpUnreachNlri endOfRib(final AddressFamily family)
    {
        return new MpUnreachNlri(AttributeFlags.OPTIONAL, family.afi(), family.safi(), List.of());
    }

    static MpUnreachNlri decode(final int flags, final ByteBuf value)
    {
        if (value.readableBytes() < 3)
        {
            throw PathAttributes.lengthError(AttributeType.MP_UNREACH_NLRI, value.readableBytes(), "at least 3 (AFI, SAFI)");
        }
        final int afi = value.readUnsignedShort();
        final int safi = value.readUnsignedByte();
        final boolean evpn = afi == AddressFamily.AFI_L2VPN && safi == AddressFamily.SAFI_EVPN;
        return new MpUnreachNlri(flags, afi, safi, MpReachNlri.decodeNlri(evpn, value));
    }

    /** @return the AFI/SAFI pair. */
    public AddressFamily addressFamily()
    {
        return new AddressFamily(afi, safi);
    }

    /** @return the EVPN routes (none for another address family). */
    public List<EvpnRoute> evpnRoutes()
    {
        return nlri.stream().filter(EvpnRoute.class::isInstance).map(EvpnRoute.class::cast).toList();
    }

    /** @return whether this is an End-of-RIB marker: no routes at all. */
    public boolean isEndOfRib()
    {
        return nlri.isEmpty();
    }

    @Override
    public int typeCode()
    {
        return AttributeType.MP_UNREACH_NLRI;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        out.writeShort(afi);
        out.writeByte(safi);
        nlri.forEach(one -> one.encode(out));
    }

    @Override
    public String toString()
    {
        return "MP_UNREACH_NLRI " + addressFamily() + (isEndOfRib() ? " End-of-RIB" : " " + nlri);
    }
}
