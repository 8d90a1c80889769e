package io.vtep.core.api;

/**
 * A small streaming JSON writer (RFC 8259) for the HTTP API, so that vtep needs no JSON library.
 * Commas and nesting are tracked for the caller; misuse (a value where a name is due, unbalanced
 * ends) throws {@link IllegalStateException}.
 *
 * <pre>{@code
 * String json = new JsonWriter().beginObject().name("vni").value(100).name("mac").value("02:00:00:00:00:01")
 *     .endObject().toString();   // {"vni":100,"mac":"02:00:00:00:00:01"}
 * }</pre>
 *
 * <p>Strings are escaped so the output is valid JSON for any Java string: {@code "} and {@code \},
 * every control character below U+0020 (short forms for \b \f \n \r \t, {@code \}{@code u00XX} otherwise),
 * DEL, U+2028 and U+2029 (which break JavaScript embedding), and unpaired surrogates (which have
 * no UTF-8 encoding and would otherwise become '?').
 */
public final class JsonWriter
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int MAX_DEPTH = 64;

    private final StringBuilder out;
    /** Per nesting level: 'o' object awaiting a name, 'v' object awaiting the value of a name, 'a' array. */
    private final char[] scopes = new char[MAX_DEPTH];
    /** Per nesting level: whether something was already written (so a comma is due). */
    private final boolean[] nonEmpty = new boolean[MAX_DEPTH];
    private int depth;
    private boolean topLevelDone;

    public JsonWriter()
    {
        this(new StringBuilder(256));
    }

    public JsonWriter(final StringBuilder out)
    {
        this.out = out;
    }

    public JsonWriter beginObject()
    {
        beforeValue();
        out.append('{');
        push('o');
        return this;
    }

    public JsonWriter endObject()
    {
        if (depth == 0 || scopes[depth - 1] != 'o')
        {
            throw new IllegalStateException("endObject outside an object or after a name without its value");
        }
        depth--;
        out.append('}');
        return this;
    }

    public JsonWriter beginArray()
    {
        beforeValue();
        out.append('[');
        push('a');
        return this;
    }

    public JsonWriter endArray()
    {
        if (depth == 0 || scopes[depth - 1] != 'a')
        {
            throw new IllegalStateException("endArray outside an array");
        }
        depth--;
        out.append(']');
        return this;
    }

    /** The name of the next member of the current object. */
    public JsonWriter name(final String name)
    {
        if (depth == 0 || scopes[depth - 1] != 'o')
        {
            throw new IllegalStateException("name \"" + name + "\" outside an object, or twice in a row");
        }
        if (nonEmpty[depth - 1])
        {
            out.append(',');
        }
        nonEmpty[depth - 1] = true;
        string(name);
        out.append(':');
        scopes[depth - 1] = 'v';
        return this;
    }

    /** A string, or {@code null} for a null string. */
    public JsonWriter value(final String value)
    {
        if (value == null)
        {
            return nullValue();
        }
        beforeValue();
        string(value);
        return this;
    }

    public JsonWriter value(final long value)
    {
        beforeValue();
        out.append(value);
        return this;
    }

    /**
     * A finite number in Java's shortest round-trip form ({@code 0.125}, {@code 1.0E10}: valid JSON
     * numbers). JSON has no NaN or infinity: those throw {@link IllegalArgumentException}; write
     * {@link #nullValue()} for a missing number instead.
     */
    public JsonWriter value(final double value)
    {
        if (!Double.isFinite(value))
        {
            throw new IllegalArgumentException("JSON has no " + value + "; write null for a missing number");
        }
        beforeValue();
        out.append(value);
        return this;
    }

    public JsonWriter value(final boolean value)
    {
        beforeValue();
        out.append(value);
        return this;
    }

    public JsonWriter nullValue()
    {
        beforeValue();
        out.append("null");
        return this;
    }

    /** {@code name(name).value(value)}. */
    public JsonWriter field(final String name, final String value)
    {
        return name(name).value(value);
    }

    /** {@code name(name).value(value)}. */
    public JsonWriter field(final String name, final long value)
    {
        return name(name).value(value);
    }

    /** {@code name(name).value(value)}. */
    public JsonWriter field(final String name, final double value)
    {
        return name(name).value(value);
    }

    /** {@code name(name).value(value)}. */
    public JsonWriter field(final String name, final boolean value)
    {
        return name(name).value(value);
    }

    /** The document; every object and array must be closed. */
    @Override
    public String toString()
    {
        if (depth != 0)
        {
            throw new IllegalStateException(depth + " object(s) or array(s) not closed");
        }
        return out.toString();
    }

    /** Appends {@code text} as a quoted, escaped JSON string. */
    static void appendString(final StringBuilder out, final CharSequence text)
    {
        out.append('"');
        final int length = text.length();
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default ->
                {
                    if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029')
                    {
                        unicodeEscape(out, c);
                    }
                    else if (Character.isHighSurrogate(c))
                    {
                        if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1)))
                        {
                            out.append(c).append(text.charAt(++i));
                        }
                        else
                        {
                            unicodeEscape(out, c);
                        }
                    }
                    else if (Character.isLowSurrogate(c))
                    {
                        unicodeEscape(out, c);
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(final StringBuilder out, final char c)
    {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }

    private void string(final String text)
    {
        appendString(out, text);
    }

    private void beforeValue()
    {
        if (depth == 0)
        {
            if (topLevelDone)
            {
                throw new IllegalStateException("a JSON document has one top-level value");
            }
            topLevelDone = true;
            return;
        }
        final int top = depth - 1;
        switch (scopes[top])
        {
            case 'v' -> scopes[top] = 'o';
            case 'a' ->
            {
                if (nonEmpty[top])
                {
                    out.append(',');
                }
                nonEmpty[top] = true;
            }
            default -> throw new IllegalStateException("a value in an object needs a name first");
        }
    }

    private void push(final char scope)
    {
        if (depth == MAX_DEPTH)
        {
            throw new IllegalStateException("JSON nested deeper than " + MAX_DEPTH);
        }
        scopes[depth] = scope;
        nonEmpty[depth] = false;
        depth++;
    }
}
