package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The status page's routes through {@link ApiRouter}: each file with its content type, the
 * security and cache headers, 404 for anything else under {@code /status/} (path traversal
 * included), 405 for other methods, and the page referring only to files that exist.
 */
class StatusPageTest
{
    private final ApiRouter router = new ApiFixture().router();

    private ApiResponse get(final String uri)
    {
        return router.handle("GET", uri, null);
    }

    @ParameterizedTest
    @CsvSource({
        "/,                  text/html; charset=utf-8,       <!doctype html>",
        "/?refresh=1,        text/html; charset=utf-8,       <!doctype html>",
        "/status/status.js,  text/javascript; charset=utf-8, 'use strict';",
        "/status/status.css, text/css; charset=utf-8,        :root",
        "/status/icon.svg,   image/svg+xml,                  <svg",
    })
    void eachFileIsServedWithItsContentTypeAndHeaders(final String uri, final String contentType, final String content)
    {
        final ApiResponse response = get(uri);
        assertEquals(200, response.status(), uri);
        assertEquals(contentType, response.contentType(), uri);
        assertTrue(response.bodyText().contains(content), uri);
        assertEquals(StatusPage.CONTENT_SECURITY_POLICY, response.headers().get("Content-Security-Policy"));
        assertEquals("nosniff", response.headers().get("X-Content-Type-Options"));
        assertEquals("no-cache", response.headers().get("Cache-Control"));
        assertEquals("no-referrer", response.headers().get("Referrer-Policy"));
    }

    @Test
    void thePolicyAllowsNoInlineScriptNoOtherOriginAndNoFraming()
    {
        final String policy = get("/").headers().get("Content-Security-Policy");
        assertTrue(policy.startsWith("default-src 'none';"), policy);
        assertTrue(policy.contains("script-src 'self';"), policy);
        assertFalse(policy.contains("unsafe-inline"), policy);
        assertFalse(policy.contains("unsafe-eval"), policy);
        assertFalse(policy.contains("http"), policy);
        assertTrue(policy.contains("frame-ancestors 'none'"), policy);
    }

    @Test
    void thePageHasNoInlineScriptOrStyleAndLoadsOnlyItsOwnFiles()
    {
        final String html = get("/").bodyText();
        final Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(html);
        int count = 0;
        while (scripts.find())
        {
            count++;
            assertTrue(scripts.group(1).contains("src=\"/status/"), scripts.group());
        }
        assertEquals(1, count, "one script, from a file");
        assertFalse(html.contains("<style"), "no inline style element");
        assertFalse(html.matches("(?s).*\\sstyle=.*"), "no style attribute");
        assertFalse(html.matches("(?s).*\\son[a-z]+=.*"), "no inline event handler");
        final Matcher references = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        while (references.find())
        {
            final String reference = references.group(1);
            assertTrue(reference.startsWith("/status/"), "only the page's own files: " + reference);
            assertEquals(200, get(reference).status(), reference);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/status/", "/status/nothing.js", "/status/index.html", "/status/../ApiRouter.class",
        "/status/%2e%2e/ApiRouter.class", "/status/..%2fApiRouter.class", "/status/status.js/", "/status//status.js",
        "/status/STATUS.JS", "/status/status.js%00.css", "/status/../../../../etc/passwd", "/status/%2e%2e%2f%2e%2e%2fapi/ApiRouter.class"})
    void anythingElseUnderStatusIs404AndNeverAnotherResource(final String uri)
    {
        final ApiResponse response = get(uri);
        assertEquals(404, response.status(), uri);
        assertEquals(ApiResponse.TEXT, response.contentType());
        assertTrue(response.bodyText().startsWith("no such file "), response::bodyText);
        // one line of text naming the path, never the bytes of another resource (a class file, /etc/passwd)
        assertEquals(1, response.bodyText().lines().count(), response::bodyText);
        assertTrue(response.body().length < 300, response::bodyText);
        assertEquals(StatusPage.CONTENT_SECURITY_POLICY, response.headers().get("Content-Security-Policy"));
    }

    @Test
    void headIsAnsweredLikeGet()
    {
        final ApiResponse head = router.handle("HEAD", "/", null);
        assertEquals(200, head.status());
        assertEquals(StatusPage.HTML, head.contentType());
    }

    @Test
    void theApiKeepsItsRoutesAndItsNoStoreDefault()
    {
        final ApiResponse vnis = get("/api/v1/vnis");
        assertEquals(200, vnis.status());
        assertFalse(vnis.headers().containsKey("Cache-Control"), "API answers keep the server's no-store");
        assertEquals(404, get("/api/v1/status").status());
    }
}
