package io.vtep.evpn.codec;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import io.netty.buffer.ByteBuf;

/**
 * OPEN (RFC 4271 §4.2) with capabilities in optional parameters (RFC 5492) and, when they do not
 * fit 255 octets, the extended optional parameters length of RFC 9072.
 *
 * <pre>
 *  | Version (1) | My Autonomous System (2) | Hold Time (2) | BGP Identifier (4) |
 *  | Opt Parm Len (1) | Optional Parameters: { Parm. Type (1) | Parm. Length (1) | Value } ... |
 *
 *  RFC 9072: Opt Parm Len = 255, then Non-Ext OP Type = 255, Extended Opt. Parm. Length (2),
 *            then parameters with 2-octet lengths.
 * </pre>
 *
 * FRR puts each capability in a parameter of its own; {@link #parameters()} keeps the grouping
 * received so that re-encoding gives back the same octets, {@link #capabilities()} flattens it.
 * Decoding rejects what RFC 4271 §6.2 says no session may accept whatever its configuration:
 * version other than 4, hold time 1 or 2, BGP Identifier 0 (RFC 6286 §2.2), parameter types other
 * than Capabilities, and lengths that do not add up (OPEN Message Error / Unspecific, as FRR
 * sends). Peer AS and identifier collisions are the FSM's checks.
 *
 * @param version            4.
 * @param myAs               the sender's AS, or AS_TRANS (23456) when it needs 4 octets.
 * @param holdTime           seconds; 0 or at least 3.
 * @param bgpIdentifier      the sender's router ID.
 * @param parameters         the Capabilities optional parameters, in order.
 * @param extendedParameters whether the RFC 9072 encoding is used.
 */
public record OpenMessage(
    int version,
    int myAs,
    int holdTime,
    Inet4Address bgpIdentifier,
    List<CapabilityParameter> parameters,
    boolean extendedParameters) implements BgpMessage
{
    /** The only version (RFC 4271 §4.2). */
    public static final int VERSION = 4;
    /** RFC 6793 §9: stands in for a 4-octet AS in 2-octet fields. */
    public static final int AS_TRANS = 23456;
    /** Header plus the fixed fields. */
    public static final int MIN_LENGTH = BgpCodec.HEADER_LENGTH + 10;
    /** The Capabilities optional parameter (RFC 5492 §4). */
    public static final int PARAMETER_CAPABILITIES = 2;
    /** RFC 9072 §2: this Non-Ext OP Type announces the extended encoding. */
    public static final int PARAMETER_EXTENDED_LENGTH = 255;

    /**
     * One Capabilities optional parameter.
     *
     * @param capabilities the capabilities it holds, in order.
     */
    public record CapabilityParameter(List<Capability> capabilities)
    {
        /** Copies the list. */
        public CapabilityParameter
        {
            capabilities = List.copyOf(capabilities);
        }
    }

    /** Checks the fields and copies the list. */
    public OpenMessage
    {
        if (version < 0 || version > 255 || myAs < 0 || myAs > 0xFFFF || holdTime < 0 || holdTime > 0xFFFF)
        {
            throw new IllegalArgumentException("version " + version + " / AS " + myAs + " / hold time " + holdTime + " out of range");
        }
        Objects.requireNonNull(bgpIdentifier, "bgpIdentifier");
        parameters = List.copyOf(parameters);
    }

    /**
     * Builds an OPEN the way FRR does: version 4, one capability per parameter, AS_TRANS in My
     * Autonomous System when the AS needs 4 octets.
     *
     * @param asn           the local AS.
     * @param holdTime      seconds.
     * @param bgpIdentifier the router ID.
     * @param capabilities  in order (include {@link Capability.FourOctetAs} for the AS).
     * @return the message.
     */
    public static OpenMessage of(final long asn, final int holdTime, final Inet4Address bgpIdentifier, final List<Capability> capabilities)
    {
        final List<CapabilityParameter> parameters = new ArrayList<>();
        capabilities.forEach(capability -> parameters.add(new CapabilityParameter(List.of(capability))));
        return new OpenMessage(VERSION, asn > 0xFFFF ? AS_TRANS : (int)asn, holdTime, bgpIdentifier, parameters, false);
    }

    static OpenMessage decodeBody(final ByteBuf body)
    {
        final int version = body.readUnsignedByte();
        if (version != VERSION)
        {
            // RFC 4271 §6.2: the data is the largest version we support that is below the one bid.
            throw new BgpDecodeException(ErrorSubcode.UNSUPPORTED_VERSION_NUMBER, Octets.of(0, VERSION),
                "BGP version " + version + ", only 4 is supported");
        }
        final int myAs = body.readUnsignedShort();
        final int holdTime = body.readUnsignedShort();
        if (holdTime == 1 || holdTime == 2)
        {
            throw new BgpDecodeException(ErrorSubcode.UNACCEPTABLE_HOLD_TIME, Octets.EMPTY,
                "hold time " + holdTime + " s; RFC 4271 §4.2 requires 0 or at least 3");
        }
        final Inet4Address bgpIdentifier = WireFormat.readIpv4(body);
        if (WireFormat.toInt(bgpIdentifier) == 0)
        {
            throw new BgpDecodeException(ErrorSubcode.BAD_BGP_IDENTIFIER, Octets.EMPTY, "BGP Identifier 0.0.0.0 (RFC 6286 §2.2)");
        }
        final int parametersLength = body.readUnsignedByte();
        final boolean extended = parametersLength == PARAMETER_EXTENDED_LENGTH && body.isReadable() &&
            body.getUnsignedByte(body.readerIndex()) == PARAMETER_EXTENDED_LENGTH;
        final int length;
        if (extended)
        {
            if (body.readableBytes() < 3)
            {
                throw malformed("RFC 9072 extended optional parameters length truncated: " + body.readableBytes() + " octets");
            }
            body.skipBytes(1);
            length = body.readUnsignedShort();
        }
        else
        {
            length = parametersLength;
        }
        if (length != body.readableBytes())
        {
            throw new BgpDecodeException(ErrorSubcode.OPEN_UNSPECIFIC.code(), ErrorSubcode.OPEN_UNSPECIFIC.subcode(), Octets.EMPTY,
                "optional parameters length " + length + " but " + body.readableBytes() + " octets follow",
                length, body.readableBytes(), body.readableBytes());
        }
        final List<CapabilityParameter> parameters = new ArrayList<>();
        while (body.isReadable())
        {
            if (body.readableBytes() < (extended ? 3 : 2))
            {
                throw malformed("optional parameter header truncated: " + body.readableBytes() + " octets left");
            }
            final int type = body.readUnsignedByte();
            final int parameterLength = extended ? body.readUnsignedShort() : body.readUnsignedByte();
            if (parameterLength > body.readableBytes())
            {
                throw malformed("optional parameter type " + type + " length " + parameterLength + " runs past the " +
                    body.readableBytes() + " octets left");
            }
            if (type != PARAMETER_CAPABILITIES)
            {
                // RFC 4271 §6.2; type 1 (Authentication) was deprecated by RFC 5492.
                throw new BgpDecodeException(ErrorSubcode.UNSUPPORTED_OPTIONAL_PARAMETER, Octets.EMPTY,
                    "optional parameter type " + type);
            }
            parameters.add(new CapabilityParameter(decodeCapabilities(body.readSlice(parameterLength))));
        }
        return new OpenMessage(version, myAs, holdTime, bgpIdentifier, parameters, extended);
    }

    private static List<Capability> decodeCapabilities(final ByteBuf value)
    {
        final List<Capability> capabilities = new ArrayList<>();
        while (value.isReadable())
        {
            if (value.readableBytes() < 2)
            {
                throw malformed("capability header truncated: 1 octet left");
            }
            final int code = value.readUnsignedByte();
            final int length = value.readUnsignedByte();
            if (length > value.readableBytes())
            {
                throw malformed("capability " + code + " length " + length + " runs past the " + value.readableBytes() +
                    " octets left in its parameter");
            }
            capabilities.add(Capability.decode(code, Octets.read(value, length)));
        }
        return capabilities;
    }

    private static BgpDecodeException malformed(final String reason)
    {
        return new BgpDecodeException(ErrorSubcode.OPEN_UNSPECIFIC, Octets.EMPTY, reason);
    }

    /** @return every capability, in order. */
    public List<Capability> capabilities()
    {
        return parameters.stream().flatMap(parameter -> parameter.capabilities().stream()).toList();
    }

    /**
     * @param type a capability record type.
     * @param <T>  that type.
     * @return the first capability of that type.
     */
    public <T extends Capability> Optional<T> capability(final Class<T> type)
    {
        return capabilities().stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /**
     * @param code a capability code.
     * @return whether a capability with that code was announced (typed or not).
     */
    public boolean hasCapability(final int code)
    {
        return capabilities().stream().anyMatch(capability -> capability.code() == code);
    }

    /** @return the sender's AS: the 4-octet AS capability's when present (RFC 6793 §4.1), else My AS. */
    public long asn()
    {
        return capability(Capability.FourOctetAs.class).map(Capability.FourOctetAs::asn).orElse((long)myAs);
    }

    /**
     * @param family an address family.
     * @return whether the sender announced Multiprotocol Extensions for it.
     */
    public boolean supports(final AddressFamily family)
    {
        return capabilities().stream().anyMatch(capability -> capability instanceof Capability.Multiprotocol multiprotocol && multiprotocol.family()
            .equals(family));
    }

    @Override
    public MessageType type()
    {
        return MessageType.OPEN;
    }

    @Override
    public void encodeBody(final ByteBuf out, final CodecContext context)
    {
        out.writeByte(version);
        out.writeShort(myAs);
        out.writeShort(holdTime);
        WireFormat.writeAddress(out, bgpIdentifier);
        final int lengthIndex = out.writerIndex();
        if (extendedParameters)
        {
            out.writeByte(PARAMETER_EXTENDED_LENGTH);
            out.writeByte(PARAMETER_EXTENDED_LENGTH);
            out.writeShort(0);
        }
        else
        {
            out.writeByte(0);
        }
        final int start = out.writerIndex();
        for (final CapabilityParameter parameter : parameters)
        {
            out.writeByte(PARAMETER_CAPABILITIES);
            final int parameterLengthIndex = out.writerIndex();
            if (extendedParameters)
            {
                out.writeShort(0);
            }
            else
            {
                out.writeByte(0);
            }
            final int parameterStart = out.writerIndex();
            parameter.capabilities().forEach(capability -> Capability.encode(capability, out));
            final int parameterLength = out.writerIndex() - parameterStart;
            if (extendedParameters)
            {
                out.setShort(parameterLengthIndex, parameterLength);
            }
            else if (parameterLength > 255)
            {
                throw new IllegalArgumentException("capability parameter of " + parameterLength +
                    " octets needs the RFC 9072 extended encoding");
            }
            else
            {
                out.setByte(parameterLengthIndex, parameterLength);
            }
        }
        final int length = out.writerIndex() - start;
        if (extendedParameters)
        {
            out.setShort(lengthIndex + 2, length);
        }
        else if (length > 255)
        {
            throw new IllegalArgumentException("optional parameters of " + length + " octets need the RFC 9072 extended encoding");
        }
        else
        {
            out.setByte(lengthIndex, length);
        }
    }

    @Override
    public String toString()
    {
        return "OPEN v" + version + " AS " + asn() + " hold " + holdTime + " id " + bgpIdentifier.getHostAddress() +
            " capabilities [" + capabilities().stream().map(Object::toString).collect(Collectors.joining(", ")) + "]";
    }
}
