package io.vtep.evpn.codec.attr;

import java.util.List;
import java.util.stream.Collectors;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;

/**
 * AS_PATH (type 2, well-known mandatory, RFC 4271 §5.1.2): segments of 2-octet AS numbers, or
 * 4-octet ones when both sides announced the capability (RFC 6793 §4.1). Empty on routes that
 * never left the AS, as in FRR's iBGP EVPN UPDATEs (which set Extended Length even then: flags
 * 0x50). Malformed means treat-as-withdraw (RFC 7606 §7.2).
 *
 * @param flags    the flags octet.
 * @param segments the segments, in order.
 */
public record AsPath(int flags, List<AsPathSegment> segments) implements PathAttribute
{
    /** The empty path of an iBGP route, with plain well-known flags. */
    public static final AsPath EMPTY = new AsPath(AttributeFlags.WELL_KNOWN, List.of());

    /** Checks the flags and copies the list. */
    public AsPath
    {
        AttributeFlags.check(flags);
        segments = List.copyOf(segments);
    }

    /**
     * @param asns AS numbers, nearest first.
     * @return an AS_PATH of one AS_SEQUENCE with well-known flags (empty if no ASes).
     */
    public static AsPath sequence(final long... asns)
    {
        return asns.length == 0 ? EMPTY : new AsPath(AttributeFlags.WELL_KNOWN, List.of(AsPathSegment.sequence(asns)));
    }

    static AsPath decode(final int flags, final ByteBuf value, final boolean fourOctetAs)
    {
        return new AsPath(flags, AsPathSegment.decodeAll(AttributeType.AS_PATH, value, fourOctetAs));
    }

    /**
     * @param newFlags the flags octet to use.
     * @return this path with other flags.
     */
    public AsPath withFlags(final int newFlags)
    {
        return new AsPath(newFlags, segments);
    }

    /** @return the path length used in best-path selection (RFC 4271 §9.1.2.2 b). */
    public int pathLength()
    {
        return segments.stream().mapToInt(AsPathSegment::pathLength).sum();
    }

    @Override
    public int typeCode()
    {
        return AttributeType.AS_PATH;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        for (final AsPathSegment segment : segments)
        {
            segment.encode(out, context.fourOctetAs());
        }
    }

    @Override
    public String toString()
    {
        return "AS_PATH [" + segments.stream().map(AsPathSegment::toString).collect(Collectors.joining(" ")) + "]";
    }
}
