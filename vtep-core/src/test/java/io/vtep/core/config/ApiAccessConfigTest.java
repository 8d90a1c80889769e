package io.vtep.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code api.token-file} and {@code api.tls}: read into {@link ApiConfig}, mistakes named by key path. */
class ApiAccessConfigTest
{
    private static final String BASE = """
        vtep: { local-ip: 192.0.2.1 }
        ports: [ { name: eth1, vlans: { untagged: 7 } } ]
        """;

    @Test
    void readsTheTokenFileAndTls() throws ConfigException
    {
        final ApiConfig api = ConfigLoader.parse(BASE + """
            api:
              listen: 192.0.2.1:9100
              token-file: /etc/vtep/api-token
              tls: { certificate-file: /etc/vtep/api.crt, key-file: /etc/vtep/api.key }
            """).api();
        assertEquals(Path.of("/etc/vtep/api-token"), api.tokenFileOrNull());
        assertEquals(new ApiConfig.Tls(Path.of("/etc/vtep/api.crt"), Path.of("/etc/vtep/api.key")), api.tlsOrNull());
        assertEquals(api.tlsOrNull(), api.withAddress("127.0.0.1", 0).tlsOrNull(), "kept with another address");
    }

    @Test
    void withoutThemChangesAreOffAndHttpIsPlain() throws ConfigException
    {
        final ApiConfig api = ConfigLoader.parse(BASE).api();
        assertNull(api.tokenFileOrNull());
        assertNull(api.tlsOrNull());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "api: { tls: { certificate-file: /a.crt } }                           | api.tls                 | needs both",
        "api: { tls: { certificate-file: /a.crt, key-file: /a.key, ca: x } }  | api.tls.ca              | unknown key",
        "api: { token-file: '' }                                              | api.token-file          | file name",
        "api: { token: abc }                                                  | api.token               | unknown key",
    })
    void mistakesAreNamedByKeyPath(final String yaml, final String path, final String problem)
    {
        ConfigAssertions.assertRefused(BASE + yaml + "\n", path, problem);
    }
}
