package io.vtep.core.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web status page (README "Status page"): {@code GET /} and its few static files under
 * {@code /status/}, served from the jar ({@code io/vtep/core/api/status/}). The page is plain
 * HTML, CSS and JavaScript that reads the JSON API from the browser; nothing is built or fetched
 * from elsewhere, so it works on a gateway without Internet access.
 *
 * <p>Only the files named in {@link #FILES} exist: a request path is looked up in that table and
 * never turned into a resource or file name, so {@code /status/../x}, encoded dots or any other
 * path cannot reach another resource of the jar (no path traversal by construction).
 *
 * <p>Every answer carries a strict Content-Security-Policy (W3C CSP Level 3): scripts, styles and
 * API requests only from this origin, no inline script or style, no framing, so a MAC or a
 * description that a peer sent can never run as script in an operator's browser even if the page
 * had a bug that inserted it as markup (the page inserts text only, {@code textContent}).
 */
final class StatusPage
{
    /** The page's own files: what the browser may load from this origin. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; " +
        "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    static final String HTML = "text/html; charset=utf-8";
    static final String CSS = "text/css; charset=utf-8";
    static final String JAVASCRIPT = "text/javascript; charset=utf-8";
    static final String SVG = "image/svg+xml";

    private static final String RESOURCE_DIRECTORY = "status/";
    private static final String PREFIX = "/status/";

    /** Request path → resource file name and content type; nothing else is served. */
    private static final Map<String, Asset> FILES = files();

    private record Asset(String resource, String contentType)
    {
    }

    private final Map<String, byte[]> bodies = new LinkedHashMap<>();

    /** Reads the page's files from the jar once: they never change while vtep runs. */
    StatusPage()
    {
        for (final Map.Entry<String, Asset> file : FILES.entrySet())
        {
            bodies.put(file.getKey(), read(file.getValue().resource()));
        }
    }

    private static Map<String, Asset> files()
    {
        final Map<String, Asset> files = new LinkedHashMap<>();
        files.put("/", new Asset("index.html", HTML));
        files.put(PREFIX + "status.css", new Asset("status.css", CSS));
        files.put(PREFIX + "status.js", new Asset("status.js", JAVASCRIPT));
        files.put(PREFIX + "icon.svg", new Asset("icon.svg", SVG));
        return Map.copyOf(files);
    }

    /** Whether {@code path} belongs to the status page (answered here, found or not). */
    static boolean serves(final String path)
    {
        return path.equals("/") || path.startsWith(PREFIX);
    }

    /**
     * @param method HTTP method, upper case
     * @param path   the request path, a {@link #serves} one
     */
    ApiResponse answer(final String method, final String path)
    {
        final Asset asset = FILES.get(path);
        if (asset == null)
        {
            return secured(ApiResponse.text(404, "no such file " + path + " on the status page; the page is at /"));
        }
        if (!method.equals("GET") && !method.equals("HEAD"))
        {
            return secured(ApiResponse.text(405, "method " + method + " not allowed on " + path + "; allowed: " + ApiRouter.ALLOW))
                .withHeader("Allow", ApiRouter.ALLOW);
        }
        // no-cache, not no-store: the browser may keep the file but asks again each time, so a
        // page loaded after an upgrade never runs the old script against the new API.
        return secured(new ApiResponse(200, asset.contentType(), bodies.get(path), Map.of()))
            .withHeader("Cache-Control", "no-cache");
    }

    private static ApiResponse secured(final ApiResponse response)
    {
        return response.withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            .withHeader("X-Content-Type-Options", "nosniff")
            .withHeader("Referrer-Policy", "no-referrer");
    }

    private static byte[] read(final String name)
    {
        try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCE_DIRECTORY + name))
        {
            if (in == null)
            {
                throw new IllegalStateException("status page file " + RESOURCE_DIRECTORY + name + " is missing from the jar");
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("reading status page file " + name, ex);
        }
    }
}
