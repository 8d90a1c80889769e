package io.vtep.evpn.codec;

/**
 * A received message that the session cannot survive (RFC 7606 "session reset"): carries the
 * NOTIFICATION to send (code, subcode, data) and, for length errors, the measured and expected
 * sizes. Everything weaker (treat-as-withdraw, attribute discard) is reported on the decoded
 * {@link UpdateMessage} instead ({@link UpdateMessage#errors()}).
 */
public class BgpDecodeException extends RuntimeException
{
    /** Marks {@link #measured()} and {@link #expectedMin()} / {@link #expectedMax()} as not applicable. */
    public static final int NOT_A_SIZE = -1;

    private static final long serialVersionUID = 1L;

    private final int code;
    private final int subcode;
    private final transient Octets data;
    private final int measured;
    private final int expectedMin;
    private final int expectedMax;

    /**
     * @param subcode the NOTIFICATION code and subcode.
     * @param data    the NOTIFICATION data (what RFC 4271 §6 says to put there).
     * @param reason  what was wrong, for the log.
     */
    public BgpDecodeException(final ErrorSubcode subcode, final Octets data, final String reason)
    {
        this(subcode.code(), subcode.subcode(), data, reason, NOT_A_SIZE, NOT_A_SIZE, NOT_A_SIZE);
    }

    /**
     * @param code        the NOTIFICATION code.
     * @param subcode     the NOTIFICATION subcode.
     * @param data        the NOTIFICATION data.
     * @param reason      what was wrong, for the log.
     * @param measured    the size found, or {@link #NOT_A_SIZE}.
     * @param expectedMin the smallest size allowed, or {@link #NOT_A_SIZE}.
     * @param expectedMax the largest size allowed, or {@link #NOT_A_SIZE}.
     */
    public BgpDecodeException(
        final int code,
        final int subcode,
        final Octets data,
        final String reason,
        final int measured,
        final int expectedMin,
        final int expectedMax)
    {
        super(ErrorSubcode.describe(code, subcode) + ": " + reason);
        this.code = code;
        this.subcode = subcode;
        this.data = data;
        this.measured = measured;
        this.expectedMin = expectedMin;
        this.expectedMax = expectedMax;
    }

    /** @return always {@link ErrorAction#SESSION_RESET}. */
    public ErrorAction action()
    {
        return ErrorAction.SESSION_RESET;
    }

    /** @return the NOTIFICATION error code. */
    public int code()
    {
        return code;
    }

    /** @return the NOTIFICATION error subcode. */
    public int subcode()
    {
        return subcode;
    }

    /** @return the pair as a constant, or {@code null} if unassigned. */
    public ErrorSubcode errorSubcode()
    {
        return ErrorSubcode.of(code, subcode);
    }

    /** @return the NOTIFICATION data. */
    public Octets data()
    {
        return data;
    }

    /** @return the size found (a length field or a byte count), or {@link #NOT_A_SIZE}. */
    public int measured()
    {
        return measured;
    }

    /** @return the smallest size that would have been accepted, or {@link #NOT_A_SIZE}. */
    public int expectedMin()
    {
        return expectedMin;
    }

    /** @return the largest size that would have been accepted, or {@link #NOT_A_SIZE}. */
    public int expectedMax()
    {
        return expectedMax;
    }

    /** @return the NOTIFICATION to send before closing the session. */
    public NotificationMessage notification()
    {
        return new NotificationMessage(code, subcode, data);
    }
}
