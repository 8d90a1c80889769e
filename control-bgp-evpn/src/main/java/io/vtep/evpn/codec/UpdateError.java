package io.vtep.evpn.codec;

/**
 * One thing wrong with a received UPDATE, and what RFC 7606 says to do about it. Even when the
 * action is not a session reset the NOTIFICATION code, subcode and data are kept: RFC 7606 §3
 * asks for the error to be logged as if it were being sent.
 *
 * @param action        what to do.
 * @param subcode       the UPDATE Message Error subcode.
 * @param data          the NOTIFICATION data (usually the offending attribute, RFC 4271 §6.3).
 * @param attributeType the attribute type code concerned, or -1 when not about one attribute.
 * @param reason        what was wrong, for the log.
 */
public record UpdateError(ErrorAction action, ErrorSubcode subcode, Octets data, int attributeType, String reason)
{
    /** @return the NOTIFICATION this error would send if the action were a session reset. */
    public NotificationMessage notification()
    {
        return new NotificationMessage(subcode.code(), subcode.subcode(), data);
    }

    /** @return the exception that resets the session for this error. */
    public BgpDecodeException toException()
    {
        return new BgpDecodeException(subcode, data, reason);
    }

    @Override
    public String toString()
    {
        return action + " " + subcode + (attributeType < 0 ? "" : " attribute " + attributeType) + ": " + reason;
    }
}
