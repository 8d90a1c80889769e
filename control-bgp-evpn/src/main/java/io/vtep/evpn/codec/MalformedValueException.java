package io.vtep.evpn.codec;

/**
 * Thrown by the value decoders of path attributes and NLRI when the octets do not have the shape
 * their type requires. The UPDATE decoder catches it and applies the RFC 7606 policy of the
 * attribute that contained it ({@link io.vtep.evpn.codec.attr.AttributeType#malformedAction}), so
 * the same malformation is a treat-as-withdraw in ORIGIN and a session reset in MP_REACH_NLRI.
 */
public final class MalformedValueException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final ErrorSubcode subcode;

    /**
     * @param subcode the UPDATE Message Error subcode that names the problem.
     * @param reason  what was wrong, with the sizes found and expected.
     */
    public MalformedValueException(final ErrorSubcode subcode, final String reason)
    {
        super(reason);
        this.subcode = subcode;
    }

    /** @return the UPDATE Message Error subcode. */
    public ErrorSubcode subcode()
    {
        return subcode;
    }
}
