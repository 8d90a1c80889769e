package io.vtep.evpn.codec;

import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A capability advertised in OPEN (RFC 5492 §4): code, length, value. The ones a vtep session
 * negotiates are decoded; every other capability (graceful restart, ADD-PATH, FQDN, extended
 * message, LLGR, Cisco's pre-standard route refresh: all of which FRR sends) and any known one
 * whose value has not the defined shape stays {@link Unknown}, so it re-encodes to the octets it
 * came from. RFC 5492 §3 lets a speaker ignore capabilities it does not support.
 */
public sealed interface Capability
{
    int CODE_MULTIPROTOCOL = 1;
    int CODE_ROUTE_REFRESH = 2;
    int CODE_OUTBOUND_ROUTE_FILTERING = 3;
    int CODE_EXTENDED_NEXT_HOP = 5;
    int CODE_EXTENDED_MESSAGE = 6;
    int CODE_ROLE = 9;
    int CODE_GRACEFUL_RESTART = 64;
    int CODE_FOUR_OCTET_AS = 65;
    int CODE_ADD_PATH = 69;
    int CODE_ENHANCED_ROUTE_REFRESH = 70;
    int CODE_LONG_LIVED_GRACEFUL_RESTART = 71;
    int CODE_FQDN = 73;
    int CODE_ROUTE_REFRESH_CISCO = 128;

    /** @return the capability code. */
    int code();

    /** @param out the value (not code and length) is written at its writer index. */
    void encodeValue(ByteBuf out);

    /**
     * @param code  the capability code.
     * @param value the value octets.
     * @return the capability, typed when the code is known and the value has its shape.
     */
    static Capability decode(final int code, final Octets value)
    {
        return switch (code)
        {
            case CODE_MULTIPROTOCOL -> value.length() == 4 && value.get(2) == 0 ?
                new Multiprotocol(new AddressFamily(value.get(0) << 8 | value.get(1), value.get(3))) :
                new Unknown(code, value);
            case CODE_ROUTE_REFRESH -> value.isEmpty() ? RouteRefresh.INSTANCE : new Unknown(code, value);
            case CODE_ENHANCED_ROUTE_REFRESH -> value.isEmpty() ? EnhancedRouteRefresh.INSTANCE : new Unknown(code, value);
            case CODE_FOUR_OCTET_AS -> value.length() == 4 ?
                new FourOctetAs((long)value.get(0) << 24 | value.get(1) << 16 | value.get(2) << 8 | value.get(3)) :
                new Unknown(code, value);
            default -> new Unknown(code, value);
        };
    }

    /**
     * @param capability to encode.
     * @param out        code, length and value are written at its writer index.
     */
    static void encode(final Capability capability, final ByteBuf out)
    {
        final ByteBuf value = Unpooled.buffer();
        try
        {
            capability.encodeValue(value);
            if (value.readableBytes() > 255)
            {
                throw new IllegalArgumentException("capability " + capability.code() + " value longer than 255 octets");
            }
            out.writeByte(capability.code());
            out.writeByte(value.readableBytes());
            out.writeBytes(value);
        }
        finally
        {
            value.release();
        }
    }

    /**
     * @param code a capability code.
     * @return its IANA name.
     */
    static String name(final int code)
    {
        return switch (code)
        {
            case CODE_MULTIPROTOCOL -> "Multiprotocol Extensions";
            case CODE_ROUTE_REFRESH -> "Route Refresh";
            case CODE_OUTBOUND_ROUTE_FILTERING -> "Outbound Route Filtering";
            case CODE_EXTENDED_NEXT_HOP -> "Extended Next Hop Encoding";
            case CODE_EXTENDED_MESSAGE -> "BGP Extended Message";
            case CODE_ROLE -> "BGP Role";
            case CODE_GRACEFUL_RESTART -> "Graceful Restart";
            case CODE_FOUR_OCTET_AS -> "Support for 4-octet AS number";
            case CODE_ADD_PATH -> "ADD-PATH";
            case CODE_ENHANCED_ROUTE_REFRESH -> "Enhanced Route Refresh";
            case CODE_LONG_LIVED_GRACEFUL_RESTART -> "Long-Lived Graceful Restart";
            case CODE_FQDN -> "FQDN";
            case CODE_ROUTE_REFRESH_CISCO -> "Route Refresh (Cisco, pre-standard)";
            default -> "capability " + code;
        };
    }

    /**
     * Multiprotocol Extensions (RFC 4760 §8): AFI (2), reserved (1), SAFI (1).
     *
     * @param family the address family the speaker can exchange.
     */
    record Multiprotocol(AddressFamily family) implements Capability
    {
        /** L2VPN EVPN. */
        public static final Multiprotocol L2VPN_EVPN = new Multiprotocol(AddressFamily.L2VPN_EVPN);

        /** Checks the family. */
        public Multiprotocol
        {
            Objects.requireNonNull(family, "family");
        }

        @Override
        public int code()
        {
            return CODE_MULTIPROTOCOL;
        }

        @Override
        public void encodeValue(final ByteBuf out)
        {
            out.writeShort(family.afi());
            out.writeByte(0);
            out.writeByte(family.safi());
        }

        @Override
        public String toString()
        {
            return "MP " + family;
        }
    }

    /** Route Refresh (RFC 2918 §2): no value. */
    record RouteRefresh() implements Capability
    {
        /** The capability. */
        public static final RouteRefresh INSTANCE = new RouteRefresh();

        @Override
        public int code()
        {
            return CODE_ROUTE_REFRESH;
        }

        @Override
        public void encodeValue(final ByteBuf out)
        {
        }

        @Override
        public String toString()
        {
            return "Route Refresh";
        }
    }

    /** Enhanced Route Refresh (RFC 7313 §3): no value. */
    record EnhancedRouteRefresh() implements Capability
    {
        /** The capability. */
        public static final EnhancedRouteRefresh INSTANCE = new EnhancedRouteRefresh();

        @Override
        public int code()
        {
            return CODE_ENHANCED_ROUTE_REFRESH;
        }

        @Override
        public void encodeValue(final ByteBuf out)
        {
        }

        @Override
        public String toString()
        {
            return "Enhanced Route Refresh";
        }
    }

    /**
     * Support for 4-octet AS numbers (RFC 6793 §3): the speaker's real AS.
     *
     * @param asn 0..4294967295.
     */
    record FourOctetAs(long asn) implements Capability
    {
        /** Checks the width. */
        public FourOctetAs
        {
            if ((asn & ~0xFFFF_FFFFL) != 0)
            {
                throw new IllegalArgumentException("AS " + asn + " not 4 octets");
            }
        }

        @Override
        public int code()
        {
            return CODE_FOUR_OCTET_AS;
        }

        @Override
        public void encodeValue(final ByteBuf out)
        {
            out.writeInt((int)asn);
        }

        @Override
        public String toString()
        {
            return "4-octet AS " + asn;
        }
    }

    /**
     * Any other capability, kept as received.
     *
     * @param code  the capability code.
     * @param value the value octets.
     */
    record Unknown(int code, Octets value) implements Capability
    {
        /** Checks the fields. */
        public Unknown
        {
            if (code < 0 || code > 255 || value.length() > 255)
            {
                throw new IllegalArgumentException("capability " + code + " of " + value.length() + " octets out of range");
            }
        }

        @Override
        public void encodeValue(final ByteBuf out)
        {
            value.writeTo(out);
        }

        @Override
        public String toString()
        {
            return Capability.name(code) + (value.isEmpty() ? "" : " " + value);
        }
    }
}
