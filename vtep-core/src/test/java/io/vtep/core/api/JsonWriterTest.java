package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hand-written JSON writer: structure, commas, escaping (RFC 8259 §7), misuse; and the reader it pairs with. */
class JsonWriterTest
{
    private static String quoted(final String text)
    {
        return new JsonWriter().value(text).toString();
    }

    @Test
    void writesNestedObjectsAndArraysWithCommasInTheRightPlaces()
    {
        final String json = new JsonWriter().beginObject()
            .field("vni", 100)
            .field("learning", true)
            .name("remote").nullValue()
            .name("ports").beginArray().value("acc1").value("acc1.10").endArray()
            .name("empty").beginArray().endArray()
            .name("fdb").beginObject().field("local", 1).field("remote", -2).endObject()
            .name("none").beginObject().endObject()
            .field("text", (String)null)
            .endObject().toString();
        assertEquals("{\"vni\":100,\"learning\":true,\"remote\":null,\"ports\":[\"acc1\",\"acc1.10\"],\"empty\":[]," +
            "\"fdb\":{\"local\":1,\"remote\":-2},\"none\":{},\"text\":null}", json);
    }

    @Test
    void doublesRoundTripThroughTheReaderAndNonFiniteOnesAreRefused()
    {
        final String json = new JsonWriter().beginArray().value(0.125).value(1.0e10).value(-2.5e-7).value(3.0).endArray().toString();
        assertEquals("[0.125,1.0E10,-2.5E-7,3.0]", json);
        assertEquals(List.of(0.125, 1.0e10, -2.5e-7, 3.0), JsonReader.parse(json));
        assertEquals("{\"x\":0.5}", new JsonWriter().beginObject().field("x", 0.5).endObject().toString());
        for (final double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
        {
            assertThrows(IllegalArgumentException.class, () -> new JsonWriter().value(bad));
        }
    }

    @Test
    void arraysOfObjects()
    {
        assertEquals("[{\"a\":1},{\"a\":2},[]]", new JsonWriter().beginArray()
            .beginObject().field("a", 1).endObject()
            .beginObject().field("a", 2).endObject()
            .beginArray().endArray()
            .endArray().toString());
    }

    @Test
    void longsKeepEveryDigit()
    {
        assertEquals("[9223372036854775807,-9223372036854775808,0]",
            new JsonWriter().beginArray().value(Long.MAX_VALUE).value(Long.MIN_VALUE).value(0).endArray().toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "plain          | abc                 | '\"abc\"'",
        "quote          | a\"b                | '\"a\\\"b\"'",
        "backslash      | a\\b                | '\"a\\\\b\"'",
        "slash unescaped | a/b                | '\"a/b\"'",
        "unicode kept   | grüße ✓             | '\"grüße ✓\"'",
    })
    void escapesQuotesAndBackslashes(final String name, final String input, final String expected)
    {
        assertEquals(expected, quoted(input));
    }

    @Test
    void escapesEveryControlCharacter()
    {
        assertEquals("\"\\b\\f\\n\\r\\t\"", quoted("\b\f\n\r\t"));
        assertEquals("\"\\u0000\\u0001\\u001f\\u007f\"", quoted("\u0000\u0001\u001f\u007f"));
        for (char c = 0; c < 0x20; c++)
        {
            final String json = quoted("x" + c + "y");
            assertEquals("x" + c + "y", JsonReader.parse(json), "U+" + Integer.toHexString(c) + " round-trips");
        }
    }

    @Test
    void escapesLineSeparatorsAndUnpairedSurrogatesButKeepsPairs()
    {
        assertEquals("\"\\u2028\\u2029\"", quoted("\u2028\u2029"));
        assertEquals("\"😀\"", quoted("😀"));
        assertEquals("\"\\ud83d x \\ude00\"", quoted("\ud83d x \ude00"));
        assertEquals("\"end\\ud83d\"", quoted("end\ud83d"));
    }

    @Test
    void escapedNamesToo()
    {
        assertEquals("{\"a\\\"b\":1}", new JsonWriter().beginObject().field("a\"b", 1).endObject().toString());
    }

    @Test
    void roundTripsThroughTheReader()
    {
        final String json = new JsonWriter().beginObject()
            .field("s", "tab\there \"q\" \\ \u0001 ü 😀")
            .field("n", 42)
            .field("b", false)
            .name("a").beginArray().value(1).nullValue().value("x").endArray()
            .endObject().toString();
        final Map<String, Object> parsed = (Map<String, Object>)JsonReader.parse(json);
        assertEquals("tab\there \"q\" \\ \u0001 ü 😀", parsed.get("s"));
        assertEquals(42L, parsed.get("n"));
        assertEquals(false, parsed.get("b"));
        assertEquals(java.util.Arrays.asList(1L, null, "x"), parsed.get("a"));
    }

    @Test
    void misuseIsRefused()
    {
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().value(1));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().name("a").name("b"));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginArray().name("a"));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginArray().endObject());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().endArray());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().name("a").endObject());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().toString());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().value(1).value(2));
    }

    @Test
    void readerParsesNumbersLiteralsAndEscapes()
    {
        assertEquals(List.of(0L, -1L, 1.5, 2e3, -0.25e-2, 1.0e19), JsonReader.parse(" [0, -1, 1.5, 2e3, -0.25e-2, 10000000000000000000] "));
        assertEquals(java.util.Arrays.asList(true, false, null), JsonReader.parse("[true,false,null]"));
        assertEquals("é/\n\u2028", JsonReader.parse("\"\\u00e9\\/\\n\\u2028\""));
        assertEquals(Map.of(), JsonReader.parse("{}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "''", "'{'", "'{\"a\"}'", "'{\"a\":1,}'", "'[1,]'", "'[1 2]'", "'01'", "'-'", "'1.'", "'1e'", "'tru'",
        "'\"abc'", "'\"\\x\"'", "'\"\\u12\"'", "'{} x'", "'{a:1}'", "'\"a\tb\"'",
    })
    void readerRefusesMalformedJson(final String text)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(text));
        assertEquals(true, ex.getMessage().startsWith("bad JSON at offset "), ex.getMessage());
    }

    @Test
    void readerRefusesDeepNesting()
    {
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[".repeat(100) + "]".repeat(100)));
    }
}
