package io.vtep.evpn.codec;

/** The BGP message types (RFC 4271 §4.1, RFC 2918 §3). */
public enum MessageType
{
    OPEN(1, OpenMessage.MIN_LENGTH),
    UPDATE(2, UpdateMessage.MIN_LENGTH),
    NOTIFICATION(3, NotificationMessage.MIN_LENGTH),
    KEEPALIVE(4, BgpCodec.HEADER_LENGTH),
    /** Its length is checked by the message itself, with the RFC 7313 error code. */
    ROUTE_REFRESH(5, BgpCodec.HEADER_LENGTH);

    private final int code;
    private final int minLength;

    MessageType(final int code, final int minLength)
    {
        this.code = code;
        this.minLength = minLength;
    }

    /** @return the type octet. */
    public int code()
    {
        return code;
    }

    /** @return the smallest message length, header included, RFC 4271 §6.1 allows for the type. */
    public int minLength()
    {
        return minLength;
    }

    /**
     * @param code the type octet.
     * @return the type, or {@code null} if unknown.
     */
    public static MessageType of(final int code)
    {
        return switch (code)
        {
            case 1 -> OPEN;
            case 2 -> UPDATE;
            case 3 -> NOTIFICATION;
            case 4 -> KEEPALIVE;
            case 5 -> ROUTE_REFRESH;
            default -> null;
        };
    }
}
