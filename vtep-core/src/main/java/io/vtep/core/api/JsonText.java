package io.vtep.core.api;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.jr.ob.JSON;

/**
 * Maps, lists, strings, numbers, booleans and nulls as one line of JSON (RFC 8259), by jackson-jr:
 * the command line's request bodies and its {@code --json} output. Members keep the maps' order.
 */
public final class JsonText
{
    /** Null members are written: the API's documents have them ("vlan": null) and the CLI's --json keeps its field set. */
    private static final JSON WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private JsonText()
    {
    }

    public static String of(final Object value)
    {
        try
        {
            return WRITER.asString(value);
        }
        catch (final IOException ex)
        {
            // Only a value of a type JSON cannot express gets here: a programming error.
            throw new UncheckedIOException(ex);
        }
    }
}
