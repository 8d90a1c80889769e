package io.vtep.evpn.codec.attr;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;

/**
 * COMMUNITIES (type 8, optional transitive, RFC 1997): 4-octet communities. A length of zero or
 * not a multiple of 4 means treat-as-withdraw (RFC 7606 §7.8).
 *
 * @param flags       the flags octet.
 * @param communities one or more, each 0..4294967295 (high 16 bits usually an AS).
 */
public record Communities(int flags, List<Long> communities) implements PathAttribute
{
    /** RFC 1997. */
    public static final long NO_EXPORT = 0xFFFF_FF01L;
    /** RFC 1997. */
    public static final long NO_ADVERTISE = 0xFFFF_FF02L;
    /** RFC 1997. */
    public static final long NO_EXPORT_SUBCONFED = 0xFFFF_FF03L;

    /** Checks the fields and copies the list. */
    public Communities
    {
        AttributeFlags.check(flags);
        communities = List.copyOf(communities);
        if (communities.isEmpty())
        {
            throw new IllegalArgumentException("COMMUNITIES needs at least one community (RFC 7606 §7.8)");
        }
        communities.forEach(community -> PathAttributes.checkUnsigned32(community, "community"));
    }

    /**
     * @param communities the values.
     * @return the attribute with optional transitive flags.
     */
    public static Communities of(final long... communities)
    {
        final List<Long> list = new ArrayList<>();
        for (final long community : communities)
        {
            list.add(community);
        }
        return new Communities(AttributeFlags.OPTIONAL_TRANSITIVE, list);
    }

    static Communities decode(final int flags, final ByteBuf value)
    {
        final int length = value.readableBytes();
        if (length == 0 || length % 4 != 0)
        {
            throw PathAttributes.lengthError(AttributeType.COMMUNITIES, length, "a non-zero multiple of 4");
        }
        final List<Long> communities = new ArrayList<>(length / 4);
        while (value.isReadable())
        {
            communities.add(value.readUnsignedInt());
        }
        return new Communities(flags, communities);
    }

    @Override
    public int typeCode()
    {
        return AttributeType.COMMUNITIES;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        communities.forEach(community -> out.writeInt((int)(long)community));
    }

    @Override
    public String toString()
    {
        return "COMMUNITIES " + communities.stream().map(Communities::format).collect(Collectors.joining(" "));
    }

    private static String format(final long community)
    {
        if (community == NO_EXPORT)
        {
            return "no-export";
        }
        if (community == NO_ADVERTISE)
        {
            return "no-advertise";
        }
        if (community == NO_EXPORT_SUBCONFED)
        {
            return "no-export-subconfed";
        }
        return (community >>> 16) + ":" + (community & 0xFFFF);
    }
}
