package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vtep.topology.VtepProcess;

/**
 * Issue 16: {@code docs/openapi.yaml} is a valid OpenAPI 3.1 document (swagger-parser reports no
 * problem and resolves every reference), and it says what every route of the API has in common:
 * the routes that change vtep need the bearer token and document its refusals (401, 403), every
 * {@code /api/} error answer is the JSON error object. {@link OpenApiConformanceTest} checks the
 * document against a running vtep.
 */
class OpenApiDocumentTest
{
    private static final Set<String> CHANGING_METHODS = Set.of("POST", "DELETE", "PUT", "PATCH");

    private static OpenAPI parse(final List<String> messages) throws Exception
    {
        final Path document = VtepProcess.repositoryRoot().resolve("docs/openapi.yaml");
        final ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        final SwaggerParseResult result = new OpenAPIV3Parser().readContents(Files.readString(document), null, options);
        messages.addAll(result.getMessages() == null ? List.of() : result.getMessages());
        return result.getOpenAPI();
    }

    @Test
    void isAValidOpenApi31DocumentWithEveryReferenceResolved() throws Exception
    {
        final List<String> messages = new ArrayList<>();
        final OpenAPI api = parse(messages);
        assertEquals(List.of(), messages, "swagger-parser's problems with docs/openapi.yaml");
        assertEquals("3.1.0", api.getOpenapi());
        assertTrue(api.getPaths().size() >= 17, () -> "paths: " + api.getPaths().keySet());
    }

    @Test
    void routesThatChangeVtepNeedTheTokenAndApiErrorsAreTheErrorObject() throws Exception
    {
        final OpenAPI api = parse(new ArrayList<>());
        final Set<String> problems = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
        {
            final String name = method + " " + path;
            if (CHANGING_METHODS.contains(method.name()))
            {
                if (!requiresOnlyTheToken(operation))
                {
                    problems.add(name + ": does not require bearerToken");
                }
                for (final String refusal : List.of("401", "403", "413"))
                {
                    if (!operation.getResponses().containsKey(refusal))
                    {
                        problems.add(name + ": no " + refusal + " response");
                    }
                }
            }
            if (path.startsWith("/api/"))
            {
                operation.getResponses().forEach((status, response) ->
                {
                    if (status.startsWith("4") || status.startsWith("5"))
                    {
                        final String schema = errorSchemaRef(api, response);
                        if (!"#/components/schemas/Error".equals(schema))
                        {
                            problems.add(name + " " + status + ": body is " + schema + ", not the Error object");
                        }
                    }
                });
            }
        }));
        assertEquals(Set.of(), problems);
    }

    private static boolean requiresOnlyTheToken(final Operation operation)
    {
        return operation.getSecurity() != null && operation.getSecurity().size() == 1 &&
            operation.getSecurity().getFirst().containsKey("bearerToken");
    }

    /** The $ref of the JSON schema of an error response (following a response $ref). */
    private static String errorSchemaRef(final OpenAPI api, final ApiResponse response)
    {
        ApiResponse resolved = response;
        if (resolved.get$ref() != null)
        {
            resolved = api.getComponents().getResponses().get(resolved.get$ref().substring("#/components/responses/".length()));
        }
        if (resolved == null || resolved.getContent() == null || resolved.getContent().get("application/json") == null)
        {
            return "not JSON";
        }
        return resolved.getContent().get("application/json").getSchema().get$ref();
    }
}
