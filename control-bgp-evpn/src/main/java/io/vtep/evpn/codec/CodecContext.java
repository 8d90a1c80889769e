package io.vtep.evpn.codec;

/**
 * What the encoding of a session depends on once its OPENs are exchanged.
 *
 * @param fourOctetAs      both sides announced the 4-octet AS capability (RFC 6793): AS_PATH and
 *                         AGGREGATOR carry 4-octet AS numbers instead of 2-octet ones.
 * @param maxMessageLength 4096 (RFC 4271 §4.1), or 65535 when both sides announced the
 *                         BGP Extended Message capability (RFC 8654).
 */
public record CodecContext(boolean fourOctetAs, int maxMessageLength)
{
    /** RFC 4271 §4.1: the largest message without RFC 8654. */
    public static final int MAX_MESSAGE_LENGTH = 4096;

    /** RFC 8654: the largest message with the Extended Message capability on both sides. */
    public static final int MAX_EXTENDED_MESSAGE_LENGTH = 65535;

    /** A session where both sides speak 4-octet AS numbers, as FRR and every modern speaker do. */
    public static final CodecContext FOUR_OCTET_AS = new CodecContext(true, MAX_MESSAGE_LENGTH);

    /** A session with a speaker that did not announce 4-octet AS support (RFC 4271 encoding). */
    public static final CodecContext TWO_OCTET_AS = new CodecContext(false, MAX_MESSAGE_LENGTH);

    /** Validates the message length bound. */
    public CodecContext
    {
        if (maxMessageLength < MAX_MESSAGE_LENGTH || maxMessageLength > MAX_EXTENDED_MESSAGE_LENGTH)
        {
            throw new IllegalArgumentException("maxMessageLength " + maxMessageLength + " not in " +
                MAX_MESSAGE_LENGTH + ".." + MAX_EXTENDED_MESSAGE_LENGTH);
        }
    }

    /** @return this context with RFC 8654 extended messages (up to 65535 octets). */
    public CodecContext withExtendedMessages()
    {
        return new CodecContext(fourOctetAs, MAX_EXTENDED_MESSAGE_LENGTH);
    }
}
