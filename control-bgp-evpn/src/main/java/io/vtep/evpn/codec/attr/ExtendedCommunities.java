package io.vtep.evpn.codec.attr;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;

/**
 * EXTENDED_COMMUNITIES (type 16, optional transitive, RFC 4360 §2). FRR's EVPN routes carry the
 * VXLAN encapsulation first, then the route targets, then MAC mobility. A length of zero or not a
 * multiple of 8 means treat-as-withdraw (RFC 7606 §7.14).
 *
 * @param flags       the flags octet.
 * @param communities one or more, in order.
 */
public record ExtendedCommunities(int flags, List<ExtendedCommunity> communities) implements PathAttribute
{
    /** Checks the fields and copies the list. */
    public ExtendedCommunities
    {
        AttributeFlags.check(flags);
        communities = List.copyOf(communities);
        if (communities.isEmpty())
        {
            throw new IllegalArgumentException("EXTENDED_COMMUNITIES needs at least one community (RFC 7606 §7.14)");
        }
    }

    /**
     * @param communities in order.
     * @return the attribute with optional transitive flags.
     */
    public static ExtendedCommunities of(final List<? extends ExtendedCommunity> communities)
    {
        return new ExtendedCommunities(AttributeFlags.OPTIONAL_TRANSITIVE, List.copyOf(communities));
    }

    /**
     * @param communities in order.
     * @return the attribute with optional transitive flags.
     */
    public static ExtendedCommunities of(final ExtendedCommunity... communities)
    {
        return of(List.of(communities));
    }

    static ExtendedCommunities decode(final int flags, final ByteBuf value)
    {
        final int length = value.readableBytes();
        if (length == 0 || length % 8 != 0)
        {
            throw PathAttributes.lengthError(AttributeType.EXTENDED_COMMUNITIES, length, "a non-zero multiple of 8");
        }
        final List<ExtendedCommunity> communities = new ArrayList<>(length / 8);
        while (value.isReadable())
        {
            communities.add(ExtendedCommunity.of(value.readLong()));
        }
        return new ExtendedCommunities(flags, communities);
    }

    /** @return the route targets, in order. */
    public List<ExtendedCommunity.RouteTarget> routeTargets()
    {
        return ofType(ExtendedCommunity.RouteTarget.class);
    }

    /** @return the first encapsulation community, if any. */
    public Optional<ExtendedCommunity.Encapsulation> encapsulation()
    {
        return ofType(ExtendedCommunity.Encapsulation.class).stream().findFirst();
    }

    /** @return the MAC mobility community, if any (RFC 7432 §7.7 allows one). */
    public Optional<ExtendedCommunity.MacMobility> macMobility()
    {
        return ofType(ExtendedCommunity.MacMobility.class).stream().findFirst();
    }

    /**
     * @param type a community record type.
     * @param <T>  that type.
     * @return the communities of that type, in order.
     */
    public <T extends ExtendedCommunity> List<T> ofType(final Class<T> type)
    {
        return communities.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public int typeCode()
    {
        return AttributeType.EXTENDED_COMMUNITIES;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        communities.forEach(community -> out.writeLong(community.value()));
    }

    @Override
    public String toString()
    {
        return "EXTENDED_COMMUNITIES " + communities.stream().map(Object::toString).collect(Collectors.joining(" "));
    }
}
