package io.vtep.evpn.codec.attr;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.MalformedValueException;
import io.vtep.evpn.codec.Octets;
import io.vtep.evpn.codec.WireFormat;

/**
 * PMSI_TUNNEL (type 22, optional transitive, RFC 6514 §5): how BUM traffic reaches the originator
 * of a type-3 route (RFC 7432 §11.2). With ingress replication (type 6) the tunnel identifier is
 * the originator's unicast tunnel endpoint, and for VXLAN the 24-bit label field holds the whole
 * VNI (RFC 8365 §5.1.3): FRR sends {@code 00 06 00 00 64 c6 33 64 01} for VNI 100 from
 * 198.51.100.1.
 *
 * <pre>
 *  | Flags (1) | Tunnel Type (1) | MPLS Label (3) | Tunnel Identifier (variable) |
 * </pre>
 *
 * Malformed means treat-as-withdraw: RFC 6514 has no rule, and RFC 7606 §8 prefers it for an
 * attribute that decides where traffic goes (FRR and GoBGP do the same).
 *
 * @param flags            the attribute flags octet.
 * @param tunnelFlags      the PMSI flags octet (0x01: Leaf Information Required).
 * @param tunnelType       the tunnel type.
 * @param label            the 24-bit label field: the VNI for VXLAN.
 * @param tunnelIdentifier the tunnel identifier as received.
 */
public record PmsiTunnel(int flags, int tunnelFlags, int tunnelType, int label, Octets tunnelIdentifier)
    implements PathAttribute
{
    /** No tunnel information present (RFC 6514 §5). */
    public static final int TUNNEL_TYPE_NO_INFO = 0;
    /** Ingress Replication (RFC 6514 §5): head-end replication to the tunnel identifier. */
    public static final int TUNNEL_TYPE_INGRESS_REPLICATION = 6;
    /** Leaf Information Required flag. */
    public static final int FLAG_LEAF_INFORMATION_REQUIRED = 0x01;

    /** Checks the fields. */
    public PmsiTunnel
    {
        AttributeFlags.check(flags);
        if (tunnelFlags < 0 || tunnelFlags > 0xFF || tunnelType < 0 || tunnelType > 0xFF || (label & ~0xFF_FFFF) != 0)
        {
            throw new IllegalArgumentException("PMSI flags " + tunnelFlags + " / type " + tunnelType + " / label " + label +
                " out of range");
        }
        Objects.requireNonNull(tunnelIdentifier, "tunnelIdentifier");
    }

    /**
     * @param vni      the VNI, written whole into the label field (RFC 8365 §5.1.3).
     * @param endpoint the VTEP address BUM traffic is sent to.
     * @return an ingress replication PMSI tunnel with optional transitive flags.
     */
    public static PmsiTunnel ingressReplication(final int vni, final InetAddress endpoint)
    {
        return new PmsiTunnel(AttributeFlags.OPTIONAL_TRANSITIVE, 0, TUNNEL_TYPE_INGRESS_REPLICATION, vni,
            Octets.copyOf(endpoint.getAddress()));
    }

    static PmsiTunnel decode(final int flags, final ByteBuf value)
    {
        if (value.readableBytes() < 5)
        {
            throw PathAttributes.lengthError(AttributeType.PMSI_TUNNEL, value.readableBytes(),
                "at least 5 (flags, tunnel type, label)");
        }
        final int tunnelFlags = value.readUnsignedByte();
        final int tunnelType = value.readUnsignedByte();
        final int label = value.readUnsignedMedium();
        final int identifierLength = value.readableBytes();
        if (tunnelType == TUNNEL_TYPE_INGRESS_REPLICATION && identifierLength != 4 && identifierLength != 16)
        {
            throw new MalformedValueException(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR,
                "PMSI_TUNNEL ingress replication tunnel identifier of " + identifierLength + " octets, expected 4 or 16");
        }
        return new PmsiTunnel(flags, tunnelFlags, tunnelType, label, Octets.read(value, identifierLength));
    }

    /** @return the VNI: the whole 24-bit label field (RFC 8365 §5.1.3). */
    public int vni()
    {
        return label;
    }

    /** @return the label field read as a 20-bit MPLS label (RFC 6514), what Wireshark calls the label. */
    public int mplsLabel()
    {
        return label >>> 4;
    }

    /** @return the unicast tunnel endpoint of an ingress replication tunnel. */
    public Optional<InetAddress> tunnelEndpoint()
    {
        if (tunnelType != TUNNEL_TYPE_INGRESS_REPLICATION)
        {
            return Optional.empty();
        }
        return Optional.of(WireFormat.address(tunnelIdentifier.toByteArray()));
    }

    @Override
    public int typeCode()
    {
        return AttributeType.PMSI_TUNNEL;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        out.writeByte(tunnelFlags);
        out.writeByte(tunnelType);
        out.writeMedium(label);
        tunnelIdentifier.writeTo(out);
    }

    @Override
    public String toString()
    {
        return "PMSI_TUNNEL type " + tunnelType + " label " + label +
            tunnelEndpoint().map(endpoint -> " endpoint " + WireFormat.toText(endpoint)).orElse(" id " + tunnelIdentifier);
    }
}
