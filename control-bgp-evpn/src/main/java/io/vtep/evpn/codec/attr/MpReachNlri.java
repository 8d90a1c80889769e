package io.vtep.evpn.codec.attr;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.AddressFamily;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.MalformedValueException;
import io.vtep.evpn.codec.Octets;
import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.Nlri;
import io.vtep.evpn.codec.nlri.OpaqueNlri;

/**
 * MP_REACH_NLRI (type 14, optional non-transitive, RFC 4760 §3): reachable routes of another
 * address family with their next hop. For EVPN the next hop is the advertising VTEP's address: 4
 * octets (IPv4), 16 (IPv6 global) or 32 (IPv6 global + link-local). FRR sends it first among the
 * attributes, with Extended Length set (flags 0x90), as RFC 7606 §5.1 asks.
 *
 * <pre>
 *  | AFI (2) | SAFI (1) | Length of Next Hop (1) | Next Hop (variable) | Reserved (1) | NLRI (variable) |
 * </pre>
 *
 * Any malformation resets the session (RFC 7606 §7.11, RFC 4760 §7): the next hop length is the
 * only way to find the NLRI, and routes that cannot be found cannot be withdrawn.
 *
 * @param flags    the flags octet.
 * @param afi      address family.
 * @param safi     subsequent address family.
 * @param nextHop  the next hop octets as received.
 * @param reserved the reserved octet (RFC 4760; once "Number of SNPAs"), 0 when sent.
 * @param nlri     EVPN routes for L2VPN EVPN, else one {@link OpaqueNlri} (or none).
 */
public record MpReachNlri(int flags, int afi, int safi, Octets nextHop, int reserved, List<Nlri> nlri)
    implements PathAttribute
{
    /** Optional, Extended-Length: what FRR writes and what vtep's builders write. */
    public static final int DEFAULT_FLAGS = AttributeFlags.OPTIONAL | AttributeFlags.EXTENDED_LENGTH;

    /** Checks the fields and copies the list. */
    public MpReachNlri
    {
        AttributeFlags.check(flags);
        new AddressFamily(afi, safi);
        Objects.requireNonNull(nextHop, "nextHop");
        if (nextHop.length() > 255 || reserved < 0 || reserved > 255)
        {
            throw new IllegalArgumentException("next hop of " + nextHop.length() + " octets / reserved " + reserved);
        }
        nlri = List.copyOf(nlri);
    }

    /**
     * @param nextHop the advertising VTEP's address (4 or 16 octets).
     * @param routes  the EVPN routes.
     * @return an L2VPN EVPN MP_REACH_NLRI with {@link #DEFAULT_FLAGS}.
     */
    public static MpReachNlri evpn(final InetAddress nextHop, final List<? extends EvpnRoute> routes)
    {
        return new MpReachNlri(DEFAULT_FLAGS, AddressFamily.AFI_L2VPN, AddressFamily.SAFI_EVPN,
            Octets.copyOf(nextHop.getAddress()), 0, List.copyOf(routes));
    }

    static MpReachNlri decode(final int flags, final ByteBuf value)
    {
        if (value.readableBytes() < 5)
        {
            throw PathAttributes.lengthError(AttributeType.MP_REACH_NLRI, value.readableBytes(),
                "at least 5 (AFI, SAFI, next hop length, reserved)");
        }
        final int afi = value.readUnsignedShort();
        final int safi = value.readUnsignedByte();
        final int nextHopLength = value.readUnsignedByte();
        if (nextHopLength + 1 > value.readableBytes())
        {
            throw new MalformedValueException(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR, "MP_REACH_NLRI next hop length " +
                nextHopLength + " (+1 reserved) runs past the " + value.readableBytes() + " octets left");
        }
        final boolean evpn = afi == AddressFamily.AFI_L2VPN && safi == AddressFamily.SAFI_EVPN;
        if (evpn && nextHopLength != 4 && nextHopLength != 16 && nextHopLength != 32)
        {
            // RFC 7606 §7.11: a next hop length inconsistent with the AFI/SAFI.
            throw new MalformedValueException(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR,
                "MP_REACH_NLRI L2VPN EVPN next hop length " + nextHopLength + ", expected 4, 16 or 32");
        }
        final Octets nextHop = Octets.read(value, nextHopLength);
        final int reserved = value.readUnsignedByte();
        return new MpReachNlri(flags, afi, safi, nextHop, reserved, decodeNlri(evpn, value));
    }

    static List<Nlri> decodeNlri(final boolean evpn, final ByteBuf value)
    {
        if (evpn)
        {
            return new ArrayList<>(EvpnRoute.decodeAll(value));
        }
        return value.isReadable() ? List.of(new OpaqueNlri(Octets.read(value, value.readableBytes()))) : List.of();
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

    /**
     * @return the next hop address: the whole field when it is 4 or 16 octets, the global address
     *     when it is 32; empty for other lengths.
     */
    public Optional<InetAddress> nextHopAddress()
    {
        return switch (nextHop.length())
        {
            case 4, 16 -> Optional.of(WireFormat.address(nextHop.toByteArray()));
            case 32 -> Optional.of(WireFormat.address(java.util.Arrays.copyOf(nextHop.toByteArray(), 16)));
            default -> Optional.empty();
        };
    }

    /** @return the IPv6 link-local next hop of a 32-octet next hop (RFC 2545 §3). */
    public Optional<Inet6Address> linkLocalNextHop()
    {
        if (nextHop.length() != 32)
        {
            return Optional.empty();
        }
        return Optional.of((Inet6Address)WireFormat.address(java.util.Arrays.copyOfRange(nextHop.toByteArray(), 16, 32)));
    }

    @Override
    public int typeCode()
    {
        return AttributeType.MP_REACH_NLRI;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        out.writeShort(afi);
        out.writeByte(safi);
        out.writeByte(nextHop.length());
        nextHop.writeTo(out);
        out.writeByte(reserved);
        nlri.forEach(one -> one.encode(out));
    }

    @Override
    public String toString()
    {
        return "MP_REACH_NLRI " + addressFamily() + " next hop " +
            nextHopAddress().map(WireFormat::toText).orElse(nextHop.toString()) + " " + nlri;
    }
}
