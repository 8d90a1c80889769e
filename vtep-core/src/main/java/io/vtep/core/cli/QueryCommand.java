package io.vtep.core.cli;

import java.util.Map;
import java.util.function.Function;

import io.vtep.core.api.ApiClient;
import io.vtep.core.api.JsonText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A show command that prints one API document: as a table for people, or with {@code --json} as the
 * API's document itself on one line (the field names of the HTTP API, README "HTTP API").
 * {@code vni list} and {@code bgp summary}; {@link VniQueryCommand} adds {@code --vni}.
 */
@Command
class QueryCommand extends VtepCommand
{
    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = "--json", description = "print the API's JSON instead of the table (one line; fdb show: one entry object a line)")
    boolean json;

    private final String path;
    private final Function<Map<String, Object>, String> table;

    QueryCommand(final CliContext context, final String path, final Function<Map<String, Object>, String> table)
    {
        super(context);
        this.path = path;
        this.table = table;
    }

    /** @return the path and query to GET, or null after printing why the options are wrong */
    String pathAndQuery()
    {
        return path;
    }

    @Override
    public Integer call()
    {
        final String pathAndQuery = pathAndQuery();
        if (pathAndQuery == null)
        {
            return Main.EXIT_USAGE;
        }
        final ApiClient client = api.client(null, context);
        if (client == null)
        {
            return Main.EXIT_USAGE;
        }
        try (client)
        {
            print(client, pathAndQuery);
            context.out().flush();
            return Main.EXIT_OK;
        }
        catch (final ApiClient.ApiClientException ex)
        {
            context.out().flush();
            context.err().println("vtep: " + ex.getMessage());
            return Main.EXIT_FAILURE;
        }
    }

    void print(final ApiClient client, final String pathAndQuery) throws ApiClient.ApiClientException
    {
        final Map<String, Object> document = client.getJson(pathAndQuery);
        context.out().print(json ? JsonText.of(document) + "\n" : table.apply(document));
    }
}
