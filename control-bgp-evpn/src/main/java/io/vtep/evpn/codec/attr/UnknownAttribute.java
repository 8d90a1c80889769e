package io.vtep.evpn.codec.attr;

import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.Octets;

/**
 * An optional attribute of a type this codec does not decode, kept with its flags so that it
 * round-trips (RFC 4271 §5: an unrecognized optional transitive attribute is passed on with the
 * Partial bit set, a non-transitive one is dropped; that is the speaker's decision).
 *
 * @param flags    the flags octet.
 * @param typeCode the type code.
 * @param value    the value octets.
 */
public record UnknownAttribute(int flags, int typeCode, Octets value) implements PathAttribute
{
    /** Checks the fields. */
    public UnknownAttribute
    {
        AttributeFlags.check(flags);
        if (typeCode < 0 || typeCode > 0xFF)
        {
            throw new IllegalArgumentException("attribute type " + typeCode + " not an octet");
        }
        Objects.requireNonNull(value, "value");
    }

    @Override
    public void encodeValue(final ByteBuf out, final CodecContext context)
    {
        value.writeTo(out);
    }

    @Override
    public String toString()
    {
        return AttributeType.name(typeCode) + " flags " + AttributeFlags.describe(flags) + " value " + value;
    }
}
