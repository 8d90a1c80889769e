package io.vtep.core.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * Reads one JSON document (RFC 8259) for the command line, which reads the HTTP API's answers, by
 * jackson-core's streaming parser (strict: no comments, trailing commas, leading zeros or NaN).
 * Objects become {@link LinkedHashMap}s (member order kept), arrays {@link ArrayList}s, numbers
 * {@link Long} when written without fraction or exponent and in range, else {@link Double}; strings,
 * booleans and null as themselves. Malformed input throws {@link IllegalArgumentException} with the
 * offset.
 */
public final class JsonReader
{
    private static final int MAX_DEPTH = 64;
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
        .build();

    private JsonReader()
    {
    }

    /** Parses one JSON document (surrounding whitespace allowed). */
    public static Object parse(final String text)
    {
        try (JsonParser parser = FACTORY.createParser(text))
        {
            final JsonToken first = parser.nextToken();
            if (first == null)
            {
                throw new IllegalArgumentException("bad JSON at offset 0: unexpected end of JSON");
            }
            final Object value = value(parser, first);
            if (parser.nextToken() != null)
            {
                throw error(parser.currentTokenLocation(), "unexpected text after the JSON value");
            }
            return value;
        }
        catch (final JsonProcessingException ex)
        {
            throw error(ex.getLocation(), ex.getOriginalMessage());
        }
        catch (final IOException ex)
        {
            // A String has no I/O to fail.
            throw new IllegalArgumentException("bad JSON at offset 0: " + ex.getMessage(), ex);
        }
    }

    private static Object value(final JsonParser parser, final JsonToken token) throws IOException
    {
        return switch (token)
        {
            case START_OBJECT ->
            {
                final Map<String, Object> object = new LinkedHashMap<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken())
                {
                    final String name = parser.currentName();
                    object.put(name, value(parser, parser.nextToken()));
                }
                yield object;
            }
            case START_ARRAY ->
            {
                final List<Object> array = new ArrayList<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken())
                {
                    array.add(value(parser, next));
                }
                yield array;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object)parser.getValueAsDouble() : (Object)parser
                .getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw error(parser.currentTokenLocation(), "unexpected " + token);
        };
    }

    private static IllegalArgumentException error(final JsonLocation where, final String message)
    {
        final long offset = where == null ? 0 : Math.max(0, where.getCharOffset());
        return new IllegalArgumentException("bad JSON at offset " + offset + ": " + message);
    }
}
