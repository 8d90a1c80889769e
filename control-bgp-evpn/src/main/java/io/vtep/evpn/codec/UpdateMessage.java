package io.vtep.evpn.codec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.attr.AttributeType;
import io.vtep.evpn.codec.attr.MalformedAttribute;
import io.vtep.evpn.codec.attr.MpReachNlri;
import io.vtep.evpn.codec.attr.MpUnreachNlri;
import io.vtep.evpn.codec.attr.PathAttribute;
import io.vtep.evpn.codec.attr.PathAttributes;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.Ipv4Prefix;

/**
 * UPDATE (RFC 4271 §4.3): withdrawn IPv4 routes, path attributes, IPv4 NLRI. EVPN routes travel
 * in the MP_REACH_NLRI and MP_UNREACH_NLRI attributes (RFC 4760).
 *
 * <pre>
 *  | Withdrawn Routes Length (2) | Withdrawn Routes (variable) |
 *  | Total Path Attribute Length (2) | Path Attributes (variable) | NLRI (variable) |
 * </pre>
 *
 * <p>A decoded UPDATE keeps everything it was received with, in order, so that it re-encodes to
 * the same octets: repeated attributes, and malformed ones as {@link MalformedAttribute}. What RFC
 * 7606 says to do about them is derived from that content: {@link #errors()} lists each problem
 * with its action, {@link #action()} is the strongest, and {@link #advertisedEvpnRoutes()} /
 * {@link #withdrawnEvpnRoutes()} already apply it (treat-as-withdraw moves the reachable routes to
 * the withdrawn ones; attribute discard hides the attribute from
 * {@link #effectivePathAttributes()}). An UPDATE whose action is a session reset is never returned
 * by the decoder: it throws {@link BgpDecodeException} instead.
 */
public final class UpdateMessage implements BgpMessage
{
    /** Header plus the two length fields. */
    public static final int MIN_LENGTH = BgpCodec.HEADER_LENGTH + 4;

    private final List<Ipv4Prefix> withdrawnRoutes;
    private final List<PathAttribute> pathAttributes;
    private final List<Ipv4Prefix> nlri;
    private final List<PathAttribute> effectivePathAttributes;
    private final List<UpdateError> errors;
    private final ErrorAction action;

    /**
     * @param withdrawnRoutes IPv4 routes withdrawn in the UPDATE's own field.
     * @param pathAttributes  the path attributes, in order (put MP_REACH_NLRI / MP_UNREACH_NLRI
     *                        first, RFC 7606 §5.1).
     * @param nlri            IPv4 routes advertised in the UPDATE's own field.
     */
    public UpdateMessage(final List<Ipv4Prefix> withdrawnRoutes, final List<PathAttribute> pathAttributes, final List<Ipv4Prefix> nlri)
    {
        this.withdrawnRoutes = List.copyOf(withdrawnRoutes);
        this.pathAttributes = List.copyOf(pathAttributes);
        this.nlri = List.copyOf(nlri);

        final List<PathAttribute> effective = new ArrayList<>();
        final List<UpdateError> found = new ArrayList<>();
        final Set<Integer> seen = new HashSet<>();
        for (final PathAttribute attribute : this.pathAttributes)
        {
            final int type = attribute.typeCode();
            if (type >= 0 && !seen.add(type))
            {
                found.add(repeated(attribute));
                continue;
            }
            if (attribute instanceof MalformedAttribute malformed)
            {
                found.add(malformed.error());
            }
            else
            {
                effective.add(attribute);
            }
        }
        // RFC 4271 §5.1 / RFC 4760 §3 / RFC 7606 §3: routes need ORIGIN and AS_PATH, IPv4 NLRI also NEXT_HOP.
        if (!this.nlri.isEmpty() || seen.contains(AttributeType.MP_REACH_NLRI))
        {
            requirePresent(seen, AttributeType.ORIGIN, found);
            requirePresent(seen, AttributeType.AS_PATH, found);
            if (!this.nlri.isEmpty())
            {
                requirePresent(seen, AttributeType.NEXT_HOP, found);
            }
        }
        ErrorAction strongest = ErrorAction.NONE;
        for (final UpdateError error : found)
        {
            strongest = strongest.strongest(error.action());
        }
        this.effectivePathAttributes = List.copyOf(effective);
        this.errors = List.copyOf(found);
        this.action = strongest;
    }

    /**
     * @param pathAttributes the path attributes, in order.
     * @return an UPDATE with no IPv4 routes, the shape of every EVPN UPDATE.
     */
    public static UpdateMessage of(final List<PathAttribute> pathAttributes)
    {
        return new UpdateMessage(List.of(), pathAttributes, List.of());
    }

    private static UpdateError repeated(final PathAttribute attribute)
    {
        final int type = attribute.typeCode();
        if (type == AttributeType.MP_REACH_NLRI || type == AttributeType.MP_UNREACH_NLRI)
        {
            return new UpdateError(ErrorAction.SESSION_RESET, ErrorSubcode.MALFORMED_ATTRIBUTE_LIST, Octets.EMPTY, type,
                AttributeType.name(type) + " appears more than once (RFC 7606 §3)");
        }
        return new UpdateError(ErrorAction.ATTRIBUTE_DISCARD, ErrorSubcode.MALFORMED_ATTRIBUTE_LIST, Octets.EMPTY, type,
            AttributeType.name(type) + " appears more than once; the repeat is discarded (RFC 7606 §3)");
    }

    private static void requirePresent(final Set<Integer> seen, final int type, final List<UpdateError> found)
    {
        if (!seen.contains(type))
        {
            found.add(new UpdateError(ErrorAction.TREAT_AS_WITHDRAW, ErrorSubcode.MISSING_WELL_KNOWN_ATTRIBUTE, Octets.of(type), type,
                "well-known mandatory attribute " + AttributeType.name(type) + " missing (RFC 7606 §3)"));
        }
    }

    /** @return every path attribute as received or built, repeats and malformed ones included. */
    public List<PathAttribute> pathAttributes()
    {
        return pathAttributes;
    }

    /** @return the path attributes to act on: no repeats (RFC 7606 §3), nothing malformed. */
    public List<PathAttribute> effectivePathAttributes()
    {
        return effectivePathAttributes;
    }

    /** @return every RFC 7606 finding, in the order found; empty for a well-formed UPDATE. */
    public List<UpdateError> errors()
    {
        return errors;
    }

    /** @return the strongest action of {@link #errors()}, {@link ErrorAction#NONE} when there are none. */
    public ErrorAction action()
    {
        return action;
    }

    /**
     * @param type an attribute record type.
     * @param <T>  that type.
     * @return the first effective attribute of that type.
     */
    public <T extends PathAttribute> Optional<T> attribute(final Class<T> type)
    {
        return effectivePathAttributes.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** @return MP_REACH_NLRI, if present and well-formed. */
    public Optional<MpReachNlri> mpReachNlri()
    {
        return attribute(MpReachNlri.class);
    }

    /** @return MP_UNREACH_NLRI, if present and well-formed. */
    public Optional<MpUnreachNlri> mpUnreachNlri()
    {
        return attribute(MpUnreachNlri.class);
    }

    /**
     * @return the EVPN routes to install: those of MP_REACH_NLRI, unless RFC 7606 says to treat
     *     the UPDATE as a withdrawal.
     */
    public List<EvpnRoute> advertisedEvpnRoutes()
    {
        if (action.compareTo(ErrorAction.TREAT_AS_WITHDRAW) >= 0)
        {
            return List.of();
        }
        return mpReachNlri().filter(reach -> reach.addressFamily().isEvpn()).map(MpReachNlri::evpnRoutes).orElse(List.of());
    }

    /**
     * @return the EVPN routes to remove: those of MP_UNREACH_NLRI, and under treat-as-withdraw
     *     also those of MP_REACH_NLRI (RFC 7606 §2), even one kept only for its wrong flags.
     */
    public List<EvpnRoute> withdrawnEvpnRoutes()
    {
        final List<EvpnRoute> routes = new ArrayList<>(
            mpUnreachNlri().filter(unreach -> unreach.addressFamily().isEvpn()).map(MpUnreachNlri::evpnRoutes).orElse(List.of()));
        if (action == ErrorAction.TREAT_AS_WITHDRAW)
        {
            firstOfType(AttributeType.MP_REACH_NLRI)
                .filter(reach -> reach.addressFamily().isEvpn())
                .ifPresent(reach -> routes.addAll(reach.evpnRoutes()));
        }
        return routes;
    }

    private Optional<MpReachNlri> firstOfType(final int type)
    {
        for (final PathAttribute attribute : pathAttributes)
        {
            if (attribute.typeCode() == type)
            {
                if (attribute instanceof MpReachNlri reach)
                {
                    return Optional.of(reach);
                }
                if (attribute instanceof MalformedAttribute malformed && malformed.parsed() instanceof MpReachNlri reach)
                {
                    return Optional.of(reach);
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * @return the address family this UPDATE marks the End-of-RIB of (RFC 4724 §2): IPv4 unicast
     *     for an empty UPDATE, the MP_UNREACH_NLRI's family for one holding only an empty one.
     */
    public Optional<AddressFamily> endOfRib()
    {
        if (!withdrawnRoutes.isEmpty() || !nlri.isEmpty())
        {
            return Optional.empty();
        }
        if (pathAttributes.isEmpty())
        {
            return Optional.of(AddressFamily.IPV4_UNICAST);
        }
        if (pathAttributes.size() == 1 && pathAttributes.getFirst() instanceof MpUnreachNlri unreach && unreach.isEndOfRib())
        {
            return Optional.of(unreach.addressFamily());
        }
        return Optional.empty();
    }

    @Override
    public MessageType type()
    {
        return MessageType.UPDATE;
    }

    @Override
    public void encodeBody(final ByteBuf out, final CodecContext context)
    {
        final int withdrawnLengthIndex = out.writerIndex();
        out.writeShort(0);
        withdrawnRoutes.forEach(prefix -> prefix.write(out));
        out.setShort(withdrawnLengthIndex, out.writerIndex() - withdrawnLengthIndex - 2);
        final int attributesLengthIndex = out.writerIndex();
        out.writeShort(0);
        pathAttributes.forEach(attribute -> PathAttributes.encode(attribute, out, context));
        final int attributesLength = out.writerIndex() - attributesLengthIndex - 2;
        if (attributesLength > 0xFFFF)
        {
            throw new IllegalArgumentException("path attributes of " + attributesLength + " octets");
        }
        out.setShort(attributesLengthIndex, attributesLength);
        nlri.forEach(prefix -> prefix.write(out));
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof UpdateMessage that && withdrawnRoutes.equals(that.withdrawnRoutes) &&
            pathAttributes.equals(that.pathAttributes) && nlri.equals(that.nlri);
    }

    @Override
    public int hashCode()
    {
        return (withdrawnRoutes.hashCode() * 31 + pathAttributes.hashCode()) * 31 + nlri.hashCode();
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("UPDATE");
        endOfRib().ifPresent(family -> text.append(" End-of-RIB ").append(family));
        if (!withdrawnRoutes.isEmpty())
        {
            text.append(" withdrawn ").append(withdrawnRoutes);
        }
        if (!pathAttributes.isEmpty() && endOfRib().isEmpty())
        {
            text.append(' ').append(pathAttributes);
        }
        if (!nlri.isEmpty())
        {
            text.append(" nlri ").append(nlri);
        }
        if (action != ErrorAction.NONE)
        {
            text.append(' ').append(action).append(' ').append(errors);
        }
        return text.toString();
    }
}
