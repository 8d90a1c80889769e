package io.vtep.evpn.codec;

/**
 * A message header that fails RFC 4271 §6.1: marker not all ones (Connection Not Synchronized),
 * length out of range for the message or its type (Bad Message Length, data = the length field),
 * or unknown type (Bad Message Type, data = the type octet). The stream cannot be resynchronised
 * after any of these, so the session is reset.
 */
public final class MessageHeaderException extends BgpDecodeException
{
    private static final long serialVersionUID = 1L;

    MessageHeaderException(
        final ErrorSubcode subcode,
        final Octets data,
        final String reason,
        final int measured,
        final int expectedMin,
        final int expectedMax)
    {
        super(subcode.code(), subcode.subcode(), data, reason, measured, expectedMin, expectedMax);
    }
}
