package io.vtep.evpn.codec;

/**
 * What a receiver does about a malformed UPDATE (RFC 7606 §2), weakest first, so that when an
 * UPDATE has several errors the strongest one wins (RFC 7606 §3: "the approach with the
 * strongest action MUST be used"). The "AFI/SAFI disable" approach is not offered: a vtep
 * session carries one address family, so disabling it is a session reset.
 */
public enum ErrorAction
{
    /** Nothing is wrong. */
    NONE,
    /** Drop the offending attribute and process the UPDATE without it (RFC 7606 §2). */
    ATTRIBUTE_DISCARD,
    /** Process every route in the UPDATE, reachable or not, as a withdrawal (RFC 7606 §2). */
    TREAT_AS_WITHDRAW,
    /** Send the NOTIFICATION and close the session (RFC 4271 §6). */
    SESSION_RESET;

    /**
     * @param other to compare with.
     * @return the stronger of the two.
     */
    public ErrorAction strongest(final ErrorAction other)
    {
        return other.ordinal() > ordinal() ? other : this;
    }
}
