package io.vtep.evpn.codec.attr;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.MalformedValueException;

/**
 * One segment of AS_PATH or AS4_PATH (RFC 4271 §4.3, RFC 5065 for the confederation types).
 *
 * <pre>
 *  | Segment Type (1) | Segment Length in ASes (1) | AS numbers (2 or 4 octets each) |
 * </pre>
 *
 * @param type AS_SET (1), AS_SEQUENCE (2), AS_CONFED_SEQUENCE (3) or AS_CONFED_SET (4).
 * @param asns 1..255 AS numbers.
 */
public record AsPathSegment(int type, List<Long> asns)
{
    public static final int AS_SET = 1;
    public static final int AS_SEQUENCE = 2;
    public static final int AS_CONFED_SEQUENCE = 3;
    public static final int AS_CONFED_SET = 4;

    /** Checks the fields and copies the list. */
    public AsPathSegment
    {
        if (type < AS_SET || type > AS_CONFED_SET)
        {
            throw new IllegalArgumentException("AS path segment type " + type + " not 1..4");
        }
        asns = List.copyOf(asns);
        if (asns.isEmpty() || asns.size() > 255)
        {
            throw new IllegalArgumentException("AS path segment of " + asns.size() + " ASes, must be 1..255");
        }
        for (final long asn : asns)
        {
            PathAttributes.checkUnsigned32(asn, "AS number");
        }
    }

    /**
     * @param asns in order.
     * @return an AS_SEQUENCE.
     */
    public static AsPathSegment sequence(final long... asns)
    {
        return new AsPathSegment(AS_SEQUENCE, toList(asns));
    }

    /**
     * @param asns any order.
     * @return an AS_SET.
     */
    public static AsPathSegment set(final long... asns)
    {
        return new AsPathSegment(AS_SET, toList(asns));
    }

    /**
     * Decodes segments filling {@code value} (RFC 7606 §7.2: an unknown segment type, a segment
     * that overruns the attribute, a single octet left over, or a zero segment length make the
     * path malformed).
     *
     * @param type        the attribute type, for messages.
     * @param value       exactly the attribute's value.
     * @param fourOctetAs whether AS numbers are 4 octets.
     * @return the segments.
     */
    static List<AsPathSegment> decodeAll(final int type, final ByteBuf value, final boolean fourOctetAs)
    {
        final int asLength = fourOctetAs ? 4 : 2;
        final List<AsPathSegment> segments = new ArrayList<>();
        while (value.isReadable())
        {
            if (value.readableBytes() < 2)
            {
                throw malformed(type, "1 octet left over after the last segment");
            }
            final int segmentType = value.readUnsignedByte();
            final int count = value.readUnsignedByte();
            if (segmentType < AS_SET || segmentType > AS_CONFED_SET)
            {
                throw malformed(type, "segment type " + segmentType + ", expected 1..4");
            }
            if (count == 0)
            {
                throw malformed(type, "segment of 0 ASes");
            }
            if (count * asLength > value.readableBytes())
            {
                throw malformed(type, "segment of " + count + " ASes (" + count * asLength + " octets) overruns the " +
                    value.readableBytes() + " octets left");
            }
            final List<Long> asns = new ArrayList<>(count);
            for (int i = 0; i < count; i++)
            {
                asns.add(fourOctetAs ? value.readUnsignedInt() : value.readUnsignedShort());
            }
            segments.add(new AsPathSegment(segmentType, asns));
        }
        return segments;
    }

    /**
     * @param out         written at its writer index.
     * @param fourOctetAs whether AS numbers are 4 octets.
     */
    void encode(final ByteBuf out, final boolean fourOctetAs)
    {
        out.writeByte(type);
        out.writeByte(asns.size());
        for (final long asn : asns)
        {
            if (fourOctetAs)
            {
                out.writeInt((int)asn);
            }
            else if (asn > 0xFFFF)
            {
                throw new IllegalArgumentException("AS " + asn + " does not fit a 2-octet AS_PATH; send AS_TRANS " +
                    "(23456) and the real path in AS4_PATH (RFC 6793 §4.2.2)");
            }
            else
            {
                out.writeShort((int)asn);
            }
        }
    }

    /** @return the segment's contribution to the path length (an AS_SET counts 1, RFC 4271 §9.1.2.2). */
    public int pathLength()
    {
        return switch (type)
        {
            case AS_SEQUENCE -> asns.size();
            case AS_SET -> 1;
            default -> 0;
        };
    }

    @Override
    public String toString()
    {
        final String joined = asns.stream().map(String::valueOf).collect(Collectors.joining(" "));
        return switch (type)
        {
            case AS_SET -> "{" + joined + "}";
            case AS_CONFED_SEQUENCE -> "(" + joined + ")";
            case AS_CONFED_SET -> "[" + joined + "]";
            default -> joined;
        };
    }

    private static MalformedValueException malformed(final int type, final String reason)
    {
        return new MalformedValueException(ErrorSubcode.MALFORMED_AS_PATH, AttributeType.name(type) + ": " + reason);
    }

    private static List<Long> toList(final long... asns)
    {
        final List<Long> list = new ArrayList<>(asns.length);
        for (final long asn : asns)
        {
            list.add(asn);
        }
        return list;
    }
}
