package io.vtep.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every configuration test checks of a refusal: the key path it names, and the problem it states. */
final class ConfigAssertions
{
    private ConfigAssertions()
    {
    }

    /**
     * @param path    the key path the error must name, e.g. {@code vnis[0].flood[0]}.
     * @param problem words the error's problem must contain.
     */
    static void assertRefused(final String yaml, final String path, final String problem)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml));
        assertEquals(path, ex.path(), () -> "path of: " + ex.getMessage());
        assertTrue(ex.problem().contains(problem), () -> "expected '" + problem + "' in: " + ex.getMessage());
    }
}
