package io.vtep.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.OpenApi31;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The OpenAPI document ({@code docs/openapi.yaml}) as a contract that HTTP answers are checked
 * against: an answer conforms when its path and method are documented, its status is one of the
 * operation's responses, its content type one of that response's media types, the documented
 * headers are there, and its body is valid against the media type's schema (JSON Schema 2020-12,
 * the dialect of OpenAPI 3.1 §4.8.24, validated by networknt's json-schema-validator; a text body
 * is validated as a JSON string). Also records which operations were exercised.
 */
final class OpenApiContract
{
    /** The document's base IRI for the validator: schemas are loaded as fragments of it. */
    private static final String IRI = "https://vtep.invalid/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "head", "post", "put", "delete", "patch", "options");
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new HashMap<>();
    private final Set<String> exercised = new TreeSet<>();
    private final Set<String> succeeded = new TreeSet<>();

    /** One request and its answer. */
    record Exchange(String method, String uri, int status, String contentTypeOrNull, Map<String, List<String>> headers, byte[] body)
    {
        String bodyText()
        {
            return new String(body, StandardCharsets.UTF_8);
        }

        String headerOrNull(final String name)
        {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                .flatMap(h -> h.getValue().stream()).findFirst().orElse(null);
        }

        @Override
        public String toString()
        {
            final String text = contentTypeOrNull != null && contentTypeOrNull.contains("pcapng") ? body.length + " bytes of pcapng" : bodyText()
                .length() > 300 ? bodyText().substring(0, 300) + "…" : bodyText();
            return method + " " + uri + " -> " + status + " " + contentTypeOrNull + " " + text.strip();
        }
    }

    OpenApiContract(final String yaml)
    {
        document = new YAMLMapper().readTree(yaml);
        final String json = JSON.writeValueAsString(document);
        registry = SchemaRegistry.withDefaultDialect(OpenApi31.getInstance(), builder -> builder.schemas(Map.of(IRI, json)));
    }

    /** The documented paths, templates as written ({@code /status/{file}}). */
    Set<String> paths()
    {
        return new TreeSet<>(document.path("paths").propertyNames());
    }

    /** Every documented operation, as {@code METHOD path}. */
    Set<String> operations()
    {
        final Set<String> operations = new TreeSet<>();
        for (final String path : paths())
        {
            for (final String method : document.path("paths").path(path).propertyNames())
            {
                if (METHODS.contains(method))
                {
                    operations.add(method.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        return operations;
    }

    /** The operations that some checked exchange called. */
    Set<String> exercised()
    {
        return exercised;
    }

    /** The operations that answered a 2xx at least once. */
    Set<String> succeeded()
    {
        return succeeded;
    }

    /** What is wrong with {@code exchange} by the document; empty when it conforms. */
    List<String> check(final Exchange exchange)
    {
        final List<String> problems = new ArrayList<>();
        final String path = java.net.URI.create(exchange.uri()).getRawPath();
        final String template = template(path);
        if (template == null)
        {
            problems.add(exchange + ": path " + path + " is not in the document");
            return problems;
        }
        final String method = exchange.method().toLowerCase(Locale.ROOT);
        final String operation = exchange.method() + " " + template;
        if (document.path("paths").path(template).get(method) == null)
        {
            problems.add(exchange + ": " + operation + " is not in the document");
            return problems;
        }
        exercised.add(operation);
        if ((exchange.status() == 404 || exchange.status() == 405) &&
            (exchange.bodyText().contains("no such endpoint") || exchange.bodyText().contains("not allowed on")))
        {
            problems.add(exchange + ": vtep does not serve " + operation + ", which the document describes");
            return problems;
        }
        String pointer = "/paths/" + escape(template) + "/" + method + "/responses/" + exchange.status();
        JsonNode response = document.at(pointer);
        if (response.isMissingNode())
        {
            problems.add(exchange + ": status " + exchange.status() + " is not documented for " + operation + " (documented: " +
                document.path("paths").path(template).path(method).path("responses").propertyNames() + ")");
            return problems;
        }
        while (response.has("$ref"))
        {
            pointer = response.get("$ref").asString().substring(1);
            response = document.at(pointer);
        }
        for (final String header : response.path("headers").propertyNames())
        {
            if (exchange.headerOrNull(header) == null)
            {
                problems.add(exchange + ": header " + header + " is documented for status " + exchange.status() + " but missing");
            }
        }
        if (exchange.status() / 100 == 2)
        {
            succeeded.add(operation);
        }
        if (exchange.method().equals("HEAD") || response.path("content").isMissingNode())
        {
            return problems;
        }
        final String mediaType = exchange.contentTypeOrNull() == null ? "none" : exchange.contentTypeOrNull().split(";")[0].strip().toLowerCase(
            Locale.ROOT);
        if (response.path("content").get(mediaType) == null)
        {
            problems.add(exchange + ": content type " + mediaType + " is not documented for status " + exchange.status() +
                " of " + operation + " (documented: " + response.path("content").propertyNames() + ")");
            return problems;
        }
        final String schemaPointer = pointer + "/content/" + escape(mediaType) + "/schema";
        final String instance;
        if (mediaType.equals("application/json"))
        {
            instance = exchange.bodyText();
        }
        else if (mediaType.startsWith("text/") || mediaType.equals("application/yaml") || mediaType.startsWith("application/openmetrics"))
        {
            instance = JSON.writeValueAsString(exchange.bodyText());
        }
        else
        {
            return problems;
        }
        try
        {
            schema(schemaPointer).validate(instance, InputFormat.JSON)
                .forEach(error -> problems.add(exchange + ": " + error.getInstanceLocation() + " " + error.getMessage() +
                    " (schema " + error.getSchemaLocation() + ")"));
        }
        catch (final RuntimeException ex)
        {
            problems.add(exchange + ": body not checkable against " + schemaPointer + ": " + ex);
        }
        return problems;
    }

    private Schema schema(final String pointer)
    {
        return schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(IRI + "#" + fragment(p))));
    }

    /** The documented path that {@code path} is an instance of, or null. */
    private String template(final String path)
    {
        for (final String template : paths())
        {
            if (path.matches(template.replaceAll("\\{[^/}]+}", "[^/]+").replace(".", "\\.")))
            {
                return template;
            }
        }
        return null;
    }

    /** A JSON Pointer reference token (RFC 6901 §3). */
    private static String escape(final String token)
    {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON Pointer as a URI fragment (RFC 6901 §6): the characters a fragment cannot hold, percent-encoded. */
    private static String fragment(final String pointer)
    {
        return pointer.replace("%", "%25").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20").replace("+", "%2B");
    }
}
