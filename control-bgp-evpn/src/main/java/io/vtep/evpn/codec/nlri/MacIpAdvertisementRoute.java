package io.vtep.evpn.codec.nlri;

import java.net.InetAddress;
import java.util.Objects;
import java.util.OptionalInt;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.MalformedValueException;
import io.vtep.evpn.codec.WireFormat;

/**
 * Route type 2, MAC/IP Advertisement (RFC 7432 §7.2): "this MAC (and IP) is behind me". With
 * VXLAN the 24-bit label field carries the VNI whole (RFC 8365 §5.1.3), so {@link #vni()} is
 * {@link #label1()}; Wireshark, reading it as a 20-bit MPLS label, shows VNI 100 as "6".
 *
 * <pre>
 *  | RD (8) | ESI (10) | Ethernet Tag ID (4) | MAC Address Length (1) = 48 | MAC Address (6) |
 *  | IP Address Length (1) = 0, 32 or 128 | IP Address (0, 4 or 16) | MPLS Label1 (3) |
 *  | MPLS Label2 (0 or 3) |
 * </pre>
 *
 * @param rd          route distinguisher.
 * @param esi         Ethernet segment ({@link EthernetSegmentId#ZERO} when single-homed).
 * @param ethernetTag Ethernet Tag ID (0 for VLAN-based service, RFC 8365 §5.1.2).
 * @param mac         the MAC address.
 * @param ip          the IP address bound to the MAC, or {@code null}.
 * @param label1      the 24-bit label field: the L2 VNI.
 * @param label2      the second label field when present (the L3 VNI for symmetric IRB).
 */
public record MacIpAdvertisementRoute(
    RouteDistinguisher rd,
    EthernetSegmentId esi,
    long ethernetTag,
    EvpnMac mac,
    InetAddress ip,
    int label1,
    OptionalInt label2) implements EvpnRoute
{
    /** The only MAC address length RFC 7432 §7.2 defines, in bits. */
    public static final int MAC_LENGTH_BITS = 48;

    private static final int FIXED_LENGTH = 8 + 10 + 4 + 1 + 6 + 1 + 3;

    /** Checks the fields. */
    public MacIpAdvertisementRoute
    {
        Objects.requireNonNull(rd, "rd");
        Objects.requireNonNull(esi, "esi");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(label2, "label2 (use OptionalInt.empty())");
        EvpnRoute.checkEthernetTag(ethernetTag);
        EvpnRoute.checkLabel(label1);
        label2.ifPresent(EvpnRoute::checkLabel);
    }

    /**
     * The route a VTEP advertises for a MAC learned on an access port: single-homed, Ethernet tag
     * 0, one label carrying the VNI.
     *
     * @param rd  the VNI's route distinguisher.
     * @param mac the MAC address.
     * @param ip  its IP address, or {@code null}.
     * @param vni the VNI (1..16777215).
     * @return the route.
     */
    public static MacIpAdvertisementRoute of(final RouteDistinguisher rd, final EvpnMac mac, final InetAddress ip, final int vni)
    {
        return new MacIpAdvertisementRoute(rd, EthernetSegmentId.ZERO, 0, mac, ip, vni, OptionalInt.empty());
    }

    static MacIpAdvertisementRoute decodeValue(final ByteBuf value)
    {
        final int length = value.readableBytes();
        if (length < FIXED_LENGTH)
        {
            throw EvpnRoute.badLength(TYPE_MAC_IP_ADVERTISEMENT, length, "at least " + FIXED_LENGTH);
        }
        final RouteDistinguisher rd = RouteDistinguisher.read(value);
        final EthernetSegmentId esi = EthernetSegmentId.read(value);
        final long ethernetTag = value.readUnsignedInt();
        final int macLength = value.readUnsignedByte();
        if (macLength != MAC_LENGTH_BITS)
        {
            throw new MalformedValueException(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR,
                "EVPN type 2 MAC Address Length " + macLength + ", expected 48");
        }
        final EvpnMac mac = EvpnMac.read(value);
        final int ipLengthBits = value.readUnsignedByte();
        if (ipLengthBits != 0 && ipLengthBits != 32 && ipLengthBits != 128)
        {
            throw new MalformedValueException(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR,
                "EVPN type 2 IP Address Length " + ipLengthBits + ", expected 0, 32 or 128");
        }
        final int ipLength = ipLengthBits / 8;
        if (length != FIXED_LENGTH + ipLength && length != FIXED_LENGTH + ipLength + 3)
        {
            throw EvpnRoute.badLength(TYPE_MAC_IP_ADVERTISEMENT, length,
                (FIXED_LENGTH + ipLength) + " or " + (FIXED_LENGTH + ipLength + 3) + " with IP Address Length " + ipLengthBits);
        }
        final InetAddress ip = ipLength == 0 ? null : WireFormat.readAddress(value, ipLength);
        final int label1 = EvpnRoute.readLabel(value);
        final OptionalInt label2 = value.isReadable() ? OptionalInt.of(EvpnRoute.readLabel(value)) : OptionalInt.empty();
        return new MacIpAdvertisementRoute(rd, esi, ethernetTag, mac, ip, label1, label2);
    }

    /** @return the VNI: the whole 24-bit label1 field (RFC 8365 §5.1.3). */
    public int vni()
    {
        return label1;
    }

    @Override
    public int routeType()
    {
        return TYPE_MAC_IP_ADVERTISEMENT;
    }

    /** RFC 7432 §7.2: ESI and the labels are attributes of the route, not part of its key. */
    @Override
    public EvpnRouteKey key()
    {
        return new EvpnRouteKey.MacIpAdvertisement(rd, ethernetTag, mac, ip);
    }

    @Override
    public int valueLength()
    {
        return FIXED_LENGTH + WireFormat.length(ip) + (label2.isPresent() ? 3 : 0);
    }

    @Override
    public void encodeValue(final ByteBuf out)
    {
        rd.write(out);
        esi.write(out);
        out.writeInt((int)ethernetTag);
        out.writeByte(MAC_LENGTH_BITS);
        mac.write(out);
        out.writeByte(WireFormat.length(ip) * 8);
        if (ip != null)
        {
            WireFormat.writeAddress(out, ip);
        }
        out.writeMedium(label1);
        label2.ifPresent(out::writeMedium);
    }

    @Override
    public String toString()
    {
        return "type 2 " + key() + (esi.isZero() ? "" : " esi " + esi) + " label1 " + label1 + (label2.isPresent() ? " label2 " + label2.getAsInt() :
            "");
    }
}
