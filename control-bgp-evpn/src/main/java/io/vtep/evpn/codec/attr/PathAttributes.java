package io.vtep.evpn.codec.attr;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.MalformedValueException;

/** Encoding of one attribute with its header, and decoding of known attribute values. */
public final class PathAttributes
{
    private PathAttributes()
    {
    }

    /**
     * Writes the attribute header and value. The Extended Length bit is kept from
     * {@link PathAttribute#flags()} and also set when the value is longer than 255 octets.
     *
     * @param attribute to encode.
     * @param out       written at its writer index.
     * @param context   the session's encoding options.
     */
    public static void encode(final PathAttribute attribute, final ByteBuf out, final CodecContext context)
    {
        if (attribute instanceof MalformedAttribute malformed)
        {
            malformed.raw().writeTo(out);
            return;
        }
        final ByteBuf value = Unpooled.buffer();
        try
        {
            attribute.encodeValue(value, context);
            final int length = value.readableBytes();
            if (length > 0xFFFF)
            {
                throw new IllegalArgumentException(AttributeType.name(attribute.typeCode()) + " value of " + length +
                    " octets does not fit an attribute");
            }
            int flags = attribute.flags();
            if (length > 0xFF)
            {
                flags |= AttributeFlags.EXTENDED_LENGTH;
            }
            out.writeByte(flags);
            out.writeByte(attribute.typeCode());
            if ((flags & AttributeFlags.EXTENDED_LENGTH) != 0)
            {
                out.writeShort(length);
            }
            else
            {
                out.writeByte(length);
            }
            out.writeBytes(value);
        }
        finally
        {
            value.release();
        }
    }

    /**
     * Decodes the value of an attribute of a known type.
     *
     * @param flags   the flags octet received.
     * @param type    a type for which {@link AttributeType#isKnown} holds.
     * @param value   exactly the value octets.
     * @param context the session's encoding options.
     * @return the attribute.
     * @throws MalformedValueException if the value does not have the type's shape.
     */
    public static PathAttribute decodeValue(final int flags, final int type, final ByteBuf value, final CodecContext context)
    {
        return switch (type)
        {
            case AttributeType.ORIGIN -> OriginAttribute.decode(flags, value);
            case AttributeType.AS_PATH -> AsPath.decode(flags, value, context.fourOctetAs());
            case AttributeType.NEXT_HOP -> NextHop.decode(flags, value);
            case AttributeType.MULTI_EXIT_DISC -> MultiExitDisc.decode(flags, value);
            case AttributeType.LOCAL_PREF -> LocalPref.decode(flags, value);
            case AttributeType.ATOMIC_AGGREGATE -> AtomicAggregate.decode(flags, value);
            case AttributeType.AGGREGATOR -> Aggregator.decode(flags, value, context.fourOctetAs());
            case AttributeType.COMMUNITIES -> Communities.decode(flags, value);
            case AttributeType.ORIGINATOR_ID -> OriginatorId.decode(flags, value);
            case AttributeType.CLUSTER_LIST -> ClusterList.decode(flags, value);
            case AttributeType.MP_REACH_NLRI -> MpReachNlri.decode(flags, value);
            case AttributeType.MP_UNREACH_NLRI -> MpUnreachNlri.decode(flags, value);
            case AttributeType.EXTENDED_COMMUNITIES -> ExtendedCommunities.decode(flags, value);
            case AttributeType.AS4_PATH -> As4Path.decode(flags, value);
            case AttributeType.AS4_AGGREGATOR -> As4Aggregator.decode(flags, value);
            case AttributeType.PMSI_TUNNEL -> PmsiTunnel.decode(flags, value);
            default -> throw new IllegalArgumentException("not a known attribute type: " + type);
        };
    }

    /**
     * @param type     the attribute type.
     * @param value    its value octets.
     * @param expected the only length the type allows.
     * @throws MalformedValueException (Attribute Length Error) if the length differs.
     */
    static void requireLength(final int type, final ByteBuf value, final int expected)
    {
        if (value.readableBytes() != expected)
        {
            throw lengthError(type, value.readableBytes(), String.valueOf(expected));
        }
    }

    /**
     * @param type     the attribute type.
     * @param measured the length found.
     * @param expected what the type allows.
     * @return the exception.
     */
    static MalformedValueException lengthError(final int type, final int measured, final String expected)
    {
        return new MalformedValueException(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR,
            AttributeType.name(type) + " length " + measured + ", expected " + expected);
    }

    /**
     * @param value an unsigned 32-bit field.
     * @param what  its name for the message.
     * @return the value, checked.
     */
    static long checkUnsigned32(final long value, final String what)
    {
        if ((value & ~0xFFFF_FFFFL) != 0)
        {
            throw new IllegalArgumentException(what + " " + value + " not in 0..4294967295");
        }
        return value;
    }
}
