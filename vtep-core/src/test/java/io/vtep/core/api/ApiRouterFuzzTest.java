package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes what an HTTP client controls in a request to the API: the method, the request target
 * (path, query parameters, percent-encoding) and the {@code Accept} header, fed to
 * {@link ApiRouter#handle} over the real FDB and tables of {@link ApiFixture}.
 *
 * <p>Properties: no exception (ApiServer would log it and answer 500); the status is one the
 * router documents; every JSON body, the error bodies under {@code /api/} included, parses as JSON
 * (RFC 8259) whatever characters the request echoed into it, and an error body's {@code status}
 * equals the response's.
 *
 * <p>A second target fuzzes {@link JsonReader}, which the command line uses to read the API's
 * answers: anything but a JSON document is an {@link IllegalArgumentException}.
 *
 * <p>Corpora: src/test/resources/io/vtep/core/api/ApiRouterFuzzTestInputs/{request,jsonReader}/.
 */
class ApiRouterFuzzTest
{
    private static final String[] METHODS = {"GET", "HEAD", "POST", "DELETE", "PUT", "OPTIONS"};
    private static final Set<Integer> DOCUMENTED_STATUSES = Set.of(200, 400, 403, 404, 405, 503);

    private final ApiRouter router = new ApiFixture().router();

    @FuzzTest(maxDuration = "60s")
    void request(final FuzzedDataProvider data)
    {
        final String method = data.consumeBoolean() ? data.pickValue(METHODS) : data.consumeString(12);
        final String accept = data.consumeBoolean() ? null : data.consumeString(80);
        final String uri = data.consumeRemainingAsString();

        final ApiResponse response = router.handle(method, uri, accept);

        assertTrue(DOCUMENTED_STATUSES.contains(response.status()), response.status() + " for " + method + " " + uri);
        if (ApiResponse.JSON.equals(response.contentType()))
        {
            final Object document = JsonReader.parse(response.bodyText());
            if (response.status() != 200)
            {
                final Map<?, ?> error = assertInstanceOf(Map.class, document, response.bodyText());
                assertEquals((long)response.status(), error.get("status"), response.bodyText());
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void jsonReader(final byte[] document)
    {
        final String text = new String(document, java.nio.charset.StandardCharsets.UTF_8);
        try
        {
            final Object value = JsonReader.parse(text);
            assertTrue(value == null || value instanceof Map || value instanceof java.util.List || value instanceof String ||
                value instanceof Long || value instanceof Double || value instanceof Boolean, String.valueOf(value));
        }
        catch (final IllegalArgumentException malformed)
        {
            assertTrue(malformed.getMessage() != null && !malformed.getMessage().isEmpty());
        }
    }

    /** Keeps {@link #jsonReader}'s expectation honest: a truncated document is refused, not accepted. */
    @org.junit.jupiter.api.Test
    void jsonReaderRefusesATruncatedDocument()
    {
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\": [1, 2"));
    }
}
