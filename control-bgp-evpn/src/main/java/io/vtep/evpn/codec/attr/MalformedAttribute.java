package io.vtep.evpn.codec.attr;

import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.Octets;
import io.vtep.evpn.codec.UpdateError;

/**
 * A received attribute that could not be decoded, kept as its octets (header included) with the
 * error and the RFC 7606 action it calls for. Also stands for the unparseable tail of an
 * attribute list (RFC 7606 §4), whose type may be unknown. Re-encodes to the octets received.
 *
 * <p>When only the flags are wrong the value may still decode; {@link #parsed()} then holds it, so
 * that the routes of an MP_REACH_NLRI with wrong flags can still be treated as withdrawn.
 *
 * @param raw    the attribute's octets, header included, as received.
 * @param error  what is wrong and what to do.
 * @param parsed the attribute decoded despite wrong flags, or {@code null}.
 */
public record MalformedAttribute(Octets raw, UpdateError error, PathAttribute parsed) implements PathAttribute
{
    /** Checks the fields. */
    public MalformedAttribute
    {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(error, "error");
        if (parsed instanceof MalformedAttribute)
        {
            throw new IllegalArgumentException("parsed must be a decoded attribute");
        }
    }

    /**
     * @param raw   the octets as received.
     * @param error what is wrong.
     * @return a malformed attribute with nothing parsed.
     */
    public static MalformedAttribute of(final Octets raw, final UpdateError error)
    {
        return new MalformedAttribute(raw, error, null);
    }

    @Override
    public int flags()
    {
        return raw.isEmpty() ? 0 : raw.get(0);
    }

    @Override
    public int typeCode()
    {
        return error.attributeType();
    }

    /** Never called: {@link PathAttributes#encode} writes {@link #raw()} whole. */
    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        throw new UnsupportedOperationException("a malformed attribute is written whole, header included");
    }

    @Override
    public String toString()
    {
        return "malformed " + (typeCode() < 0 ? "attribute list tail" : AttributeType.name(typeCode())) + " " + raw + " (" + error + ")";
    }
}
