package io.vtep.core.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON parser (RFC 8259) for the command line, which reads the HTTP API's answers.
 * Objects become {@link LinkedHashMap}s (member order kept), arrays {@link ArrayList}s, numbers
 * {@link Long} when integral and in range, else {@link Double}; strings, booleans and null as
 * themselves. Malformed input throws {@link IllegalArgumentException} with the offset.
 */
public final class JsonReader
{
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private int depth;

    private JsonReader(final String text)
    {
        this.text = text;
    }

    /** Parses one JSON document (surrounding whitespace allowed). */
    public static Object parse(final String text)
    {
        final JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        final Object value = reader.value();
        reader.skipWhitespace();
        if (reader.pos != text.length())
        {
            throw reader.error("unexpected text after the JSON value");
        }
        return value;
    }

    private Object value()
    {
        if (pos >= text.length())
        {
            throw error("unexpected end of JSON");
        }
        final char c = text.charAt(pos);
        return switch (c)
        {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default ->
            {
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object()
    {
        enter();
        pos++;
        final Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}')
        {
            pos++;
            depth--;
            return map;
        }
        while (true)
        {
            skipWhitespace();
            if (peek() != '"')
            {
                throw error("expected a member name");
            }
            final String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            map.put(name, value());
            skipWhitespace();
            final char c = next();
            if (c == '}')
            {
                depth--;
                return map;
            }
            if (c != ',')
            {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array()
    {
        enter();
        pos++;
        final List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']')
        {
            pos++;
            depth--;
            return list;
        }
        while (true)
        {
            skipWhitespace();
            list.add(value());
            skipWhitespace();
            final char c = next();
            if (c == ']')
            {
                depth--;
                return list;
            }
            if (c != ',')
            {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string()
    {
        pos++;
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            if (pos >= text.length())
            {
                throw error("unterminated string");
            }
            final char c = text.charAt(pos++);
            if (c == '"')
            {
                return sb.toString();
            }
            if (c < 0x20)
            {
                pos--;
                throw error("control character in a string");
            }
            if (c != '\\')
            {
                sb.append(c);
                continue;
            }
            final char e = next();
            switch (e)
            {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' ->
                {
                    if (pos + 4 > text.length())
                    {
                        throw error("truncated \\u escape");
                    }
                    try
                    {
                        sb.append((char)Integer.parseInt(text.substring(pos, pos + 4), 16));
                    }
                    catch (final NumberFormatException ex)
                    {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default ->
                {
                    pos--;
                    throw error("bad escape '\\" + e + "'");
                }
            }
        }
    }

    private Object number()
    {
        final int start = pos;
        if (peek() == '-')
        {
            pos++;
        }
        if (!isDigit(peek()))
        {
            throw error("expected a digit");
        }
        if (peek() == '0')
        {
            pos++;
        }
        else
        {
            digits();
        }
        boolean integral = true;
        if (peek() == '.')
        {
            integral = false;
            pos++;
            if (!isDigit(peek()))
            {
                throw error("expected a digit after '.'");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E')
        {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-')
            {
                pos++;
            }
            if (!isDigit(peek()))
            {
                throw error("expected a digit in the exponent");
            }
            digits();
        }
        final String number = text.substring(start, pos);
        if (integral)
        {
            try
            {
                return Long.parseLong(number);
            }
            catch (final NumberFormatException ex)
            {
                // beyond a long: fall through to a double
            }
        }
        return Double.parseDouble(number);
    }

    private void digits()
    {
        while (isDigit(peek()))
        {
            pos++;
        }
    }

    private static boolean isDigit(final char c)
    {
        return c >= '0' && c <= '9';
    }

    private Object literal(final String word, final Object value)
    {
        if (!text.startsWith(word, pos))
        {
            throw error("unexpected text");
        }
        pos += word.length();
        return value;
    }

    private void enter()
    {
        if (++depth > MAX_DEPTH)
        {
            throw error("JSON nested deeper than " + MAX_DEPTH);
        }
    }

    private void expect(final char c)
    {
        if (next() != c)
        {
            pos--;
            throw error("expected '" + c + "'");
        }
    }

    private char peek()
    {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next()
    {
        if (pos >= text.length())
        {
            pos++;
            throw error("unexpected end of JSON");
        }
        return text.charAt(pos++);
    }

    private void skipWhitespace()
    {
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                return;
            }
            pos++;
        }
    }

    private IllegalArgumentException error(final String message)
    {
        return new IllegalArgumentException("bad JSON at offset " + Math.min(pos, text.length()) + ": " + message);
    }
}
