package io.vtep.evpn.codec;

/**
 * Every assigned NOTIFICATION (code, subcode) pair with its registry name: RFC 4271 §4.5 and the
 * IANA registry (subcode 0 "Unspecific" for every code, RFC 4271 errata 4493), RFC 4486 and
 * RFC 8538 (Cease), RFC 5492 (Unsupported Capability), RFC 6608 (FSM), RFC 7313
 * (ROUTE-REFRESH), RFC 9234 (Role Mismatch), RFC 9384 (BFD Down).
 */
public enum ErrorSubcode
{
    HEADER_UNSPECIFIC(ErrorCode.MESSAGE_HEADER_ERROR, 0, "Unspecific"),
    CONNECTION_NOT_SYNCHRONIZED(ErrorCode.MESSAGE_HEADER_ERROR, 1, "Connection Not Synchronized"),
    BAD_MESSAGE_LENGTH(ErrorCode.MESSAGE_HEADER_ERROR, 2, "Bad Message Length"),
    BAD_MESSAGE_TYPE(ErrorCode.MESSAGE_HEADER_ERROR, 3, "Bad Message Type"),

    OPEN_UNSPECIFIC(ErrorCode.OPEN_MESSAGE_ERROR, 0, "Unspecific"),
    UNSUPPORTED_VERSION_NUMBER(ErrorCode.OPEN_MESSAGE_ERROR, 1, "Unsupported Version Number"),
    BAD_PEER_AS(ErrorCode.OPEN_MESSAGE_ERROR, 2, "Bad Peer AS"),
    BAD_BGP_IDENTIFIER(ErrorCode.OPEN_MESSAGE_ERROR, 3, "Bad BGP Identifier"),
    UNSUPPORTED_OPTIONAL_PARAMETER(ErrorCode.OPEN_MESSAGE_ERROR, 4, "Unsupported Optional Parameter"),
    AUTHENTICATION_FAILURE(ErrorCode.OPEN_MESSAGE_ERROR, 5, "Authentication Failure (deprecated)"),
    UNACCEPTABLE_HOLD_TIME(ErrorCode.OPEN_MESSAGE_ERROR, 6, "Unacceptable Hold Time"),
    UNSUPPORTED_CAPABILITY(ErrorCode.OPEN_MESSAGE_ERROR, 7, "Unsupported Capability"),
    ROLE_MISMATCH(ErrorCode.OPEN_MESSAGE_ERROR, 11, "Role Mismatch"),

    UPDATE_UNSPECIFIC(ErrorCode.UPDATE_MESSAGE_ERROR, 0, "Unspecific"),
    MALFORMED_ATTRIBUTE_LIST(ErrorCode.UPDATE_MESSAGE_ERROR, 1, "Malformed Attribute List"),
    UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE(ErrorCode.UPDATE_MESSAGE_ERROR, 2, "Unrecognized Well-known Attribute"),
    MISSING_WELL_KNOWN_ATTRIBUTE(ErrorCode.UPDATE_MESSAGE_ERROR, 3, "Missing Well-known Attribute"),
    ATTRIBUTE_FLAGS_ERROR(ErrorCode.UPDATE_MESSAGE_ERROR, 4, "Attribute Flags Error"),
    ATTRIBUTE_LENGTH_ERROR(ErrorCode.UPDATE_MESSAGE_ERROR, 5, "Attribute Length Error"),
    INVALID_ORIGIN_ATTRIBUTE(ErrorCode.UPDATE_MESSAGE_ERROR, 6, "Invalid ORIGIN Attribute"),
    AS_ROUTING_LOOP(ErrorCode.UPDATE_MESSAGE_ERROR, 7, "AS Routing Loop (deprecated)"),
    INVALID_NEXT_HOP_ATTRIBUTE(ErrorCode.UPDATE_MESSAGE_ERROR, 8, "Invalid NEXT_HOP Attribute"),
    OPTIONAL_ATTRIBUTE_ERROR(ErrorCode.UPDATE_MESSAGE_ERROR, 9, "Optional Attribute Error"),
    INVALID_NETWORK_FIELD(ErrorCode.UPDATE_MESSAGE_ERROR, 10, "Invalid Network Field"),
    MALFORMED_AS_PATH(ErrorCode.UPDATE_MESSAGE_ERROR, 11, "Malformed AS_PATH"),

    HOLD_TIMER_EXPIRED_UNSPECIFIC(ErrorCode.HOLD_TIMER_EXPIRED, 0, "Unspecific"),

    FSM_UNSPECIFIED_ERROR(ErrorCode.FINITE_STATE_MACHINE_ERROR, 0, "Unspecified Error"),
    FSM_UNEXPECTED_MESSAGE_IN_OPEN_SENT(ErrorCode.FINITE_STATE_MACHINE_ERROR, 1,
        "Receive Unexpected Message in OpenSent State"),
    FSM_UNEXPECTED_MESSAGE_IN_OPEN_CONFIRM(ErrorCode.FINITE_STATE_MACHINE_ERROR, 2,
        "Receive Unexpected Message in OpenConfirm State"),
    FSM_UNEXPECTED_MESSAGE_IN_ESTABLISHED(ErrorCode.FINITE_STATE_MACHINE_ERROR, 3,
        "Receive Unexpected Message in Established State"),

    CEASE_UNSPECIFIC(ErrorCode.CEASE, 0, "Unspecific"),
    MAXIMUM_NUMBER_OF_PREFIXES_REACHED(ErrorCode.CEASE, 1, "Maximum Number of Prefixes Reached"),
    ADMINISTRATIVE_SHUTDOWN(ErrorCode.CEASE, 2, "Administrative Shutdown"),
    PEER_DE_CONFIGURED(ErrorCode.CEASE, 3, "Peer De-configured"),
    ADMINISTRATIVE_RESET(ErrorCode.CEASE, 4, "Administrative Reset"),
    CONNECTION_REJECTED(ErrorCode.CEASE, 5, "Connection Rejected"),
    OTHER_CONFIGURATION_CHANGE(ErrorCode.CEASE, 6, "Other Configuration Change"),
    CONNECTION_COLLISION_RESOLUTION(ErrorCode.CEASE, 7, "Connection Collision Resolution"),
    OUT_OF_RESOURCES(ErrorCode.CEASE, 8, "Out of Resources"),
    HARD_RESET(ErrorCode.CEASE, 9, "Hard Reset"),
    BFD_DOWN(ErrorCode.CEASE, 10, "BFD Down"),

    ROUTE_REFRESH_RESERVED(ErrorCode.ROUTE_REFRESH_MESSAGE_ERROR, 0, "Reserved"),
    INVALID_MESSAGE_LENGTH(ErrorCode.ROUTE_REFRESH_MESSAGE_ERROR, 1, "Invalid Message Length"),

    SEND_HOLD_TIMER_EXPIRED_UNSPECIFIC(ErrorCode.SEND_HOLD_TIMER_EXPIRED, 0, "Unspecific");

    private final ErrorCode code;
    private final int subcode;
    private final String description;

    ErrorSubcode(final ErrorCode code, final int subcode, final String description)
    {
        this.code = code;
        this.subcode = subcode;
        this.description = description;
    }

    /** @return the error code this subcode belongs to. */
    public ErrorCode errorCode()
    {
        return code;
    }

    /** @return the error code on the wire. */
    public int code()
    {
        return code.code();
    }

    /** @return the subcode on the wire. */
    public int subcode()
    {
        return subcode;
    }

    /** @return the registry's name, e.g. "Connection Collision Resolution". */
    public String description()
    {
        return description;
    }

    /**
     * @param code    on the wire.
     * @param subcode on the wire.
     * @return the pair, or {@code null} when unassigned.
     */
    public static ErrorSubcode of(final int code, final int subcode)
    {
        for (final ErrorSubcode value : values())
        {
            if (value.code() == code && value.subcode == subcode)
            {
                return value;
            }
        }
        return null;
    }

    /**
     * @param code    on the wire.
     * @param subcode on the wire.
     * @return e.g. "Cease/Hard Reset (6/9)", or the numbers for unassigned values.
     */
    public static String describe(final int code, final int subcode)
    {
        final ErrorCode errorCode = ErrorCode.of(code);
        final ErrorSubcode errorSubcode = of(code, subcode);
        return (errorCode == null ? "unassigned code" : errorCode.description()) + "/" +
            (errorSubcode == null ? "unassigned subcode" : errorSubcode.description) +
            " (" + code + "/" + subcode + ")";
    }

    @Override
    public String toString()
    {
        return describe(code(), subcode);
    }
}
