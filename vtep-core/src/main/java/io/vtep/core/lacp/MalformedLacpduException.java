package io.vtep.core.lacp;

/**
 * A frame to the Slow Protocols address that is not a LACPDU this code can read; the message says
 * which field, what it held and what was expected. Only counted ({@code malformed}), never acted on.
 */
public final class MalformedLacpduException extends Exception
{
    private static final long serialVersionUID = 1L;

    public MalformedLacpduException(final String field, final int found, final int expected)
    {
        super("LACPDU " + field + ": found " + found + ", expected " + expected);
    }
}
