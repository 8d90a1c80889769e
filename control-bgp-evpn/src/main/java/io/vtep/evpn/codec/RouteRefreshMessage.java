package io.vtep.evpn.codec;

import java.util.Objects;

import io.netty.buffer.ByteBuf;

/**
 * ROUTE-REFRESH (RFC 2918 §3, RFC 7313 §3): ask the peer to resend its Adj-RIB-Out for one
 * address family; with enhanced route refresh the same message also marks the beginning and end
 * of the resent routes.
 *
 * <pre>
 *  | AFI (2) | Message Subtype (1, was Reserved) | SAFI (1) | ORF entries (RFC 5291, subtype 0 only) |
 * </pre>
 *
 * A message of subtype 1 or 2 that is not exactly 23 octets, or any one shorter than 23, is
 * ROUTE-REFRESH Message Error / Invalid Message Length with the whole message as data (RFC 7313
 * §5). Subtypes 3-255 decode; the speaker ignores them (RFC 7313 §5).
 *
 * @param afi        address family.
 * @param subtype    0 normal request, 1 BoRR, 2 EoRR.
 * @param safi       subsequent address family.
 * @param orfEntries anything after the SAFI (Outbound Route Filtering, RFC 5291), kept opaque.
 */
public record RouteRefreshMessage(int afi, int subtype, int safi, Octets orfEntries) implements BgpMessage
{
    public static final int SUBTYPE_NORMAL = 0;
    /** Beginning of Route Refresh (RFC 7313 §4). */
    public static final int SUBTYPE_BEGINNING_OF_ROUTE_REFRESH = 1;
    /** End of Route Refresh (RFC 7313 §4). */
    public static final int SUBTYPE_END_OF_ROUTE_REFRESH = 2;
    /** Header plus AFI, subtype and SAFI. */
    public static final int LENGTH = BgpCodec.HEADER_LENGTH + 4;

    /** Checks the fields. */
    public RouteRefreshMessage
    {
        new AddressFamily(afi, safi);
        if (subtype < 0 || subtype > 255)
        {
            throw new IllegalArgumentException("subtype " + subtype + " not an octet");
        }
        Objects.requireNonNull(orfEntries, "orfEntries");
    }

    /**
     * @param family  the address family to refresh.
     * @param subtype {@link #SUBTYPE_NORMAL}, {@link #SUBTYPE_BEGINNING_OF_ROUTE_REFRESH} or
     *                {@link #SUBTYPE_END_OF_ROUTE_REFRESH}.
     * @return the message.
     */
    public static RouteRefreshMessage of(final AddressFamily family, final int subtype)
    {
        return new RouteRefreshMessage(family.afi(), subtype, family.safi(), Octets.EMPTY);
    }

    static RouteRefreshMessage decodeBody(final ByteBuf body, final Octets wholeMessage)
    {
        final int length = body.readableBytes();
        if (length < 4)
        {
            throw new BgpDecodeException(ErrorCode.ROUTE_REFRESH_MESSAGE_ERROR.code(), ErrorSubcode.INVALID_MESSAGE_LENGTH.subcode(),
                wholeMessage, "ROUTE-REFRESH message length " + (length + BgpCodec.HEADER_LENGTH) + ", expected 23",
                length + BgpCodec.HEADER_LENGTH, LENGTH, LENGTH);
        }
        final int afi = body.readUnsignedShort();
        final int subtype = body.readUnsignedByte();
        final int safi = body.readUnsignedByte();
        if ((subtype == SUBTYPE_BEGINNING_OF_ROUTE_REFRESH || subtype == SUBTYPE_END_OF_ROUTE_REFRESH) && body.isReadable())
        {
            throw new BgpDecodeException(ErrorCode.ROUTE_REFRESH_MESSAGE_ERROR.code(), ErrorSubcode.INVALID_MESSAGE_LENGTH.subcode(),
                wholeMessage, "ROUTE-REFRESH subtype " + subtype + " length " + (length + BgpCodec.HEADER_LENGTH) +
                    ", expected 23", length + BgpCodec.HEADER_LENGTH, LENGTH, LENGTH);
        }
        return new RouteRefreshMessage(afi, subtype, safi, Octets.read(body, body.readableBytes()));
    }

    /** @return the AFI/SAFI pair. */
    public AddressFamily addressFamily()
    {
        return new AddressFamily(afi, safi);
    }

    @Override
    public MessageType type()
    {
        return MessageType.ROUTE_REFRESH;
    }

    @Override
    public void encodeBody(final ByteBuf out, final CodecContext context)
    {
        out.writeShort(afi);
        out.writeByte(subtype);
        out.writeByte(safi);
        orfEntries.writeTo(out);
    }

    @Override
    public String toString()
    {
        final String kind = switch (subtype)
        {
            case SUBTYPE_NORMAL -> "";
            case SUBTYPE_BEGINNING_OF_ROUTE_REFRESH -> " BoRR";
            case SUBTYPE_END_OF_ROUTE_REFRESH -> " EoRR";
            default -> " subtype " + subtype;
        };
        return "ROUTE-REFRESH " + addressFamily() + kind + (orfEntries.isEmpty() ? "" : " ORF " + orfEntries);
    }
}
