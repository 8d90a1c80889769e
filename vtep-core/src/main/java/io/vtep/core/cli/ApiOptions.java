package io.vtep.core.cli;

import java.nio.file.Path;

import io.vtep.core.api.ApiClient;
import picocli.CommandLine.Option;

/** {@code --api URL} and {@code --ca-file FILE}: which running vtep a command talks to, and how it trusts it. */
final class ApiOptions
{
    @Option(names = "--api", paramLabel = "URL", description = "the vtep's HTTP API (default: ${DEFAULT-VALUE})")
    String api = ApiClient.DEFAULT_API;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "CA certificate(s) to trust for an https:// URL (a private CA)")
    String caFile;

    /** @return the client, or null after printing why the URL or CA file cannot be used (exit 2) */
    ApiClient client(final String tokenOrNull, final CliContext context)
    {
        try
        {
            return new ApiClient(api, caFile == null ? null : Path.of(caFile), tokenOrNull);
        }
        catch (final IllegalArgumentException ex)
        {
            context.err().println("vtep: " + ex.getMessage());
            return null;
        }
    }
}
