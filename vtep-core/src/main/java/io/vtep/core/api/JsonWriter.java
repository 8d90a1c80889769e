package io.vtep.core.api;

import java.io.IOException;
import java.io.Writer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

/**
 * The HTTP API's JSON (RFC 8259), written by jackson-core's streaming generator into a
 * {@link StringBuilder} that the caller may drain as it goes (the streamed FDB document reads it
 * after every entry: each {@code end...} call flushes the generator into it). Commas and nesting
 * are tracked by the generator; misuse (a value where a name is due, unbalanced ends) throws
 * {@link IllegalStateException}.
 *
 * <pre>{@code
 * String json = new JsonWriter().beginObject().name("vni").value(100).name("mac").value("02:00:00:00:00:01")
 *     .endObject().toString();   // {"vni":100,"mac":"02:00:00:00:00:01"}
 * }</pre>
 *
 * <p>Strings are escaped so the output is valid JSON for any Java string and unchanged from vtep's
 * earlier writer: {@code "} and {@code \}, every control character below U+0020 (short forms for
 * \b \f \n \r \t, lower-case {@code \}{@code u00xx} otherwise), DEL, U+2028 and U+2029 (which break
 * JavaScript embedding), and unpaired surrogates (which have no UTF-8 encoding and would otherwise
 * become '?'; a string that has one has all its surrogates escaped, which a reader decodes the same).
 */
public final class JsonWriter
{
    private static final int MAX_DEPTH = 64;
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
        .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
        .build();
    private static final CharacterEscapes ESCAPES = new Escapes(false);
    private static final CharacterEscapes ESCAPES_WITH_SURROGATES = new Escapes(true);

    private final StringBuilder out;
    private final JsonGenerator generator;
    /** A name was written and its value is due: jackson would close the object without it. */
    private boolean valueDue;

    public JsonWriter()
    {
        this(new StringBuilder(256));
    }

    public JsonWriter(final StringBuilder out)
    {
        this.out = out;
        try
        {
            this.generator = FACTORY.createGenerator(new Appender(out));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
        generator.setCharacterEscapes(ESCAPES);
    }

    public JsonWriter beginObject()
    {
        return write(Step.BEGIN_OBJECT, null, 0);
    }

    public JsonWriter endObject()
    {
        if (valueDue)
        {
            throw new IllegalStateException("endObject after a name without its value");
        }
        return write(Step.END_OBJECT, null, 0);
    }

    public JsonWriter beginArray()
    {
        return write(Step.BEGIN_ARRAY, null, 0);
    }

    public JsonWriter endArray()
    {
        return write(Step.END_ARRAY, null, 0);
    }

    /** The name of the next member of the current object. */
    public JsonWriter name(final String name)
    {
        write(Step.NAME, name, 0);
        valueDue = true;
        return this;
    }

    /** A string, or {@code null} for a null string. */
    public JsonWriter value(final String value)
    {
        return value == null ? nullValue() : write(Step.STRING, value, 0);
    }

    public JsonWriter value(final long value)
    {
        return write(Step.LONG, null, value);
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
        return write(Step.DOUBLE, null, Double.doubleToRawLongBits(value));
    }

    public JsonWriter value(final boolean value)
    {
        return write(Step.BOOLEAN, null, value ? 1 : 0);
    }

    public JsonWriter nullValue()
    {
        return write(Step.NULL, null, 0);
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
        if (!generator.getOutputContext().inRoot())
        {
            throw new IllegalStateException("an object or array is not closed");
        }
        flush();
        return out.toString();
    }

    private enum Step
    {
        BEGIN_OBJECT, END_OBJECT, BEGIN_ARRAY, END_ARRAY, NAME, STRING, LONG, DOUBLE, BOOLEAN, NULL
    }

    private JsonWriter write(final Step step, final String text, final long number)
    {
        final boolean value = step != Step.END_OBJECT && step != Step.END_ARRAY && step != Step.NAME;
        if (value && generator.getOutputContext().inRoot() && generator.getOutputContext().getEntryCount() > 0)
        {
            throw new IllegalStateException("a JSON document has one top-level value");
        }
        if (value)
        {
            valueDue = false;
        }
        final boolean loneSurrogate = text != null && hasUnpairedSurrogate(text);
        try
        {
            if (loneSurrogate)
            {
                generator.setCharacterEscapes(ESCAPES_WITH_SURROGATES);
            }
            switch (step)
            {
                case BEGIN_OBJECT -> generator.writeStartObject();
                case END_OBJECT -> generator.writeEndObject();
                case BEGIN_ARRAY -> generator.writeStartArray();
                case END_ARRAY -> generator.writeEndArray();
                case NAME -> generator.writeFieldName(text);
                case STRING -> generator.writeString(text);
                case LONG -> generator.writeNumber(number);
                case DOUBLE -> generator.writeNumber(Double.longBitsToDouble(number));
                case BOOLEAN -> generator.writeBoolean(number != 0);
                case NULL -> generator.writeNull();
            }
            if (loneSurrogate)
            {
                generator.setCharacterEscapes(ESCAPES);
            }
        }
        catch (final IOException ex)
        {
            // The Appender cannot fail: jackson reports misuse (and nesting past MAX_DEPTH) this way.
            throw new IllegalStateException(ex.getMessage(), ex);
        }
        if (step == Step.END_OBJECT || step == Step.END_ARRAY || generator.getOutputContext().inRoot())
        {
            flush();
        }
        return this;
    }

    private void flush()
    {
        try
        {
            generator.flush();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static boolean hasUnpairedSurrogate(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                return true;
            }
        }
        return false;
    }

    /** JSON's escapes plus DEL, U+2028, U+2029 and, when asked, every surrogate. */
    private static final class Escapes extends CharacterEscapes
    {
        private final int[] ascii = standardAsciiEscapesForJSON();
        private final boolean surrogates;

        Escapes(final boolean surrogates)
        {
            this.surrogates = surrogates;
            ascii[0x7F] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii()
        {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(final int ch)
        {
            if (ch == '\u2028' || ch == '\u2029' || (surrogates && Character.isSurrogate((char)ch)))
            {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }

    /** Appends to the caller's builder, which it drains between pieces of a streamed document. */
    private static final class Appender extends Writer
    {
        private final StringBuilder out;

        Appender(final StringBuilder out)
        {
            this.out = out;
        }

        @Override
        public void write(final char[] chars, final int offset, final int length)
        {
            out.append(chars, offset, length);
        }

        @Override
        public void write(final String text, final int offset, final int length)
        {
            out.append(text, offset, offset + length);
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    }
}
