package io.vtep.evpn.codec;

/**
 * NOTIFICATION error codes (RFC 4271 §4.5, RFC 7313 §5, RFC 9687), with the names IANA's "BGP
 * Error (Notification) Codes" registry gives them.
 */
public enum ErrorCode
{
    /** RFC 4271 §6.1. */
    MESSAGE_HEADER_ERROR(1, "Message Header Error"),
    /** RFC 4271 §6.2. */
    OPEN_MESSAGE_ERROR(2, "OPEN Message Error"),
    /** RFC 4271 §6.3, revised by RFC 7606. */
    UPDATE_MESSAGE_ERROR(3, "UPDATE Message Error"),
    /** RFC 4271 §6.5. */
    HOLD_TIMER_EXPIRED(4, "Hold Timer Expired"),
    /** RFC 4271 §6.6, subcodes from RFC 6608. */
    FINITE_STATE_MACHINE_ERROR(5, "Finite State Machine Error"),
    /** RFC 4271 §6.7, subcodes from RFC 4486 (and RFC 8538, RFC 9384). */
    CEASE(6, "Cease"),
    /** RFC 7313 §5. */
    ROUTE_REFRESH_MESSAGE_ERROR(7, "ROUTE-REFRESH Message Error"),
    /** RFC 9687. */
    SEND_HOLD_TIMER_EXPIRED(8, "Send Hold Timer Expired");

    private static final ErrorCode[] BY_CODE = new ErrorCode[9];

    static
    {
        for (final ErrorCode code : values())
        {
            BY_CODE[code.code] = code;
        }
    }

    private final int code;
    private final String description;

    ErrorCode(final int code, final String description)
    {
        this.code = code;
        this.description = description;
    }

    /** @return the value on the wire. */
    public int code()
    {
        return code;
    }

    /** @return the registry's name, e.g. "Cease". */
    public String description()
    {
        return description;
    }

    /**
     * @param code on the wire.
     * @return the error code, or {@code null} for an unassigned one.
     */
    public static ErrorCode of(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
