package io.vtep.evpn.codec.attr;

import java.net.Inet4Address;
import java.util.Objects;

import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.codec.nlri.EvpnMac;

/**
 * One 8-octet extended community (RFC 4360 §2): a type octet (high bit: IANA authority, next bit:
 * non-transitive), usually a sub-type octet, then 6 or 7 octets of value. The ones EVPN over VXLAN
 * uses are decoded into fields; anything else, and any known one whose reserved octets are not
 * zero, stays {@link Opaque} (RFC 7606 §7.14: an unrecognized type is never an error), so that
 * every community re-encodes to the octets it came from.
 */
public sealed interface ExtendedCommunity
{
    /** Transitive Two-Octet AS-Specific (RFC 4360 §3.1). */
    int TYPE_TWO_OCTET_AS = 0x00;
    /** Transitive IPv4-Address-Specific (RFC 4360 §3.2). */
    int TYPE_IPV4_ADDRESS = 0x01;
    /** Transitive Four-Octet AS-Specific (RFC 5668). */
    int TYPE_FOUR_OCTET_AS = 0x02;
    /** Transitive Opaque (RFC 4360 §3.3). */
    int TYPE_OPAQUE = 0x03;
    /** EVPN (RFC 7432 §7.5-7.7). */
    int TYPE_EVPN = 0x06;

    /** Route Target sub-type of the AS and IPv4 types (RFC 4360 §4). */
    int SUBTYPE_ROUTE_TARGET = 0x02;
    /** Encapsulation sub-type of the Opaque type (RFC 9012 §4.1, was RFC 5512 §4.5). */
    int SUBTYPE_ENCAPSULATION = 0x0C;
    /** MAC Mobility (RFC 7432 §7.7). */
    int SUBTYPE_MAC_MOBILITY = 0x00;
    /** ESI Label (RFC 7432 §7.5). */
    int SUBTYPE_ESI_LABEL = 0x01;
    /** ES-Import Route Target (RFC 7432 §7.6). */
    int SUBTYPE_ES_IMPORT = 0x02;
    /** EVPN Router's MAC (RFC 9135 §8.1). */
    int SUBTYPE_ROUTER_MAC = 0x03;
    /** DF Election (RFC 8584 §2.2). */
    int SUBTYPE_DF_ELECTION = 0x06;

    /** @return the 8 octets, network order. */
    long value();

    /**
     * @param value 8 octets, network order.
     * @return the community, typed when this codec knows its type and sub-type.
     */
    static ExtendedCommunity of(final long value)
    {
        final int type = (int)(value >>> 56) & 0xFF;
        final int subtype = (int)(value >>> 48) & 0xFF;
        if (subtype == SUBTYPE_ROUTE_TARGET && (type == TYPE_TWO_OCTET_AS || type == TYPE_IPV4_ADDRESS || type == TYPE_FOUR_OCTET_AS))
        {
            return RouteTarget.fromValue(value);
        }
        if (type == TYPE_OPAQUE && subtype == SUBTYPE_ENCAPSULATION && (value & 0xFFFF_FFFF_0000L) == 0)
        {
            return new Encapsulation((int)value & 0xFFFF);
        }
        if (type == TYPE_EVPN && subtype == SUBTYPE_MAC_MOBILITY && (value & 0x00FF_0000_0000L) == 0)
        {
            return new MacMobility((int)(value >>> 40) & 0xFF, value & 0xFFFF_FFFFL);
        }
        if (type == TYPE_EVPN && subtype == SUBTYPE_ESI_LABEL && (value & 0xFFFF_0000_00L) == 0)
        {
            return new EsiLabel((int)(value >>> 40) & 0xFF, (int)value & 0xFF_FFFF);
        }
        if (type == TYPE_EVPN && subtype == SUBTYPE_ES_IMPORT)
        {
            return new EsImportRouteTarget(value & 0xFFFF_FFFF_FFFFL);
        }
        if (type == TYPE_EVPN && subtype == SUBTYPE_DF_ELECTION && (value & 0xFFFF_0000L) == 0)
        {
            return new DfElection((int)(value >>> 40) & 0xFF, (int)(value >>> 32) & 0xFF, (int)value & 0xFFFF);
        }
        if (type == TYPE_EVPN && subtype == SUBTYPE_ROUTER_MAC)
        {
            return new RouterMac(new EvpnMac(value & 0xFFFF_FFFF_FFFFL));
        }
        return new Opaque(value);
    }

    /**
     * Route Target (RFC 4360 §4, RFC 5668): which VNIs import the route. FRR derives {@code ASN:VNI}
     * as a two-octet-AS RT (with the AS truncated to 16 bits for 4-octet ASes).
     *
     * @param type          {@link #TYPE_TWO_OCTET_AS}, {@link #TYPE_IPV4_ADDRESS} or {@link #TYPE_FOUR_OCTET_AS}.
     * @param administrator the AS, or the IPv4 address as an unsigned 32-bit value.
     * @param assigned      the local administrator: 4 octets for type 0, 2 for types 1 and 2.
     */
    record RouteTarget(int type, long administrator, long assigned) implements ExtendedCommunity
    {
        /** Checks the field widths. */
        public RouteTarget
        {
            final long maxAdministrator = type == TYPE_TWO_OCTET_AS ? 0xFFFF : 0xFFFF_FFFFL;
            final long maxAssigned = type == TYPE_TWO_OCTET_AS ? 0xFFFF_FFFFL : 0xFFFF;
            if (type != TYPE_TWO_OCTET_AS && type != TYPE_IPV4_ADDRESS && type != TYPE_FOUR_OCTET_AS)
            {
                throw new IllegalArgumentException("route target type " + type + " not 0, 1 or 2");
            }
            if (administrator < 0 || administrator > maxAdministrator || assigned < 0 || assigned > maxAssigned)
            {
                throw new IllegalArgumentException("route target " + administrator + ":" + assigned + " out of range for type " + type);
            }
        }

        /**
         * @param asn      0..65535.
         * @param assigned 0..4294967295, e.g. a VNI.
         * @return a two-octet-AS route target.
         */
        public static RouteTarget ofAs2(final int asn, final long assigned)
        {
            return new RouteTarget(TYPE_TWO_OCTET_AS, asn, assigned);
        }

        /**
         * @param address  the administrator.
         * @param assigned 0..65535.
         * @return an IPv4-address route target.
         */
        public static RouteTarget ofIpv4(final Inet4Address address, final int assigned)
        {
            return new RouteTarget(TYPE_IPV4_ADDRESS, WireFormat.toInt(address) & 0xFFFF_FFFFL, assigned);
        }

        /**
         * @param asn      0..4294967295.
         * @param assigned 0..65535.
         * @return a four-octet-AS route target.
         */
        public static RouteTarget ofAs4(final long asn, final int assigned)
        {
            return new RouteTarget(TYPE_FOUR_OCTET_AS, asn, assigned);
        }

        /**
         * Parses {@code ASN:n} (two-octet AS when the AS fits, else four-octet) or {@code A.B.C.D:n}.
         *
         * @param text the route target.
         * @return the route target.
         */
        public static RouteTarget parse(final String text)
        {
            final int colon = text.lastIndexOf(':');
            if (colon <= 0)
            {
                throw new IllegalArgumentException("not a route target: " + text);
            }
            final String administrator = text.substring(0, colon);
            final long assigned = Long.parseLong(text.substring(colon + 1));
            if (administrator.indexOf('.') >= 0)
            {
                return ofIpv4(WireFormat.parseIpv4(administrator), (int)assigned);
            }
            final long asn = Long.parseLong(administrator);
            return asn <= 0xFFFF ? ofAs2((int)asn, assigned) : ofAs4(asn, (int)assigned);
        }

        static RouteTarget fromValue(final long value)
        {
            final int type = (int)(value >>> 56) & 0xFF;
            if (type == TYPE_TWO_OCTET_AS)
            {
                return new RouteTarget(type, (value >>> 32) & 0xFFFF, value & 0xFFFF_FFFFL);
            }
            return new RouteTarget(type, (value >>> 16) & 0xFFFF_FFFFL, value & 0xFFFF);
        }

        @Override
        public long value()
        {
            final long header = (long)type << 56 | (long)SUBTYPE_ROUTE_TARGET << 48;
            return type == TYPE_TWO_OCTET_AS ? header | administrator << 32 | assigned : header | administrator << 16 | assigned;
        }

        @Override
        public String toString()
        {
            final String global = type == TYPE_IPV4_ADDRESS ? WireFormat.ipv4((int)administrator).getHostAddress() :
                String.valueOf(administrator);
            return "RT:" + global + ":" + assigned;
        }
    }

    /**
     * Encapsulation (RFC 9012 §4.1; RFC 8365 §5.1.3 requires it on EVPN routes over VXLAN):
     * {@code 03 0c 00 00 00 00} then the 2-octet tunnel type, 8 for VXLAN.
     *
     * @param tunnelType the tunnel type (IANA "BGP Tunnel Encapsulation Attribute Tunnel Types").
     */
    record Encapsulation(int tunnelType) implements ExtendedCommunity
    {
        /** RFC 8365 §5.1.3. */
        public static final int TUNNEL_TYPE_VXLAN = 8;
        /** RFC 8365. */
        public static final int TUNNEL_TYPE_NVGRE = 9;
        /** RFC 8365. */
        public static final int TUNNEL_TYPE_MPLS = 10;
        /** RFC 8926 / RFC 9012. */
        public static final int TUNNEL_TYPE_GENEVE = 19;

        /** VXLAN encapsulation. */
        public static final Encapsulation VXLAN = new Encapsulation(TUNNEL_TYPE_VXLAN);

        /** Checks the width. */
        public Encapsulation
        {
            if (tunnelType < 0 || tunnelType > 0xFFFF)
            {
                throw new IllegalArgumentException("tunnel type " + tunnelType + " not 2 octets");
            }
        }

        @Override
        public long value()
        {
            return (long)TYPE_OPAQUE << 56 | (long)SUBTYPE_ENCAPSULATION << 48 | tunnelType;
        }

        @Override
        public String toString()
        {
            return "ET:" + tunnelType;
        }
    }

    /**
     * MAC Mobility (RFC 7432 §7.7): the sequence number that makes the newest advertisement of a
     * moved MAC win (§15), and the sticky flag for static MACs that must never move.
     *
     * <pre>
     *  | 0x06 | 0x00 | Flags (1) | Reserved (1) | Sequence Number (4) |      Flags: .......S
     * </pre>
     *
     * @param flags    the flags octet (bit 0x01: sticky/static).
     * @param sequence the sequence number, 0..4294967295.
     */
    record MacMobility(int flags, long sequence) implements ExtendedCommunity
    {
        /** The sticky/static flag. */
        public static final int FLAG_STICKY = 0x01;

        /** Checks the widths. */
        public MacMobility
        {
            if (flags < 0 || flags > 0xFF)
            {
                throw new IllegalArgumentException("MAC mobility flags " + flags + " not an octet");
            }
            PathAttributes.checkUnsigned32(sequence, "MAC mobility sequence number");
        }

        /**
         * @param sequence the sequence number.
         * @param sticky   whether the MAC is static.
         * @return the community.
         */
        public static MacMobility of(final long sequence, final boolean sticky)
        {
            return new MacMobility(sticky ? FLAG_STICKY : 0, sequence);
        }

        /** @return whether the MAC is sticky (static), RFC 7432 §15.2. */
        public boolean sticky()
        {
            return (flags & FLAG_STICKY) != 0;
        }

        @Override
        public long value()
        {
            return (long)TYPE_EVPN << 56 | (long)SUBTYPE_MAC_MOBILITY << 48 | (long)flags << 40 | sequence;
        }

        @Override
        public String toString()
        {
            return "MM:" + sequence + (sticky() ? ", sticky MAC" : "");
        }
    }

    /**
     * ESI Label (RFC 7432 §7.5), for multihoming.
     *
     * <pre>
     *  | 0x06 | 0x01 | Flags (1) | Reserved (2) | ESI Label (3) |      Flags: .......A (single-active)
     * </pre>
     *
     * @param flags the flags octet.
     * @param label the 24-bit label field.
     */
    record EsiLabel(int flags, int label) implements ExtendedCommunity
    {
        /** Single-active redundancy mode. */
        public static final int FLAG_SINGLE_ACTIVE = 0x01;

        /** Checks the widths. */
        public EsiLabel
        {
            if (flags < 0 || flags > 0xFF || (label & ~0xFF_FFFF) != 0)
            {
                throw new IllegalArgumentException("ESI label flags " + flags + " / label " + label + " out of range");
            }
        }

        @Override
        public long value()
        {
            return (long)TYPE_EVPN << 56 | (long)SUBTYPE_ESI_LABEL << 48 | (long)flags << 40 | label;
        }

        @Override
        public String toString()
        {
            return "ESI-label:" + label + ((flags & FLAG_SINGLE_ACTIVE) != 0 ? " single-active" : " all-active");
        }
    }

    /**
     * ES-Import Route Target (RFC 7432 §7.6): carried by type-4 routes; a VTEP imports a type-4 route
     * only when this value is the ES-Import RT of one of its own Ethernet segments.
     *
     * <pre>
     *  | 0x06 | 0x02 | ES-Import (6 octets: the high-order 6 octets of the ESI value) |
     * </pre>
     *
     * @param value48 the 6 octets in the low 48 bits.
     */
    record EsImportRouteTarget(long value48) implements ExtendedCommunity
    {
        /** Checks the width. */
        public EsImportRouteTarget
        {
            if ((value48 & ~0xFFFF_FFFF_FFFFL) != 0)
            {
                throw new IllegalArgumentException("ES-Import value wider than 6 octets: " + Long.toHexString(value48));
            }
        }

        @Override
        public long value()
        {
            return (long)TYPE_EVPN << 56 | (long)SUBTYPE_ES_IMPORT << 48 | value48;
        }

        @Override
        public String toString()
        {
            return "ES-Import-Rt:" + new EvpnMac(value48);
        }
    }

    /**
     * DF Election extended community (RFC 8584 §2.2), on type-4 routes: the DF algorithm (0 modulo,
     * 2 preference, RFC 8584 §4) and its capabilities; for the preference algorithm the preference
     * in the last two octets (RFC 8584 §4.1).
     *
     * <pre>
     *  | 0x06 | 0x06 | DF Alg (1) | Bitmap (2) | Reserved (1) | DF Preference (2) |
     * </pre>
     *
     * @param algorithm  the DF algorithm (5 bits used).
     * @param bitmap     the high octet of the 2-octet capability bitmap (RFC 8584 §2.2; vtep sends 0, uses none).
     * @param preference the preference (algorithm 2), else 0.
     */
    record DfElection(int algorithm, int bitmap, int preference) implements ExtendedCommunity
    {
        /** RFC 7432 §8.5 service carving (modulo). */
        public static final int ALGORITHM_MODULO = 0;
        /** RFC 8584 §4 highest preference. */
        public static final int ALGORITHM_PREFERENCE = 2;

        /** Checks the widths. */
        public DfElection
        {
            if ((algorithm & ~0xFF) != 0 || (bitmap & ~0xFF) != 0 || (preference & ~0xFFFF) != 0)
            {
                throw new IllegalArgumentException("DF election " + algorithm + "/" + bitmap + "/" + preference + " out of range");
            }
        }

        @Override
        public long value()
        {
            return (long)TYPE_EVPN << 56 | (long)SUBTYPE_DF_ELECTION << 48 | (long)algorithm << 40 | (long)bitmap << 32 | preference;
        }

        @Override
        public String toString()
        {
            return "DF: (alg: " + algorithm + ", pref: " + preference + ")";
        }
    }

    /**
     * EVPN Router's MAC (RFC 9135 §8.1), for symmetric IRB.
     *
     * @param mac the router's MAC.
     */
    record RouterMac(EvpnMac mac) implements ExtendedCommunity
    {
        /** Checks the MAC. */
        public RouterMac
        {
            Objects.requireNonNull(mac, "mac");
        }

        @Override
        public long value()
        {
            return (long)TYPE_EVPN << 56 | (long)SUBTYPE_ROUTER_MAC << 48 | mac.value();
        }

        @Override
        public String toString()
        {
            return "Rmac:" + mac;
        }
    }

    /**
     * Any other community, kept as its 8 octets.
     *
     * @param value the octets.
     */
    record Opaque(long value) implements ExtendedCommunity
    {
        @Override
        public String toString()
        {
            return String.format("ext:%016x", value);
        }
    }
}
