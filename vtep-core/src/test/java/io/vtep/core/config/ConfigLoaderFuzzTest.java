package io.vtep.core.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the configuration file: whatever its text, {@link ConfigLoader#parse} returns a
 * configuration or throws {@link ConfigException} with a message ({@code bin/vtep run} exits 2
 * with it), never another exception or error (a stack overflow from a cyclic alias was one).
 *
 * <p>Corpus: src/test/resources/io/vtep/core/config/ConfigLoaderFuzzTestInputs/configText/, seeded
 * with the configurations of the README, examples/ and the tests, and the hostile documents of
 * {@link MalformedYamlTest}.
 */
class ConfigLoaderFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void configText(final byte[] file)
    {
        try
        {
            // Raw bytes, so that seeds are plain YAML files; undecodable bytes become U+FFFD.
            assertNotNull(ConfigLoader.parse(new String(file, StandardCharsets.UTF_8)));
        }
        catch (final ConfigException refused)
        {
            assertFalse(refused.getMessage().isBlank(), "a refusal says what is wrong");
        }
    }
}
