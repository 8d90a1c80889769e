package io.vtep.evpn.codec.nlri;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.MalformedValueException;
import io.vtep.evpn.codec.Octets;

/**
 * One EVPN NLRI (RFC 7432 §7): a route type octet, a length octet, then the route.
 *
 * <pre>
 *  +-----------------------------------+
 *  |    Route Type (1 octet)           |
 *  +-----------------------------------+
 *  |     Length (1 octet)              |
 *  +-----------------------------------+
 *  | Route Type specific (variable)    |
 *  +-----------------------------------+
 * </pre>
 *
 * Types 1 to 5 are decoded into their fields; any other type is kept as {@link UnknownEvpnRoute}
 * so that the RIB can skip it (RFC 7606 §5.4: unrecognized NLRI types are discarded, not errors).
 */
public sealed interface EvpnRoute extends Nlri
    permits EthernetAutoDiscoveryRoute, MacIpAdvertisementRoute, InclusiveMulticastRoute, EthernetSegmentRoute,
    IpPrefixRoute, UnknownEvpnRoute
{
    /** RFC 7432 §7.1. */
    int TYPE_ETHERNET_AUTO_DISCOVERY = 1;
    /** RFC 7432 §7.2. */
    int TYPE_MAC_IP_ADVERTISEMENT = 2;
    /** RFC 7432 §7.3. */
    int TYPE_INCLUSIVE_MULTICAST_ETHERNET_TAG = 3;
    /** RFC 7432 §7.4. */
    int TYPE_ETHERNET_SEGMENT = 4;
    /** RFC 9136 §3. */
    int TYPE_IP_PREFIX = 5;

    /** @return the route type octet. */
    int routeType();

    /** @return what identifies the route in a RIB: the fields RFC 7432 makes part of the prefix. */
    EvpnRouteKey key();

    /** @return the octets after the type and length octets. */
    int valueLength();

    /** @param out the route-type-specific octets are written at its writer index. */
    void encodeValue(ByteBuf out);

    @Override
    default void encode(final ByteBuf out)
    {
        out.writeByte(routeType());
        out.writeByte(valueLength());
        encodeValue(out);
    }

    /**
     * Decodes a run of EVPN NLRI that fills {@code in} (the rest of an MP_REACH_NLRI or
     * MP_UNREACH_NLRI attribute).
     *
     * @param in its readable octets are consumed.
     * @return the routes in order.
     * @throws MalformedValueException (Optional Attribute Error) when a route's length runs past the
     *                                 end, or a route of a known type does not have that type's shape.
     */
    static List<EvpnRoute> decodeAll(final ByteBuf in)
    {
        final List<EvpnRoute> routes = new ArrayList<>();
        while (in.isReadable())
        {
            if (in.readableBytes() < 2)
            {
                throw new MalformedValueException(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR,
                    "EVPN NLRI: 1 octet left, fewer than a route type and length");
            }
            final int type = in.readUnsignedByte();
            final int length = in.readUnsignedByte();
            if (length > in.readableBytes())
            {
                throw new MalformedValueException(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR,
                    "EVPN route type " + type + " length " + length + " runs past the " + in.readableBytes() +
                        " octets left in the attribute");
            }
            routes.add(decode(type, in.readSlice(length)));
        }
        return routes;
    }

    /**
     * @param type  the route type octet.
     * @param value exactly the route-type-specific octets.
     * @return the route.
     * @throws MalformedValueException (Optional Attribute Error) if a known type has the wrong shape.
     */
    static EvpnRoute decode(final int type, final ByteBuf value)
    {
        return switch (type)
        {
            case TYPE_ETHERNET_AUTO_DISCOVERY -> EthernetAutoDiscoveryRoute.decodeValue(value);
            case TYPE_MAC_IP_ADVERTISEMENT -> MacIpAdvertisementRoute.decodeValue(value);
            case TYPE_INCLUSIVE_MULTICAST_ETHERNET_TAG -> InclusiveMulticastRoute.decodeValue(value);
            case TYPE_ETHERNET_SEGMENT -> EthernetSegmentRoute.decodeValue(value);
            case TYPE_IP_PREFIX -> IpPrefixRoute.decodeValue(value);
            default -> new UnknownEvpnRoute(type, Octets.read(value, value.readableBytes()));
        };
    }

    /**
     * @param type     the route type.
     * @param length   the octets found.
     * @param expected what the type allows.
     * @return the exception for a route of the wrong length.
     */
    static MalformedValueException badLength(final int type, final int length, final String expected)
    {
        return new MalformedValueException(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR,
            "EVPN route type " + type + " length " + length + ", expected " + expected);
    }

    /**
     * @param label a 24-bit label field.
     * @return the field, checked.
     */
    static int checkLabel(final int label)
    {
        if ((label & ~0xFF_FFFF) != 0)
        {
            throw new IllegalArgumentException("label field " + label + " wider than 24 bits");
        }
        return label;
    }

    /**
     * @param tag an Ethernet Tag ID.
     * @return the tag, checked to fit 4 octets.
     */
    static long checkEthernetTag(final long tag)
    {
        if ((tag & ~0xFFFF_FFFFL) != 0)
        {
            throw new IllegalArgumentException("Ethernet Tag ID " + tag + " wider than 32 bits");
        }
        return tag;
    }

    /**
     * @param in at least 3 readable octets.
     * @return the 24-bit label field.
     */
    static int readLabel(final ByteBuf in)
    {
        return in.readUnsignedMedium();
    }
}
