package io.vtep.encap;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;

/** What every parser of configuration text must do with text it refuses: say which text, in quotes. */
final class ParseAssertions
{
    private ParseAssertions()
    {
    }

    static void assertRefusedNamingIt(final Function<String, ?> parse, final String text)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> parse.apply(text));

        assertTrue(ex.getMessage().contains("\"" + text + "\""), ex.getMessage());
    }
}
