package io.vtep.evpn.codec;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.attr.AttributeFlags;
import io.vtep.evpn.codec.attr.AttributeType;
import io.vtep.evpn.codec.attr.MalformedAttribute;
import io.vtep.evpn.codec.attr.PathAttribute;
import io.vtep.evpn.codec.attr.PathAttributes;
import io.vtep.evpn.codec.attr.UnknownAttribute;
import io.vtep.evpn.codec.nlri.Ipv4Prefix;

/**
 * Decodes an UPDATE body the RFC 7606 way: framing errors that leave the routes unlocatable reset
 * the session; a malformed attribute becomes a {@link MalformedAttribute} carrying the action its
 * type calls for, and decoding goes on.
 */
final class UpdateDecoder
{
    private UpdateDecoder()
    {
    }

    static UpdateMessage decodeBody(final ByteBuf body, final CodecContext context)
    {
        final int withdrawnLength = body.readUnsignedShort();
        if (withdrawnLength > body.readableBytes() - 2)
        {
            // RFC 4271 §6.3, unchanged by RFC 7606 §3: the rest of the message cannot be located.
            throw new BgpDecodeException(ErrorCode.UPDATE_MESSAGE_ERROR.code(), ErrorSubcode.MALFORMED_ATTRIBUTE_LIST.subcode(),
                Octets.EMPTY, "Withdrawn Routes Length " + withdrawnLength + " leaves no room for the Total Path Attribute " +
                    "Length: " + body.readableBytes() + " octets follow it", withdrawnLength, 0, Math.max(0, body.readableBytes() - 2));
        }
        final List<Ipv4Prefix> withdrawn = readPrefixes(body.readSlice(withdrawnLength), "Withdrawn Routes");
        final int attributesLength = body.readUnsignedShort();
        if (attributesLength > body.readableBytes())
        {
            throw new BgpDecodeException(ErrorCode.UPDATE_MESSAGE_ERROR.code(), ErrorSubcode.MALFORMED_ATTRIBUTE_LIST.subcode(),
                Octets.EMPTY, "Total Path Attribute Length " + attributesLength + " exceeds the " + body.readableBytes() +
                    " octets left in the message", attributesLength, 0, body.readableBytes());
        }
        final List<PathAttribute> attributes = decodeAttributes(body.readSlice(attributesLength), context);
        final List<Ipv4Prefix> nlri = readPrefixes(body, "NLRI");
        final UpdateMessage update = new UpdateMessage(withdrawn, attributes, nlri);
        if (update.action() == ErrorAction.SESSION_RESET)
        {
            for (final UpdateError error : update.errors())
            {
                if (error.action() == ErrorAction.SESSION_RESET)
                {
                    throw error.toException();
                }
            }
        }
        return update;
    }

    /** RFC 4271 §4.3 prefixes; RFC 7606 §5.3 (and §3 for Withdrawn Routes): unparseable means reset. */
    private static List<Ipv4Prefix> readPrefixes(final ByteBuf field, final String name)
    {
        final List<Ipv4Prefix> prefixes = new ArrayList<>();
        while (field.isReadable())
        {
            final int length = field.readUnsignedByte();
            if (length > 32)
            {
                throw new BgpDecodeException(ErrorSubcode.INVALID_NETWORK_FIELD, Octets.EMPTY,
                    name + ": IPv4 prefix length " + length + ", at most 32");
            }
            final int octets = (length + 7) / 8;
            if (octets > field.readableBytes())
            {
                throw new BgpDecodeException(ErrorCode.UPDATE_MESSAGE_ERROR.code(), ErrorSubcode.INVALID_NETWORK_FIELD.subcode(),
                    Octets.EMPTY, name + ": a /" + length + " prefix needs " + octets + " octets, " + field.readableBytes() + " left",
                    field.readableBytes(), octets, octets);
            }
            int address = 0;
            for (int i = 0; i < octets; i++)
            {
                address |= field.readUnsignedByte() << (24 - 8 * i);
            }
            prefixes.add(new Ipv4Prefix(address, length));
        }
        return prefixes;
    }

    private static List<PathAttribute> decodeAttributes(final ByteBuf block, final CodecContext context)
    {
        final List<PathAttribute> attributes = new ArrayList<>();
        while (block.isReadable())
        {
            final int start = block.readerIndex();
            final int remaining = block.readableBytes();
            final int flags = block.getUnsignedByte(start);
            final int headerLength = (flags & AttributeFlags.EXTENDED_LENGTH) != 0 ? 4 : 3;
            if (remaining < headerLength)
            {
                // RFC 7606 §4: too few octets left for an attribute header.
                attributes.add(tail(block, "the last " + remaining + " octets of the path attributes are fewer than an " +
                    "attribute header (" + headerLength + ")"));
                break;
            }
            final int type = block.getUnsignedByte(start + 1);
            final int length = headerLength == 4 ? block.getUnsignedShort(start + 2) : block.getUnsignedByte(start + 2);
            if (headerLength + length > remaining)
            {
                final String reason = AttributeType.name(type) + " length " + length + " runs past the end of the path " +
                    "attributes: " + (remaining - headerLength) + " octets follow its header";
                if (type == AttributeType.MP_REACH_NLRI || type == AttributeType.MP_UNREACH_NLRI)
                {
                    // RFC 7606 §3: treat-as-withdraw needs the NLRI, and this attribute holds it.
                    throw new BgpDecodeException(ErrorCode.UPDATE_MESSAGE_ERROR.code(),
                        ErrorSubcode.ATTRIBUTE_LENGTH_ERROR.subcode(), Octets.read(block.duplicate(), remaining),
                        reason + "; its routes cannot be located", length, 0, remaining - headerLength);
                }
                // RFC 7606 §4: treat-as-withdraw, relying on Total Path Attribute Length to find the NLRI.
                attributes.add(tail(block, reason));
                break;
            }
            final Octets raw = Octets.read(block.slice(start, headerLength + length), headerLength + length);
            final ByteBuf value = block.slice(start + headerLength, length);
            block.skipBytes(headerLength + length);
            attributes.add(decodeAttribute(flags, type, raw, value, context));
        }
        return attributes;
    }

    private static MalformedAttribute tail(final ByteBuf block, final String reason)
    {
        final Octets raw = Octets.read(block, block.readableBytes());
        return MalformedAttribute.of(raw, new UpdateError(ErrorAction.TREAT_AS_WITHDRAW, ErrorSubcode.ATTRIBUTE_LENGTH_ERROR,
            Octets.EMPTY, -1, reason + " (RFC 7606 §4)"));
    }

    private static PathAttribute decodeAttribute(
        final int flags,
        final int type,
        final Octets raw,
        final ByteBuf value,
        final CodecContext context)
    {
        if (!AttributeType.isKnown(type))
        {
            if ((flags & AttributeFlags.OPTIONAL) == 0)
            {
                // RFC 4271 §6.3; RFC 7606 does not soften it.
                return MalformedAttribute.of(raw, new UpdateError(ErrorAction.SESSION_RESET,
                    ErrorSubcode.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, raw, type,
                    "unrecognized well-known attribute type " + type));
            }
            return new UnknownAttribute(flags, type, Octets.read(value, value.readableBytes()));
        }
        final String flagsConflict = AttributeType.flagsConflict(type, flags);
        final PathAttribute decoded;
        try
        {
            decoded = PathAttributes.decodeValue(flags, type, value, context);
            if (value.isReadable())
            {
                throw new MalformedValueException(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR,
                    AttributeType.name(type) + ": " + value.readableBytes() + " octets left over after the value");
            }
        }
        catch (final MalformedValueException ex)
        {
            ErrorAction action = AttributeType.malformedAction(type);
            if (flagsConflict != null)
            {
                action = action.strongest(ErrorAction.TREAT_AS_WITHDRAW);
            }
            return MalformedAttribute.of(raw, new UpdateError(action, ex.subcode(), raw, type,
                ex.getMessage() + (flagsConflict == null ? "" : "; also " + flagsConflict) + " (RFC 7606 §7)"));
        }
        if (flagsConflict != null)
        {
            // RFC 7606 §3: Optional/Transitive in conflict with the type means malformed, treat-as-withdraw.
            return new MalformedAttribute(raw, new UpdateError(ErrorAction.TREAT_AS_WITHDRAW, ErrorSubcode.ATTRIBUTE_FLAGS_ERROR,
                raw, type, flagsConflict + " (RFC 7606 §3)"), decoded);
        }
        return decoded;
    }
}
