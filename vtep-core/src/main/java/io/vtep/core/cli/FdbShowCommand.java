package io.vtep.core.cli;

import java.util.List;

import io.vtep.core.api.ApiClient;
import io.vtep.core.api.CliFormat;
import io.vtep.core.api.JsonText;
import picocli.CommandLine.Command;

/**
 * {@code vtep fdb show [--vni N] [--json]}: the FDB of a running vtep, fetched page by page
 * ({@value #PAGE} entries a request, about 1.7 MB of JSON) and printed as each page arrives, so a
 * million MACs are printed holding one page. With {@code --json}, JSON lines: one entry object per
 * line, with the fields of {@code GET /api/v1/fdb}'s {@code entries} (a consumer reads line by line,
 * as {@code jq -c} does, without holding the whole table).
 */
@Command
final class FdbShowCommand extends VniQueryCommand
{
    static final int PAGE = 10_000;

    FdbShowCommand(final CliContext context)
    {
        super(context, "/api/v1/fdb", CliFormat::fdbShow);
    }

    @Override
    void print(final ApiClient client, final String pathAndQuery) throws ApiClient.ApiClientException
    {
        client.forEachPage(pathAndQuery, PAGE, page ->
        {
            if (!json)
            {
                context.out().print(CliFormat.fdbShow(page));
                return;
            }
            if (page.get("entries") instanceof List<?> entries)
            {
                for (final Object entry : entries)
                {
                    context.out().print(JsonText.of(entry) + "\n");
                }
            }
        });
    }
}
