package io.vtep.evpn.codec;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

import io.netty.buffer.ByteBuf;

/**
 * NOTIFICATION (RFC 4271 §4.5): error code, subcode, data; the session closes after it.
 *
 * <pre>
 *  | Error code (1) | Error subcode (1) | Data (variable) |
 * </pre>
 *
 * @param code    the error code.
 * @param subcode the error subcode.
 * @param data    the data.
 */
public record NotificationMessage(int code, int subcode, Octets data) implements BgpMessage
{
    /** Header, code and subcode. */
    public static final int MIN_LENGTH = BgpCodec.HEADER_LENGTH + 2;

    /** Checks the fields. */
    public NotificationMessage
    {
        if (code < 0 || code > 255 || subcode < 0 || subcode > 255)
        {
            throw new IllegalArgumentException("code " + code + " / subcode " + subcode + " not octets");
        }
        Objects.requireNonNull(data, "data");
    }

    /**
     * @param subcode code and subcode.
     * @param data    the data.
     * @return the message.
     */
    public static NotificationMessage of(final ErrorSubcode subcode, final Octets data)
    {
        return new NotificationMessage(subcode.code(), subcode.subcode(), data);
    }

    /**
     * @param subcode code and subcode.
     * @return the message without data.
     */
    public static NotificationMessage of(final ErrorSubcode subcode)
    {
        return of(subcode, Octets.EMPTY);
    }

    static NotificationMessage decodeBody(final ByteBuf body)
    {
        final int code = body.readUnsignedByte();
        final int subcode = body.readUnsignedByte();
        return new NotificationMessage(code, subcode, Octets.read(body, body.readableBytes()));
    }

    /** @return the code and subcode as a constant, or {@code null} when unassigned. */
    public ErrorSubcode errorSubcode()
    {
        return ErrorSubcode.of(code, subcode);
    }

    /**
     * The NOTIFICATION a Hard Reset carries in its data (RFC 8538 §3): FRR sends Cease/Hard Reset
     * with data {@code 06 04}, meaning Cease/Administrative Reset, on {@code clear bgp}.
     *
     * @return the encapsulated code, subcode and data, for Cease/Hard Reset with at least 2 octets.
     */
    public Optional<NotificationMessage> hardResetCause()
    {
        if (errorSubcode() != ErrorSubcode.HARD_RESET || data.length() < 2)
        {
            return Optional.empty();
        }
        final byte[] bytes = data.toByteArray();
        return Optional.of(new NotificationMessage(bytes[0] & 0xFF, bytes[1] & 0xFF,
            Octets.copyOf(java.util.Arrays.copyOfRange(bytes, 2, bytes.length))));
    }

    /**
     * The Shutdown Communication of a Cease/Administrative Shutdown or Reset (RFC 9003 §2): a
     * length octet then that many octets of UTF-8.
     *
     * @return the operator's message, when the data is exactly that.
     */
    public Optional<String> shutdownCommunication()
    {
        final ErrorSubcode known = errorSubcode();
        if ((known != ErrorSubcode.ADMINISTRATIVE_SHUTDOWN && known != ErrorSubcode.ADMINISTRATIVE_RESET) ||
            data.isEmpty() || data.get(0) != data.length() - 1 || data.length() == 1)
        {
            return Optional.empty();
        }
        final byte[] bytes = data.toByteArray();
        try
        {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(bytes, 1, bytes.length - 1)).toString());
        }
        catch (final CharacterCodingException ex)
        {
            return Optional.empty();
        }
    }

    @Override
    public MessageType type()
    {
        return MessageType.NOTIFICATION;
    }

    @Override
    public void encodeBody(final ByteBuf out, final CodecContext context)
    {
        out.writeByte(code);
        out.writeByte(subcode);
        data.writeTo(out);
    }

    @Override
    public String toString()
    {
        return "NOTIFICATION " + ErrorSubcode.describe(code, subcode) + (data.isEmpty() ? "" : " data " + data) +
            hardResetCause().map(cause -> " (cause " + ErrorSubcode.describe(cause.code, cause.subcode) + ")").orElse("");
    }
}
