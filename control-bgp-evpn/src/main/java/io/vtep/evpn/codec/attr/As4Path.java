package io.vtep.evpn.codec.attr;

import java.util.List;
import java.util.stream.Collectors;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;

/**
 * AS4_PATH (type 17, optional transitive, RFC 6793 §3): the 4-octet AS path a speaker without the
 * 4-octet AS capability passes along beside an AS_PATH that has AS_TRANS in place of large ASes.
 * Always 4-octet. Malformed means attribute discard (RFC 6793 §6).
 *
 * @param flags    the flags octet.
 * @param segments the segments, in order.
 */
public record As4Path(int flags, List<AsPathSegment> segments) implements PathAttribute
{
    /** Checks the flags and copies the list. */
    public As4Path
    {
        AttributeFlags.check(flags);
        segments = List.copyOf(segments);
    }

    static As4Path decode(final int flags, final ByteBuf value)
    {
        return new As4Path(flags, AsPathSegment.decodeAll(AttributeType.AS4_PATH, value, true));
    }

    @Override
    public int typeCode()
    {
        return AttributeType.AS4_PATH;
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        for (final AsPathSegment segment : segments)
        {
            segment.encode(out, true);
        }
    }

    @Override
    public String toString()
    {
        return "AS4_PATH [" + segments.stream().map(AsPathSegment::toString).collect(Collectors.joining(" ")) + "]";
    }
}
