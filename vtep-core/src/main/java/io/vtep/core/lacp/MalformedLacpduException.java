package io.vtep.core.lacp;

/** A frame to the Slow Protocols address that is not a LACPDU this code can read: which field, found, expected. */
public final class MalformedLacpduException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final String field;
    private final int found;
    private final int expected;

    public MalformedLacpduException(final String field, final int found, final int expected)
    {
        super("LACPDU " + field + ": found " + found + ", expected " + expected);
        this.field = field;
        this.found = found;
        this.expected = expected;
    }

    public String field()
    {
        return field;
    }

    public int found()
    {
        return found;
    }

    public int expected()
    {
        return expected;
    }
}
