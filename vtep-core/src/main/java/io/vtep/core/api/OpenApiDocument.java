package io.vtep.core.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code GET /api/v1/openapi.yaml}: the OpenAPI 3.1 document of this API, {@code docs/openapi.yaml}
 * of the repository, which the build puts in the jar next to this class. Read once, when first asked.
 */
final class OpenApiDocument
{
    static final String PATH = "/api/v1/openapi.yaml";
    /** The media type of YAML (RFC 9512 §2.1). */
    static final String CONTENT_TYPE = "application/yaml; charset=utf-8";
    private static final String RESOURCE = "openapi.yaml";

    private byte[] document;

    ApiResponse answer()
    {
        if (document == null)
        {
            document = read();
        }
        return document == null ? ApiResponse.jsonError(404, "this build of vtep has no OpenAPI document (docs/openapi.yaml in the repository)") :
            new ApiResponse(200, CONTENT_TYPE, document, Map.of());
    }

    private static byte[] read()
    {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE))
        {
            return in == null ? null : in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("reading " + RESOURCE + " from the jar", ex);
        }
    }
}
